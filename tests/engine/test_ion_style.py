"""Ion styles: a mechanism that writes a concentration makes the reversal potential follow it.

NEURON's rules (eion.cpp ``nrn_promote``): writing cai resets cai/cao to ``cai0_ca_ion`` /
``cao0_ca_ion`` at finitialize, computes eca by Nernst then and after the writer's INITIAL, and
recomputes eca at the start of every step. The same two .mod files (our own) are compiled by
NEURON's nrnivmodl and by pyneuro-nrnivmodl and run in subprocesses (NEURON loads a mechanism
name once per process); traces must agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.neuron

CA_LEAK = """
NEURON {
    SUFFIX caleak
    USEION ca READ eca WRITE ica
    RANGE g
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { g = 2e-4 (S/cm2) }
ASSIGNED { v (mV) eca (mV) ica (mA/cm2) }
BREAKPOINT { ica = g*(v - eca) }
"""

CA_POOL = """
NEURON {
    SUFFIX capool
    USEION ca READ ica WRITE cai
    RANGE tau, k, cainf
}
UNITS { (mM) = (milli/liter) (mA) = (milliamp) }
PARAMETER {
    tau = 20 (ms)
    k = 0.05 (mM cm2/mA/ms)
    cainf = 1e-4 (mM)
}
ASSIGNED { ica (mA/cm2) }
STATE { cai (mM) }
INITIAL { cai = cainf }
BREAKPOINT { SOLVE pool METHOD cnexp }
DERIVATIVE pool { cai' = -k*ica - (cai - cainf)/tau }
"""

SCRIPT = """
import json, sys
SIM = sys.argv[1]
if SIM == "neuron":
    from neuron import n
    n.load_file("stdrun.hoc")
else:
    from pyneuro import n
n.celsius = 22
n.cao0_ca_ion = 3.0
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("caleak")
soma.insert("capool")
soma.insert("pas")
stim = n.IClamp(soma(0.5))
stim.delay, stim.dur, stim.amp = 2, 20, 0.05
rec = {k: n.Vector().record(getattr(soma(0.5), "_ref_" + k)) for k in ("v", "cai", "eca", "ica")}
out = {}
for so in (0, 2):
    n.secondorder = so
    n.finitialize(-65)
    n.continuerun(40)
    out[so] = {k: list(v) for k, v in rec.items()}
print("JSON" + json.dumps(out))
"""


def _run(folder: Path, compiler: list[str], sim: str, env: dict) -> dict:
    res = subprocess.run(compiler, cwd=folder, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    res = subprocess.run(
        [sys.executable, "run.py", sim], cwd=folder, env=env, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    line = next(x for x in res.stdout.splitlines() if x.startswith("JSON"))
    return json.loads(line[4:])


def test_concentration_writer_drives_nernst_like_neuron(tmp_path: Path):
    nrnivmodl = shutil.which("nrnivmodl")
    if nrnivmodl is None:
        pytest.skip("NEURON's nrnivmodl is not on PATH")
    ours = shutil.which("pyneuro-nrnivmodl")
    ours_cmd = [ours] if ours else [sys.executable, "-m", "pyneuro.cli"]
    results = {}
    for sim, cmd in (("neuron", [nrnivmodl]), ("pyneuro", ours_cmd)):
        folder = tmp_path / sim
        folder.mkdir()
        (folder / "caleak.mod").write_text(textwrap.dedent(CA_LEAK))
        (folder / "capool.mod").write_text(textwrap.dedent(CA_POOL))
        (folder / "run.py").write_text(textwrap.dedent(SCRIPT))
        env = dict(os.environ, PYNEURO_CACHE_DIR=str(tmp_path / "cache"))
        results[sim] = _run(folder, cmd, sim, env)
    for so in ("0", "2"):
        ours, theirs = results["pyneuro"][so], results["neuron"][so]
        for key, tol in (("v", 1e-6), ("eca", 1e-6), ("cai", 1e-12), ("ica", 1e-12)):
            a, b = np.array(ours[key]), np.array(theirs[key])
            assert a.shape == b.shape, key
            assert np.abs(a - b).max() <= tol, (so, key, np.abs(a - b).max())
        # the protocol must move eca, or the comparison proves little
        assert np.ptp(theirs["eca"]) > 1.0
