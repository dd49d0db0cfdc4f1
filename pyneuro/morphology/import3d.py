"""NEURON's Import3d for SWC files: ``n.Import3d_SWC_read`` and ``n.Import3d_GUI``.

Scripts use it as in NEURON::

    n.load_file("import3d.hoc")
    swc = n.Import3d_SWC_read()
    swc.input("cell.swc")
    n.Import3d_GUI(swc, False).instantiate(None)   # HOC-level soma[0], dend[k], ...
    # or .instantiate(cell): cell.soma, cell.dend, ..., cell.all as Python lists

``instantiate`` follows ``Import3d_GUI.instantiate`` (``import3d_gui.hoc``): sections of one
SWC type share a name (1 soma, 2 axon, 3 dend, 4 apic, k > 4 ``dend_k``, k < 0 ``minus_k``)
and are numbered in file order; one-point and zero-length two-point child sections are
dropped (their children re-attached to their parent); a one-point section becomes a
three-point cylinder along x with length equal to its diameter; "wire" connections keep the
parent point as the logical connection point (``pt3dstyle``). With ``None``, NEURON executes
generated HOC text, so the coordinates go through ``%.8g`` before ``pt3dadd``; with a Python
cell object it calls ``pt3dadd`` with the values themselves. Both are reproduced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .. import simulator
from ..topology import Section
from .swc import Import3dSection, SwcReader


def _g8(value: float) -> float:
    """A value after HOC's ``sprint("%.8g")`` and re-parsing."""
    return float(f"{value:.8g}")


def type2name(kind: int) -> str:
    """NEURON's section name for an SWC point type."""
    names = {1: "soma", 2: "axon", 3: "dend", 4: "apic"}
    if kind in names:
        return names[kind]
    return f"minus_{-kind}" if kind < 0 else f"dend_{kind}"


class Import3d_SWC_read(SwcReader):  # noqa: N801 (NEURON's name)
    """``n.Import3d_SWC_read()``: ``input(filename)``, then hand it to ``n.Import3d_GUI``."""


class Import3d_GUI:  # noqa: N801 (NEURON's name)
    """``n.Import3d_GUI(reader, show)``: ``instantiate(None)`` creates HOC-level section arrays
    (``n.soma[0]``, ``n.dend[3]``, ...); ``instantiate(cell)`` fills a Python object."""

    def __init__(self, reader: SwcReader, show: Any = 0) -> None:
        if not isinstance(reader, SwcReader):
            raise TypeError(
                "Import3d_GUI: pyneuro reads SWC files only (Import3d_SWC_read); Neurolucida, "
                "MorphML and Eutectic readers are not implemented"
            )
        self.swc = reader

    # ------------------------------------------------------------------ checks
    def _chk_valid(self) -> None:
        """Drop one-point and zero-length two-point child sections, as ``chk_valid``."""
        secs = self.swc.sections
        for i in range(len(secs) - 1, -1, -1):
            sec = secs[i]
            if sec.parentsec is None:
                continue
            remaining = sec.npts - sec.first
            if remaining <= 1:
                print(f"One point section {i} has been removed")
                self._rm0len(i, sec)
            elif remaining <= 2 and np.array_equal(
                sec.raw[:, sec.first], sec.raw[:, sec.first + 1]
            ):
                print(f"Two point section {i} with 0 length has been removed")
                self._rm0len(i, sec)

    def _rm0len(self, i: int, sec: Import3dSection) -> None:
        secs = self.swc.sections
        del secs[i]
        for other in secs[i:]:
            if other.parentsec is sec:
                other.parentsec = sec.parentsec
                other.parentx = sec.parentx

    def _set_nameindex(self) -> tuple[int, np.ndarray]:
        kinds = self.swc.type.astype(np.int64)
        low = int(kinds.min())
        counts = np.zeros(int(kinds.max()) - low + 1, dtype=np.int64)
        for sec in self.swc.sections:
            if sec.is_subsidiary:
                continue
            sec.nameindex = int(counts[sec.type - low])
            counts[sec.type - low] += 1
        return low, counts

    # ------------------------------------------------------------------ building
    def instantiate(self, cell: Any = None) -> None:
        """Create the sections, connect them and give them their 3-D points."""
        self._chk_valid()
        low, counts = self._set_nameindex()
        python_cell = cell is not None
        arrays: dict[str, list[Section]] = {}
        if python_cell:
            cell.all = []
        for k, count in enumerate(counts):
            if count == 0:
                continue
            name = type2name(k + low)
            if python_cell:
                secs = [Section(name=f"{name}[{j}]", cell=cell) for j in range(int(count))]
                setattr(cell, name, secs)
                cell.all.extend(secs)
            else:
                secs = create_array(name, int(count))
            arrays[name] = secs

        def section_of(isec: Import3dSection) -> Section:
            return arrays[type2name(isec.type)][isec.nameindex]

        fmt = (lambda v: float(v)) if python_cell else _g8
        for sec in self.swc.sections:
            if sec.is_subsidiary:
                continue
            target = section_of(sec)
            if sec.parentsec is not None:
                target.connect(section_of(sec.parentsec)(sec.parentx), 0)
            if sec.first == 1:
                target.pt3dstyle(1, *(fmt(sec.raw[r, 0]) for r in range(3)))
            xx = sec.raw[0, sec.first :].copy()
            yy = sec.raw[1, sec.first :].copy()
            zz = sec.raw[2, sec.first :].copy()
            dd = sec.d[sec.first :].copy()
            if len(dd) == 1:  # a sphere as a 3-point cylinder with L = diam
                xx = np.array([xx[0] - dd[0] / 2, xx[0], xx[0] + dd[0] / 2])
                yy = np.full(3, yy[0])
                zz = np.full(3, zz[0])
                dd = np.full(3, dd[0])
            for j in range(len(dd)):
                target.pt3dadd(fmt(xx[j]), fmt(yy[j]), fmt(zz[j]), fmt(dd[j]))


def create_array(name: str, count: int) -> list[Section]:
    """HOC's ``create name[count]`` at top level: new sections ``name[0]`` ... replacing any
    array of that name (whose sections are then deleted, as ``create`` does)."""
    arrays = simulator.sim.hoc_sections
    old = arrays.pop(name, None)
    if old is not None:
        for sec in old:
            sec.disconnect()
    secs = [Section(name=f"{name}[{j}]") for j in range(count)]
    arrays[name] = secs
    return secs


def load(path: str | Path, cell: Any = None) -> SwcReader:
    """Read an SWC file and instantiate it (into ``cell``, or at HOC level): the two calls
    NEURON scripts make, in one."""
    reader = Import3d_SWC_read()
    reader.input(str(path))
    Import3d_GUI(reader, 0).instantiate(cell)
    return reader
