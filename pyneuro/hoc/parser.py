"""HOC parser: tokens to `pyneuro.hoc.ast` nodes (recursive descent, Pratt expressions).

Precedence as HOC's ``parse.ypp``: ``||`` < ``&&`` < comparisons < ``+ -`` < ``* / %`` < unary
``- !`` < ``^`` (right-associative, so ``-2^2`` is -4). A statement that starts with an
expression and is followed, on the same line, by another statement is a section-stack
statement (``soma insert hh``, ``dend[2] { nseg = 3 }``, ``soma connect a(0), 1``).
"""

from __future__ import annotations

from . import ast
from .lexer import HocError, Token, tokenize, unescape

_STATEMENT_KEYWORDS = {
    "if", "while", "for", "forall", "forsec", "ifsec", "return", "break", "continue", "stop",
    "proc", "func", "obfunc", "iterator", "local", "localobj", "strdef", "objref", "objectvar",
    "double", "create", "access", "connect", "insert", "uninsert", "begintemplate", "public",
    "external", "print", "iterator_statement",
}  # fmt: skip

_BINARY = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "^": 7,
}  # fmt: skip
_UNARY_POWER = 6
_ASSIGN = ("=", "+=", "-=", "*=", "/=")


class Parser:
    def __init__(self, text: str, filename: str = "") -> None:
        self.text = text
        self.filename = filename
        self.toks = tokenize(text, filename)
        self.pos = 0

    # ------------------------------------------------------------------ tokens
    @property
    def tok(self) -> Token:
        return self.toks[self.pos]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def next(self) -> Token:
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def error(self, message: str, tok: Token | None = None) -> HocError:
        t = tok or self.tok
        return HocError(message, self.filename, t.line, t.col, self.text)

    def is_op(self, value: str) -> bool:
        return self.tok.kind == "op" and self.tok.value == value

    def expect_op(self, value: str) -> Token:
        if not self.is_op(value):
            got = self.tok.value if self.tok.kind != "newline" else "end of line"
            raise self.error(f"expected '{value}', found '{got}'")
        return self.next()

    def expect_name(self) -> Token:
        if self.tok.kind != "name":
            raise self.error(f"expected a name, found '{self.tok.value}'")
        return self.next()

    def skip_newlines(self) -> None:
        while self.tok.kind == "newline":
            self.pos += 1

    def at(self, t: Token) -> dict[str, int]:
        return {"line": t.line, "col": t.col}

    # ------------------------------------------------------------------ program
    def program(self) -> list[ast.Node]:
        out: list[ast.Node] = []
        self.skip_newlines()
        while self.tok.kind != "eof":
            out.append(self.statement())
            self.end_statement()
        return out

    def end_statement(self) -> None:
        """HOC ends a statement at a newline, but a line may hold several statements
        (``stim.del = 1  stim.dur = 2``): the next one just starts."""
        if self.tok.kind in ("newline", "eof") or self.is_op("}"):
            self.skip_newlines()
            return
        if self.tok.kind in ("op",) and self.tok.value not in ("{", "-", "(", "!", "&"):
            raise self.error(f"unexpected '{self.tok.value}'")

    def block(self) -> ast.Block:
        start = self.expect_op("{")
        body: list[ast.Node] = []
        self.skip_newlines()
        while not self.is_op("}"):
            if self.tok.kind == "eof":
                raise self.error("missing '}'", start)
            body.append(self.statement())
            self.end_statement()
        self.next()
        return ast.Block(body, **self.at(start))

    def statement(self) -> ast.Node:
        t = self.tok
        if t.kind == "op" and t.value == "{":
            return self.block()
        if t.kind == "name" and t.value in _STATEMENT_KEYWORDS:
            return getattr(self, "stmt_" + t.value)()
        if t.kind == "name" and t.value == "endtemplate":
            raise self.error("endtemplate without begintemplate")
        expr = self.expression(allow_ramp=False)
        if self.tok.kind == "op" and self.tok.value in _ASSIGN:
            op = self.next().value
            value = self.expression(allow_ramp=True)
            return ast.Assign(expr, op, value, **self.at(t))
        if (self.tok.kind == "name" and self.tok.value != "else") or self.is_op("{"):
            return ast.SecStmt(expr, self.statement(), **self.at(t))
        return ast.ExprStmt(expr, **self.at(t))

    # ------------------------------------------------------------------ statements
    def stmt_if(self) -> ast.Node:
        t = self.next()
        self.expect_op("(")
        cond = self.expression()
        self.expect_op(")")
        self.skip_newlines()
        then = self.statement()
        save = self.pos
        self.skip_newlines()
        orelse = None
        if self.tok.kind == "name" and self.tok.value == "else":
            self.next()
            self.skip_newlines()
            orelse = self.statement()
        else:
            self.pos = save
        return ast.If(cond, then, orelse, **self.at(t))

    def stmt_while(self) -> ast.Node:
        t = self.next()
        self.expect_op("(")
        cond = self.expression()
        self.expect_op(")")
        self.skip_newlines()
        return ast.While(cond, self.statement(), **self.at(t))

    def stmt_for(self) -> ast.Node:
        t = self.next()
        if self.is_op("("):
            # for (x) / for (x, 0): segment loops
            if self.peek().kind == "name" and (
                (self.peek(2).kind == "op" and self.peek(2).value == ")")
                or (self.peek(2).kind == "op" and self.peek(2).value == ",")
            ):
                self.next()
                var = self.next().value
                ends = True
                if self.is_op(","):
                    self.next()
                    flag = self.expression()
                    ends = not (isinstance(flag, ast.Num) and flag.value == 0)
                self.expect_op(")")
                self.skip_newlines()
                return ast.ForSeg(var, ends, self.statement(), **self.at(t))
            self.next()
            init = None if self.is_op(";") else self.simple_statement()
            self.expect_op(";")
            cond = None if self.is_op(";") else self.expression()
            self.expect_op(";")
            step = None if self.is_op(")") else self.simple_statement()
            self.expect_op(")")
            self.skip_newlines()
            return ast.ForC(init, cond, step, self.statement(), **self.at(t))
        target = self.expression(allow_ramp=False)
        if self.is_op("="):
            self.next()
            start = self.expression()
            self.expect_op(",")
            stop = self.expression()
            self.skip_newlines()
            return ast.ForRange(target, start, stop, self.statement(), **self.at(t))
        self.skip_newlines()
        return ast.ForIter(target, self.statement(), **self.at(t))

    def simple_statement(self) -> ast.Node:
        t = self.tok
        expr = self.expression()
        if self.tok.kind == "op" and self.tok.value in _ASSIGN:
            op = self.next().value
            return ast.Assign(expr, op, self.expression(), **self.at(t))
        return ast.ExprStmt(expr, **self.at(t))

    def stmt_forall(self) -> ast.Node:
        t = self.next()
        self.skip_newlines()
        return ast.Forall(self.statement(), **self.at(t))

    def stmt_forsec(self) -> ast.Node:
        t = self.next()
        what = self.expression()
        self.skip_newlines()
        return ast.Forsec(what, self.statement(), **self.at(t))

    def stmt_ifsec(self) -> ast.Node:
        t = self.next()
        what = self.expression()
        self.skip_newlines()
        return ast.Forsec(what, self.statement(), only_if=True, **self.at(t))

    def stmt_return(self) -> ast.Node:
        t = self.next()
        if self.tok.kind in ("newline", "eof") or self.is_op("}"):
            return ast.Return(None, **self.at(t))
        return ast.Return(self.expression(), **self.at(t))

    def _jump(self) -> ast.Node:
        t = self.next()
        return ast.Jump(t.value, **self.at(t))

    stmt_break = stmt_continue = stmt_stop = stmt_iterator_statement = _jump

    def _funcdef(self) -> ast.Node:
        t = self.next()
        name = self.expect_name().value
        self.expect_op("(")
        self.expect_op(")")
        self.skip_newlines()
        return ast.FuncDef(t.value, name, self.block(), **self.at(t))

    stmt_proc = stmt_func = stmt_obfunc = stmt_iterator = _funcdef

    def _names(self, with_index: bool = True) -> list[tuple[str, list[ast.Node]]]:
        out = []
        while True:
            name = self.expect_name().value
            dims: list[ast.Node] = []
            while with_index and self.is_op("["):
                self.next()
                dims.append(self.expression())
                self.expect_op("]")
            out.append((name, dims))
            if not self.is_op(","):
                return out
            self.next()

    def _declare(self) -> ast.Node:
        t = self.next()
        kind = "objref" if t.value == "objectvar" else t.value
        return ast.Declare(kind, self._names(), **self.at(t))

    stmt_local = stmt_localobj = stmt_strdef = stmt_objref = stmt_objectvar = _declare
    stmt_double = stmt_create = stmt_public = stmt_external = _declare

    def stmt_access(self) -> ast.Node:
        t = self.next()
        return ast.Access(self.expression(), **self.at(t))

    def stmt_connect(self) -> ast.Node:
        t = self.next()
        child = self.expression()
        child_x = None
        if isinstance(child, ast.Call) and len(child.args) == 1:
            child_x = child.args[0]
            child = ast.Name(child.name, child.index, line=child.line, col=child.col)
        elif isinstance(child, ast.Attr) and child.args is not None and len(child.args) == 1:
            child_x = child.args[0]
            child = ast.Attr(child.obj, child.name, child.index, line=child.line, col=child.col)
        self.expect_op(",")
        second = self.expression()
        return ast.Connect(child, child_x, None, second, **self.at(t))

    def stmt_insert(self) -> ast.Node:
        t = self.next()
        return ast.Insert(self.expect_name().value, **self.at(t))

    def stmt_uninsert(self) -> ast.Node:
        t = self.next()
        return ast.Insert(self.expect_name().value, remove=True, **self.at(t))

    def stmt_print(self) -> ast.Node:
        t = self.next()
        values = [self.expression()]
        while self.is_op(","):
            self.next()
            values.append(self.expression())
        return ast.Print(values, **self.at(t))

    def stmt_begintemplate(self) -> ast.Node:
        t = self.next()
        name = self.expect_name().value
        self.skip_newlines()
        body: list[ast.Node] = []
        while not (self.tok.kind == "name" and self.tok.value == "endtemplate"):
            if self.tok.kind == "eof":
                raise self.error(f"begintemplate {name} without endtemplate", t)
            body.append(self.statement())
            self.end_statement()
        self.next()
        end = self.expect_name()
        if end.value != name:
            raise self.error(f"endtemplate {end.value} does not match begintemplate {name}", end)
        return ast.Template(name, body, **self.at(t))

    # ------------------------------------------------------------------ expressions
    def expression(self, power: int = 0, allow_ramp: bool = True) -> ast.Node:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.value in _BINARY:
            op = self.tok.value
            p = _BINARY[op]
            if p <= power and not (op == "^" and p == power):
                break
            t = self.next()
            right = self.expression(p, allow_ramp=False)
            left = ast.Binary(op, left, right, **self.at(t))
        if allow_ramp and power == 0 and self.is_op(":"):
            t = self.next()
            stop = self.expression(allow_ramp=False)
            left = ast.Ramp(left, stop, **self.at(t))
        return left

    def unary(self) -> ast.Node:
        t = self.tok
        if t.kind == "op" and t.value in ("-", "!", "+"):
            self.next()
            operand = self.expression(_UNARY_POWER, allow_ramp=False)
            if t.value == "+":
                return operand
            return ast.Unary(t.value, operand, **self.at(t))
        return self.postfix(self.primary())

    def primary(self) -> ast.Node:
        t = self.next()
        where = self.at(t)
        if t.kind == "number":
            return ast.Num(float(t.value), **where)
        if t.kind == "string":
            return ast.Str(unescape(t.value), **where)
        if t.kind == "arg":
            body = t.value[1:]
            kind = body[0] if body[0] in "&soi" and len(body) > 1 and not body.isdigit() else ""
            rest = body[len(kind) :]
            if kind == "i":  # $i is not HOC; keep the name
                kind, rest = "", body
            index: ast.Node = (
                ast.Num(float(rest), **where) if rest.isdigit() else ast.Name(rest, **where)
            )
            return ast.Arg(kind, index, **where)
        if t.kind == "op" and t.value == "(":
            inner = self.expression()
            self.expect_op(")")
            return inner
        if t.kind == "op" and t.value == "&":
            return ast.RefOf(self.postfix(self.primary()), **where)
        if t.kind == "name":
            if t.value == "new":
                name = self.expect_name().value
                args = self.call_args() if self.is_op("(") else []
                return ast.New(name, args, **where)
            index = self.indices()
            if self.is_op("("):
                return ast.Call(t.value, self.call_args(), index, **where)
            return ast.Name(t.value, index, **where)
        raise self.error(f"unexpected '{t.value}'", t)

    def indices(self) -> list[ast.Node]:
        out = []
        while self.is_op("["):
            self.next()
            out.append(self.expression())
            self.expect_op("]")
        return out

    def call_args(self) -> list[ast.Node]:
        self.expect_op("(")
        args: list[ast.Node] = []
        if not self.is_op(")"):
            args.append(self.expression())
            while self.is_op(","):
                self.next()
                args.append(self.expression())
        self.expect_op(")")
        return args

    def postfix(self, node: ast.Node) -> ast.Node:
        while self.is_op("."):
            t = self.next()
            name = self.expect_name().value
            index = self.indices()
            args = self.call_args() if self.is_op("(") else None
            node = ast.Attr(node, name, index, args, **self.at(t))
        return node


def parse(text: str, filename: str = "") -> list[ast.Node]:
    """The statements of a HOC program."""
    return Parser(text, filename).program()
