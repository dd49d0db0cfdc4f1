"""Sections and segments: the cable tree as the user builds it, and its geometry.

A `Section` is an unbranched cable of length ``L`` (µm) cut into ``nseg`` segments; a
`Segment` is a location ``sec(x)``. Geometry follows NEURON's ``treeset.cpp``: each section has
``nseg`` membrane nodes at the segment centres plus a zero-area node at its x = 1 end; a root
section also owns the zero-area node at its x = 0 end. Areas, the axial resistances between
nodes (``ri``, MΩ) and the matrix coefficients ``a``/``b`` are computed exactly as NEURON does.

Values (v, range variables of inserted mechanisms, ion variables) live in per-section arrays;
when the model is compiled those arrays are replaced by views into the model's contiguous
arrays, so reading ``seg.hh.m`` always gives the live value.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from . import simulator
from .refs import Ref

if TYPE_CHECKING:
    from .mechanism import MechanismType

DEFAULT_L = 100.0  # µm
DEFAULT_DIAM = 500.0  # µm
DEFAULT_RA = 35.4  # Ω·cm
DEFAULT_CM = 1.0  # µF/cm²
MAX_NSEG = 32767

_section_ids = itertools.count()


def _f32(*values: float) -> np.ndarray:
    """Values rounded to single precision, as NEURON stores 3-D points (float x, y, z, d)."""
    return np.array(values, dtype=np.float32).astype(np.float64)


def _diff32(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Difference of stored coordinates computed in single precision, as NEURON does."""
    return (np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)).astype(np.float64)


def _check_x(x: float) -> float:
    x = float(x)
    if not 0.0 <= x <= 1.0:
        raise ValueError("segment position range is 0 <= x <= 1")
    return x


class Section:
    """An unbranched cable; ``n.Section(name="dend", cell=obj)``."""

    def __init__(self, name: str | None = None, cell: Any = None) -> None:
        self._id = next(_section_ids)
        self._cell = weakref.ref(cell) if cell is not None else None
        base = name if name is not None else f"__nrnsec_{self._id}"
        self._name = f"{cell}.{base}" if cell is not None else base
        self._nseg = 1
        self._L = DEFAULT_L
        self._Ra = DEFAULT_RA
        self._diam = np.full(1, DEFAULT_DIAM)
        self._cm = np.full(1, DEFAULT_CM)
        self._v = np.full(2, -65.0)  # segment centres, then the x = 1 end
        self._root_v = np.full(1, -65.0)  # the x = 0 end when this is a root section
        self._mechs: dict[str, np.ndarray] = {}  # name -> (nvars, nseg)
        self._ions: dict[str, np.ndarray] = {}  # ion -> (ION_FIELDS, nseg)
        self._parent_ref: weakref.ref[Section] | None = None
        self._parent_x = 1.0
        self._child_end = 0.0  # which end of this section touches the parent
        self._children: list[weakref.ref[Section]] = []
        self._points: list[weakref.ref] = []
        self._pt3d = np.empty((0, 5))  # rows: x, y, z, diam (µm), arc length from point 0 (µm)
        self._pt3d_logical: tuple[float, float, float] | None = None  # pt3dstyle(1, x, y, z)
        self._deleted = False  # HOC's delete_section()
        self._ion_style: dict[str, int] = {}  # ion -> style set by ion_style()
        # filled in by the model compiler
        self._node_start = -1
        self._root_index = -1
        simulator.sim.register_section(self)

    # ---------------------------------------------------------------- naming
    def name(self) -> str:
        return self._name

    hname = name

    def __str__(self) -> str:
        return self._name

    __repr__ = __str__

    def cell(self) -> Any:
        return self._cell() if self._cell is not None else None

    def is_pysec(self) -> bool:
        return True

    # ---------------------------------------------------------------- geometry properties
    @property
    def L(self) -> float:
        """Length in µm."""
        return self._L

    @L.setter
    def L(self, value: float) -> None:
        value = float(value)
        if value <= 0:
            raise ValueError(f"{self}: L must be positive (got {value})")
        if len(self._pt3d) > 1:
            # NEURON's nrn_length_change: scale the points about the first one
            p = self._pt3d
            fac = value / p[-1, 4]
            p[:, :3] = _f32(*(p[0, :3] + _diff32(p[:, :3], p[0, :3]) * fac).ravel()).reshape(-1, 3)
            p[:, 4] *= fac
        self._L = value
        simulator.sim.geometry_changed()

    @property
    def Ra(self) -> float:
        """Axial resistivity in Ω·cm."""
        return self._Ra

    @Ra.setter
    def Ra(self, value: float) -> None:
        value = float(value)
        if value <= 0:
            raise ValueError(f"{self}: Ra must be positive (got {value})")
        self._Ra = value
        simulator.sim.geometry_changed()

    @property
    def diam(self) -> float:
        """Diameter in µm: reads the middle segment's value, assignment sets every segment."""
        self._sync_pt3d_diam()
        return float(self._diam[self._seg_index(0.5)])

    @diam.setter
    def diam(self, value: float) -> None:
        self._diam[:] = float(value)
        self._diam_to_pt3d()
        simulator.sim.geometry_changed()

    @property
    def cm(self) -> float:
        """Specific membrane capacitance in µF/cm² (middle segment; assignment sets all)."""
        return float(self._cm[self._seg_index(0.5)])

    @cm.setter
    def cm(self, value: float) -> None:
        self._cm[:] = float(value)
        simulator.sim.geometry_changed()

    @property
    def nseg(self) -> int:
        return self._nseg

    @nseg.setter
    def nseg(self, value: int) -> None:
        if int(value) != value or not 1 <= value <= MAX_NSEG:
            raise ValueError("nseg must be an integer in range 1 to 32767")
        value = int(value)
        if value == self._nseg:
            return
        # NEURON keeps range values: new segment i takes the value of the old segment that
        # contains its centre.
        old = self._nseg
        pick = np.array([self._old_index(old, (i + 0.5) / value) for i in range(value)])
        self._diam = np.array(self._diam[pick])
        self._cm = np.array(self._cm[pick])
        self._v = np.concatenate([self._v[pick], self._v[old:]])
        self._mechs = {k: np.array(a[:, pick]) for k, a in self._mechs.items()}
        self._ions = {k: np.array(a[:, pick]) for k, a in self._ions.items()}
        self._nseg = value
        simulator.sim.structure_changed()

    @staticmethod
    def _old_index(nseg: int, x: float) -> int:
        i = int(nseg * x)
        return nseg - 1 if i == nseg else i

    def _internal_x(self, x: float) -> float:
        """x measured from the end that touches the parent (NEURON's arc position)."""
        return 1.0 - x if self._child_end == 1.0 else x

    def _seg_index(self, x: float) -> int:
        """Index of the segment containing x (NEURON's ``node_index``)."""
        return self._old_index(self._nseg, self._internal_x(_check_x(x)))

    # ---------------------------------------------------------------- tree
    def connect(
        self, parent: Segment | Section, arg2: float | None = None, arg3: float | None = None
    ) -> Section:
        """Attach this section's ``child_end`` to a parent location.

        ``child.connect(parent(x))``, ``child.connect(parent(x), child_end)`` or
        ``child.connect(parent, x=1, child_end=0)``, as in NEURON.
        """
        if isinstance(parent, Segment):
            parent_sec, parent_x = parent.sec, parent.x
            child_end = 0.0 if arg2 is None else float(arg2)
        elif isinstance(parent, Section):
            parent_sec = parent
            parent_x = 1.0 if arg2 is None else _check_x(arg2)
            child_end = 0.0 if arg3 is None else float(arg3)
        else:
            raise TypeError("connect: the parent must be a Section or a Segment")
        if child_end not in (0.0, 1.0):
            raise ValueError("child_end must be 0 or 1")
        p = parent_sec
        while p is not None:
            if p is self:
                raise RuntimeError(f"connect {self} to {parent_sec} would make a loop")
            p = p.parentseg().sec if p.parentseg() is not None else None
        self.disconnect()
        self._parent_ref = weakref.ref(parent_sec)
        self._parent_x = parent_x
        self._child_end = child_end
        parent_sec._children.append(weakref.ref(self))
        simulator.sim.structure_changed()
        return self

    def disconnect(self) -> None:
        parent = self._parent
        if parent is not None:
            parent._children = [c for c in parent._children if c() is not None and c() is not self]
            self._parent_ref = None
            simulator.sim.structure_changed()

    @property
    def _parent(self) -> Section | None:
        return self._parent_ref() if self._parent_ref is not None else None

    def parentseg(self) -> Segment | None:
        parent = self._parent
        return None if parent is None else Segment(parent, self._parent_x)

    def trueparentseg(self) -> Segment | None:
        """The first parent connection not at x = 0 of a parent (NEURON's rule)."""
        sec = self
        while True:
            seg = sec.parentseg()
            if seg is None or seg.x != 0.0:
                return seg
            sec = seg.sec

    def children(self) -> list[Section]:
        """Child sections, most recently connected first, as NEURON lists them."""
        kids = [c() for c in self._children]
        return [k for k in reversed(kids) if k is not None]

    def orientation(self) -> float:
        return self._child_end

    def root(self) -> Section:
        sec = self
        while sec._parent is not None:
            sec = sec._parent
        return sec

    def subtree(self) -> list[Section]:
        out = [self]
        for child in self.children():
            out.extend(child.subtree())
        return out

    def wholetree(self) -> list[Section]:
        return self.root().subtree()

    # ---------------------------------------------------------------- segments
    def __call__(self, x: float) -> Segment:
        return Segment(self, _check_x(x))

    def __iter__(self) -> Iterator[Segment]:
        for i in range(self._nseg):
            yield Segment(self, (i + 0.5) / self._nseg)

    def allseg(self) -> Iterator[Segment]:
        yield Segment(self, 0.0)
        yield from self
        yield Segment(self, 1.0)

    def _node_ref(self, x: float) -> tuple[np.ndarray, int]:
        """(array, index) of the voltage node at x (NEURON's ``node_exact``)."""
        xi = self._internal_x(x)
        if 0.0 < xi < 1.0:
            return self._v, self._seg_index(x)
        if xi >= 1.0:
            return self._v, self._nseg
        parent = self._parent
        if parent is None:
            return self._root_v, 0
        return parent._node_ref(self._parent_x)

    def _node_key(self, x: float) -> tuple[int, int]:
        """(section id, local node number) naming the voltage node at x; -1 = root node."""
        xi = self._internal_x(x)
        if 0.0 < xi < 1.0:
            return self._id, self._seg_index(x)
        if xi >= 1.0:
            return self._id, self._nseg
        parent = self._parent
        if parent is None:
            return self._id, -1
        return parent._node_key(self._parent_x)

    def _node_global(self, x: float) -> int:
        """Global node index of the node at x, valid once the model is compiled."""
        xi = self._internal_x(x)
        if 0.0 < xi < 1.0:
            return self._node_start + self._seg_index(x)
        if xi >= 1.0:
            return self._node_start + self._nseg
        parent = self._parent
        if parent is None:
            return self._root_index
        return parent._node_global(self._parent_x)

    # ---------------------------------------------------------------- geometry (treeset.cpp)
    def _area_rinv(self) -> tuple[np.ndarray, np.ndarray]:
        """Node areas (µm²) and axial conductances to the parent node (µS), as ``nrn_area_ri``.

        Arrays of length nseg + 1 in internal order: the segment centres, then the x = 1 node,
        whose area is NEURON's dimensionless 100 (it has no membrane) and whose conductance is
        that of the right half of the last segment.
        """
        if len(self._pt3d) > 1:
            return self._area_rinv_pt3d()
        nseg = self._nseg
        dx = self._L / nseg
        area = np.empty(nseg + 1)
        rinv = np.empty(nseg + 1)
        rright = 0.0
        for j in range(nseg):
            diam = float(self._diam[j])
            if diam <= 0.0:
                raise ValueError(f"{self}: diameter diam = {diam} must be positive")
            area[j] = math.pi * diam * dx
            rleft = 1e-2 * self._Ra * (dx / 2) / (math.pi * diam * diam / 4.0)
            rinv[j] = 1.0 / (rleft + rright)
            rright = rleft
        area[nseg] = 1e2
        rinv[nseg] = 1.0 / rright
        return area, rinv

    # ---------------------------------------------------------------- 3-D points
    def pt3dadd(self, x: float, y: float, z: float, diam: float) -> None:
        """Append a 3-D point (coordinates and diameter in µm); L becomes the arc length."""
        self.pt3dinsert(len(self._pt3d), x, y, z, diam)

    def pt3dinsert(self, i: int, x: float, y: float, z: float, diam: float) -> None:
        """Insert a 3-D point (µm) before point ``i`` (0 <= i <= n3d())."""
        i = int(i)
        if not 0 <= i <= len(self._pt3d):
            raise IndexError(f"{self}: pt3dinsert index {i} out of range 0..{len(self._pt3d)}")
        row = np.array([[*_f32(x, y, z, diam), 0.0]])
        self._pt3d = np.concatenate([self._pt3d[:i], row, self._pt3d[i:]])
        self._pt3d_modified(i)

    def pt3dchange(self, i: int, *args: float) -> None:
        """``pt3dchange(i, diam)`` or ``pt3dchange(i, x, y, z, diam)`` (µm)."""
        i = self._check_pt(i)
        if len(args) == 1:
            self._pt3d[i, 3] = _f32(args[0])[0]
        elif len(args) == 4:
            self._pt3d[i, :4] = _f32(*args)
        else:
            raise TypeError("pt3dchange(i, diam) or pt3dchange(i, x, y, z, diam)")
        self._pt3d_modified(i)

    def pt3dremove(self, i: int) -> None:
        """Remove 3-D point ``i``."""
        i = self._check_pt(i)
        self._pt3d = np.delete(self._pt3d, i, axis=0)
        if len(self._pt3d):
            self._pt3d_modified(min(i, len(self._pt3d) - 1))
        else:
            simulator.sim.geometry_changed()

    def pt3dclear(self, buffer_size: int = 0) -> None:
        """Remove all 3-D points; L keeps the arc length and segment diameters keep the values
        last computed from the points (as NEURON: not recomputed by the clear itself)."""
        self._pt3d = np.empty((0, 5))
        simulator.sim.geometry_changed()

    def pt3dstyle(self, style: float | None = None, *xyz: float) -> int:
        """``pt3dstyle()`` gives 1 when the section has a logical connection point;
        ``pt3dstyle(1, x, y, z)`` sets it (µm), ``pt3dstyle(0)`` removes it. It only says
        where the section is drawn to meet its parent; geometry is unchanged, as in NEURON."""
        if style is not None:
            if int(style) == 0:
                self._pt3d_logical = None
            elif len(xyz) == 3:
                self._pt3d_logical = tuple(float(v) for v in _f32(*xyz))  # type: ignore[assignment]
            else:
                raise TypeError("pt3dstyle(1, x, y, z) or pt3dstyle(0)")
        return int(self._pt3d_logical is not None)

    def n3d(self) -> int:
        """Number of 3-D points."""
        return len(self._pt3d)

    def _check_pt(self, i: int) -> int:
        i = int(i)
        if not 0 <= i < len(self._pt3d):
            raise IndexError(f"{self}: 3-D point index {i} out of range 0..{len(self._pt3d) - 1}")
        return i

    def x3d(self, i: int) -> float:
        """x coordinate of point ``i`` (µm)."""
        return float(self._pt3d[self._check_pt(i), 0])

    def y3d(self, i: int) -> float:
        """y coordinate of point ``i`` (µm)."""
        return float(self._pt3d[self._check_pt(i), 1])

    def z3d(self, i: int) -> float:
        """z coordinate of point ``i`` (µm)."""
        return float(self._pt3d[self._check_pt(i), 2])

    def diam3d(self, i: int) -> float:
        """Diameter at point ``i`` (µm)."""
        return float(abs(self._pt3d[self._check_pt(i), 3]))

    def arc3d(self, i: int) -> float:
        """Arc length from point 0 to point ``i`` (µm)."""
        return float(self._pt3d[self._check_pt(i), 4])

    def spine3d(self, i: int) -> int:
        """1 if point ``i`` carries a spine (negative stored diameter), else 0."""
        return int(self._pt3d[self._check_pt(i), 3] < 0)

    def _pt3d_modified(self, i0: int) -> None:
        """Recompute arc lengths from point ``i0`` on, as NEURON's nrn_pt3dmodified."""
        p = self._pt3d
        if p[i0, 3] < 0:
            raise ValueError(f"{self}: diameter less than 0")
        if i0 == 0:
            p[0, 4] = 0.0
            i0 = 1
        for i in range(i0, len(p)):
            d = _diff32(p[i, :3], p[i - 1, :3])
            p[i, 4] = p[i - 1, 4] + math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
        self._L = max(float(p[-1, 4]), 1e-9)  # NEURON's section_length floor
        simulator.sim.geometry_changed()

    def _diam_to_pt3d(self) -> None:
        """After diam is assigned, give each point its segment's diameter (nrn_diam_change)."""
        p = self._pt3d
        if not len(p):
            return
        length = self._L
        if abs(length - p[-1, 4]) > 1e-3:
            self.L = length
        for i in range(len(p)):
            x = min(p[i, 4] / length, 1.0)
            p[i, 3] = _f32(self._diam[min(int(x * self._nseg), self._nseg - 1)])[0]

    def _sync_pt3d_diam(self) -> None:
        """With 3-D points, segment diameters are the points' averages: refresh them."""
        if len(self._pt3d) > 1:
            self._area_rinv()

    def _area_rinv_pt3d(self) -> tuple[np.ndarray, np.ndarray]:
        """Areas and conductances by trapezoidal integration over the 3-D points, as
        NEURON's diam_from_list (including the taper term of the area); sets segment diam."""
        p = self._pt3d
        arc = p[:, 4]
        dd = np.abs(p[:, 3])
        npt = len(p)
        nseg = self._nseg
        ra = self._Ra
        area = np.empty(nseg + 1)
        rinv = np.empty(nseg + 1)
        ds = arc[-1] / nseg
        j = 0
        x1 = arc[0]
        y1 = dd[0]
        rparent = 0.0
        for inode in range(nseg):
            si = inode * ds
            diam = 0.0
            a = 0.0
            rleft = 0.0
            ri = 0.0
            for ihalf in range(2):
                ri = 0.0
                sip = si + ds / 2.0
                while True:
                    jp = j + 1
                    xj = arc[j]
                    xjp = arc[jp]
                    if xjp > sip or jp == npt - 1:
                        frac = 1.0 if abs(xjp - xj) < 1e-10 else (sip - xj) / (xjp - xj)
                        x2 = sip
                        y2 = (1.0 - frac) * dd[j] + frac * dd[jp]
                        jnext = j
                    else:
                        x2 = xjp
                        y2 = dd[jp]
                        jnext = jp
                    delta = x2 - x1
                    diam += (y2 + y1) * delta
                    if delta < 1e-15:
                        delta = 1e-15
                    temp = y2 * y1 / delta
                    if temp == 0:
                        temp = 1e-15
                    ri += 1 / temp
                    temp = 0.5 * (y2 - y1)
                    temp = math.sqrt(delta * delta + temp * temp)
                    a += (y2 + y1) * temp
                    x1 = x2
                    y1 = y2
                    if j == jnext:
                        break
                    j = jnext
                if ihalf == 0:
                    rleft = ri * ra / math.pi * (4.0 * 0.01)
                else:
                    ri = ri * ra / math.pi * (4.0 * 0.01)
                si = sip
            rinv[inode] = 1.0 / (rparent + rleft)
            diam *= 0.5 / ds
            if abs(diam - self._diam[inode]) > 1e-9 or diam < 1e-5:
                self._diam[inode] = diam
            area[inode] = a * 0.5 * math.pi
            rparent = ri
        area[nseg] = 1e2
        rinv[nseg] = 1.0 / rparent
        return area, rinv

    # ---------------------------------------------------------------- mechanisms
    def insert(self, mech: str | MechanismType) -> Section:
        if isinstance(mech, str) and mech.endswith("_ion"):
            self._ensure_ion(mech[:-4])
            return self
        mtype = simulator.sim.mechanism_type(mech, density=True)
        mtype.check_usable()
        if mtype.name not in self._mechs:
            for ion in mtype.ion_names:
                self._ensure_ion(ion)
            self._mechs[mtype.name] = mtype.default_block(self._nseg)
            simulator.sim.structure_changed()
        return self

    def uninsert(self, mech: str | MechanismType) -> Section:
        mtype = simulator.sim.mechanism_type(mech, density=True)
        if self._mechs.pop(mtype.name, None) is not None:
            simulator.sim.structure_changed()
        return self

    def has_membrane(self, name: str) -> bool:
        return name in self._mechs

    def _ensure_ion(self, ion: str) -> None:
        if ion not in self._ions:
            from .ions import ion_type

            self._ions[ion] = ion_type(ion).default_block(self._nseg)
            simulator.sim.structure_changed()

    # ---------------------------------------------------------------- range variables
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(Segment(self, 0.5), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or name in _SECTION_ATTRS:
            object.__setattr__(self, name, value)
            return
        store, row, _ = _locate_range(self, name)
        store[row][:] = value
        simulator.sim.values_changed()

    def psection(self) -> dict:
        """NEURON 9's ``sec.psection()`` dictionary."""
        density = {}
        for mname, block in self._mechs.items():
            mtype = simulator.sim.mechanisms[mname]
            density[mname] = {v: block[i].tolist() for v, i in mtype.range_index.items()}
        ions = {}
        for ion, block in self._ions.items():
            from .ions import ion_type

            ions[ion] = {v: block[i].tolist() for i, v in enumerate(ion_type(ion).range_names)}
        points: dict[str, set] = {}
        for ref in self._points:
            pp = ref()
            if pp is not None:
                points.setdefault(pp._mtype.name, set()).add(pp)
        parent = self.parentseg()
        trueparent = self.trueparentseg()
        return {
            "point_processes": points,
            "density_mechs": density,
            "ions": ions,
            "morphology": {
                "L": self._L,
                "diam": self._diam.tolist(),
                "pts3d": [],
                "parent": parent,
                "trueparent": trueparent,
            },
            "nseg": self._nseg,
            "Ra": self._Ra,
            "cm": self._cm.tolist(),
            "regions": set(),
            "species": set(),
            "name": self._name,
            "hoc_internal_name": f"__nrnsec_{self._id}",
            "cell": self.cell(),
        }


_SECTION_ATTRS = {"L", "Ra", "diam", "cm", "nseg"}


def _locate_range(sec: Section, name: str) -> tuple[Any, int, str]:
    """Find ``name`` (``gnabar_hh``, ``ena``, ...) in a section: (store, row, mechanism)."""
    for mname, block in sec._mechs.items():
        mtype = simulator.sim.mechanisms[mname]
        suffix = "_" + mname
        if name.endswith(suffix):
            var = name[: -len(suffix)]
            row = mtype.range_index.get(var)
            if row is not None:
                return block, row, mname
    from .ions import ion_type

    for ion, block in sec._ions.items():
        row = ion_type(ion).range_index.get(name)
        if row is not None:
            return block, row, ion + "_ion"
    raise AttributeError(f"{name}, the mechanism does not exist at {sec}")


class Segment:
    """The location ``sec(x)``: voltage, geometry and mechanism values at that point."""

    __slots__ = ("sec", "x")

    def __init__(self, sec: Section, x: float) -> None:
        object.__setattr__(self, "sec", sec)
        object.__setattr__(self, "x", float(x))

    def __repr__(self) -> str:
        return f"{self.sec}({self.x:g})"

    def hname(self) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Segment) and other.sec is self.sec and other.x == self.x

    def __hash__(self) -> int:
        return hash((id(self.sec), self.x))

    @property
    def _index(self) -> int:
        return self.sec._seg_index(self.x)

    # voltage
    @property
    def v(self) -> float:
        arr, i = self.sec._node_ref(self.x)
        return float(arr[i])

    @v.setter
    def v(self, value: float) -> None:
        arr, i = self.sec._node_ref(self.x)
        arr[i] = value

    @property
    def _ref_v(self) -> Ref:
        sec, x = self.sec, self.x
        return Ref(lambda: sec._node_ref(x), f"{self}.v", ("v", *sec._node_key(x)), sec)

    # geometry
    @property
    def diam(self) -> float:
        self.sec._sync_pt3d_diam()
        return float(self.sec._diam[self._index])

    @diam.setter
    def diam(self, value: float) -> None:
        self.sec._diam[self._index] = value
        self.sec._diam_to_pt3d()
        simulator.sim.geometry_changed()

    @property
    def cm(self) -> float:
        return float(self.sec._cm[self._index])

    @cm.setter
    def cm(self, value: float) -> None:
        self.sec._cm[self._index] = value
        simulator.sim.geometry_changed()

    def area(self) -> float:
        """Membrane area of the segment in µm² (0 at the section ends, as NEURON)."""
        if not 0.0 < self.x < 1.0:
            return 0.0
        area, _ = self.sec._area_rinv()
        return float(area[self._index])

    def ri(self) -> float:
        """Axial resistance (MΩ) between this segment's node and its parent node."""
        sec, x = self.sec, self.x
        xi = sec._internal_x(x)
        if xi <= 0.0:
            parent = sec._parent
            if parent is None:
                return 1e30
            return Segment(parent, sec._parent_x).ri()
        _, rinv = sec._area_rinv()
        g = rinv[sec._nseg if xi >= 1.0 else self._index]
        return 1.0 / g if g else 1e30

    def volume(self) -> float:
        """Cylinder volume of the segment in µm³."""
        d = self.diam
        return math.pi * d * d / 4.0 * self.sec.L / self.sec.nseg

    # mechanisms
    def __iter__(self):
        from .mechanism import MechanismView

        for ion in sorted(self.sec._ions):
            yield MechanismView(self, ion + "_ion")
        for mname in self.sec._mechs:
            yield MechanismView(self, mname)

    def point_processes(self) -> list:
        out = []
        for ref in self.sec._points:
            pp = ref()
            if pp is not None and pp.get_segment() == self:
                out.append(pp)
        return out

    def __getattr__(self, name: str) -> Any:
        sec = self.sec
        if name.startswith("_ref_"):
            var = name[5:]
            store, row, _ = _locate_range(sec, var)
            col = self._index
            return Ref(lambda: (_current_store(sec, var)[row], col), f"{self}.{var}")
        if name.startswith("_"):
            raise AttributeError(name)
        if name in sec._mechs or (name.endswith("_ion") and name[:-4] in sec._ions):
            from .mechanism import MechanismView

            return MechanismView(self, name)
        try:
            store, row, _ = _locate_range(sec, name)
        except AttributeError:
            known = simulator.sim.mechanisms
            if name in known or any(name.endswith("_" + m) for m in known):
                raise AttributeError(f"{name}, the mechanism does not exist at {self}") from None
            raise AttributeError(f"'nrn.Segment' object has no attribute '{name}'") from None
        return float(store[row, self._index])

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("v", "diam", "cm"):
            type(self).__dict__[name].__set__(self, value)
            return
        if name in ("sec", "x"):
            raise AttributeError(f"segment attribute {name} is read-only")
        store, row, _ = _locate_range(self.sec, name)
        store[row, self._index] = value
        simulator.sim.values_changed()


def _current_store(sec: Section, var: str) -> np.ndarray:
    """The live array holding ``var`` (looked up again because compiling swaps arrays)."""
    store, _, _ = _locate_range(sec, var)
    return store
