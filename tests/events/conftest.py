"""The events tests share the NEURON-vs-pyneuro harness of the NMODL language tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "nmodl_lang"))
