"""Benchmark runner (issue 5): the workloads W1-W3 under NEURON and under pyneuro, same scripts.

usage: python benchmarks/run.py [--runs 3] [--only W1,W3-1000] [--scripts DIR] [--out DIR]

Every workload is one of NEURON's reference scripts from the shared benchmarks folder
(``neuron_w1.py``, ``neuron_w2.py N``, ``neuron_w3.py N``; default ``../shared/benchmarks``
beside the repository), run UNCHANGED in a subprocess: once as ``python SCRIPT`` (NEURON) and
once as ``python -m pyneuro SCRIPT`` (pyneuro answering ``import neuron``), and under Arbor's
scripts when ``arbor`` imports. Each simulator gets one first run (for pyneuro with an empty
compile cache: the cold start) and then ``--runs`` measured runs, whose medians are reported.

From each run we read the script's ``RESULT {json}`` line (phase timers, peak RSS, spike counts)
and, through `_child.py`, every spike it recorded. Agreement: spike counts equal, and spike times
within 0.05 ms for W1 (reported for all). The table (markdown) and the raw runs (JSON), with the
commit measured and the machine, are written to ``benchmarks/results/``.

Columns: ``run s`` is the median CPU time of the simulation alone (``psolve``; process CPU
seconds, robust on a shared machine), wall seconds beside it; ``pyneuro/neuron`` is the ratio
of those CPU times; ``setup s`` builds the model and calls
``finitialize``; ``start s`` is everything else in the process (interpreter, ``import``, loading
compiled code from the cache); ``cold s`` is the whole first run of pyneuro with an empty cache
(compiling every mechanism and the time loop); ``MB`` the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "_child.py"
W1_TOLERANCE_MS = 0.05

WORKLOADS = {
    "W1": ("w1", []),
    "W2-64": ("w2", ["64"]),
    "W2-256": ("w2", ["256"]),
    "W2-1024": ("w2", ["1024"]),
    "W3-1000": ("w3", ["1000"]),
    "W3-10000": ("w3", ["10000"]),
}


@dataclass
class Run:
    """One process: the script's RESULT, the spikes it recorded, the whole wall time."""

    ok: bool
    wall: float
    result: dict = field(default_factory=dict)
    spikes: dict | None = None
    error: str = ""


def run_once(cmd: list[str], env: dict[str, str], timeout: float) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        spikes_path = Path(tmp) / "spikes.json"
        env = dict(env, BENCH_SPIKES=str(spikes_path))
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=tmp
            )
        except subprocess.TimeoutExpired:
            return Run(False, time.perf_counter() - t0, error=f"timed out after {timeout:g} s")
        wall = time.perf_counter() - t0
        lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            return Run(False, wall, error=f"exit {proc.returncode}: {tail}")
        spikes = json.loads(spikes_path.read_text()) if spikes_path.exists() else None
        return Run(True, wall, json.loads(lines[-1][len("RESULT ") :]), spikes)


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


@dataclass
class Measured:
    """A simulator on a workload: the first run and the measured ones."""

    first: Run | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def good(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    @property
    def error(self) -> str:
        bad = [r for r in [self.first, *self.runs] if r is not None and not r.ok]
        return bad[0].error if bad else ""

    def med(self, key: str) -> float | None:
        return median([r.result.get(key) for r in self.good])

    def start(self) -> float | None:
        """Process wall time outside the script's setup and run phases (median)."""
        return median(
            [r.wall - r.result.get("setup_s", 0.0) - r.result.get("run_s", 0.0) for r in self.good]
        )

    def summary(self) -> dict:
        return {
            "run_s": self.med("run_s"),
            "run_cpu_s": self.med("run_cpu_s"),
            "setup_s": self.med("setup_s"),
            "start_s": self.start(),
            "process_s": median([r.wall for r in self.good]),
            "first_process_s": self.first.wall if self.first and self.first.ok else None,
            "peak_rss_mb": self.med("peak_rss_mb"),
            "spikes": sorted({r.result.get("spikes") for r in self.good}),
            "error": self.error,
        }


def compare(ref: Run | None, other: Run | None, workload: str) -> dict:
    """Spike agreement of two runs: counts, per-id counts, and the largest time difference."""
    if ref is None or other is None or not ref.ok or not other.ok:
        return {"agree": None, "note": "not run"}
    out: dict = {"count_ref": ref.result.get("spikes"), "count": other.result.get("spikes")}
    same_count = out["count_ref"] == out["count"]
    max_dt = None
    if ref.spikes is not None and other.spikes is not None:
        a = sorted(zip(ref.spikes["id"], ref.spikes["t"]))
        b = sorted(zip(other.spikes["id"], other.spikes["t"]))
        if len(a) == len(b) and [i for i, _ in a] == [i for i, _ in b]:
            max_dt = max((abs(x - y) for (_, x), (_, y) in zip(a, b)), default=0.0)
        else:
            same_count = False
    out["max_dt_ms"] = max_dt
    agree = same_count
    if workload == "W1":
        agree = agree and max_dt is not None and max_dt <= W1_TOLERANCE_MS
    out["agree"] = bool(agree)
    return out


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def versions(python: str) -> dict:
    code = (
        "import json, importlib.metadata as m\n"
        "out = {}\n"
        "for p in ('neuron', 'pyneuro-sim', 'numba', 'numpy', 'arbor'):\n"
        "    try:\n        out[p] = m.version(p)\n    except Exception:\n        pass\n"
        "print(json.dumps(out))"
    )
    res = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return json.loads(res.stdout) if res.returncode == 0 else {}


def commit() -> dict:
    def git(*args: str) -> str:
        res = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return res.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD"),
        "subject": git("log", "-1", "--format=%s"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def fmt(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.{digits}f}"


def table(rows: list[dict], sims: list[str]) -> str:
    head = ["workload"]
    for sim in sims:
        head += [f"{sim} run s cpu (wall)"]
    for sim in sims[1:]:
        head += [f"{sim}/neuron"]
    for sim in sims:
        head += [f"{sim} setup s", f"{sim} start s"]
    head += ["pyneuro cold s"] if "pyneuro" in sims else []
    head += [f"{sim} MB" for sim in sims]
    head += ["spikes", "max Δt ms", "agree"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        s = row["sims"]
        cells = [row["workload"]]
        for sim in sims:
            m = s.get(sim, {})
            cells.append(
                f"{fmt(m.get('run_cpu_s'))} ({fmt(m.get('run_s'))})"
                if m.get("run_s") is not None
                else (m.get("error") or "-")[:60]
            )
        for sim in sims[1:]:
            a, b = s.get(sim, {}).get("run_cpu_s"), s.get("neuron", {}).get("run_cpu_s")
            cells.append(fmt(a / b) if a is not None and b else "-")
        for sim in sims:
            m = s.get(sim, {})
            cells += [fmt(m.get("setup_s")), fmt(m.get("start_s"))]
        if "pyneuro" in sims:
            cells.append(fmt(s.get("pyneuro", {}).get("first_process_s")))
        cells += [fmt(s.get(sim, {}).get("peak_rss_mb"), 0) for sim in sims]
        counts = ["/".join(str(c) for c in s.get(sim, {}).get("spikes", [])) or "-" for sim in sims]
        cells.append(" vs ".join(counts))
        agreement = [row["agreement"].get(sim, {}) for sim in sims[1:]]
        cells.append(", ".join(fmt(a.get("max_dt_ms"), 4) for a in agreement))
        cells.append(
            ", ".join({True: "yes", False: "NO", None: "-"}[a.get("agree")] for a in agreement)
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--scripts",
        type=Path,
        default=REPO.parent / "shared" / "benchmarks",
        help="folder of the reference scripts (default: ../shared/benchmarks of the repo)",
    )
    ap.add_argument("--runs", type=int, default=3, help="measured runs per simulator (median)")
    ap.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    ap.add_argument("--sims", default="neuron,pyneuro,arbor", help="simulators to try")
    ap.add_argument("--python", default=sys.executable, help="python with neuron and pyneuro")
    ap.add_argument("--arbor-python", default=sys.executable, help="python with arbor")
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="pyneuro's threads (python -m pyneuro --nthread); NEURON runs its scripts' one",
    )
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per process")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    ap.add_argument("--tag", default="", help="suffix of the result file names")
    ap.add_argument("--tstop", type=float, default=None, help="shorter runs (for trying out)")
    ap.add_argument(
        "--cache-dir",
        default=None,
        help="pyneuro's compile cache to use (default: a fresh one per workload, so that the "
        "first run measures the cold start)",
    )
    args = ap.parse_args(argv)

    scripts = args.scripts.resolve()
    if not (scripts / "neuron_w1.py").is_file():
        ap.error(f"no neuron_w1.py in {scripts}: give the shared benchmarks folder with --scripts")
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}")
    sims = [s for s in args.sims.split(",") if s]
    if "arbor" in sims:
        probe = subprocess.run([args.arbor_python, "-c", "import arbor"], capture_output=True)
        if probe.returncode != 0:
            print("arbor: not importable, skipped", file=sys.stderr)
            sims.remove("arbor")
    threads = str(args.threads)
    base_env = dict(
        os.environ, NUMBA_NUM_THREADS=threads, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads
    )
    base_env.pop("BENCH_OUT", None)

    load_before = os.getloadavg()
    rows = []
    for name in wanted:
        kind, wargs = WORKLOADS[name]
        wargs = wargs + (["--tstop", f"{args.tstop:g}"] if args.tstop else [])
        row: dict = {"workload": name, "sims": {}, "agreement": {}, "raw": {}}
        measured: dict[str, Measured] = {}
        for sim in sims:
            env = dict(base_env)
            if sim == "neuron":
                cmd = [args.python, str(CHILD), str(scripts / f"neuron_{kind}.py"), *wargs]
            elif sim == "pyneuro":
                cmd = [args.python, "-m", "pyneuro", "--nthread", threads, str(CHILD)]
                cmd += [str(scripts / f"neuron_{kind}.py"), *wargs]
            else:
                cmd = [args.arbor_python, str(scripts / f"arbor_{kind}.py"), *wargs]
                cmd += ["--threads", threads]
            m = measured[sim] = Measured()
            with tempfile.TemporaryDirectory(prefix="pyneuro-bench-cache-") as cache:
                if sim == "pyneuro":
                    # a fresh cache: the first run compiles everything
                    env["PYNEURO_CACHE_DIR"] = args.cache_dir or cache
                print(f"{name} {sim}: first run", file=sys.stderr, flush=True)
                m.first = run_once(cmd, env, args.timeout)
                if m.first.ok:
                    for k in range(args.runs):
                        print(f"{name} {sim}: run {k + 1}", file=sys.stderr, flush=True)
                        m.runs.append(run_once(cmd, env, args.timeout))
            row["sims"][sim] = m.summary()
            row["raw"][sim] = [
                {"wall": r.wall, "ok": r.ok, "error": r.error, **r.result}
                for r in [m.first, *m.runs]
                if r is not None
            ]
            print(f"  {sim}: {row['sims'][sim]}", file=sys.stderr, flush=True)
        ref = measured.get("neuron")
        for sim in sims[1:] if sims and sims[0] == "neuron" else []:
            good = measured[sim].good
            row["agreement"][sim] = compare(
                ref.good[0] if ref and ref.good else None, good[0] if good else None, name
            )
        rows.append(row)

    info = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "measured": commit(),
        "machine": machine(),
        "versions": versions(args.python),
        "threads": args.threads,
        "runs": args.runs,
        "scripts": str(scripts),
        "loadavg_before_after": [load_before, os.getloadavg()],
    }
    text = table(rows, sims)
    header = (
        f"# Benchmarks {info['date']}\n\n"
        f"Commit measured: `{info['measured']['commit']}` ({info['measured']['subject']})"
        f"{' + uncommitted changes' if info['measured']['dirty'] else ''}\n\n"
        f"Machine: {info['machine']['cpu']}, {info['machine']['cores']} cores; "
        f"threads {args.threads}; medians of {args.runs} runs after one first run"
        f"{' (pyneuro cache given: cold s is not cold)' if args.cache_dir else ''}; "
        f"versions {info['versions']}; load average (1, 5, 15 min) before "
        f"{tuple(round(x, 2) for x in load_before)}, after "
        f"{tuple(round(x, 2) for x in os.getloadavg())}\n\n"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    stem = time.strftime("%Y%m%d-%H%M%S") + "-" + info["measured"]["commit"][:10]
    stem += f"-{args.tag}" if args.tag else ""
    (args.out / f"{stem}.md").write_text(header + text + "\n\n" + (__doc__ or "") + "\n")
    (args.out / f"{stem}.json").write_text(json.dumps({**info, "rows": rows}, indent=1) + "\n")
    print(header + text)
    print(f"\nsaved {args.out / stem}.md and .json", file=sys.stderr)
    failed = any(a.get("agree") is False for r in rows for a in r["agreement"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
