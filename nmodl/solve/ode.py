"""derivimplicit, euler and runge: DERIVATIVE blocks turned into the pieces nocmodl builds.

nocmodl (``deriv.cpp``) turns each ``x' = f`` into an assignment ``Dx = f`` and hands the
block to a scopmath integrator that calls it as a function:

* ``derivimplicit``: backward Euler, solved by ``nrn_newton_thread`` (central-difference
  Jacobian, Crout LU), with residuals ``Dx - (x - x_saved)/dt`` in the order of the ``x' =``
  equations (``_slist1``) and the unknowns in the order of nocmodl's symbol table
  (``_slist2``: `symtab_order`);
* ``euler``: all derivatives, then ``x += dt*Dx``;
* ``runge``: scopmath's 4th-order Runge-Kutta, moving ``t`` as it goes.

This module only rewrites statements; the printers emit the integrators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import ir


def derivative_states(body: Sequence[ir.Stmt]) -> list[ir.Derivative]:
    """The ``x' =`` statements of a block in source order (nested blocks included)."""
    out: list[ir.Derivative] = []

    def walk(stmts: Sequence[ir.Stmt]) -> None:
        for st in stmts:
            if isinstance(st, ir.Derivative):
                out.append(st)
            elif isinstance(st, ir.If):
                walk(st.body)
                walk(st.orelse)
            elif isinstance(st, (ir.While, ir.For)):
                walk(st.body)

    walk(body)
    return out


def assign_derivatives(
    body: Sequence[ir.Stmt], dvar: Callable[[ir.Var], ir.Var]
) -> tuple[ir.Stmt, ...]:
    """Replace every ``x' = f`` by ``Dx = f`` (``dvar(x)`` gives the Dx variable)."""
    out: list[ir.Stmt] = []
    for st in body:
        if isinstance(st, ir.Derivative):
            out.append(ir.Assign(dvar(st.state), st.rhs))
        elif isinstance(st, ir.If):
            out.append(
                ir.If(
                    st.cond, assign_derivatives(st.body, dvar), assign_derivatives(st.orelse, dvar)
                )
            )
        elif isinstance(st, ir.While):
            out.append(ir.While(st.cond, assign_derivatives(st.body, dvar)))
        elif isinstance(st, ir.For):
            out.append(
                ir.For(st.var, st.start, st.stop, st.step, assign_derivatives(st.body, dvar))
            )
        else:
            out.append(st)
    return tuple(out)


def symtab_order(states: Sequence[str], first_seen: Sequence[str]) -> list[int]:
    """Positions of ``states`` in the order nocmodl's ``SYMITER`` visits them.

    nocmodl keeps one list per first character and inserts each new symbol at its head, so the
    iteration runs by first character ('A' .. 'z') and, within one character, from the most
    recently installed name back. A name is installed when the lexer first meets it.
    """
    seen = {name: k for k, name in enumerate(first_seen)}
    missing = len(seen)

    def key(pos: int) -> tuple[int, int]:
        name = states[pos]
        return (ord(name[0]), -seen.get(name, missing + pos))

    return sorted(range(len(states)), key=key)
