"""HOC programs run by NEURON and by pyneuro's HOC interpreter: the same printed output.

Each program is our own text; NEURON runs it in a subprocess (``h(code)``, its stdout
captured), pyneuro in this process. Printed numbers use HOC's own formats (``%.8g``), so
equal text means equal values to 8 digits, and traces are printed with more where it matters.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.neuron

NEURON_RUN = """
import sys
from neuron import h
h.load_file("stdrun.hoc")
sys.stdout.flush()
h(open(sys.argv[1]).read())
"""

#: pyneuro in its own process too, so that no section of another program is left over
PYNEURO_RUN = """
import sys
from pyneuro import n
n(open(sys.argv[1]).read())
"""

PROGRAMS = {
    "expressions": r"""
        1+2
        x = 3.14159265358979
        x
        print x, 2, "str"
        print -2^2, 2^3^2, 7%3, -7%3, 5/2, 1e300*1e300
        print 1 == 1 + 1e-12, 2 > 1, !0, 3 && 0, 0 || 2
        printf("%d %5.2f %g %s|\n", 3.7, 2.5, 1e-7, "a")
        {printf("in braces\n")}
        strdef s
        s = "abc"
        s
        sprint(s, "%s-%d", "x", 42)
        print s
        double a[3]
        { a[1] = 5  a[2] = a[1] * 2 }
        print a[0], a[1], a[2]
        print sin(PI/2), exp(1), sqrt(16), abs(-3), int(-2.7), log10(1000)
        """,
    "control_flow": r"""
        proc count() { local i, s
            s = 0
            for i = 1, $1 { s += i }
            print "sum", s
            i = 0
            while (1) {
                i += 1
                if (i % 2 == 0) continue
                if (i > 7) break
                printf("%d ", i)
            }
            printf("\n")
            for (i = 0; i < 3; i += 1) print i
        }
        count(10)
        func fact() { if ($1 <= 1) { return 1 } else { return $1 * fact($1 - 1) } }
        print fact(10)
        obfunc pair() { localobj v
            v = new Vector(2)
            v.x[0] = $1  v.x[1] = $2
            return v
        }
        objref p
        p = pair(3, 4)
        print p.x[0] + p.x[1], p.size()
        proc setstr() { sprint($s1, "set by %s", "proc") }
        strdef msg
        setstr(msg)
        print msg
        proc setptr() { $&1 = 99 }
        y = 1
        setptr(&y)
        print y
        proc nargs() { print numarg(), argtype(1), argtype(2) }
        nargs(1, "a")
        iterator pairs() { local i
            for i = 1, $1 { $&2 = i * 10  iterator_statement }
        }
        k = 0
        for pairs(3, &k) print k
        """,
    "sections": r"""
        create soma, dend[3]
        access soma
        soma { L = 20  diam = 20  nseg = 1  insert hh }
        for i = 0, 2 {
            dend[i] { L = 100 + 50*i  diam = 1  nseg = 5  insert pas  g_pas = 1e-4 }
            connect dend[i](0), soma(1)
        }
        dend[2] connect dend[1](0), 0.5
        dend[0].diam = 2
        dend[1] diam(0:1) = 2:1
        forall print secname(), L, nseg, ismembrane("hh"), ismembrane("na_ion")
        forsec "dend" { for (x, 0) printf("%s(%g) %.6f %.6f\n", secname(), x, diam(x), area(x)) }
        ifsec "soma" print "soma is accessed"
        soma print gnabar_hh, el_hh
        dend[1] { for (x) print x }
        func total() { local a
            a = 0
            forall for (x, 0) a += area(x)
            return a
        }
        printf("%.10g\n", total())
        objref sl
        sl = new SectionList()
        dend[0] sl.append()
        dend[2] sl.append()
        forsec sl print secname()
        """,
    "simulation": r"""
        create soma, dend
        soma { L = 20  diam = 20  insert hh }
        dend { L = 300  diam = 1  nseg = 11  insert pas  e_pas = -65  g_pas = 1e-4 }
        connect dend(0), soma(1)
        access soma
        objref stim, vrec, tv, nc, spikes, nil
        soma stim = new IClamp(0.5)
        { stim.del = 1  stim.dur = 5  stim.amp = 0.3 }
        vrec = new Vector()
        vrec.record(&dend.v(0.8))
        tv = new Vector()
        tv.record(&t)
        spikes = new Vector()
        soma nc = new NetCon(&v(0.5), nil)
        nc.threshold = 0
        nc.record(spikes)
        tstop = 15
        celsius = 16.3
        run()
        print t, vrec.size(), spikes.size()
        for i = 0, spikes.size() - 1 printf("%.12g\n", spikes.x[i])
        for i = 0, vrec.size() - 1 { if (i % 40 == 0) printf("%.12g %.12g\n", tv.x[i], vrec.x[i]) }
        """,
    "mechanism_callables": r"""
        create soma
        access soma
        insert hh
        print vtrap_hh(2, 10), vtrap_hh(1e-8, 10)
        setdata_hh(0.5)
        rates_hh(-50)
        {rates_hh(-50)}
        print minf_hh, hinf_hh, ntau_hh
        objref ic, ns
        ic = new IntFire1()
        ic.tau = 4
        finitialize(-65)
        print ic.M()
        ns = new NetStim()
        ns.noise = 0
        print ns.invl(7)
        ns.seed(3)
        """,
    "templates": r"""
        begintemplate Ball
        public soma, radius, grow, nsec
        create soma
        proc init() {
            radius = $1
            soma { L = 2*radius  diam = 2*radius  insert pas }
        }
        proc grow() { radius = radius * $1  soma.L = 2*radius }
        func nsec() { return 1 }
        endtemplate Ball
        objref b[2]
        for i = 0, 1 b[i] = new Ball(5 + i)
        b[1].grow(2)
        print b[0], b[1], b[1].radius, b[1].nsec()
        b[1].soma print secname(), L, diam
        forall print secname()
        """,
}


def _pyneuro(code: str, tmp_path=None) -> str:
    """In this process (for error checks) or, given a folder, in a fresh one."""
    if tmp_path is not None:
        path = tmp_path / "prog_pyneuro.hoc"
        path.write_text(code)
        res = subprocess.run(
            [sys.executable, "-c", PYNEURO_RUN, str(path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert res.returncode == 0, res.stderr[-3000:]
        return res.stdout
    from pyneuro import n

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        n(code)
    return out.getvalue()


def _neuron(code: str, tmp_path) -> str:
    pytest.importorskip("neuron")
    path = tmp_path / "prog.hoc"
    path.write_text(code)
    res = subprocess.run(
        [sys.executable, "-c", NEURON_RUN, str(path)], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def _fresh_hoc() -> None:
    """A new interpreter and no sections left, as a new NEURON process."""
    import gc

    from pyneuro.hoc import interp
    from pyneuro.simulator import sim

    interp._INTERPRETER = None
    sim.hoc_sections.clear()
    gc.collect()


def test_builtin_names_cannot_be_redeclared(pn):
    from pyneuro.hoc import HocError

    _fresh_hoc()
    for decl in ("objref v", "strdef t", "double dt[2]"):
        with pytest.raises(HocError, match="Redeclaring at top level"):
            _pyneuro(decl + "\n")


def test_errors_name_file_line_and_column(pn, tmp_path):
    from pyneuro import n
    from pyneuro.hoc import HocError

    _fresh_hoc()
    bad = tmp_path / "bad.hoc"
    bad.write_text("x = 1\nproc p() {\n  y = (2 +\n}\n")
    with pytest.raises(HocError) as info:
        n.load_file(str(bad))
    text = str(info.value)
    assert text.startswith(f"{bad}:4:1: ") and "^" in text
    with pytest.raises(HocError, match="undefined"):
        n("zz_not_defined + 1\n")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_neuron_prints(pn, tmp_path, name):
    code = textwrap.dedent(PROGRAMS[name]).strip() + "\n"
    ours = _pyneuro(code, tmp_path)
    ref = _neuron(code, tmp_path)
    assert ours.splitlines() == ref.splitlines()


def test_hoc_file_from_the_command_line_as_nrniv(tmp_path):
    """``python -m pyneuro prog.hoc`` prints what ``nrniv -nobanner prog.hoc`` prints."""
    import shutil
    from pathlib import Path

    pytest.importorskip("neuron")
    nrniv = shutil.which("nrniv") or str(Path(sys.executable).parent / "nrniv")
    if not Path(nrniv).exists():
        pytest.skip("nrniv not installed")
    code = 'load_file("stdrun.hoc")\n' + textwrap.dedent(PROGRAMS["simulation"]).strip() + "\n"
    path = tmp_path / "sim.hoc"
    path.write_text(code)
    outs = []
    for cmd in (
        [nrniv, "-nobanner", str(path), "-c", "quit()"],
        [sys.executable, "-m", "pyneuro", str(path)],
    ):
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert res.returncode == 0, res.stderr[-2000:]
        outs.append([s for s in res.stdout.splitlines() if s.strip()])
    assert outs[1] == outs[0]
