"""Rallpack 1 and 2 models built through the NEURON-compatible Python API, and the Rallpack error.

Every builder takes the simulator's top-level module ``n`` as its first argument, so the same
code builds the model with ``from neuron import n`` (the oracle) and with ``from pyneuro import n``.
Only the API that ported scripts use is touched: ``n.Section``, ``L``/``diam``/``nseg``/``Ra``/
``cm``, ``insert("pas")`` with ``g_pas``/``e_pas``, ``connect``, ``n.IClamp`` (``delay``, ``dur``,
``amp``), ``n.Vector().record(seg._ref_v)``, ``n.dt``, ``n.secondorder``, ``n.finitialize`` and
``n.continuerun``.

Specifications (Rallpacks 1.1, Bhalla, Bilitch & Bower 1992; ``data/README.md``):

Rallpack 1
    Uniform sealed-end passive cable, 1 mm long, 1 µm diameter, 1000 compartments.
    RA = 1 Ω·m = 100 Ω·cm, RM = 4 Ω·m² (``g_pas`` = 1/RM = 2.5e-5 S/cm²), CM = 0.01 F/m² = 1 µF/cm²,
    EM = ELEAK = -65 mV. 0.1 nA is injected at the x = 0 end for the whole 0.25 s; v is recorded
    at x = 0 (``ref_cable.0``) and x = 1 (``ref_cable.x``).
Rallpack 2
    Binary tree obeying Rall's 3/2 power law: 10 levels (depths 0-9), 2**10 - 1 = 1023
    compartments, one single-segment section each. The root is 32 µm long and 16 µm in diameter;
    at each level away from the root the length shrinks by 2**(1/3) and the diameter by 2**(2/3),
    so every branch is 0.008 length constants long and the tree is equivalent to one 320 µm x
    16 µm cylinder (0.08 length constants). Same membrane as Rallpack 1. 0.1 nA is injected into
    the root; v is recorded at the root (the injection end, x = 0, ``ref_branch.0``) and at the
    far tip of a terminal branch (x = 1 of a depth-9 section, ``ref_branch.x``: the sealed far
    end of the equivalent cylinder). By symmetry every terminal branch carries the same voltage.

All quantities below are in NEURON units (µm, ms, mV, nA, S/cm², µF/cm², Ω·cm) except the
reference files, which are in seconds and volts.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Membrane and axial properties shared by Rallpacks 1 and 2 (NEURON units).
RA_OHM_CM = 100.0  # RA = 1.0 ohm m
G_PAS_S_CM2 = 1.0 / 40000.0  # RM = 4.0 ohm m^2 = 40000 ohm cm^2
CM_UF_CM2 = 1.0  # CM = 0.01 F/m^2
E_REST_MV = -65.0  # EM = ELEAK = EREST
I_INJ_NA = 0.1
TSTOP_MS = 250.0

#: (reference file at the injection site, reference file at the far site) per Rallpack.
REFERENCE_FILES = {
    1: ("ref_cable.0", "ref_cable.x"),
    2: ("ref_branch.0", "ref_branch.x"),
}


@dataclass
class RallpackModel:
    """A built Rallpack model; holding it keeps its sections and the stimulus alive.

    Attributes:
        name: "rallpack1" or "rallpack2".
        sections: every section of the model (the root first).
        stim: the IClamp at the injection site.
        sites: recording site name ("0": injection end, "x": far end) -> segment.
        references: recording site name -> reference file name in ``data/``.
    """

    name: str
    sections: list[Any]
    stim: Any
    sites: dict[str, Any]
    references: dict[str, str]


def _passive(sec: Any) -> None:
    """Give ``sec`` the Rallpack membrane: RA, CM and a leak reversing at rest."""
    sec.Ra = RA_OHM_CM
    sec.cm = CM_UF_CM2
    sec.insert("pas")
    sec.g_pas = G_PAS_S_CM2
    sec.e_pas = E_REST_MV


def _stimulus(n: Any, seg: Any) -> Any:
    """0.1 nA from t = 0 for the whole run (a little longer, so no step at the last sample)."""
    stim = n.IClamp(seg)
    stim.delay = 0.0
    stim.dur = 1e9
    stim.amp = I_INJ_NA
    return stim


def build_rallpack1(n: Any, nseg: int = 1000) -> RallpackModel:
    """Rallpack 1: a 1 mm x 1 µm passive sealed-end cable of ``nseg`` compartments."""
    cable = n.Section(name="cable")
    cable.L = 1000.0
    cable.diam = 1.0
    cable.nseg = nseg
    _passive(cable)
    stim = _stimulus(n, cable(0.0))
    ref0, refx = REFERENCE_FILES[1]
    return RallpackModel(
        name="rallpack1",
        sections=[cable],
        stim=stim,
        sites={"0": cable(0.0), "x": cable(1.0)},
        references={"0": ref0, "x": refx},
    )


def rallpack2_geometry(depth: int) -> tuple[float, float]:
    """(L, diam) in µm of a Rallpack 2 branch at ``depth`` (0 = root)."""
    return 32.0 / 2.0 ** (depth / 3.0), 16.0 / 2.0 ** (2.0 * depth / 3.0)


def build_rallpack2(n: Any, levels: int = 10) -> RallpackModel:
    """Rallpack 2: a binary tree of ``levels`` levels, one single-segment section per branch."""
    tree = [[n.Section(name="b0_0")]]
    for depth in range(1, levels):
        level = []
        for i, parent in enumerate(tree[-1]):
            for j in range(2):
                child = n.Section(name=f"b{depth}_{2 * i + j}")
                child.connect(parent(1.0), 0.0)
                level.append(child)
        tree.append(level)
    for depth, level in enumerate(tree):
        length, diam = rallpack2_geometry(depth)
        for sec in level:
            sec.L = length
            sec.diam = diam
            sec.nseg = 1
            _passive(sec)
    root, tip = tree[0][0], tree[-1][-1]
    stim = _stimulus(n, root(0.0))
    ref0, refx = REFERENCE_FILES[2]
    return RallpackModel(
        name="rallpack2",
        sections=[sec for level in tree for sec in level],
        stim=stim,
        sites={"0": root(0.0), "x": tip(1.0)},
        references={"0": ref0, "x": refx},
    )


BUILDERS = {1: build_rallpack1, 2: build_rallpack2}


def ensure_stdrun(n: Any) -> None:
    """Make ``n.continuerun`` available: NEURON needs stdrun.hoc loaded, pyneuro has it built in."""
    if not hasattr(n, "continuerun") and hasattr(n, "load_file"):
        n.load_file("stdrun.hoc")


def run_to(n: Any, tstop: float, v_init: float = E_REST_MV) -> None:
    """Initialise to ``v_init`` (mV) and integrate to ``tstop`` (ms) with the current dt."""
    ensure_stdrun(n)
    n.finitialize(v_init)
    n.continuerun(tstop)


def simulate(
    n: Any,
    model: RallpackModel,
    dt: float = 0.05,
    secondorder: int = 0,
    tstop: float = TSTOP_MS,
) -> dict[str, np.ndarray]:
    """Run ``model`` with fixed step ``dt`` (ms) and return ``{"t": ms, site: mV, ...}`` arrays."""
    ensure_stdrun(n)
    tvec = n.Vector()
    tvec.record(n._ref_t)
    vecs = {}
    for site, seg in model.sites.items():
        vec = n.Vector()
        vec.record(seg._ref_v)
        vecs[site] = vec
    n.dt = dt
    n.secondorder = secondorder
    run_to(n, tstop)
    out = {"t": np.array(tvec, dtype=float)}
    for site, vec in vecs.items():
        out[site] = np.array(vec, dtype=float)
    return out


@cache
def load_reference(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Reference trace ``name`` (e.g. "ref_cable.0") as (t in s, V in volts) read-only arrays."""
    path = DATA_DIR / f"{name}.gz"
    with gzip.open(path, "rt") as fh:
        data = np.loadtxt(fh, dtype=float)
    t, v = data[:, 0].copy(), data[:, 1].copy()
    t.flags.writeable = False
    v.flags.writeable = False
    return t, v


def normalized_rms(
    t_model_ms: np.ndarray,
    v_model_mV: np.ndarray,
    ref_t_s: np.ndarray,
    ref_v_V: np.ndarray,
) -> float:
    """Normalised RMS difference between a model trace and a Rallpack reference trace.

    This is the accuracy measure of the Rallpacks (``comparison/rms.c``): the model trace is
    converted to seconds and volts, linearly interpolated at the reference sample times, and the
    root mean square of (model - reference) over those samples is divided by the range
    (max - min) of the reference. Multiply by 100 for the "% error" of the Rallpack reports.

    Only reference samples inside the model's time span are compared (``rms.c`` compares over the
    common time range). Two details of ``rms.c`` we do not copy, because they only matter at the
    level of the error itself: it builds its own time grid ``t = 0, dt, 2 dt, ...`` strictly below
    the common end time and interpolates both curves there (we use the reference sample times
    themselves, which are that grid, end point included), and it takes the range over the samples
    of both curves (we use the reference alone, so the denominator does not depend on the model).
    It also computes in single precision; we use double.

    Args:
        t_model_ms: model sample times in ms, increasing.
        v_model_mV: model voltages in mV at those times.
        ref_t_s: reference sample times in s, increasing.
        ref_v_V: reference voltages in V.

    Returns:
        RMS(model - reference) / (max(reference) - min(reference)), dimensionless.
    """
    t_model = np.asarray(t_model_ms, dtype=float) * 1e-3
    v_model = np.asarray(v_model_mV, dtype=float) * 1e-3
    ref_t = np.asarray(ref_t_s, dtype=float)
    ref_v = np.asarray(ref_v_V, dtype=float)
    if t_model.shape != v_model.shape or ref_t.shape != ref_v.shape:
        raise ValueError("time and voltage arrays must have the same shape")
    if t_model.size < 2 or ref_t.size < 2:
        raise ValueError("need at least two samples in each trace")
    if np.any(np.diff(t_model) < 0):
        raise ValueError("model times must be non-decreasing")
    # Tolerate rounding in the model's accumulated t at either end of the common range.
    tol = 1e-9 * max(abs(ref_t[-1]), abs(t_model[-1]), 1.0)
    keep = (ref_t >= t_model[0] - tol) & (ref_t <= t_model[-1] + tol)
    if not np.any(keep):
        raise ValueError("model and reference traces do not overlap in time")
    interp = np.interp(ref_t[keep], t_model, v_model)
    rms = float(np.sqrt(np.mean((interp - ref_v[keep]) ** 2)))
    span = float(ref_v.max() - ref_v.min())
    return rms / span
