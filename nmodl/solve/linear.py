"""LINEAR blocks: ``~ lhs = rhs`` equations in the states, solved by scopmath's ``simeq``.

nocmodl (``simultan.cpp``, ``parse1.ypp``) numbers the states in order of first appearance in
the equations and turns each equation into one row of ``_coef`` (n rows, n + 1 columns, the
last the right-hand side): a term with a state adds, with its sign, the term with the state
replaced by ``1.0`` to that state's column (left-hand side terms subtracted, right-hand side
terms added), a term without a state goes to the right-hand side with the opposite sign. The
row is ``_counte``, counted up by each equation as it runs. ``simeq`` is Gaussian elimination
with partial pivoting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ast, ir

if TYPE_CHECKING:
    from ..lower import Lowerer, _Scope


def _terms(e: ast.Expr, sign: int) -> list[tuple[int, ast.Expr]]:
    """A linear expression as (sign, primary) terms: the top-level + and - chain."""
    if isinstance(e, ast.BinOp) and e.op in ("+", "-"):
        right_sign = sign if e.op == "+" else -sign
        return _terms(e.left, sign) + [(right_sign, e.right)]
    if isinstance(e, ast.Neg):
        return [(-sign, e.operand)]
    stripped = _strip_leading_minus(e)
    if stripped is not None:  # '-a*b': C binds the minus to 'a', nocmodl's grammar to 'a*b'
        return [(-sign, stripped)]
    return [(sign, e)]


def _strip_leading_minus(e: ast.Expr) -> ast.Expr | None:
    """``(-a)*b/c`` -> ``a*b/c`` (None when the leftmost factor has no minus)."""
    if isinstance(e, ast.Neg):
        return e.operand
    if isinstance(e, ast.BinOp) and e.op in ("*", "/"):
        left = _strip_leading_minus(e.left)
        if left is not None:
            return ast.BinOp(e.op, left, e.right, line=e.line, col=e.col)
    return None


def _state_factor(e: ast.Expr, states: set[str]) -> list[str]:
    """States among the factors of a product ``a*b/c`` (a state in a divisor is refused)."""
    if isinstance(e, ast.BinOp) and e.op in ("*", "/"):
        found = _state_factor(e.left, states)
        if e.op == "/" and _state_factor(e.right, states):
            return ["/"]
        return found + _state_factor(e.right, states) if e.op == "*" else found
    if isinstance(e, ast.Name) and e.name in states:
        return [e.name]
    return []


def _replace(e: ast.Expr, name: str) -> ast.Expr:
    """The product ``e`` with its state factor ``name`` replaced by 1.0 (nocmodl's text)."""
    if isinstance(e, ast.Name) and e.name == name:
        return ast.Number(1.0, "1.0", line=e.line, col=e.col)
    if isinstance(e, ast.BinOp) and e.op in ("*", "/"):
        return ast.BinOp(e.op, _replace(e.left, name), _replace(e.right, name), line=e.line)
    return e


class LinearLowering:
    """Lowers the equations of one LINEAR block (installed as ``Lowerer.linear``)."""

    def __init__(self, lw: Lowerer, block: ast.CodeBlock, states: list[str]) -> None:
        self.lw = lw
        self.block = block
        self.order = states  # in order of first appearance
        self.n = len(states)

    def equation(self, st: ast.Equation, scope: _Scope) -> list[ir.Stmt]:
        lw = self.lw
        counte = ir.Var("local", "_counte")
        out: list[ir.Stmt] = [ir.Assign(counte, ir.BinOp("+", counte, ir.Const(1.0)))]
        width = float(self.n + 1)
        terms = [(-s, t) for s, t in _terms(st.lhs, 1)] + _terms(st.rhs, 1)
        states = set(self.order)
        for sign, term in terms:
            found = _state_factor(term, states)
            if "/" in found or len(found) > 1:
                raise lw.error("a LINEAR equation term must hold at most one state", term)
            if found:
                col = float(self.order.index(found[0]))
                value = lw._expr(_replace(term, found[0]), scope)
            else:
                col = float(self.n)
                sign = -sign
                value = lw._expr(term, scope)
            offset = ir.BinOp("+", ir.BinOp("*", counte, ir.Const(width)), ir.Const(col))
            target = ir.Var("matrix", "", 0, offset)
            op = "+" if sign > 0 else "-"
            out.append(ir.Assign(target, ir.BinOp(op, target, value)))
        return out


def _first_states(lw: Lowerer, block: ast.CodeBlock) -> list[str]:
    """The states of the block's equations in order of first appearance."""
    from .kinetic import _walk

    states = {n for n, d in lw.sym.decls.items() if d.block == "STATE"}
    solvefor = set(block.solvefor)
    order: list[str] = []

    def visit(e: ast.Node) -> None:
        if isinstance(e, ast.Name) and e.name in states and (not solvefor or e.name in solvefor):
            if e.name not in order:
                order.append(e.name)
        for child in getattr(e, "__dict__", {}).values():
            if isinstance(child, ast.Node):
                visit(child)
            elif isinstance(child, tuple):
                for c in child:
                    if isinstance(c, ast.Node):
                        visit(c)

    for st in _walk(block.body.stmts):
        if isinstance(st, ast.Equation):
            visit(st.lhs)
            visit(st.rhs)
    return order


def equation_states(lw: Lowerer, block: ast.CodeBlock, kind: str) -> list[str]:
    """The STATEs of a LINEAR/NONLINEAR block's equations, first appearance first (scalars
    only; a block without any is an error)."""
    order = _first_states(lw, block)
    if not order:
        raise lw.error(f"{kind} '{block.name}' has no equations in STATEs", block)
    for name in order:
        if lw.vars[name].size != 1:
            raise lw.unsupported(f"an array STATE in a {kind} block", block)
    return order


def lower_equations(lw: Lowerer, block: ast.CodeBlock, kind: str, lowering: Any) -> list[ir.Stmt]:
    """The block's statements with ``lowering`` handling its ``~`` equations, after nocmodl's
    equation counter ``_counte = -1``."""
    from ..lower import _Scope

    saved, lw.linear = lw.linear, lowering
    try:
        scope = _Scope()
        scope.names["_counte"] = ir.Var("local", "_counte")
        return [
            ir.DeclareLocal("_counte"),
            ir.Assign(ir.Var("local", "_counte"), ir.Const(-1.0)),
            *lw._block(block.body, kind, scope),
        ]
    finally:
        lw.linear = saved


def solve(lw: Lowerer, st: ast.Solve, method: str | None, where: str, mloc: ast.Node) -> list:
    """``SOLVE lin`` (METHOD simeq, the default): the block's system, then simeq."""

    if method not in (None, "simeq"):
        raise lw.error(f"METHOD {method} cannot solve a LINEAR block", mloc)
    if st.kind == "STEADYSTATE":
        raise lw.error("STEADYSTATE cannot solve a LINEAR block", mloc)
    block = lw.sym.linears[st.block]
    key = f"{st.block}_simeq"
    prev = lw._at(block)
    try:
        if key not in lw.mech.ode_solvers:
            order = equation_states(lw, block, "LINEAR")
            body = lower_equations(lw, block, "LINEAR", LinearLowering(lw, block, order))
            lw.mech.ode_solvers[key] = ir.OdeSolver(
                key=key,
                block=st.block,
                method="simeq",
                body=tuple(body),
                rows=[lw.vars[name].index for name in order],
                drows=[],
            )
    finally:
        lw.origin = prev
    return [ir.SolveOde(key, False)]
