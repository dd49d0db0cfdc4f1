"""pyneuro: a NEURON-compatible simulator of biophysically detailed neurons, in Python.

``from pyneuro import n`` replaces ``from neuron import n``. Importing loads the built-in
mechanisms (``mechanisms/*.mod``, compiled by our NMODL compiler and cached on disk) and, as
NEURON does, any mechanisms compiled by ``pyneuro-nrnivmodl`` in the current directory.
"""

from __future__ import annotations

from . import units
from .mechloader import autoload_cwd, load_builtins, load_mechanisms, override_mechanism
from .namespace import h, n

__version__ = "0.1.0"
__all__ = ["n", "h", "units", "load_mechanisms", "override_mechanism", "__version__"]

load_builtins()
autoload_cwd()
