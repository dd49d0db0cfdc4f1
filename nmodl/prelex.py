"""Pre-lexer: strips comments and lifts COMMENT, VERBATIM and TITLE text out of NMODL source.

The cleaned text has exactly the same length and line structure as the input (removed
characters become spaces), so every position the parser reports is a position in the
user's file. VERBATIM blocks keep their opening keyword in place; the parser turns that
keyword into a statement that refers to the lifted text by its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Location, NmodlError

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?")
_ONTOLOGY = re.compile(r"REPRESENTS(\s+)(\[?[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_]*\]?)")


@dataclass(frozen=True)
class Verbatim:
    """A VERBATIM ... ENDVERBATIM block: its C text and where its keyword starts."""

    text: str
    line: int
    column: int
    end_line: int


@dataclass
class PrelexResult:
    """The cleaned text plus what was lifted out of it."""

    text: str
    title: str | None = None
    comments: list[str] = field(default_factory=list)
    verbatims: dict[tuple[int, int], Verbatim] = field(default_factory=dict)


def _blank(chars: list[str], start: int, end: int) -> None:
    for k in range(start, end):
        if chars[k] != "\n":
            chars[k] = " "


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


_STOICH = re.compile(r"(?:(?<=[~+>])|(?<=<->))([ \t]*\d+)([ \t]+)(?=[A-Za-z])")


def _mark_stoichiometry(text: str, chars: list[str], start: int) -> None:
    """In a reaction line, turn ``2 ca`` into ``2*ca`` so the side parses as an expression."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for m in _STOICH.finditer(text, start, end):
        chars[m.start(2)] = "*"


def prelex(text: str, filename: str = "<string>") -> PrelexResult:
    """Remove comments and lift COMMENT/VERBATIM/TITLE blocks, keeping every position.

    Args:
        text: NMODL source (any line endings).
        filename: used in error messages.

    Returns:
        The cleaned text (same length as ``text`` after CR removal) and the lifted parts.
    """
    text = text.replace("\r", " ")
    chars = list(text)
    result = PrelexResult(text="")
    protected: set[int] = set()
    for m in _ONTOLOGY.finditer(text):
        protected.update(range(m.start(2), m.end(2)))
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == '"':
            j = text.find('"', i + 1)
            nl = text.find("\n", i + 1)
            if j < 0 or (0 <= nl < j):
                line, col = _line_col(text, i)
                raise NmodlError(
                    "unterminated string",
                    Location(filename, line, col),
                    text.splitlines()[line - 1],
                )
            i = j + 1
            continue
        if (c == ":" or c == "?") and i not in protected:
            j = text.find("\n", i)
            j = n if j < 0 else j
            result.comments.append(text[i + 1 : j])
            _blank(chars, i, j)
            i = j
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _NUMBER.match(text, i)
            i = m.end() if m else i + 1
            continue
        if c.isalpha() or c == "_":
            m = _WORD.match(text, i)
            assert m is not None
            word = m.group(0)
            if word == "COMMENT":
                end = re.compile(r"\bENDCOMMENT\b").search(text, m.end())
                if end is None:
                    line, col = _line_col(text, i)
                    raise NmodlError(
                        "COMMENT without ENDCOMMENT",
                        Location(filename, line, col),
                        text.splitlines()[line - 1],
                    )
                result.comments.append(text[m.end() : end.start()])
                _blank(chars, i, end.end())
                i = end.end()
                continue
            if word == "VERBATIM":
                end = re.compile(r"\bENDVERBATIM\b").search(text, m.end())
                line, col = _line_col(text, i)
                if end is None:
                    raise NmodlError(
                        "VERBATIM without ENDVERBATIM",
                        Location(filename, line, col),
                        text.splitlines()[line - 1],
                    )
                end_line, _ = _line_col(text, end.start())
                result.verbatims[(line, col)] = Verbatim(
                    text[m.end() : end.start()], line, col, end_line
                )
                _blank(chars, m.end(), end.end())
                i = end.end()
                continue
            if word == "TITLE":
                j = text.find("\n", i)
                j = n if j < 0 else j
                if result.title is None:
                    result.title = text[m.end() : j].strip()
                _blank(chars, i, j)
                i = j
                continue
            if word in ("IF", "ELSE", "WHILE"):
                # nocmodl's lexer accepts the upper-case spellings of these three keywords.
                chars[i : m.end()] = list(word.lower())
            i = m.end()
            continue
        if c == "~":
            _mark_stoichiometry(text, chars, i)
        i += 1
    result.text = "".join(chars)
    return result
