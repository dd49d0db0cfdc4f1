"""Issue 4, acceptance 3: FOR_NETCONS, with a .mod of our own compiled by NEURON's nrnivmodl
and by pyneuro. One ms after each synaptic event a self-event walks every NetCon that targets
the synapse, depresses those that fired in the last 5 ms and counts in their third weight.
The walk's order (PreSyns in order, each one's NetCons in creation order; NetCons without a
source together where NEURON's extra PreSyn for them stands) shows in an order-dependent
sum. Event times, states, traces and every NetCon's final weights must agree with NEURON."""

from __future__ import annotations

import pytest
from oracle import check

pytestmark = pytest.mark.neuron

HEBB = """
NEURON {
    POINT_PROCESS HebbSyn
    RANGE tau, e, i, dep, nhit, seq
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) (uS) = (microsiemens) }
PARAMETER { tau = 3 (ms) e = 0 (mV) dep = 0.8 }
ASSIGNED { v (mV) i (nA) nhit seq }
STATE { g (uS) }
INITIAL { g = 0  nhit = 0  seq = 0 }
BREAKPOINT {
    SOLVE st METHOD cnexp
    i = g*(v - e)
}
DERIVATIVE st { g' = -g/tau }
NET_RECEIVE (w (uS), last (ms), count) {
    INITIAL {
        last = -1
        count = 0
    }
    if (flag == 0) {
        g = g + w
        last = t
        count = count + 1
        net_send(1, 1)
    } else {
        nhit = 0
        FOR_NETCONS(ww (uS), lt (ms), c) {
            if (lt >= 0 && t - lt < 5) {
                ww = ww*dep
                nhit = nhit + 1
            }
            c = c + 0.5
            seq = seq*0.5 + lt
        }
    }
}
"""

SCRIPT = """
soma = n.Section("soma")
soma.L = soma.diam = 12
soma.insert("pas")
syn = n.HebbSyn(soma(0.5))
stims = []
for start, interval in ((2, 7), (3, 11), (5, 4)):
    ns = n.NetStim()
    ns.start, ns.interval, ns.number, ns.noise = start, interval, 6, 0
    stims.append(ns)
# PreSyn order C, A, B (first NetCon of each source); C has two NetCons
order = [(2, 0.004), (0, 0.006), (1, 0.005), (2, 0.002)]
ncs = []
for k, w in order:
    nc = n.NetCon(stims[k], syn)
    nc.weight[0] = w
    nc.delay = 1 + 0.5 * len(ncs)
    ncs.append(nc)
loose = n.NetCon(None, syn)  # no source: events from nc.event; walked after C, A, B
loose.weight[0] = 0.003
tvec = n.Vector()
tvec.record(syn._ref_g)
vv = n.Vector().record(soma(0.5)._ref_v)
hits = n.Vector().record(syn._ref_nhit)
seq = n.Vector().record(syn._ref_seq)
n.finitialize(-65)
loose.event(6.5)
loose.event(17.25)
n.continuerun(40)
OUT["g"] = list(tvec)
OUT["v"] = list(vv)
OUT["nhit"] = list(hits)
OUT["seq"] = list(seq)
OUT["weights"] = [nc.weight[k] for nc in ncs + [loose] for k in range(3)]
"""


def test_for_netcons_against_neuron(tmp_path):
    out = check(tmp_path, {"hebbsyn.mod": HEBB}, SCRIPT, rtol=1e-12, atol=1e-9)
    weights = out["weights"]
    assert max(out["nhit"]) >= 2  # several NetCons depressed in one walk
    assert weights[2] > 0 and weights[-1] > 0  # every NetCon was walked, the sourceless too
