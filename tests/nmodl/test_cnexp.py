"""cnexp: nocmodl's A*x + B split and update formula, term by term."""

from __future__ import annotations

import pytest

from nmodl import ir
from nmodl.solve.cnexp import _NonLinear, linearize, update

X = ir.Var("range", "x", 0)
K = ir.Var("global", "k", 0)
TAU = ir.Var("range", "tau", 1)


def c(v):
    return ir.Const(v)


def test_relaxation_form_matches_nocmodl():
    # (minf - x)/tau -> A = (-1.0)/tau, B = minf/tau   (hh.cpp: "( ( ( - 1.0 ) ) ) / mtau")
    minf = ir.Var("range", "minf", 2)
    a, b = linearize(ir.BinOp("/", ir.BinOp("-", minf, X), TAU), X)
    assert a == ir.BinOp("/", ir.Neg(c(1.0)), TAU)
    assert b == ir.BinOp("/", minf, TAU)


def test_mixed_terms_match_nocmodl():
    # 2*x + k*(3 - x) -> A = (2)*(1.0) + (k)*(-1.0), B = (k)*(3)   (from nocmodl's output)
    e = ir.BinOp("+", ir.BinOp("*", c(2.0), X), ir.BinOp("*", K, ir.BinOp("-", c(3.0), X)))
    a, b = linearize(e, X)
    assert a == ir.BinOp("+", ir.BinOp("*", c(2.0), c(1.0)), ir.BinOp("*", K, ir.Neg(c(1.0))))
    assert b == ir.BinOp("*", K, c(3.0))


def test_no_state_gives_euler_form():
    st = update(X, K)
    # x = x - dt*(- ( k ) )
    dt = ir.Var("scalar", "dt", 1)
    assert st == ir.Assign(X, ir.BinOp("-", X, ir.BinOp("*", dt, ir.Neg(K))))


def test_decay_without_constant_term():
    st = update(X, ir.BinOp("/", ir.Neg(X), TAU))
    a = ir.BinOp("/", ir.Neg(c(1.0)), TAU)
    dt = ir.Var("scalar", "dt", 1)
    decay = ir.BinOp("-", c(1.0), ir.Builtin("exp", (ir.BinOp("*", dt, a),)))
    target = ir.BinOp("-", ir.BinOp("/", ir.Neg(c(0.0)), a), X)
    assert st == ir.Assign(X, ir.BinOp("+", X, ir.BinOp("*", decay, target)))


@pytest.mark.parametrize(
    "rhs",
    [
        ir.BinOp("*", X, X),
        ir.BinOp("/", K, X),
        ir.Builtin("exp", (X,)),
        ir.Pow(X, c(2.0)),
    ],
)
def test_nonlinear_is_detected(rhs):
    with pytest.raises(_NonLinear):
        linearize(rhs, X)
