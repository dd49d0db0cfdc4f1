"""Rallpacks 1 and 2 against the 1992 analytic reference traces, for NEURON and for pyneuro.

The same model code (``models.py``) runs on both simulators. The acceptance criterion is the
Rallpack accuracy measure, normalised RMS < 1e-3 (0.1 %), at both recording sites, with
dt = 0.05 ms (the Rallpacks' suggested 50 µs) and both integration methods. NEURON 9.0.2 scores
1.1e-5 to 4.8e-4 on these cases, so the bound has at least 2x headroom for a correct simulator.
"""

from __future__ import annotations

import numpy as np
import pytest

from .models import (
    BUILDERS,
    TSTOP_MS,
    load_reference,
    normalized_rms,
    rallpack2_geometry,
    simulate,
)

RMS_BOUND = 1e-3
DT_MS = 0.05


def _simulator(name: str):
    if name == "neuron":
        module = pytest.importorskip("neuron", reason="NEURON (the oracle) is not installed")
        return module.n
    from pyneuro import n

    return n


@pytest.fixture(
    params=[pytest.param("neuron", marks=pytest.mark.neuron), "pyneuro"],
)
def sim(request):
    """(name, top-level module ``n``) of the simulator under test."""
    return request.param, _simulator(request.param)


@pytest.mark.parametrize("secondorder", [2, 0], ids=["cn", "ie"])
@pytest.mark.parametrize("pack", [1, 2], ids=["rallpack1", "rallpack2"])
def test_rallpack_accuracy(sim, pack, secondorder, record_property):
    name, n = sim
    model = BUILDERS[pack](n)
    trace = simulate(n, model, dt=DT_MS, secondorder=secondorder)

    t = trace["t"]
    assert t[0] == pytest.approx(0.0)
    assert t[-1] >= TSTOP_MS - 1e-6, f"run stopped at t = {t[-1]} ms, before {TSTOP_MS} ms"
    errors = {}
    for site, ref_name in model.references.items():
        assert trace[site].shape == t.shape
        assert np.all(np.isfinite(trace[site]))
        errors[site] = normalized_rms(t, trace[site], *load_reference(ref_name))
        record_property(f"nrms_{site}", errors[site])
    summary = ", ".join(f"site {s}: {e:.3g}" for s, e in errors.items())
    assert all(e < RMS_BOUND for e in errors.values()), (
        f"{name} Rallpack {pack} secondorder={secondorder} dt={DT_MS}: normalised RMS {summary} "
        f"(bound {RMS_BOUND})"
    )


def test_rallpack2_tree_shape(sim):
    """The tree has 1023 single-segment sections and the 3/2-power-law geometry of the spec."""
    name, n = sim
    model = BUILDERS[2](n)
    sections = model.sections
    assert len(sections) == 2**10 - 1
    assert all(sec.nseg == 1 for sec in sections)
    # The spec's table (rounded there): depth 9 is 4.0 µm x 0.25 µm.
    assert rallpack2_geometry(9) == pytest.approx((4.0, 0.25))
    tip = model.sites["x"].sec
    assert tip.L == pytest.approx(4.0)
    assert tip.diam == pytest.approx(0.25)
    depth = 0
    sec = tip
    while (parent_seg := sec.parentseg()) is not None:
        sec = parent_seg.sec
        depth += 1
    assert depth == 9
    assert sec == sections[0]


# --- the error measure itself (no simulator needed) ---


def test_normalized_rms_zero_for_identical_trace():
    ref_t, ref_v = load_reference("ref_cable.0")
    assert normalized_rms(ref_t * 1e3, ref_v * 1e3, ref_t, ref_v) == pytest.approx(0.0, abs=1e-15)


def test_normalized_rms_constant_offset_and_units():
    ref_t = np.linspace(0.0, 0.25, 5001)
    ref_v = -0.065 + 0.01 * (1.0 - np.exp(-ref_t / 0.04))
    span = ref_v.max() - ref_v.min()
    # The model: 0.1 mV above, sampled on a finer and shifted grid, in ms and mV.
    t_ms = np.linspace(0.0, 250.0, 20001)
    v_mV = 1e3 * (-0.065 + 0.01 * (1.0 - np.exp(-t_ms * 1e-3 / 0.04))) + 0.1
    got = normalized_rms(t_ms, v_mV, ref_t, ref_v)
    assert got == pytest.approx(1e-4 / span, rel=1e-3)


def test_normalized_rms_compares_only_common_time_range():
    ref_t = np.linspace(0.0, 0.25, 5001)
    ref_v = np.where(ref_t <= 0.1, -0.065, -0.055)  # jumps by 10 mV after 100 ms
    t_ms = np.linspace(0.0, 100.0, 2001)
    v_mV = np.full_like(t_ms, -65.0)
    assert normalized_rms(t_ms, v_mV, ref_t, ref_v) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("ref_name", ["ref_cable.0", "ref_cable.x", "ref_branch.0", "ref_branch.x"])
def test_vendored_reference_data(ref_name):
    t, v = load_reference(ref_name)
    assert t.shape == v.shape == (5001,)
    assert t[0] == 0.0
    assert t[-1] == pytest.approx(0.25)
    assert np.all(np.diff(t) > 0)
    assert v[0] == pytest.approx(-0.065)
    assert np.all(np.diff(v) >= 0)  # a charging curve: depolarises monotonically
