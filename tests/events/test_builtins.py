"""Our own .mod files for NEURON's built-in synapses and artificial cells against NEURON's:
the same small model built in both, event times equal to 1e-9 ms, voltages to 1e-6 mV,
states to 1e-9 relative."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.neuron


def _soma(n, name: str = "soma"):
    soma = n.Section(name=name)
    soma.L = soma.diam = 20
    soma.insert("hh")
    return soma


def _synapse_run(n, kind: str) -> dict:
    """A NetStim (noise 1, its own Random123 stream) drives a synapse on an hh soma."""
    soma = _soma(n)
    syn = getattr(n, kind)(soma(0.5))
    if kind == "ExpSyn":
        syn.tau = 3
        syn.e = 0
    elif kind == "Exp2Syn":
        syn.tau1 = 0.5
        syn.tau2 = 4
        syn.e = -10
    stim = n.NetStim()
    stim.start = 3
    stim.interval = 4
    stim.number = 30
    stim.noise = 1
    stim.noiseFromRandom123(7, 8, 9)
    nc = n.NetCon(stim, syn)
    nc.delay = 2
    nc.weight[0] = 0.004
    tvec = n.Vector()
    nc.record(tvec)
    v = n.Vector().record(soma(0.5)._ref_v)
    i = n.Vector().record(syn._ref_i)
    n.finitialize(-65)
    n.continuerun(100)
    return {"spikes": np.array(tvec), "v": np.array(v), "i": np.array(i)}


@pytest.mark.parametrize("kind", ["ExpSyn", "Exp2Syn"])
def test_synapse_driven_by_noisy_netstim(pn, nrn, kind):
    ours, theirs = _synapse_run(pn, kind), _synapse_run(nrn, kind)
    assert theirs["spikes"].size >= 5
    assert ours["spikes"].shape == theirs["spikes"].shape
    assert np.abs(ours["spikes"] - theirs["spikes"]).max() <= 1e-9
    assert np.abs(ours["v"] - theirs["v"]).max() <= 1e-6
    assert np.abs(ours["i"] - theirs["i"]).max() <= 1e-9
    assert np.ptp(theirs["v"]) > 20  # the synapse really drives the cell


def _alpha_run(n) -> np.ndarray:
    soma = _soma(n)
    syn = n.AlphaSynapse(soma(0.5))
    syn.onset = 2.0123
    syn.tau = 0.7
    syn.gmax = 0.02
    syn.e = 0
    v = n.Vector().record(soma(0.5)._ref_v)
    i = n.Vector().record(syn._ref_i)
    n.finitialize(-65)
    n.continuerun(15)
    return np.array([np.array(v), np.array(i)])


def test_alpha_synapse(pn, nrn):
    ours, theirs = _alpha_run(pn), _alpha_run(nrn)
    assert ours.shape == theirs.shape
    assert np.abs(ours[0] - theirs[0]).max() <= 1e-6
    assert np.abs(ours[1] - theirs[1]).max() <= 1e-9
    assert theirs[0].max() > 0  # it fires


def _netstim_run(n, noise: float, how: str) -> list:
    stims, recs, vecs = [], [], []
    for k in range(3):
        stim = n.NetStim()
        stim.start = 2 + k
        stim.interval = 5
        stim.number = 15
        stim.noise = noise
        if how == "ids":
            stim.noiseFromRandom123(k, 11, 3)
        elif how == "seed":
            stim.noiseFromRandom123(k, 11, 3)
        stims.append(stim)
        nc = n.NetCon(stim, None)
        vec = n.Vector()
        nc.record(vec)
        recs.append(nc)
        vecs.append(vec)
    if how == "seed":
        # seed() repositions the stream at finitialize's INITIAL ... which rewinds to 0;
        # calling it after finitialize moves the stream for the rest of the run
        n.finitialize()
        for k, stim in enumerate(stims):
            stim.seed(4 * (k + 1) + 1)
        n.continuerun(100)
    else:
        n.finitialize()
        n.continuerun(100)
    return [np.array(v) for v in vecs]


@pytest.mark.parametrize(
    ("noise", "how"), [(0.0, "ids"), (1.0, "ids"), (0.5, "ids"), (1.0, "seed")]
)
def test_netstim_trains(pn, nrn, noise, how):
    ours, theirs = _netstim_run(pn, noise, how), _netstim_run(nrn, noise, how)
    for a, b in zip(ours, theirs):
        assert b.size > 3
        assert a.shape == b.shape
        assert np.abs(a - b).max() <= 1e-9


def _intfire_net(n, kind: str) -> dict:
    """20 cells, each driven by its own noisy NetStim, excited by its neighbour and inhibited
    by the cell three places back; spikes of every cell and their final states."""
    ncell = 20
    cells = [getattr(n, kind)() for _ in range(ncell)]
    keep = []
    for i, cell in enumerate(cells):
        if kind == "IntFire1":
            cell.tau = 8
            cell.refrac = 3
        elif kind == "IntFire2":
            cell.taus = 15
            cell.taum = 8
            cell.ib = 0.6 + 0.05 * i
        stim = n.NetStim()
        stim.start = 1 + 0.5 * i
        stim.interval = 4
        stim.number = 40
        stim.noise = 1
        stim.noiseFromRandom123(i, 2, 3)
        nc = n.NetCon(stim, cell)
        nc.weight[0] = 0.6 if kind == "IntFire4" else 0.4
        nc.delay = 1
        keep += [stim, nc]
    for i, cell in enumerate(cells):
        for j, w in ((1, 0.3), (3, -0.4)):
            nc = n.NetCon(cell, cells[(i + j) % ncell])
            nc.weight[0] = w
            nc.delay = 1.5 + 0.1 * j
            keep.append(nc)
    tvec, idvec = n.Vector(), n.Vector()
    for i, cell in enumerate(cells):
        nc = n.NetCon(cell, None)
        nc.record(tvec, idvec, i)
        keep.append(nc)
    n.finitialize(-65)
    n.continuerun(200)
    names = {"IntFire1": ["m"], "IntFire2": ["i", "m"], "IntFire4": ["e", "i1", "i2", "m"]}[kind]
    if kind == "IntFire4":
        names += ["nself", "nexcite", "ninhibit"]
    states = np.array([[getattr(c, name) for name in names] for c in cells])
    return {"t": np.array(tvec), "id": np.array(idvec), "states": states}


@pytest.mark.parametrize("kind", ["IntFire1", "IntFire2", "IntFire4"])
def test_intfire_network(pn, nrn, kind):
    """Issue 4, acceptance 2: IntFire networks driven by NetStim with noise = 1."""
    ours, theirs = _intfire_net(pn, kind), _intfire_net(nrn, kind)
    assert theirs["t"].size > 100
    assert ours["id"].tolist() == theirs["id"].tolist()
    assert np.abs(ours["t"] - theirs["t"]).max() <= 1e-9
    np.testing.assert_allclose(ours["states"], theirs["states"], rtol=1e-9, atol=1e-12)


def _intfire_functions(n) -> list:
    """M(), I(), E() of the artificial cells, called from Python during a run."""
    c1, c2, c4 = n.IntFire1(), n.IntFire2(), n.IntFire4()
    c2.ib = 1.2
    stim = n.NetStim()
    stim.start = 1
    stim.interval = 3
    stim.number = 5
    ncs = [n.NetCon(stim, c) for c in (c1, c2, c4)]
    for nc in ncs:
        nc.weight[0] = 0.5
    out = []
    n.finitialize()
    for tstop in (2.5, 7.3, 12.0):
        n.continuerun(tstop)
        out += [c1.M(), c2.M(), c2.I(), c4.M(), c4.E(), c4.I()]
    return out


def test_intfire_functions(pn, nrn):
    np.testing.assert_allclose(_intfire_functions(pn), _intfire_functions(nrn), rtol=1e-12)


def _nmodlrandom_run(n) -> list:
    """NEURON 9's ``ns.ranvar`` (NMODLRandom): ids, position, draws, then a noisy train."""
    stim = n.NetStim()
    stim.noise = 1
    stim.number = 20
    stim.start = 1
    stim.interval = 3
    r = stim.ranvar
    out = [list(r.get_ids()), r.get_seq()]
    r.set_ids(5, 6, 7).set_seq(8)
    out += [list(r.get_ids()), r.get_seq(), r.uniform(), r.get_seq(), r.uniform()]
    nc = n.NetCon(stim, None)
    tvec = n.Vector()
    nc.record(tvec)
    n.finitialize()
    n.continuerun(30)
    out += [list(tvec), r.get_seq()]
    return out


def test_nmodlrandom(pn, nrn):
    ours, theirs = _nmodlrandom_run(pn), _nmodlrandom_run(nrn)
    assert ours[2:] == theirs[2:]  # the default ids count the streams made in the process
    assert len(theirs[-2]) > 4


def test_internal_rows_are_not_variables(pn):
    vs = pn.VecStim()
    with pytest.raises(AttributeError):
        getattr(vs, "ptr")  # noqa: B009
    assert pn.NetStim().ranvar.hname().startswith("NMODLRandom")
