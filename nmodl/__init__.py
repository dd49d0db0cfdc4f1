"""NMODL compiler: .mod text -> metadata + a generated Numba module (docs/mechanism-abi.md).

Public API::

    compile_file(path) -> CompiledMechanism(metadata, source)
    compile_text(text, filename="<string>") -> CompiledMechanism
    parse_file(path) / parse_text(text, filename) -> nmodl.ast.Program
"""

from importlib import import_module
from typing import Any

# The public names load lazily (PEP 562): a simulator that finds its compiled mechanisms in
# its cache never pays for importing the parser and the code generators.
_LAZY = {
    "__version__": ("compiler", "VERSION"),
    "CompiledMechanism": ("compiler", "CompiledMechanism"),
    "compile_file": ("compiler", "compile_file"),
    "compile_text": ("compiler", "compile_text"),
    "NmodlError": ("errors", "NmodlError"),
    "UnsupportedConstruct": ("errors", "UnsupportedConstruct"),
    "include_dependencies": ("parser", "include_dependencies"),
    "parse_file": ("parser", "parse_file"),
    "parse_text": ("parser", "parse_text"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(f"{__name__}.{module}"), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
