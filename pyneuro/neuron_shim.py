"""A ``neuron`` module answered by pyneuro, so that NEURON scripts run unchanged.

`install` puts a module named ``neuron`` (with ``neuron.units`` and a no-op ``neuron.gui``)
into ``sys.modules``; afterwards ``from neuron import n``, ``from neuron import h, gui``,
``import neuron; neuron.h.X`` and ``from neuron.units import ms`` all reach pyneuro.
``python -m pyneuro script.py`` installs it before running the script.
"""

from __future__ import annotations

import sys
import types

NEURON_VERSION = "9.0.2"  # the NEURON release whose behaviour pyneuro follows


def _missing(name: str) -> types.FunctionType:
    def __getattr__(attr: str):  # noqa: N807 (module __getattr__, PEP 562)
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise AttributeError(
            f"module '{name}' has no attribute '{attr}': pyneuro does not provide "
            f"neuron.{attr} (its 'neuron' module is a compatibility shim)"
        )

    return __getattr__


def build() -> dict[str, types.ModuleType]:
    """The shim modules, by their names in ``sys.modules``."""
    import pyneuro

    mod = types.ModuleType("neuron", "pyneuro answering for NEURON (see pyneuro.neuron_shim).")
    mod.__path__ = []  # a package, so that ``import neuron.units`` finds the entry below
    mod.n = mod.h = pyneuro.n
    mod.load_mechanisms = pyneuro.load_mechanisms
    mod.units = pyneuro.units
    mod.__version__ = NEURON_VERSION
    mod.__pyneuro_version__ = pyneuro.__version__
    mod.__getattr__ = _missing("neuron")
    gui = types.ModuleType("neuron.gui", "No graphics in pyneuro: importing it does nothing.")
    mod.gui = gui
    return {"neuron": mod, "neuron.units": pyneuro.units, "neuron.gui": gui}


def install() -> types.ModuleType:
    """Make ``import neuron`` give pyneuro (replacing a real NEURON already imported)."""
    modules = build()
    sys.modules.update(modules)
    return modules["neuron"]
