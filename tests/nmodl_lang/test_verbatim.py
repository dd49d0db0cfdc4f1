"""VERBATIM: C idioms that mean nothing for pyneuro are ignored (or translated, printf), other
C is refused when the mechanism (or the FUNCTION holding it) is used, with file and lines."""

from __future__ import annotations

import pytest
from oracle import check

from nmodl import compile_text

#: trivial blocks, ion copies, a FUNCTION ending in 'return 0;', printf-only VERBATIM
IDIOMS = """
NEURON {
    SUFFIX vidiom
    USEION ca READ cai WRITE ica
    RANGE g, r
}
VERBATIM
#include <stdlib.h>
#include <math.h>
extern double fabs(double);
ENDVERBATIM
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { g = 0.0002 (S/cm2) }
ASSIGNED { v (mV) ica (mA/cm2) cai (mM) r }
INITIAL {
    VERBATIM
    cai = _ion_cai;
    ENDVERBATIM
    r = zero()
    VERBATIM
    printf("PF r=%g cai=%g\\n", r, cai);
    ENDVERBATIM
}
BREAKPOINT {
    r = rate(v)
    ica = g*r*(v - 120)
    VERBATIM
    /* nothing */
    return 0;
    ENDVERBATIM
}
FUNCTION rate(v (mV)) {
    rate = 1/(1 + exp(-(v + 30)/7))
    VERBATIM
    return _lrate;
    ENDVERBATIM
}
FUNCTION zero() {
    zero = 5
    VERBATIM
    return 0;
    ENDVERBATIM
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("vidiom")
soma.insert("pas")
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 5, 0.1
v = n.Vector().record(soma(0.5)._ref_v)
r = n.Vector().record(soma(0.5).vidiom._ref_r)
n.finitialize(-65)
n.continuerun(8)
OUT["v"] = list(v)
OUT["r"] = list(r)
# PRINTED
"""


@pytest.mark.neuron
def test_ignored_and_translated_idioms_against_neuron(tmp_path):
    out = check(tmp_path, {"vidiom.mod": IDIOMS}, SCRIPT)
    assert out["PRINTED"].startswith("PF r=0 cai=")  # zero() returned 0, not 5


C_IN_BREAKPOINT = """
NEURON { SUFFIX vc NONSPECIFIC_CURRENT i }
ASSIGNED { i }
BREAKPOINT {
    i = 0
    VERBATIM
    { double* px = _p; px[0] = hoc_Exp(1.0); }
    ENDVERBATIM
}
"""

C_IN_UNCALLED_FUNCTION = """
NEURON { SUFFIX vf NONSPECIFIC_CURRENT i }
ASSIGNED { i }
BREAKPOINT { i = 0 }
FUNCTION seed(x) {
    VERBATIM
    srand((unsigned) _lx);
    ENDVERBATIM
    seed = x
}
"""


def test_c_in_a_kernel_refuses_the_mechanism_with_its_lines():
    meta = compile_text(C_IN_BREAKPOINT, "vc.mod").metadata
    refused = meta["refused"]
    first = C_IN_BREAKPOINT.split("\n").index("    VERBATIM") + 1
    assert refused["lines"] == [first, first + 2]
    assert refused["file"] == "vc.mod"
    assert "_p" in refused["internals"]
    assert refused["reason"].startswith(f"vc.mod:{first}-{first + 2}: a VERBATIM block of C")
    assert "mechanism 'vc' cannot be used" in refused["reason"]


def test_c_in_an_uncalled_function_only_refuses_that_function():
    meta = compile_text(C_IN_UNCALLED_FUNCTION, "vf.mod").metadata
    assert meta["refused"] is None
    (seed,) = meta["functions"]
    first = C_IN_UNCALLED_FUNCTION.split("\n").index("    VERBATIM") + 1
    assert seed["refused"].startswith(f"vf.mod:{first}-{first + 2}: a VERBATIM block of C code")
    assert "(uses srand)" in seed["refused"]


def test_refused_mechanism_raises_when_inserted(tmp_path, pn):
    from pyneuro import simulator

    path = tmp_path / "vcuse.mod"
    path.write_text(C_IN_BREAKPOINT.replace("SUFFIX vc", "SUFFIX vcuse"))
    simulator.sim.load_mod(path)  # compiling and loading succeed
    sec = pn.Section("s")
    with pytest.raises(RuntimeError, match=r"vcuse.mod:6-8: a VERBATIM block of C code"):
        sec.insert("vcuse")


def test_call_of_c_helper_from_file_level_verbatim_refuses_the_caller():
    text = C_IN_UNCALLED_FUNCTION.replace(
        "BREAKPOINT { i = 0 }",
        "VERBATIM\nstatic double twice(double x) { return 2*x; }\nENDVERBATIM\n"
        "BREAKPOINT { i = twice(1) }",
    )
    meta = compile_text(text, "vh.mod").metadata
    assert "calls the C function 'twice'" in meta["refused"]["reason"]


#: a channel whose rate uses C in VERBATIM (NEURON runs it; pyneuro refuses it) ...
C_RATE = """
NEURON { SUFFIX crate NONSPECIFIC_CURRENT i RANGE g }
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0005 }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { m }
INITIAL { m = minf(v) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = g*m*(v + 80)
}
DERIVATIVE states { m' = (minf(v) - m)/2 }
FUNCTION minf(x) {
VERBATIM
    double z = (_lx + 50.0)/7.0;
    _lminf = 1.0/(1.0 + exp(-z));
ENDVERBATIM
}
"""

#: ... and the port of that C to NMODL, the documented way out (pyneuro.override_mechanism)
PORTED = """
NEURON { SUFFIX crate NONSPECIFIC_CURRENT i RANGE g }
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { g = 0.0005 }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { m }
INITIAL { m = minf(v) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = g*m*(v + 80)
}
DERIVATIVE states { m' = (minf(v) - m)/2 }
FUNCTION minf(x) {
    LOCAL z
    z = (x + 50.0)/7.0
    minf = 1.0/(1.0 + exp(-z))
}
"""

OVERRIDE_SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 15
soma.insert("crate")
soma.insert("pas")
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 4, 0.1
vv = n.Vector().record(soma(0.5)._ref_v)
mm = n.Vector().record(soma(0.5).crate._ref_m)
n.finitialize(-65)
n.continuerun(10)
OUT["v"] = list(vv)
OUT["m"] = list(mm)
"""


def test_override_of_a_refused_mechanism_gives_neurons_numbers(tmp_path, pn):
    """NEURON runs the C; pyneuro refuses it, and the NMODL port registered under its name
    with pyneuro.override_mechanism gives the same trace."""
    from oracle import run_neuron

    import pyneuro
    from pyneuro import simulator

    theirs = run_neuron({"crate.mod": C_RATE}, OVERRIDE_SCRIPT)
    original = tmp_path / "crate.mod"
    original.write_text(C_RATE)
    simulator.sim.load_mod(original)
    with pytest.raises(RuntimeError, match="VERBATIM block of C code"):
        pn.Section("probe").insert("crate")
    ported = tmp_path / "port" / "crate.mod"
    ported.parent.mkdir()
    ported.write_text(PORTED)
    import gc

    gc.collect()
    assert pyneuro.override_mechanism(ported) == "crate"
    space = {"n": pn, "OUT": {}}
    exec(OVERRIDE_SCRIPT, space)
    ours = space["OUT"]
    assert max(abs(a - b) for a, b in zip(ours["v"], theirs["v"])) <= 1e-6
    assert max(abs(a - b) for a, b in zip(ours["m"], theirs["m"])) <= 1e-9
    with pytest.raises(RuntimeError, match="not refused"):
        pyneuro.override_mechanism(ported.parent.parent / "port" / "crate.mod")
