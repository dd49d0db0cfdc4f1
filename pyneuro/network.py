"""NetCons and spike sources compiled to arrays for the compiled time loop.

Ids are stable: a NetCon keeps its creation number as its row in the arrays, so events already
queued stay valid when NetCons are added during a run. Weights live in ``nc_w`` and each
NetCon's ``_w`` is a view of its row, so ``nc.weight[0] = ...`` changes what is delivered.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from .engine.events import KIND_NETCON, EventQueue
from .engine.loopgen import MAX_REQUESTS

if TYPE_CHECKING:
    from .model import Model
    from .netcon import NetCon, PreSyn
    from .refs import Ref

SPIKE_BUFFER = 4096


class Network:
    """All NetCons and PreSyns of the simulator, and their compiled arrays."""

    def __init__(self) -> None:
        self.netcons: weakref.WeakValueDictionary[int, NetCon] = weakref.WeakValueDictionary()
        self.presyns: list[PreSyn] = []
        self._ref_presyn: dict[Any, PreSyn] = {}
        self._pp_presyn: dict[int, PreSyn] = {}
        self.queue = EventQueue()
        self.dirty = True
        self.model: Model | None = None
        # compiled arrays (see build)
        self.arrays: tuple = ()
        self.spike_t = np.zeros(SPIKE_BUFFER)
        self.spike_ps = np.zeros(SPIKE_BUFFER, dtype=np.int64)
        self.spike_n = np.zeros(1, dtype=np.int64)
        self.watchgen = np.zeros(0, dtype=np.int64)  # per instance: WATCH generation
        self.out = np.zeros((MAX_REQUESTS, 3))

    # ------------------------------------------------------------------ registration
    def presyn_for_ref(self, ref: Ref, sec: Any) -> PreSyn:
        from .netcon import PreSyn

        key = ref.key if ref.key is not None else id(ref)
        ps = self._ref_presyn.get(key)
        if ps is None:
            ps = PreSyn(ref, None, sec if sec is not None else ref.section)
            self._ref_presyn[key] = ps
            self.presyns.append(ps)
        return ps

    def presyn_for_point(self, pp: Any) -> PreSyn:
        from .netcon import PreSyn

        ps = self._pp_presyn.get(id(pp))
        if ps is None or ps.pp is None or ps.pp() is not pp:
            ps = PreSyn(None, pp, None)
            self._pp_presyn[id(pp)] = ps
            self.presyns.append(ps)
        return ps

    def add(self, nc: NetCon) -> None:
        self.netcons[nc._id] = nc
        weakref.finalize(nc, self._netcon_deleted)
        self.dirty = True

    def _netcon_deleted(self) -> None:
        self.dirty = True

    def values_changed(self, nc: NetCon) -> None:
        self.dirty = True

    def queue_netcon_event(self, nc: NetCon, t: float) -> None:
        self.queue.push(t, KIND_NETCON, nc._id)

    # ------------------------------------------------------------------ compiled form
    def build(self, model: Model) -> None:
        """Arrays for the compiled loop: PreSyns, NetCons, point process -> PreSyn."""
        from .engine.loopgen import locate

        self.model = model
        live = sorted(self.netcons.items())
        n_nc = (live[-1][0] + 1) if live else 0
        used = {id(nc._presyn): nc._presyn for _, nc in live if nc._presyn is not None}
        # a PreSyn lives while a NetCon uses it or a gid owns it (pc.cell), as in NEURON
        kept = [
            ps
            for ps in self.presyns
            if (id(ps) in used or ps.gid >= 0) and (ps.pp is None or ps.pp() is not None)
        ]
        known = {id(ps) for ps in kept}
        # a source whose PreSyn was dropped earlier (all its NetCons had gone) and used again
        self.presyns = kept + [ps for k, ps in used.items() if k not in known]
        ps_index = {id(ps): i for i, ps in enumerate(self.presyns)}
        nps = len(self.presyns)
        ps_base = np.full(nps, -1, dtype=np.int64)
        ps_off = np.zeros(nps, dtype=np.int64)
        ps_thresh = np.zeros(nps)
        old_flag = getattr(self, "ps_flag_by_presyn", {})
        ps_flag = np.array([old_flag.get(id(ps), 0.0) for ps in self.presyns])
        for i, ps in enumerate(self.presyns):
            ps_thresh[i] = ps.threshold
            if ps.ref is not None:
                arr, idx = ps.ref.resolve()
                where = locate(model, arr, idx)
                if where is None:
                    raise ValueError(f"NetCon source {ps.ref!r} is not a simulation variable")
                ps_base[i], ps_off[i] = where
        # NetCons, grouped per PreSyn in creation order
        maxw = max([nc._w.shape[0] for _, nc in live] + [1])
        nc_mech = np.full(n_nc, -1, dtype=np.int64)
        nc_inst = np.zeros(n_nc, dtype=np.int64)
        nc_delay = np.zeros(n_nc)
        nc_active = np.zeros(n_nc, dtype=np.int64)
        nc_w = np.zeros((n_nc, maxw))
        mech_index = {id(mi.mtype): k for k, mi in enumerate(model.mechanisms)}
        by_ps: list[list[int]] = [[] for _ in range(nps)]
        for i, nc in live:
            nc_delay[i] = nc._delay
            nc_active[i] = 1 if nc._active else 0
            nw = nc._w.shape[0]
            nc_w[i, :nw] = nc._w
            nc._w = nc_w[i, :nw]
            tgt = nc._target
            if (
                tgt is not None
                and tgt._seg is not None
                or (tgt is not None and tgt._mtype.kind == "artificial")
            ):
                k = mech_index.get(id(tgt._mtype))
                if k is not None:
                    nc_mech[i] = k
                    nc_inst[i] = model.mechanisms[k].instance_of(tgt)
            if nc._presyn is not None:
                by_ps[ps_index[id(nc._presyn)]].append(i)
        ps_ptr = np.zeros(nps + 1, dtype=np.int64)
        for i, lst in enumerate(by_ps):
            ps_ptr[i + 1] = ps_ptr[i] + len(lst)
        ps_list = np.array([i for lst in by_ps for i in lst], dtype=np.int64)
        # point process instance -> its PreSyn (for net_event)
        mech_ptr = np.zeros(len(model.mechanisms) + 1, dtype=np.int64)
        for k, mi in enumerate(model.mechanisms):
            mech_ptr[k + 1] = mech_ptr[k] + mi.n
        pp_ps = np.full(int(mech_ptr[-1]), -1, dtype=np.int64)
        for i, ps in enumerate(self.presyns):
            if ps.pp is not None:
                pp = ps.pp()
                k = mech_index.get(id(pp._mtype))
                if k is not None:
                    pp_ps[mech_ptr[k] + model.mechanisms[k].instance_of(pp)] = i
        if self.watchgen.shape[0] != int(mech_ptr[-1]):
            self.watchgen = np.zeros(int(mech_ptr[-1]), dtype=np.int64)
        self.queue.set_slots(int(mech_ptr[-1]))
        self.out = np.zeros((MAX_REQUESTS, 3))
        if self.spike_t.shape[0] < 4 * nps:
            self.flush_spikes()
            self.spike_t = np.zeros(4 * nps)
            self.spike_ps = np.zeros(4 * nps, dtype=np.int64)
        ps_record = np.array([1 if ps.record_vectors else 0 for ps in self.presyns], dtype=np.int64)
        self._for_netcons(model, by_ps, nc_mech, nc_inst, nc_w)
        self.ps_flag = ps_flag
        self.arrays = (
            ps_base,
            ps_off,
            ps_thresh,
            ps_flag,
            ps_ptr,
            ps_list,
            ps_record,
            nc_mech,
            nc_inst,
            nc_delay,
            nc_active,
            nc_w,
            mech_ptr,
            pp_ps,
        )
        self.dirty = False

    def _for_netcons(
        self,
        model: Model,
        by_ps: list[list[int]],
        nc_mech: np.ndarray,
        nc_inst: np.ndarray,
        nc_w: np.ndarray,
    ) -> None:
        """What FOR_NETCONS loops over (NEURON's ``fornetcon_prepare``): per instance of a
        mechanism that has the statement, the NetCons targeting it — PreSyns in order, each
        one's NetCons in creation order. NEURON keeps the NetCons without a source on one
        extra PreSyn made when the first of them was created, so they come as a group at that
        place. Addresses go into the mechanism's gl entries (docs/mechanism-abi.md 4.3)."""
        self.fnc_arrays: list[np.ndarray] = []
        loose = [i for i, nc in sorted(self.netcons.items()) if nc._presyn is None]
        groups = list(by_ps)
        if loose:
            at = next(
                (g for g, ncs in enumerate(groups) if ncs and min(ncs) > loose[0]), len(groups)
            )
            groups.insert(at, loose)
        for k, mi in enumerate(model.mechanisms):
            entries = mi.mtype.metadata.get("for_netcons")
            if not entries:
                continue
            lists: list[list[int]] = [[] for _ in range(mi.n)]
            for ncs in groups:
                for j in ncs:
                    if nc_mech[j] == k:
                        lists[int(nc_inst[j])].append(j)
            csr = np.zeros(mi.n + 1)
            csr[1:] = np.cumsum([len(lst) for lst in lists])
            rows = np.array([j for lst in lists for j in lst] + [0], dtype=np.float64)
            self.fnc_arrays += [csr, rows]
            gl, index = mi.mtype.gl, mi.mtype.global_index
            gl[index[entries["csr"]]] = float(csr.ctypes.data)
            gl[index[entries["list"]]] = float(rows.ctypes.data)
            gl[index[entries["w"]]] = float(nc_w.ctypes.data) if nc_w.size else 0.0
            gl[index[entries["stride"]]] = float(nc_w.shape[1])
            if not nc_w.size:
                gl[index[entries["csr"]]] = 0.0

    def headroom(self, model: Model) -> int:
        """Events one step can add at most (roughly): every NetCon fires and every point
        process sends a few self-events."""
        points = sum(mi.n for mi in model.mechanisms if mi.points is not None)
        return len(self.netcons) + 4 * points + 64

    def reset_for_init(self) -> None:
        """finitialize: empty queue, thresholds unarmed, spike vectors emptied."""
        self.queue.clear()
        self.spike_n[0] = 0
        self.ps_flag_by_presyn = {}
        if self.arrays:
            self.arrays[3][:] = 0.0
        for ps in self.presyns:
            for tvec, idvec, _ in ps.record_vectors:
                tvec.resize(0)
                if idvec is not None:
                    idvec.resize(0)

    def flush_spikes(self) -> None:
        """Move recorded spikes from the compiled buffer into the recording Vectors."""
        n = int(self.spike_n[0])
        for j in range(n):
            ps = self.presyns[int(self.spike_ps[j])]
            for tvec, idvec, rid in ps.record_vectors:
                tvec.append(float(self.spike_t[j]))
                if idvec is not None:
                    idvec.append(rid)
        self.spike_n[0] = 0

    def remember_flags(self) -> None:
        if self.arrays:
            self.ps_flag_by_presyn = {
                id(ps): float(self.arrays[3][i]) for i, ps in enumerate(self.presyns)
            }
