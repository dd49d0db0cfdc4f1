"""NMODL compiler: .mod text -> metadata + a generated Numba module (docs/mechanism-abi.md).

Public API::

    compile_file(path) -> CompiledMechanism(metadata, source)
    compile_text(text, filename="<string>") -> CompiledMechanism
    parse_file(path) / parse_text(text, filename) -> nmodl.ast.Program
"""

from .compiler import VERSION as __version__
from .compiler import CompiledMechanism, compile_file, compile_text
from .errors import NmodlError, UnsupportedConstruct
from .parser import include_dependencies, parse_file, parse_text

__all__ = [
    "CompiledMechanism",
    "NmodlError",
    "UnsupportedConstruct",
    "compile_file",
    "compile_text",
    "include_dependencies",
    "parse_file",
    "parse_text",
    "__version__",
]
