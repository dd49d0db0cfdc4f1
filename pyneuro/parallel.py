"""``n.ParallelContext`` and ``n.CVode`` for one process: NEURON's semantics with one rank.

NEURON scripts written for MPI run unchanged on one rank: ``nhost()`` is 1, ``id()`` is 0, and
the gid bookkeeping (``set_gid2node``, ``cell``, ``gid_connect``, ``spike_record``) behaves as
NEURON 9.0.2's ``netpar.cpp`` does with one process, including its error messages. A gid names a
spike source (a *PreSyn*, see `pyneuro.netcon`); the registry is global, as NEURON's
``gid2out_``/``gid2in_`` are, so every ``ParallelContext()`` sees the same gids.

``psolve(tstop)`` continues the fixed-step run exactly as NEURON's ``netpar_solve`` does on one
rank: ``int((tstop - t)/dt + 1e-9)`` steps (with ``tstop`` scaled by ``1 + 1e-11``), so that the
step count, and therefore every spike, matches NEURON's. The collective operations are the
identity with one rank. ``nthread(k)`` sets the threads of the compiled loop.

``CVode()`` objects all control one global integrator, as in NEURON. Only the fixed step
exists so far: ``active(1)`` raises NotImplementedError.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from . import simulator
from .engine import fixed
from .netcon import NetCon, PreSyn
from .simulator import SC_DT
from .vector import Vector

_pc_ids = itertools.count()
_cvode_ids = itertools.count()


class _GidTable:
    """NEURON's ``gid2out_`` (gids owned here; None until ``pc.cell``) and ``gid2in_`` (input
    stubs: PreSyns without a source, made by ``gid_connect`` for gids not owned here)."""

    def __init__(self) -> None:
        self.out: dict[int, PreSyn | None] = {}
        self.inp: dict[int, PreSyn] = {}
        self.maxstep_arg = 0.0
        self.mindelay = 0.0  # 0 until set_maxstep: psolve refuses to run, as NEURON does
        self.timeout = 20

    def stub_in_use(self, gid: int) -> bool:
        """An input stub lives while a NetCon uses it (NEURON deletes it with its last one)."""
        ps = self.inp.get(gid)
        if ps is None:
            return False
        if any(nc._presyn is ps for nc in list(simulator.sim.network.netcons.values())):
            return True
        del self.inp[gid]
        ps.gid = -1
        return False


_gids = _GidTable()


def _bbs_error(message: str) -> RuntimeError:
    return RuntimeError(message)


def _as_gid(value: float) -> int:
    gid = int(value)
    if gid < 0:
        raise ValueError(f"gid must be >= 0 (got {value})")
    return gid


def _presyn_mindelay(ps: PreSyn) -> float:
    delays = [nc._delay for nc in simulator.sim.network.netcons.values() if nc._presyn is ps]
    return min(delays) if delays else math.inf


class ParallelContext:
    """NEURON's ``ParallelContext`` on one rank (``nhost() == 1``, ``id() == 0``)."""

    def __init__(self, *args: Any) -> None:
        self._id = next(_pc_ids)
        self._jobs: deque[tuple[int, float, Callable[..., Any], tuple]] = deque()
        self._job_ids = itertools.count(1)
        self._userid = 0.0
        self._pyret: Any = None

    def __repr__(self) -> str:
        return f"ParallelContext[{self._id}]"

    hname = __repr__

    # ---------------------------------------------------------------- ranks
    def nhost(self) -> int:
        return 1

    def id(self) -> int:
        return 0

    nhost_world = nhost_bbs = nhost
    id_world = id_bbs = id

    def barrier(self) -> float:
        return 0.0

    def done(self) -> float:
        return 0.0

    def runworker(self) -> float:
        """With one rank the master is also the only worker: return at once (NEURON does)."""
        return 0.0

    def timeout(self, seconds: float | None = None) -> float:
        """Set the spike-exchange timeout (s); returns the previous one (unused on one rank)."""
        old = _gids.timeout
        if seconds is not None:
            _gids.timeout = int(seconds)
        return float(old)

    def time(self) -> float:
        """Wall-clock time in seconds (MPI_Wtime)."""
        return time.time()

    def wait_time(self) -> float:
        return 0.0

    step_time = send_time = wait_time

    def nthread(self, count: int | None = None, parallel: int = 1) -> int:
        """Threads of the compiled loop (results do not depend on the count)."""
        sim = simulator.sim
        if count is not None:
            count = int(count)
            if count < 1:
                raise ValueError(f"nthread must be >= 1 (got {count})")
            sim.nthread = count
        return int(sim.nthread)

    # ---------------------------------------------------------------- collectives
    def allreduce(self, value: Any, kind: int = 1) -> Any:
        """Sum (1), max (2) or min (3) over ranks: with one rank the value itself. A Vector is
        reduced in place and 0.0 returned, as NEURON does."""
        if int(kind) not in (1, 2, 3):
            raise ValueError(f"allreduce type must be 1 (sum), 2 (max) or 3 (min), not {kind}")
        if isinstance(value, Vector):
            return 0.0
        return float(value)

    def allgather(self, value: float, vec: Vector) -> float:
        """vec becomes one element per rank."""
        vec.resize(0)
        vec.append(float(value))
        return 0.0

    def alltoall(self, src: Vector, counts: Vector, dest: Vector) -> float:
        dest.resize(0)
        dest.append(src.as_numpy()[: int(counts[0])].copy())
        return 0.0

    def py_alltoall(self, data: Any, size: int = 0) -> list:
        """A list of nhost items in, one item from each rank out."""
        items = list(data)
        if len(items) != 1:
            raise ValueError(f"py_alltoall: the list must have nhost = 1 items (got {len(items)})")
        return items

    def py_allgather(self, data: Any) -> list:
        return [data]

    def py_gather(self, data: Any, root: int = 0) -> list:
        return [data]

    def py_broadcast(self, data: Any, root: int = 0) -> Any:
        return data

    def broadcast(self, data: Any, root: int = 0) -> float:
        """Vector or string broadcast: nothing to send with one rank; returns its size."""
        return float(len(data)) if isinstance(data, Vector) else 0.0

    # ---------------------------------------------------------------- bulletin board
    def submit(self, *args: Any) -> float:
        """Queue ``f(*args)`` (or ``userid, f, *args``); numbers reach f as floats, as
        through NEURON. Returns the job's userid (by default minus its job number)."""
        if args and not callable(args[0]) and len(args) > 1 and callable(args[1]):
            userid, func, rest = float(args[0]), args[1], args[2:]
            job = next(self._job_ids)
        elif args and callable(args[0]):
            func, rest = args[0], args[1:]
            job = next(self._job_ids)
            userid = -float(job)
        else:
            raise TypeError("submit needs a Python callable (optionally after a userid)")
        conv = tuple(
            float(a) if isinstance(a, (int, float)) and not isinstance(a, bool) else a for a in rest
        )
        self._jobs.append((job, userid, func, conv))
        return userid

    def working(self) -> int:
        """Run the next queued job here; its number, or 0 when none is left."""
        if not self._jobs:
            return 0
        job, userid, func, args = self._jobs.popleft()
        self._pyret = func(*args)
        self._userid = userid
        return job

    def pyret(self) -> Any:
        return self._pyret

    def userid(self) -> float:
        return self._userid

    # ---------------------------------------------------------------- gids
    def set_gid2node(self, gid: float, node: float) -> float:
        """Declare that rank ``node`` owns ``gid``; only ``node == 0`` concerns this rank."""
        gid = _as_gid(gid)
        if int(node) != 0:
            return 0.0
        if gid in _gids.inp and _gids.stub_in_use(gid):
            raise _bbs_error(
                f"gid={gid} already exists as an input port. Setup all the output ports on "
                "this process before using them as input ports."
            )
        if gid in _gids.out:
            raise _bbs_error(f"gid={gid} already exists on this process as an output port")
        _gids.out[gid] = None
        return 0.0

    def gid_exists(self, gid: float) -> int:
        """0: not here; 1: set_gid2node only; 2: has a cell (not an output); 3: output cell."""
        gid = int(gid)
        if gid not in _gids.out:
            return 0
        ps = _gids.out[gid]
        if ps is None:
            return 1
        return 3 if ps.output_index >= 0 else 2

    def cell(self, gid: float, netcon: NetCon, output: float = 1) -> float:
        """Make ``netcon``'s source the spike source of ``gid`` (an output cell unless
        ``output`` is 0)."""
        gid = _as_gid(gid)
        if gid in _gids.inp and _gids.stub_in_use(gid):
            raise _bbs_error(
                f"gid={gid} is in the input list. Must register with pc.set_gid2node prior to "
                "connecting"
            )
        if gid not in _gids.out:
            raise _bbs_error(f"gid={gid} has not been set on rank 0")
        if not isinstance(netcon, NetCon):
            raise TypeError(f"pc.cell second arg must be a NetCon, not {type(netcon).__name__}")
        ps = netcon._presyn
        if ps is None:
            if netcon._target is None:
                raise _bbs_error(f"pc.cell second arg, {netcon}, has no source")
            # NEURON hands a source-less NetCon a PreSyn that never fires; so do we
            ps = netcon._presyn = PreSyn(None, None, None)
            simulator.sim.network.presyns.append(ps)
        if ps.gid >= 0 and ps.gid != gid:
            raise _bbs_error(
                f"Can't associate gid {gid}. PreSyn already associated with gid {ps.gid}."
            )
        _gids.out[gid] = ps
        ps.gid = gid
        ps.output_index = gid if output else -2
        simulator.sim.network.dirty = True
        return 0.0

    def outputcell(self, gid: float) -> float:
        ps = self._owned_presyn(int(gid))
        ps.output_index = ps.gid = int(gid)
        return 0.0

    def _owned_presyn(self, gid: int) -> PreSyn:
        ps = _gids.out.get(gid)
        if ps is None:
            raise _bbs_error(f"gid {gid} has no spike source on this rank (pc.cell(gid, nc) first)")
        return ps

    def threshold(self, gid: float, value: float | None = None) -> float:
        ps = _gids.out.get(int(gid))
        if ps is None:
            raise _bbs_error("gid not associated with spike generation location")
        if value is not None:
            ps.threshold = float(value)
            simulator.sim.network.dirty = True
        return ps.threshold

    def gid_connect(self, gid: float, target: Any, netcon: NetCon | None = None) -> NetCon:
        """A NetCon from gid's spike source to ``target``. A gid nobody here owns gets an input
        stub (on one rank it never fires; NEURON does the same). With ``netcon``, that NetCon's
        source is replaced instead."""
        from .mechanism import PointProcess

        gid = _as_gid(gid)
        if not isinstance(target, PointProcess):
            raise TypeError("arg 2 must be a point process")
        if gid in _gids.out:
            ps = _gids.out[gid]
            if ps is None:
                raise _bbs_error(f"gid {gid} owned by 0 but no associated cell")
        elif gid in _gids.inp and _gids.stub_in_use(gid):
            ps = _gids.inp[gid]
        else:
            ps = PreSyn(None, None, None)
            ps.gid = gid
            _gids.inp[gid] = ps
            simulator.sim.network.presyns.append(ps)
        if netcon is None:
            return NetCon(ps, target)
        if not isinstance(netcon, NetCon):
            raise TypeError("arg 3 must be a NetCon")
        if netcon._target is not target:
            raise _bbs_error("target is different from 3rd arg NetCon target")
        netcon._presyn = ps
        simulator.sim.network.dirty = True
        return netcon

    def gid2cell(self, gid: float) -> Any:
        """The cell object of gid's source (the section's ``cell=``, or the point process)."""
        ps = self._owned_presyn(int(gid))
        if ps.pp is not None:
            pp = ps.pp()
            seg = pp.get_segment() if pp is not None else None
            owner = seg.sec.cell() if seg is not None else None
            return owner if owner is not None else pp
        return ps.sec.cell() if ps.sec is not None else None

    def gid2obj(self, gid: float) -> Any:
        ps = self._owned_presyn(int(gid))
        if ps.pp is not None:
            return ps.pp()
        return ps.sec.cell() if ps.sec is not None else None

    def gid_clear(self, arg: int = 0) -> float:
        """Forget every gid (the PreSyns stay with their NetCons)."""
        if int(arg) in (2, 3):
            return 0.0
        for ps in list(_gids.out.values()) + list(_gids.inp.values()):
            if ps is not None:
                ps.gid = ps.output_index = -1
        _gids.out.clear()
        _gids.inp.clear()
        simulator.sim.network.dirty = True
        return 0.0

    def spike_record(self, gid: Any, tvec: Vector, idvec: Vector | None = None) -> float:
        """Record spikes of one gid, of every output cell (gid -1), or of a Vector of gids,
        with the gid as id. Each source records into one pair of Vectors, as in NEURON."""
        if isinstance(gid, Vector):
            gids = [int(g) for g in gid]
        elif int(gid) >= 0:
            gids = [int(gid)]
        else:
            gids = [g for g, ps in _gids.out.items() if ps is not None and ps.output_index >= 0]
        for g in gids:
            self._owned_presyn(g).record_vectors = [(tvec, idvec, float(g))]
        simulator.sim.network.dirty = True
        return 0.0

    # ---------------------------------------------------------------- integration
    def set_maxstep(self, maxstep: float) -> float:
        """Largest step between spike exchanges: maxstep, or less if an input connection has a
        shorter delay (with threads: any connection). Returns that minimum delay."""
        sim = simulator.sim
        mindelay = float(maxstep)
        _gids.maxstep_arg = mindelay
        if sim.nthread > 1:
            sources = {id(nc._presyn): nc._presyn for nc in sim.network.netcons.values()}
            pss: list[PreSyn] = [ps for ps in sources.values() if ps is not None]
        else:
            pss = list(_gids.inp.values())
        for ps in pss:
            mindelay = min(mindelay, _presyn_mindelay(ps))
        _gids.mindelay = mindelay
        return mindelay

    def psolve(self, tstop: float) -> float:
        """Integrate from t to tstop with the fixed step, taking NEURON's number of steps."""
        sim = simulator.sim
        if _cvode.active:
            raise NotImplementedError(_CVODE_MISSING)
        dt = float(sim.sc[SC_DT])
        if _gids.mindelay == 0.0 and sim.nthread > 1:
            self.set_maxstep(_gids.maxstep_arg or 100.0)
        if _gids.mindelay - 1e-10 < dt:
            raise _bbs_error(
                "mindelay is 0 (or less than dt for fixed step method): call "
                "pc.set_maxstep(maxstep) before pc.psolve, and keep NetCon delays >= dt"
            )
        tstop = float(tstop) * (1.0 + 1e-11)
        nsteps = int((tstop - sim.t) / dt + 1e-9)
        if nsteps > 3:
            fixed.advance(sim, math.inf, nsteps)
        else:
            ts = tstop - dt
            sim.stoprun = 0
            while sim.t <= ts:
                fixed.fadvance(sim)
                if sim.stoprun:
                    break
        return 0.0

    solve = psolve


# -------------------------------------------------------------------- CVode

_CVODE_MISSING = (
    "the variable-step integrator (CVode) is not implemented in pyneuro yet; only the fixed "
    "step (cvode.active(0), the default) runs"
)


class _CvodeState:
    """The one integrator every ``CVode()`` object controls."""

    def __init__(self) -> None:
        self.active = False
        self.atol = 1e-3
        self.rtol = 0.0
        self.maxstep = 1e9
        self.minstep = 0.0


_cvode = _CvodeState()


class CVode:
    """NEURON's ``CVode()``: integrator settings. Only the fixed step exists so far, so
    ``active(1)``, the local step and fast i_membrane raise NotImplementedError."""

    def __init__(self) -> None:
        self._id = next(_cvode_ids)

    def __repr__(self) -> str:
        return f"CVode[{self._id}]"

    hname = __repr__

    def active(self, on: float | None = None) -> bool:
        if on is not None:
            if int(on):
                raise NotImplementedError(_CVODE_MISSING)
            _cvode.active = False
        return _cvode.active

    def cache_efficient(self, on: float | None = None) -> bool:
        """Accepted and ignored: our data are always laid out for the cache (NEURON 9's
        answer is always True too)."""
        return True

    def use_fast_imem(self, on: float | None = None) -> bool:
        """Returns the previous setting; turning it on is not implemented yet."""
        if on is not None and int(on):
            raise NotImplementedError(
                "cvode.use_fast_imem(1) (i_membrane_) is not implemented in pyneuro yet"
            )
        return False

    def use_local_dt(self, on: float | None = None) -> bool:
        if on is not None and int(on):
            raise NotImplementedError(_CVODE_MISSING)
        return False

    def use_daspk(self, on: float | None = None) -> bool:
        if on is not None and int(on):
            raise NotImplementedError(_CVODE_MISSING)
        return False

    def use_long_double(self, on: float | None = None) -> bool:
        return False

    def atol(self, value: float | None = None) -> float:
        if value is not None:
            _cvode.atol = float(value)
        return _cvode.atol

    def rtol(self, value: float | None = None) -> float:
        if value is not None:
            _cvode.rtol = float(value)
        return _cvode.rtol

    def maxstep(self, value: float | None = None) -> float:
        if value is not None:
            _cvode.maxstep = float(value)
        return _cvode.maxstep

    def minstep(self, value: float | None = None) -> float:
        if value is not None:
            _cvode.minstep = float(value)
        return _cvode.minstep

    def condition_order(self, value: int | None = None) -> int:
        return 1

    def queue_mode(self, *args: Any) -> int:
        return 0

    def stiff(self, value: int | None = None) -> int:
        return 2

    def maxorder(self, value: int | None = None) -> int:
        return 5

    def event(self, t: float, callback: Any = None) -> float:
        """Call ``callback()`` when the simulation reaches time t (ms).

        On the fixed step the callback runs right after the first step that ends at or after t,
        with ``n.t`` the end of that step, as NEURON's fixed step does. Without a callback it
        only marks a time, which the fixed step does not need. Events are cleared by
        finitialize, so send them from an FInitializeHandler or after finitialize.
        """
        import heapq

        from . import simulator

        if isinstance(callback, str):
            raise NotImplementedError(
                "CVode.event with a HOC statement needs the HOC interpreter; pass a callable"
            )
        if callback is not None and not callable(callback):
            raise TypeError("CVode.event(t, callback): callback must be callable")
        sim = simulator.sim
        sim.python_event_seq += 1
        heapq.heappush(sim.python_events, (float(t), sim.python_event_seq, callback))
        return 0.0

    def re_init(self) -> float:
        """With the fixed step there is nothing to re-initialise."""
        return 0.0
