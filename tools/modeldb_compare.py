"""Each mechanism of a model's .mod files alone in one compartment, pyneuro against NEURON.

Usage::

    python tools/modeldb_compare.py FOLDER [FOLDER ...] [--out REPORT.md] [--json OUT.json]

For every folder (one model's .mod files, e.g. a ModelDB snapshot), NEURON's ``nrnivmodl``
and pyneuro's compiler build the files, and each mechanism runs alone in a 20 x 20 µm
compartment (cm 1 µF/cm², 34 °C, dt 0.025 ms) under a step current (IClamp 0.1 nA from 5 to
25 ms, 40 ms in all), once with ``secondorder = 0`` and once with 2. A density mechanism is
inserted; a point process sits at the middle; every POINTER is pointed at the compartment's
``v``. We compare ``v`` (max |Δv| in mV) and every public STATE (max |Δ| relative to the
state's largest magnitude) and call it a match when |Δv| <= 1e-6 mV and states agree to 1e-9.
Artificial cells (no membrane) are listed, not run.

Each folder runs in its own processes (NEURON loads a mechanism name once per process, and
models reuse names such as ``kca``). This is a tool for third-party files: nothing here is
committed with them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROTOCOL = """
def protocol(n, name, kind, states, pointers, so):
    n.dt = 0.025
    n.celsius = 34
    n.secondorder = so
    soma = n.Section("soma")
    soma.L = soma.diam = 20
    soma.cm = 1
    stim = n.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 5, 20, 0.1
    seg = soma(0.5)
    if kind == "density":
        soma.insert(name)
        obj = getattr(seg, name)
    else:
        obj = getattr(n, name)(seg)
    for p in pointers:
        n.setpointer(seg._ref_v, p, obj)
    rec = {"v": n.Vector().record(seg._ref_v)}
    for s in states:
        if s.startswith("ion:"):  # a STATE that is an ion variable lives in the ion
            rec[s] = n.Vector().record(getattr(seg, "_ref_" + s[4:]))
        else:
            rec[s] = n.Vector().record(getattr(obj, "_ref_" + s))
    n.finitialize(-65)
    n.continuerun(40)
    out = {k: list(vec) for k, vec in rec.items()}
    del obj, stim, rec, seg
    return out
"""

NEURON_SCRIPT = """
import json, sys
from neuron import n
n.load_file("stdrun.hoc")
{protocol}
jobs = json.loads(open(sys.argv[1]).read())
results = {{}}
for job in jobs:
    key = job["name"]
    try:
        args = (job["name"], job["kind"], job["states"], job["pointers"])
        results[key] = {{so: protocol(n, *args, so) for so in (0, 2)}}
    except Exception as exc:
        results[key] = {{"error": f"{{type(exc).__name__}}: {{exc}}"}}
print("JSON" + json.dumps(results))
"""


def _mods(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.mod"))


def _copy_sources(folder: Path, dest: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file() and p.suffix in (".mod", ".inc", ".h"):
            target = dest / p.name
            if not target.exists():
                shutil.copy(p, target)


def _nrnivmodl() -> str | None:
    found = shutil.which("nrnivmodl")
    if found is None:
        beside = Path(sys.executable).parent / "nrnivmodl"
        found = str(beside) if beside.is_file() else None
    return found


def run_one(folder: Path) -> dict:
    """Compile and compare one model folder (this process runs pyneuro)."""
    sys.path.insert(0, str(REPO))
    from nmodl import NmodlError, compile_file

    report: dict = {"folder": str(folder), "mechanisms": {}, "files": {}}
    jobs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _copy_sources(folder, work)
        for path in sorted(work.glob("*.mod")):
            try:
                meta = compile_file(path).metadata
            except NmodlError as exc:
                report["files"][path.name] = "refused: " + str(exc).split("\n")[0]
                continue
            if meta.get("refused"):
                report["files"][path.name] = "refused: " + meta["refused"]["reason"].split(";")[0]
                continue
            report["files"][path.name] = "compiled"
            if meta["name"] == "nothing":  # SUFFIX nothing: a library of FUNCTIONs
                continue
            if meta["kind"] == "artificial":
                report["mechanisms"][meta["name"]] = {"status": "not run (artificial cell)"}
                continue
            ion_vars = {v for use in meta["ions"] for v in (*use["read"], *use["write"])}
            states = [
                ("ion:" if r["name"] in ion_vars else "") + r["name"]
                for r in meta["range"]
                if r["role"] == "state" and r.get("public", True) and r.get("size", 1) == 1
            ]
            pointers = [p["name"] for p in meta.get("pointers", ())]
            jobs.append(
                {
                    "name": meta["name"],
                    "kind": meta["kind"],
                    "states": states,
                    "pointers": pointers,
                    "file": path.name,
                }
            )
        if not jobs:
            return report
        nrnivmodl = _nrnivmodl()
        if nrnivmodl is None:
            report["error"] = "NEURON's nrnivmodl is not installed"
            return report
        res = subprocess.run([nrnivmodl], cwd=work, capture_output=True, text=True)
        if res.returncode != 0:
            report["error"] = "nrnivmodl failed: " + res.stderr[-2000:]
            return report
        (work / "jobs.json").write_text(json.dumps(jobs))
        (work / "run_neuron.py").write_text(NEURON_SCRIPT.format(protocol=PROTOCOL))
        res = subprocess.run(
            [sys.executable, "run_neuron.py", "jobs.json"],
            cwd=work,
            capture_output=True,
            text=True,
        )
        line = next((x for x in res.stdout.splitlines() if x.startswith("JSON")), None)
        if line is None:
            report["error"] = "NEURON run failed: " + res.stderr[-2000:]
            return report
        theirs = json.loads(line[4:])
        from pyneuro import n, simulator

        for job in jobs:
            simulator.sim.load_mod(work / job["file"])
        env: dict = {}
        exec(PROTOCOL, env)
        for job in jobs:
            name = job["name"]
            entry: dict = {"file": job["file"], "kind": job["kind"], "states": job["states"]}
            report["mechanisms"][name] = entry
            try:
                ours = {
                    str(so): env["protocol"](
                        n, name, job["kind"], job["states"], job["pointers"], so
                    )
                    for so in (0, 2)
                }
            except Exception as exc:
                entry["status"] = _explain_error(exc, theirs.get(name, {}))
                continue
            if "error" in theirs.get(name, {}):
                entry["status"] = "NEURON error, pyneuro ran: " + theirs[name]["error"]
                continue
            entry.update(_compare(ours, theirs[name]))
    return report


def _explain_error(exc: Exception, theirs: dict) -> str:
    """pyneuro raised: a match when NEURON failed too, or when NEURON's v turned NaN at the
    time pyneuro reports (NEURON records NaN and goes on; pyneuro stops, docs/differences.md)."""
    text = f"{type(exc).__name__}: {exc}".split("\n")[0]
    if "error" in theirs:
        return f"match (both fail: NEURON {theirs['error']}; pyneuro {text})"
    m = re.search(r"at t = ([0-9.eE+-]+) ms", text)
    if type(exc).__name__ == "NumericalInstability" and m:
        t_ours = float(m.group(1))
        for so, trace in theirs.items():
            bad = [k for k, x in enumerate(trace["v"]) if not math.isfinite(x)]
            if bad and abs(bad[0] * 0.025 - t_ours) < 0.0125:
                return (
                    f"match (v is NaN from t = {t_ours:g} ms in both, secondorder {so}; "
                    "pyneuro raises where NEURON records NaN)"
                )
    return f"pyneuro error: {text}"


def _compare(ours: dict, theirs: dict) -> dict:
    dv = 0.0
    ds = 0.0
    for so, trace in theirs.items():
        for key, b in trace.items():
            a = ours[so][key]
            if len(a) != len(b):
                return {"status": f"trace lengths differ ({key})"}
            diffs = [_diff(x, y) for x, y in zip(a, b)]
            worst = max(diffs) if diffs else 0.0
            if key == "v":
                dv = max(dv, worst)
            else:
                scale = max((abs(y) for y in b if y == y), default=0.0) or 1.0
                ds = max(ds, worst / scale)
    ok = dv <= 1e-6 and ds <= 1e-9
    return {"max_dv": dv, "max_state_rel": ds, "status": "match" if ok else "DIFFERS"}


def _diff(x: float, y: float) -> float:
    if math.isnan(x) and math.isnan(y):
        return 0.0
    if math.isnan(x) or math.isnan(y):
        return math.inf
    return abs(x - y)


def markdown(reports: list[dict]) -> str:
    lines = [
        "| model | mechanism | file | kind | max abs dv (mV) | max rel state diff | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for rep in reports:
        model = Path(rep["folder"]).name
        if "error" in rep:
            lines.append(f"| {model} | | | | | | {rep['error'][:80]} |")
        for name, e in rep["mechanisms"].items():
            dv = f"{e['max_dv']:.1e}" if "max_dv" in e else ""
            ds = f"{e['max_state_rel']:.1e}" if "max_state_rel" in e else ""
            lines.append(
                f"| {model} | {name} | {e.get('file', '')} | {e.get('kind', '')} | {dv} | {ds} "
                f"| {e['status']} |"
            )
        for fname, status in rep["files"].items():
            if status != "compiled":
                lines.append(f"| {model} | | {fname} | | | | {status[:100]} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="markdown table of the results")
    ap.add_argument("--json", type=Path, help="all results as JSON")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print("JSON" + json.dumps(run_one(args.folders[0])))
        return 0
    reports = []
    for folder in args.folders:
        res = subprocess.run(
            [sys.executable, __file__, "--one", str(folder)],
            capture_output=True,
            text=True,
            env=dict(os.environ),
        )
        line = next((x for x in res.stdout.splitlines() if x.startswith("JSON")), None)
        if line is None:
            reports.append(
                {"folder": str(folder), "mechanisms": {}, "files": {}, "error": res.stderr[-300:]}
            )
        else:
            reports.append(json.loads(line[4:]))
        rep = reports[-1]
        done = sum(1 for e in rep["mechanisms"].values() if e.get("status", "").startswith("match"))
        print(f"{folder}: {done}/{len(rep['mechanisms'])} mechanisms match", file=sys.stderr)
    text = markdown(reports)
    print(text)
    if args.out:
        args.out.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
