"""Where mechanisms come from: the built-ins in ``mechanisms/`` and ``pyneuro-nrnivmodl`` folders.

``pyneuro-nrnivmodl`` writes ``<arch>/pyneuro-mechanisms.json`` (``<arch>`` is
``platform.machine()``, e.g. ``x86_64``, as NEURON's ``nrnivmodl``) listing the compiled
``.mod`` files; the generated modules sit beside it. ``import pyneuro`` loads such a folder from
the current directory, as ``import neuron`` loads ``x86_64/libnrnmech.so``.
"""

from __future__ import annotations

import json
import logging
import platform
from importlib import resources
from pathlib import Path
from typing import Any

from . import simulator

log = logging.getLogger(__name__)

MANIFEST = "pyneuro-mechanisms.json"
# NEURON's mechanism type order (n.MechanismType(0) and (1) list them so): the order of the
# kernels in a step, hence of the currents' sum at a node and of INITIAL self-events
BUILTIN_ORDER = (
    "pas",
    "hh",
    "IClamp",
    "AlphaSynapse",
    "ExpSyn",
    "Exp2Syn",
    "SEClamp",
    "VClamp",
    "APCount",
    "NetStim",
    "IntFire1",
    "IntFire2",
    "IntFire4",
)


def arch_dir_name() -> str:
    return platform.machine() or "x86_64"


def builtin_mod_files() -> list[Path]:
    """The shipped .mod files: NEURON's usual ones first, in a fixed order, then the rest.

    In a source checkout they are ``mechanisms/`` beside the package; installed, they are the
    package data ``pyneuro.mechanisms``.
    """
    root = Path(__file__).resolve().parent.parent / "mechanisms"
    if not any(root.glob("*.mod")):
        root = Path(str(resources.files("pyneuro.mechanisms")))
    files = {p.stem: p for p in root.glob("*.mod")}
    ordered = [files.pop(k) for k in BUILTIN_ORDER if k in files]
    return ordered + [files[k] for k in sorted(files)]


def load_builtins() -> None:
    for path in builtin_mod_files():
        simulator.sim.load_mod(path)


def find_manifest(path: str | Path) -> Path | None:
    """The manifest for a folder given as NEURON scripts give it.

    Accepts the model folder, the ``x86_64`` folder, or a path to the library file a NEURON
    script would name (``x86_64/libnrnmech.so``, legacy ``x86_64/.libs/libnrnmech.so``).
    """
    p = Path(path)
    candidates = [p, p / arch_dir_name(), p.parent, p.parent.parent]
    for c in candidates:
        if (c / MANIFEST).is_file():
            return c / MANIFEST
    return None


def load_manifest(manifest: Path) -> list[str]:
    """Register every mechanism listed in a pyneuro-nrnivmodl manifest; returns their names."""
    from .mechanism import MechanismType
    from .mechcache import import_generated, stable_module_file

    key = str(manifest.resolve())
    if key in simulator.sim.loaded_paths:
        return []
    info = json.loads(manifest.read_text())
    names = []
    for entry in info["mechanisms"]:
        module_file = stable_module_file(manifest.parent / entry["module_file"])
        module = import_generated(module_file, entry["module"])
        mtype = MechanismType(module)
        simulator.sim.register_mechanism(mtype, entry["source"])
        names.append(mtype.name)
    simulator.sim.loaded_paths.add(key)
    return names


def load_mechanisms(path: str | Path, warn_if_already_loaded: bool = True) -> bool:
    """Load a folder compiled by ``pyneuro-nrnivmodl``; raises FileNotFoundError if none."""
    manifest = find_manifest(path)
    if manifest is None:
        raise FileNotFoundError(
            f"no mechanisms compiled by pyneuro-nrnivmodl in {path} "
            f"(looked for {arch_dir_name()}/{MANIFEST}); run pyneuro-nrnivmodl there first"
        )
    if str(manifest.resolve()) in simulator.sim.loaded_paths:
        if warn_if_already_loaded:
            log.warning("Mechanisms already loaded from path: %s", path)
        return True
    load_manifest(manifest)
    return True


def autoload_cwd() -> None:
    manifest = Path.cwd() / arch_dir_name() / MANIFEST
    if manifest.is_file():
        load_manifest(manifest)


def override_mechanism(replacement: str | Path | Any) -> str:
    """Replace a mechanism pyneuro refused (C in VERBATIM) by a port of it, under its name.

    ``replacement`` is a ``.mod`` file (the C rewritten in NMODL, same SUFFIX or
    POINT_PROCESS name) or a Python module following the compiled-mechanism contract of
    docs/mechanism-abi.md (``METADATA`` and Numba kernels, written by hand). Returns the name.
    """
    from types import ModuleType

    from .mechanism import MechanismType

    if isinstance(replacement, ModuleType):
        module, source = replacement, getattr(replacement, "__file__", repr(replacement))
    else:
        from .mechcache import load_mod_file

        module, source = load_mod_file(replacement), str(replacement)
    mtype = MechanismType(module)
    if mtype.refused:
        raise RuntimeError(f"the replacement for {mtype.name} is refused too: {mtype.refused}")
    simulator.sim.override_mechanism(mtype, source)
    return mtype.name
