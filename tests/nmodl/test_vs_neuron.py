"""Kernels of our hh.mod against NEURON's built-in hh on one compartment (fixed step)."""

from __future__ import annotations

import numpy as np
import pytest
from nmodl_helpers import MECHANISMS, OneNode, load_module

from nmodl import compile_file

pytestmark = pytest.mark.neuron


def _neuron_trace(v_init: float, steps: int) -> np.ndarray:
    neuron = pytest.importorskip("neuron")
    h = neuron.h
    soma = h.Section(name="soma_nmodl_test")
    soma.L = soma.diam = 10.0
    soma.insert("hh")
    stim = h.IClamp(soma(0.5))
    stim.dur = 1e9
    stim.amp = 0.1
    h.dt = 0.025
    h.celsius = 6.3
    h.finitialize(v_init)
    out = []
    for _ in range(steps):
        h.fadvance()
        seg = soma(0.5)
        out.append((seg.v, seg.hh.m, seg.hh.h, seg.hh.n))
    return np.array(out)


def test_hh_single_compartment_matches_neuron(module_dir):
    result = compile_file(MECHANISMS / "hh.mod")
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata, v=-65.0)
    s.ions[0, 0, 0] = 50.0
    s.ions[1, 0, 0] = -77.0
    dt = s.sc[1]
    area = np.pi * 10.0 * 10.0
    mod.check_table(s.sc, s.gl, s.tab)
    mod.initialize(*s.args())
    steps = 800
    ours = []
    for k in range(steps):
        t = k * dt
        mod.check_table(s.sc, s.gl, s.tab)
        s.sc[0] = t + dt / 2
        s.nd[1:3, 0] = 0.0
        s.ions[:, 3:5, 0] = 0.0
        mod.current(*s.args())
        s.nd[1, 0] += 0.1 * 100.0 / area  # the IClamp of the NEURON run
        s.nd[2, 0] += 1e-3 * 1.0 / dt  # capacitance, cm = 1 uF/cm2
        s.nd[0, 0] += s.nd[1, 0] / s.nd[2, 0]
        s.sc[0] = t + dt
        mod.state(*s.args())
        ours.append((s.nd[0, 0], *(s.data[s.row(x), 0] for x in "mhn")))
    ours = np.array(ours)
    ref = _neuron_trace(-65.0, steps)
    assert ours[:, 0].max() > 0.0  # it fired
    assert np.allclose(ours, ref, rtol=0, atol=1e-9), np.abs(ours - ref).max()
