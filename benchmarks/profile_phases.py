"""Where a fixed step's time goes: each compiled piece of the step timed on a real model.

Usage::

    python benchmarks/profile_phases.py W1|W3 [--n 10000] [--reps 2000]

Builds the workload as the shared reference script does (W1: the 190-section cell from
``spec.w1_tree()``; W3: N one-compartment hh cells with IClamps and spike detectors), runs
``finitialize`` and 5 ms so that the arrays and caches are warm, then times every piece the
generated loop calls in one step (``pyneuro/engine/loopgen.py``): each mechanism's ``current``
and ``state`` kernel, the matrix and ion bookkeeping, the Hines solve, the voltage update, the
threshold checks. Each piece runs ``reps`` times on the model's own arrays (the state moves a
little; the arithmetic per call is the same) and its median call time is reported, beside the
whole compiled step (``continuerun`` over ``reps`` steps, divided). The sum of the pieces is
less than the step by what the loop does around them (event delivery, the NaN check,
recording). CPU time of this process; the load average is printed with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"


def build_w1(n, spec) -> list:  # type: ignore[no-untyped-def]
    """W1 as the reference script builds it (``spec.w1_tree()``); returns what to keep."""
    soma = n.Section(name="soma")
    soma.L, soma.diam, soma.nseg = spec.W1_SOMA_L, spec.W1_SOMA_DIAM, 1
    soma.Ra, soma.cm = spec.W1_RA, spec.W1_CM
    soma.insert("hh")
    dends = []
    for d in spec.w1_tree():
        s = n.Section(name=f"dend{d['idx']}")
        s.L, s.diam, s.nseg = d["L"], d["diam"], d["nseg"]
        s.Ra, s.cm = spec.W1_RA, spec.W1_CM
        s.insert("hh")
        for seg in s:
            for k, v in spec.W1_DEND_HH.items():
                setattr(seg.hh, k, v)
        s.connect((soma if d["parent"] < 0 else dends[d["parent"]])(1), 0)
        dends.append(s)
    stim = n.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = (spec.W1_ICLAMP[k] for k in ("delay", "dur", "amp"))
    nc = n.NetCon(soma(0.5)._ref_v, None, sec=soma)
    return [soma, dends, stim, nc]


def build(workload: str, ncell: int):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SHARED))
    import spec

    from pyneuro import n

    n.celsius = spec.CELSIUS
    keep: list = []
    if workload == "W1":
        keep += build_w1(n, spec)
    else:
        for i in range(ncell):
            s = n.Section(name=f"c{i}")
            s.L, s.diam = spec.W3_SOMA["L"], spec.W3_SOMA["diam"]
            s.insert("hh")
            st = n.IClamp(s(0.5))
            st.delay, st.dur, st.amp = 5.0, 90.0, spec.w3_amp(i, ncell)
            nc = n.NetCon(s(0.5)._ref_v, None, sec=s)
            nc.threshold = spec.SPIKE_THRESHOLD
            keep += [s, st, nc]
    n.dt = spec.DT
    n.finitialize(spec.V_INIT)
    n.continuerun(5)
    return n, keep


def median_call(fn, reps: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(reps):
        t0 = time.process_time_ns()
        fn()
        times.append(time.process_time_ns() - t0)
    return statistics.median(times) / 1e3  # µs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", choices=["W1", "W3"])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=2000)
    args = ap.parse_args(argv)
    n, _keep = build(args.workload, args.n)

    from pyneuro import simulator
    from pyneuro.engine import hines, ionstep

    sim = simulator.sim
    model = sim.model
    nd, sc, ions = model.nd, sim.sc, model.ions
    nnode = nd.shape[1]
    pieces: list[tuple[str, float]] = []
    for mi in model.mechanisms:
        mt = mi.mtype
        args_k = (mi.n, mi.ni, nd, sc, mi.data, mt.gl, mt.tab, ions, mi.ion_slot)
        for kernel in ("current", "state"):
            if kernel in mt.kernels:
                fn = getattr(mt.module, kernel)
                us = median_call(lambda f=fn, a=args_k: f(*a), args.reps)
                pieces.append((f"{mt.name} {kernel} ({mi.n})", us))
    cj = (2.0 if sim.sc[3] else 1.0) / sc[1]
    pieces += [
        ("zero matrix", median_call(lambda: hines.zero_matrix(nd, 0, nnode), args.reps)),
        (
            "ion bookkeeping",
            median_call(
                lambda: ionstep.begin_step(
                    ions, model.ion_style, model.ion_charge, sc[2], 0, nnode
                ),
                args.reps,
            ),
        ),
        (
            "capacitance + axial",
            median_call(
                lambda: hines.add_capacitance_and_axial(
                    nd, model.cm, model.a, model.b, model.parent, 0, nnode, cj
                ),
                args.reps,
            ),
        ),
        (
            "Hines solve",
            median_call(
                lambda: hines.solve(
                    nd, model.a, model.b, model.parent, model.cell_start, 0, model.ncell
                ),
                args.reps,
            ),
        ),
        (
            "voltage update",
            median_call(lambda: hines.update_voltage(nd, 0, 0, nnode), args.reps),
        ),
    ]
    steps = args.reps
    t_end = sc[0] + steps * sc[1]
    t0 = time.process_time()
    n.continuerun(t_end)
    whole = (time.process_time() - t0) / steps * 1e6
    total = sum(p for _, p in pieces)
    print(f"# {args.workload}: {nnode} nodes; load average {os.getloadavg()}")
    print("| piece | µs per step | share of the step |")
    print("|---|---|---|")
    for name, us in pieces:
        print(f"| {name} | {us:.1f} | {us / whole:.0%} |")
    print(f"| (sum of the pieces) | {total:.1f} | {total / whole:.0%} |")
    print(f"| whole compiled step | {whole:.1f} | 100% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
