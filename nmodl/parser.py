"""NMODL text -> AST: pre-lexing, the Lark LALR parser (built once), friendly syntax errors."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import ast
from .errors import Location, NmodlError
from .prelex import PrelexResult, prelex

_GRAMMAR = Path(__file__).with_name("grammar.lark")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        _GRAMMAR.read_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        cache=False,
        start=["start", "expr"],
    )


def read_source(path: str | Path) -> str:
    """Read a .mod file: UTF-8, falling back to Latin-1 (old files)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_text(text: str, filename: str = "<string>", _depth: int = 0) -> ast.Program:
    """Parse NMODL source text into an `ast.Program`.

    ``INCLUDE "file"`` is resolved as nocmodl does (the including file's folder, then the
    current folder, then the folders of ``$MODL_INCLUDE``) and the included file's blocks take
    the INCLUDE's place in ``Program.items``.

    Raises:
        NmodlError: on a syntax error, with file, line, column and a caret, or an INCLUDE
            that cannot be found.
    """
    pre = prelex(text, filename)
    try:
        tree = _parser().parse(pre.text, start="start")
    except UnexpectedInput as exc:
        raise _syntax_error(exc, pre, text, filename) from None
    builder = _Builder(pre, text, filename)
    raw_items = builder.transform(tree)
    tokens = sorted(
        ((t.line or 0, t.column or 0), str(t))
        for t in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME")
    )
    items: list[ast.Node] = []
    origins: list[int] = []
    files: list[tuple[str, str]] = [(filename, text)]
    includes: list[str] = []
    names: list[str] = []
    events: list[tuple[tuple[int, int], int, object]] = [(pos, 1, name) for pos, name in tokens]
    for item in raw_items:
        if isinstance(item, ast.Include):
            sub = _include(item, filename, text, _depth)
            base = len(files)
            files.extend(sub.files)
            items.extend(sub.items)
            origins.extend(base + k for k in sub.origins)
            includes.append(sub.filename)
            includes.extend(sub.includes)
            events.append(((item.line, item.col), 0, sub))
        else:
            items.append(item)
            origins.append(0)
    for _pos, _kind, what in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(what, ast.Program):
            names.extend(what.names)
        else:
            names.append(str(what))
    return ast.Program(
        items=tuple(items),
        filename=filename,
        title=pre.title,
        source=text,
        names=tuple(dict.fromkeys(names)),
        includes=tuple(includes),
        files=tuple(files),
        origins=tuple(origins),
        line=1,
        col=1,
    )


def include_candidates(name: str, including_file: str) -> list[Path]:
    """Where nocmodl looks for ``INCLUDE "name"``, in order."""
    p = Path(name)
    if p.is_absolute():
        return [p]
    out = []
    if including_file and not including_file.startswith("<"):
        out.append(Path(including_file).resolve().parent / p)
    out.append(Path.cwd() / p)
    for d in os.environ.get("MODL_INCLUDE", "").split(":"):
        if d:
            out.append(Path(d) / p)
    return out


def _include(item: ast.Include, filename: str, text: str, depth: int) -> ast.Program:
    lines = text.replace("\r", " ").split("\n")
    src = lines[item.line - 1] if 0 < item.line <= len(lines) else None
    if depth > 20:
        raise NmodlError(
            f'INCLUDE "{item.path}" nests too deeply (an include cycle?)',
            Location(filename, item.line, item.col),
            src,
        )
    for cand in include_candidates(item.path, filename):
        if cand.is_file():
            return parse_text(read_source(cand), str(cand.resolve()), depth + 1)
    raise NmodlError(
        f'cannot find INCLUDE "{item.path}" (looked beside the file, in the current folder '
        "and in $MODL_INCLUDE)",
        Location(filename, item.line, item.col),
        src,
    )


_INCLUDE_RE = re.compile(r'\bINCLUDE\s+"([^"\n]+)"')


def include_dependencies(path: str | Path) -> list[Path]:
    """Files a .mod file INCLUDEs, recursively (a quick text scan, for cache keys)."""
    out: list[Path] = []
    todo = [Path(path).resolve()]
    while todo:
        current = todo.pop()
        try:
            text = read_source(current)
        except OSError:
            continue
        for name in _INCLUDE_RE.findall(text):
            for cand in include_candidates(name, str(current)):
                if cand.is_file():
                    cand = cand.resolve()
                    if cand not in out and len(out) < 100:
                        out.append(cand)
                        todo.append(cand)
                    break
    return out


def parse_expression(text: str, filename: str = "<expression>") -> ast.Expr:
    """Parse one NMODL expression (used to rebuild nocmodl's textual rate expressions)."""
    pre = prelex(text, filename)
    try:
        tree = _parser().parse(pre.text, start="expr")
    except UnexpectedInput as exc:
        raise _syntax_error(exc, pre, text, filename) from None
    return _Builder(pre, text, filename).transform(tree)


def parse_file(path: str | Path) -> ast.Program:
    """Parse a .mod file into an `ast.Program` (see `parse_text`)."""
    return parse_text(read_source(path), str(path))


# ------------------------------------------------------------------ syntax errors

_TOKEN_NAMES = {
    "NAME": "a name",
    "NUMBER": "a number",
    "UNIT": "a unit such as (mV)",
    "STRING": "a string",
    "PRIME_NAME": "a derivative x'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "EQUAL": "'='",
    "COMMA": "','",
    "SEMICOLON": "';'",
    "TILDE": "'~'",
    "$END": "end of file",
}


def _describe(tok_type: str, value: str | None = None) -> str:
    if tok_type in _TOKEN_NAMES:
        if value and tok_type in ("NAME", "NUMBER", "UNIT", "PRIME_NAME"):
            return f"{_TOKEN_NAMES[tok_type]} '{value}'"
        return _TOKEN_NAMES[tok_type]
    if value:
        return f"'{value}'"
    return tok_type


def _unclosed_brace(clean: str) -> tuple[int, int] | None:
    stack: list[int] = []
    in_str = False
    for k, c in enumerate(clean):
        if c == '"':
            in_str = not in_str
        elif in_str:
            continue
        elif c == "{":
            stack.append(k)
        elif c == "}" and stack:
            stack.pop()
    if not stack:
        return None
    pos = stack[-1]
    line = clean.count("\n", 0, pos) + 1
    col = pos - (clean.rfind("\n", 0, pos) + 1) + 1
    return line, col


_TOP_KEYWORDS = {"NEURON", "PARAMETER", "ASSIGNED", "STATE", "BREAKPOINT", "INITIAL", "UNITS"}


def _syntax_error(exc: UnexpectedInput, pre: PrelexResult, text: str, filename: str) -> NmodlError:
    lines = text.replace("\r", " ").split("\n")

    def err(message: str, line: int, col: int) -> NmodlError:
        src = lines[line - 1] if 0 < line <= len(lines) else None
        return NmodlError(message, Location(filename, line, col), src)

    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        brace = _unclosed_brace(pre.text)
        if brace is not None:
            return err("unclosed '{': no matching '}' before the end of the file", *brace)
        last = len(lines)
        return err("unexpected end of file", last, max(len(lines[-1]), 1))
    if isinstance(exc, UnexpectedCharacters):
        ch = pre.text[exc.pos_in_stream] if exc.pos_in_stream < len(pre.text) else "?"
        if ch == "(":
            msg = "unexpected '(' here (a unit or parenthesis is not allowed at this point)"
        else:
            msg = f"unexpected character '{ch}'"
        return err(msg, exc.line, exc.column)
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    expected = set(exc.expected)
    line, col = tok.line, tok.column
    got = _describe(tok.type, str(tok))
    if tok.type == "NAME" and _TOP_KEYWORDS <= expected:
        return err(
            f"unknown block '{tok}' (expected a block such as NEURON, PARAMETER, ...)", line, col
        )
    if "RPAR" in expected and tok.type in ("RBRACE", "LBRACE"):
        return err(f"missing ')' before {got}", line, col)
    if tok.type == "RBRACE" and _TOP_KEYWORDS <= expected:
        return err("unexpected '}': no block is open here", line, col)
    if expected == {"EQUAL"} or (
        "EQUAL" in expected and "LPAR" in expected and tok.type not in ("EQUAL", "LPAR")
    ):
        return err(
            f"unexpected {got} after a name: expected '=' (assignment) or '(' (call)", line, col
        )
    if "RPAR" in expected and tok.type in ("NAME", "NUMBER", "LBRACE", "RBRACE"):
        return err(f"missing ')' before {got}", line, col)
    names = sorted(_describe(e) for e in expected if not e.startswith("__"))
    if len(names) <= 6:
        return err(f"unexpected {got}; expected {' or '.join(names)}", line, col)
    return err(f"unexpected {got}", line, col)


# ------------------------------------------------------------------ tree -> AST


def _pos(item: Any) -> dict[str, int]:
    if isinstance(item, Token):
        return {"line": item.line or 0, "col": item.column or 0}
    if isinstance(item, ast.Node):
        return {"line": item.line, "col": item.col}
    meta = getattr(item, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return {"line": meta.line, "col": meta.column}
    return {"line": 0, "col": 0}


def _mpos(meta: Any) -> dict[str, int]:
    if meta is None or getattr(meta, "empty", True):
        return {"line": 0, "col": 0}
    return {"line": meta.line, "col": meta.column}


def _ident(tok: Token) -> ast.Ident:
    return ast.Ident(str(tok), **_pos(tok))


@v_args(meta=True)
class _Builder(Transformer):
    """Turns Lark's parse tree into `nmodl.ast` nodes."""

    def __init__(self, pre: PrelexResult, text: str, filename: str) -> None:
        super().__init__()
        self.pre = pre
        self.text = text
        self.filename = filename

    def _error(self, message: str, pos: dict[str, int]) -> NmodlError:
        lines = self.text.split("\n")
        line = pos["line"]
        src = lines[line - 1] if 0 < line <= len(lines) else None
        return NmodlError(message, Location(self.filename, line, pos["col"]), src)

    # -- program
    def start(self, meta, items):
        return list(items)

    # -- NEURON block
    def neuron_block(self, meta, items):
        return ast.NeuronBlock(tuple(i for i in items if isinstance(i, ast.Node)), **_mpos(meta))

    def suffix_kind(self, meta, items):
        return items[0]

    def suffix(self, meta, items):
        kind, name = items
        return ast.NeuronStmt(str(kind), (_ident(name),), **_pos(kind))

    def namelist(self, meta, items):
        return tuple(_ident(t) for t in items)

    def _nrn(kind):  # noqa: N805 - helper building methods
        def method(self, meta, items):
            names = items[0] if items else ()
            return ast.NeuronStmt(kind, names, **_mpos(meta))

        return method

    range_stmt = _nrn("RANGE")
    global_stmt = _nrn("GLOBAL")
    pointer_stmt = _nrn("POINTER")
    bbcorepointer_stmt = _nrn("BBCOREPOINTER")
    external_stmt = _nrn("EXTERNAL")
    nonspecific_stmt = _nrn("NONSPECIFIC_CURRENT")
    electrode_stmt = _nrn("ELECTRODE_CURRENT")
    threadsafe_stmt = _nrn("THREADSAFE")
    random_stmt = _nrn("RANDOM")

    def represents_stmt(self, meta, items):
        return ast.NeuronStmt("REPRESENTS", (_ident(items[0]),), **_mpos(meta))

    def useion_read(self, meta, items):
        return ("read", items[0])

    def useion_write(self, meta, items):
        return ("write", items[0])

    def valence(self, meta, items):
        return ("valence", items[0])

    def useion(self, meta, items):
        ion = items[0]
        read: tuple = ()
        write: tuple = ()
        valence = None
        for it in items[1:]:
            if isinstance(it, tuple) and it[0] == "read":
                read = it[1]
            elif isinstance(it, tuple) and it[0] == "write":
                write = it[1]
            elif isinstance(it, tuple) and it[0] == "valence":
                valence = it[1]
        return ast.UseIon(str(ion), read, write, valence, **_mpos(meta))

    # -- UNITS
    def units_block(self, meta, items):
        return ast.UnitsBlock(tuple(i for i in items if isinstance(i, ast.UnitDef)), **_mpos(meta))

    def unit_alias(self, meta, items):
        return ast.UnitDef(
            "alias", str(items[0])[1:-1].strip(), str(items[1])[1:-1], None, None, **_mpos(meta)
        )

    def unit_factor(self, meta, items):
        return ast.UnitDef(
            "factor", str(items[0]), str(items[1])[1:-1], str(items[2])[1:-1], None, **_mpos(meta)
        )

    def unit_convert(self, meta, items):
        return ast.UnitDef(
            "convert", str(items[0]), str(items[1])[1:-1], str(items[3])[1:-1], None, **_mpos(meta)
        )

    def unit_constant(self, meta, items):
        return ast.UnitDef(
            "constant", str(items[0]), str(items[2])[1:-1], None, items[1], **_mpos(meta)
        )

    # -- declarations
    def signed_number(self, meta, items):
        if len(items) == 2:
            v = float(items[1])
            return -v if str(items[0]) == "-" else v
        return float(items[0])

    def array_dim(self, meta, items):
        tok = items[0]
        if tok.type == "NUMBER":
            return ("size", int(float(tok)))
        return ("size", str(tok))

    def limits(self, meta, items):
        return ("limits", tuple(items))

    def from_to(self, meta, items):
        return ("from_to", tuple(items))

    def start_value(self, meta, items):
        return ("start", items[0])

    def _decl(self, meta, items):
        name = items[0]
        kw: dict[str, Any] = {}
        for it in items[1:]:
            if isinstance(it, tuple):
                if it[0] == "size":
                    kw["size"] = it[1]
                elif it[0] == "limits":
                    kw["limits"] = it[1]
                elif it[0] == "start":
                    kw["start"] = it[1]
            elif isinstance(it, Token) and it.type == "UNIT":
                kw["unit"] = str(it)[1:-1].strip()
            elif isinstance(it, float):
                kw["value"] = it
        return ast.VarDecl(str(name), **kw, **_pos(name))

    param_decl = _decl
    var_decl = _decl
    const_decl = _decl

    def indep_decl(self, meta, items):
        name = next(i for i in items if isinstance(i, Token) and i.type == "NAME")
        return ast.VarDecl(str(name), **_pos(name))

    def _declblock(kind):  # noqa: N805
        def method(self, meta, items):
            decls = tuple(i for i in items if isinstance(i, ast.VarDecl))
            return ast.DeclBlock(kind, decls, **_mpos(meta))

        return method

    parameter_block = _declblock("PARAMETER")
    assigned_block = _declblock("ASSIGNED")
    state_block = _declblock("STATE")
    constant_block = _declblock("CONSTANT")
    independent_block = _declblock("INDEPENDENT")

    def define(self, meta, items):
        return ast.Define(str(items[0]), int(float(items[1])), **_mpos(meta))

    def include(self, meta, items):
        return ast.Include(str(items[1 if len(items) > 1 else 0])[1:-1], **_mpos(meta))

    # -- code blocks
    def param(self, meta, items):
        unit = str(items[1])[1:-1].strip() if len(items) > 1 else None
        return ast.Param(str(items[0]), unit, **_pos(items[0]))

    def params(self, meta, items):
        return tuple(items)

    def block(self, meta, items):
        # an INITIAL block (a CodeBlock) is a statement inside NET_RECEIVE
        stmts = tuple(i for i in items if isinstance(i, (ast.Stmt, ast.CodeBlock)))
        return ast.Block(stmts, **_mpos(meta))

    def _split(self, items):
        name = None
        params: tuple = ()
        unit = None
        body = None
        solvefor: tuple = ()
        for it in items:
            if isinstance(it, Token) and it.type == "NAME" and name is None:
                name = str(it)
            elif isinstance(it, Token) and it.type == "UNIT":
                unit = str(it)[1:-1].strip()
            elif isinstance(it, ast.Block):
                body = it
            elif isinstance(it, tuple) and it and isinstance(it[0], ast.Param):
                params = it
            elif isinstance(it, tuple) and it and it[0] == "solvefor":
                solvefor = it[1]
        return name, params, unit, body, solvefor

    def solvefor(self, meta, items):
        return ("solvefor", tuple(i.name for i in items[0]))

    def _code(kind):  # noqa: N805
        def method(self, meta, items):
            name, params, unit, body, solvefor = self._split(items)
            return ast.CodeBlock(kind, name, body, params, unit, solvefor, **_mpos(meta))

        return method

    initial_block = _code("INITIAL")
    breakpoint_block = _code("BREAKPOINT")
    derivative_block = _code("DERIVATIVE")
    kinetic_block = _code("KINETIC")
    linear_block = _code("LINEAR")
    nonlinear_block = _code("NONLINEAR")
    discrete_block = _code("DISCRETE")
    partial_block = _code("PARTIAL")
    procedure_block = _code("PROCEDURE")
    function_block = _code("FUNCTION")
    net_receive_block = _code("NET_RECEIVE")
    constructor_block = _code("CONSTRUCTOR")
    destructor_block = _code("DESTRUCTOR")

    def ba_when(self, meta, items):
        return str(items[0])

    def _ba(kind):  # noqa: N805
        def method(self, meta, items):
            return ast.CodeBlock(kind, items[0], items[1], **_mpos(meta))

        return method

    before_block = _ba("BEFORE")
    after_block = _ba("AFTER")

    def function_table_block(self, meta, items):
        name, params, unit, _, _ = self._split(items)
        return ast.FunctionTable(name, params, unit, **_mpos(meta))

    # -- statements
    def local_var(self, meta, items):
        size = items[1][1] if len(items) > 1 else None
        return ast.LocalVar(str(items[0]), size, **_pos(items[0]))

    def local_stmt(self, meta, items):
        return ast.Local(tuple(items), **_mpos(meta))

    def assign(self, meta, items):
        return ast.Assign(items[0], items[1], **_mpos(meta))

    def call_stmt(self, meta, items):
        return ast.ExprStmt(items[0], **_mpos(meta))

    def if_stmt(self, meta, items):
        orelse = items[2] if len(items) > 2 else None
        return ast.If(items[0], items[1], orelse, **_mpos(meta))

    def from_stmt(self, meta, items):
        var = items[0]
        if len(items) == 5:
            return ast.From(str(var), items[1], items[2], items[3], items[4], **_mpos(meta))
        return ast.From(str(var), items[1], items[2], None, items[3], **_mpos(meta))

    def while_stmt(self, meta, items):
        return ast.While(items[0], items[1], **_mpos(meta))

    def solve_kind(self, meta, items):
        return items[0]

    def solve_stmt(self, meta, items):
        if len(items) == 3:
            m = items[2]
            return ast.Solve(str(items[0]), str(items[1]), str(m), m.line, m.column, **_mpos(meta))
        return ast.Solve(str(items[0]), **_mpos(meta))

    def table_names(self, meta, items):
        return ("names", items[0])

    def table_depend(self, meta, items):
        return ("depend", items[0])

    def table_stmt(self, meta, items):
        names: tuple = ()
        depend: tuple = ()
        exprs = []
        n = 0
        for it in items:
            if isinstance(it, tuple) and it[0] == "names":
                names = it[1]
            elif isinstance(it, tuple) and it[0] == "depend":
                depend = it[1]
            elif isinstance(it, ast.Expr):
                exprs.append(it)
            elif isinstance(it, Token) and it.type == "NUMBER":
                n = int(float(it))
        return ast.Table(names, depend, exprs[0], exprs[1], n, **_mpos(meta))

    def verbatim(self, meta, items):
        tok = items[0]
        v = self.pre.verbatims.get((tok.line, tok.column))
        return ast.Verbatim(v.text if v else "", **_pos(tok))

    def units_onoff(self, meta, items):
        return ast.UnitsSwitch(str(items[0]) == "UNITSON", **_mpos(meta))

    def react_term(self, meta, items):
        coef = 1
        if len(items) > 1:
            coef = int(float(items[0]))
        return ast.Species(coef, items[-1], **_mpos(meta))

    def react(self, meta, items):
        return tuple(i for i in items if isinstance(i, ast.Species))

    def _species(self, e: ast.Expr) -> tuple[ast.Species, ...]:
        """Reads a reaction side written as an expression: a + 2*b + c[i]."""
        if isinstance(e, ast.BinOp) and e.op == "+":
            return self._species(e.left) + self._species(e.right)
        if isinstance(e, ast.BinOp) and e.op == "*" and isinstance(e.left, ast.Number):
            coef = int(e.left.value)
            if coef == e.left.value and isinstance(e.right, (ast.Name, ast.Indexed)):
                return (ast.Species(coef, e.right, **_pos(e)),)
        if isinstance(e, (ast.Name, ast.Indexed)):
            return (ast.Species(1, e, **_pos(e)),)
        raise self._error("a reaction side must be a sum of species, e.g. 'A + 2 B'", _pos(e))

    def _rate_texts(self, meta) -> tuple[str, str]:
        """The source text of ``kf`` and ``kb`` in ``~ A <-> B (kf, kb)``: nocmodl builds its
        flux expressions by pasting this text, so its precedence is the text's."""
        clean = self.pre.text
        close = clean.rfind(")", 0, meta.end_pos)
        depth = 0
        k = close
        while k >= 0:
            if clean[k] == ")":
                depth += 1
            elif clean[k] == "(":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        inner = clean[k + 1 : close]
        depth = 0
        for j, c in enumerate(inner):
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "," and depth == 0:
                return inner[:j].strip(), inner[j + 1 :].strip()
        return inner.strip(), ""

    def reaction(self, meta, items):
        lhs, _op, rhs, kf, kb = items
        kf_text, kb_text = self._rate_texts(meta)
        return ast.Reaction(self._species(lhs), rhs, kf, kb, kf_text, kb_text, **_mpos(meta))

    def flux_reaction(self, meta, items):
        return ast.FluxReaction(items[0], items[2], **_mpos(meta))

    def annihilation(self, meta, items):
        return ast.Annihilation(self._species(items[0]), items[2], **_mpos(meta))

    def equation(self, meta, items):
        return ast.Equation(items[0], items[1], **_mpos(meta))

    def conserve(self, meta, items):
        return ast.Conserve(items[0], items[1], **_mpos(meta))

    def _compartment(self, items):
        index = None
        rest = list(items)
        if isinstance(rest[0], Token) and rest[0].type == "NAME":
            index = str(rest.pop(0))
        expr = rest.pop(0)
        return index, expr, tuple(_ident(t) for t in rest)

    def compartment(self, meta, items):
        return ast.Compartment(*self._compartment(items), **_mpos(meta))

    def longitudinal_diffusion(self, meta, items):
        return ast.LongitudinalDiffusion(*self._compartment(items), **_mpos(meta))

    def watch_item(self, meta, items):
        return ast.WatchItem(items[0], items[1], **_mpos(meta))

    def watch_stmt(self, meta, items):
        return ast.Watch(tuple(items), **_mpos(meta))

    def for_netcons(self, meta, items):
        params = items[0] if len(items) > 1 else ()
        return ast.ForNetcons(params, items[-1], **_mpos(meta))

    def protect(self, meta, items):
        return ast.Protect(items[0], **_mpos(meta))

    def mutexlock(self, meta, items):
        return ast.Mutex(True, **_mpos(meta))

    def mutexunlock(self, meta, items):
        return ast.Mutex(False, **_mpos(meta))

    def lag_stmt(self, meta, items):
        return ast.Lag(str(items[0]), str(items[1]), **_mpos(meta))

    def conductance_hint(self, meta, items):
        ion = str(items[1]) if len(items) > 1 else None
        return ast.ConductanceHint(str(items[0]), ion, **_mpos(meta))

    # -- expressions
    def number(self, meta, items):
        tok = items[0]
        unit = str(items[1])[1:-1].strip() if len(items) > 1 else None
        return ast.Number(float(tok), str(tok), unit, **_pos(tok))

    def varname(self, meta, items):
        tok = items[0]
        if tok.type == "PRIME_NAME":
            base = str(tok).rstrip("'")
            return ast.Prime(base, len(str(tok)) - len(base), **_pos(tok))
        return ast.Name(str(tok), **_pos(tok))

    def indexed(self, meta, items):
        return ast.Indexed(str(items[0]), items[1], **_pos(items[0]))

    def discrete_ref(self, meta, items):
        index = items[2] if len(items) > 2 else None
        return ast.DiscreteRef(str(items[0]), int(float(items[1])), index, **_pos(items[0]))

    def call(self, meta, items):
        return ast.Call(str(items[0]), tuple(items[1:]), **_pos(items[0]))

    def string(self, meta, items):
        return ast.String(str(items[0])[1:-1], **_pos(items[0]))

    def binop(self, meta, items):
        left, op, right = items
        return ast.BinOp(str(op), left, right, **_pos(left))

    def pow(self, meta, items):
        return ast.Pow(items[0], items[1], **_pos(items[0]))

    def neg(self, meta, items):
        return ast.Neg(items[0], **_mpos(meta))

    def not_(self, meta, items):
        return ast.Not(items[0], **_mpos(meta))

    def __default__(self, data, children, meta):  # pragma: no cover - grammar/builder mismatch
        return Tree(data, children, meta)
