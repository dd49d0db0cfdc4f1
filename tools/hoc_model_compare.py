"""Run a published HOC model under NEURON and under pyneuro and compare what it prints.

Usage::

    python tools/hoc_model_compare.py MODEL_FOLDER DRIVER.hoc [--out REPORT.md]

MODEL_FOLDER holds the model as published (``.hoc`` and ``.mod`` files, e.g. a ModelDB
snapshot; nothing of it is committed). DRIVER.hoc is a short HOC file of ours that loads the
model's own files, runs it headless and prints what is to be compared (traces with ``%.10g``).
The folder is copied twice: NEURON's ``nrnivmodl`` builds one, ``pyneuro-nrnivmodl`` the other;
each simulator runs the driver in a fresh process. The report gives both outputs' line counts,
the lines that differ, and the largest difference between numbers on lines that pair up.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = {
    "neuron": "from neuron import h\nh.load_file('{driver}')\n",
    "pyneuro": "from pyneuro import n\nn.load_file('{driver}')\n",
}


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        raise SystemExit(f"{name} not found")
    return found


def run(folder: Path, driver: Path) -> dict[str, tuple[list[str], list[float]]]:
    out: dict[str, tuple[list[str], list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sim, build in (("neuron", "nrnivmodl"), ("pyneuro", "pyneuro-nrnivmodl")):
            work = Path(tmp) / sim
            shutil.copytree(folder, work)
            shutil.copy(driver, work / "driver.hoc")
            subprocess.run([_tool(build)], cwd=work, check=True, capture_output=True)
            times = []
            for _ in range(2):  # first and second run (pyneuro's first compiles the loop)
                t0 = time.perf_counter()
                res = subprocess.run(
                    [sys.executable, "-c", RUN[sim].format(driver="driver.hoc")],
                    cwd=work,
                    capture_output=True,
                    text=True,
                )
                times.append(time.perf_counter() - t0)
                if res.returncode != 0:
                    raise SystemExit(f"{sim} failed:\n{res.stderr[-3000:]}")
            out[sim] = (res.stdout.splitlines(), times)
    return out


def _numbers(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", line)]


def compare(ref: list[str], ours: list[str]) -> tuple[list[str], float]:
    """Lines that differ (echo lines of top-level statements aside) and the largest
    absolute difference between paired numbers."""

    def data(lines: list[str]) -> list[str]:
        return [s for s in lines if not s.startswith("\t")]

    a, b = data(ref), data(ours)
    diffs = [f"- {x}\n+ {y}" for x, y in zip(a, b) if x != y]
    if len(a) != len(b):
        diffs.append(f"line counts differ: NEURON {len(a)}, pyneuro {len(b)}")
    worst = 0.0
    for x, y in zip(a, b):
        nx, ny = _numbers(x), _numbers(y)
        if len(nx) == len(ny):
            worst = max([worst, *(abs(p - q) for p, q in zip(nx, ny))])
    return diffs, worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("driver", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    res = run(args.folder.resolve(), args.driver.resolve())
    (ref, t_ref), (ours, t_ours) = res["neuron"], res["pyneuro"]
    diffs, worst = compare(ref, ours)
    lines = [
        f"# HOC model comparison: {args.folder.name} with {args.driver.name}",
        "",
        f"- NEURON printed {len(ref)} lines; pyneuro {len(ours)} (the difference is echoes of "
        "top-level statements).",
        f"- Wall seconds of the whole process, first and second run: NEURON {t_ref[0]:.2f}, "
        f"{t_ref[1]:.2f}; pyneuro {t_ours[0]:.2f}, {t_ours[1]:.2f} (its first run compiles "
        "the model's time loop with Numba; mechanisms come from the compile cache).",
        f"- Data lines (not echoes of top-level statements) that differ: {len(diffs)}.",
        f"- Largest difference between paired numbers: {worst:.3g}.",
    ]
    if diffs:
        lines += ["", "```", *diffs[:40], "```"]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0 if not diffs else 1


if __name__ == "__main__":
    raise SystemExit(main())
