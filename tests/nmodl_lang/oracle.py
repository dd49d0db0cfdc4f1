"""Run one protocol on .mod files of our own in NEURON (the oracle) and in pyneuro.

NEURON runs in a subprocess (it loads a mechanism name once per process) on files compiled by
its own ``nrnivmodl``; its result is cached under ``$PYNEURO_CACHE_DIR/oracle``, keyed by the
.mod texts, the script and NEURON's version, so repeated test runs skip the C++ build. pyneuro
runs the same script in this process, on the same files compiled by ``pyneuro.mechcache``.

A script is Python with ``n`` bound to NEURON's or pyneuro's top-level namespace; it fills the
dict ``OUT`` with lists of floats (traces) or floats. A script that mentions ``PRINTED`` also
gets what it printed (printf in .mod files; lines starting with ``PF ``) compared, under
``OUT["PRINTED"]``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

_PRELUDE = """
import json, sys
from neuron import n
n.load_file("stdrun.hoc")
OUT = {}
"""


def _neuron_version() -> str:
    try:
        import neuron
    except ImportError:  # pragma: no cover - the test dependency is missing
        return ""
    return str(neuron.__version__)


def _cache_root() -> Path | None:
    root = os.environ.get("PYNEURO_CACHE_DIR")
    return Path(root) / "oracle" if root else None


def find_nrnivmodl() -> str | None:
    """NEURON's nrnivmodl: on PATH, or beside this Python (a virtual environment's bin)."""
    found = shutil.which("nrnivmodl")
    if found is None:
        beside = Path(sys.executable).parent / "nrnivmodl"
        found = str(beside) if beside.is_file() else None
    return found


def run_neuron(mods: dict[str, str], script: str) -> dict:
    """``script`` run by NEURON on ``mods`` (file name -> text) compiled by nrnivmodl."""
    nrnivmodl = find_nrnivmodl()
    if nrnivmodl is None or not _neuron_version():
        pytest.skip("NEURON (the oracle) with nrnivmodl is not installed")
    script = textwrap.dedent(script)
    h = hashlib.sha256(_neuron_version().encode())
    for name in sorted(mods):
        h.update(name.encode() + b"\0" + textwrap.dedent(mods[name]).encode() + b"\0")
    h.update(script.encode())
    key = h.hexdigest()[:24]
    root = _cache_root()
    if root is not None and (root / f"{key}.json").is_file():
        return json.loads((root / f"{key}.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in mods.items():
            (folder / name).write_text(textwrap.dedent(text))
        res = subprocess.run([nrnivmodl], cwd=folder, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
        (folder / "run.py").write_text(_PRELUDE + script + '\nprint("JSON" + json.dumps(OUT))\n')
        res = subprocess.run([sys.executable, "run.py"], cwd=folder, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
        line = next(x for x in res.stdout.splitlines() if x.startswith("JSON"))
        out = json.loads(line[4:])
        if "PRINTED" in script:  # printf from mod files: the lines starting with "PF "
            out["PRINTED"] = _printed(res.stdout)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        tmpfile = root / f"{key}.{os.getpid()}.tmp"
        tmpfile.write_text(json.dumps(out))
        os.replace(tmpfile, root / f"{key}.json")
    return out


def run_pyneuro(mods: dict[str, str], script: str, folder: Path) -> dict:
    """``script`` run by pyneuro, in this process, on ``mods`` compiled by our compiler."""
    from pyneuro import n, simulator

    for name, text in mods.items():
        (folder / name).write_text(textwrap.dedent(text))
    for name in mods:
        if not name.endswith(".mod"):
            continue
        path = folder / name
        sim = simulator.sim
        stem = name[:-4]
        if stem in sim.mechanisms or any(
            Path(f).name == name for f in sim.mechanism_files.values()
        ):
            continue
        sim.load_mod(path)
    gc.collect()
    n.dt = 0.025
    n.secondorder = 0
    n.celsius = 6.3
    n.t = 0.0
    env: dict = {"n": n, "OUT": {}}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(textwrap.dedent(script), "<protocol>", "exec"), env)
    out = env["OUT"]
    if "PRINTED" in script:
        out["PRINTED"] = _printed(buffer.getvalue())
    env.clear()
    gc.collect()
    return json.loads(json.dumps(out))


def _printed(text: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("PF "))


def compare(
    ours: dict, theirs: dict, v_atol: float = 1e-6, rtol: float = 1e-9, atol: float = 0.0
) -> dict[str, float]:
    """Assert the two results agree; returns the worst difference of each key.

    Keys starting with ``v`` (membrane potentials, mV) must agree to ``v_atol``; every other
    value to ``rtol`` relative to the largest magnitude of its trace (plus ``atol``).
    """
    assert set(ours) == set(theirs), (sorted(ours), sorted(theirs))
    worst = {}
    for key in theirs:
        if isinstance(theirs[key], str):
            assert ours[key] == theirs[key], (key, ours[key], theirs[key])
            continue
        a = np.asarray(ours[key], dtype=float)
        b = np.asarray(theirs[key], dtype=float)
        assert a.shape == b.shape, (key, a.shape, b.shape)
        diff = float(np.max(np.abs(a - b))) if a.size else 0.0
        if key.startswith("v"):
            tol = v_atol
        else:
            tol = rtol * float(np.max(np.abs(b))) if b.size else 0.0
            tol += atol
        assert np.array_equal(np.isnan(a), np.isnan(b)), key
        ok = np.nan_to_num(np.abs(a - b)) <= tol
        assert ok.all(), f"{key}: max |diff| {diff:g} > {tol:g}"
        worst[key] = diff
    return worst


def check(tmp_path: Path, mods: dict[str, str], script: str, **tols: float) -> dict:
    """Run in both simulators and compare; returns NEURON's result (for extra assertions)."""
    theirs = run_neuron(mods, script)
    ours = run_pyneuro(mods, script, tmp_path)
    compare(ours, theirs, **tols)
    return theirs
