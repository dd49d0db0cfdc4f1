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

from .. import random, vecbind
from ..finithandler import run_handlers
from ..simulator import SC_CELSIUS, SC_DT, SC_SECONDORDER, SC_T
from . import hines, ionstep, loopgen

if TYPE_CHECKING:
    from ..model import Model
    from ..simulator import Simulator


class NumericalInstability(ArithmeticError):
    """A voltage became NaN or infinite during a step."""


def _call(kernel, mi, model: Model, sc: np.ndarray) -> None:
    mt = mi.mtype
    kernel(mi.n, mi.ni, model.nd, sc, mi.data, mt.gl, mt.tab, model.ions, mi.ion_slot)


def check_tables(model: Model, sc: np.ndarray) -> None:
    for mi in model.mechanisms:
        if mi.mtype.check_table is not None:
            mi.mtype.check_table(sc, mi.mtype.gl, mi.mtype.tab)


def call_ba(model: Model, sc: np.ndarray, name: str) -> None:
    """NEURON's nrn_ba: the BEFORE/AFTER kernel ``name`` of every mechanism, in order."""
    for mi in model.mechanisms:
        kernel = mi.mtype.kernels.get(name)
        if kernel is not None:
            _call(kernel, mi, model, sc)


def setup_tree_matrix(model: Model, sc: np.ndarray) -> None:
    """rhs and d of the linear system for Δv (NEURON's nrn_rhs + nrn_lhs)."""
    hines.zero_matrix(model.nd, 0, model.nnode)
    call_ba(model, sc, "before_breakpoint")
    ionstep.begin_step(
        model.ions, model.ion_style, model.ion_charge, sc[SC_CELSIUS], 0, model.nnode
    )
    for mi in model.mechanisms:
        kernel = mi.mtype.kernels.get("current")
        if kernel is not None:
            _call(kernel, mi, model, sc)
    secondorder = int(sc[SC_SECONDORDER])
    cj = (2.0 if secondorder else 1.0) / sc[SC_DT]
    hines.add_capacitance_and_axial(
        model.nd, model.cm, model.a, model.b, model.parent, 0, model.nnode, cj
    )


def _run_args(sim: Simulator, model: Model) -> tuple:
    """The network and queue arguments of the compiled loop, built fresh when needed."""
    net = sim.network
    if net.dirty or net.model is not model:
        net.build(model)
    return (
        *net.arrays,
        *net.queue.arrays(),
        net.spike_t,
        net.spike_ps,
        net.spike_n,
        net.watchgen,
        net.out,
        *sim.playing.arrays_for(model),
    )


def _deliver(sim: Simulator, model: Model, tm: float) -> None:
    """Deliver queued events up to tm from Python (used by finitialize)."""
    net = sim.network
    net.queue.ensure_room(net.headroom(model))
    status = model.loop().deliver(
        tm,
        model.nd,
        sim.sc,
        model.ions,
        *loopgen.mechanism_arguments(model),
        *_run_args(sim, model),
    )
    net.flush_spikes()
    _check_status(model, sim, status)


def _check_status(model: Model, sim: Simulator, status: int) -> None:
    if status != loopgen.STATUS_OK and status != loopgen.STATUS_GROW:
        vecbind.collect(model)
    if status == loopgen.STATUS_NONFINITE:
        _raise_nonfinite(model, sim.sc)
    if status == loopgen.STATUS_BAD_EVENT:
        raise RuntimeError(
            f"net_move at t = {sim.t:g} ms: the instance has no pending self-event with flag 1"
        )
    if status == loopgen.STATUS_QUEUE_FULL:
        raise RuntimeError(
            f"event queue overflow at t = {sim.t:g} ms: one step sent more events than the "
            f"room reserved for it ({sim.network.headroom(model)}); this is a bug in pyneuro, "
            "please report it"
        )


def finitialize(sim: Simulator, v: float | None = None) -> None:
    """Initialise states at t = 0 (NEURON's nrn_finitialize, fixed step)."""
    run_handlers(3)
    sim.python_events.clear()  # the event queue is cleared (callbacks sent later survive)
    model = sim.ensure_model()
    sc = sim.sc
    sc[SC_T] = 0.0
    check_tables(model, sc)
    vecbind.prepare(model, 1)
    net = sim.network
    net.build(model)
    net.reset_for_init()
    sim.playing.build(model)
    random.random_play()
    _deliver(sim, model, 0.0)  # Vector.play values at t = 0 (nrn_play_init)
    if v is not None:
        model.nd[hines.ND_V, :] = v
    run_handlers(0)
    call_ba(model, sc, "before_initial")
    celsius = sc[SC_CELSIUS]
    ionstep.initialize(
        model.ions, model.ion_style, model.ion_charge, model.ion_initial_concentrations(), celsius
    )
    for k, mi in enumerate(model.mechanisms):
        kernel = mi.mtype.kernels.get("initialize")
        if kernel is None:
            continue
        if mi.mtype.metadata.get("initial_events"):
            _initialize_with_events(sim, model, k, kernel)
        else:
            _call(kernel, mi, model, sc)
        if mi.mtype.writes_concentration:
            ionstep.wrote_concentrations(model.ions, model.ion_style, model.ion_charge, celsius)
    _init_netcons(sim, model)
    call_ba(model, sc, "after_initial")
    run_handlers(1)
    _deliver(sim, model, sc[SC_T])
    setup_tree_matrix(model, sc)
    sim.recording.init(sim)
    call_ba(model, sc, "before_step")  # NEURON's t = 0 record runs BEFORE STEP first
    sim.recording.sample(sim)
    _deliver(sim, model, sc[SC_T])
    vecbind.collect(model)
    run_handlers(2)


def _initialize_with_events(sim: Simulator, model: Model, k: int, kernel) -> None:
    """INITIAL blocks that call net_send: the kernel returns (instance, kind, delay, flag) rows."""
    mi = model.mechanisms[k]
    mt = mi.mtype
    per_instance = int(mt.metadata.get("initial_events", 1))
    ev = np.zeros((max(1, mi.n * per_instance), 4))
    count = kernel(
        mi.n, mi.ni, model.nd, sim.sc, mi.data, mt.gl, mt.tab, model.ions, mi.ion_slot, ev
    )
    net = sim.network
    mech_ptr = net.arrays[12]
    t = sim.sc[SC_T]
    for inst, kind, when, flag in ev[: int(count)]:
        if kind != 1.0:
            continue
        # nocmodl passes no weights with an INITIAL net_send; flag 1 sets tqitem
        net.queue.push_self(t + when, k, int(inst), float(flag), int(mech_ptr[k] + inst))


def _init_netcons(sim: Simulator, model: Model) -> None:
    """NET_RECEIVE INITIAL blocks, once per NetCon in creation order (init_net_events)."""
    net = sim.network
    nc_mech, nc_inst, nc_w = net.arrays[7], net.arrays[8], net.arrays[11]
    for i in range(nc_mech.shape[0]):
        k = int(nc_mech[i])
        if k < 0:
            continue
        mi = model.mechanisms[k]
        init = mi.mtype.kernels.get("net_init")
        if init is not None:
            mt = mi.mtype
            init(
                int(nc_inst[i]),
                nc_w[i],
                0.0,
                mi.ni,
                model.nd,
                sim.sc,
                mi.data,
                mt.gl,
                mt.tab,
                model.ions,
                mi.ion_slot,
                net.out,
            )
        else:
            nc_w[i, 1:] = 0.0


def fadvance(sim: Simulator) -> None:
    """Advance one fixed step of dt."""
    advance(sim, math.inf, 1)


def advance(sim: Simulator, t_until: float, max_steps: int) -> None:
    """Step while t < t_until, at most max_steps steps, in compiled code.

    Recordings that must be sampled from Python (``Dt``, time vectors) make the loop return
    after every step.
    """
    model = sim.ensure_model()
    recording = sim.recording
    if model is not recording.model:
        recording.init(sim, keep=True)
    plan = recording.compiled_plan(model)
    # Random.play and Python-sampled recordings need Python at every step
    per_step = plan is None or bool(random._play_list)
    if per_step:
        rec_src = rec_off = np.zeros(0, dtype=np.int64)
        vectors: list = []
    else:
        rec_src, rec_off, vectors = plan
    loop = model.loop()
    # room for what this call's steps may write into Vectors bound to point processes
    steps_left = max_steps
    if math.isfinite(t_until):
        steps_left = min(steps_left, int((t_until - sim.sc[SC_T]) / sim.sc[SC_DT]) + 2)
    vecbind.prepare(model, max(1, min(steps_left, 2_000_000)))
    margs = loopgen.mechanism_arguments(model)
    nthread = sim.nthread if model.thread_safe else 1
    chunks = model.chunks(nthread)
    if nthread > 1 and chunks[0].shape[0] > 2:
        numba.set_num_threads(min(nthread, numba.config.NUMBA_NUM_THREADS))
        run = loop.run_threaded
    else:
        run = loop.run
    net = sim.network
    chunk = 1 if per_step else max(1, min(100_000, 4_000_000 // max(1, len(vectors))))
    remaining = max_steps
    while remaining > 0:
        cap = min(remaining, chunk)
        # Python callbacks (CVode.event): NEURON runs them after the first step that ends at
        # or after their time (allthread_handle), with t = that step's end
        t_stop = t_until
        if sim.python_events:
            _deliver_python_events(sim)
            if sim.python_events:
                t_stop = min(t_until, sim.python_events[0][0])
        if per_step and sim.sc[SC_T] < t_until:
            random.random_play()
        buf = np.empty((len(vectors), cap))
        headroom = net.headroom(model)
        net.queue.ensure_room(2 * headroom)
        steps, status = run(
            t_stop,
            cap,
            model.nd,
            sim.sc,
            model.cm,
            model.a,
            model.b,
            model.parent,
            model.cell_start,
            model.has_cable,
            model.ions,
            model.ion_style,
            model.ion_charge,
            *margs,
            rec_src,
            rec_off,
            buf,
            *_run_args(sim, model),
            headroom,
            *chunks,
        )
        net.flush_spikes()
        for r, vec in enumerate(vectors):
            vec.append(buf[r, :steps])
        if per_step and steps:
            recording.sample(sim)
        _check_status(model, sim, status)
        remaining -= steps
        if status == loopgen.STATUS_GROW:
            continue  # spikes were flushed; the queue grows at the top of the loop
        if steps < cap and t_stop >= t_until:
            break
    vecbind.collect(model)
    _deliver_python_events(sim)


def _deliver_python_events(sim: Simulator) -> None:
    """Run the CVode.event callbacks whose time has been reached (t >= their time)."""
    import heapq

    while sim.python_events and sim.python_events[0][0] <= sim.sc[SC_T]:
        _, _, func = heapq.heappop(sim.python_events)
        if func is not None:
            func()


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
