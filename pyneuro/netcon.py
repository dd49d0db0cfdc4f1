"""``n.NetCon``: connections that carry spikes from a source to a point process's NET_RECEIVE.

As in NEURON, every distinct source has one *PreSyn*, shared by all NetCons from it: a voltage
(or any variable) watched for upward threshold crossings, or a point process that calls
``net_event``. The threshold and spike recording belong to the PreSyn; delay, weights and
``active`` to the NetCon.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

from . import simulator
from .refs import Ref

DEFAULT_THRESHOLD = 10.0  # mV
DEFAULT_DELAY = 1.0  # ms

_netcon_ids = itertools.count()


class PreSyn:
    """A spike source: a watched variable with a threshold, or a point process."""

    def __init__(self, ref: Ref | None, pp: Any | None, sec: Any | None) -> None:
        self.ref = ref
        self.pp = weakref.ref(pp) if pp is not None else None
        self.sec = sec
        self.threshold = DEFAULT_THRESHOLD
        self.record_vectors: list[tuple[Any, Any, float]] = []  # (tvec, idvec or None, id)
        # ParallelContext: the gid (-1: none) and NEURON's output_index_ (the gid when it sends
        # spikes as an output cell, -2 for pc.cell(gid, nc, 0), -1 for none)
        self.gid = -1
        self.output_index = -1


class _WeightView:
    """``nc.weight``: indexable view of the NetCon's weights (lives in the network arrays)."""

    __slots__ = ("_nc",)

    def __init__(self, nc: NetCon) -> None:
        self._nc = nc

    def __len__(self) -> int:
        return self._nc._w.shape[0]

    def __getitem__(self, i: int) -> float:
        return float(self._nc._w[i])

    def __setitem__(self, i: int, value: float) -> None:
        self._nc._w[i] = value

    def __repr__(self) -> str:
        return repr(self._nc._w.tolist())


class NetCon:
    """``NetCon(source, target, [threshold, delay, weight], sec=)``.

    ``source`` is a pointer (``seg._ref_v``), a point process that calls ``net_event`` (e.g.
    NetStim), or None; ``target`` a point process with a NET_RECEIVE block, or None (then the
    NetCon only records the source's spikes).
    """

    def __init__(
        self,
        source: Any,
        target: Any,
        threshold: float | None = None,
        delay: float | None = None,
        weight: float | None = None,
        sec: Any = None,
    ) -> None:
        from .mechanism import PointProcess

        sim = simulator.sim
        self._id = next(_netcon_ids)
        if target is not None and not isinstance(target, PointProcess):
            raise TypeError("NetCon target must be a point process (or None)")
        nargs = 1
        if target is not None:
            nr = target._mtype.metadata.get("net_receive")
            if nr is None:
                raise TypeError(f"{target.hname()} has no NET_RECEIVE block: it cannot be a target")
            nargs = max(1, len(nr.get("args", ())))
        self._target = target
        self._w = np.zeros(nargs)
        self._delay = DEFAULT_DELAY
        self._active = True
        if isinstance(source, PreSyn):  # pc.gid_connect: the gid's spike source
            self._presyn = source
        elif isinstance(source, Ref):
            self._presyn = sim.network.presyn_for_ref(source, sec)
        elif isinstance(source, PointProcess):
            self._presyn = sim.network.presyn_for_point(source)
        elif source is None:
            self._presyn = None
        else:
            raise TypeError("NetCon source must be a pointer (seg._ref_v), a point process or None")
        if threshold is not None and self._presyn is not None:
            self._presyn.threshold = float(threshold)
        if delay is not None:
            self.delay = delay
        if weight is not None:
            self._w[0] = weight
        sim.network.add(self)

    def __repr__(self) -> str:
        return f"NetCon[{self._id}]"

    hname = __repr__

    @property
    def weight(self) -> _WeightView:
        return _WeightView(self)

    @weight.setter
    def weight(self, value: float) -> None:
        self._w[0] = value

    def wcnt(self) -> int:
        return int(self._w.shape[0])

    @property
    def delay(self) -> float:
        return self._delay

    @delay.setter
    def delay(self, value: float) -> None:
        if value < 0:
            raise ValueError(f"NetCon delay must be >= 0 (got {value})")
        self._delay = float(value)
        simulator.sim.network.values_changed(self)

    @property
    def threshold(self) -> float:
        return self._presyn.threshold if self._presyn is not None else DEFAULT_THRESHOLD

    @threshold.setter
    def threshold(self, value: float) -> None:
        if self._presyn is not None:
            self._presyn.threshold = float(value)
            simulator.sim.network.values_changed(self)

    def active(self, value: bool | None = None) -> bool:
        if value is not None:
            self._active = bool(value)
            simulator.sim.network.values_changed(self)
        return self._active

    def syn(self) -> Any:
        return self._target

    def pre(self) -> Any:
        if self._presyn is None or self._presyn.pp is None:
            return None
        return self._presyn.pp()

    def preseg(self) -> Any:
        return getattr(self._presyn.ref, "segment", None) if self._presyn else None

    def precell(self) -> Any:
        pre = self.pre()
        if pre is not None:
            return pre
        sec = self._presyn.sec if self._presyn is not None else None
        return sec.cell() if sec is not None else None

    def postcell(self) -> Any:
        if self._target is None or self._target.get_segment() is None:
            return None
        return self._target.get_segment().sec.cell()

    def record(self, tvec: Any = None, idvec: Any = None, rid: float | None = None) -> float:
        """Record the source's spike times (and, with idvec, an id per spike); 0, as NEURON."""
        if self._presyn is None:
            raise RuntimeError(f"{self}: a NetCon without a source has no spikes to record")
        ps = self._presyn
        if tvec is None:
            ps.record_vectors = []
            return 0.0
        ps.record_vectors = [r for r in ps.record_vectors if r[0] is not tvec] + [
            (tvec, idvec, float(self._id if rid is None else rid))
        ]
        simulator.sim.network.values_changed(self)
        return 0.0

    def event(self, t: float, flag: float = 0.0) -> None:
        """Deliver an event to the target at time t (ms), as if from this NetCon."""
        simulator.sim.network.queue_netcon_event(self, float(t))
