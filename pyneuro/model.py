"""Section tree → flat arrays in Hines order: the data the engine steps.

Node order: the root node (x = 0 end) of every tree first, then each section's nodes (segment
centres, then its x = 1 node), sections in breadth-first order from their roots, so every
node's parent has a smaller index. Per node we keep v, rhs, d, area, diam (`nd`, see
docs/mechanism-abi.md), the capacitance cm, and NEURON's off-diagonal coefficients ``a`` (the
node's effect on its parent's equation) and ``b`` (the parent's effect on the node's).

After compiling, each section's value arrays are views into these arrays, so Python reads and
writes the live values and nothing is copied per step.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .ions import ION_FIELDS, ion_type

if TYPE_CHECKING:
    from .mechanism import MechanismType
    from .simulator import Simulator
    from .topology import Section

ND_V, ND_RHS, ND_D, ND_AREA, ND_DIAM = 0, 1, 2, 3, 4
NODE_FIELDS = 5


@dataclass
class MechanismInstances:
    """All instances of one mechanism type in the model, in the kernel's layout."""

    mtype: MechanismType
    ni: np.ndarray  # int64 node index per instance
    data: np.ndarray  # (nvars, n)
    ion_slot: np.ndarray  # int64: the mechanism's ion k -> row of Model.ions
    points: dict[int, int] | None = None  # id(point process) -> instance column

    @property
    def n(self) -> int:
        return int(self.ni.shape[0])

    def instance_of(self, pp: object) -> int:
        assert self.points is not None
        return self.points[id(pp)]


class Model:
    """The compiled model: node arrays, mechanism instance arrays and ion arrays."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        sections = self._tree_order(sim.living_sections())
        # weak references: the model must not keep deleted sections alive (NEURON deletes a
        # Python section with its last reference); a deletion marks the model for rebuilding
        self._sections = [weakref.ref(s) for s in sections]
        roots = [s for s in sections if s._parent is None]
        self.ncell = len(roots)
        # each cell (tree) owns a contiguous block of nodes: its root node, then its sections
        # (tree order is root-by-root breadth first), so cells can be solved independently
        cell_of_root = {id(r): c for c, r in enumerate(roots)}
        cell_start = np.zeros(self.ncell + 1, dtype=np.int64)
        start = 0
        cell = -1
        for sec in sections:
            if sec._parent is None:
                cell = cell_of_root[id(sec)]
                cell_start[cell] = start
                sec._root_index = start
                start += 1
            sec._node_start = start
            start += sec._nseg + 1
        cell_start[self.ncell] = start
        self.cell_start = cell_start
        self.nnode = start
        # a network of artificial cells alone has no cable: keep one inert node so that
        # kernels always have valid node arrays, and skip the matrix
        self.has_cable = start > 0
        if not self.has_cable:
            start = self.nnode = 1
        self.parent = np.full(self.nnode, -1, dtype=np.int64)  # roots keep -1
        for sec in sections:
            s0 = sec._node_start
            parent = sec._parent
            self.parent[s0] = (
                sec._root_index if parent is None else parent._node_global(sec._parent_x)
            )
            self.parent[s0 + 1 : s0 + sec._nseg + 1] = np.arange(s0, s0 + sec._nseg)
        self.nd = np.zeros((NODE_FIELDS, self.nnode))
        self.cm = np.zeros(self.nnode)
        self.a = np.zeros(self.nnode)
        self.b = np.zeros(self.nnode)
        self._gather_voltages(roots)
        self.update_geometry()
        self.ion_names = self._ion_order()
        self.ions = self._gather_ions()
        self.mechanisms = self._gather_mechanisms()
        self.ion_style, self.ion_charge = self._ion_styles()
        self._loop = None
        self._chunks = None

    @property
    def sections(self) -> list[Section]:
        """The model's sections in tree order (those still alive)."""
        return [s for s in (r() for r in self._sections) if s is not None]

    # ------------------------------------------------------------------ layout
    @staticmethod
    def _tree_order(sections: list[Section]) -> list[Section]:
        alive = {id(s) for s in sections}
        order: list[Section] = []
        for root in sections:
            if root._parent is not None and id(root._parent) in alive:
                continue
            queue = [root]
            while queue:
                sec = queue.pop(0)
                order.append(sec)
                queue.extend(c for c in reversed(sec.children()) if id(c) in alive)
        return order

    def _gather_voltages(self, roots: list[Section]) -> None:
        v = self.nd[ND_V]
        for sec in roots:
            i = sec._root_index
            v[i] = sec._root_v[0]
            sec._root_v = v[i : i + 1]
        for sec in self.sections:
            s0, n = sec._node_start, sec._nseg + 1
            v[s0 : s0 + n] = sec._v
            sec._v = v[s0 : s0 + n]

    def update_geometry(self) -> None:
        """Areas, diameters, capacitance and the axial coefficients (NEURON's
        ``connection_coef``); run again when L, diam, Ra or cm change."""
        area = self.nd[ND_AREA]
        area[self.cell_start[:-1]] = 1e2  # root nodes have no membrane: NEURON's 100
        rinv = np.zeros(self.nnode)
        self.cm[:] = 0.0
        for sec in self.sections:
            s0, nseg = sec._node_start, sec._nseg
            sec_area, sec_rinv = sec._area_rinv()
            area[s0 : s0 + nseg + 1] = sec_area
            rinv[s0 : s0 + nseg + 1] = sec_rinv
            self.nd[ND_DIAM, s0 : s0 + nseg] = sec._diam
            self.cm[s0 : s0 + nseg] = sec._cm
        for sec in self.sections:
            s0, nseg = sec._node_start, sec._nseg
            # the node's effect on its parent's equation, scaled by the parent's area
            self.a[s0] = -1e2 * rinv[s0] / area[self.parent[s0]]
            for j in range(1, nseg + 1):
                self.a[s0 + j] = -1e2 * rinv[s0 + j] / area[s0 + j - 1]
            # the parent's effect on the node's equation
            for j in range(nseg + 1):
                self.b[s0 + j] = -1e2 * rinv[s0 + j] / area[s0 + j]

    def _ion_order(self) -> list[str]:
        names: list[str] = []
        for sec in self.sections:
            for ion in sec._ions:
                if ion not in names:
                    names.append(ion)
        for mtype in self.sim.mechanisms.values():
            for ion in mtype.ion_names:
                if ion not in names and any(p._mtype is mtype for p in self.sim.living_points()):
                    names.append(ion)
        return names

    def _gather_ions(self) -> np.ndarray:
        ions = np.zeros((len(self.ion_names), ION_FIELDS, self.nnode))
        for k, name in enumerate(self.ion_names):
            ions[k] = ion_type(name).defaults[:, None]
        for sec in self.sections:
            s0, nseg = sec._node_start, sec._nseg
            for ion, block in sec._ions.items():
                k = self.ion_names.index(ion)
                ions[k, :, s0 : s0 + nseg] = block
                sec._ions[ion] = ions[k, :, s0 : s0 + nseg]
        return ions

    def _gather_mechanisms(self) -> list[MechanismInstances]:
        out: list[MechanismInstances] = []
        points = self.sim.living_points()
        for mtype in self.sim.mechanisms.values():
            if mtype.kind == "density":
                owners = [s for s in self.sections if mtype.name in s._mechs]
                if not owners:
                    continue
                total = sum(s._nseg for s in owners)
                data = np.empty((mtype.nrows, total))
                ni = np.empty(total, dtype=np.int64)
                k = 0
                for sec in owners:
                    nseg, s0 = sec._nseg, sec._node_start
                    data[:, k : k + nseg] = sec._mechs[mtype.name]
                    sec._mechs[mtype.name] = data[:, k : k + nseg]
                    ni[k : k + nseg] = np.arange(s0, s0 + nseg)
                    k += nseg
            else:
                # artificial cells have no location; their kernels never touch node data
                mine = [
                    p
                    for p in points
                    if p._mtype is mtype and (p._seg is not None or mtype.kind == "artificial")
                ]
                if not mine:
                    continue
                # instances in node order (stable: creation order at one node), so that each
                # node chunk of the threaded loop owns a contiguous block of instances
                mine.sort(key=lambda p: p._seg.sec._node_global(p._seg.x) if p._seg else 0)
                data = np.empty((mtype.nrows, len(mine)))
                ni = np.zeros(len(mine), dtype=np.int64)
                for k, pp in enumerate(mine):
                    data[:, k] = pp._data[:, 0]
                    object.__setattr__(pp, "_data", data[:, k : k + 1])
                    if pp._seg is not None:
                        ni[k] = pp._seg.sec._node_global(pp._seg.x)
                slots = np.array([self.ion_names.index(i) for i in mtype.ion_names], dtype=np.int64)
                out.append(
                    MechanismInstances(
                        mtype, ni, data, slots, {id(p): k for k, p in enumerate(mine)}
                    )
                )
                continue
            slots = np.array([self.ion_names.index(i) for i in mtype.ion_names], dtype=np.int64)
            out.append(MechanismInstances(mtype, ni, data, slots))
        return out

    def _ion_styles(self) -> tuple[np.ndarray, np.ndarray]:
        """Per ion and node, NEURON's iontype bitmap promoted from every mechanism there."""
        from .engine.ionstep import style_bits

        nion = len(self.ion_names)
        conc = np.zeros((nion, self.nnode), dtype=np.int64)
        rev = np.zeros((nion, self.nnode), dtype=np.int64)
        charge = np.array([ion_type(name).charge for name in self.ion_names])
        for mi in self.mechanisms:
            for slot, use in zip(mi.ion_slot, mi.mtype.metadata["ions"]):
                name = use["name"]
                if use.get("valence") is not None:
                    charge[slot] = float(use["valence"])
                read, write = set(use.get("read", ())), set(use.get("write", ()))
                concs = {f"{name}i", f"{name}o"}
                c = 3 if write & concs else (1 if read & concs else 0)
                r = 3 if f"e{name}" in write else (1 if f"e{name}" in read else 0)
                np.maximum.at(conc[slot], mi.ni, c)
                np.maximum.at(rev[slot], mi.ni, r)
        style = np.zeros((nion, self.nnode), dtype=np.int64)
        for k in range(nion):
            for c in np.unique(conc[k]):
                for r in np.unique(rev[k]):
                    mask = (conc[k] == c) & (rev[k] == r)
                    style[k, mask] = style_bits(int(c), int(r))
        for sec in self.sections:  # ion_style() of the script replaces the promoted style
            for ion, istyle in sec._ion_style.items():
                if ion in self.ion_names:
                    nodes = [sec._node_global((j + 0.5) / sec.nseg) for j in range(sec.nseg)]
                    style[self.ion_names.index(ion), nodes] = istyle
        return style, charge

    def ion_initial_concentrations(self) -> np.ndarray:
        """(inside, outside) concentrations each ion is reset to where CINIT (mM)."""
        out = np.zeros((len(self.ion_names), 2))
        for k, name in enumerate(self.ion_names):
            ion = ion_type(name)
            out[k] = ion.ci0, ion.co0
        return out

    def node_of(self, sec: Section, x: float) -> int:
        return sec._node_global(x)

    @property
    def thread_safe(self) -> bool:
        """False when a mechanism writes a GLOBAL from its kernels (shared by all instances,
        so instances cannot run concurrently)."""
        return not any(
            g.get("written") for mi in self.mechanisms for g in mi.mtype.metadata["globals"]
        )

    def chunks(self, nthread: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Node chunks for the threaded loop: (chunk_node, chunk_cell, chunk_inst).

        With at least as many cells as threads, chunks hold whole cells with about equal node
        counts (chunk_cell gives their cell ranges) and the Hines solves run in parallel too;
        otherwise nodes are split evenly, chunk_cell[0] = -1, and only mechanisms run in
        parallel. chunk_inst[k] are mechanism k's instance boundaries. Every cell is computed
        the same way whatever the chunking, so results do not depend on the thread count.
        """
        key = (nthread,)
        if self._chunks is not None and self._chunks[0] == key:
            return self._chunks[1]
        nthread = max(1, nthread)
        if self.ncell >= nthread:
            sizes = np.diff(self.cell_start)
            target = np.cumsum(sizes) / sizes.sum() * nthread
            bounds = [0]
            for t in range(1, nthread):
                bounds.append(int(np.searchsorted(target, t - 1e-9)) + 1)
            bounds.append(self.ncell)
            chunk_cell = np.unique(np.array(bounds, dtype=np.int64))
            chunk_node = self.cell_start[chunk_cell]
        else:
            chunk_node = np.unique(np.linspace(0, self.nnode, nthread + 1).astype(np.int64))
            chunk_cell = np.full(chunk_node.shape[0], -1, dtype=np.int64)
        chunk_inst = np.zeros((max(1, len(self.mechanisms)), chunk_node.shape[0]), np.int64)
        for k, mi in enumerate(self.mechanisms):
            chunk_inst[k] = np.searchsorted(mi.ni, chunk_node, side="left")
            chunk_inst[k, -1] = mi.n
        self._chunks = (key, (chunk_node, chunk_cell, chunk_inst))
        return self._chunks[1]

    def loop(self):
        """The compiled time loop for this model's mechanism set (generated on first use)."""
        if self._loop is None:
            from .engine.loopgen import load_loop

            self._loop = load_loop(self)
        return self._loop
