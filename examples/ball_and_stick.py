"""Ball-and-stick neuron: an hh soma and a passive dendrite, stimulated at the dendrite's tip.

Prints the soma's spike times (upward crossings of 0 mV) and writes a PNG of v(t) at the soma
and at the dendrite's tip. The model is the one of issue #2, with a stronger default stimulus
(0.5 nA rather than 0.1 nA, which stays subthreshold) so that the soma fires.

Usage:
    python examples/ball_and_stick.py            # with pyneuro
    python examples/ball_and_stick.py --neuron   # the same script with NEURON, to compare
    python examples/ball_and_stick.py --amp 0.1 --out bs.png

Setting the environment variable ``BALL_AND_STICK_SIM=neuron`` has the same effect as
``--neuron``.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

SPIKE_THRESHOLD_MV = 0.0


def crossing_times(
    t: np.ndarray, v: np.ndarray, threshold: float = SPIKE_THRESHOLD_MV
) -> list[float]:
    """Times at which ``v`` crosses ``threshold`` upwards, linearly interpolated between samples.

    A crossing is a pair of samples with v[i] < threshold <= v[i+1].
    """
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    i = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold))
    frac = (threshold - v[i]) / (v[i + 1] - v[i])
    return [float(x) for x in t[i] + frac * (t[i + 1] - t[i])]


def simulator(use_neuron: bool):
    """The top-level ``n`` of NEURON or of pyneuro, ready for ``continuerun``."""
    if use_neuron:
        from neuron import n

        n.load_file("stdrun.hoc")  # NEURON's continuerun lives in the standard run library
    else:
        try:
            from pyneuro import n
        except ImportError as exc:
            raise SystemExit(
                f"cannot import pyneuro ({exc}); install it with `pip install -e .`"
                " or run this example with --neuron"
            ) from exc
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--neuron",
        action="store_true",
        default=os.environ.get("BALL_AND_STICK_SIM", "").lower() == "neuron",
        help="run with NEURON instead of pyneuro (or set BALL_AND_STICK_SIM=neuron)",
    )
    parser.add_argument("--amp", type=float, default=0.5, help="stimulus amplitude, nA")
    parser.add_argument("--tstop", type=float, default=25.0, help="simulated time, ms")
    parser.add_argument("--out", default="ball_and_stick.png", help="PNG file to write")
    args = parser.parse_args(argv)

    n = simulator(args.neuron)
    name = "NEURON" if args.neuron else "pyneuro"

    soma = n.Section("soma")
    soma.L = soma.diam = 12.6157  # µm: area ≈ 500 µm²
    dend = n.Section("dend")
    dend.L = 200  # µm
    dend.diam = 1  # µm
    dend.nseg = 101
    dend.connect(soma(1))
    soma.insert(n.hh)
    dend.insert(n.pas)

    stim = n.IClamp(dend(1))
    stim.delay = 5  # ms
    stim.dur = 1  # ms
    stim.amp = args.amp  # nA

    v_soma = n.Vector().record(soma(0.5)._ref_v)
    v_dend = n.Vector().record(dend(1)._ref_v)
    t = n.Vector().record(n._ref_t)

    n.finitialize(-65)  # mV
    n.continuerun(args.tstop)  # ms

    t_ms, vs, vd = np.array(t), np.array(v_soma), np.array(v_dend)
    spikes = crossing_times(t_ms, vs)
    print(f"{name}: {len(spikes)} spike(s) at the soma, t (ms) =", [round(s, 4) for s in spikes])

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(t_ms, vs, label="soma(0.5)")
    ax.plot(t_ms, vd, label="dend(1)")
    for s in spikes:
        ax.axvline(s, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("v (mV)")
    ax.set_title(f"Ball and stick ({name}), IClamp {args.amp} nA at dend(1)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
