"""INCLUDE: the included file's blocks take the INCLUDE's place (nocmodl's search order)."""

from __future__ import annotations

import pytest
from oracle import check

from nmodl import NmodlError, compile_file

RATES_INC = """
FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
PROCEDURE rates(v (mV)) {
    alpha = 0.1*vtrap(-(v + 40), 10)
    beta = 4*exp(-(v + 65)/18)
}
"""

INCNA = """
NEURON {
    SUFFIX incna
    USEION na READ ena WRITE ina
    RANGE gbar
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gbar = 0.05 (S/cm2) }
ASSIGNED { v (mV) ena (mV) ina (mA/cm2) alpha beta }
STATE { m }
INCLUDE "rates.inc"
INITIAL { rates(v) m = alpha/(alpha + beta) }
BREAKPOINT {
    SOLVE d METHOD cnexp
    ina = gbar*m*m*m*(v - ena)
}
DERIVATIVE d { rates(v) m' = alpha*(1 - m) - beta*m }
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("incna")
soma.insert("pas")
soma.g_pas = 5e-4
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 1, 3, 0.05
v = n.Vector().record(soma(0.5)._ref_v)
m = n.Vector().record(soma(0.5).incna._ref_m)
n.finitialize(-65)
n.continuerun(8)
OUT["v"] = list(v)
OUT["m"] = list(m)
"""


@pytest.mark.neuron
def test_include_against_neuron(tmp_path):
    check(tmp_path, {"incna.mod": INCNA, "rates.inc": RATES_INC}, SCRIPT)


def test_error_in_included_file_names_that_file(tmp_path):
    (tmp_path / "bad.inc").write_text("FUNCTION f(x) {\n    f = x*undefined_name\n}\n")
    (tmp_path / "m.mod").write_text(
        'NEURON { SUFFIX m }\nINCLUDE "bad.inc"\nBREAKPOINT { LOCAL y y = f(1) }\n'
    )
    with pytest.raises(NmodlError) as info:
        compile_file(tmp_path / "m.mod")
    assert str(info.value).startswith(f"{tmp_path / 'bad.inc'}:2:11: undefined variable")
