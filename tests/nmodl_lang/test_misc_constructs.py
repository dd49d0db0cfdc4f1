"""Smaller constructs against NEURON on one compartment (our own .mod files, compiled by both):
legacy random numbers, printf, CONSTANT, diam/area, WHILE and FROM loops, PROTECT/MUTEXLOCK,
state_discontinuity, file-scope LOCAL, assignment to PARAMETERs, RANGE names never declared,
ions beyond na/k (cl, a user ion with VALENCE, WRITE of a reversal potential)."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

#: noise from NEURON's legacy generator; printf of a few values at INITIAL. One random call
#: per statement: C leaves the order of the calls inside one expression to the compiler.
NOISE = """
NEURON {
    SUFFIX noise
    NONSPECIFIC_CURRENT i
    RANGE amp, seed, last
}
UNITS { (mA) = (milliamp) }
PARAMETER { amp = 0.002 (mA/cm2) seed = 7 }
ASSIGNED { i (mA/cm2) last }
INITIAL {
    LOCAL p, x
    set_seed(seed)
    last = scop_random()
    x = exprand(2)
    printf("PF init %g %g\\n", last, x)
    p = poisrand(3)
    x = normrand(1, 0.5)
    printf("PF poisson %g normal %.12g %s\\n", p, x, "done")
}
BREAKPOINT {
    LOCAL e, p, u
    last = normrand(0, 1)
    e = exprand(0.5)
    p = poisrand(2)
    u = scop_random()
    i = amp*(last + e - 0.5 + 0.1*p + u - 0.5)
}
"""

#: many statement forms in one current
MISC = """
NEURON {
    SUFFIX misc
    NONSPECIFIC_CURRENT i
    RANGE gbase, k, count, s, a, nothing_declares_me
    GLOBAL gscale
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) (um) = (micron) }
CONSTANT { c1 = 2.5  half = 0.5 }
PARAMETER { gbase = 0.0003 (S/cm2)  gscale = 1  k = 0 }
ASSIGNED { v (mV) i (mA/cm2) diam (um) area (um2) count a }
STATE { s }
LOCAL shared
INITIAL {
    LOCAL j
    s = 0.1
    count = 0
    j = 0
    while (j < 5) {
        j = j + 1
        count = count + j
    }
    FROM j = 0 TO 3 BY 2 {
        count = count + 10*j
    }
    gscale = 1 + diam/100
    k = area/1000
}
BREAKPOINT {
    SOLVE st METHOD cnexp
    shared = gbase*gscale*(1 + k)
    PROTECT a = shared*c1
    MUTEXLOCK
    a = a + half*0
    MUTEXUNLOCK
    i = a*s*(v + 70)
}
DERIVATIVE st {
    s' = (1/(1 + exp(-(v + 50)/4)) - s)/3
}
AFTER SOLVE {
    if (s > 0.5) {
        state_discontinuity(s, s*0.99)
    }
}
"""
MISC_NO_AFTER = MISC.split("AFTER SOLVE")[0]

#: chloride, and a user ion with VALENCE whose concentration we write (Nernst follows it)
IONS = """
NEURON {
    SUFFIX ions2
    USEION cl READ ecl WRITE icl VALENCE -1
    USEION xx READ xxo WRITE xxi, ixx VALENCE 2
    RANGE gcl, gxx
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) (mM) = (milli/liter) }
PARAMETER { gcl = 0.001 (S/cm2) gxx = 0.0005 (S/cm2) }
ASSIGNED { v (mV) ecl (mV) icl (mA/cm2) ixx (mA/cm2) xxo (mM) exx (mV) }
STATE { xxi (mM) }
INITIAL { xxi = 0.5 }
BREAKPOINT {
    SOLVE pool METHOD cnexp
    icl = gcl*(v - ecl)
    ixx = gxx*(v - 30)
}
DERIVATIVE pool { xxi' = -ixx*0.01 - (xxi - 0.5)/50 }
"""

#: writes eca: the reversal potential becomes a parameter of the ion (no Nernst)
EWRITE = """
NEURON {
    SUFFIX ewrite
    USEION ca READ cai WRITE eca, ica
    RANGE g
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { g = 0.0002 (S/cm2) }
ASSIGNED { v (mV) eca (mV) ica (mA/cm2) cai (mM) }
INITIAL { eca = 100 }
BREAKPOINT {
    eca = 100 + 10*sin(t/2)
    ica = g*(v - eca)
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = 12
soma.diam = 9
for m in MECHS:
    soma.insert(m)
soma.insert("pas")
soma.g_pas = 1e-4
soma.e_pas = -65
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 6, 0.05
seg = soma(0.5)
rec = {"v": n.Vector().record(seg._ref_v)}
for key, (mech, var) in RECORD.items():
    owner = getattr(seg, mech) if mech else seg
    rec[key] = n.Vector().record(getattr(owner, "_ref_" + var))
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(10)
    for k, vec in rec.items():
        OUT[f"{k}{so}"] = list(vec)
    for key, expr in FINAL.items():
        OUT[f"{key}{so}"] = float(eval(expr))
n.secondorder = 0
"""


def _script(mechs, record, final=None) -> str:
    return f"MECHS = {mechs!r}\nRECORD = {record!r}\nFINAL = {final or {}!r}\n" + SCRIPT


def test_legacy_random_and_printf(tmp_path):
    out = check(
        tmp_path,
        {"noise.mod": NOISE},
        _script(["noise"], {"last": ("noise", "last"), "i": ("noise", "i")})
        + "\n# PRINTED: printf output is compared\n",
    )
    assert out["PRINTED"].count("PF init") == 2


#: a PARAMETER named like a STATE's start value (``q0`` beside STATE ``q``): it is that start
#: value (INITIAL leaves q alone), and ``r0`` is an ordinary rate constant used in the rates
START0 = """
NEURON {
    SUFFIX start0
    NONSPECIFIC_CURRENT i
    RANGE q0
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
PARAMETER { q0 = 0.3  r0 = 0.05 (/ms) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { q r }
INITIAL { r = 0.5 }
BREAKPOINT {
    SOLVE d METHOD cnexp
    i = 1e-4*(q + r)*(v + 70)
}
DERIVATIVE d {
    q' = r0*(1 - q)
    r' = -r*r0
}
"""


def test_misc_statements(tmp_path):
    check(
        tmp_path,
        {"misc.mod": MISC_NO_AFTER, "start0.mod": START0},
        _script(
            ["misc", "start0"],
            {"s": ("misc", "s"), "a": ("misc", "a"), "q": ("start0", "q"), "r": ("start0", "r")},
            {"count": "seg.misc.count", "k": "seg.misc.k", "gscale": "n.gscale_misc"},
        ),
    )


def test_ions_beyond_na_k(tmp_path):
    out = check(
        tmp_path,
        {"ions2.mod": IONS, "ewrite.mod": EWRITE},
        _script(
            ["ions2", "ewrite"],
            {
                "xxi": ("", "xxi"),
                "exx": ("", "exx"),
                "ecl": ("", "ecl"),
                "eca": ("", "eca"),
                "ica": ("", "ica"),
            },
        ),
    )
    assert max(out["exx0"]) - min(out["exx0"]) > 0.01  # Nernst follows the written xxi
