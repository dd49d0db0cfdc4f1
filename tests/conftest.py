"""Shared fixtures: the simulator under test (`pn`) and the oracle, NEURON (`nrn`)."""

from __future__ import annotations

import gc

import pytest


def _reset(n) -> None:
    n.dt = 0.025
    n.secondorder = 0
    n.celsius = 6.3
    n.t = 0.0


@pytest.fixture
def pn():
    """pyneuro's ``n``, with NEURON's default globals, and no sections left from other tests."""
    from pyneuro import n
    from pyneuro.simulator import sim

    sim.hoc_sections.clear()  # HOC-level sections (Import3d) left by another test
    gc.collect()
    _reset(n)
    yield n
    gc.collect()


@pytest.fixture
def nrn():
    """NEURON's ``n`` (the oracle), skipped when the ``neuron`` package is not installed."""
    neuron = pytest.importorskip("neuron")
    n = neuron.n
    n.load_file("stdrun.hoc")
    gc.collect()
    _reset(n)
    n.usetable_hh = 1
    yield n
    gc.collect()
