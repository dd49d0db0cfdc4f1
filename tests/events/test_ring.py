"""Issue 4, acceptance 1: a ring of ball-and-stick cells (hh soma, passive dendrite, each
soma's spikes drive an ExpSyn on the next cell's dendrite), kicked once by a NetStim (at
every 8th cell, so that every cell of the 128-cell ring fires within 200 ms): the same spike
trains as NEURON, cell for cell, to 1e-9 ms."""

from __future__ import annotations

import time

import numpy as np
import pytest

pytestmark = pytest.mark.neuron


class BallAndStick:
    """NEURON's tutorial cell: an hh soma and a passive dendrite with an ExpSyn at its
    middle; ``nc`` (made by the ring) carries this cell's spikes onward."""

    def __init__(self, n, gid: int) -> None:
        self.soma = n.Section(name=f"soma_{gid}")
        self.dend = n.Section(name=f"dend_{gid}")
        self.dend.connect(self.soma(1))
        self.soma.L = self.soma.diam = 12.6157
        self.dend.L = 200
        self.dend.diam = 1
        self.dend.nseg = 11
        for sec in (self.soma, self.dend):
            sec.Ra = 100
            sec.cm = 1
        self.soma.insert("hh")
        for seg in self.soma:
            seg.hh.gnabar = 0.12
            seg.hh.gkbar = 0.036
            seg.hh.gl = 0.0003
            seg.hh.el = -54.3
        self.dend.insert("pas")
        for seg in self.dend:
            seg.pas.g = 0.001
            seg.pas.e = -65
        self.syn = n.ExpSyn(self.dend(0.5))
        self.syn.tau = 2


def run_ring(n, ncell: int, tstop: float = 200.0) -> tuple[np.ndarray, np.ndarray, float]:
    """Build the ring in ``n`` (NEURON or pyneuro), run it; spike (times, gids), seconds."""
    cells = [BallAndStick(n, gid) for gid in range(ncell)]
    netcons = []
    for gid, cell in enumerate(cells):
        target = cells[(gid + 1) % ncell]
        nc = n.NetCon(cell.soma(0.5)._ref_v, target.syn, sec=cell.soma)
        nc.threshold = 10
        nc.delay = 5
        nc.weight[0] = 0.01
        netcons.append(nc)
    stim = n.NetStim()
    stim.number = 1
    stim.start = 9
    kicks = []
    for gid in range(0, ncell, 8):
        kick = n.NetCon(stim, cells[gid].syn)
        kick.delay = 1
        kick.weight[0] = 0.04
        kicks.append(kick)
    tvec, idvec = n.Vector(), n.Vector()
    for gid, nc in enumerate(netcons):
        nc.record(tvec, idvec, gid)
    n.dt = 0.025
    start = time.perf_counter()
    n.finitialize(-65)
    n.continuerun(tstop)
    seconds = time.perf_counter() - start
    out = np.array(tvec), np.array(idvec)
    del cells, netcons, stim, kicks
    return out[0], out[1], seconds


def _compare(pn, nrn, ncell: int) -> None:
    t_nrn, id_nrn, s_nrn = run_ring(nrn, ncell)
    t_ours, id_ours, s_ours = run_ring(pn, ncell)
    print(f"ring of {ncell}: {t_nrn.size} spikes; NEURON {s_nrn:.2f} s, pyneuro {s_ours:.2f} s")
    assert set(id_nrn.astype(int)) == set(range(ncell))  # every cell fires
    assert t_nrn.size > 2 * ncell
    assert id_ours.tolist() == id_nrn.tolist()
    assert np.abs(t_ours - t_nrn).max() <= 1e-9


def test_ring_of_8(pn, nrn):
    _compare(pn, nrn, 8)


def test_ring_of_128(pn, nrn):
    _compare(pn, nrn, 128)
