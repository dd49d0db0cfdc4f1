"""The NMODL abstract syntax tree: frozen dataclasses, each carrying its source position.

Every node has keyword-only ``line`` and ``col`` (1-based) fields giving where it starts
in the user's file. Expressions and statements are plain data; passes build new trees
rather than editing these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Node:
    """Base of all nodes: the 1-based line and column where the node starts."""

    line: int = field(default=0, kw_only=True, compare=False)
    col: int = field(default=0, kw_only=True, compare=False)


@dataclass(frozen=True)
class Ident(Node):
    """A name as written in a declaration or list, with its position."""

    name: str


# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Expr(Node):
    """Base of expressions."""


@dataclass(frozen=True)
class Number(Expr):
    """A numeric literal; ``unit`` is the text of a following ``(unit)``, if any."""

    value: float
    text: str
    unit: str | None = None


@dataclass(frozen=True)
class Name(Expr):
    """A reference to a variable."""

    name: str


@dataclass(frozen=True)
class Prime(Expr):
    """A derivative ``x'`` (order = number of primes)."""

    name: str
    order: int = 1


@dataclass(frozen=True)
class Indexed(Expr):
    """An array element ``x[i]``."""

    name: str
    index: Expr


@dataclass(frozen=True)
class DiscreteRef(Expr):
    """``x@n`` (DISCRETE blocks), optionally indexed."""

    name: str
    shift: int
    index: Expr | None = None


@dataclass(frozen=True)
class Call(Expr):
    """A call of a FUNCTION, PROCEDURE or builtin."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class String(Expr):
    """A string literal (only as a call argument, e.g. printf)."""

    value: str


@dataclass(frozen=True)
class BinOp(Expr):
    """A binary operation; ``op`` is the operator text (``+ - * / % < <= == != && ||``…)."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Pow(Expr):
    """``base ^ exponent`` (nocmodl emits pow())."""

    base: Expr
    exponent: Expr


@dataclass(frozen=True)
class Neg(Expr):
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class Not(Expr):
    """Logical not ``!``."""

    operand: Expr


# ------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Stmt(Node):
    """Base of statements."""


@dataclass(frozen=True)
class Block(Stmt):
    """A brace-delimited list of statements."""

    stmts: tuple[Stmt, ...]


@dataclass(frozen=True)
class LocalVar(Node):
    """One variable of a LOCAL statement; size is None for a scalar."""

    name: str
    size: int | str | None = None


@dataclass(frozen=True)
class Local(Stmt):
    """``LOCAL a, b[3]``."""

    vars: tuple[LocalVar, ...]


@dataclass(frozen=True)
class Assign(Stmt):
    """``target = value``; target is a Name, Indexed or Prime."""

    target: Expr
    value: Expr


@dataclass(frozen=True)
class ExprStmt(Stmt):
    """A call used as a statement, e.g. ``rates(v)``."""

    expr: Call


@dataclass(frozen=True)
class If(Stmt):
    """``if (cond) {body} else ...``; orelse is a Block, another If, or None."""

    cond: Expr
    body: Block
    orelse: Block | If | None = None


@dataclass(frozen=True)
class From(Stmt):
    """``FROM i = start TO stop [BY step] {body}`` (inclusive)."""

    var: str
    start: Expr
    stop: Expr
    step: Expr | None
    body: Block


@dataclass(frozen=True)
class While(Stmt):
    """``while (cond) {body}``."""

    cond: Expr
    body: Block


@dataclass(frozen=True)
class Solve(Stmt):
    """``SOLVE name [METHOD m | STEADYSTATE m]``."""

    block: str
    kind: str | None = None
    method: str | None = None
    method_line: int = 0
    method_col: int = 0


@dataclass(frozen=True)
class Table(Stmt):
    """``TABLE names DEPEND deps FROM lo TO hi WITH n``."""

    names: tuple[Ident, ...]
    depend: tuple[Ident, ...]
    lo: Expr
    hi: Expr
    n: int


@dataclass(frozen=True)
class Verbatim(Stmt):
    """A VERBATIM block (C code), kept as text."""

    text: str


@dataclass(frozen=True)
class UnitsSwitch(Stmt):
    """UNITSON / UNITSOFF (no effect on code)."""

    on: bool


@dataclass(frozen=True)
class Species(Node):
    """One term of a reaction side: ``coefficient * species``."""

    coefficient: int
    var: Expr


@dataclass(frozen=True)
class Reaction(Stmt):
    """``~ lhs <-> rhs (kf, kb)``."""

    lhs: tuple[Species, ...]
    rhs: tuple[Species, ...]
    kf: Expr
    kb: Expr
    #: the rates as written (nocmodl pastes this text into its flux expressions)
    kf_text: str = ""
    kb_text: str = ""


@dataclass(frozen=True)
class FluxReaction(Stmt):
    """``~ x << (flux)``."""

    species: Expr
    flux: Expr


@dataclass(frozen=True)
class Annihilation(Stmt):
    """``~ x -> (rate)``."""

    lhs: tuple[Species, ...]
    rate: Expr


@dataclass(frozen=True)
class Equation(Stmt):
    """``~ lhs = rhs`` in LINEAR/NONLINEAR blocks."""

    lhs: Expr
    rhs: Expr


@dataclass(frozen=True)
class Conserve(Stmt):
    """``CONSERVE a + b = expr``."""

    lhs: Expr
    rhs: Expr


@dataclass(frozen=True)
class Compartment(Stmt):
    """``COMPARTMENT [i,] volume {species}``."""

    index: str | None
    volume: Expr
    species: tuple[Ident, ...]


@dataclass(frozen=True)
class LongitudinalDiffusion(Stmt):
    """``LONGITUDINAL_DIFFUSION [i,] coefficient {species}``."""

    index: str | None
    coefficient: Expr
    species: tuple[Ident, ...]


@dataclass(frozen=True)
class WatchItem(Node):
    """``(condition) flag`` of a WATCH statement."""

    cond: Expr
    flag: float


@dataclass(frozen=True)
class Watch(Stmt):
    """``WATCH (cond) flag, ...``."""

    items: tuple[WatchItem, ...]


@dataclass(frozen=True)
class Param(Node):
    """A formal argument, with its optional unit."""

    name: str
    unit: str | None = None


@dataclass(frozen=True)
class ForNetcons(Stmt):
    """``FOR_NETCONS(args) {body}``."""

    params: tuple[Param, ...]
    body: Block


@dataclass(frozen=True)
class Protect(Stmt):
    """``PROTECT assignment``."""

    assign: Assign


@dataclass(frozen=True)
class Mutex(Stmt):
    """MUTEXLOCK (lock=True) or MUTEXUNLOCK."""

    lock: bool


@dataclass(frozen=True)
class Lag(Stmt):
    """``LAG name BY tau``."""

    name: str
    by: str


@dataclass(frozen=True)
class ConductanceHint(Stmt):
    """``CONDUCTANCE g [USEION ion]``."""

    name: str
    ion: str | None = None


# ------------------------------------------------------------------ declarations


@dataclass(frozen=True)
class NeuronStmt(Node):
    """A NEURON-block statement: kind is SUFFIX, POINT_PROCESS, ARTIFICIAL_CELL, RANGE,
    GLOBAL, POINTER, BBCOREPOINTER, EXTERNAL, NONSPECIFIC_CURRENT, ELECTRODE_CURRENT,
    THREADSAFE, RANDOM or REPRESENTS."""

    kind: str
    names: tuple[Ident, ...]


@dataclass(frozen=True)
class UseIon(Node):
    """``USEION name READ a, b WRITE c VALENCE z``."""

    ion: str
    read: tuple[Ident, ...]
    write: tuple[Ident, ...]
    valence: float | None = None


@dataclass(frozen=True)
class NeuronBlock(Node):
    """The NEURON { } block."""

    stmts: tuple[NeuronStmt | UseIon, ...]


@dataclass(frozen=True)
class UnitDef(Node):
    """A UNITS-block line. kind: 'alias' ``(mA) = (milliamp)``, 'factor'
    ``F = (faraday) (coulomb)``, 'constant' ``F = 96485 (coul)``, 'convert' (``->``)."""

    kind: str
    name: str
    unit1: str | None = None
    unit2: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class UnitsBlock(Node):
    """The UNITS { } block."""

    defs: tuple[UnitDef, ...]


@dataclass(frozen=True)
class VarDecl(Node):
    """A declaration in PARAMETER, ASSIGNED, STATE or CONSTANT."""

    name: str
    size: int | str | None = None
    value: float | None = None
    unit: str | None = None
    limits: tuple[float, ...] | None = None
    start: float | None = None


@dataclass(frozen=True)
class DeclBlock(Node):
    """PARAMETER / ASSIGNED / STATE / CONSTANT / INDEPENDENT; kind names which."""

    kind: str
    decls: tuple[VarDecl, ...]


@dataclass(frozen=True)
class Define(Node):
    """``DEFINE NAME value``."""

    name: str
    value: int


@dataclass(frozen=True)
class Include(Node):
    """``INCLUDE "file"``."""

    path: str


@dataclass(frozen=True)
class CodeBlock(Node):
    """A block of code. kind: INITIAL, BREAKPOINT, DERIVATIVE, KINETIC, LINEAR, NONLINEAR,
    DISCRETE, PARTIAL, PROCEDURE, FUNCTION, NET_RECEIVE, BEFORE, AFTER, CONSTRUCTOR,
    DESTRUCTOR. ``name`` is the block name (or the BEFORE/AFTER point)."""

    kind: str
    name: str | None
    body: Block
    params: tuple[Param, ...] = ()
    unit: str | None = None
    solvefor: tuple[str, ...] = ()


@dataclass(frozen=True)
class FunctionTable(Node):
    """``FUNCTION_TABLE name(args) (unit)``."""

    name: str
    params: tuple[Param, ...]
    unit: str | None = None


TopLevel = (
    NeuronBlock | UnitsBlock | DeclBlock | Define | Include | CodeBlock | FunctionTable | Local
)


@dataclass(frozen=True)
class Program(Node):
    """A whole .mod file."""

    items: tuple[Node, ...]
    filename: str = "<string>"
    title: str | None = None
    source: str = ""
    #: every name in order of its first appearance (INCLUDEs spliced in): nocmodl installs
    #: symbols in this order, which fixes the order of its symbol-table iterations
    names: tuple[str, ...] = ()
    #: resolved paths of INCLUDE'd files (recursively)
    includes: tuple[str, ...] = ()
    #: (file name, text) of this file (first) and of every included file
    files: tuple[tuple[str, str], ...] = ()
    #: for each item, the index in ``files`` of the file it was written in
    origins: tuple[int, ...] = ()
