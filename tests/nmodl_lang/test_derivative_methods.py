"""DERIVATIVE blocks solved by derivimplicit, euler, runge, without METHOD, and cnexp's
fallbacks, against NEURON on one compartment (our own .mod files, compiled by both).

Every mechanism drives the membrane through a current that depends on its states, so the
voltage trace checks the states too. Each protocol runs with secondorder 0 and 2 (NEURON
halves dt inside nrn_state and adds dt*Dx afterwards for these methods).
"""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

#: a calcium pool with saturable (non-linear) extrusion and a buffer: derivimplicit
DIMP = """
NEURON {
    SUFFIX dimp
    USEION ca READ ica WRITE cai
    RANGE tau, kd, vmax, btot
}
UNITS { (mM) = (milli/liter) (mA) = (milliamp) }
PARAMETER {
    tau = 30 (ms)
    kd = 2e-4 (mM)
    vmax = 2e-5 (mM/ms)
    cainf = 5e-5 (mM)
    btot = 0.01 (mM)
    kon = 50 (/mM-ms)
    koff = 0.1 (/ms)
}
ASSIGNED { ica (mA/cm2) drive }
STATE { cai (mM) cab (mM) }
INITIAL { cai = cainf  cab = 0 }
BREAKPOINT { SOLVE pool METHOD derivimplicit }
DERIVATIVE pool {
    LOCAL free
    drive = -ica*0.02
    free = btot - cab
    cai' = drive - vmax*cai/(cai + kd) - (cai - cainf)/tau - kon*cai*free + koff*cab
    cab' = kon*cai*free - koff*cab
}
"""

#: a calcium current and a calcium-activated K current reading cai
CACHAN = """
NEURON {
    SUFFIX cachan
    USEION ca READ eca, cai WRITE ica
    USEION k READ ek WRITE ik
    RANGE gca, gk
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) (mM) = (milli/liter) }
PARAMETER { gca = 0.002 (S/cm2) gk = 0.01 (S/cm2) }
ASSIGNED { v (mV) eca (mV) ek (mV) ica (mA/cm2) ik (mA/cm2) cai (mM) }
STATE { s }
INITIAL { s = 1/(1 + exp(-(v + 20)/5)) }
BREAKPOINT {
    SOLVE gate METHOD cnexp
    ica = gca*s*s*(v - eca)
    ik = gk*(cai/(cai + 0.001))*(v - ek)
}
DERIVATIVE gate { s' = (1/(1 + exp(-(v + 20)/5)) - s)/2 }
"""

SCRIPT_POOL = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("dimp")
soma.insert("cachan")
soma.insert("pas")
soma.g_pas = 1e-4
soma.e_pas = -65
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 15, 0.2
seg = soma(0.5)
rec = {
    "v": n.Vector().record(seg._ref_v),
    "cai": n.Vector().record(seg._ref_cai),
    "cab": n.Vector().record(seg.dimp._ref_cab),
}
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(30)
    for k, vec in rec.items():
        OUT[f"{k}{so}"] = list(vec)
n.secondorder = 0
"""


def test_derivimplicit_pool_with_buffer(tmp_path):
    out = check(tmp_path, {"dimp.mod": DIMP, "cachan.mod": CACHAN}, SCRIPT_POOL)
    assert max(out["cai0"]) > 2 * min(out["cai0"])  # the protocol moves calcium


def _gate_mod(suffix: str, method: str, rhs_a: str, rhs_b: str, extra: str = "") -> str:
    solve = f"SOLVE d METHOD {method}" if method else "SOLVE d"
    return f"""
NEURON {{
    SUFFIX {suffix}
    NONSPECIFIC_CURRENT i
    RANGE g, a, b
}}
UNITS {{ (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }}
PARAMETER {{ g = 0.005 (S/cm2) km = 0.3 }}
ASSIGNED {{ v (mV) i (mA/cm2) ainf tau }}
STATE {{ b a }}
INITIAL {{ rates(v) a = ainf b = 0.2 {extra} }}
BREAKPOINT {{
    {solve}
    i = g*a*b*(v + 70)
}}
DERIVATIVE d {{
    rates(v)
    b' = {rhs_b}
    a' = {rhs_a}
}}
PROCEDURE rates(v (mV)) {{
    ainf = 1/(1 + exp(-(v + 40)/6))
    tau = 1 + 3*exp(-((v + 40)/20)^2)
}}
"""


GATES = {
    # euler: all derivatives first, then x += dt*x'
    "geuler": _gate_mod("geuler", "euler", "(ainf - a)/tau", "0.05*(1 - b) - 0.02*a*b"),
    # runge: scopmath's RK4, which moves t while it evaluates
    "grunge": _gate_mod("grunge", "runge", "(ainf - a)/tau", "0.05*(1 - b) - 0.02*a*b"),
    # cnexp with a state in a denominator: nocmodl solves the whole block by derivimplicit
    "gfall": _gate_mod("gfall", "cnexp", "(ainf - a)/tau - 0.1*a/(a + km)", "0.05*(1 - b)"),
    # cnexp with a product of two state terms: nocmodl's update uses only the derivative
    "gprod": _gate_mod("gprod", "cnexp", "(ainf - a)/tau", "0.05 - 0.1*b*b"),
    # no METHOD: nocmodl evaluates the derivatives and leaves the states alone
    "gnone": _gate_mod("gnone", "", "(ainf - a)/tau", "0.05*(1 - b)"),
    # STEADYSTATE derivimplicit in INITIAL, then derivimplicit
    "gss": _gate_mod(
        "gss",
        "derivimplicit",
        "(ainf - a)/tau - 0.1*a*b",
        "0.05*(1 - b) - 0.01*a*b/(b + km)",
        extra="SOLVE d STEADYSTATE derivimplicit",
    ),
}

SCRIPT_GATE = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("{name}")
soma.insert("pas")
soma.g_pas = 2e-4
soma.e_pas = -65
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 6, 0.1
seg = soma(0.5)
mech = getattr(seg, "{name}")
rec = {{
    "v": n.Vector().record(seg._ref_v),
    "a": n.Vector().record(mech._ref_a),
    "b": n.Vector().record(mech._ref_b),
    "t": n.Vector().record(n._ref_t),
}}
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(12)
    for k, vec in rec.items():
        OUT[f"{{k}}{{so}}"] = list(vec)
n.secondorder = 0
"""


@pytest.mark.parametrize("name", sorted(GATES))
def test_derivative_method(tmp_path, name):
    out = check(tmp_path, {f"{name}.mod": GATES[name]}, SCRIPT_GATE.format(name=name))
    if name != "gnone":
        assert max(out["a0"]) > 1.5 * min(out["a0"])  # the protocol moves the gate
    else:
        assert max(out["a0"]) == min(out["a0"])  # NEURON leaves the state alone
