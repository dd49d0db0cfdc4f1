"""Vector.play against NEURON: stepwise (tvec and Dt) and continuous, into a point process
parameter and into a voltage."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.neuron


def _run(n, mode: str):
    n.dt = 0.025
    soma = n.Section("soma")
    soma.L = soma.diam = 20
    soma.insert("hh")
    stim = n.IClamp(soma(0.5))
    stim.delay, stim.dur = 0, 1e9
    amps = n.Vector([0.0, 0.1, 0.4, -0.2, 0.3, 0.0])
    times = n.Vector([0.0, 1.013, 2.5, 2.5, 4.0, 6.1])
    if mode == "step_tvec":
        amps.play(stim._ref_amp, times)
    elif mode == "step_dt":
        amps.play(stim._ref_amp, 1.3)
    else:
        amps.play(stim._ref_amp, times, 1)
    v = n.Vector().record(soma(0.5)._ref_v)
    i = n.Vector().record(stim._ref_i)
    n.finitialize(-65)
    n.continuerun(8)
    out = np.array([np.array(v), np.array(i)])
    amps.play_remove()
    del soma, stim, amps, times, v, i
    return out


@pytest.mark.parametrize("mode", ["step_tvec", "step_dt", "continuous"])
def test_play_matches_neuron(pn, nrn, mode):
    ours, theirs = _run(pn, mode), _run(nrn, mode)
    assert ours.shape == theirs.shape
    assert np.abs(ours[0] - theirs[0]).max() <= 1e-6
    assert np.abs(ours[1] - theirs[1]).max() <= 1e-12
    assert np.ptp(theirs[1]) > 0.1  # the played current really changes


def test_finitialize_handlers_run_in_neurons_order(pn, nrn):
    """Type 0 sees v set but not INITIAL; type 1 may change states; type 2 sees t = 0 recorded."""

    def build(n):
        log = []
        sec = n.Section("s")
        sec.insert("hh")
        seg = sec(0.5)
        handlers = [
            n.FInitializeHandler(3, lambda: log.append(("3", n.t))),
            n.FInitializeHandler(0, lambda: log.append(("0", seg.v, seg.hh.m))),
            n.FInitializeHandler(lambda: setattr(seg.hh, "m", 0.5)),
            n.FInitializeHandler(2, lambda: log.append(("2", seg.hh.m))),
        ]
        n.finitialize(-70)
        n.fadvance()
        return log, seg.hh.m, handlers, sec

    ours, m_ours, *_ = build(pn)
    theirs, m_theirs, *_ = build(nrn)
    assert ours == theirs
    assert m_ours == pytest.approx(m_theirs, rel=1e-12)


def test_cvode_event_callbacks_match_neuron(pn, nrn):
    """CVode.event callbacks change a parameter mid-run at NEURON's step."""

    def build(n):
        sec = n.Section("s")
        sec.insert("hh")
        stim = n.IClamp(sec(0.5))
        stim.delay, stim.dur, stim.amp = 0, 1e9, 0.0
        times = []

        def turn(amp):
            def go():
                times.append(n.t)
                stim.amp = amp

            return go

        v = n.Vector().record(sec(0.5)._ref_v)
        cv = n.CVode()

        def schedule():
            cv.event(2.0125, turn(0.3))
            cv.event(5.51, turn(0.0))

        fih = n.FInitializeHandler(schedule)
        n.finitialize(-65)
        n.continuerun(10)
        out = np.array(v)
        del fih
        return out, times

    ours, t_ours = build(pn)
    theirs, t_theirs = build(nrn)
    assert t_ours == pytest.approx(t_theirs, abs=1e-12)
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= 1e-6
