"""KINETIC schemes against NEURON on one compartment (our own .mod files, compiled by both).

``sparse`` (linear and non-linear schemes, CONSERVE, COMPARTMENT, ``<<`` fluxes, ``->``,
stoichiometry, array species in FROM loops, f_flux/b_flux, STEADYSTATE sparse in INITIAL) and
the same kind of scheme integrated by ``euler`` and ``runge``. Each protocol runs with
secondorder 0 and 2.
"""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

#: a three-state channel: linear scheme (one Newton iteration), CONSERVE, STEADYSTATE sparse
KCHAN = """
NEURON {
    SUFFIX kchan3
    USEION k READ ek WRITE ik
    RANGE gbar, flux
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gbar = 0.02 (S/cm2) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) a b flux }
STATE { C O I }
INITIAL { SOLVE scheme STEADYSTATE sparse }
BREAKPOINT {
    SOLVE scheme METHOD sparse
    ik = gbar*O*(v - ek)
}
KINETIC scheme {
    rates(v)
    ~ C <-> O (a, b)
    flux = f_flux - b_flux
    ~ O <-> I (0.2, 0.05*b)
    CONSERVE C + O + I = 1
}
PROCEDURE rates(v (mV)) {
    a = 0.5*exp((v + 40)/15)
    b = 0.3*exp(-(v + 40)/25)
}
"""

#: calcium entry, a buffer (non-linear: ca*B), radial shells in a FROM loop, COMPARTMENT
CASHELL = """
NEURON {
    SUFFIX cashell
    USEION ca READ ica WRITE cai
    RANGE ca0v, ca1, cab3
}
DEFINE NS 4
UNITS { (mM) = (milli/liter) (mA) = (milliamp) (um) = (micron) FARADAY = (faraday) (coulomb) }
PARAMETER {
    DCa = 0.6 (um2/ms)
    kon = 100 (/mM-ms)
    koff = 0.1 (/ms)
    Btot = 0.05 (mM)
    cainf = 5e-5 (mM)
    taupump = 50 (ms)
}
ASSIGNED { ica (mA/cm2) cai (mM) diam (um) vol[NS] ca0v ca1 cab3 }
STATE { ca[NS] (mM) B[NS] (mM) CaB[NS] (mM) }
INITIAL {
    LOCAL k
    FROM k = 0 TO NS-1 {
        vol[k] = 1 + k
        ca[k] = cainf
        B[k] = Btot*koff/(koff + kon*cainf)
        CaB[k] = Btot - B[k]
    }
    cai = ca[0]
}
BREAKPOINT { SOLVE shells METHOD sparse }
KINETIC shells {
    COMPARTMENT i, vol[i] {ca B CaB}
    ~ ca[0] << (-ica*2/(2*FARADAY)*1e4)
    FROM i = 0 TO NS-2 {
        ~ ca[i] <-> ca[i+1] (DCa*2, DCa*2)
    }
    FROM i = 0 TO NS-1 {
        ~ ca[i] + B[i] <-> CaB[i] (kon, koff)
    }
    ~ ca[0] <-> ca[1] (0, 0)
    ~ ca[0] << ((cainf - ca[0])/taupump)
    cai = ca[0]
    ca0v = ca[0]
    ca1 = ca[1]
    cab3 = CaB[3]
}
"""

CACHAN = """
NEURON {
    SUFFIX cachan2
    USEION ca READ eca WRITE ica
    RANGE gca
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gca = 0.003 (S/cm2) }
ASSIGNED { v (mV) eca (mV) ica (mA/cm2) }
BREAKPOINT { ica = gca/(1 + exp(-(v + 30)/6))*(v - eca) }
"""

#: '->', stoichiometry 2, a rate whose text nocmodl pastes (a + b*X*X), euler/runge variants;
#: sparse also starts from STEADYSTATE sparse (non-linear: up to 7 one-step tries)
ODD = """
NEURON {
    SUFFIX {name}
    NONSPECIFIC_CURRENT i
    RANGE g
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { g = 0.002 (S/cm2) q = 0.4 }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { X Y Z }
INITIAL { X = 0.3 Y = 0.1 Z = 0 {init} }
BREAKPOINT {
    SOLVE ks METHOD {method}
    i = g*(X + Y)*(v + 80)
}
KINETIC ks {
    COMPARTMENT 2 {Y}
    ~ Z -> (0.05)
    ~ 2 X <-> Y (0.01 + q, 0.02*(1 + exp(v/30)))
    ~ Y <-> Z (0.1, 0.02)
    ~ X << (0.01*(1 + (v + 65)/10))
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
for m in MECHS:
    soma.insert(m)
soma.insert("pas")
soma.g_pas = 1e-4
soma.e_pas = -65
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 8, 0.15
seg = soma(0.5)
rec = {"v": n.Vector().record(seg._ref_v)}
for key, (mech, var) in RECORD.items():
    rec[key] = n.Vector().record(getattr(getattr(seg, mech), "_ref_" + var))
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(15)
    for k, vec in rec.items():
        OUT[f"{k}{so}"] = list(vec)
n.secondorder = 0
"""


def _script(mechs: list[str], record: dict[str, tuple[str, str]]) -> str:
    return f"MECHS = {mechs!r}\nRECORD = {record!r}\n" + SCRIPT


def test_linear_scheme_with_conserve_and_steadystate(tmp_path):
    out = check(
        tmp_path,
        {"kchan3.mod": KCHAN},
        _script(
            ["kchan3"],
            {"O": ("kchan3", "O"), "I": ("kchan3", "I"), "flux": ("kchan3", "flux")},
        ),
    )
    assert max(out["O0"]) > 2 * min(out["O0"])


def test_nonlinear_buffer_shells_compartments(tmp_path):
    out = check(
        tmp_path,
        {"cashell.mod": CASHELL, "cachan2.mod": CACHAN},
        _script(
            ["cashell", "cachan2"],
            {"ca0": ("cashell", "ca0v"), "ca1": ("cashell", "ca1"), "cab3": ("cashell", "cab3")},
        ),
    )
    assert max(out["ca00"]) > 2 * min(out["ca00"])


@pytest.mark.parametrize("method", ["sparse", "euler", "runge"])
def test_annihilation_stoichiometry_pasted_rate(tmp_path, method):
    name = f"odd{method}"
    init = "SOLVE ks STEADYSTATE sparse" if method == "sparse" else ""
    mod = ODD.replace("{name}", name).replace("{method}", method).replace("{init}", init)
    out = check(
        tmp_path,
        {f"{name}.mod": mod},
        _script([name], {"X": (name, "X"), "Y": (name, "Y"), "Z": (name, "Z")}),
    )
    assert max(out["Z0"]) > 0.01
