"""Parser tests: every .mod file of the neuron wheel parses; grammar corner cases."""

from __future__ import annotations

import pytest
from nmodl_helpers import MECHANISMS, wheel_mod_files

from nmodl import ast, parse_file, parse_text

WHEEL = wheel_mod_files()


def test_wheel_has_the_expected_files():
    assert len(WHEEL) == 22


@pytest.mark.parametrize("path", WHEEL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_wheel_file_parses(path):
    program = parse_file(path)
    assert program.items


@pytest.mark.parametrize("name", ["hh.mod", "pas.mod", "IClamp.mod"])
def test_our_mechanisms_parse(name):
    program = parse_file(MECHANISMS / name)
    assert program.title


CORNERS = r"""
TITLE corner cases
COMMENT
 VERBATIM inside a COMMENT is a comment ENDVERBATIM
ENDCOMMENT
INDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }
DEFINE NANN 4
NEURON {
    SUFFIX corner
    USEION ca READ cai, cao WRITE ica VALENCE 2 REPRESENTS CHEBI:29108
    USEION na WRITE ina
    RANGE a, b : a comment
    GLOBAL g1 ? another comment
    POINTER p
    BBCOREPOINTER q
    EXTERNAL ext
    RANDOM r
    THREADSAFE
    REPRESENTS NCIT:C17145
}
UNITS {
    (mV) = (millivolt)
    (/ms) = (1/ms)
    FARADAY = (faraday) (coulomb)
    PI = (pi) (1)
    F = 96480 (coul)
}
PARAMETER {
    a = .5 (mV) <-1e9, 1e9>
    b = 1. (/ms)
    c = 1e-3 (1)
    v (mV)
    celsius
    arr[NANN] (um)
}
CONSTANT { volo = 1 (liter) }
ASSIGNED { ica (mA/cm2) ina vol[NANN] (1) g1 }
STATE { x (mM) <1e-6> y FROM 0 TO 1 ca[NANN] z }
LOCAL frat[NANN], toplocal
INITIAL {
    LOCAL k
    x = 0 y = 1
    IF (x < 1) { k = 2 } ELSE IF (x > 2) { k = 3 } else { k = 4 }
    FROM i=0 TO NANN-1 BY 1 { ca[i] = cai*1(um) }
    WHILE (k > 0) { k = k - 1 }
    VERBATIM
    /* C code */ ENDVERBATIM  k = 1
    printf("t=%g: x=%g\n", t, x)
    net_send(0, 1)
}
BREAKPOINT {
    SOLVE states METHOD cnexp
    SOLVE kin STEADYSTATE sparse
    SOLVE nothing
    ica = -a^2^b + !c && (a || b) - 2 (mV) % 3
    UNITSOFF
    PROTECT ina = ina + 1
    MUTEXLOCK
    MUTEXUNLOCK
    UNITSON
    ;
}
DERIVATIVE states { x' = -x/b  y' = (1 - y)*a }
KINETIC kin {
    COMPARTMENT i, (1+b)*vol[i]*1(um) {ca}
    COMPARTMENT volo*(1e15) {cao}
    LONGITUDINAL_DIFFUSION i, 1(um)*arr[i] {ca}
    ~ ca[0] << (-(ica)*PI)
    FROM i=0 TO NANN-2 { ~ ca[i] <-> ca[i+1] (a*frat[i+1]*1(um), a) }
    ~ 2 ca[0] + z <-> x (a, b)
    ~ x -> (a)
    CONSERVE x + z = 1
    f_flux = b_flux
}
LINEAR lin SOLVEFOR x, y { ~ x + y = 1  ~ x - y = a }
NONLINEAR nonlin { ~ x*x = y }
DISCRETE disc { x = x@1 }
PARTIAL part { x = 1 }
PROCEDURE p(v (mV), w) (ms) {
    TABLE x DEPEND celsius FROM -100 TO 100 WITH 200
    x = w
}
FUNCTION f(u) (/ms) { f = exp(u)*fabs(u) }
FUNCTION_TABLE tau(v (mV)) (ms)
NET_RECEIVE (w (uS), tsyn) {
    INITIAL { tsyn = t }
    WATCH (v > -20) 2, (v < a) 3
    FOR_NETCONS(w1, t1) { t1 = 0 }
    if (flag == 1) { net_event(t) }
}
BEFORE BREAKPOINT { x = 0 }
AFTER SOLVE { x = 0 }
CONSTRUCTOR { VERBATIM ENDVERBATIM }
DESTRUCTOR { }
"""


def test_corner_cases_parse():
    program = parse_text(CORNERS, "corners.mod")
    kinds = [getattr(i, "kind", type(i).__name__) for i in program.items]
    for expected in [
        "KINETIC",
        "LINEAR",
        "NONLINEAR",
        "DISCRETE",
        "PARTIAL",
        "NET_RECEIVE",
        "BEFORE",
        "AFTER",
        "CONSTRUCTOR",
        "DESTRUCTOR",
        "PARAMETER",
        "STATE",
    ]:
        assert expected in kinds
    assert program.title == "corner cases"
    kin = next(i for i in program.items if getattr(i, "kind", "") == "KINETIC")
    reactions = [s for s in kin.body.stmts if isinstance(s, ast.Reaction)]
    assert reactions[-1].lhs[0].coefficient == 2
    neuron = next(i for i in program.items if isinstance(i, ast.NeuronBlock))
    useion = next(s for s in neuron.stmts if isinstance(s, ast.UseIon))
    assert useion.valence == 2 and [n.name for n in useion.read] == ["cai", "cao"]


def test_positions_are_source_positions():
    program = parse_text("NEURON {\n\tSUFFIX x\n}\nPARAMETER {\n  gbar = 1 (S/cm2)\n}\n")
    param = program.items[1]
    assert (param.decls[0].line, param.decls[0].col) == (5, 3)


def test_number_with_unit_and_prime():
    program = parse_text("STATE { m }\nDERIVATIVE d { m' = -m/1(ms) + 2 (mV) }")
    assign = program.items[1].body.stmts[0]
    assert isinstance(assign.target, ast.Prime)
    assert assign.value.right.unit == "mV"


def test_crlf_and_latin1(tmp_path):
    path = tmp_path / "x.mod"
    path.write_bytes("NEURON {\r\n SUFFIX x : caf\xe9\r\n}\r\n".encode("latin-1"))
    program = parse_file(path)
    assert program.items[0].stmts[0].names[0].name == "x"
