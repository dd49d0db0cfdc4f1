"""Loaded mechanism types and the Python views onto their instances.

A `MechanismType` wraps one generated module (see docs/mechanism-abi.md): its metadata, its
globals array and TABLE storage (one per type, as in NEURON) and its kernels. `MechanismView`
is ``seg.hh``; `PointProcess` is an ``n.IClamp(seg)`` instance.
"""

from __future__ import annotations

import itertools
import weakref
from types import ModuleType
from typing import Any

import numpy as np

from . import simulator
from .refs import Ref

# NEURON's Python layer renames these NMODL names, which are Python keywords.
PY_RENAMES = {"del": "delay", "lambda": "lambda_"}
PY_RENAMES_BACK = {v: k for k, v in PY_RENAMES.items()}


class MechanismType:
    """A compiled mechanism (density, point process or artificial cell)."""

    def __init__(self, module: ModuleType) -> None:
        meta: dict = module.METADATA
        self.module = module
        self.metadata = meta
        self.name: str = meta["name"]
        self.kind: str = meta["kind"]
        self.file: str = meta.get("file", "")
        self.range_names = [r["name"] for r in meta["range"]]
        # an array variable (``dur[3]``) takes ``size`` consecutive rows; index = its first
        self.range_index, self.range_size, defaults = _layout(meta["range"])
        self.range_defaults = np.array(defaults)
        self.nrows = len(defaults)
        #: first rows of the RANDOM variables' streams (docs/mechanism-abi.md)
        self.random_rows = [
            self.range_index[r["name"]] for r in meta["range"] if r.get("role") == "random"
        ]
        self.global_names = [g["name"] for g in meta["globals"]]
        self.global_index, self.global_size, gdefaults = _layout(meta["globals"])
        self.gl = np.array(gdefaults)
        #: FUNCTIONs and PROCEDUREs, callable as methods: name -> (kernel name, arguments)
        self.callables = {
            f["name"]: ("fn_" + f["name"], len(f["args"])) for f in meta.get("functions", ())
        }
        self.callables.update(
            {f["name"]: ("proc_" + f["name"], len(f["args"])) for f in meta.get("procedures", ())}
        )
        self.random_names = {r["name"] for r in meta["range"] if r.get("role") == "random"}
        #: PROCEDUREs of the VERBATIM Random-object idiom (``ns.noiseFromRandom(r)``): name ->
        #: the row holding the Random's state-buffer address
        self.random_setters = {
            f["name"]: self.range_index["_p_" + f["handle"]] for f in meta.get("random_setters", ())
        }
        #: rows the engine keeps for itself (RANDOM streams, Vector handles, WATCH state):
        #: not variables a script can read, as in NEURON
        self.internal = {
            r["name"] for r in meta["range"] if r.get("role") in ("random", "vector", "watch")
        }
        #: PROCEDUREs that take a Vector from Python (``vs.play(vec)``): name -> handle
        self.binds = {f["name"]: f["binds"] for f in meta.get("procedures", ()) if "binds" in f}
        self.tab = np.zeros(int(meta.get("table_size", 0)))
        self.ion_names = [i["name"] for i in meta["ions"]]
        from .ions import ion_type

        for use in meta["ions"]:  # NEURON creates an ion type when a mechanism first uses it
            ion_type(use["name"], use.get("valence"))
        self.kernels = {k: getattr(module, k) for k in meta.get("kernels", ())}
        self.check_table = getattr(module, "check_table", None)
        self.unsupported = list(meta.get("unsupported", ()))
        #: C code pyneuro cannot run (VERBATIM): inserting or creating it raises this
        self.refused = meta.get("refused")
        self.writes_concentration = any(
            set(use.get("write", ())) & {f"{use['name']}i", f"{use['name']}o"}
            for use in meta["ions"]
        )
        self._count = itertools.count()

    @property
    def is_point(self) -> bool:
        return self.kind in ("point", "artificial")

    def default_block(self, n: int) -> np.ndarray:
        """Fresh instance storage: (number of range rows, n), filled with defaults; each
        RANDOM variable of each instance gets a new Random123 stream, as NEURON's
        ``nrnran123_newstream()`` at instance creation: ids (1, 0, k) for the k-th stream
        of the process."""
        block = np.repeat(self.range_defaults[:, None], n, axis=1)
        if self.random_rows:
            from .random import nrnran123_newstream

            for col in range(n):
                for row in self.random_rows:
                    stream = nrnran123_newstream(1, 0, next(_random_stream_ids))
                    block[row : row + len(stream), col] = stream
        return block

    def __repr__(self) -> str:
        kind = "DensityMechanism" if self.kind == "density" else "PointProcessMechanism"
        return f"neuron.{kind}('{self.name}')"

    def check_usable(self) -> None:
        """Raise the compiler's refusal if this mechanism holds C that pyneuro cannot run."""
        if self.refused:
            raise RuntimeError(self.refused["reason"])

    def __call__(self, *args: Any, **kwargs: Any) -> PointProcess:
        self.check_usable()
        if not self.is_point:
            raise TypeError(f"{self.name} is a density mechanism: use sec.insert('{self.name}')")
        return PointProcess(self, *args, **kwargs)


def _layout(entries: list[dict]) -> tuple[dict[str, int], dict[str, int], list[float]]:
    """First row, size and per-row defaults of range (or global) variables in order."""
    index: dict[str, int] = {}
    size: dict[str, int] = {}
    defaults: list[float] = []
    for entry in entries:
        index[entry["name"]] = len(defaults)
        size[entry["name"]] = int(entry.get("size", 1))
        defaults += [float(entry.get("default") or 0.0)] * size[entry["name"]]
    return index, size, defaults


# NEURON's nrnran123_newstream(): the third id counts the streams made in the process
_random_stream_ids = itertools.count(1)


def _pointer_rows(name: str) -> dict[str, int]:
    from .pointers import pointer_names

    return pointer_names(simulator.sim.mechanisms[name])


def _pointed_value(owner: Any, var: str) -> float:
    """The value a POINTER points to (reading ``obj.p`` in Python, as NEURON)."""
    from .pointers import target

    ref = target(owner, var)
    if ref is None:
        raise ValueError(f"POINTER {var} of {owner!r} is not set (use n.setpointer)")
    return ref.value


class MechanismView:
    """``seg.hh`` (or ``seg.na_ion``): the values of one mechanism at one segment."""

    __slots__ = ("_seg", "_name")

    def __init__(self, seg: Any, name: str) -> None:
        object.__setattr__(self, "_seg", seg)
        object.__setattr__(self, "_name", name)

    def _store_and_names(self) -> tuple[np.ndarray, dict[str, int]]:
        sec = self._seg.sec
        if self._name.endswith("_ion") and self._name[:-4] in sec._ions:
            from .ions import ion_type

            ion = self._name[:-4]
            return sec._ions[ion], ion_type(ion).range_index
        return sec._mechs[self._name], simulator.sim.mechanisms[self._name].range_index

    def name(self) -> str:
        return self._name

    def is_ion(self) -> bool:
        return self._name.endswith("_ion")

    def segment(self) -> Any:
        return self._seg

    def __repr__(self) -> str:
        return self._name

    def __dir__(self) -> list[str]:
        _, names = self._store_and_names()
        return sorted(names) + ["is_ion", "name", "segment"]

    def _row(self, var: str) -> int:
        _, names = self._store_and_names()
        name = PY_RENAMES_BACK.get(var, var)
        row = names.get(name)
        if not self._name.endswith("_ion"):
            if name in simulator.sim.mechanisms[self._name].internal:
                row = None
        if row is None:
            raise AttributeError(f"'{self._name}' mechanism has no variable '{var}'")
        return row

    def __getattr__(self, var: str) -> Any:
        seg = self._seg
        if var.startswith("_ref_"):
            row = self._row(var[5:])
            col = seg._index
            label = f"{seg}.{self._name}.{var[5:]}"
            return Ref(lambda: (self._store_and_names()[0][row], col), label)
        if var.startswith("_"):
            raise AttributeError(var)
        if (
            not self._name.endswith("_ion")
            and var in simulator.sim.mechanisms[self._name].random_names
        ):
            from .nmodlrandom import NMODLRandom, rows_of

            mrow = simulator.sim.mechanisms[self._name].range_index[var]
            col = seg._index
            return NMODLRandom(
                lambda: rows_of(self._store_and_names()[0], mrow, col), f"{seg}.{self._name}.{var}"
            )
        if not self._name.endswith("_ion") and var in _pointer_rows(self._name):
            return _pointed_value(self, var)
        store, _ = self._store_and_names()
        row = self._row(var)
        if not self._name.endswith("_ion"):
            mtype = simulator.sim.mechanisms[self._name]
            size = mtype.range_size.get(PY_RENAMES_BACK.get(var, var), 1)
            if size > 1:  # an array variable: a live view, indexable and assignable
                return store[row : row + size, seg._index]
        return float(store[row, seg._index])

    def __setattr__(self, var: str, value: float) -> None:
        if var.startswith("_ref_") and not self._name.endswith("_ion"):
            if var[5:] in _pointer_rows(self._name):  # NEURON 9: seg.mech._ref_p = seg2._ref_v
                from .pointers import set_pointer

                set_pointer(self, var[5:], value)
                return
        store, _ = self._store_and_names()
        store[self._row(var), self._seg._index] = value
        simulator.sim.values_changed()


class PointProcess:
    """An instance of a POINT_PROCESS / ARTIFICIAL_CELL mechanism, e.g. ``n.IClamp(seg)``."""

    def __init__(self, mtype: MechanismType, loc: Any = None, sec: Any = None) -> None:
        from .topology import Section, Segment

        object.__setattr__(self, "_mtype", mtype)
        object.__setattr__(self, "_data", mtype.default_block(1))
        object.__setattr__(self, "_index", next(mtype._count))
        object.__setattr__(self, "_seg", None)
        sim = simulator.sim
        if mtype.kind == "point":
            if isinstance(loc, Segment):
                self.loc(loc)
            elif loc is not None:
                if sec is None:
                    raise TypeError(f"{mtype.name}({loc}): give a segment, or x with sec=")
                if not isinstance(sec, Section):
                    raise TypeError("sec= must be a Section")
                self.loc(sec(loc))
        sim.register_point(self)
        weakref.finalize(self, sim.structure_changed)

    # location
    def loc(self, seg: Any) -> PointProcess:
        sec = seg.sec
        for ion in self._mtype.ion_names:
            sec._ensure_ion(ion)
        object.__setattr__(self, "_seg", seg)
        sec._points.append(weakref.ref(self))
        simulator.sim.structure_changed()
        return self

    def get_segment(self) -> Any:
        return self._seg

    def get_loc(self) -> float:
        if self._seg is None:
            raise RuntimeError(f"{self.hname()} has no location")
        return self._seg.x

    def has_loc(self) -> bool:
        return self._seg is not None

    def hname(self) -> str:
        return f"{self._mtype.name}[{self._index}]"

    __repr__ = hname

    def _row(self, var: str) -> int:
        name = PY_RENAMES_BACK.get(var, var)
        row = None if name in self._mtype.internal else self._mtype.range_index.get(name)
        if row is None:
            raise AttributeError(f"'{self._mtype.name}' object has no attribute '{var}'")
        return row

    def __getattr__(self, var: str) -> Any:
        if var.startswith("_ref_"):
            row = self._row(var[5:])
            return Ref(lambda: (self._data[row], 0), f"{self.hname()}.{var[5:]}")
        if var.startswith("_"):
            raise AttributeError(var)
        if var in self._mtype.random_setters:
            return _RandomSetter(self, var)
        if var in self._mtype.callables:
            return _Method(self, var)
        if var in self._mtype.random_names:
            from .nmodlrandom import NMODLRandom, rows_of

            row = self._mtype.range_index[var]
            return NMODLRandom(lambda: rows_of(self._data, row, 0), f"{self.hname()}.{var}")
        if var in _pointer_rows(self._mtype.name):
            return _pointed_value(self, var)
        row = self._row(var)
        size = self._mtype.range_size[PY_RENAMES_BACK.get(var, var)]
        if size > 1:  # an array variable: a live view, indexable and assignable
            return self._data[row : row + size, 0]
        return float(self._data[row, 0])

    def __setattr__(self, var: str, value: float) -> None:
        if var.startswith("_ref_") and var[5:] in _pointer_rows(self._mtype.name):
            from .pointers import set_pointer

            set_pointer(self, var[5:], value)  # NEURON 9: pp._ref_p = seg._ref_v
            return
        self._data[self._row(var), 0] = value
        simulator.sim.values_changed()

    def _invoke(self, name: str, args: tuple) -> float:
        """Run a FUNCTION or PROCEDURE of the mechanism on this instance (a PROCEDURE
        returns 1, as NEURON's hoc_retpushx(1.))."""
        mtype = self._mtype
        kernel, nargs = mtype.callables[name]
        if name in mtype.binds:  # play(vec), record(vec): the Vector, or none to unbind
            if len(args) > 1:
                raise TypeError(f"{self.hname()}.{name}() takes at most one Vector")
            from .vecbind import bind

            bind(self, mtype.binds[name], args[0] if args else None)
            args = ()
        if len(args) != nargs:
            raise TypeError(
                f"{self.hname()}.{name}() takes {nargs} argument(s) ({len(args)} given)"
            )
        sim = simulator.sim
        nd, ions, slots, node = self._kernel_context(sim)
        if mtype.check_table is not None:
            mtype.check_table(sim.sc, mtype.gl, mtype.tab)
        fn = getattr(mtype.module, kernel)
        ni = np.array([node], dtype=np.int64)
        data = self._data
        value = fn(0, ni, nd, sim.sc, data, mtype.gl, mtype.tab, ions, slots, *map(float, args))
        return 1.0 if kernel.startswith("proc_") else float(value)

    def _kernel_context(self, sim: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Node data, ion data, ion slots and node index for a call from Python: the
        model's when it is built and current, else a one-node scratch copy (v from the
        segment), so that calls in a model-building loop do not rebuild the model."""
        mtype = self._mtype
        model = sim.model
        if model is not None and not sim._structure_dirty:
            for mi in model.mechanisms:
                if mi.mtype is mtype and mi.points is not None and id(self) in mi.points:
                    node = int(mi.ni[mi.instance_of(self)])
                    return model.nd, model.ions, mi.ion_slot, node
        from .ions import ION_FIELDS

        nd = np.zeros((5, 1))
        nd[3, 0] = 100.0
        if self._seg is not None:
            nd[0, 0] = self._seg.v
        nions = len(mtype.ion_names)
        ions = np.zeros((max(nions, 1), ION_FIELDS, 1))
        return nd, ions, np.arange(nions, dtype=np.int64), 0


#: density mechanism -> (section, segment index) chosen by n.setdata_<suffix>
_setdata: dict[str, tuple[Any, int]] = {}


def density_function(name: str) -> Any:
    """``n.<name>_<suffix>`` for a FUNCTION/PROCEDURE of a density mechanism (a callable, as
    NEURON's hoc functions), or ``n.setdata_<suffix>``; None if ``name`` is neither."""
    for suffix, mtype in simulator.sim.mechanisms.items():
        if mtype.kind != "density" or not name.endswith("_" + suffix):
            continue
        fname = name[: -len(suffix) - 1]
        if fname == "setdata":
            return lambda *args, sec=None: _select(mtype, args, sec)
        tables = {t["name"]: t for t in mtype.metadata.get("function_tables", ())}
        if fname.startswith("table_") and fname[6:] in tables:
            return lambda *args: _function_table(mtype, tables[fname[6:]], args)
        if fname in mtype.callables:
            return lambda *args: _call_density(mtype, fname, args)
    return None


def _function_table(mtype: MechanismType, spec: dict, args: tuple) -> float:
    """``n.table_<name>_<suffix>(...)``: the data of a FUNCTION_TABLE, as NEURON's
    ``hoc_spec_table``: a constant, ``(y, x)`` Vectors for one argument, or
    ``(values, n1, min1, max1[, n2, min2, max2, ...])``. Stored in the mechanism's ``tab``."""
    n = int(spec["args"])
    header: list[float] = []
    extra: list[float] = []
    if len(args) == 1:
        value = float(args[0])
        header = [value, float(n)] + [1.0, 1e20, 1e20, -1.0] * n
        table = [value]
    elif len(args) == 2 and n == 1:
        y = np.asarray(args[0], dtype=float)
        x = np.asarray(args[1], dtype=float)
        if y.shape != x.shape:
            raise ValueError("Vector arguments not same size")
        header = [0.0, 1.0, float(len(x)), 0.0, 0.0, 0.0]
        table = list(y)
        extra = list(x)
    elif len(args) == 1 + 3 * n:
        values = np.asarray(args[0], dtype=float).ravel()
        sizes = [int(args[1 + 3 * k]) for k in range(n)]
        if any(sz < 1 for sz in sizes):
            raise ValueError("size arg < 1 in hoc_spec_table")
        header = [0.0, float(n)]
        for k in range(n):
            header += [float(sizes[k]), float(args[2 + 3 * k]), float(args[3 + 3 * k]), -1.0]
        table = list(values[: int(np.prod(sizes))])
    else:
        raise TypeError(
            f"table_{spec['name']}_{mtype.name}: give a value, (y, x) Vectors or "
            "(values, n, min, max, ...) per argument"
        )
    base = len(mtype.tab)
    tdata = base + len(header) + 1
    if extra:  # the x Vector after the table; its offset in the argument's slot
        header[5] = float(tdata + len(table))
    block = np.array(header + [float(tdata)] + table + extra)
    mtype.tab = np.concatenate([mtype.tab, block])
    mtype.gl[mtype.global_index[spec["entry"]]] = float(base + 1)
    return 1.0


def _select(mtype: MechanismType, args: tuple, sec: Any) -> float:
    """``n.setdata_hh(seg)`` or ``n.setdata_hh(x, sec=sec)``: the instance later calls use."""
    from .topology import Segment

    seg = args[0] if args and isinstance(args[0], Segment) else None
    if seg is None:
        if sec is None or not args:
            raise TypeError(f"setdata_{mtype.name}(seg) or setdata_{mtype.name}(x, sec=sec)")
        seg = sec(float(args[0]))
    if mtype.name not in seg.sec._mechs:
        raise ValueError(f"{mtype.name} is not inserted in {seg.sec}")
    _setdata[mtype.name] = (weakref.ref(seg.sec), seg._index, seg.x)
    return 1.0


def _call_density(mtype: MechanismType, fname: str, args: tuple) -> float:
    """A FUNCTION/PROCEDURE of a density mechanism, on the instance chosen by setdata (its
    live values) or else on one instance holding the defaults (GLOBALs are shared)."""
    from .ions import ION_FIELDS

    mtype.check_usable()
    kernel, nargs = mtype.callables[fname]
    if len(args) != nargs:
        raise TypeError(f"{fname}_{mtype.name}() takes {nargs} argument(s) ({len(args)} given)")
    sim = simulator.sim
    nd = np.zeros((5, 1))
    nd[3, 0] = 100.0
    nions = len(mtype.ion_names)
    ions = np.zeros((max(nions, 1), ION_FIELDS, 1))
    slots = np.arange(nions, dtype=np.int64)
    chosen = _setdata.get(mtype.name)
    sec = chosen[0]() if chosen is not None else None
    if sec is not None and mtype.name in sec._mechs and chosen[1] < sec._nseg:
        block = sec._mechs[mtype.name]
        data = np.ascontiguousarray(block[:, chosen[1] : chosen[1] + 1])
        seg = sec(chosen[2])
        nd[0, 0] = seg.v
        nd[4, 0] = seg.diam
        nd[3, 0] = seg.area()
        for k, ion in enumerate(mtype.ion_names):
            if ion in sec._ions:
                ions[k, :, 0] = sec._ions[ion][:, chosen[1]]
    else:
        data = mtype.default_block(1)
        block = None
    if mtype.check_table is not None:
        mtype.check_table(sim.sc, mtype.gl, mtype.tab)
    fn = getattr(mtype.module, kernel)
    ni = np.zeros(1, dtype=np.int64)
    value = fn(0, ni, nd, sim.sc, data, mtype.gl, mtype.tab, ions, slots, *map(float, args))
    if block is not None:  # what the call wrote into the instance's range variables
        block[:, chosen[1]] = data[:, 0]
    return 1.0 if kernel.startswith("proc_") else float(value)


class _RandomSetter:
    """The PROCEDURE of the VERBATIM Random-object idiom, bound to a point process:
    ``ns.noiseFromRandom(r)`` makes the instance draw from ``r`` (NEURON's
    ``nrn_random_arg(1)``), ``ns.noiseFromRandom()`` forgets it. The point process keeps
    ``r`` alive, since the compiled kernels hold the address of its state."""

    __slots__ = ("_pp", "_name")

    def __init__(self, pp: PointProcess, name: str) -> None:
        self._pp = pp
        self._name = name

    def __call__(self, rng: Any = None) -> float:
        from .random import Random

        pp = self._pp
        row = pp._mtype.random_setters[self._name]
        kept = pp.__dict__.setdefault("_kept_randoms", {})
        if rng is None:
            pp._data[row, 0] = 0.0
            kept.pop(row, None)
            return 0.0
        if not isinstance(rng, Random):
            raise TypeError(f"{self._name}() needs a Random object, not {rng!r}")
        kept[row] = rng
        pp._data[row, 0] = float(rng.handle_address())
        return 0.0

    def __repr__(self) -> str:
        return f"<method {self._name} of {self._pp.hname()}>"


class _Method:
    """A FUNCTION or PROCEDURE of a point process, bound to the instance: ``ns.seed(1)``."""

    __slots__ = ("_pp", "_name")

    def __init__(self, pp: PointProcess, name: str) -> None:
        self._pp = pp
        self._name = name

    def __call__(self, *args: float) -> float:
        return self._pp._invoke(self._name, args)

    def __repr__(self) -> str:
        return f"<method {self._name} of {self._pp.hname()}>"
