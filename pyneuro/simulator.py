"""The simulator's global state: sections, mechanism types, scalars and the compiled model.

NEURON has one simulation per process, and scripts rely on that (``n.t``, ``n.dt``,
``n.allsec()``), so this module holds one `Simulator`. It owns no numerics: the model compiler
(`model.py`) and the step loop (`engine/`) do the work.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .mechanism import MechanismType, PointProcess
    from .model import Model
    from .topology import Section

log = logging.getLogger(__name__)

# indices into the scalar array handed to every kernel (docs/mechanism-abi.md)
SC_T, SC_DT, SC_CELSIUS, SC_SECONDORDER = 0, 1, 2, 3
# Random123 global index (RANDOM variables' key) and the WATCH activation count
SC_RANDOM_GIX, SC_WATCH_STAMP = 4, 5
# the legacy scop_random() generator's state (one per process, starts at 1, as NEURON)
SC_SCOP_RANDOM = 6
NSCALARS = 8


class Simulator:
    """Everything a NEURON process holds globally."""

    def __init__(self) -> None:
        self.sections: weakref.WeakValueDictionary[int, Section] = weakref.WeakValueDictionary()
        self.points: weakref.WeakValueDictionary[int, PointProcess] = weakref.WeakValueDictionary()
        self._point_ids = itertools.count()
        self.mechanisms: dict[str, MechanismType] = {}
        self.mechanism_files: dict[str, str] = {}
        self.loaded_paths: set[str] = set()
        self.sc = np.zeros(NSCALARS)
        self.sc[SC_DT] = 0.025
        self.sc[SC_CELSIUS] = 6.3
        self.sc[SC_SCOP_RANDOM] = 1.0
        self.tstop = 5.0
        self.v_init = -65.0
        self.steps_per_ms = 40.0
        self.stoprun = 0
        self.python_events: list = []  # heap of (t, seq, callable) from CVode.event
        self.python_event_seq = 0
        self.nthread = 1  # ParallelContext.nthread: threads for the compiled loop
        #: section arrays created at HOC level (Import3d's ``create soma[1]``): name -> sections,
        #: kept alive here as HOC keeps them until they are deleted
        self.hoc_sections: dict[str, list[Section]] = {}
        self.model: Model | None = None
        self._structure_dirty = True
        self._geometry_dirty = True
        from .network import Network
        from .play import Playing
        from .recording import Recording

        self.recording = Recording()
        self.network = Network()
        self.playing = Playing()

    # ------------------------------------------------------------ scalars
    @property
    def t(self) -> float:
        return float(self.sc[SC_T])

    @t.setter
    def t(self, value: float) -> None:
        self.sc[SC_T] = value

    # ------------------------------------------------------------ registration
    def register_section(self, sec: Section) -> None:
        self.sections[sec._id] = sec
        weakref.finalize(sec, self.structure_changed)
        self.structure_changed()

    def register_point(self, pp: PointProcess) -> None:
        self.points[next(self._point_ids)] = pp
        self.structure_changed()

    def register_mechanism(self, mtype: MechanismType, source: str) -> None:
        if mtype.name in self.mechanisms:
            raise RuntimeError(
                f"The user defined name already exists: {mtype.name} "
                f"(from {source}; already loaded from {self.mechanism_files[mtype.name]})"
            )
        self.mechanisms[mtype.name] = mtype
        self.mechanism_files[mtype.name] = source

    def mechanism_type(self, mech: Any, density: bool = False) -> MechanismType:
        from .mechanism import MechanismType

        if isinstance(mech, MechanismType):
            mtype = mech
        else:
            mtype = self.mechanisms.get(str(mech))
            if mtype is None:
                raise ValueError("argument not a density mechanism name.")
        if density and mtype.kind != "density":
            raise ValueError(f"{mtype.name} is a point process, not a density mechanism")
        return mtype

    def load_mod(self, path: str | Path) -> MechanismType:
        """Compile (or load from cache) one .mod file and register its mechanism."""
        from .mechanism import MechanismType
        from .mechcache import load_mod_file

        module = load_mod_file(path)
        mtype = MechanismType(module)
        self.register_mechanism(mtype, str(path))
        return mtype

    def override_mechanism(self, mtype: MechanismType, source: str) -> MechanismType:
        """Put ``mtype`` in place of the loaded mechanism of the same name, which must be one
        pyneuro refused (C in VERBATIM): the documented way out (docs/mechanism-abi.md).
        Sections and point processes use the new one from their next insert or creation."""
        old = self.mechanisms.get(mtype.name)
        if old is not None and not old.refused:
            raise RuntimeError(
                f"{mtype.name} (from {self.mechanism_files[mtype.name]}) is not refused: "
                "only a mechanism pyneuro cannot run may be overridden"
            )
        in_use = any(mtype.name in sec._mechs for sec in self.living_sections()) or any(
            p._mtype.name == mtype.name for p in self.living_points()
        )
        if in_use:
            raise RuntimeError(f"{mtype.name} is in use; override it before inserting it")
        self.mechanisms[mtype.name] = mtype
        self.mechanism_files[mtype.name] = source
        self.structure_changed()
        return mtype

    # ------------------------------------------------------------ invalidation
    def structure_changed(self) -> None:
        self._structure_dirty = True

    def geometry_changed(self) -> None:
        self._geometry_dirty = True

    def values_changed(self) -> None:
        """Range values changed from Python; nothing to rebuild (the arrays are shared)."""

    def living_sections(self) -> list[Section]:
        self.recording.prune()
        secs = [self.sections[k] for k in sorted(self.sections.keys())]
        return [s for s in secs if not s._deleted]

    def delete_section(self, sec: Section) -> None:
        """HOC's ``delete_section()``: the section leaves the model now, even if Python
        objects still refer to it (they then see a deleted section)."""
        sec.disconnect()
        for child in sec.children():
            child.disconnect()
        sec._deleted = True
        for name, value in list(self.hoc_sections.items()):
            if value is sec:
                del self.hoc_sections[name]
            elif isinstance(value, list):
                value[:] = [None if s is sec else s for s in value]
        self.structure_changed()

    def living_points(self) -> list[PointProcess]:
        return [self.points[k] for k in sorted(self.points.keys())]

    def ensure_model(self) -> Model:
        from .model import Model

        # recordings into Vectors that no longer exist may be the last holders of sections
        self.recording.prune()
        if self._structure_dirty or self.model is None:
            self.model = Model(self)
            self._structure_dirty = False
            self._geometry_dirty = False
            from .pointers import resolve_all

            resolve_all()  # POINTER addresses into the new arrays
        elif self._geometry_dirty:
            self.model.update_geometry()
            self._geometry_dirty = False
        return self.model


sim = Simulator()
