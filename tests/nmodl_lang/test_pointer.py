"""POINTER variables against NEURON: a gap junction (reads the other cell's v), a synapse
whose conductance follows the presynaptic voltage, and a density mechanism writing through
its pointer; set with n.setpointer and with ``obj._ref_p = ref``."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

GAP = """
NEURON {
    POINT_PROCESS gapj
    NONSPECIFIC_CURRENT i
    RANGE g, i
    POINTER vgap
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { g = 0.01 (uS) }
ASSIGNED { v (mV) vgap (mV) i (nA) }
BREAKPOINT { i = g*(v - vgap) }
"""

PRESYN = """
NEURON {
    POINT_PROCESS vsyn
    NONSPECIFIC_CURRENT i
    RANGE gmax, s, i
    POINTER pre
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { gmax = 0.005 (uS) e = 0 (mV) }
ASSIGNED { v (mV) pre (mV) i (nA) }
STATE { s }
INITIAL { s = 0 }
BREAKPOINT {
    SOLVE st METHOD cnexp
    i = gmax*s*(v - e)
}
DERIVATIVE st { s' = (1/(1 + exp(-(pre + 20)/2)) - s)/3 }
"""

WRITER = """
NEURON {
    SUFFIX pwrite
    RANGE k
    POINTER out
}
PARAMETER { k = 2 }
ASSIGNED { v (mV) out }
BREAKPOINT { out = 0.005 + k*1e-5*(v + 65) }
"""

SCRIPT = """
a = n.Section("a")
b = n.Section("b")
for sec in (a, b):
    sec.L = sec.diam = 10
    sec.insert("hh")
b.insert("pwrite")
stim = n.IClamp(a(0.5))
stim.delay, stim.dur, stim.amp = 1, 2, 0.3
g1 = n.gapj(a(0.5))
g2 = n.gapj(b(0.5))
n.setpointer(b(0.5)._ref_v, "vgap", g1)
g2._ref_vgap = a(0.5)._ref_v
syn = n.vsyn(b(0.5))
n.setpointer(a(0.5)._ref_v, "pre", syn)
b(0.5).pwrite._ref_out = syn._ref_gmax
va = n.Vector().record(a(0.5)._ref_v)
vb = n.Vector().record(b(0.5)._ref_v)
s = n.Vector().record(syn._ref_s)
i = n.Vector().record(g1._ref_i)
n.finitialize(-65)
n.continuerun(15)
OUT["va"] = list(va)
OUT["vb"] = list(vb)
OUT["s"] = list(s)
OUT["i"] = list(i)
OUT["gmax"] = syn.gmax
OUT["pre"] = syn.pre
"""


def test_pointers_against_neuron(tmp_path):
    out = check(tmp_path, {"gapj.mod": GAP, "vsyn.mod": PRESYN, "pwrite.mod": WRITER}, SCRIPT)
    assert max(out["s"]) > 0.2  # the presynaptic spike opened the synapse
    assert out["gmax"] != 0.005  # pwrite wrote through its pointer
