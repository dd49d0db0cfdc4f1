"""Loaded mechanism types and the Python views onto their instances.

A `MechanismType` wraps one generated module (see docs/mechanism-abi.md): its metadata, its
globals array and TABLE storage (one per type, as in NEURON) and its kernels. `MechanismView`
is ``seg.hh``; `PointProcess` is an ``n.IClamp(seg)`` instance.
"""

from __future__ import annotations

import itertools
import weakref
from types import ModuleType
from typing import Any

import numpy as np

from . import simulator
from .refs import Ref

# NEURON's Python layer renames these NMODL names, which are Python keywords.
PY_RENAMES = {"del": "delay", "lambda": "lambda_"}
PY_RENAMES_BACK = {v: k for k, v in PY_RENAMES.items()}


class MechanismType:
    """A compiled mechanism (density, point process or artificial cell)."""

    def __init__(self, module: ModuleType) -> None:
        meta: dict = module.METADATA
        self.module = module
        self.metadata = meta
        self.name: str = meta["name"]
        self.kind: str = meta["kind"]
        self.file: str = meta.get("file", "")
        self.range_names = [r["name"] for r in meta["range"]]
        self.range_index = {v: i for i, v in enumerate(self.range_names)}
        self.range_defaults = np.array([float(r.get("default") or 0.0) for r in meta["range"]])
        self.global_names = [g["name"] for g in meta["globals"]]
        self.global_index = {v: i for i, v in enumerate(self.global_names)}
        self.gl = np.array([float(g.get("default") or 0.0) for g in meta["globals"]])
        self.tab = np.zeros(int(meta.get("table_size", 0)))
        self.ion_names = [i["name"] for i in meta["ions"]]
        from .ions import ion_type

        for use in meta["ions"]:  # NEURON creates an ion type when a mechanism first uses it
            ion_type(use["name"], use.get("valence"))
        self.kernels = {k: getattr(module, k) for k in meta.get("kernels", ())}
        self.check_table = getattr(module, "check_table", None)
        self.unsupported = list(meta.get("unsupported", ()))
        self.writes_concentration = any(
            set(use.get("write", ())) & {f"{use['name']}i", f"{use['name']}o"}
            for use in meta["ions"]
        )
        self._count = itertools.count()

    @property
    def is_point(self) -> bool:
        return self.kind in ("point", "artificial")

    def default_block(self, n: int) -> np.ndarray:
        """Fresh instance storage: (number of range variables, n), filled with defaults."""
        return np.repeat(self.range_defaults[:, None], n, axis=1)

    def __repr__(self) -> str:
        kind = "DensityMechanism" if self.kind == "density" else "PointProcessMechanism"
        return f"neuron.{kind}('{self.name}')"

    def __call__(self, *args: Any, **kwargs: Any) -> PointProcess:
        if not self.is_point:
            raise TypeError(f"{self.name} is a density mechanism: use sec.insert('{self.name}')")
        return PointProcess(self, *args, **kwargs)


class MechanismView:
    """``seg.hh`` (or ``seg.na_ion``): the values of one mechanism at one segment."""

    __slots__ = ("_seg", "_name")

    def __init__(self, seg: Any, name: str) -> None:
        object.__setattr__(self, "_seg", seg)
        object.__setattr__(self, "_name", name)

    def _store_and_names(self) -> tuple[np.ndarray, dict[str, int]]:
        sec = self._seg.sec
        if self._name.endswith("_ion") and self._name[:-4] in sec._ions:
            from .ions import ion_type

            ion = self._name[:-4]
            return sec._ions[ion], ion_type(ion).range_index
        return sec._mechs[self._name], simulator.sim.mechanisms[self._name].range_index

    def name(self) -> str:
        return self._name

    def is_ion(self) -> bool:
        return self._name.endswith("_ion")

    def segment(self) -> Any:
        return self._seg

    def __repr__(self) -> str:
        return self._name

    def __dir__(self) -> list[str]:
        _, names = self._store_and_names()
        return sorted(names) + ["is_ion", "name", "segment"]

    def _row(self, var: str) -> int:
        _, names = self._store_and_names()
        row = names.get(PY_RENAMES_BACK.get(var, var))
        if row is None:
            raise AttributeError(f"'{self._name}' mechanism has no variable '{var}'")
        return row

    def __getattr__(self, var: str) -> Any:
        seg = self._seg
        if var.startswith("_ref_"):
            row = self._row(var[5:])
            col = seg._index
            label = f"{seg}.{self._name}.{var[5:]}"
            return Ref(lambda: (self._store_and_names()[0][row], col), label)
        if var.startswith("_"):
            raise AttributeError(var)
        store, _ = self._store_and_names()
        return float(store[self._row(var), seg._index])

    def __setattr__(self, var: str, value: float) -> None:
        store, _ = self._store_and_names()
        store[self._row(var), self._seg._index] = value
        simulator.sim.values_changed()


class PointProcess:
    """An instance of a POINT_PROCESS / ARTIFICIAL_CELL mechanism, e.g. ``n.IClamp(seg)``."""

    def __init__(self, mtype: MechanismType, loc: Any = None, sec: Any = None) -> None:
        from .topology import Section, Segment

        object.__setattr__(self, "_mtype", mtype)
        object.__setattr__(self, "_data", mtype.default_block(1))
        object.__setattr__(self, "_index", next(mtype._count))
        object.__setattr__(self, "_seg", None)
        sim = simulator.sim
        if mtype.kind == "point":
            if isinstance(loc, Segment):
                self.loc(loc)
            elif loc is not None:
                if sec is None:
                    raise TypeError(f"{mtype.name}({loc}): give a segment, or x with sec=")
                if not isinstance(sec, Section):
                    raise TypeError("sec= must be a Section")
                self.loc(sec(loc))
        sim.register_point(self)
        weakref.finalize(self, sim.structure_changed)

    # location
    def loc(self, seg: Any) -> PointProcess:
        sec = seg.sec
        for ion in self._mtype.ion_names:
            sec._ensure_ion(ion)
        object.__setattr__(self, "_seg", seg)
        sec._points.append(weakref.ref(self))
        simulator.sim.structure_changed()
        return self

    def get_segment(self) -> Any:
        return self._seg

    def get_loc(self) -> float:
        if self._seg is None:
            raise RuntimeError(f"{self.hname()} has no location")
        return self._seg.x

    def has_loc(self) -> bool:
        return self._seg is not None

    def hname(self) -> str:
        return f"{self._mtype.name}[{self._index}]"

    __repr__ = hname

    def _row(self, var: str) -> int:
        row = self._mtype.range_index.get(PY_RENAMES_BACK.get(var, var))
        if row is None:
            raise AttributeError(f"'{self._mtype.name}' object has no attribute '{var}'")
        return row

    def __getattr__(self, var: str) -> Any:
        if var.startswith("_ref_"):
            row = self._row(var[5:])
            return Ref(lambda: (self._data[row], 0), f"{self.hname()}.{var[5:]}")
        if var.startswith("_"):
            raise AttributeError(var)
        return float(self._data[self._row(var), 0])

    def __setattr__(self, var: str, value: float) -> None:
        self._data[self._row(var), 0] = value
        simulator.sim.values_changed()
