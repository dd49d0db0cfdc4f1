"""3-D points on sections: geometry from the points (NEURON's diam_from_list) against NEURON."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.neuron

NSEGS = [1, 2, 3, 5, 7, 10, 11, 25, 51]


def random_points(rng: np.random.Generator, npt: int) -> list[tuple[float, ...]]:
    """A wandering path with varied diameters (µm), including a repeated point."""
    pts = []
    xyz = rng.uniform(-10, 10, 3)
    for i in range(npt):
        if npt < 4 or i != npt // 2:  # one zero-length step in longer paths
            xyz = xyz + rng.uniform(-8, 8, 3)
        pts.append((*xyz, rng.uniform(0.3, 6.0)))
    return pts


def build(n, nseg: int, seed: int):
    rng = np.random.default_rng(seed)
    soma = n.Section("soma")
    for p in random_points(rng, 5):
        soma.pt3dadd(*p)
    secs = [soma]
    for name, parent, x, npt in [("d1", 0, 1.0, 17), ("d2", 0, 0.5, 2), ("d3", 1, 0.3, 40)]:
        sec = n.Section(name)
        for p in random_points(rng, npt):
            sec.pt3dadd(*p)
        sec.nseg = nseg
        sec.Ra = rng.uniform(30, 300)
        sec.connect(secs[parent](x))
        secs.append(sec)
    return secs


def compare(ours, theirs):
    for a, b in zip(ours, theirs):
        assert a.n3d() == b.n3d()
        assert a.L == pytest.approx(b.L, rel=1e-12, abs=0)
        for i in range(a.n3d()):
            for f in ("x3d", "y3d", "z3d", "diam3d", "arc3d"):
                assert getattr(a, f)(i) == pytest.approx(getattr(b, f)(i), rel=1e-12, abs=1e-12)
        xs = [0.0] + [(i + 0.5) / a.nseg for i in range(a.nseg)] + [1.0, 0.3]
        for x in xs:
            assert a(x).area() == pytest.approx(b(x).area(), rel=1e-12, abs=0), (a, x)
            assert a(x).ri() == pytest.approx(b(x).ri(), rel=1e-12, abs=0), (a, x)
            assert a(x).diam == pytest.approx(b(x).diam, rel=1e-12, abs=0), (a, x)


@pytest.mark.parametrize("nseg", NSEGS)
def test_pt3d_geometry_matches_neuron(pn, nrn, nseg):
    compare(build(pn, nseg, 10 + nseg), build(nrn, nseg, 10 + nseg))


def test_edit_points_and_set_L_and_diam(pn, nrn):
    def edit(n):
        secs = build(n, 5, 3)
        d1, d2, d3 = secs[1:]
        d1.pt3dinsert(3, 1.0, 2.0, 3.0, 2.5)
        d1.pt3dremove(7)
        d1.pt3dchange(2, 4.0)
        d1.pt3dchange(4, 0.0, 1.0, 2.0, 1.5)
        d2.L = 123.0  # points scale about the first one
        d3.nseg = 9
        d3.diam = 1.7  # points take the segment diameters
        d3(0.5).diam = 2.2
        return secs

    compare(edit(pn), edit(nrn))


def test_pt3dclear_keeps_geometry(pn, nrn):
    def clear(n):
        sec = n.Section("c")
        for p in random_points(np.random.default_rng(5), 6):
            sec.pt3dadd(*p)
        sec.nseg = 3
        sec.pt3dclear()  # diameters never computed from the points: they stay 500
        seen = n.Section("seen")
        for p in random_points(np.random.default_rng(6), 6):
            seen.pt3dadd(*p)
        seen.nseg = 3
        seen(0.5).area()  # computes the diameters from the points
        seen.pt3dclear()
        # NEURON does not recompute areas at the clear itself; the next geometry change does
        for c in (sec, seen):
            c.L = c.L
        return [sec, seen]

    compare(clear(pn), clear(nrn))


def test_simulation_on_pt3d_cell_matches_neuron(pn, nrn):
    def run(n):
        secs = build(n, 5, 77)
        for sec in secs:
            sec.insert("hh" if sec is secs[0] else "pas")
        stim = n.IClamp(secs[0](0.5))
        stim.delay, stim.dur, stim.amp = 1.0, 3.0, 0.3
        v = n.Vector().record(secs[3](0.7)._ref_v)
        n.finitialize(-65)
        n.continuerun(10)
        return np.array(v)

    ours, theirs = run(pn), run(nrn)
    assert len(ours) == len(theirs)
    assert np.max(np.abs(ours - theirs)) < 1e-6
