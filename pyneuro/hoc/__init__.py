"""A HOC interpreter driving pyneuro's objects: ``n("...")``, ``n.load_file("x.hoc")``.

`lexer` (tokens) -> `parser` (syntax tree, `ast`) -> `interp` (runs it). See `interp` for
how names are resolved and docs/differences.md for what is not there yet.
"""

from __future__ import annotations

from .interp import HocObject, Interpreter, StrVar, Template, interpreter
from .lexer import HocError

__all__ = ["HocError", "HocObject", "Interpreter", "StrVar", "Template", "interpreter"]
