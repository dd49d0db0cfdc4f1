"""NMODL POINTER variables: where each instance's pointer points, kept across model rebuilds.

A mechanism's POINTER ``p`` is a hidden range row ``_p_p`` holding the *address* of the
float64 it points to (docs/mechanism-abi.md); the kernels read and write through it. Python
sets it as NEURON does — ``n.setpointer(seg._ref_v, "p", obj)``, ``obj._ref_p = seg._ref_v``
(``obj`` a point process or ``seg.mech``) — and we keep the `Ref` here. Compiling the model
moves every array, so each compile (and each new setpointer) writes the addresses again.
"""

from __future__ import annotations

import weakref
from typing import Any

from . import simulator
from .refs import Ref

#: (id of point process or (section id, mechanism, segment index), pointer name) -> (owner
#: weakref or None, Ref)
_targets: dict[tuple[Any, str], tuple[Any, Ref]] = {}


def pointer_names(mtype: Any) -> dict[str, int]:
    """POINTER name -> its address row, for a mechanism type."""
    return {p["name"]: mtype.range_index[p["row"]] for p in mtype.metadata.get("pointers", ())}


def _address(ref: Ref) -> float:
    arr, idx = ref.resolve()
    if arr.dtype.itemsize != 8 or arr.dtype.kind != "f":
        raise TypeError(f"a POINTER must point to a double, not {arr.dtype}")
    return float(arr.ctypes.data + int(idx) * arr.strides[0])


def set_pointer(owner: Any, name: str, ref: Ref) -> None:
    """Point the POINTER ``name`` of ``owner`` (a PointProcess or a MechanismView) at ``ref``."""
    from .mechanism import MechanismView, PointProcess

    if not isinstance(ref, Ref):
        raise TypeError(f"setpointer needs a pointer such as seg._ref_v, not {ref!r}")
    if isinstance(owner, PointProcess):
        mtype = owner._mtype
        key: Any = id(owner)
        keep: Any = weakref.ref(owner)
    elif isinstance(owner, MechanismView):
        mtype = simulator.sim.mechanisms[owner._name]
        seg = owner._seg
        key = (id(seg.sec), owner._name, seg._index)
        keep = weakref.ref(seg.sec)
    else:
        raise TypeError(f"setpointer: {owner!r} is not a point process or a density mechanism")
    rows = pointer_names(mtype)
    if name not in rows:
        raise AttributeError(f"{mtype.name} has no POINTER '{name}'")
    _targets[(key, name)] = (keep, ref)
    _write(owner, rows[name], _address(ref))


def _write(owner: Any, row: int, address: float) -> None:
    from .mechanism import PointProcess

    if isinstance(owner, PointProcess):
        owner._data[row, 0] = address
    else:
        owner._seg.sec._mechs[owner._name][row, owner._seg._index] = address


def target(owner: Any, name: str) -> Ref | None:
    """The Ref a POINTER of ``owner`` was set to (None if unset)."""
    from .mechanism import PointProcess

    if isinstance(owner, PointProcess):
        key: Any = id(owner)
    else:
        seg = owner._seg
        key = (id(seg.sec), owner._name, seg._index)
    found = _targets.get((key, name))
    return found[1] if found is not None else None


def resolve_externals() -> None:
    """EXTERNAL variables: the address of the GLOBAL ``var_suffix`` of a loaded mechanism
    (0 when no loaded mechanism has it; the kernel then raises when it is used)."""
    sim = simulator.sim
    for mtype in sim.mechanisms.values():
        for ext in mtype.metadata.get("externals", ()):
            address = 0.0
            for suffix, other in sim.mechanisms.items():
                tail = "_" + suffix
                if ext["name"].endswith(tail):
                    row = other.global_index.get(ext["name"][: -len(tail)])
                    if row is not None:
                        address = float(other.gl.ctypes.data + row * other.gl.strides[0])
                        break
            mtype.gl[mtype.global_index[ext["entry"]]] = address


def resolve_all() -> None:
    """Write every pointer's address again (after the model's arrays were rebuilt)."""
    resolve_externals()
    if not _targets:
        return
    from .mechanism import MechanismView

    sim = simulator.sim
    points = {id(p): p for p in sim.living_points()}
    for (key, name), (keep, ref) in list(_targets.items()):
        if keep() is None:
            del _targets[(key, name)]
            continue
        if isinstance(key, tuple):
            sec = keep()
            _sec_id, mname, index = key
            if mname not in sec._mechs or index >= sec._nseg:
                continue
            owner: Any = MechanismView(sec(_x_of(sec, index)), mname)
            mtype = sim.mechanisms[mname]
        else:
            owner = points.get(key)
            if owner is None:
                continue
            mtype = owner._mtype
        _write(owner, pointer_names(mtype)[name], _address(ref))


def _x_of(sec: Any, index: int) -> float:
    return (index + 0.5) / sec._nseg
