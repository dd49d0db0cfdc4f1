"""Shared helpers for the NMODL compiler tests."""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
MECHANISMS = REPO / "mechanisms"
_counter = itertools.count()


def wheel_mod_files() -> list[Path]:
    """Every .mod file shipped in the installed neuron package (located at run time)."""
    try:
        import neuron
    except ImportError:  # pragma: no cover - neuron is a test dependency
        return []
    root = Path(os.path.dirname(neuron.__file__))
    return sorted(p for p in root.rglob("*.mod"))


def load_module(source: str, directory: Path):
    """Write generated source to a file and import it under a unique registered name."""
    name = f"_nmodl_test_mod_{os.getpid()}_{next(_counter)}"
    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class OneNode:
    """Arrays of the kernel ABI for n instances on one node."""

    def __init__(self, metadata: dict, n: int = 1, v: float = -65.0, celsius: float = 6.3):
        self.meta = metadata
        self.n = n
        self.ni = np.zeros(n, dtype=np.int64)
        self.nd = np.zeros((5, 1))
        self.nd[0, 0] = v
        self.nd[3, 0] = 100.0
        self.nd[4, 0] = 500.0
        self.sc = np.array([0.0, 0.025, celsius, 0.0, 0.0, 0.0, 0.0, 0.0])
        rows = sum(r.get("size", 1) for r in metadata["range"])
        self.data = np.zeros((rows, n))
        k = 0
        for r in metadata["range"]:
            for _ in range(r.get("size", 1)):
                self.data[k, :] = r["default"]
                k += 1
        self.gl = np.array(
            [g["default"] for g in metadata["globals"] for _ in range(g.get("size", 1))],
            dtype=float,
        )
        self.tab = np.zeros(metadata["table_size"])
        nions = max(len(metadata["ions"]), 1)
        self.ions = np.zeros((nions, 5, 1))
        self.ion_slot = np.arange(len(metadata["ions"]), dtype=np.int64)

    def row(self, name: str) -> int:
        k = 0
        for r in self.meta["range"]:
            if r["name"] == name:
                return k
            k += r.get("size", 1)
        raise KeyError(name)

    def glob(self, name: str) -> int:
        k = 0
        for g in self.meta["globals"]:
            if g["name"] == name:
                return k
            k += g.get("size", 1)
        raise KeyError(name)

    def args(self):
        return (
            self.n,
            self.ni,
            self.nd,
            self.sc,
            self.data,
            self.gl,
            self.tab,
            self.ions,
            self.ion_slot,
        )
