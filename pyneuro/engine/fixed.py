"""The fixed-step integrator: ``finitialize`` and ``fadvance`` in NEURON's order of operations.

One step (NEURON's ``nrn_fixed_step``): TABLE check; t += dt/2; currents and conductances of
every mechanism at v(t) (``setup_tree_matrix``); capacitance and axial terms; Hines solve;
(secondorder 2: ion currents corrected); v update; t += dt/2; every mechanism's SOLVE update with
the new v; recording. ``secondorder = 0`` is implicit Euler for v, ``2`` is Crank–Nicolson.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numba
import numpy as np

from ..simulator import SC_DT, SC_SECONDORDER, SC_T
from . import hines, loopgen

if TYPE_CHECKING:
    from ..model import Model
    from ..simulator import Simulator


class NumericalInstability(ArithmeticError):
    """A voltage became NaN or infinite during a step."""


@numba.njit(cache=True)
def _first_nonfinite(v: np.ndarray) -> int:
    for i in range(v.shape[0]):
        if not np.isfinite(v[i]):
            return i
    return -1


def _call(kernel, mi, model: Model, sc: np.ndarray) -> None:
    mt = mi.mtype
    kernel(mi.n, mi.ni, model.nd, sc, mi.data, mt.gl, mt.tab, model.ions, mi.ion_slot)


def check_tables(model: Model, sc: np.ndarray) -> None:
    for mi in model.mechanisms:
        if mi.mtype.check_table is not None:
            mi.mtype.check_table(sc, mi.mtype.gl, mi.mtype.tab)


def setup_tree_matrix(model: Model, sc: np.ndarray) -> None:
    """rhs and d of the linear system for Δv (NEURON's nrn_rhs + nrn_lhs)."""
    hines.zero_matrix(model.nd, model.ions)
    for mi in model.mechanisms:
        kernel = mi.mtype.kernels.get("current")
        if kernel is not None:
            _call(kernel, mi, model, sc)
    secondorder = int(sc[SC_SECONDORDER])
    cj = (2.0 if secondorder else 1.0) / sc[SC_DT]
    hines.add_capacitance_and_axial(
        model.nd, model.cm, model.a, model.b, model.parent, model.ncell, cj
    )


def finitialize(sim: Simulator, v: float | None = None) -> None:
    """Initialise states at t = 0 (NEURON's nrn_finitialize, fixed step)."""
    model = sim.ensure_model()
    sc = sim.sc
    sc[SC_T] = 0.0
    check_tables(model, sc)
    if v is not None:
        model.nd[hines.ND_V, :] = v
    for mi in model.mechanisms:
        kernel = mi.mtype.kernels.get("initialize")
        if kernel is not None:
            _call(kernel, mi, model, sc)
    setup_tree_matrix(model, sc)
    sim.recording.init(sim)
    sim.recording.sample(sim)


def fadvance(sim: Simulator) -> None:
    """Advance one fixed step of dt."""
    advance(sim, math.inf, 1)


def advance(sim: Simulator, t_until: float, max_steps: int) -> None:
    """Step while t < t_until, at most max_steps steps, in compiled code when possible."""
    model = sim.ensure_model()
    recording = sim.recording
    if model is not recording.model:
        recording.init(sim, keep=True)
    plan = recording.compiled_plan(model)
    if plan is None:  # a recording needs Python between steps (Dt, tvec)
        steps = 0
        while steps < max_steps and sim.sc[SC_T] < t_until:
            python_step(sim)
            steps += 1
        return
    rec_src, rec_off, vectors = plan
    loop = model.loop()
    margs = loopgen.mechanism_arguments(model)
    chunk = max(1, min(100_000, 4_000_000 // max(1, len(vectors))))
    remaining = max_steps
    while remaining > 0:
        cap = min(remaining, chunk)
        buf = np.empty((len(vectors), cap))
        steps, status = loop.run(
            t_until,
            cap,
            model.nd,
            sim.sc,
            model.cm,
            model.a,
            model.b,
            model.parent,
            model.ncell,
            model.ions,
            *margs,
            rec_src,
            rec_off,
            buf,
        )
        for r, vec in enumerate(vectors):
            vec.append(buf[r, :steps])
        if status == loopgen.STATUS_NONFINITE:
            _raise_nonfinite(model, sim.sc)
        remaining -= steps
        if steps < cap:
            return


def python_step(sim: Simulator) -> None:
    """One fixed step driven from Python, kernel by kernel (also the reference for the loop)."""
    model = sim.ensure_model()
    if model is not sim.recording.model:
        sim.recording.init(sim, keep=True)
    sc = sim.sc
    dt = sc[SC_DT]
    check_tables(model, sc)
    sc[SC_T] += 0.5 * dt
    setup_tree_matrix(model, sc)
    hines.solve(model.nd, model.a, model.b, model.parent, model.ncell)
    secondorder = int(sc[SC_SECONDORDER])
    if secondorder == 2:
        hines.second_order_current(model.nd, model.ions)
    hines.update_voltage(model.nd, secondorder)
    sc[SC_T] += 0.5 * dt
    for mi in model.mechanisms:
        kernel = mi.mtype.kernels.get("state")
        if kernel is not None:
            _call(kernel, mi, model, sc)
    if _first_nonfinite(model.nd[hines.ND_V]) >= 0:
        _raise_nonfinite(model, sc)
    sim.recording.sample(sim)


def _raise_nonfinite(model: Model, sc: np.ndarray) -> None:
    # name a membrane node (a segment the user knows) rather than a zero-area end node
    nodes = np.flatnonzero(~np.isfinite(model.nd[hines.ND_V]))
    membrane = nodes[model.cm[nodes] != 0.0]
    bad = int(membrane[0]) if membrane.size else int(nodes[0])
    raise NumericalInstability(
        f"v became {model.nd[hines.ND_V, bad]} at {describe_node(model, bad)} "
        f"at t = {sc[SC_T]:g} ms (dt = {sc[SC_DT]:g} ms): the step is unstable or a mechanism "
        "produced NaN"
    )


def describe_node(model: Model, node: int) -> str:
    """A node index as the user knows it: ``dend(0.75)``."""
    for sec in model.sections:
        s0, nseg = sec._node_start, sec._nseg
        if s0 <= node <= s0 + nseg:
            j = node - s0
            xi = 1.0 if j == nseg else (j + 0.5) / nseg
            x = 1.0 - xi if sec._child_end == 1.0 else xi
            return f"{sec}({x:g})"
        if node == sec._root_index and sec._parent is None:
            return f"{sec}(0)"
    return f"node {node}"


def continuerun(sim: Simulator, tstop: float) -> None:
    """Advance until t reaches tstop (stdrun's continuerun: steps while t < tstop - dt/2)."""
    sim.stoprun = 0
    advance(sim, tstop - 0.5 * sim.sc[SC_DT], 2**62)
