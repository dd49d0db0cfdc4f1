"""Vectors bound to point processes: VecStim.play(vec) and APCount.record(vec), against
NEURON (APCount is built in; VecStim comes from a .mod compiled by nrnivmodl, as NEURON's
users get it — here a VERBATIM implementation of our own of the same logic)."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import run_neuron, run_pyneuro

pytestmark = pytest.mark.neuron

# For NEURON only: VecStim's logic with the Vector reached from C, as vecevent.mod does.
ORACLE_VECSTIM = """
NEURON {
    THREADSAFE
    ARTIFICIAL_CELL VecStim
    BBCOREPOINTER ptr
}
ASSIGNED { index etime (ms) ptr }
INITIAL {
    index = 0
    element()
    if (index > 0) {
        net_send(etime - t, 1)
    }
}
NET_RECEIVE (w) {
    if (flag == 1) {
        net_event(t)
        element()
        if (index > 0) {
            net_send(etime - t, 1)
        }
    }
}
PROCEDURE element() {
VERBATIM
    {
        IvocVect* vec = (IvocVect*) _p_ptr;
        int k = (int) index;
        if (k >= 0) {
            if (vec && k < vector_capacity(vec)) {
                etime = vector_vec(vec)[k];
                index += 1.;
            } else {
                index = -1.;
            }
        }
    }
ENDVERBATIM
}
PROCEDURE play() {
VERBATIM
    {
        void** slot = (void**) (&_p_ptr);
        *slot = ifarg(1) ? (void*) vector_arg(1) : (void*) 0;
    }
ENDVERBATIM
}
VERBATIM
static void bbcore_write(double* x, int* d, int* xo, int* io, _threadargsproto_) {}
static void bbcore_read(double* x, int* d, int* xo, int* io, _threadargsproto_) {}
ENDVERBATIM
"""

VECSTIM_SCRIPT = """
times = [
    n.Vector([0.0, 0.3, 1.1, 1.1, 5.025, 7.0125, 19.99]),
    n.Vector([2.0 + 0.37*k for k in range(30)]),
    n.Vector(),
]
stims = [n.VecStim() for _ in times]
for s, tv in zip(stims, times):
    s.play(tv)
unbound = n.VecStim()
soma = n.Section("soma")
soma.L = soma.diam = 20
soma.insert("hh")
syn = n.ExpSyn(soma(0.5))
syn.tau = 2
tv, idv = n.Vector(), n.Vector()
ncs = []
for j, s in enumerate(stims + [unbound]):
    r = n.NetCon(s, syn)
    r.weight[0] = 0.003
    r.delay = 0.5
    r.record(tv, idv, j)
    ncs.append(r)
v = n.Vector().record(soma(0.5)._ref_v)
n.finitialize(-65)
n.continuerun(12)
times[1].x[29] = 13.3  # a change after play() is seen when the Vector is next read
stims[0].play()  # and an unbound VecStim stops
n.continuerun(25)
OUT["t"] = list(tv)
OUT["id"] = list(idv)
OUT["v"] = list(v)
"""


def test_vecstim_play(tmp_path):
    theirs = run_neuron({"vecstim.mod": ORACLE_VECSTIM}, VECSTIM_SCRIPT)
    ours = run_pyneuro({}, VECSTIM_SCRIPT, tmp_path)
    assert len(theirs["t"]) > 30
    assert ours["id"] == theirs["id"]
    assert np.abs(np.subtract(ours["t"], theirs["t"])).max() <= 1e-9
    assert np.abs(np.subtract(ours["v"], theirs["v"])).max() <= 1e-6


def _apcount_run(n) -> dict:
    soma = n.Section(name="soma")
    soma.L = soma.diam = 20
    soma.insert("hh")
    stim = n.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 1, 30, 0.3
    counters = [n.APCount(soma(0.5)) for _ in range(3)]
    counters[1].thresh = 10
    counters[2].thresh = 40  # never reached
    rec = [n.Vector(), n.Vector()]
    counters[0].record(rec[0])
    counters[1].record(rec[1])
    n.finitialize(-65)
    n.continuerun(20)
    first = [list(r) for r in rec]
    counters[1].record()  # stop recording
    for _ in range(200):
        n.fadvance()
    out = {
        "first": first,
        "rec": [list(r) for r in rec],
        "states": [[c.n, c.time, c.firing] for c in counters],
    }
    n.finitialize(-65)  # empties the recorded Vector
    out["after_init"] = [len(r) for r in rec]
    return out


def test_apcount(pn, nrn):
    ours, theirs = _apcount_run(pn), _apcount_run(nrn)
    assert theirs["states"][0][0] >= 3
    assert ours == theirs
