"""Event throughput: a 10,000-cell IntFire1 network, run in NEURON and in pyneuro (issue 4).

Each cell gets ``--fanin`` random excitatory inputs from other cells (fixed seed, the same
network in both simulators) and one noisy NetStim (Random123 streams, so both simulators draw
the same numbers). We report NetCon events delivered per second of run time. The spike trains
must agree (count and times), or the comparison is meaningless.

    python benchmarks/events_intfire.py            # both simulators, a table
    python benchmarks/events_intfire.py --sim pyneuro --cells 2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def build_and_run(sim: str, ncell: int, fanin: int, tstop: float) -> dict:
    if sim == "neuron":
        from neuron import n

        n.load_file("stdrun.hoc")
    else:
        from pyneuro import n
    rng = np.random.default_rng(12345)
    cells, stims, ncs = [], [], []
    for i in range(ncell):
        c = n.IntFire1()
        c.tau, c.refrac = 10.0, 5.0
        cells.append(c)
        s = n.NetStim()
        s.interval, s.number, s.start, s.noise = 10.0, 1e9, 0.0, 1.0
        s.noiseFromRandom123(i, 1, 0)
        stims.append(s)
        nc = n.NetCon(s, c)
        nc.delay, nc.weight[0] = 1.0, 0.3
        ncs.append(nc)
    pre = rng.integers(0, ncell, size=(ncell, fanin))
    out_delays: list[list[float]] = [[] for _ in range(ncell)]
    for i in range(ncell):
        for j in pre[i]:
            nc = n.NetCon(cells[j], cells[i])
            nc.delay, nc.weight[0] = 1.0 + (i + j) % 5 * 0.5, 0.05
            out_delays[j].append(nc.delay)
            ncs.append(nc)
    tvec, idvec = n.Vector(), n.Vector()
    for i, c in enumerate(cells):
        nc = n.NetCon(c, None)
        nc.record(tvec, idvec, i)
        ncs.append(nc)
    stim_t = n.Vector()
    for s in stims:
        nc = n.NetCon(s, None)
        nc.record(stim_t)
        ncs.append(nc)
    n.finitialize(-65)
    t0 = time.perf_counter()
    c0 = time.process_time()
    n.continuerun(tstop)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    spikes = len(tvec)
    # NetCon events delivered: every spike reaches each of its targets whose delay ends
    # within the run, and every stimulus spike reaches its cell 1 ms later
    delivered = sum(
        sum(1 for d in out_delays[int(cid)] if ts + d <= tstop)
        for ts, cid in zip(np.array(tvec), np.array(idvec))
    )
    stim_events = int((np.array(stim_t) + 1.0 <= tstop).sum())
    delivered += stim_events
    return {
        "sim": sim,
        "cells": ncell,
        "fanin": fanin,
        "tstop": tstop,
        "spikes": spikes,
        "spike_hash": float(np.round(np.sort(np.array(tvec)), 6).sum()),
        "run_s": wall,
        "run_cpu_s": cpu,
        "events_delivered": delivered,
        "events_per_s": delivered / cpu if cpu else None,
        "stim_events": stim_events,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", choices=["neuron", "pyneuro"])
    ap.add_argument("--cells", type=int, default=10_000)
    ap.add_argument("--fanin", type=int, default=10)
    ap.add_argument("--tstop", type=float, default=1000.0)
    args = ap.parse_args()
    if args.sim:
        print("RESULT " + json.dumps(build_and_run(args.sim, args.cells, args.fanin, args.tstop)))
        return
    rows = {}
    for sim in ("neuron", "pyneuro"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--sim",
                sim,
                "--cells",
                str(args.cells),
                "--fanin",
                str(args.fanin),
                "--tstop",
                str(args.tstop),
            ],
            capture_output=True,
            text=True,
            env=os.environ,
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            sys.exit(f"{sim} failed:\n{out.stderr[-3000:]}")
        rows[sim] = json.loads(line[7:])
    nrn, pyn = rows["neuron"], rows["pyneuro"]
    print(f"{'':10} {'spikes':>8} {'run CPU s':>10} {'events/s':>12}")
    for name, r in rows.items():
        print(f"{name:10} {r['spikes']:>8} {r['run_cpu_s']:>10.3f} {r['events_per_s']:>12.4g}")
    same = nrn["spikes"] == pyn["spikes"] and abs(nrn["spike_hash"] - pyn["spike_hash"]) < 1e-3
    print(
        f"spike trains agree: {same}; pyneuro/NEURON CPU time ratio "
        f"{pyn['run_cpu_s'] / nrn['run_cpu_s']:.3f}"
    )


if __name__ == "__main__":
    main()
