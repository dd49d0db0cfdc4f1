"""Errors raised by the NMODL compiler: user mistakes with a source location, and refusals.

`NmodlError` is a mistake in the `.mod` text. Its ``str()`` is one screen::

    hh.mod:12:5: undefined variable 'gnabr'
        gna = gnabr*m*m*m*h
              ^

`UnsupportedConstruct` is valid NMODL that this compiler does not handle yet; it names the
construct. `InternalCompilerError` is a bug in the compiler itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A position in a source file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class NmodlError(Exception):
    """A mistake in NMODL source text, with the location it was found at."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.source_line = source_line

    @property
    def file(self) -> str | None:
        return self.location.file if self.location else None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.column if self.location else None

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        text = f"{self.location}: {self.message}"
        if self.source_line is not None:
            line = self.source_line.rstrip("\r\n").expandtabs(1)
            caret = " " * max(self.location.column - 1, 0) + "^"
            text += f"\n    {line}\n    {caret}"
        return text


class UnsupportedConstruct(NmodlError):
    """Valid NMODL that this compiler cannot translate (yet). The message names the construct."""

    def __init__(
        self,
        construct: str,
        location: Location | None = None,
        source_line: str | None = None,
    ) -> None:
        super().__init__(construct, location, source_line)
        self.construct = construct


class InternalCompilerError(Exception):
    """A bug in the compiler, not in the user's file."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} (this is a bug in pyneuro's NMODL compiler, please report it)")
