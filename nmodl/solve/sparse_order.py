"""scopmath's sparse-matrix elimination order, computed once at compile time.

``sparse_thread`` (NEURON's ``sparse_thread.hpp``) builds its matrix structure on the first
call from the elements the KINETIC function touches, then orders the pivots with a minimum
degree rule (``spar_minorder``: the row with the fewest elements first, ties broken by its
ordered-list insertion rule) and adds the fill-in that elimination needs. The elimination is
then plain Gaussian elimination, without numerical pivoting, in that order; doing the same
operations on the same elements in the same order gives NEURON's numbers bit for bit.

Rows and columns here are 0-based state positions (scopmath counts from 1).
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import ir


class _Order:
    """scopmath's ``orderlist``: rows sorted by element count; a (re)inserted row goes before
    the first row whose count is greater than or equal to its own."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.norder: dict[int, int] = {}

    def insert(self, row: int) -> None:
        k = 0
        count = self.norder[row]
        while k < len(self.rows) and self.norder[self.rows[k]] < count:
            k += 1
        self.rows.insert(k, row)

    def change(self, row: int, delta: int) -> None:
        self.rows.remove(row)
        self.norder[row] += delta
        self.insert(row)


def elimination_order(n: int, elements: Iterable[tuple[int, int]], linear: bool) -> ir.SparseSpec:
    """The pivot order and the per-pivot row/column lists of scopmath's solver.

    Args:
        n: number of equations (states).
        elements: (row, col) of every matrix element the KINETIC function sets.
        linear: nocmodl's ``_linmat``.
    """
    struct = {(k, k) for k in range(n)} | set(elements)
    varord = list(range(n))  # position of each row (and column) in solution order
    diag = list(range(n))  # row at each position
    order = _Order()
    for pos in range(n):
        row = diag[pos]
        order.norder[row] = sum(1 for (r, _c) in struct if r == row)
        order.insert(row)
    for i in range(n):
        row = order.rows[0]
        j = varord[row]
        if j != i:
            for k in range(j, i, -1):
                diag[k] = diag[k - 1]
                varord[diag[k]] = k
            diag[i] = row
            varord[row] = i
        below = sorted(
            (r for (r, c) in struct if c == row and varord[r] > i), key=varord.__getitem__
        )
        right = sorted(
            (c for (r, c) in struct if r == row and varord[c] > i), key=varord.__getitem__
        )
        for r in below:
            for c in right:
                if (r, c) not in struct:
                    struct.add((r, c))
                    order.change(r, +1)
            order.change(r, -1)
        order.rows.remove(row)
    lower: list[list[int]] = []
    upper: list[list[int]] = []
    for i in range(n):
        p = diag[i]
        lower.append(
            sorted((r for (r, c) in struct if c == p and varord[r] > i), key=varord.__getitem__)
        )
        upper.append(
            sorted((c for (r, c) in struct if r == p and varord[c] > i), key=varord.__getitem__)
        )
    return ir.SparseSpec(n=n, pivots=list(diag), lower=lower, upper=upper, linear=linear)
