"""``pp.ranvar``: NEURON 9's NMODLRandom, the Python view of a mechanism's RANDOM variable.

A RANDOM variable is a Random123 stream kept in nine range rows of its instance
(docs/mechanism-abi.md section 4.2), laid out as `pyneuro.random`'s stream state; these
methods are NEURON's (nrn/src/nrniv/nmodlrandom.cpp): ``set_ids``/``set_seq`` return the
object, so calls chain (``ns.ranvar.set_ids(1, 2, 3).set_seq(0)``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import random
from .random import STREAM_STATE_SIZE


class NMODLRandom:
    """A live view of one instance's RANDOM variable."""

    __slots__ = ("_where", "_label")

    def __init__(self, where: Callable[[], np.ndarray], label: str) -> None:
        self._where = where  # returns the variable's 9 rows of this instance (a view)
        self._label = label

    def _state(self) -> tuple[np.ndarray, np.ndarray]:
        rows = self._where()
        return rows, rows.astype(np.uint32)

    def set_ids(self, id1: float, id2: float, id3: float) -> NMODLRandom:
        """Select the stream (id1, id2, id3); the position in it is kept, as NEURON."""
        rows, s = self._state()
        ids = [int(random._chkarg(float(x), 0.0, 4294967295.0)) for x in (id1, id2, id3)]
        random.nrnran123_setids(s, *ids)
        rows[:] = s
        return self

    def get_ids(self):
        """The stream's ids as a Vector ``[id1, id2, id3]``."""
        from .vector import Vector

        _, s = self._state()
        return Vector([float(x) for x in random.nrnran123_getids(s)])

    def set_seq(self, seq4which: float) -> NMODLRandom:
        """Move to position ``seq*4 + which`` of the stream."""
        rows, s = self._state()
        random.nrnran123_setseq_double(s, random.global_key(), float(seq4which))
        rows[:] = s
        return self

    def get_seq(self) -> float:
        """The position ``seq*4 + which``."""
        _, s = self._state()
        seq, which = random.nrnran123_getseq(s)
        return float(seq) * 4.0 + float(which)

    def uniform(self) -> float:
        """The next uniform deviate in (0, 1) of the stream (the stream advances)."""
        rows, s = self._state()
        value = float(random.nrnran123_uniform(s, random.global_key()))
        rows[:] = s
        return value

    def hname(self) -> str:
        return f"NMODLRandom[{self._label}]"

    __repr__ = hname


def rows_of(store: np.ndarray, row: int, col: int) -> np.ndarray:
    return store[row : row + STREAM_STATE_SIZE, col]
