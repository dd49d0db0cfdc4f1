"""The mechanism IR: a typed, backend-free description of a compiled mechanism.

Expressions and statements here refer to variables by *storage*, not by name lookup:
the lowering pass (`nmodl.lower`) has resolved every name. Solver passes (`nmodl.solve`)
rewrite statement lists; printers (`nmodl.codegen`) only translate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Expr:
    """Base of IR expressions."""


@dataclass(frozen=True)
class Const(Expr):
    """A float constant."""

    value: float


@dataclass(frozen=True)
class Var(Expr):
    """A variable. kind: 'range' (data row), 'global' (gl entry), 'local', 'arg',
    'node' (nd row: 'v' is the kernel's voltage, 'area', 'diam'), 'scalar' (sc entry:
    t, dt, celsius, secondorder), 'loop' (an integer FROM-loop index).
    ``index`` is the row / entry for range and global; ``offset`` an element expression
    for arrays."""

    kind: str
    name: str
    index: int = 0
    offset: Expr | None = None


@dataclass(frozen=True)
class BinOp(Expr):
    """Arithmetic ``+ - * / %``, comparison ``< <= > >= == !=`` or logic ``&& ||``."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg(Expr):
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class Not(Expr):
    """Logical not."""

    operand: Expr


@dataclass(frozen=True)
class Pow(Expr):
    """``base ^ exponent``."""

    base: Expr
    exponent: Expr


@dataclass(frozen=True)
class Builtin(Expr):
    """A math builtin (exp is NEURON's hoc_Exp) or ``at_time``."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class CallFunc(Expr):
    """A call of a FUNCTION or PROCEDURE of this mechanism (value 0 for a PROCEDURE)."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class RandomCall(Expr):
    """A NEURON 9 RANDOM-variable function (``random_negexp(rv)``, ...) on the stream whose
    state is the range rows starting at ``row`` (value 0 for random_setseq/random_setids)."""

    name: str
    row: int
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class HandlePick(Expr):
    """NEURON's ``nrn_random_pick`` on the hoc Random whose state-buffer address is in range
    row ``row`` (the VERBATIM Random-object idiom; 0.5 when none is set)."""

    row: int


@dataclass(frozen=True)
class Str(Expr):
    """A string literal (only as a printf argument)."""

    value: str


@dataclass(frozen=True)
class Printf(Expr):
    """C ``printf(fmt, args...)`` (value 0): printed through Python's ``%`` formatting."""

    fmt: str
    args: tuple[Expr, ...]


# ------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Stmt:
    """Base of IR statements."""


@dataclass(frozen=True)
class Assign(Stmt):
    """``target = value``."""

    target: Var
    value: Expr


@dataclass(frozen=True)
class Eval(Stmt):
    """Evaluate an expression for its effect (a procedure call)."""

    expr: Expr


@dataclass(frozen=True)
class If(Stmt):
    """``if cond: body else: orelse``."""

    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()


@dataclass(frozen=True)
class ForNetcons(Stmt):
    """``FOR_NETCONS(a0, a1, ...) { body }`` in NET_RECEIVE: the body once per NetCon that
    targets this instance, in NEURON's order; ``Var('fnarg', name, k)`` is weight k of the
    NetCon in hand."""

    nargs: int
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class While(Stmt):
    """``while cond: body``."""

    cond: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class For(Stmt):
    """``for var in start..stop (inclusive) step``; var is an integer loop variable."""

    var: str
    start: Expr
    stop: Expr
    step: Expr | None
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class DeclareLocal(Stmt):
    """Introduce a local (0.0, or a zero array of ``size``)."""

    name: str
    size: int | None = None


@dataclass(frozen=True)
class VectorCall(Expr):
    """vector_size/vector_element/vector_set/vector_resize on the Vector handle whose rows
    start at ``row`` (value 0 for vector_set and vector_resize)."""

    name: str
    row: int
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class NetSend(Stmt):
    """``net_send(delay, flag)``: a self-event at t + delay (ms)."""

    delay: Expr
    flag: Expr


@dataclass(frozen=True)
class NetEvent(Stmt):
    """``net_event(time)``: the instance's NetCons carry a spike sent at ``time`` (ms)."""

    time: Expr


@dataclass(frozen=True)
class NetMove(Stmt):
    """``net_move(time)``: the pending flag-1 self-event moves to ``time`` (ms)."""

    time: Expr


@dataclass(frozen=True)
class WatchOn(Stmt):
    """Executing a ``WATCH (cond) flag`` item: activate watch number ``index``."""

    index: int


@dataclass(frozen=True)
class Derivative(Stmt):
    """``x' = rhs`` before a solver pass rewrites it (state is a range Var)."""

    state: Var
    rhs: Expr
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class SolveOde(Stmt):
    """Run the solver ``mech.ode_solvers[key]`` for the current instance.

    ``steady``: nocmodl's STEADYSTATE variant (dt = 1e-9 for derivimplicit, 1e9 for sparse).
    Every variant ends with NEURON's ``if (secondorder) state += dt*Dstate``."""

    key: str
    steady: bool = False


# ------------------------------------------------------------------ mechanism


@dataclass
class SparseSpec:
    """The linear system of a KINETIC block solved by nocmodl's ``sparse``.

    Rows and columns are the state elements in ``OdeSolver.states`` order. ``pivots`` is the
    elimination order scopmath's minimum-degree ordering chooses; ``lower[k]`` the rows
    eliminated by pivot k, ``upper[k]`` the columns right of pivot k (both in solution order).
    ``linear`` is nocmodl's ``_linmat``: one Newton iteration, no clamping of negative states."""

    n: int
    pivots: list[int]
    lower: list[list[int]]
    upper: list[list[int]]
    linear: bool


@dataclass
class OdeSolver:
    """A DERIVATIVE or KINETIC block solved by derivimplicit, euler, runge or sparse.

    ``body`` assigns the derivative rows ``drows`` (derivimplicit, euler, runge) or fills the
    matrix (``Var('matrix', ...)``, index row*n + col) and right-hand side (``Var('rhs',
    ...)``) of the sparse system. ``rows``/``drows``: data rows of the states and of their
    derivatives in nocmodl's ``_slist``/``_dlist`` order. ``newton``: derivimplicit's Newton
    unknowns (positions in ``rows``) in nocmodl's symbol-table order."""

    key: str
    block: str
    method: str
    body: tuple[Stmt, ...]
    rows: list[int]
    drows: list[int]
    newton: list[int] = field(default_factory=list)
    sparse: SparseSpec | None = None


@dataclass
class Variable:
    """One per-instance row group (storage 'range') or globals entry group ('global')."""

    name: str
    role: str  # parameter | assigned | state | ion | v | local | state0 | usetable | dstate
    storage: str  # range | global
    index: int = 0
    size: int = 1
    default: float = 0.0
    units: str = ""
    public: bool = True
    written: bool = False


@dataclass
class IonUse:
    """A USEION statement: variables read and written, and the ion-array field of each."""

    name: str
    read: list[str]
    write: list[str]
    valence: float | None = None


@dataclass
class Function:
    """A FUNCTION or PROCEDURE, lowered. A TABLE makes ``table`` non-None."""

    name: str
    is_function: bool
    params: list[str]
    body: tuple[Stmt, ...]
    table: TableSpec | None = None
    #: why it cannot run (C in a VERBATIM block): its kernel raises this message
    refused: str | None = None


@dataclass
class TableSpec:
    """A TABLE statement of a one-argument FUNCTION/PROCEDURE, laid out in ``tab``.

    ``tab[offset]`` built flag, ``+1`` tmin, ``+2`` mfac, ``+3..`` saved DEPEND values,
    then ``n + 1`` values for each tabulated output in ``outputs`` order."""

    function: str
    outputs: list[Var]  # Var('local', '<fname>') stands for a FUNCTION's value
    depend: list[Var]
    lo: Expr
    hi: Expr
    n: int
    offset: int = 0

    @property
    def values_offset(self) -> int:
        return self.offset + 3 + len(self.depend)

    @property
    def size(self) -> int:
        return 3 + len(self.depend) + len(self.outputs) * (self.n + 1)


@dataclass
class Watch:
    """One ``(lhs > rhs) flag`` WATCH item: it fires when ``value`` (lhs - rhs, or
    rhs - lhs for ``<``) becomes positive. ``rows``: its per-instance rows (active, above
    threshold, activation stamp)."""

    value: Expr
    flag: float
    rows: tuple[int, int, int] = (0, 0, 0)


@dataclass
class NetReceive:
    """The NET_RECEIVE block: argument names (the NetCon weight vector, by position), its
    body and the body of an INITIAL block inside it (run once per NetCon)."""

    args: list[str]
    body: tuple[Stmt, ...]
    init: tuple[Stmt, ...] | None = None
    written_args: frozenset[str] = frozenset()


@dataclass
class Mechanism:
    """Everything a printer needs to emit a mechanism's kernels."""

    name: str
    kind: str  # density | point | artificial
    file: str
    title: str | None = None
    variables: list[Variable] = field(default_factory=list)
    ions: list[IonUse] = field(default_factory=list)
    #: (variable name, ion name or None) in nocmodl's summation order
    currents: list[tuple[str, str | None]] = field(default_factory=list)
    nonspecific_currents: list[str] = field(default_factory=list)
    electrode_current: bool = False
    initial: tuple[Stmt, ...] = ()
    breakpoint: tuple[Stmt, ...] = ()
    #: the SOLVE updates, after solver passes, run by the state kernel
    state_update: tuple[Stmt, ...] = ()
    #: blocks named by SOLVE with their method, e.g. [("states", "cnexp")]
    solves: list[tuple[str, str | None]] = field(default_factory=list)
    derivatives: dict[str, tuple[Stmt, ...]] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    tables: list[TableSpec] = field(default_factory=list)
    net_receive: NetReceive | None = None
    watches: list[Watch] = field(default_factory=list)
    #: most net_send requests one instance's INITIAL can make (0: INITIAL sends none)
    initial_events: int = 0
    #: RANDOM variables: name -> first of their STREAM_ROWS range rows
    randoms: dict[str, int] = field(default_factory=dict)
    #: Vector handles: name -> first of their VECTOR_ROWS range rows
    vectors: dict[str, int] = field(default_factory=dict)
    #: POINTER/BBCOREPOINTER holding a hoc Random (the VERBATIM idiom) -> its address row
    random_handles: dict[str, int] = field(default_factory=dict)
    #: PROCEDURE that sets a Random handle from its argument -> the handle's name
    random_setters: dict[str, str] = field(default_factory=dict)
    #: handles written by the mechanism (vector_set, vector_resize)
    vector_outputs: set[str] = field(default_factory=set)
    #: PROCEDUREs that bind the Vector given from Python to a handle: name -> handle
    vector_binds: dict[str, str] = field(default_factory=dict)
    #: numerical solvers of SOLVEd blocks, by key (see `SolveOde`)
    ode_solvers: dict[str, OdeSolver] = field(default_factory=dict)
    #: nrn_state halves dt when secondorder is set (a non-cnexp SOLVE in BREAKPOINT)
    halve_dt: bool = False
    unsupported: list[str] = field(default_factory=list)
    #: things nocmodl accepts silently that the user may want to know about
    warnings: list[str] = field(default_factory=list)
    #: uses scop_random/exprand/normrand/poisrand/set_seed (the process-wide generator)
    legacy_random: bool = False
    uses_printf: bool = False
    #: POINTER name -> its address row (``_p_<name>``)
    pointers: dict[str, int] = field(default_factory=dict)
    #: FUNCTION_TABLE name -> (number of arguments, its ``gl`` entry ``_ft_<name>``)
    function_tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: FOR_NETCONS: gl entries the engine fills (addresses of the per-instance NetCon lists
    #: and of the weights, and the weights' row length); empty when the file has none
    for_netcons: dict[str, int] = field(default_factory=dict)

    @property
    def net_receive_args(self) -> list[str]:
        return self.net_receive.args if self.net_receive is not None else []

    #: EXTERNAL name -> its address entry of ``gl`` (``_e_<name>``)
    externals: dict[str, int] = field(default_factory=dict)
    #: the value of a VERBATIM 'return x;' ending BREAKPOINT (what _nrn_current returns)
    breakpoint_return: Expr | None = None
    #: BEFORE/AFTER blocks by kernel (before_breakpoint, after_solve, before_initial,
    #: after_initial, before_step), each kernel running its blocks in file order
    ba_blocks: dict[str, list[tuple[Stmt, ...]]] = field(default_factory=dict)
    #: the mechanism cannot be used (C in VERBATIM reached by its kernels): {"reason",
    #: "file", "lines", "internals"}; pyneuro refuses to insert or create it
    refused: dict | None = None
    #: why the kernels must run on the CPU (printf, legacy random, POINTER, ...); empty: GPU-able
    cpu_only: list[str] = field(default_factory=list)
    v_row: int | None = None

    @property
    def range_vars(self) -> list[Variable]:
        return [v for v in self.variables if v.storage == "range"]

    @property
    def global_vars(self) -> list[Variable]:
        return [v for v in self.variables if v.storage == "global"]

    def var(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    @property
    def n_rows(self) -> int:
        return sum(v.size for v in self.range_vars)

    @property
    def n_globals(self) -> int:
        return sum(v.size for v in self.global_vars)

    @property
    def table_size(self) -> int:
        return sum(t.size for t in self.tables)
