"""FUNCTION_TABLE against NEURON: tables given from Python (Vectors, a constant)."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

FTAB = """
NEURON {
    SUFFIX ftab
    NONSPECIFIC_CURRENT i
    RANGE g, tnow, gnow
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) tnow gnow }
STATE { m }
FUNCTION_TABLE tau1(v (mV)) (ms)
FUNCTION_TABLE gfac(v (mV), x)
INITIAL { m = 0 }
BREAKPOINT {
    SOLVE st METHOD cnexp
    gnow = gfac(v, m)
    i = g*gnow*m*(v + 70)
}
DERIVATIVE st {
    tnow = tau1(v)
    m' = (1/(1 + exp(-(v + 45)/5)) - m)/tnow
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("ftab")
soma.insert("pas")
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 6, 0.06
xs = n.Vector([-100, -60, -50, -40, -20, 0, 40])
ys = n.Vector([5.0, 4.0, 2.5, 1.0, 0.7, 0.5, 0.4])
n.table_tau1_ftab(ys, xs)
n.table_gfac_ftab(0.7)
seg = soma(0.5)
rec = {"v": n.Vector().record(seg._ref_v)}
for var in ("m", "tnow", "gnow"):
    rec[var] = n.Vector().record(getattr(seg.ftab, "_ref_" + var))
n.finitialize(-65)
n.continuerun(10)
for k, vec in rec.items():
    OUT[k] = list(vec)
"""


def test_function_table_against_neuron(tmp_path):
    out = check(tmp_path, {"ftab.mod": FTAB}, SCRIPT)
    assert max(out["tnow"]) - min(out["tnow"][1:]) > 0.5  # the table was interpolated
