"""NMODL compiler: .mod text -> metadata + generated Numba module (see docs/mechanism-abi.md)."""

from .parser import parse_file, parse_text

__version__ = "0.1.0"

__all__ = ["parse_file", "parse_text", "__version__"]
