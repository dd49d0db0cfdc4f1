"""Error reporting: each mistake gives file:line:col, the source line, a caret and a
specific message; valid NMODL we do not handle is refused by name (UnsupportedConstruct)."""

from __future__ import annotations

import pytest

from nmodl import NmodlError, UnsupportedConstruct, compile_text

HEAD = "NEURON { SUFFIX t NONSPECIFIC_CURRENT i }\nASSIGNED { v i }\n"

CASES = [
    # (id, text, line, col, fragment of the message)
    ("syntax", HEAD + "PARAMETER { g = 1 }\nBREAKPOINT { i = g * }\n", 4, 22, "unexpected"),
    (
        "unclosed_brace",
        HEAD + "PARAMETER { g = 1 }\nBREAKPOINT {\n  i = g\n",
        4,
        12,
        "unclosed '{'",
    ),
    (
        "undefined_variable",
        HEAD + "PARAMETER { g = 1 }\nBREAKPOINT { i = gg*v }\n",
        4,
        18,
        "undefined variable 'gg'",
    ),
    (
        "unknown_block",
        HEAD + "PARAMETER { g = 1 }\nBREAKPINT { i = g }\n",
        4,
        1,
        "unknown block 'BREAKPINT'",
    ),
    (
        "assign_constant",
        HEAD + "PARAMETER { g = 1 }\nCONSTANT { c = 2 }\nBREAKPOINT { c = 3  i = g }\n",
        5,
        14,
        "cannot assign to the constant 'c'",
    ),
    (
        "duplicate_declaration",
        HEAD + "PARAMETER { g = 1 }\nSTATE { g }\nBREAKPOINT { i = g }\n",
        4,
        9,
        "duplicate declaration of 'g'",
    ),
    (
        "unknown_solve_target",
        HEAD + "PARAMETER { g = 1 }\nBREAKPOINT { SOLVE foo METHOD cnexp i = g }\n",
        4,
        14,
        "SOLVE target 'foo'",
    ),
    (
        "unknown_method",
        HEAD + "PARAMETER { g = 1 }\nSTATE { m }\nBREAKPOINT { SOLVE d METHOD cnexpp i = g }\n"
        "DERIVATIVE d { m' = -m }\n",
        5,
        29,
        "unknown integration METHOD 'cnexpp'",
    ),
    (
        "undefined_function",
        HEAD + "PARAMETER { g = 1 }\nBREAKPOINT { i = g*rate(v) }\n",
        4,
        20,
        "call of undefined function 'rate'",
    ),
    (
        "wrong_arg_count",
        HEAD + "PARAMETER { g = 1 }\nFUNCTION f(x, y) { f = x*y }\nBREAKPOINT { i = f(v) }\n",
        5,
        18,
        "takes 2 argument(s), 1 given",
    ),
    (
        "prime_of_non_state",
        HEAD + "PARAMETER { g = 1 }\nSTATE { m }\nBREAKPOINT { SOLVE d METHOD cnexp i = g }\n"
        "DERIVATIVE d { g' = -m }\n",
        6,
        16,
        "'g' is not a STATE variable",
    ),
    ("missing_paren", HEAD + "PARAMETER { g = 1 }\nBREAKPOINT { i = (g*v }\n", 4, 23, "')'"),
    ("unexpected_close", HEAD + "PARAMETER { g = 1 }\n}\n", 4, 1, "no block is open"),
    (
        "bad_ion_variable",
        "NEURON { SUFFIX t USEION na READ eca }\n",
        1,
        34,
        "'eca' is not a variable of ion 'na'",
    ),
    ("missing_include", 'INCLUDE "x.inc"\n', 1, 1, 'cannot find INCLUDE "x.inc"'),
    (
        "for_netcons_arguments",
        "NEURON { POINT_PROCESS t }\nNET_RECEIVE (w) { FOR_NETCONS (x, y) { x = 0 } }\n",
        2,
        19,
        "FOR_NETCONS and NET_RECEIVE do not have the same number of arguments (2 and 1)",
    ),
    (
        "nonlinear_equation_count",
        HEAD + "STATE { a b }\nBREAKPOINT { SOLVE nl }\nNONLINEAR nl { ~ a*b = 1 }\n",
        5,
        1,
        "number of equations, 1, does not equal number, 2 of states used",
    ),
    (
        "nonlinear_method",
        HEAD + "STATE { a }\nBREAKPOINT { SOLVE nl METHOD sparse }\nNONLINEAR nl { ~ a*a = 1 }\n",
        4,
        30,
        "METHOD sparse cannot solve a NONLINEAR block",
    ),
    (
        "call_derivative",
        HEAD + "STATE { m }\nDERIVATIVE d { m' = -m }\nBREAKPOINT { d() }\n",
        5,
        14,
        "DERIVATIVE block",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_is_located_and_specific(case):
    _id, text, line, col, fragment = case
    with pytest.raises(NmodlError) as info:
        compile_text(text, "bad.mod")
    exc = info.value
    assert not isinstance(exc, UnsupportedConstruct)
    message = str(exc)
    assert fragment in message, message
    if line is not None:
        assert message.startswith(f"bad.mod:{line}:{col}: "), message
        lines = message.split("\n")
        source_line = text.split("\n")[line - 1]
        assert lines[1].strip() == source_line.strip()
        assert lines[2].index("^") - 4 == col - 1


UNSUPPORTED = [
    (
        "cnexp_comparison",
        HEAD + "PARAMETER { g = 1 }\nSTATE { m }\nBREAKPOINT { SOLVE d METHOD cnexp i = g }\n"
        "DERIVATIVE d { m' = (m > 1) - m }\n",
        6,
        16,
        "the cnexp equation m'",
    ),
    (
        "kinetic_without_method",
        HEAD + "STATE { a b }\nBREAKPOINT { SOLVE k }\nKINETIC k { ~ a <-> b (1, 1) }\n",
        4,
        14,
        "without METHOD on a KINETIC block",
    ),
    ("discrete", HEAD + "DISCRETE d { }\n", 3, 1, "DISCRETE block 'd' is not supported"),
    (
        "steadystate_cnexp",
        HEAD + "STATE { m }\nINITIAL { SOLVE d STEADYSTATE cnexp }\nDERIVATIVE d { m' = -m }\n",
        4,
        31,
        "STEADYSTATE cnexp",
    ),
    (
        "longitudinal_diffusion",
        HEAD + "STATE { a b }\nBREAKPOINT { SOLVE k METHOD sparse }\nKINETIC k {\n"
        "  ~ a <-> b (1, 1)\n  LONGITUDINAL_DIFFUSION 0.1 {a}\n}\n",
        7,
        3,
        "LONGITUDINAL_DIFFUSION",
    ),
]


@pytest.mark.parametrize("case", UNSUPPORTED, ids=[c[0] for c in UNSUPPORTED])
def test_unsupported_construct_is_named_and_located(case):
    _id, text, line, col, fragment = case
    with pytest.raises(UnsupportedConstruct) as info:
        compile_text(text, "new.mod")
    message = str(info.value)
    assert fragment in message, message
    assert message.startswith(f"new.mod:{line}:{col}: "), message
    assert "^" in message.split("\n")[2]


def test_error_message_is_one_screen():
    with pytest.raises(NmodlError) as info:
        compile_text(HEAD + "BREAKPOINT { i = gg }\n", "x.mod")
    assert str(info.value) == (
        "x.mod:3:18: undefined variable 'gg'\n    BREAKPOINT { i = gg }\n                     ^"
    )
