"""HOC syntax tree: what the parser builds and the interpreter walks.

Whether a name is a section, an object, a number or a procedure is decided when the program
runs (HOC's own parser asks its symbol table; ours leaves it to the interpreter), so the tree
keeps names as they are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    line: int = field(default=0, kw_only=True)
    col: int = field(default=0, kw_only=True)


# ------------------------------------------------------------------ expressions
@dataclass
class Num(Node):
    value: float


@dataclass
class Str(Node):
    value: str


@dataclass
class Name(Node):
    """``name`` or ``name[i][j]``."""

    name: str
    index: list[Node] = field(default_factory=list)


@dataclass
class Arg(Node):
    """``$1``, ``$s1``, ``$o1``, ``$&1`` (kind '', 's', 'o', '&'); ``index`` an expression for
    ``$oi``-style forms."""

    kind: str
    index: Node


@dataclass
class Call(Node):
    """``name(args)``: a procedure, a function, a template, or a range variable at x."""

    name: str
    args: list[Node]
    index: list[Node] = field(default_factory=list)


@dataclass
class Attr(Node):
    """``obj.name``, ``obj.name[i]``, ``obj.name(args)`` (args None when not called)."""

    obj: Node
    name: str
    index: list[Node] = field(default_factory=list)
    args: list[Node] | None = None


@dataclass
class Unary(Node):
    op: str
    operand: Node


@dataclass
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass
class RefOf(Node):
    """``&lvalue``: a pointer to a value (``&v(.5)``, ``&t``, ``&x``)."""

    target: Node


@dataclass
class New(Node):
    template: str
    args: list[Node]


@dataclass
class Ramp(Node):
    """``a:b`` on the right of a range-variable ramp assignment."""

    start: Node
    stop: Node


# ------------------------------------------------------------------ statements
@dataclass
class Block(Node):
    body: list[Node]


@dataclass
class ExprStmt(Node):
    expr: Node


@dataclass
class Assign(Node):
    target: Node
    op: str
    value: Node


@dataclass
class If(Node):
    cond: Node
    then: Node
    orelse: Node | None


@dataclass
class While(Node):
    cond: Node
    body: Node


@dataclass
class ForC(Node):
    init: Node | None
    cond: Node | None
    step: Node | None
    body: Node


@dataclass
class ForRange(Node):
    var: Node
    start: Node
    stop: Node
    body: Node


@dataclass
class ForSeg(Node):
    """``for (x) stmt`` (ends included) or ``for (x, 0) stmt`` (centres only)."""

    var: str
    ends: bool
    body: Node


@dataclass
class ForIter(Node):
    """``for it(args) stmt`` / ``for obj.it(args) stmt``: a user iterator."""

    call: Node
    body: Node


@dataclass
class Jump(Node):
    kind: str  # break continue stop iterator_statement


@dataclass
class Return(Node):
    value: Node | None


@dataclass
class FuncDef(Node):
    kind: str  # proc func obfunc iterator
    name: str
    body: Block


@dataclass
class Declare(Node):
    """``local``, ``localobj``, ``strdef``, ``objref``/``objectvar``, ``double``, ``public``,
    ``external``, ``create``: names with their array sizes."""

    kind: str
    names: list[tuple[str, list[Node]]]


@dataclass
class Access(Node):
    section: Node


@dataclass
class Connect(Node):
    """``connect child(cx), parent(px)`` or, with ``parent`` set by a section prefix,
    ``parent connect child(cx), px``."""

    child: Node
    child_x: Node | None
    parent: Node | None
    parent_x: Node


@dataclass
class Insert(Node):
    name: str
    remove: bool = False


@dataclass
class Forall(Node):
    body: Node


@dataclass
class Forsec(Node):
    what: Node
    body: Node
    only_if: bool = False  # ifsec


@dataclass
class SecStmt(Node):
    """``sec stmt`` / ``sec { ... }``: the statement with ``sec`` pushed on the section stack."""

    section: Node
    body: Node


@dataclass
class Template(Node):
    name: str
    body: list[Node]


@dataclass
class Print(Node):
    values: list[Node]
