"""The ``n`` object: NEURON's top-level namespace (``from pyneuro import n``).

Globals (``n.t``, ``n.dt``, ``n.celsius``, ...), classes (``n.Section``, ``n.Vector``,
mechanisms such as ``n.hh`` and ``n.IClamp``), mechanism globals (``n.usetable_hh``) and the
functions of NEURON's standard run system (``finitialize``, ``fadvance``, ``continuerun``,
``run``) — all names and units as in NEURON.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

from . import simulator
from .engine import fixed
from .finithandler import FInitializeHandler
from .netcon import NetCon
from .parallel import CVode, ParallelContext
from .random import Random
from .refs import Ref
from .simulator import SC_CELSIUS, SC_DT, SC_SECONDORDER, SC_T
from .topology import Section, Segment
from .vector import Vector

_SCALARS = {"t": SC_T, "dt": SC_DT, "celsius": SC_CELSIUS, "secondorder": SC_SECONDORDER}
_PLAIN = ("tstop", "v_init", "steps_per_ms", "stoprun")


def _topology_lines(sec: Section, offset: int, first: str, out: list[str]) -> None:
    direc = f"({int(sec.orientation())}-{1 - int(sec.orientation())})"
    out.append(" " * offset + first + "-" * (sec.nseg - 1) + f"|       {sec}{direc}\n")
    # farthest connection first, as NEURON prints them
    for child in sorted(sec.children(), key=lambda c: -c._parent_x):
        x = child._parent_x
        i = -1 if x == 0 else (sec.nseg if x == 1 else sec._seg_index(x))
        out.append(" ")
        _topology_lines(child, i + offset + 1, "`", out)


from .hocobjects import (  # noqa: E402
    Deck,
    Graph,
    HBox,
    List,
    PlotShape,
    SectionList,
    SectionRef,
    Shape,
    StringFunctions,
    VBox,
)

#: Import3d templates pyneuro provides (pyneuro.morphology.import3d)
_IMPORT3D = ("Import3d_SWC_read", "Import3d_GUI")
#: 3-D point functions NEURON offers at top level, for ``sec=`` (or the section given first)
_PT3D_FUNCTIONS = (
    "pt3dadd",
    "pt3dinsert",
    "pt3dchange",
    "pt3dremove",
    "pt3dclear",
    "pt3dstyle",
    "n3d",
    "x3d",
    "y3d",
    "z3d",
    "diam3d",
    "arc3d",
    "spine3d",
)


_BUILTIN_HOC = (
    "stdrun.hoc",
    "nrngui.hoc",
    "stdlib.hoc",
    "stdgui.hoc",
    "import3d.hoc",
    "noload.hoc",
)
_MISSING = object()


def _hoc_name(name: str) -> Any:
    """A name HOC code defined (variable, procedure, template, section), or _MISSING."""
    from .hoc.interp import _INTERPRETER, HocCallable, StrVar, _Box

    hoc = _INTERPRETER
    if hoc is None:
        return _MISSING
    if name in hoc.globals:
        value = hoc.globals[name]
        if isinstance(value, _Box):
            return float(value.arr[0])
        if isinstance(value, StrVar):
            return value.s
        return value
    if name in hoc.functions:
        return HocCallable(hoc.functions[name])
    if name in hoc.templates:
        return hoc.templates[name]
    return _MISSING


def _hoc_override(name: str) -> Any:
    """The script's own HOC proc ``name`` (stdrun's init/advance overridden), or None."""
    from .hoc.interp import _INTERPRETER, HocCallable

    if _INTERPRETER is None:
        return None
    func = _INTERPRETER.user_function(name)
    return HocCallable(func) if func is not None else None


def _section_function(name: str) -> Any:
    """``n.pt3dadd(x, y, z, d, sec=s)`` and friends: the Section method on ``sec``."""

    def call(*args: Any, sec: Section | None = None) -> Any:
        if sec is None:
            raise TypeError(f"n.{name}(...) needs sec= (pyneuro has no currently accessed section)")
        return getattr(sec, name)(*args)

    call.__name__ = name
    return call


class Namespace:
    """NEURON's ``n`` (also available as ``h``)."""

    Section = Section
    Vector = Vector
    List = List
    SectionList = SectionList
    SectionRef = SectionRef
    StringFunctions = StringFunctions
    Graph = Graph
    PlotShape = PlotShape
    Shape = Shape
    VBox = VBox
    HBox = HBox
    Deck = Deck
    NetCon = NetCon
    Random = Random
    FInitializeHandler = FInitializeHandler
    ParallelContext = ParallelContext
    CVode = CVode

    # ------------------------------------------------------------ attribute protocol
    def __getattr__(self, name: str) -> Any:
        sim = simulator.sim
        if name in _SCALARS:
            value = float(sim.sc[_SCALARS[name]])
            return int(value) if name == "secondorder" else value
        if name in _PLAIN:
            return getattr(sim, name)
        if name == "_ref_t":
            return Ref(lambda: (sim.sc, SC_T), "t")
        mtype = sim.mechanisms.get(name)
        if mtype is not None:
            return mtype
        found = self._mechanism_global(name)
        if found is not None:
            mtype, row = found
            sizes = [mtype.global_size[g] for g, r in mtype.global_index.items() if r == row]
            if sizes and sizes[0] > 1:  # an array GLOBAL: a live view
                return mtype.gl[row : row + sizes[0]]
            return float(mtype.gl[row])
        ion_global = self._ion_global(name)
        if ion_global is not None:
            return float(getattr(*ion_global))
        if name in sim.hoc_sections:
            return sim.hoc_sections[name]
        if name in _IMPORT3D:
            from .morphology import import3d

            return getattr(import3d, name)
        if name in _PT3D_FUNCTIONS:
            return _section_function(name)
        from .mechanism import density_function

        func = density_function(name)
        if func is not None:
            return func
        hoc_value = _hoc_name(name)
        if hoc_value is not _MISSING:
            return hoc_value
        raise AttributeError(f"'pyneuro.n' has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        sim = simulator.sim
        if name in _SCALARS:
            sim.sc[_SCALARS[name]] = float(value)
            return
        if name in _PLAIN:
            setattr(sim, name, float(value))
            return
        found = self._mechanism_global(name)
        if found is not None:
            mtype, row = found
            mtype.gl[row] = float(value)
            return
        ion_global = self._ion_global(name)
        if ion_global is not None:
            setattr(*ion_global, float(value))
            return
        from .hoc.interp import _INTERPRETER

        if _INTERPRETER is not None and name in _INTERPRETER.globals:
            _INTERPRETER.assign_name_text(name, value)
            return
        raise AttributeError(f"cannot set '{name}': not a NEURON global variable")

    @staticmethod
    def _ion_global(name: str) -> tuple[Any, str] | None:
        """``nai0_na_ion`` / ``nao0_na_ion``: an ion's initial concentrations (mM)."""
        from .ions import _ion_types

        for ion, itype in _ion_types.items():
            if name == f"{ion}i0_{ion}_ion":
                return itype, "ci0"
            if name == f"{ion}o0_{ion}_ion":
                return itype, "co0"
        return None

    @staticmethod
    def _mechanism_global(name: str) -> tuple[Any, int] | None:
        for suffix, mtype in simulator.sim.mechanisms.items():
            tail = "_" + suffix
            if name.endswith(tail):
                var = name[: -len(tail)]
                row = mtype.global_index.get(var)
                if row is not None:
                    return mtype, row
                if var in mtype.range_index:
                    raise TypeError(
                        f"Cannot access {name} directly; it is a range variable and may be "
                        "accessed via a section or segment."
                    )
        return None

    def __dir__(self) -> list[str]:
        base = [
            "Section",
            "Vector",
            "NetCon",
            "Random",
            "ParallelContext",
            "CVode",
            "FInitializeHandler",
            "finitialize",
            "fadvance",
            "continuerun",
            "run",
            "allsec",
        ]
        return sorted(set(base) | set(_SCALARS) | set(_PLAIN) | set(simulator.sim.mechanisms))

    # ------------------------------------------------------------ simulation control
    def setpointer(self, ref: Ref, name: str, obj: Any) -> float:
        """Point the NMODL POINTER ``name`` of ``obj`` (a point process or ``seg.mech``) at
        ``ref`` (e.g. ``seg._ref_v``), as NEURON's ``setpointer``."""
        from .pointers import set_pointer

        set_pointer(obj, str(name), ref)
        return 1.0

    def finitialize(self, v: float | None = None) -> float:
        fixed.finitialize(simulator.sim, v)
        return 1.0

    def fadvance(self) -> float:
        fixed.fadvance(simulator.sim)
        return 1.0

    def continuerun(self, tstop: float) -> float:
        """Run to ``tstop``; a HOC ``proc advance()`` of the script is called each step
        (then in Python, as NEURON calls it from HOC)."""
        advance = _hoc_override("advance")
        if advance is None:
            fixed.continuerun(simulator.sim, float(tstop))
            return 1.0
        sim = simulator.sim
        sim.stoprun = 0
        while sim.sc[SC_T] < float(tstop) - sim.sc[SC_DT] / 2 and not sim.stoprun:
            advance()
        return 1.0

    def setdt(self) -> None:
        """stdrun's setdt: make dt divide 1/steps_per_ms (it may change dt, as NEURON)."""
        sim = simulator.sim
        big_dt = 1.0 / sim.steps_per_ms
        nstep = int(big_dt / sim.sc[SC_DT]) or 1
        if abs(sim.sc[SC_DT] * nstep * sim.steps_per_ms - 1) > 1e-6:
            sim.sc[SC_DT] = big_dt / nstep

    def stdinit(self) -> None:
        """stdrun's stdinit: setdt, then init (a HOC ``proc init()`` overrides it)."""
        self.setdt()
        self.init()

    def init(self) -> None:
        """stdrun's init: ``finitialize(v_init)``, or the script's own HOC ``init``."""
        hoc_init = _hoc_override("init")
        if hoc_init is not None:
            hoc_init()
        else:
            self.finitialize(simulator.sim.v_init)

    def run(self, tstop: float | None = None) -> None:
        sim = simulator.sim
        if tstop is not None:
            sim.tstop = float(tstop)
        self.stdinit()
        self.continuerun(sim.tstop)

    def stop(self) -> None:
        simulator.sim.stoprun = 1

    def ion_style(self, name: str, *style: float, sec: Section | None = None) -> float:
        """NEURON's ``ion_style("ca_ion", c_style, e_style, einit, eadvance, cinit, sec=)``:
        how the ion's concentrations and reversal potential are treated in ``sec`` (bits as
        NEURON's iontype); returns the style before, -1 if the ion is not there."""
        from .engine.ionstep import style_bits

        if sec is None:
            raise TypeError("ion_style(..., sec=sec)")
        if not name.endswith("_ion"):
            raise ValueError(f"{name} is not an ion")
        ion = name[:-4]
        if ion not in sec._ions:
            return -1.0
        old = sec._ion_style.get(ion)
        if old is None:
            c = r = 0
            for mname in sec._mechs:
                for use in simulator.sim.mechanisms[mname].metadata["ions"]:
                    if use["name"] == ion:
                        rw = set(use.get("read", ())), set(use.get("write", ()))
                        cs = {f"{ion}i", f"{ion}o"}
                        c = max(c, 3 if rw[1] & cs else (1 if rw[0] & cs else 0))
                        r = max(r, 3 if f"e{ion}" in rw[1] else (1 if f"e{ion}" in rw[0] else 0))
            old = style_bits(c, r)
        if style:
            c_style, e_style, einit, eadvance, cinit = (int(float(v)) for v in style)
            sec._ion_style[ion] = c_style + 0o10 * e_style + 0o40 * einit + 0o100 * eadvance
            sec._ion_style[ion] += 0o4 * cinit
            simulator.sim.structure_changed()
        return float(old)

    def nrnmpi_init(self) -> None:
        """MPI start-up: nothing to do, pyneuro runs one rank."""

    # ------------------------------------------------------------ sections
    def allsec(self) -> Iterator[Section]:
        return iter(simulator.sim.living_sections())

    def topology(self) -> float:
        """Print the tree as NEURON does."""
        out: list[str] = ["\n"]
        for sec in simulator.sim.living_sections():
            if sec._parent is None:
                out.append("|")
                _topology_lines(sec, 0, "-", out)
        out.append("\n")
        sys.stdout.write("".join(out))
        return 1.0

    def psection(self, sec: Section) -> dict:
        return sec.psection()

    def area(self, x: float, sec: Section) -> float:
        return sec(x).area()

    def ri(self, x: float, sec: Section) -> float:
        return sec(x).ri()

    def lambda_f(self, freq: float, sec: Section) -> float:
        """NEURON's stdlib ``lambda_f``: AC length constant (µm) of ``sec`` at ``freq`` Hz."""
        from .morphology.dlambda import lambda_f

        return lambda_f(freq, sec)

    def Segment(self, sec: Section, x: float = 0.5) -> Segment:  # noqa: N802 (NEURON name)
        return sec(x)

    # ------------------------------------------------------------ files and libraries
    def load_file(self, *args: Any) -> float:
        """``load_file("x.hoc")``: the standard library files are built in; other HOC files
        run in pyneuro's HOC interpreter (once each, as NEURON)."""
        name = str(args[-1]) if not isinstance(args[0], (int, float)) else str(args[1])
        if name.split("/")[-1] in _BUILTIN_HOC:
            return 1.0
        from .hoc import interpreter

        force = isinstance(args[0], (int, float)) and bool(args[0])
        return interpreter().load_file(name, force)

    def xopen(self, path: str) -> float:
        """Run a HOC file (every time it is called)."""
        from .hoc import interpreter

        return interpreter().xopen(str(path))

    def nrn_load_dll(self, path: str) -> float:
        """Load mechanisms compiled by ``pyneuro-nrnivmodl`` (NEURON returns 1.0 on success)."""
        from .mechloader import load_mechanisms

        load_mechanisms(path)
        return 1.0

    def __call__(self, code: str) -> bool:
        """Run HOC code, as ``h("...")``; returns True (errors raise `HocError`)."""
        from .hoc import interpreter

        interpreter().execute(str(code), "<n(...)>")
        return True


n = Namespace()
h = n


def capture_topology() -> str:
    """``n.topology()`` output as a string (used by tests and ``repr``)."""
    buf, old = io.StringIO(), sys.stdout
    sys.stdout = buf
    try:
        n.topology()
    finally:
        sys.stdout = old
    return buf.getvalue()
