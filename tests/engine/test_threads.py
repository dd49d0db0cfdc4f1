"""The threaded loop: results identical for any thread count, and equal to NEURON's."""

from __future__ import annotations

import numpy as np
import pytest

from pyneuro.simulator import sim


def _cells(n, ncell: int):
    keep, probes = [], []
    for c in range(ncell):
        soma = n.Section(name=f"soma{c}")
        soma.L = soma.diam = 12 + c
        soma.insert("hh")
        dend = n.Section(name=f"dend{c}")
        dend.L, dend.diam, dend.nseg = 150 + 10 * c, 1.2, 11 + 2 * c
        dend.insert("pas")
        dend.connect(soma(1))
        stim = n.IClamp(dend(0.8))
        stim.delay, stim.dur, stim.amp = 2 + c, 30, 0.25 + 0.05 * c
        keep += [soma, dend, stim]
        probes += [soma(0.5), dend(0.3)]
    return keep, probes


def _run(n, ncell: int, nthread: int, secondorder: int = 0):
    sim.nthread = nthread
    n.secondorder = secondorder
    keep, probes = _cells(n, ncell)
    vecs = [n.Vector().record(p._ref_v) for p in probes]
    n.finitialize(-65)
    n.continuerun(40)
    out = np.array([np.array(v) for v in vecs])
    sim.nthread = 1
    del keep, probes, vecs
    return out


@pytest.mark.parametrize("ncell", [1, 3, 8])
@pytest.mark.parametrize("secondorder", [0, 2])
def test_thread_count_does_not_change_results(pn, ncell, secondorder):
    one = _run(pn, ncell, 1, secondorder)
    for k in (2, 3):
        assert np.array_equal(_run(pn, ncell, k, secondorder), one), k


@pytest.mark.neuron
def test_threaded_matches_neuron(pn, nrn):
    ours = _run(pn, 5, 2)
    theirs = _run(nrn, 5, 1)
    assert np.abs(ours - theirs).max() <= 1e-6
