"""Issue 4, acceptance 4: SEClamp and VClamp (our own .mod files) against NEURON's: clamp
current to 1e-6 nA, voltages to 1e-6 mV, on an hh soma with a passive dendrite, through
three command levels, the clamp switching off, and a change of series resistance."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.neuron


def _clamp_run(n, kind: str, secondorder: int = 0) -> np.ndarray:
    soma = n.Section(name="soma")
    soma.L = soma.diam = 20
    soma.insert("hh")
    dend = n.Section(name="dend")
    dend.L = 300
    dend.diam = 1
    dend.nseg = 9
    dend.insert("pas")
    dend.connect(soma(1))
    if kind == "SEClamp":
        clamp = n.SEClamp(soma(0.5))
        clamp.dur1, clamp.amp1 = 2, -70
        clamp.dur2, clamp.amp2 = 5.01, 10
        clamp.dur3, clamp.amp3 = 3, -40
        clamp.rs = 0.5
    else:
        clamp = n.VClamp(soma(0.5))
        for k, (dur, amp) in enumerate([(2, -70), (5.01, 10), (3, -40)]):
            clamp.dur[k] = dur
            clamp.amp[k] = amp
    n.secondorder = secondorder
    i = n.Vector().record(clamp._ref_i)
    v = n.Vector().record(soma(0.5)._ref_v)
    vd = n.Vector().record(dend(0.9)._ref_v)
    n.finitialize(-65)
    n.continuerun(8)
    if kind == "SEClamp":
        clamp.rs = 2.0  # a parameter change during the run
    n.continuerun(15)
    n.secondorder = 0
    return np.array([np.array(i), np.array(v), np.array(vd)])


@pytest.mark.parametrize(("kind", "secondorder"), [("SEClamp", 0), ("SEClamp", 2), ("VClamp", 0)])
def test_clamp_matches_neuron(pn, nrn, kind, secondorder):
    ours, theirs = _clamp_run(pn, kind, secondorder), _clamp_run(nrn, kind, secondorder)
    assert ours.shape == theirs.shape
    assert np.abs(ours[0] - theirs[0]).max() <= 1e-6  # nA
    assert np.abs(ours[1:] - theirs[1:]).max() <= 1e-6  # mV
    assert np.abs(theirs[0]).max() > 1  # the clamp really passes current
    assert theirs[0][-1] == 0.0  # and is off at the end
