"""Compile latency: pyneuro-nrnivmodl beside NEURON's nrnivmodl on one model's .mod files.

Usage::

    python benchmarks/compile_latency.py FOLDER [--out RESULT.md]

FOLDER holds the .mod files (e.g. ModelDB model 2488, fetched separately: its files are not
ours to commit). Each measurement runs in a fresh process and a fresh copy of the folder:

* ``nrnivmodl`` (NEURON 9, C++ build), cold (new folder) and warm (run again in that folder:
  make finds nothing to rebuild);
* ``pyneuro-nrnivmodl`` cold (empty ``PYNEURO_CACHE_DIR``) and warm (the cache kept);
* the first ``finitialize`` + 1 ms run with every mechanism inserted in one section, cold
  (Numba compiles every kernel and the time loop) and warm (all from the on-disk caches) —
  NEURON has no such step (its build already compiled the code).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """
import json, sys, time
t0 = time.perf_counter()
from pyneuro import n
import pyneuro
soma = n.Section("soma")
for name in json.loads(sys.argv[1]):
    soma.insert(name)
n.finitialize(-65)
n.continuerun(1)
print("SECONDS", time.perf_counter() - t0)
"""


def _timed(cmd: list[str], cwd: Path, env: dict) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return elapsed


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        beside = Path(sys.executable).parent / name
        found = str(beside) if beside.is_file() else None
    if found is None:
        raise SystemExit(f"{name} not found")
    return found


def _density_names(folder: Path) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from nmodl import compile_file

    names = []
    for p in sorted(folder.glob("*.mod")):
        meta = compile_file(p).metadata
        if meta["kind"] == "density" and not meta.get("refused"):
            names.append(meta["name"])
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    src = args.folder.resolve()
    mods = sorted(src.glob("*.mod"))
    import json

    names = _density_names(src)
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = dict(os.environ)
        # NEURON
        nrn = tmp / "neuron"
        shutil.copytree(src, nrn)
        nrnivmodl = _tool("nrnivmodl")
        rows.append(("nrnivmodl, cold (C++ build)", _timed([nrnivmodl], nrn, env)))
        rows.append(("nrnivmodl, warm (nothing to rebuild)", _timed([nrnivmodl], nrn, env)))
        # pyneuro
        ours = tmp / "pyneuro"
        shutil.copytree(src, ours)
        cache = tmp / "cache"
        env = dict(os.environ, PYNEURO_CACHE_DIR=str(cache))
        tool = _tool("pyneuro-nrnivmodl")
        rows.append(("pyneuro-nrnivmodl, cold (empty cache)", _timed([tool], ours, env)))
        (ours / "run.py").write_text(RUN)
        run = [sys.executable, "run.py", json.dumps(names)]
        rows.append(("first run, cold: Numba compiles kernels + loop", _timed(run, ours, env)))
        shutil.rmtree(ours / platform.machine())
        rows.append(("pyneuro-nrnivmodl, warm (cache kept)", _timed([tool], ours, env)))
        rows.append(("first run, warm: everything from the caches", _timed(run, ours, env)))
    lines = [
        f"# Compile latency: {src.name} ({len(mods)} .mod files, {len(names)} density mechanisms)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Wall-clock seconds, each in a fresh process.",
        "",
        "| step | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {sec:.2f} |" for name, sec in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
