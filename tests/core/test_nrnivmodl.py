"""pyneuro-nrnivmodl end to end: compile a user .mod in a folder, use it from a script there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LEAK_MOD = textwrap.dedent(
    """
    NEURON {
        SUFFIX myleak
        NONSPECIFIC_CURRENT i
        RANGE gbar, erev
    }
    UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
    PARAMETER {
        gbar = 0.002 (S/cm2)
        erev = -80 (mV)
    }
    ASSIGNED { v (mV) i (mA/cm2) }
    BREAKPOINT { i = gbar*(v - erev) }
    """
)

# One isolated compartment with a linear leak: implicit Euler gives, exactly,
# v[k+1] - e = (v[k] - e) * c / (c + g) with c = 1e-3 cm / dt  (mA/cm2 per mV).
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pyneuro import n
    sec = n.Section("cell")
    sec.insert("myleak")
    sec(0.5).myleak.gbar = 0.003
    n.dt = 0.1
    v = n.Vector().record(sec(0.5)._ref_v)
    n.finitialize(-50)
    n.continuerun(20)
    json.dump(list(v), sys.stdout)
    """
)


def _nrnivmodl() -> list[str]:
    exe = shutil.which("pyneuro-nrnivmodl")
    return [exe] if exe else [sys.executable, "-m", "pyneuro.cli"]


def test_compile_folder_then_use_it_from_a_script(tmp_path: Path):
    (tmp_path / "myleak.mod").write_text(LEAK_MOD)
    (tmp_path / "run.py").write_text(SCRIPT)
    env = dict(os.environ, PYNEURO_CACHE_DIR=str(tmp_path / "cache"))
    first = subprocess.run(_nrnivmodl(), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert 'Mod files: "myleak.mod"' in first.stdout
    assert "Successfully created" in first.stdout
    out = subprocess.run(
        [sys.executable, "run.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    import json

    v = json.loads(out.stdout)
    c, g, e = 1e-3 * 1.0 / 0.1, 0.003, -80.0
    expected = [-50.0]
    while len(expected) < len(v):
        expected.append(e + (expected[-1] - e) * c / (c + g))
    assert len(v) == 201
    assert v == pytest.approx(expected, rel=0, abs=1e-9)

    # a second run finds the generated code unchanged and reuses it
    arch = next(p for p in tmp_path.iterdir() if (p / "pyneuro-mechanisms.json").exists())
    generated = sorted(arch.glob("pyneuro_mech_*.py"))
    stamps = [p.stat().st_mtime_ns for p in generated]
    second = subprocess.run(_nrnivmodl(), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert "reused" in second.stdout
    assert [p.stat().st_mtime_ns for p in generated] == stamps


def test_bad_mod_file_fails_with_location(tmp_path: Path):
    (tmp_path / "broken.mod").write_text(
        "NEURON {\n    SUFFIX broken\n    RANGE g\n\nPARAMETER { g = 1 }\n"
    )
    env = dict(os.environ, PYNEURO_CACHE_DIR=str(tmp_path / "cache"))
    res = subprocess.run(_nrnivmodl(), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert res.returncode == 1
    assert "broken.mod:" in res.stderr
    assert "Traceback" not in res.stderr


def test_unknown_option_and_bad_argument(tmp_path: Path):
    res = subprocess.run(_nrnivmodl() + ["-bogus"], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 1 and "-bogus unrecognized" in res.stderr
    res = subprocess.run(_nrnivmodl() + ["nothing"], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 1 and 'Arg Error: "nothing"' in res.stderr


def test_load_mechanisms_raises_when_nothing_compiled(tmp_path: Path):
    import pyneuro

    with pytest.raises(FileNotFoundError, match="pyneuro-nrnivmodl"):
        pyneuro.load_mechanisms(tmp_path)
