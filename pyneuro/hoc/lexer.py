"""HOC tokens: names, numbers, strings, ``$`` arguments, operators and significant newlines.

HOC ends a statement at a newline (or ``;``), except inside parentheses or brackets and after
a backslash; comments are ``//`` to the end of the line and ``/* ... */``. Every token keeps
its line and column so that errors can point at the source, as `HocError` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class HocError(Exception):
    """A HOC error with file:line:col, the source line and a caret (or a runtime error)."""

    def __init__(
        self, message: str, filename: str = "", line: int = 0, col: int = 0, source: str = ""
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        text = message
        if line:
            where = f"{filename or '<hoc>'}:{line}:{col}: "
            text = where + message
            lines = source.split("\n")
            if 0 < line <= len(lines):
                src = lines[line - 1].rstrip()
                text += f"\n    {src}\n    {' ' * max(col - 1, 0)}^"
        super().__init__(text)


@dataclass(frozen=True)
class Token:
    kind: str  # name number string arg op newline eof
    value: str
    line: int
    col: int


_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\f]+)
  | (?P<cont>\\[ \t]*\n)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<newline>\n|;)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<arg>\$(?:&|s|o|i)?(?:\d+|[A-Za-z_]\w*))
  | (?P<name>[A-Za-z_]\w*)
  | (?P<op>\+=|-=|\*=|/=|==|!=|<=|>=|&&|\|\||[-+*/%^=<>!(){}\[\],.:&])
    """,
    re.S | re.X,
)


def tokenize(text: str, filename: str = "") -> list[Token]:
    """The tokens of ``text``; newlines inside () and [] are dropped."""
    out: list[Token] = []
    pos = 0
    line = 1
    line_start = 0
    depth = 0
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            col = pos - line_start + 1
            raise HocError(f"unexpected character {text[pos]!r}", filename, line, col, text)
        kind = m.lastgroup or ""
        value = m.group(0)
        col = pos - line_start + 1
        if kind == "newline":
            if depth == 0:
                out.append(Token("newline", value, line, col))
            elif value == ";":  # for (i = 0; i < n; i += 1)
                out.append(Token("op", ";", line, col))
        elif kind == "op":
            if value in "([":
                depth += 1
            elif value in ")]":
                depth = max(depth - 1, 0)
            out.append(Token("op", value, line, col))
        elif kind in ("number", "string", "arg", "name"):
            out.append(Token(kind, value, line, col))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = pos + value.rfind("\n") + 1
        pos = m.end()
    out.append(Token("newline", "\n", line, pos - line_start + 1))
    out.append(Token("eof", "", line, pos - line_start + 1))
    return out


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "0": "\0"}


def unescape(literal: str) -> str:
    """The value of a HOC string literal (C escapes)."""
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)
