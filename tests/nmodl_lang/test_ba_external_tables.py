"""BEFORE/AFTER blocks, EXTERNAL variables and TABLEs of array variables against NEURON."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

#: every BEFORE/AFTER block NEURON runs, each leaving a trace in a range variable
BA = """
NEURON {
    SUFFIX bablk
    USEION ca READ cai WRITE ica
    NONSPECIFIC_CURRENT i
    RANGE g, x, y, z, w, ninit, nbrk
    GLOBAL shared
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { g = 0.001 (S/cm2) shared = 3 }
ASSIGNED { v (mV) i (mA/cm2) ica (mA/cm2) cai x y z w ninit nbrk }
BEFORE INITIAL { ninit = 10 w = v }
INITIAL { ninit = ninit + 1 x = 0 y = 0 z = 0 nbrk = 0 }
AFTER INITIAL { ninit = ninit*2 z = -1 }
BEFORE BREAKPOINT { x = v/10 + shared  nbrk = nbrk + 1 }
BREAKPOINT {
    i = g*(x - shared)*0.1*(v + 60)
    ica = 1e-4*(v - 100)
}
AFTER SOLVE { y = y + x*dt }
BEFORE STEP { z = z + t*0.001 + y }
BEFORE STEP { w = w + 1 }
"""

#: reads and writes a GLOBAL of another mechanism (nocmodl's 'extern double')
OWNER = """
NEURON { SUFFIX extowner GLOBAL gext, counter RANGE dummy }
PARAMETER { gext = 0.0004 (S/cm2) counter = 0 }
ASSIGNED { dummy }
BREAKPOINT { dummy = gext }
"""
USER = """
NEURON { SUFFIX extuser NONSPECIFIC_CURRENT i EXTERNAL gext_extowner, counter_extowner }
UNITS { (mA) = (milliamp) (mV) = (millivolt) }
ASSIGNED { v (mV) i (mA/cm2) gext_extowner counter_extowner }
BREAKPOINT {
    i = gext_extowner*(v + 70)
    counter_extowner = counter_extowner + 1
}
"""

#: TABLE of two array GLOBALs (one table per element), DEPEND on a GLOBAL and celsius
TARR = """
NEURON { SUFFIX tarr NONSPECIFIC_CURRENT i RANGE g GLOBAL inf, tau, vh }
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER { g = 0.01 (S/cm2) vh = -40 (mV) }
ASSIGNED { v (mV) i (mA/cm2) inf[2] tau[2] celsius (degC) }
STATE { m h }
INITIAL { rates(v) m = inf[0] h = inf[1] }
BREAKPOINT {
    SOLVE st METHOD cnexp
    i = g*m*m*m*h*(v - 50)
}
DERIVATIVE st {
    rates(v)
    m' = (inf[0] - m)/tau[0]
    h' = (inf[1] - h)/tau[1]
}
PROCEDURE rates(v (mV)) {
    TABLE inf, tau DEPEND vh, celsius FROM -100 TO 100 WITH 200
    inf[0] = 1/(1 + exp(-(v - vh)/7))
    inf[1] = 1/(1 + exp((v + 60)/6))
    tau[0] = 0.2 + 0.5*exp(-((v + 40)/20)^2)
    tau[1] = 1 + 5*exp(-((v + 60)/15)^2)*3^((celsius - 6.3)/10)
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
for m in MECHS:
    soma.insert(m)
soma.insert("pas")
soma.g_pas = 2e-4
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 4, 0.06
seg = soma(0.5)
rec = {"v": n.Vector().record(seg._ref_v)}
for key, (mech, var) in RECORD.items():
    rec[key] = n.Vector().record(getattr(getattr(seg, mech), "_ref_" + var))
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(8)
    for k, vec in rec.items():
        OUT[f"{k}{so}"] = list(vec)
    for key, expr in FINAL.items():
        OUT[f"{key}{so}"] = float(eval(expr))
n.secondorder = 0
"""


def _script(mechs, record, final=None) -> str:
    return f"MECHS = {mechs!r}\nRECORD = {record!r}\nFINAL = {final or {}!r}\n" + SCRIPT


def test_before_after_blocks(tmp_path):
    out = check(
        tmp_path,
        {"bablk.mod": BA},
        _script(
            ["bablk"],
            {k: ("bablk", k) for k in ("x", "y", "z", "w", "nbrk")},
            {"ninit": "seg.bablk.ninit"},
        ),
    )
    assert out["ninit0"] == 22.0  # BEFORE INITIAL, INITIAL, AFTER INITIAL in that order


def test_external_reads_and_writes_another_mechanisms_global(tmp_path):
    out = check(
        tmp_path,
        {"extowner.mod": OWNER, "extuser.mod": USER},
        _script(
            ["extowner", "extuser"],
            {"dummy": ("extowner", "dummy")},
            {"counter": "n.counter_extowner"},
        ),
    )
    assert out["counter0"] > 100


def test_table_of_array_variables(tmp_path):
    check(
        tmp_path,
        {"tarr.mod": TARR},
        _script(["tarr"], {"m": ("tarr", "m"), "h": ("tarr", "h")}),
    )
