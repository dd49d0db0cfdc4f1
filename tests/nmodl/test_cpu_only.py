"""Mechanisms whose state a GPU kernel cannot hold are marked CPU-only in their metadata, with
the reason: a POINTER or EXTERNAL (raw addresses), printf, a hoc Random object; plain channels
are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmodl import compile_file, compile_text

MECHANISMS = Path(__file__).resolve().parents[2] / "mechanisms"

HEAD = "NEURON { SUFFIX t NONSPECIFIC_CURRENT i %s }\nASSIGNED { v i %s }\n"

CASES = {
    "POINTER": (HEAD % ("POINTER p", "p"), "BREAKPOINT { i = 0.001*p }\n"),
    "printf": (HEAD % ("", ""), 'BREAKPOINT { i = 0  printf("%g\\n", v) }\n'),
    "EXTERNAL": (
        "NEURON { SUFFIX t NONSPECIFIC_CURRENT i EXTERNAL gl_hh }\nASSIGNED { v i }\n",
        "BREAKPOINT { i = gl_hh*(v + 54) }\n",
    ),
}


@pytest.mark.parametrize("reason", sorted(CASES))
def test_cpu_only_names_the_reason(reason):
    head, body = CASES[reason]
    meta = compile_text(head + body, "t.mod").metadata
    assert any(reason in r for r in meta["cpu_only"]), meta["cpu_only"]


@pytest.mark.parametrize("name", ["hh", "pas", "ExpSyn", "IClamp"])
def test_plain_mechanisms_are_not_cpu_only(name):
    assert compile_file(MECHANISMS / f"{name}.mod").metadata["cpu_only"] == []


def test_pointer_declared_in_parameter_is_a_pointer():
    """nocmodl takes a POINTER's declaration from PARAMETER too (ModelDB 21329's gap.mod)."""
    text = (
        "NEURON { POINT_PROCESS g NONSPECIFIC_CURRENT i POINTER vgap }\n"
        "PARAMETER { v (mV) vgap (mV) r = 1e5 }\nASSIGNED { i }\n"
        "BREAKPOINT { i = (v - vgap)/r }\n"
    )
    meta = compile_text(text, "g.mod").metadata
    assert [p["name"] for p in meta["pointers"]] == ["vgap"]
    assert "vgap" not in [r["name"] for r in meta["range"] if r.get("public", True)]


def test_fmod_is_cs_fmod(pn, tmp_path):
    """fmod in a FUNCTION (Numba has no math.fmod): C's fmod, the sign of the dividend."""
    import math

    from pyneuro import simulator

    path = tmp_path / "fm.mod"
    path.write_text("NEURON { SUFFIX fmodtest }\nFUNCTION f(x, y) { f = fmod(x, y) }\n")
    simulator.sim.load_mod(path)
    for x, y in ((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (0.3, 0.1), (-1e-3, 5.0)):
        assert pn.f_fmodtest(x, y) == math.fmod(x, y)
