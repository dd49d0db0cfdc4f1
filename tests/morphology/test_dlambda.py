"""The d_lambda rule against NEURON's stdlib lambda_f."""

from __future__ import annotations

import numpy as np
import pytest

from pyneuro.morphology.dlambda import set_nseg

pytestmark = pytest.mark.neuron


def build(n):
    rng = np.random.default_rng(4)
    secs = []
    for k in range(6):
        sec = n.Section(f"s{k}")
        sec.Ra = rng.uniform(30, 300)
        sec.cm = rng.uniform(0.5, 2)
        if k % 2:
            xyz = np.zeros(3)
            for _ in range(3 + 4 * k):
                xyz = xyz + rng.uniform(-30, 30, 3)
                sec.pt3dadd(*xyz, rng.uniform(0.2, 5))
        else:
            sec.L = rng.uniform(10, 3000)
            sec.diam = rng.uniform(0.2, 8)
        secs.append(sec)
    return secs


@pytest.mark.parametrize("freq", [1.0, 100.0, 1000.0])
def test_lambda_f_matches_neuron_exactly(pn, nrn, freq):
    for a, b in zip(build(pn), build(nrn)):
        assert pn.lambda_f(freq, sec=a) == nrn.lambda_f(freq, sec=b), a


def test_set_nseg_matches_the_hoc_rule(pn, nrn):
    ours, theirs = build(pn), build(nrn)
    set_nseg(ours, d_lambda=0.05, freq=200)
    for b in theirs:
        b.push()
        nrn("nseg = int((L/(0.05*lambda_f(200))+.9)/2)*2 + 1")
        nrn.pop_section()
    assert [s.nseg for s in ours] == [s.nseg for s in theirs]
    assert max(s.nseg for s in ours) > 1
