"""The benchmark runner end to end on a short W3 and W1 (NEURON's scripts, unchanged)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO.parent / "shared" / "benchmarks"

pytestmark = pytest.mark.neuron


@pytest.mark.skipif(not (SCRIPTS / "neuron_w1.py").is_file(), reason="no shared benchmarks")
def test_runner_agrees_with_neuron(tmp_path):
    pytest.importorskip("neuron")
    cache = os.environ.get("PYNEURO_CACHE_DIR") or str(tmp_path / "cache")
    cmd = [sys.executable, str(REPO / "benchmarks" / "run.py"), "--only", "W1,W3-1000"]
    cmd += ["--runs", "1", "--tstop", "15", "--sims", "neuron,pyneuro"]
    cmd += ["--out", str(tmp_path), "--cache-dir", cache, "--scripts", str(SCRIPTS)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    (saved,) = tmp_path.glob("*.json")
    data = json.loads(saved.read_text())
    assert len(data["measured"]["commit"]) == 40
    rows = {r["workload"]: r for r in data["rows"]}
    for name in ("W1", "W3-1000"):
        agreement = rows[name]["agreement"]["pyneuro"]
        assert agreement["agree"] is True
        assert agreement["count"] == agreement["count_ref"] > 0
    assert rows["W1"]["agreement"]["pyneuro"]["max_dt_ms"] <= 0.05
    assert "| W1 |" in (tmp_path / saved.name.replace(".json", ".md")).read_text()
