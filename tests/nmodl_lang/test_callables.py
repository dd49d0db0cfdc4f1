"""FUNCTIONs and PROCEDUREs of a density mechanism called from Python as NEURON's hoc
functions: ``n.<name>_<suffix>(args)``, on the instance chosen by ``n.setdata_<suffix>``."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

CALLS = """
NEURON {
    SUFFIX calls
    RANGE gbar, scale
    GLOBAL minf, mtau
}
UNITS { (mV) = (millivolt) (S) = (siemens) }
PARAMETER { gbar = 0.02 (S/cm2) scale = 3 }
ASSIGNED { v (mV) minf mtau }
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp(-(v + 40)/7))
    mtau = 0.1 + vtrap(-(v + 40), 10)
}
FUNCTION scaled(x) { scaled = x*scale + gbar }
"""

SCRIPT = """
soma = n.Section("soma")
soma.nseg = 3
soma.insert("calls")
soma(0.5).calls.scale = 7
OUT["vtrap"] = [n.vtrap_calls(x, 10) for x in (-20.0, 0.0, 1e-9, 35.5)]
vals = []
for v in (-80, -40, 0, 30):
    n.rates_calls(v)
    vals += [n.minf_calls, n.mtau_calls]
OUT["rates"] = vals
n.setdata_calls(soma(0.5))
OUT["scaled_mid"] = n.scaled_calls(2.0)
n.setdata_calls(soma(0.1))
OUT["scaled_first"] = n.scaled_calls(2.0)
"""


def test_density_functions_from_python(tmp_path):
    out = check(tmp_path, {"calls.mod": CALLS}, SCRIPT, rtol=0.0)
    assert out["scaled_mid"] == 2.0 * 7 + 0.02
