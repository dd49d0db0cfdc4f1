"""Vector.record bookkeeping: which pointers are sampled into which Vectors, and when.

As NEURON's fixed-step ``fixed_record_continuous``: every recorded value is sampled at the end
of ``finitialize`` (t = 0) and after every step. With a sampling interval ``Dt`` a sample is
taken on the steps where t has reached the next multiple of Dt.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .refs import Ref
    from .simulator import Simulator
    from .vector import Vector


class _Recorder:
    __slots__ = ("vec", "ref", "dt", "tvec", "arr", "idx", "next_t", "k")

    def __init__(self, vec: Vector, ref: Ref, dt: float | None, tvec: Any) -> None:
        self.vec = weakref.ref(vec)
        self.ref = ref
        self.dt = dt
        self.tvec = tvec
        self.arr: np.ndarray | None = None
        self.idx = 0
        self.next_t = 0.0
        self.k = 0


class Recording:
    """All active recordings of the simulator."""

    def __init__(self) -> None:
        self.recorders: list[_Recorder] = []
        self.model: Any = None

    def add(self, vec: Vector, ref: Ref, *args: Any) -> None:
        from .vector import Vector

        dt = tvec = None
        if args:
            if isinstance(args[0], Vector):
                tvec = args[0]
            else:
                dt = float(args[0])
        # a Vector records one thing at a time, as in NEURON
        self.recorders = [r for r in self.recorders if r.vec() is not None and r.vec() is not vec]
        self.recorders.append(_Recorder(vec, ref, dt, tvec))

    def remove(self, vec: Vector) -> None:
        self.recorders = [r for r in self.recorders if r.vec() is not None and r.vec() is not vec]

    def prune(self) -> None:
        """Forget recordings whose Vector has been garbage collected."""
        if any(r.vec() is None for r in self.recorders):
            self.recorders = [r for r in self.recorders if r.vec() is not None]

    def init(self, sim: Simulator, keep: bool = False) -> None:
        """Resolve every pointer against the current model; empty the Vectors unless keep."""
        self.model = sim.model
        alive = []
        for r in self.recorders:
            vec = r.vec()
            if vec is None:
                continue
            r.arr, r.idx = r.ref.resolve()
            if not keep:
                vec.resize(0)
                r.next_t = 0.0
                r.k = 0
            alive.append(r)
        self.recorders = alive

    def compiled_plan(self, model: Any) -> tuple[np.ndarray, np.ndarray, list] | None:
        """Where each recorded value lives, for the compiled loop; None if one needs Python."""
        from .engine.loopgen import locate

        src, off, vectors = [], [], []
        for r in self.recorders:
            vec = r.vec()
            if vec is None:
                continue
            if r.dt is not None or r.tvec is not None:
                return None
            where = locate(model, r.arr, r.idx)
            if where is None:
                return None
            src.append(where[0])
            off.append(where[1])
            vectors.append(vec)
        return np.array(src, dtype=np.int64), np.array(off, dtype=np.int64), vectors

    def sample(self, sim: Simulator) -> None:
        t = sim.t
        for r in self.recorders:
            vec = r.vec()
            if vec is None:
                continue
            if r.dt is not None:
                if t < r.next_t - 1e-9 * max(1.0, r.dt):
                    continue
                r.k += 1
                r.next_t = r.k * r.dt
            elif r.tvec is not None:
                if r.k >= len(r.tvec) or t < r.tvec[r.k] - 1e-9:
                    continue
                r.k += 1
            vec.append(float(r.arr[r.idx]))
