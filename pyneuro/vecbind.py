"""Vectors bound to point processes: VecStim's ``play(vec)``, APCount's ``record(vec)``.

A ``BBCOREPOINTER`` variable of a mechanism is a *Vector handle* (docs/mechanism-abi.md):
four range rows per instance — offset, length, capacity (-1 when no Vector is bound) and a
count of writes that found no room — whose elements live in the mechanism type's ``tab``
array after its TABLE storage, where the kernels read (``vector_element``) and write
(``vector_set``, ``vector_resize``) them. A PROCEDURE that calls ``vector_arg(h)`` binds the
Vector passed from Python to ``h``, as NEURON's VERBATIM ``vector_arg(1)`` does.

Before kernels run (`prepare`) the bound Vectors are copied into the pool, with room for
``steps`` more elements per written handle (a mechanism that writes more than that in a run
is reported, never silently truncated); afterwards (`collect`) written handles are copied back
into their Vectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import simulator

if TYPE_CHECKING:
    from .model import Model

OFFSET, LENGTH, CAPACITY, LOST = 0, 1, 2, 3


def _handles(mtype: Any) -> list[tuple[str, int, bool]]:
    """(name, first row, written) of each Vector handle of a mechanism type."""
    return [
        (h["name"], mtype.range_index[h["name"]], bool(h["output"]))
        for h in mtype.metadata.get("vectors", ())
    ]


def bind(pp: Any, handle: str, vec: Any) -> None:
    """Bind ``vec`` (a Vector, or None to unbind) to a handle of a point process."""
    from .vector import Vector

    if vec is not None and not isinstance(vec, Vector):
        raise TypeError(f"{pp.hname()}: expected a Vector, got {type(vec).__name__}")
    vectors = pp.__dict__.setdefault("_vectors", {})
    if vec is None:
        vectors.pop(handle, None)
    else:
        vectors[handle] = vec


def prepare(model: Model, steps: int) -> None:
    """Copy the bound Vectors into each mechanism type's pool (room for ``steps`` writes)."""
    for mi in model.mechanisms:
        handles = _handles(mi.mtype)
        if not handles or mi.points is None:
            continue
        mtype = mi.mtype
        table_size = int(mtype.metadata.get("table_size", 0))
        parts = [mtype.tab[:table_size]]
        size = table_size
        owners = _owners(mi)
        for col in range(mi.n):
            vectors = owners[col].__dict__.get("_vectors", {}) if owners[col] is not None else {}
            for name, row, written in handles:
                vec = vectors.get(name)
                if vec is None:
                    mi.data[row : row + 4, col] = (0.0, 0.0, -1.0, 0.0)
                    continue
                values = vec.as_numpy()
                room = values.shape[0] + (steps + 1 if written else 0)
                block = np.zeros(room)
                block[: values.shape[0]] = values
                mi.data[row : row + 4, col] = (size, values.shape[0], room, 0.0)
                parts.append(block)
                size += room
        mtype.tab = np.concatenate(parts) if len(parts) > 1 else parts[0].copy()


def collect(model: Model) -> None:
    """Copy written handles back into their Vectors; report writes that found no room."""
    for mi in model.mechanisms:
        handles = [h for h in _handles(mi.mtype) if h[2]]
        if not handles or mi.points is None:
            continue
        owners = _owners(mi)
        for col in range(mi.n):
            pp = owners[col]
            vectors = pp.__dict__.get("_vectors", {}) if pp is not None else {}
            for name, row, _ in handles:
                vec = vectors.get(name)
                if vec is None:
                    continue
                off, length, _cap, lost = (int(x) for x in mi.data[row : row + 4, col])
                vec.resize(length)
                vec.as_numpy()[:] = mi.mtype.tab[off : off + length]
                if lost:
                    mi.data[row + LOST, col] = 0.0
                    raise RuntimeError(
                        f"{pp.hname()}: {lost} value(s) written to the Vector bound to '{name}' "
                        "found no room (a mechanism wrote more elements than steps were run)"
                    )


def _owners(mi: Any) -> list[Any]:
    """The point process of each instance column."""
    owners: list[Any] = [None] * mi.n
    for pp in simulator.sim.living_points():
        if pp._mtype is mi.mtype:
            col = mi.points.get(id(pp))
            if col is not None:
                owners[col] = pp
    return owners
