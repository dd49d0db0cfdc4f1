"""Pointers to simulation variables (``seg._ref_v``, ``n._ref_t``, ``seg.hh._ref_m``).

NEURON hands out ``data_handle`` pointers that survive re-sorting of its data. We do the same by
keeping a *resolver*: a function returning the live ``(array, index)``. Compiling the model
replaces arrays, so users of a Ref (recording, playing) resolve it again after every compile.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class Ref:
    """A resolvable pointer to one float64 value."""

    __slots__ = ("_resolve", "_label", "key", "section")

    def __init__(
        self,
        resolve: Callable[[], tuple[np.ndarray, int]],
        label: str,
        key: object = None,
        section: object = None,
    ) -> None:
        self._resolve = resolve
        self._label = label
        self.key = key  # identifies the variable (two Refs to one voltage node share a key)
        self.section = section  # the section it belongs to, when it has one

    def resolve(self) -> tuple[np.ndarray, int]:
        """The array and index holding the value now."""
        return self._resolve()

    @property
    def value(self) -> float:
        arr, i = self._resolve()
        return float(arr[i])

    def __getitem__(self, i: int) -> float:
        if i != 0:
            raise IndexError("a pointer to a scalar only has index 0")
        return self.value

    def __setitem__(self, i: int, value: float) -> None:
        if i != 0:
            raise IndexError("a pointer to a scalar only has index 0")
        arr, j = self._resolve()
        arr[j] = value

    def __repr__(self) -> str:
        return f"<pointer to {self._label} = {self.value:g}>"
