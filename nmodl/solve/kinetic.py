"""KINETIC blocks: reaction schemes turned into nocmodl's equations (``kinetic.cpp``).

Two passes over a block, as nocmodl:

1. `_plan`: which STATEs the reactions involve and their numbering (``varnum``): first one
   state per CONSERVE statement (the last-written one not yet numbered, CONSERVE statements
   from the last to the first), then the others in nocmodl's symbol-table order; and the
   COMPARTMENT volume of each.
2. The statements, with each reaction replaced by what nocmodl prints in its place:
   * ``sparse``: the backward-Euler system ``(vol/dt - J) dx = -vol (x - x_old)/dt + f``:
     ``f_flux``/``b_flux``, right-hand side rows and the Jacobian terms (``_term``), and each
     CONSERVE statement's algebraic row;
   * ``euler``/``runge`` (nocmodl's ``kinetic_intmethod``): ``Dx`` accumulated from the fluxes
     and divided by the volume at the end; CONSERVE is ignored.

nocmodl builds ``f_flux = kf*A*B`` and ``_term`` by pasting the rate's *text* before the
species, so ``~ 2X <-> Y (a + b, c)`` gives ``a + b*X*X``; the text is re-parsed here with
placeholder names for the species, which keeps that precedence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import ast, ir
from ..parser import parse_expression
from . import ode, sparse_order

if TYPE_CHECKING:
    from ..lower import Lowerer, _Scope

_KINETIC_STMTS = (
    ast.Reaction,
    ast.FluxReaction,
    ast.Annihilation,
    ast.Conserve,
    ast.Compartment,
    ast.LongitudinalDiffusion,
)


@dataclass
class _Term:
    """One species of a reaction side (nocmodl's Rterm)."""

    name: str
    index: ast.Expr | None  # array element, as written
    num: int
    isstate: bool
    node: ast.Node


@dataclass
class _Plan:
    """nocmodl's numbering of a KINETIC block's states."""

    order: list[str] = field(default_factory=list)  # symorder: state names by varnum
    varnum: dict[str, int] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    ncons: int = 0
    nstate: int = 0
    #: COMPARTMENT volume of a state: (index variable or None, volume expression)
    capacity: dict[str, tuple[str | None, ast.Expr]] = field(default_factory=dict)
    #: CONSERVE statement (line, col) -> its equation row
    conserve_rows: dict[tuple[int, int], int] = field(default_factory=dict)


def _walk(stmts: tuple[ast.Stmt, ...]):
    for st in stmts:
        yield st
        if isinstance(st, ast.Block):
            yield from _walk(st.stmts)
        elif isinstance(st, ast.If):
            yield from _walk(st.body.stmts)
            if isinstance(st.orelse, ast.Block):
                yield from _walk(st.orelse.stmts)
            elif isinstance(st.orelse, ast.If):
                yield from _walk((st.orelse,))
        elif isinstance(st, (ast.While, ast.From)):
            yield from _walk(st.body.stmts)


def _species_of(e: ast.Expr, lw: Lowerer) -> list[tuple[int, ast.Expr]]:
    """``A + 2*B + C[i]`` -> [(1, A), (2, B), (1, C[i])] (a CONSERVE left-hand side)."""
    if isinstance(e, ast.BinOp) and e.op == "+":
        return _species_of(e.left, lw) + _species_of(e.right, lw)
    if isinstance(e, ast.BinOp) and e.op == "*" and isinstance(e.left, ast.Number):
        if isinstance(e.right, (ast.Name, ast.Indexed)) and e.left.value == int(e.left.value):
            return [(int(e.left.value), e.right)]
    if isinstance(e, (ast.Name, ast.Indexed)):
        return [(1, e)]
    raise lw.error("CONSERVE needs a sum of states, e.g. 'CONSERVE A + B + C = 1'", e)


class KineticLowering:
    """Lowers one KINETIC block for one method (installed as ``Lowerer.kinetic``)."""

    def __init__(
        self, lw: Lowerer, block: ast.CodeBlock, method: str, plan: _Plan, dvars: dict
    ) -> None:
        self.lw = lw
        self.block = block
        self.method = method
        self.sparse = method == "sparse"
        self.plan = plan
        self.dvars = dvars  # state name -> its D row Var (no offset)
        self.linmat = True
        self.elements: set[tuple[int, int]] = set()
        self.loop_values: dict[str, list[int]] = {}
        self.dynamic = False

    # ------------------------------------------------------------ helpers
    def _terms(self, species: tuple[ast.Species, ...]) -> list[_Term]:
        out = []
        for sp in species:
            var = sp.var
            name = var.name if isinstance(var, (ast.Name, ast.Indexed)) else ""
            index = var.index if isinstance(var, ast.Indexed) else None
            out.append(_Term(name, index, sp.coefficient, name in self.plan.varnum, sp))
        return list(reversed(out))  # nocmodl's lists are built by prepending

    def _index_ir(self, t: _Term, scope: _Scope) -> ir.Expr:
        """The row of a species: varnum (+ index) as an IR expression."""
        base = ir.Const(float(self.plan.varnum[t.name]))
        if t.index is None:
            return base
        return ir.BinOp("+", base, self.lw._expr(t.index, scope))

    def _species_ir(self, t: _Term, scope: _Scope) -> ir.Expr:
        if t.index is None:
            return self.lw._expr(ast.Name(t.name, line=t.node.line, col=t.node.col), scope)
        return self.lw._expr(ast.Indexed(t.name, t.index, line=t.node.line, col=t.node.col), scope)

    def _pasted(self, text: str, factors: list[tuple[str, ir.Expr]], node, scope) -> ir.Expr:
        """Lower ``text`` followed by ``* factor...`` as nocmodl's pasted C text reads."""
        placeholders = {}
        pieces = [text if text else "0."]
        for k, (kind, expr) in enumerate(factors):
            if kind == "num":
                pieces.append(f"* {expr}")
            else:
                name = f"pyneuroSpecies__{k}"
                placeholders[name] = expr
                pieces.append(f"* {name}")
        try:
            tree = parse_expression(" ".join(pieces), self.lw.files[self.lw.origin][0])
        except Exception:
            raise self.lw.error("cannot read this reaction rate", node) from None
        return self._lower_with(tree, placeholders, scope)

    def _lower_with(self, tree: ast.Expr, placeholders: dict, scope: _Scope) -> ir.Expr:
        from ..lower import _Scope as Scope

        inner = Scope(scope)
        for name, expr in placeholders.items():
            inner.names[name] = _Placeholder(expr)
        return _substitute(self.lw._expr(tree, inner))

    def _rhs_var(self, row: ir.Expr) -> ir.Var:
        return ir.Var("rhs", "", 0, row)

    def _mat_var(self, row: ir.Expr, col: ir.Expr) -> ir.Var:
        n = float(self.plan.nstate)
        return ir.Var("matrix", "", 0, ir.BinOp("+", ir.BinOp("*", row, ir.Const(n)), col))

    def _dvar(self, t: _Term, scope: _Scope) -> ir.Var:
        d = self.dvars[t.name]
        if t.index is None:
            return d
        return ir.Var(d.kind, d.name, d.index, self.lw._expr(t.index, scope))

    def _record(self, row: ir.Expr, col: ir.Expr) -> None:
        """Remember a matrix element for the static structure (loop indices enumerated)."""
        rows = self._values(row)
        cols = self._values(col)
        if rows is None or cols is None:
            self.dynamic = True
            return
        for r, c in zip(rows, cols, strict=True):
            self.elements.add((r, c))

    def enter_loop(self, var: str, start: ir.Expr, stop: ir.Expr, step: ir.Expr | None) -> None:
        """A FROM loop inside the block: enumerate its values for the matrix structure."""
        env = {k: v[0] for k, v in self.loop_values.items() if v}
        a, b = _static(start, env), _static(stop, env)
        c = 1.0 if step is None else _static(step, env)
        if a is None or b is None or not c:
            self.dynamic = True
            self.loop_values[var] = [0]
            return
        self.loop_values[var] = list(range(int(a), int(b) + 1, int(c)))

    def exit_loop(self, var: str) -> None:
        self.loop_values.pop(var, None)

    def _values(self, e: ir.Expr) -> list[int] | None:
        """Every value ``e`` takes over the enclosing FROM loops (None: not static)."""
        loops = sorted(self.loop_values)
        combos: list[dict[str, int]] = [{}]
        for name in loops:
            combos = [dict(c, **{name: v}) for c in combos for v in self.loop_values[name]]
        out = []
        for env in combos:
            v = _static(e, env)
            if v is None:
                return None
            out.append(int(v))
        return out

    # ------------------------------------------------------------ statements
    def prologue(self) -> list[ir.Stmt]:
        """What nocmodl inserts after the block's first LOCAL statement."""
        p = self.plan
        out: list[ir.Stmt] = [ir.DeclareLocal("f_flux"), ir.DeclareLocal("b_flux")]
        out.append(ir.DeclareLocal("_term"))
        if self.sparse:
            dt1 = ir.Var("local", "_dt1")
            out += [
                ir.DeclareLocal("_dt1"),
                ir.Assign(dt1, ir.BinOp("/", ir.Const(1.0), ir.Var("scalar", "dt", 1))),
            ]
            for name in p.order:
                start = p.varnum[name]
                for k in range(p.size[name]):
                    row = start + k
                    if row < p.ncons:
                        continue
                    s = self.lw.vars[name]
                    d = self.dvars[name]
                    sv = ir.Var("range", name, s.index + k)
                    dv = ir.Var("range", d.name, d.index + k)
                    r = ir.Const(float(row))
                    out.append(
                        ir.Assign(
                            self._rhs_var(r),
                            ir.BinOp("*", ir.Neg(dt1), ir.BinOp("-", sv, dv)),
                        )
                    )
                    out.append(ir.Assign(self._mat_var(r, r), dt1))
            # volumes: scalar states first, then arrays (nocmodl's two loops)
            for arrays in (False, True):
                for name in p.order[p.ncons :]:
                    if name not in p.capacity:
                        continue
                    if (p.size[name] > 1) != arrays:
                        continue
                    index, volume = p.capacity[name]
                    for k in range(p.size[name]):
                        r = ir.Const(float(p.varnum[name] + k))
                        cap = self._capacity(index, volume, k)
                        rv = self._rhs_var(r)
                        mv = self._mat_var(r, r)
                        out.append(ir.Assign(rv, ir.BinOp("*", rv, cap)))
                        out.append(ir.Assign(mv, ir.BinOp("*", mv, cap)))
        else:
            for name in p.order:
                d = self.dvars[name]
                for k in range(p.size[name]):
                    out.append(ir.Assign(ir.Var("range", d.name, d.index + k), ir.Const(0.0)))
        return out

    def epilogue(self) -> list[ir.Stmt]:
        """intmethod: each Dx divided by its compartment volume at the end of the block."""
        if self.sparse:
            return []
        out: list[ir.Stmt] = []
        p = self.plan
        for name in p.order:
            if name not in p.capacity:
                continue
            index, volume = p.capacity[name]
            d = self.dvars[name]
            for k in range(p.size[name]):
                dv = ir.Var("range", d.name, d.index + k)
                out.append(ir.Assign(dv, ir.BinOp("/", dv, self._capacity(index, volume, k))))
        return out

    def _capacity(self, index: str | None, volume: ast.Expr, k: int) -> ir.Expr:
        from ..lower import _Scope as Scope

        scope = Scope()
        if index is not None:
            scope.names[index] = _Placeholder(ir.Const(float(k)))
        return _substitute(self.lw._expr(volume, scope))

    def stmt(self, st: ast.Stmt, scope: _Scope) -> list[ir.Stmt]:
        if isinstance(st, ast.Compartment):
            return []
        if isinstance(st, ast.LongitudinalDiffusion):
            raise self.lw.unsupported(
                "LONGITUDINAL_DIFFUSION (diffusion between segments needs the engine's "
                "long_difus_solve)",
                st,
            )
        if isinstance(st, ast.Conserve):
            return self._conserve(st, scope) if self.sparse else []
        if isinstance(st, ast.FluxReaction):
            return self._flux(st, scope)
        if isinstance(st, ast.Annihilation):
            rate = self.lw._expr(st.rate, scope)
            lhs = self._terms(st.lhs)
            return self._reaction(lhs, [], ("expr", rate), None, st, scope)
        assert isinstance(st, ast.Reaction)
        lhs = self._terms(st.lhs)
        rhs = self._terms(st.rhs)
        return self._reaction(lhs, rhs, ("text", st.kf_text), ("text", st.kb_text), st, scope)

    def _rate_times(self, krate, factors, node, scope) -> ir.Expr:
        kind, value = krate
        if kind == "text":
            return self._pasted(value, factors, node, scope)
        expr = value
        for fkind, f in factors:
            expr = ir.BinOp("*", expr, ir.Const(float(f)) if fkind == "num" else f)
        return expr

    def _reaction(self, lhs, rhs, kf, kb, node, scope) -> list[ir.Stmt]:
        sides = [lhs, rhs]
        krate = [kf, kb]
        fflux, bflux = ir.Var("local", "f_flux"), ir.Var("local", "b_flux")
        out: list[ir.Stmt] = []
        for j, target in ((0, fflux), (1, bflux)):
            if krate[j] is None:
                out.append(ir.Assign(target, ir.Const(0.0)))
                continue
            factors = []
            for t in sides[j]:
                for _ in range(t.num):
                    factors.append(("species", self._species_ir(t, scope)))
            out.append(ir.Assign(target, self._rate_times(krate[j], factors, node, scope)))
        net = ir.BinOp("-", fflux, bflux)
        for j in (0, 1):
            for t in sides[j]:
                if not t.isstate or self._conserved(t):
                    continue
                amount = net if t.num == 1 else ir.BinOp("*", ir.Const(float(t.num)), net)
                if self.sparse:
                    target = self._rhs_var(self._index_ir(t, scope))
                else:
                    target = self._dvar(t, scope)
                op = "-" if j == 0 else "+"
                out.append(ir.Assign(target, ir.BinOp(op, target, amount)))
        if not self.sparse:
            return out
        term = ir.Var("local", "_term")
        for j in (0, 1):
            if krate[j] is None:
                continue
            for t in sides[j]:
                if not t.isstate:
                    continue
                factors: list[tuple[str, object]] = []
                if t.num != 1:
                    factors.append(("num", t.num))
                for t1 in sides[j]:
                    count = t1.num - (1 if t1 is t else 0)
                    for _ in range(count):
                        self.linmat = False
                        factors.append(("species", self._species_ir(t1, scope)))
                out.append(ir.Assign(term, self._rate_times(krate[j], factors, node, scope)))
                col = self._index_ir(t, scope)
                for j1 in (0, 1):
                    for t1 in sides[j1]:
                        if not t1.isstate or self._conserved(t1):
                            continue
                        row = self._index_ir(t1, scope)
                        self._record(row, col)
                        m = self._mat_var(row, col)
                        amount = (
                            term if t1.num == 1 else ir.BinOp("*", ir.Const(float(t1.num)), term)
                        )
                        op = "+" if j == j1 else "-"
                        out.append(ir.Assign(m, ir.BinOp(op, m, amount)))
        return out

    def _conserved(self, t: _Term) -> bool:
        return self.sparse and self.plan.varnum[t.name] < self.plan.ncons

    def _flux(self, st: ast.FluxReaction, scope: _Scope) -> list[ir.Stmt]:
        """``~ x << (flux)``: the flux adds to x' (no matrix term)."""
        terms = self._species_list(st.species)
        if len(terms) != 1 or terms[0].num != 1:
            raise self.lw.error("flux equations involve only one state", st)
        t = terms[0]
        if not t.isstate:
            raise self.lw.error(f"'{t.name}' must be a (solved) STATE in a flux reaction", st)
        if self._conserved(t):
            raise self.lw.error(f"'{t.name}' is conserved and has a flux", st)
        fflux, bflux = ir.Var("local", "f_flux"), ir.Var("local", "b_flux")
        flux = self.lw._expr(st.flux, scope)
        target = self._rhs_var(self._index_ir(t, scope)) if self.sparse else self._dvar(t, scope)
        return [
            ir.Assign(fflux, ir.Const(0.0)),
            ir.Assign(bflux, flux),
            ir.Assign(target, ir.BinOp("+", target, bflux)),
        ]

    def _species_list(self, e: ast.Expr) -> list[_Term]:
        return self._terms(
            tuple(ast.Species(c, v, line=v.line, col=v.col) for c, v in _species_of(e, self.lw))
        )

    def _conserve(self, st: ast.Conserve, scope: _Scope) -> list[ir.Stmt]:
        p = self.plan
        terms = self._species_list(st.lhs)
        eq = self._conserve_row(st)
        row = ir.Const(float(eq))
        rv = self._rhs_var(row)
        out: list[ir.Stmt] = [ir.Assign(rv, self.lw._expr(st.rhs, scope))]
        for t in terms:
            if not t.isstate:
                raise self.lw.error(
                    f"'{t.name}': only (solved) STATEs are allowed in CONSERVE equations", st
                )
            if t.index is not None:
                raise self.lw.unsupported("an array element in a CONSERVE statement", st)
            col = ir.Const(float(p.varnum[t.name]))
            cap = None
            if t.name in p.capacity:
                index, volume = p.capacity[t.name]
                cap = self._capacity(index, volume, 0)
            coef: ir.Expr = ir.Const(float(t.num))
            if cap is not None:
                coef = ir.BinOp("*", coef, cap)
            self._record(row, col)
            out.append(ir.Assign(self._mat_var(row, col), coef))
            amount: ir.Expr = self._species_ir(t, scope)
            if cap is not None:
                amount = ir.BinOp("*", amount, cap)
            if t.num != 1:
                amount = ir.BinOp("*", amount, ir.Const(float(t.num)))
            out.append(ir.Assign(rv, ir.BinOp("-", rv, amount)))
        return out

    def _conserve_row(self, st: ast.Conserve) -> int:
        key = (st.line, st.col)
        return self.plan.conserve_rows[key]


@dataclass(frozen=True)
class _Placeholder(ir.Expr):
    """A name bound to an already lowered expression while re-lowering pasted text."""

    expr: ir.Expr


def _substitute(e: ir.Expr) -> ir.Expr:
    """Replace placeholder variables (see `_Placeholder`) by their expressions."""
    if isinstance(e, _Placeholder):
        return e.expr
    if isinstance(e, ir.Var):
        if e.offset is not None:
            return ir.Var(e.kind, e.name, e.index, _substitute(e.offset))
        return e
    if isinstance(e, ir.BinOp):
        return ir.BinOp(e.op, _substitute(e.left), _substitute(e.right))
    if isinstance(e, ir.Neg):
        return ir.Neg(_substitute(e.operand))
    if isinstance(e, ir.Not):
        return ir.Not(_substitute(e.operand))
    if isinstance(e, ir.Pow):
        return ir.Pow(_substitute(e.base), _substitute(e.exponent))
    if isinstance(e, ir.Builtin):
        return ir.Builtin(e.name, tuple(_substitute(a) for a in e.args))
    if isinstance(e, ir.CallFunc):
        return ir.CallFunc(e.name, tuple(_substitute(a) for a in e.args))
    return e


def _static(e: ir.Expr, env: dict[str, int]) -> float | None:
    """Value of an index expression built from constants and FROM-loop variables."""
    if isinstance(e, ir.Const):
        return e.value
    if isinstance(e, ir.Var) and e.kind == "loop" and e.name in env:
        return float(env[e.name])
    if isinstance(e, ir.Neg):
        v = _static(e.operand, env)
        return None if v is None else -v
    if isinstance(e, ir.BinOp) and e.op in "+-*/":
        a = _static(e.left, env)
        b = _static(e.right, env)
        if a is None or b is None:
            return None
        if e.op == "+":
            return a + b
        if e.op == "-":
            return a - b
        if e.op == "*":
            return a * b
        return a / b if b else None
    return None


def _plan(lw: Lowerer, block: ast.CodeBlock) -> _Plan:
    """Pass 1: the states of the block's reactions and their numbering."""
    sym = lw.sym
    solvefor = set(block.solvefor)

    def isstate(name: str) -> bool:
        d = sym.decls.get(name)
        return d is not None and d.block == "STATE" and (not solvefor or name in solvefor)

    reactions: list[list[tuple[str, bool]]] = []  # per reaction: (name, is array) terms
    conserves: list[tuple[ast.Conserve, list[tuple[str, bool]]]] = []
    plan = _Plan()
    for st in _walk(block.body.stmts):
        if isinstance(st, ast.Reaction):
            sides = list(st.lhs) + list(st.rhs)
            reactions.append([(_name(s.var), isinstance(s.var, ast.Indexed)) for s in sides])
        elif isinstance(st, ast.Annihilation):
            reactions.append([(_name(s.var), isinstance(s.var, ast.Indexed)) for s in st.lhs])
        elif isinstance(st, ast.FluxReaction):
            reactions.append(
                [(_name(v), isinstance(v, ast.Indexed)) for _c, v in _species_of(st.species, lw)]
            )
        elif isinstance(st, ast.Conserve):
            conserves.append(
                (st, [(_name(v), isinstance(v, ast.Indexed)) for _c, v in _species_of(st.lhs, lw)])
            )
        elif isinstance(st, ast.Compartment):
            for ident in st.species:
                plan.capacity[ident.name] = (st.index, st.volume)
    marked: set[str] = set()
    for _st, terms in conserves:
        marked.update(n for n, _a in terms if isstate(n))
    for terms in reactions:
        marked.update(n for n, _a in terms if isstate(n))
    count = 0
    for st, terms in reversed(conserves):
        for name, _array in reversed(terms):
            if name in marked and name not in plan.varnum and lw.vars[name].size == 1:
                plan.varnum[name] = count
                plan.size[name] = 1
                plan.order.append(name)
                plan.conserve_rows[(st.line, st.col)] = count
                count += 1
                break
        else:
            raise lw.error("Failed to diagonalize the Kinetic matrix (CONSERVE)", st)
    plan.ncons = count
    rest = [n for n in marked if n not in plan.varnum]
    for k in ode.symtab_order(rest, lw.program.names):
        name = rest[k]
        plan.varnum[name] = count
        plan.size[name] = lw.vars[name].size
        plan.order.append(name)
        count += plan.size[name]
    if count == 0:
        raise lw.error(f"KINETIC '{block.name}' contains no reactions", block)
    plan.nstate = count
    plan.capacity = {k: v for k, v in plan.capacity.items() if k in plan.varnum}
    return plan


def _name(e: ast.Expr) -> str:
    return e.name if isinstance(e, (ast.Name, ast.Indexed)) else ""


def solve(
    lw: Lowerer, st: ast.Solve, method: str | None, steady: bool, where: str, mloc: ast.Node
) -> list[ir.Stmt]:
    """The statements of ``SOLVE kin METHOD sparse|euler|runge`` (or STEADYSTATE sparse)."""
    from ..lower import _Scope

    block = lw.sym.kinetics[st.block]
    if method is None:
        raise lw.unsupported(
            f"SOLVE {st.block} without METHOD on a KINETIC block (nocmodl emits a call of "
            "_advance_thread, which NEURON cannot build)",
            st,
        )
    if method not in ("sparse", "euler", "runge"):
        raise lw.error(f"METHOD {method} cannot solve a KINETIC block", mloc)
    if steady and method != "sparse":
        raise lw.unsupported(f"SOLVE {st.block} STEADYSTATE {method}", mloc)
    key = f"{st.block}_{method}"
    prev = lw._at(block)
    try:
        if key not in lw.mech.ode_solvers:
            plan = _plan(lw, block)
            dvars = {}
            for name in plan.order:
                dvars[name] = lw.dstate(ir.Var("range", name, lw.vars[name].index))
            kl = KineticLowering(lw, block, method, plan, dvars)
            saved = lw.kinetic
            lw.kinetic = kl
            try:
                body = _lower_body(lw, kl, block, _Scope)
            finally:
                lw.kinetic = saved
            rows: list[int] = []
            drows: list[int] = []
            for name in plan.order:
                for k in range(plan.size[name]):
                    rows.append(lw.vars[name].index + k)
                    drows.append(dvars[name].index + k)
            spec = None
            if kl.sparse:
                if kl.dynamic:
                    raise lw.unsupported(
                        f"KINETIC '{block.name}': a reaction's matrix position depends on "
                        "run-time values (sparse needs FROM loops with constant bounds)",
                        block,
                    )
                spec = sparse_order.elimination_order(plan.nstate, kl.elements, kl.linmat)
            lw.mech.ode_solvers[key] = ir.OdeSolver(
                key=key,
                block=st.block,
                method=method,
                body=tuple(body),
                rows=rows,
                drows=drows,
                sparse=spec,
            )
    finally:
        lw.origin = prev
    if where == "BREAKPOINT":
        lw.mech.halve_dt = True
    return [ir.SolveOde(key, steady)]


def _lower_body(lw: Lowerer, kl: KineticLowering, block: ast.CodeBlock, scope_cls) -> list:
    """The block's statements with nocmodl's prologue after its first LOCAL statement."""
    stmts = block.body.stmts
    head = 1 if stmts and isinstance(stmts[0], ast.Local) else 0
    scope = scope_cls()
    for name in ("f_flux", "b_flux", "_term", "_dt1"):
        scope.names[name] = ir.Var("local", name)
    saved = lw.block_kind
    lw.block_kind = "KINETIC"
    try:
        out: list[ir.Stmt] = []
        inner = scope_cls(scope)
        for st in stmts[:head]:
            out.extend(lw._stmt(st, inner))
        out.extend(kl.prologue())
        for st in stmts[head:]:
            out.extend(lw._stmt(st, inner))
        out.extend(kl.epilogue())
    finally:
        lw.block_kind = saved
    return out


def is_kinetic_stmt(st: ast.Stmt) -> bool:
    return isinstance(st, _KINETIC_STMTS)
