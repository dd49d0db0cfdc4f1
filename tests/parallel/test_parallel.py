"""n.ParallelContext on one rank against NEURON's: gid bookkeeping, spike_record, psolve's step
count, a ring network's spikes; and the minimal n.CVode."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.neuron


@pytest.fixture
def pcs(pn, nrn):
    """(pyneuro's, NEURON's) ParallelContext, with no gids left from other tests."""
    pair = (pn.ParallelContext(), nrn.ParallelContext())
    for pc in pair:
        pc.gid_clear()
    yield pair
    for pc in pair:
        pc.gid_clear()


def _outcome(f):
    """What a call did: its value, or that it raised (NEURON raises RuntimeError)."""
    try:
        return ("ok", f())
    except RuntimeError:
        return ("raised", None)


def _needs_synapses(n) -> None:
    for name in ("ExpSyn", "NetStim"):
        if not hasattr(n, name):
            pytest.skip(f"pyneuro has no {name} mechanism yet (its .mod file is being written)")


def test_one_rank_and_collectives(pn, nrn, pcs):
    for n, pc in zip((pn, nrn), pcs):
        v = n.Vector([1.0, 2.0, 3.0])
        g = n.Vector()
        got = [
            pc.nhost(),
            pc.id(),
            pc.nhost_world(),
            pc.id_world(),
            pc.allreduce(3.5, 1),
            pc.allreduce(3.5, 2),
            pc.allreduce(v, 1),
            list(v),
            pc.allgather(2.5, g),
            list(g),
            pc.py_alltoall([7]),
            pc.py_allgather(7),
            pc.py_gather(7, 0),
            pc.py_broadcast("x", 0),
            pc.barrier(),
            pc.done(),
            pc.runworker(),
        ]
        if n is pn:
            ours = got
    assert ours == got  # the last `got` is NEURON's


def test_nthread_is_stored(pn, nrn, pcs):
    for pc in pcs:
        assert pc.nthread() == 1
        assert pc.nthread(2) == 2
        assert pc.nthread() == 2
        assert pc.nthread(1) == 1


_JOB_CALLS: list = []


def _job(x, y=0.0):
    """A bulletin-board job (module level: NEURON pickles what it is given)."""
    _JOB_CALLS.append(x)
    return x * 10 + y


def test_bulletin_board_runs_jobs_in_order(pn, nrn, pcs):
    results = []
    for pc in pcs:
        _JOB_CALLS.clear()
        pc.runworker()
        ids = [pc.submit(_job, i, 1) for i in range(3)]
        out = []
        while (k := pc.working()) != 0:
            out.append((k, pc.userid(), pc.pyret()))
        pc.done()
        results.append((ids, out, list(_JOB_CALLS)))
    assert results[0] == results[1]
    assert [r[2] for r in results[0][1]] == [1.0, 11.0, 21.0]


def _hh_cells(n, pc, count: int, tstop_amp: float = 0.3):
    """W3-like cells: one hh compartment each, an IClamp, a gid per cell."""
    cells = []
    for i in range(count):
        s = n.Section(name=f"c{i}")
        s.L = s.diam = 18.8
        s.insert("hh")
        st = n.IClamp(s(0.5))
        st.delay, st.dur, st.amp = 2.0, 40.0, tstop_amp * i / (count - 1)
        pc.set_gid2node(i, pc.id())
        nc = n.NetCon(s(0.5)._ref_v, None, sec=s)
        nc.threshold = -20
        pc.cell(i, nc)  # the NetCon goes; the gid keeps its spike source, as in NEURON
        cells.append((s, st))
    return cells


def test_gid_bookkeeping_matches_neuron(pn, nrn, pcs):
    logs = []
    for n, pc in zip((pn, nrn), pcs):
        s = n.Section(name="s")
        s.insert("hh")
        t = n.Section(name="t")
        log = [
            _outcome(lambda pc=pc: pc.gid_exists(1)),
            _outcome(lambda pc=pc: pc.set_gid2node(1, 0)),
            _outcome(lambda pc=pc: pc.gid_exists(1)),
            _outcome(lambda pc=pc: pc.set_gid2node(1, 0)),  # twice: an error
            _outcome(lambda pc=pc: pc.set_gid2node(7, 3)),  # another rank's: ignored
            _outcome(lambda pc=pc: pc.gid_exists(7)),
            _outcome(lambda pc=pc: pc.threshold(1)),  # no cell yet: an error
        ]
        nc = n.NetCon(s(0.5)._ref_v, None, sec=s)
        log += [
            _outcome(lambda pc=pc, nc=nc: pc.cell(9, nc)),  # gid not set: an error
            _outcome(lambda pc=pc, nc=nc: pc.cell(1, nc)),
            _outcome(lambda pc=pc: pc.gid_exists(1)),
            _outcome(lambda pc=pc: pc.threshold(1)),
            _outcome(lambda pc=pc: pc.threshold(1, -20)),
            _outcome(lambda nc=nc: nc.threshold),
            _outcome(lambda pc=pc: pc.gid2cell(1)),
            _outcome(lambda pc=pc: pc.set_gid2node(3, 0)),
            _outcome(lambda pc=pc, nc=nc: pc.cell(3, nc)),  # source already has gid 1
        ]
        nc2 = n.NetCon(t(0.5)._ref_v, None, sec=t)
        log += [
            _outcome(lambda pc=pc: pc.set_gid2node(2, 0)),
            _outcome(lambda pc=pc, nc2=nc2: pc.cell(2, nc2, 0)),
            _outcome(lambda pc=pc: pc.gid_exists(2)),
            _outcome(lambda pc=pc: pc.outputcell(2)),
            _outcome(lambda pc=pc: pc.gid_exists(2)),
            _outcome(lambda pc=pc: pc.gid_clear()),
            _outcome(lambda pc=pc: pc.gid_exists(1)),
        ]
        logs.append(log)
        del nc, nc2, s, t
    assert logs[0] == logs[1]


def _gid2cell(n, pc) -> bool:
    class Cell:
        def __init__(self):
            self.soma = n.Section(name="soma", cell=self)

    c = Cell()
    pc.set_gid2node(5, 0)
    pc.cell(5, n.NetCon(c.soma(0.5)._ref_v, None, sec=c.soma))
    return pc.gid2cell(5) is c


def test_gid2cell_is_the_sections_cell(pn, nrn, pcs):
    assert _gid2cell(pn, pcs[0]) and _gid2cell(nrn, pcs[1])


def _spikes(n, pc, mode: str):
    cells = _hh_cells(n, pc, 12)
    tvec, idvec = n.Vector(), n.Vector()
    if mode == "all":
        pc.spike_record(-1, tvec, idvec)
    elif mode == "one":
        pc.spike_record(11, tvec, idvec)
    else:
        pc.spike_record(n.Vector([3, 11, 7]), tvec, idvec)
    pc.set_maxstep(10)
    n.dt = 0.025
    n.finitialize(-65)
    pc.psolve(30)
    pc.psolve(45)  # a second psolve continues the run
    out = list(zip(tvec, idvec))
    del cells
    return out


@pytest.mark.parametrize("mode", ["all", "one", "vector"])
def test_spike_record_matches_neuron(pn, nrn, pcs, mode):
    ours, theirs = _spikes(pn, pcs[0], mode), _spikes(nrn, pcs[1], mode)
    assert len(theirs) >= 4  # the cells really fire
    _same_spikes(ours, theirs)


def _same_spikes(ours: list, theirs: list) -> None:
    """Equal (time, gid) lists up to rounding of the times (order within one step aside)."""
    assert len(ours) == len(theirs)
    a, b = np.array(sorted(ours)), np.array(sorted(theirs))
    assert np.array_equal(a[:, 1], b[:, 1])
    assert np.abs(a[:, 0] - b[:, 0]).max() <= 1e-9


def _psolve_times(n, pc):
    s = n.Section(name="s")
    s.insert("hh")
    tv = n.Vector().record(n._ref_t)
    n.dt = 0.025
    maxstep = pc.set_maxstep(10)
    n.finitialize(-65)
    ends = []
    for ts in (1.04, 1.06, 1.07, 1.1, 1.11, 1.2, 5.0, 5.0125, 5.013, 7.5):
        pc.psolve(ts)
        ends.append(n.t)
    del s
    return maxstep, ends, list(tv)


def test_psolve_takes_neurons_steps(pn, nrn, pcs):
    ours, theirs = _psolve_times(pn, pcs[0]), _psolve_times(nrn, pcs[1])
    assert ours[0] == theirs[0] == 10.0
    assert ours[1] == pytest.approx(theirs[1], abs=1e-12)
    assert len(ours[2]) == len(theirs[2])
    assert ours[2] == pytest.approx(theirs[2], abs=1e-12)


_NO_MAXSTEP = """
import sys
from {mod} import n
pc = n.ParallelContext()
s = n.Section(name="s")
n.finitialize(-65)
try:
    pc.psolve(1)
except RuntimeError as e:
    sys.exit(3 if "mindelay is 0" in str(e) else 4)
"""


@pytest.mark.parametrize("mod", ["pyneuro", "neuron"])
def test_psolve_needs_set_maxstep(mod):
    """In a fresh process (the setting is global): NEURON refuses psolve before set_maxstep."""
    if mod == "neuron":
        pytest.importorskip("neuron")
    code = _NO_MAXSTEP.format(mod=mod)
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 3


def _ring(n, pc, nring: int, tstop: float):
    """W2 of the benchmarks, smaller: rings of 8 ball-and-stick cells, NetStim kicks cell 0."""
    per = 8

    class Cell:
        def __init__(self, gid):
            self.soma = n.Section(name="soma", cell=self)
            self.dend = n.Section(name="dend", cell=self)
            self.soma.L = self.soma.diam = 12.6157
            self.dend.L, self.dend.diam, self.dend.nseg = 200, 1, 7
            for sec in (self.soma, self.dend):
                sec.Ra, sec.cm = 100, 1
            self.soma.insert("hh")
            self.dend.insert("pas")
            for seg in self.dend:
                seg.pas.g, seg.pas.e = 0.001, -65
            self.dend.connect(self.soma(1), 0)
            self.syn = n.ExpSyn(self.dend(0.5))
            self.syn.tau, self.syn.e = 2, 0
            pc.set_gid2node(gid, pc.id())
            nc = n.NetCon(self.soma(0.5)._ref_v, None, sec=self.soma)
            nc.threshold = 10
            pc.cell(gid, nc)

    cells = [Cell(g) for g in range(nring * per)]
    ncs = []
    for g in range(nring * per):
        ring, k = divmod(g, per)
        nc = pc.gid_connect(ring * per + (k - 1) % per, cells[g].syn)
        nc.delay, nc.weight[0] = 5, 0.01
        ncs.append(nc)
    stims = []
    for ring in range(nring):
        ns = n.NetStim()
        ns.number, ns.start = 1, 1
        nc = n.NetCon(ns, cells[ring * per].syn)
        nc.delay, nc.weight[0] = 1, 0.04
        stims.append((ns, nc))
    tvec, idvec = n.Vector(), n.Vector()
    pc.spike_record(-1, tvec, idvec)
    n.CVode().cache_efficient(1)
    pc.set_maxstep(10)
    n.dt = 0.025
    n.finitialize(-65)
    pc.psolve(tstop)
    out = list(zip(tvec, idvec))
    del cells, ncs, stims
    return out


def test_ring_network_spikes_match_neuron(pn, nrn, pcs):
    _needs_synapses(pn)
    ours, theirs = _ring(pn, pcs[0], 2, 60.0), _ring(nrn, pcs[1], 2, 60.0)
    assert len(theirs) >= 16  # the activity goes round the rings
    _same_spikes(ours, theirs)


def _connect_order(n, pc):
    """gid_connect before the source's cell exists, as NEURON allows it and refuses it."""
    s = n.Section(name="s")
    s.insert("hh")
    t = n.Section(name="t")
    syn = n.ExpSyn(t(0.5))
    log = []
    # a gid nobody owns: an input stub (never fires on one rank), then it cannot be owned
    stub = pc.gid_connect(5, syn)
    log.append(_outcome(lambda: pc.set_gid2node(5, 0)))
    log.append(_outcome(lambda: pc.gid_exists(5)))
    log.append(_outcome(lambda: stub.precell()))
    # a gid owned here but without its cell yet: NEURON refuses the connection
    pc.set_gid2node(1, 0)
    log.append(_outcome(lambda: pc.gid_connect(1, syn)))
    pc.cell(1, n.NetCon(s(0.5)._ref_v, None, sec=s))
    nc = pc.gid_connect(1, syn)
    log.append(_outcome(lambda: nc.precell() is None))
    log.append(_outcome(lambda: pc.threshold(1, -30) == nc.threshold))
    return log


def test_gid_connect_order_matches_neuron(pn, nrn, pcs):
    _needs_synapses(pn)
    assert _connect_order(pn, pcs[0]) == _connect_order(nrn, pcs[1])


def test_cvode_is_the_fixed_step(pn, nrn):
    for n in (pn, nrn):
        cv = n.CVode()
        assert cv.active() is False
        assert cv.active(0) is False
        assert cv.cache_efficient(1) is True
        assert cv.use_fast_imem() is False
        assert cv.use_fast_imem(0) is False
        assert cv.atol() == 1e-3
        assert n.CVode().atol() == cv.atol()
    with pytest.raises(NotImplementedError, match="variable-step integrator"):
        pn.CVode().active(1)
    with pytest.raises(NotImplementedError, match="use_fast_imem"):
        pn.CVode().use_fast_imem(1)
    assert pn.CVode().active() is False


def _reused_source(n):
    s = n.Section(name="s")
    s.L = s.diam = 20
    s.insert("hh")
    st = n.IClamp(s(0.5))
    st.delay, st.dur, st.amp = 1, 30, 0.3
    first = n.NetCon(s(0.5)._ref_v, None, sec=s)
    n.finitialize(-65)
    del first  # its PreSyn goes with it ...
    n.finitialize(-65)
    spikes = n.Vector()
    again = n.NetCon(s(0.5)._ref_v, None, sec=s)  # ... and a new NetCon brings it back
    again.threshold = 0
    again.record(spikes)
    n.finitialize(-65)
    n.continuerun(30)
    return list(spikes)


def test_source_used_again_after_its_netcons_went(pn, nrn):
    ours, theirs = _reused_source(pn), _reused_source(nrn)
    assert len(theirs) >= 2
    assert ours == pytest.approx(theirs, abs=1e-9)
