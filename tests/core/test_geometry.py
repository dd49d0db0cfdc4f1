"""Areas, axial resistances and the tree, against NEURON (acceptance #2: 1e-12 relative)."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.neuron

NSEGS = [1, 2, 3, 4, 5, 7, 10, 11, 20, 25, 50, 51]


def build_tree(n, nseg: int, rng: np.random.Generator):
    """A soma with three dendrites attached at 1, 0.5 and 0, and a grandchild at 0.3."""
    soma = n.Section("soma")
    soma.L, soma.diam, soma.Ra = rng.uniform(5, 30), rng.uniform(5, 30), rng.uniform(30, 200)
    secs = [soma]
    for name, parent, x in [("d1", 0, 1.0), ("d2", 0, 0.5), ("d3", 0, 0.0), ("d4", 1, 0.3)]:
        sec = n.Section(name)
        sec.L = rng.uniform(10, 500)
        sec.Ra = rng.uniform(30, 300)
        sec.nseg = nseg
        sec.connect(secs[parent](x))
        secs.append(sec)
    for sec in secs[1:]:
        for seg in sec:
            seg.diam = rng.uniform(0.2, 4)
    return secs


def sample_points(nseg: int) -> list[float]:
    return [0.0] + [(i + 0.5) / nseg for i in range(nseg)] + [1.0, 0.3, 0.77]


@pytest.mark.parametrize("nseg", NSEGS)
def test_area_and_ri_match_neuron(pn, nrn, nseg):
    seed = 1000 + nseg
    ours = build_tree(pn, nseg, np.random.default_rng(seed))
    theirs = build_tree(nrn, nseg, np.random.default_rng(seed))
    for a, b in zip(ours, theirs):
        for x in sample_points(a.nseg):
            assert a(x).area() == pytest.approx(b(x).area(), rel=1e-12, abs=0), (a, x)
            assert a(x).ri() == pytest.approx(b(x).ri(), rel=1e-12, abs=0), (a, x)
            assert a(x).diam == b(x).diam


def test_changing_nseg_keeps_range_values_as_neuron(pn, nrn):
    def build(n):
        sec = n.Section("cable")
        sec.nseg = 3
        sec.insert("pas")
        for seg, d, g in zip(sec, [1.0, 2.0, 3.0], [1e-4, 2e-4, 3e-4]):
            seg.diam = d
            seg.pas.g = g
        out = []
        for nseg in (7, 2, 9, 1, 4):
            sec.nseg = nseg
            out.append([(seg.diam, seg.g_pas) for seg in sec])
        return sec, out

    _, ours = build(pn)
    _, theirs = build(nrn)
    assert ours == theirs


def test_topology_printout_matches_neuron(pn, nrn, capfd):
    def build(n):
        s = n.Section("soma")
        d = n.Section("dend")
        d.connect(s(1))
        a = n.Section("axon")
        a.connect(s(0))
        d2 = n.Section("d2")
        d2.connect(d(0.5))
        d.nseg = 5
        return [s, d, a, d2]

    keep = build(pn)
    pn.topology()
    ours = capfd.readouterr().out
    keep2 = build(nrn)
    nrn.topology()
    theirs = capfd.readouterr().out
    assert ours == theirs
    assert [c.name() for c in keep[0].children()] == [c.name() for c in keep2[0].children()]
    assert str(keep[3].parentseg()) == str(keep2[3].parentseg())
    assert keep[0].parentseg() is None and keep2[0].parentseg() is None
    del keep, keep2


def test_voltage_at_section_ends_is_the_shared_node(pn):
    soma = pn.Section("soma")
    dend = pn.Section("dend")
    dend.connect(soma(1))
    pn.finitialize(-61.5)
    soma(1).v = -20.0
    assert dend(0).v == -20.0
    assert soma(0.5).v == -61.5
