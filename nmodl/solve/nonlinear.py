"""NONLINEAR blocks: ``~ lhs = rhs`` equations solved by scopmath's ``newton``.

nocmodl (``simultan.cpp``, ``parse1.ypp``) turns each equation into ``_dlist[++_counte] =
-(lhs) + rhs`` inside a function of no arguments and calls ``newton<n>(_slist, ...)`` on it:
the residuals in equation order, the unknowns the STATEs the equations mention (those in the
SOLVEFOR list when there is one) in the order nocmodl's symbol table visits them
(`nmodl.solve.ode.symtab_order`). ``newton`` is the same central-difference Newton iteration
as derivimplicit's (50 iterations, Crout LU, the Jacobian rebuilt while the relative change
exceeds 0.05); a failure aborts the run, as nocmodl's ``abort_run(error)``. The number of
equations must equal the number of unknowns, as nocmodl checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import ast, ir
from . import ode

if TYPE_CHECKING:
    from ..lower import Lowerer, _Scope


class NonlinearLowering:
    """Lowers the equations of one NONLINEAR block (installed as ``Lowerer.linear``): each
    ``~`` statement stores its residual into the next entry of the residual vector."""

    def __init__(self, lw: Lowerer) -> None:
        self.lw = lw

    def equation(self, st: ast.Equation, scope: _Scope) -> list[ir.Stmt]:
        lw = self.lw
        counte = ir.Var("local", "_counte")
        residual = ir.BinOp("+", ir.Neg(lw._expr(st.lhs, scope)), lw._expr(st.rhs, scope))
        return [
            ir.Assign(counte, ir.BinOp("+", counte, ir.Const(1.0))),
            ir.Assign(ir.Var("matrix", "", 0, counte), residual),
        ]


def _equations(block: ast.CodeBlock) -> int:
    from .kinetic import _walk

    return sum(isinstance(st, ast.Equation) for st in _walk(block.body.stmts))


def solve(lw: Lowerer, st: ast.Solve, method: str | None, mloc: ast.Node) -> list[ir.Stmt]:
    """``SOLVE nl`` (METHOD newton, the default): the residual function, then newton."""
    from .linear import equation_states, lower_equations

    if method not in (None, "newton"):
        raise lw.error(f"METHOD {method} cannot solve a NONLINEAR block", mloc)
    if st.kind == "STEADYSTATE":
        raise lw.error("STEADYSTATE cannot solve a NONLINEAR block", mloc)
    block = lw.sym.nonlinears[st.block]
    key = f"{st.block}_newton"
    prev = lw._at(block)
    try:
        if key not in lw.mech.ode_solvers:
            states = equation_states(lw, block, "NONLINEAR")
            count = _equations(block)
            if count != len(states):
                raise lw.error(
                    f"NONLINEAR '{block.name}': number of equations, {count}, does not equal "
                    f"number, {len(states)} of states used",
                    block,
                )
            order = [states[k] for k in ode.symtab_order(states, lw.program.names)]
            body = lower_equations(lw, block, "NONLINEAR", NonlinearLowering(lw))
            lw.mech.ode_solvers[key] = ir.OdeSolver(
                key=key,
                block=st.block,
                method="newton",
                body=tuple(body),
                rows=[lw.vars[name].index for name in order],
                drows=[],
                newton=list(range(len(order))),
            )
    finally:
        lw.origin = prev
    return [ir.SolveOde(key, False)]
