"""``n.Vector``: a growable float64 array with NEURON's recording interface.

Storage is a NumPy buffer that grows geometrically; ``as_numpy()`` returns a NumPy view of the
current contents. A view can go stale when the Vector later grows (it then still shows the old
values) but never points at freed memory, unlike NEURON's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import numpy as np

from . import simulator
from .refs import Ref

_vector_ids = itertools.count()


class Vector:
    """NEURON's Vector: ``Vector()``, ``Vector(n)``, ``Vector(n, value)``, ``Vector(iterable)``."""

    def __init__(self, arg: int | Iterable[float] | None = None, value: float = 0.0) -> None:
        self._id = next(_vector_ids)
        if arg is None:
            self._buf = np.zeros(16)
            self._size = 0
        elif isinstance(arg, (int, np.integer, float)) and not isinstance(arg, bool):
            self._size = int(arg)
            self._buf = np.full(max(self._size, 16), float(value))
        else:
            data = np.asarray(list(arg) if not hasattr(arg, "__len__") else arg, dtype=float)
            self._size = data.shape[0]
            self._buf = np.zeros(max(self._size, 16))
            self._buf[: self._size] = data

    # ---------------------------------------------------------------- storage
    def _reserve(self, n: int) -> None:
        if n > self._buf.shape[0]:
            new = np.zeros(max(n, 2 * self._buf.shape[0]))
            new[: self._size] = self._buf[: self._size]
            self._buf = new

    def append(self, *values: float) -> Vector:
        for value in values:
            if isinstance(value, (Vector, list, tuple, np.ndarray)):
                arr = np.asarray(value, dtype=float)
                self._reserve(self._size + arr.shape[0])
                self._buf[self._size : self._size + arr.shape[0]] = arr
                self._size += arr.shape[0]
            else:
                self._reserve(self._size + 1)
                self._buf[self._size] = value
                self._size += 1
        return self

    def resize(self, n: int) -> Vector:
        n = int(n)
        self._reserve(n)
        if n > self._size:
            self._buf[self._size : n] = 0.0
        self._size = n
        return self

    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return self._size

    def as_numpy(self) -> np.ndarray:
        """A NumPy view of the contents (shares memory; see the module note on growth)."""
        return self._buf[: self._size]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = self._buf[: self._size]
        if copy:
            arr = arr.copy()
        return arr if dtype is None else arr.astype(dtype)

    def to_python(self) -> list[float]:
        return self.as_numpy().tolist()

    def __iter__(self):
        return iter(self.as_numpy().tolist())

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return self.as_numpy()[i].tolist()
        if not -self._size <= i < self._size:
            raise IndexError(f"Vector index {i} out of range (size {self._size})")
        return float(self._buf[i % self._size])

    def __setitem__(self, i: int, value: float) -> None:
        if not -self._size <= i < self._size:
            raise IndexError(f"Vector index {i} out of range (size {self._size})")
        self._buf[i % self._size] = value

    @property
    def x(self) -> Vector:
        return self

    def __repr__(self) -> str:
        return f"Vector[{self._id}]"

    hname = __repr__

    # ---------------------------------------------------------------- a few NEURON methods
    def fill(self, value: float) -> Vector:
        self.as_numpy()[:] = value
        return self

    def from_python(self, data: Iterable[float]) -> Vector:
        arr = np.asarray(list(data), dtype=float)
        self.resize(0)
        return self.append(arr)

    def copy(self, src: Any) -> Vector:
        return self.from_python(np.asarray(src))

    def c(self) -> Vector:
        return Vector(self.as_numpy().copy())

    def max(self) -> float:
        return float(self.as_numpy().max())

    def min(self) -> float:
        return float(self.as_numpy().min())

    def sum(self) -> float:
        return float(self.as_numpy().sum())

    def mean(self) -> float:
        return float(self.as_numpy().mean())

    def indgen(self, *args: float) -> Vector:
        a = self.as_numpy()
        start, step = (0.0, 1.0) if not args else ((0.0, args[0]) if len(args) == 1 else args[:2])
        a[:] = start + step * np.arange(a.shape[0])
        return self

    # ---------------------------------------------------------------- recording
    def record(self, ref: Ref, *args: Any, **kwargs: Any) -> Vector:
        """Record the pointed-to value at t = 0 (finitialize) and after every step.

        ``record(ref, Dt)`` samples every Dt ms; ``record(ref, tvec)`` at the times in tvec.
        """
        if not isinstance(ref, Ref):
            raise TypeError("Vector.record needs a pointer such as seg._ref_v or n._ref_t")
        simulator.sim.recording.add(self, ref, *args)
        return self

    def play(self, ref: Ref, when: Any = None, continuous: float = 0) -> Vector:
        """Write this Vector's values into ``ref`` as time advances (NEURON's Vector.play).

        ``play(ref, tvec)``/``play(ref, Dt)``: value i from time tvec[i] (or i·Dt) on;
        ``play(ref, tvec, 1)``: linear interpolation in time. Takes effect at finitialize.
        """
        from .vector import Vector as _V

        if not isinstance(ref, Ref):
            raise TypeError("Vector.play needs a pointer such as seg._ref_v or stim._ref_amp")
        tvec = when if isinstance(when, (_V, list, tuple, np.ndarray)) else None
        dt = None if tvec is not None or when is None else float(when)
        simulator.sim.playing.add(self, ref, tvec, dt, bool(continuous))
        return self

    def play_remove(self) -> Vector:
        simulator.sim.playing.remove(self)
        simulator.sim.recording.remove(self)
        return self
