"""Warm start (issue 5, item 3): ``import pyneuro`` + build W1 + the first step, in a fresh
process with the compile cache present, as wall seconds from the interpreter's start.

Usage::

    python benchmarks/warm_start.py [--runs 5]

Each run is ``python -c`` in a new process that records ``time.perf_counter()`` offsets
against the process start time (``psutil``-free: the start is read from /proc/self/stat), so
the interpreter's own start-up is included. The first run fills the cache if it is empty; the
median of the next ``--runs`` is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"

CHILD = r"""
import os, time, json, sys
def since_start():
    ticks = os.sysconf("SC_CLK_TCK")
    start = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]) / ticks
    uptime = float(open("/proc/uptime").read().split()[0])
    return uptime - start
t_import0 = since_start()
from pyneuro import n
t_import = since_start()
sys.path.insert(0, sys.argv[1])
import spec
n.celsius = spec.CELSIUS
sys.path.insert(0, sys.argv[2])
from profile_phases import build_w1
keep = build_w1(n, spec)
n.dt = spec.DT
n.finitialize(spec.V_INIT)
n.fadvance()
t_end = since_start()
print("JSON" + json.dumps({"interpreter": t_import0, "import": t_import, "total": t_end}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    results = []
    for k in range(args.runs + 1):
        res = subprocess.run(
            [sys.executable, "-c", CHILD, str(SHARED), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            raise SystemExit(res.stderr[-2000:])
        line = next(s for s in res.stdout.splitlines() if s.startswith("JSON"))
        if k:
            results.append(json.loads(line[4:]))
    med = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(
        f"warm start, median of {args.runs} (load average {os.getloadavg()[0]:.2f}): "
        f"interpreter up {med['interpreter']:.2f} s, after import pyneuro {med['import']:.2f} s, "
        f"after building W1 + finitialize + first step {med['total']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
