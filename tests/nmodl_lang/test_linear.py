"""LINEAR blocks (scopmath's simeq) and NONLINEAR blocks (scopmath's newton) against NEURON:
a kinetic channel started from the equilibrium a LINEAR block computes in INITIAL, a LINEAR
block solved every step, and a NONLINEAR system solved in INITIAL and every step."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

LINCHAN = """
NEURON {
    SUFFIX linchan
    USEION k READ ek WRITE ik
    RANGE gbar
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gbar = 0.01 (S/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) a b c d }
STATE { C O I }
INITIAL {
    rates(v)
    SOLVE eq
}
BREAKPOINT {
    SOLVE kin METHOD sparse
    ik = gbar*O*(v - ek)
}
KINETIC kin {
    rates(v)
    ~ C <-> O (a, b)
    ~ O <-> I (c, d)
    CONSERVE C + O + I = 1
}
LINEAR eq {
    ~ C*a = O*b
    ~ -O*c + I*d = 0
    ~ C + O + I = 1
}
PROCEDURE rates(v (mV)) {
    a = 0.4*exp((v + 35)/12)
    b = 0.2*exp(-(v + 35)/20)
    c = 0.05 + 0.01*exp((v + 40)/10)
    d = 0.02
}
"""

#: a LINEAR block solved every step (SOLVEFOR two of three states)
LINMIX = """
NEURON {
    SUFFIX linmix
    NONSPECIFIC_CURRENT i
    RANGE p
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
ASSIGNED { v (mV) i (mA/cm2) a b p }
STATE { xs ys zs }
INITIAL { zs = 0.5 }
BREAKPOINT {
    SOLVE mix
    i = 1e-4*p*(v + 60)
}
LINEAR mix SOLVEFOR xs, ys {
    a = exp(v/20)
    b = 1 + v*v/1000
    ~ 2*xs + ys*a = 1 + zs
    ~ xs - ys/(1 + b) = a*2
    p = xs + ys
}
"""

#: a NONLINEAR system in two STATEs; nocmodl orders the unknowns by its symbol table (bq
#: before w), not by first use, and the block also assigns a RANGE variable
NLPAIR = """
NEURON {
    SUFFIX nlpair
    NONSPECIFIC_CURRENT i
    RANGE g
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) }
ASSIGNED { v (mV) i (mA/cm2) g }
STATE { w bq }
INITIAL {
    w = 0.5
    bq = 0.5
    SOLVE eqs
}
BREAKPOINT {
    SOLVE eqs
    i = 1e-4*(bq + w*w)*(v + 55)
}
NONLINEAR eqs {
    LOCAL k
    k = exp(v/30)
    ~ bq*bq + w = 1 + k
    ~ bq - w*w*w = k/2
    g = bq*w
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("linchan")
soma.insert("linmix")
soma.insert("nlpair")
soma.insert("pas")
soma.g_pas = 1e-4
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 5, 0.08
seg = soma(0.5)
rec = {"v": n.Vector().record(seg._ref_v)}
for var in ("O", "I"):
    rec[var] = n.Vector().record(getattr(seg.linchan, "_ref_" + var))
for var in ("xs", "ys", "p"):
    rec[var] = n.Vector().record(getattr(seg.linmix, "_ref_" + var))
for var in ("w", "bq", "g"):
    rec[var] = n.Vector().record(getattr(seg.nlpair, "_ref_" + var))
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(10)
    for k, vec in rec.items():
        OUT[f"{k}{so}"] = list(vec)
n.secondorder = 0
"""


def test_linear_and_nonlinear_blocks_against_neuron(tmp_path):
    mods = {"linchan.mod": LINCHAN, "linmix.mod": LINMIX, "nlpair.mod": NLPAIR}
    out = check(tmp_path, mods, SCRIPT)
    assert max(out["g0"]) > 1.05 * min(out["g0"])  # the system moves with v
    assert max(out["O0"]) > 1.5 * out["O0"][0]
