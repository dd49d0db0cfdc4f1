"""cnexp: the exact exponential update of ODEs linear in their own state, as nocmodl does it.

nocmodl (``diffeq.ypp``) splits each right-hand side syntactically into ``A*x + B`` and
emits ``x = x + (1. - exp(dt*(A)))*(- (B) / (A) - x)``; if A is zero,
``x = x - dt*(- (B))``. The A and B expression trees built here follow diffeq.ypp's
rules term by term, so the generated arithmetic is nocmodl's, operation for operation.
A right-hand side with the state in a denominator or a function argument makes nocmodl
fall back to derivimplicit for the whole block (`NeedsDerivimplicit`). A product of two
state terms makes nocmodl emit ``x = x + (1. - exp(dt*(dF/dx)))*( - x)`` (its right-hand
side text is lost); that is reproduced here, since it is what NEURON computes.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import ir

#: an (A, B) pair; None stands for nocmodl's "0.0" (an absent term)
_Lin = tuple[ir.Expr | None, ir.Expr | None]


class _NonLinear(Exception):
    def __init__(self, reason: str, kind: str = "d_invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        #: diffeq.ypp's flags: 'd_invalid' (no derivative: derivimplicit fallback),
        #: 'eq_invalid' (no linear form: nocmodl's lossy update)
        self.kind = kind


class NeedsDerivimplicit(Exception):
    """nocmodl compiles this cnexp block with derivimplicit (a state in a denominator or in
    a function argument)."""

    def __init__(self, state: str, reason: str, line: int, col: int) -> None:
        super().__init__(f"{state}': {reason}")
        self.state = state
        self.reason = reason
        self.line = line
        self.col = col


def _contains(e: ir.Expr, state: ir.Var) -> bool:
    if isinstance(e, ir.Var):
        return e.kind == state.kind and e.index == state.index and e.offset is None
    if isinstance(e, ir.BinOp):
        return _contains(e.left, state) or _contains(e.right, state)
    if isinstance(e, (ir.Neg, ir.Not)):
        return _contains(e.operand, state)
    if isinstance(e, ir.Pow):
        return _contains(e.base, state) or _contains(e.exponent, state)
    if isinstance(e, (ir.Builtin, ir.CallFunc)):
        return any(_contains(a, state) for a in e.args)
    return False


def linearize(e: ir.Expr, state: ir.Var) -> _Lin:
    """Split ``e`` into (A, B) with e = A*state + B, by diffeq.ypp's rules.

    Raises:
        _NonLinear: when nocmodl would not produce a linear form.
    """
    if isinstance(e, ir.Var) and e.kind == state.kind and e.index == state.index:
        if e.offset is not None:
            return None, e
        return ir.Const(1.0), None
    if isinstance(e, (ir.Const, ir.Var)):
        return None, e
    if isinstance(e, (ir.Builtin, ir.CallFunc, ir.Pow)):
        if _contains(e, state):
            raise _NonLinear("the state appears inside a function call or '^'")
        return None, e
    if isinstance(e, ir.Neg):
        a, b = linearize(e.operand, state)
        return (ir.Neg(a) if a is not None else None), (ir.Neg(b) if b is not None else None)
    if isinstance(e, ir.BinOp):
        if e.op in ("+", "-"):
            a1, b1 = linearize(e.left, state)
            a3, b3 = linearize(e.right, state)
            return _addsub(e.op, a1, a3), _addsub(e.op, b1, b3)
        if e.op == "*":
            a1, b1 = linearize(e.left, state)
            a3, b3 = linearize(e.right, state)
            if a1 is not None and a3 is not None:
                raise _NonLinear("a product of two terms containing the state", "eq_invalid")
            a: ir.Expr | None = None
            if a1 is not None:
                a = ir.BinOp("*", a1, b3) if b3 is not None else None
            elif a3 is not None:
                a = ir.BinOp("*", b1, a3) if b1 is not None else None
            b = ir.BinOp("*", b1, b3) if b1 is not None and b3 is not None else None
            return a, b
        if e.op == "/":
            if _contains(e.right, state):
                raise _NonLinear("the state appears in a denominator")
            a1, b1 = linearize(e.left, state)
            a = ir.BinOp("/", a1, e.right) if a1 is not None else None
            b = ir.BinOp("/", b1, e.right) if b1 is not None else None
            return a, b
        if not _contains(e, state):
            raise _NonLinear(f"operator '{e.op}' in a derivative", "unsupported")
    raise _NonLinear("an expression nocmodl cannot linearize", "unsupported")


def derivative(e: ir.Expr, state: ir.Var) -> ir.Expr | None:
    """d(e)/d(state) by diffeq.ypp's rules (None is its "0.0").

    Raises:
        _NonLinear: (d_invalid) the state is in a denominator or a function argument.
    """
    if isinstance(e, ir.Var):
        if e.kind == state.kind and e.index == state.index and e.offset is None:
            return ir.Const(1.0)
        return None
    if isinstance(e, ir.Const):
        return None
    if isinstance(e, (ir.Builtin, ir.CallFunc, ir.Pow)):
        if _contains(e, state):
            raise _NonLinear("the state appears inside a function call or '^'")
        return None
    if isinstance(e, ir.Neg):
        d = derivative(e.operand, state)
        return ir.Neg(d) if d is not None else None
    if isinstance(e, ir.BinOp):
        if e.op in ("+", "-"):
            return _addsub(e.op, derivative(e.left, state), derivative(e.right, state))
        if e.op == "*":
            d1 = derivative(e.left, state)
            d3 = derivative(e.right, state)
            if d1 is not None and d3 is not None:
                return ir.BinOp("+", ir.BinOp("*", d1, e.right), ir.BinOp("*", e.left, d3))
            if d1 is not None:
                return ir.BinOp("*", d1, e.right)
            if d3 is not None:
                return ir.BinOp("*", e.left, d3)
            return None
        if e.op == "/":
            if _contains(e.right, state):
                raise _NonLinear("the state appears in a denominator")
            d1 = derivative(e.left, state)
            return ir.BinOp("/", d1, e.right) if d1 is not None else None
        if not _contains(e, state):
            raise _NonLinear(f"operator '{e.op}' in a derivative", "unsupported")
    raise _NonLinear("an expression nocmodl cannot differentiate", "unsupported")


def _addsub(op: str, x: ir.Expr | None, y: ir.Expr | None) -> ir.Expr | None:
    if x is not None and y is not None:
        return ir.BinOp(op, x, y)
    if x is not None:
        return x
    if y is not None:
        return ir.Neg(y) if op == "-" else y
    return None


def update(state: ir.Var, rhs: ir.Expr) -> ir.Assign:
    """The cnexp update statement of ``state' = rhs`` (nocmodl's exact form)."""
    dt = ir.Var("scalar", "dt", 1)
    try:
        a, b = linearize(rhs, state)
    except _NonLinear as exc:
        if exc.kind != "eq_invalid":
            raise
        de = derivative(rhs, state)
        assert de is not None
        decay = ir.BinOp("-", ir.Const(1.0), ir.Builtin("exp", (ir.BinOp("*", dt, de),)))
        return ir.Assign(state, ir.BinOp("+", state, ir.BinOp("*", decay, ir.Neg(state))))
    if a is None:
        # x = x - dt*(- ( B ) )
        neg_b = ir.Neg(b if b is not None else ir.Const(0.0))
        return ir.Assign(state, ir.BinOp("-", state, ir.BinOp("*", dt, neg_b)))
    bb = b if b is not None else ir.Const(0.0)
    decay = ir.BinOp("-", ir.Const(1.0), ir.Builtin("exp", (ir.BinOp("*", dt, a),)))
    target = ir.BinOp("-", ir.BinOp("/", ir.Neg(bb), a), state)
    return ir.Assign(state, ir.BinOp("+", state, ir.BinOp("*", decay, target)))


def solve(body: list[ir.Stmt], refuse: Callable[[str, int, int], Exception]) -> list[ir.Stmt]:
    """Rewrite a DERIVATIVE block's statements into cnexp updates, in source order.

    Args:
        body: lowered DERIVATIVE statements (with `ir.Derivative` for each ``x' =``).
        refuse: builds the exception to raise for an equation nocmodl cannot handle
            (message, line, column).

    Raises:
        NeedsDerivimplicit: nocmodl would solve the whole block with derivimplicit.
    """
    for st in body:
        if isinstance(st, ir.Derivative):
            try:
                derivative(st.rhs, st.state)
            except _NonLinear as exc:
                if exc.kind == "d_invalid":
                    raise NeedsDerivimplicit(st.state.name, exc.reason, st.line, st.col) from None
    out: list[ir.Stmt] = []
    for st in body:
        if isinstance(st, ir.Derivative):
            try:
                out.append(update(st.state, st.rhs))
            except _NonLinear as exc:
                raise refuse(
                    f"the cnexp equation {st.state.name}' ({exc.reason})", st.line, st.col
                ) from None
        elif isinstance(st, (ir.If, ir.While, ir.For)) and _has_derivative(st):
            raise refuse("a derivative inside if/while/FROM with METHOD cnexp", 0, 0)
        else:
            out.append(st)
    return out


def _has_derivative(st: ir.Stmt) -> bool:
    if isinstance(st, ir.Derivative):
        return True
    if isinstance(st, ir.If):
        return any(_has_derivative(s) for s in st.body + st.orelse)
    if isinstance(st, (ir.While, ir.For)):
        return any(_has_derivative(s) for s in st.body)
    return False
