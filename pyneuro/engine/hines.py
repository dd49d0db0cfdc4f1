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
def zero_matrix(nd: np.ndarray) -> None:
    """rhs = d = 0 (the ions' own per-step work is in ionstep.begin_step)."""
    nd[ND_RHS, :] = 0.0
    nd[ND_D, :] = 0.0


@numba.njit(cache=True)
def add_capacitance_and_axial(
    nd: np.ndarray,
    cm: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    parent: np.ndarray,
    ncell: int,
    cj: float,
) -> None:
    """Capacitance (``d += 1e-3·cj·cm``) and the axial currents and coefficients."""
    v = nd[ND_V]
    rhs = nd[ND_RHS]
    d = nd[ND_D]
    nnode = v.shape[0]
    # axial currents into rhs (end of nrn_rhs)
    for i in range(ncell, nnode):
        p = parent[i]
        dv = v[p] - v[i]
        rhs[i] -= b[i] * dv
        rhs[p] += a[i] * dv
    # capacitance, then axial terms into d (nrn_lhs)
    cfac = 0.001 * cj
    for i in range(nnode):
        if cm[i] != 0.0:
            d[i] += cfac * cm[i]
    for i in range(ncell, nnode):
        d[i] -= b[i]
        d[parent[i]] -= a[i]


@numba.njit(cache=True)
def solve(nd: np.ndarray, a: np.ndarray, b: np.ndarray, parent: np.ndarray, ncell: int) -> None:
    """Hines elimination; on return rhs holds Δv."""
    rhs = nd[ND_RHS]
    d = nd[ND_D]
    nnode = rhs.shape[0]
    for i in range(nnode - 1, ncell - 1, -1):
        p = a[i] / d[i]
        pi = parent[i]
        d[pi] -= p * b[i]
        rhs[pi] -= p * rhs[i]
    for i in range(ncell):
        rhs[i] /= d[i]
    for i in range(ncell, nnode):
        rhs[i] -= b[i] * rhs[parent[i]]
        rhs[i] /= d[i]


@numba.njit(cache=True)
def second_order_current(nd: np.ndarray, ions: np.ndarray) -> None:
    """secondorder = 2: ion currents corrected to the half step, ``i += di/dv·Δv``."""
    rhs = nd[ND_RHS]
    for k in range(ions.shape[0]):
        for i in range(rhs.shape[0]):
            ions[k, 3, i] += ions[k, 4, i] * rhs[i]


@numba.njit(cache=True)
def update_voltage(nd: np.ndarray, secondorder: int) -> None:
    """v += Δv (implicit Euler) or v += 2Δv (Crank–Nicolson: Δv was solved for half a step)."""
    v = nd[ND_V]
    rhs = nd[ND_RHS]
    if secondorder:
        for i in range(v.shape[0]):
            v[i] += 2.0 * rhs[i]
    else:
        for i in range(v.shape[0]):
            v[i] += rhs[i]
