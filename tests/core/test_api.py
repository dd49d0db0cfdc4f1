"""The NEURON Python API surface: names, values, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from pyneuro.engine.fixed import NumericalInstability


def test_defaults_match_neuron(pn, nrn):
    for name in ("dt", "celsius", "secondorder", "v_init", "tstop"):
        assert getattr(pn, name) == getattr(nrn, name), name
    a, b = pn.Section("a"), nrn.Section("a")
    assert (a.L, a.diam, a.Ra, a.cm, a.nseg) == (b.L, b.diam, b.Ra, b.cm, b.nseg)
    a.insert("hh")
    b.insert("hh")
    for var in ("ena", "nai", "nao", "ek", "ki", "ko", "gnabar_hh", "gkbar_hh", "gl_hh", "el_hh"):
        assert getattr(a(0.5), var) == getattr(b(0.5), var), var
    assert pn.usetable_hh == nrn.usetable_hh == 1


def test_range_variable_spellings_are_the_same_storage(pn):
    sec = pn.Section("s")
    sec.nseg = 3
    sec.insert(pn.hh)
    sec.gnabar_hh = 0.2
    assert [seg.hh.gnabar for seg in sec] == [0.2, 0.2, 0.2]
    sec(0.5).hh.gnabar = 0.3
    assert sec(0.5).gnabar_hh == 0.3
    sec(0.1).gkbar_hh = 0.05
    assert sec(0.1).hh.gkbar == 0.05
    pn.finitialize(-65)  # compiling the model keeps the values
    assert [seg.gnabar_hh for seg in sec] == [0.2, 0.3, 0.2]


def test_names_cells_and_iteration(pn):
    class Cell:
        def __repr__(self):
            return "Pyr[3]"

    cell = Cell()
    sec = pn.Section("soma", cell=cell)
    assert str(sec) == "Pyr[3].soma" and sec.cell() is cell
    sec.nseg = 4
    assert [seg.x for seg in sec] == [0.125, 0.375, 0.625, 0.875]
    assert [seg.x for seg in sec.allseg()] == [0, 0.125, 0.375, 0.625, 0.875, 1]
    assert repr(sec(0.5)) == "Pyr[3].soma(0.5)"
    assert sec in list(pn.allsec())


def test_vector_recording_as_numpy(pn):
    sec = pn.Section("s")
    sec.insert("pas")
    v = pn.Vector().record(sec(0.5)._ref_v)
    t = pn.Vector().record(pn._ref_t)
    pn.finitialize(-60)
    pn.continuerun(1.0)
    assert len(t) == len(v) == 41
    assert t[0] == 0.0 and t[-1] == pytest.approx(1.0)
    arr = v.as_numpy()
    assert np.shares_memory(arr, v.as_numpy())
    assert np.array_equal(np.array(v), arr)
    assert v[-1] < -60.0  # relaxes towards e_pas = -70


def test_bad_input_raises_clear_errors(pn):
    sec = pn.Section("s")
    with pytest.raises(ValueError, match="0 <= x <= 1"):
        sec(1.5)
    with pytest.raises(ValueError, match="nseg"):
        sec.nseg = 0
    with pytest.raises(ValueError, match="not a density mechanism"):
        sec.insert("nosuchmech")
    with pytest.raises(AttributeError, match="does not exist"):
        sec(0.5).gnabar_hh  # noqa: B018
    with pytest.raises(ValueError, match="positive"):
        sec.L = -1
    child = pn.Section("c")
    child.connect(sec(1))
    with pytest.raises(RuntimeError, match="loop"):
        sec.connect(child(1))


def test_nan_is_reported_with_section_and_time(pn):
    sec = pn.Section("leaky")
    sec.insert("pas")
    pn.finitialize(-65)
    sec(0.5).pas.g = float("nan")
    with pytest.raises(NumericalInstability, match=r"leaky\(0.5\).*t = 0.025"):
        pn.fadvance()


def test_ion_defaults_match_neuron(pn, nrn):
    a, b = pn.Section("a"), nrn.Section("a")
    for sec in (a, b):
        for ion in ("na", "k"):  # NEURON registers ca_ion only once a mechanism uses it
            sec.insert(f"{ion}_ion")
    names = ["ena", "nai", "nao", "ek", "ki", "ko"]
    assert [getattr(a(0.5), v) for v in names] == pytest.approx(
        [getattr(b(0.5), v) for v in names], rel=1e-15
    )
