"""Matrix assembly and the Hines tree solve, as NEURON's ``treeset.cpp`` and ``solve.cpp``.

The cable equation at node i, after the mechanisms have added their currents into ``rhs`` and
their conductances into ``d``, becomes the tree-structured system ``d[i]·Δv[i] + b[i]·Δv[p] +
Σ_children a[c]·Δv[c] = rhs[i]`` (p the parent). Because every parent precedes its children,
Gaussian elimination from the leaves up (`triang`) and substitution from the roots down
(`bksub`) solve it in O(n) with no fill-in. The operation order is NEURON's, so results agree to
rounding.
"""

from __future__ import annotations

import numba
import numpy as np

ND_V, ND_RHS, ND_D = 0, 1, 2


@numba.njit(cache=True)
def zero_matrix(nd: np.ndarray, n0: int, n1: int) -> None:
    """rhs = d = 0 on nodes [n0, n1) (the ions' own per-step work is in ionstep)."""
    rhs = nd[ND_RHS]
    d = nd[ND_D]
    for i in range(np.uint64(n0), np.uint64(n1)):  # unsigned: vectorizes (see ionstep)
        rhs[i] = 0.0
        d[i] = 0.0


@numba.njit(cache=True)
def add_capacitance_and_axial(
    nd: np.ndarray,
    cm: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    parent: np.ndarray,
    n0: int,
    n1: int,
    cj: float,
) -> None:
    """Capacitance (``d += 1e-3·cj·cm``) and the axial currents and coefficients of the nodes
    [n0, n1), which must hold whole cells (a node's parent is written too).

    One pass in node order does NEURON's three (axial currents into rhs at the end of
    ``nrn_rhs``; capacitance, then the axial terms into d in ``nrn_lhs``) with every sum in the
    same order: a node's capacitance and ``-b`` reach its d before its children's ``-a``, which
    come later in the pass, as in NEURON's.
    """
    v = nd[ND_V]
    rhs = nd[ND_RHS]
    d = nd[ND_D]
    cfac = 0.001 * cj
    for i in range(n0, n1):
        if cm[i] != 0.0:
            d[i] += cfac * cm[i]
        p = parent[i]
        if p >= 0:  # roots have parent -1
            dv = v[p] - v[i]
            rhs[i] -= b[i] * dv
            rhs[p] += a[i] * dv
            d[i] -= b[i]
            d[p] -= a[i]


@numba.njit(cache=True)
def solve(
    nd: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    parent: np.ndarray,
    cell_start: np.ndarray,
    c0: int,
    c1: int,
) -> None:
    """Hines elimination of cells [c0, c1), each a node block starting at its root; on return
    rhs holds Δv.

    NEURON's ``triang`` and ``bksub`` over all the cells' nodes at once rather than cell by
    cell: each node's operations are the same and in the same order within its cell (cells
    share nothing), and many small cells cost no per-cell loop.
    """
    rhs = nd[ND_RHS]
    d = nd[ND_D]
    n0 = cell_start[c0]
    n1 = cell_start[c1]
    for i in range(n1 - 1, n0 - 1, -1):
        pi = parent[i]
        if pi >= 0:
            p = a[i] / d[i]
            d[pi] -= p * b[i]
            rhs[pi] -= p * rhs[i]
    for i in range(n0, n1):
        pi = parent[i]
        if pi >= 0:
            rhs[i] -= b[i] * rhs[pi]
        rhs[i] /= d[i]


@numba.njit(cache=True)
def second_order_current(nd: np.ndarray, ions: np.ndarray, n0: int, n1: int) -> None:
    """secondorder = 2: ion currents corrected to the half step, ``i += di/dv·Δv``."""
    rhs = nd[ND_RHS]
    for k in range(ions.shape[0]):
        for i in range(np.uint64(n0), np.uint64(n1)):
            ions[k, 3, i] += ions[k, 4, i] * rhs[i]


@numba.njit(cache=True)
def update_voltage(nd: np.ndarray, secondorder: int, n0: int, n1: int) -> None:
    """v += Δv (implicit Euler) or v += 2Δv (Crank–Nicolson: Δv was solved for half a step)."""
    v = nd[ND_V]
    rhs = nd[ND_RHS]
    if secondorder:
        for i in range(np.uint64(n0), np.uint64(n1)):
            v[i] += 2.0 * rhs[i]
    else:
        for i in range(np.uint64(n0), np.uint64(n1)):
            v[i] += rhs[i]
