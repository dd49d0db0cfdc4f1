"""Vector.play: values written into a simulation variable from a Vector as time advances.

``vec.play(ref, tvec)`` or ``vec.play(ref, Dt)`` sets the variable to ``vec[i]`` at time
``tvec[i]`` (or ``i·Dt``), like NEURON's VecPlayStep; ``vec.play(ref, tvec, 1)`` interpolates
linearly at every half step, like VecPlayContinuous. The compiled loop does the work
(`loopgen._play_functions`); this module keeps the list and builds its arrays.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .model import Model
    from .refs import Ref
    from .vector import Vector


class _Play:
    __slots__ = ("vec", "ref", "tvec", "dt", "continuous")

    def __init__(self, vec: Vector, ref: Ref, tvec: Any, dt: float | None, continuous: bool):
        self.vec = weakref.ref(vec)
        self.ref = ref
        self.tvec = tvec
        self.dt = dt
        self.continuous = continuous


class Playing:
    """All active Vector.play items, and their arrays for the compiled loop."""

    def __init__(self) -> None:
        self.items: list[_Play] = []
        self.arrays: tuple = self._empty()
        self.model: Model | None = None

    def arrays_for(self, model: Model) -> tuple:
        """The arrays, rebuilt if the model was recompiled since (offsets would be stale)."""
        if self.model is not model:
            self.build(model)
        return self.arrays

    @staticmethod
    def _empty() -> tuple:
        z = np.zeros(0, dtype=np.int64)
        return (
            z,
            z,
            z,
            np.zeros(1, dtype=np.int64),
            np.zeros(0),
            np.zeros(0),
            np.zeros((0, 3), dtype=np.int64),
        )

    def add(self, vec: Vector, ref: Ref, tvec: Any, dt: float | None, continuous: bool) -> None:
        if continuous and tvec is None:
            raise ValueError(
                "Second argument of Vector.play in continuous mode must be a time vector"
            )
        if tvec is None and (dt is None or not 1e-9 <= dt <= 1e10):
            raise ValueError("Vector.play(ref, Dt): Dt must be in [1e-9, 1e10] ms")
        self.remove(vec)
        self.items.append(_Play(vec, ref, tvec, dt, continuous))
        self.model = None  # rebuild at the next use

    def remove(self, vec: Vector) -> None:
        self.items = [p for p in self.items if p.vec() is not None and p.vec() is not vec]

    def build(self, model: Model) -> None:
        """Arrays for the compiled loop, state reset as NEURON's play_init."""
        from .engine.loopgen import locate

        self.model = model
        self.items = [p for p in self.items if p.vec() is not None]
        if not self.items:
            self.arrays = self._empty()
            return
        base, off, cont, ptr, times, values = [], [], [], [0], [], []
        for p in self.items:
            y = np.asarray(p.vec(), dtype=float)
            if p.tvec is not None:
                t = np.asarray(p.tvec, dtype=float)
                n = min(len(y), len(t))
                t = t[:n]
            else:
                # NEURON sends each next event at (previous event time) + Dt
                n = len(y)
                t = np.zeros(n)
                for i in range(1, n):
                    t[i] = t[i - 1] + p.dt
            arr, idx = p.ref.resolve()
            where = locate(model, arr, idx)
            if where is None:
                raise ValueError(f"Vector.play target {p.ref!r} is not a simulation variable")
            base.append(where[0])
            off.append(where[1])
            cont.append(1 if p.continuous else 0)
            times.append(t)
            values.append(y[:n])
            ptr.append(ptr[-1] + n)
        state = np.zeros((len(self.items), 3), dtype=np.int64)
        state[:, 2] = [1 if ptr[i + 1] > ptr[i] else 0 for i in range(len(self.items))]
        self.arrays = (
            np.array(base, dtype=np.int64),
            np.array(off, dtype=np.int64),
            np.array(cont, dtype=np.int64),
            np.array(ptr, dtype=np.int64),
            np.concatenate(times),
            np.concatenate(values),
            state,
        )
