"""Semantic analysis and lowering: AST -> symbol table -> mechanism IR.

Resolves every name to its storage, checks what nocmodl would reject (undefined names,
duplicate declarations, bad SOLVE targets and methods, wrong argument counts, primes of
non-states), and refuses by name what this compiler cannot translate yet.
"""

from __future__ import annotations

import math
from pathlib import Path

from . import ast, ir, verbatim
from .errors import Location, NmodlError, UnsupportedConstruct
from .parser import parse_expression
from .solve import cnexp, ode
from .symbols import (
    BUILTINS,
    EVENT_CALLS,
    METHODS,
    NODE_ROWS,
    RANDOM_CALLS,
    SCALARS,
    SPECIALS,
    STREAM_ROWS,
    UNSUPPORTED_CALLS,
    VECTOR_CALLS,
    VECTOR_ROWS,
    Declaration,
    SymbolTable,
    ion_field,
)
from .units import unit_factor

_UNSUPPORTED_BLOCKS = {
    "DISCRETE": "DISCRETE block",
    "PARTIAL": "PARTIAL block",
}
_UNSUPPORTED_NEURON: dict[str, str] = {}
#: BEFORE/AFTER blocks NEURON runs (hoc_reg_ba), and the kernel each becomes
_BA_KERNELS = {
    ("BEFORE", "BREAKPOINT"): "before_breakpoint",
    ("AFTER", "SOLVE"): "after_solve",
    ("BEFORE", "INITIAL"): "before_initial",
    ("AFTER", "INITIAL"): "after_initial",
    ("BEFORE", "STEP"): "before_step",
}
_DECL_ROLE = {"PARAMETER": "parameter", "ASSIGNED": "assigned", "STATE": "state"}


class _Scope:
    """Names visible inside one code block: arguments, LOCALs, loop variables."""

    def __init__(self, parent: _Scope | None = None) -> None:
        self.parent = parent
        self.names: dict[str, ir.Var] = {}

    def lookup(self, name: str) -> ir.Var | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class Lowerer:
    """Builds the `ir.Mechanism` of one parsed file."""

    def __init__(self, program: ast.Program) -> None:
        self.program = program
        files = program.files or ((program.filename, program.source),)
        self.files = [(name, text.replace("\r", " ").split("\n")) for name, text in files]
        self.origin_of = {id(item): k for item, k in zip(program.items, program.origins)}
        self.origin = 0
        self.sym = SymbolTable()
        self.mech: ir.Mechanism
        self.vars: dict[str, ir.Variable] = {}
        self.block_kind = ""
        self.function: ast.CodeBlock | None = None
        self.v_in_helpers = False
        #: the KINETIC block being lowered (nmodl.solve.kinetic.KineticLowering)
        self.kinetic = None
        #: the LINEAR block being lowered (nmodl.solve.linear.LinearLowering)
        self.linear = None
        #: NET_RECEIVE's argument count, and whether a FOR_NETCONS body is being lowered
        self.netarg_count = 0
        self.in_for_netcons = False
        #: C at file level (helper C functions an NMODL block may call)
        self.c_toplevel: ast.Verbatim | None = None
        #: refusals: FUNCTION/PROCEDURE name (or None for the mechanism) -> (reason, node)
        self.refusals: dict[str | None, tuple[str, dict]] = {}
        self._body_depth = 0
        self._last_stmt = False
        self.listed: dict[str, ast.Ident] = {}
        self.loop_depth = 0
        self.net_send_seen: ast.Node | None = None
        self.net_move_seen: ast.Node | None = None
        self.written_netargs: set[str] = set()

    # -------------------------------------------------------------- errors

    def _loc(self, node: ast.Node | None) -> tuple[Location | None, str | None]:
        if node is None or not node.line:
            return None, None
        filename, lines = self.files[self.origin]
        src = lines[node.line - 1] if node.line <= len(lines) else None
        return Location(filename, node.line, node.col), src

    def _at(self, item: ast.Node) -> int:
        """Make error locations refer to the file ``item`` (a top-level item) was written in;
        returns the previous setting for `_at_restore`."""
        prev = self.origin
        self.origin = self.origin_of.get(id(item), prev)
        return prev

    def error(self, message: str, node: ast.Node | None) -> NmodlError:
        return NmodlError(message, *self._loc(node))

    def unsupported(self, construct: str, node: ast.Node | None) -> UnsupportedConstruct:
        return UnsupportedConstruct(f"{construct} is not supported", *self._loc(node))

    # -------------------------------------------------------------- driver

    def run(self) -> ir.Mechanism:
        items = self.program.items
        self._neuron_block(items)
        self._declarations(items)
        self._collect_blocks(items)
        self._build_variables()
        self._lower_code(items)
        self._apply_refusals()
        return self.mech

    def _apply_refusals(self) -> None:
        """Stub the FUNCTIONs holding C; refuse the mechanism if its kernels reach C."""
        mech = self.mech
        for name, (reason, _where) in self.refusals.items():
            if name is not None and name in mech.functions:
                mech.functions[name].refused = reason
        calls: dict[str, set[str]] = {name: _called(f.body) for name, f in mech.functions.items()}
        roots: set[str] = set()
        for body in (mech.initial, mech.breakpoint, mech.state_update):
            roots |= _called(body)
        for solver in mech.ode_solvers.values():
            roots |= _called(solver.body)
        if mech.net_receive is not None:
            roots |= _called(mech.net_receive.body)
            roots |= _called(mech.net_receive.init or ())
        roots |= {t.function for t in mech.tables}  # check_table builds every table
        for blocks in mech.ba_blocks.values():
            for body in blocks:
                roots |= _called(body)
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name in seen or name not in calls:
                continue
            seen.add(name)
            todo.extend(calls[name])
        key: str | None = None
        if None in self.refusals:
            key = None
        else:
            key = next((n for n in self.refusals if n in seen), "")
            if key == "":
                return
        reason, where = self.refusals[key]
        via = f" (in {mech.functions[key].name}, which the mechanism calls)" if key else ""
        mech.refused = {
            "reason": f"{reason}{via}; mechanism '{mech.name}' cannot be used. Port that code "
            "to NMODL (see docs/mechanism-abi.md, 'VERBATIM')",
            **where,
        }

    # -------------------------------------------------------------- NEURON block

    def _neuron_block(self, items: tuple[ast.Node, ...]) -> None:
        sym = self.sym
        blocks = [i for i in items if isinstance(i, ast.NeuronBlock)]
        for block in blocks:
            self._at(block)
            for st in block.stmts:
                if isinstance(st, ast.UseIon):
                    self._useion(st)
                    continue
                kind = st.kind
                names = [n.name for n in st.names]
                if kind in ("SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL"):
                    if sym.name:
                        raise self.error(f"a second {kind} statement ('{names[0]}')", st)
                    sym.name = names[0]
                    sym.kind = {
                        "SUFFIX": "density",
                        "POINT_PROCESS": "point",
                        "ARTIFICIAL_CELL": "artificial",
                    }[kind]
                elif kind == "RANGE":
                    sym.range_names.update(names)
                    self.listed.update({n.name: n for n in st.names})
                elif kind == "GLOBAL":
                    sym.global_names.update(names)
                    self.listed.update({n.name: n for n in st.names})
                elif kind == "NONSPECIFIC_CURRENT":
                    sym.nonspecific.extend(names)
                    sym.current_order.extend((n, None) for n in names)
                elif kind == "ELECTRODE_CURRENT":
                    sym.electrode.extend(names)
                    sym.current_order.extend((n, None) for n in names)
                elif kind == "RANDOM":
                    for ident in st.names:
                        sym.randoms[ident.name] = ident
                elif kind == "BBCOREPOINTER":
                    for ident in st.names:
                        sym.vectors[ident.name] = ident
                elif kind == "POINTER":
                    for ident in st.names:
                        sym.pointers[ident.name] = ident
                elif kind == "EXTERNAL":
                    for ident in st.names:
                        if ident.name not in SPECIALS:  # t, dt, celsius, v: ours anyway
                            sym.externals[ident.name] = ident
                elif kind in _UNSUPPORTED_NEURON:
                    raise self.unsupported(_UNSUPPORTED_NEURON[kind], st)
        if not sym.name:
            sym.name = Path(self.program.filename).stem

    def _useion(self, st: ast.UseIon) -> None:
        sym = self.sym
        slot = len(sym.ions)
        sym.ions.append(st)
        for ident, written in [(n, False) for n in st.read] + [(n, True) for n in st.write]:
            f = ion_field(st.ion, ident.name)
            if f is None:
                raise self.error(
                    f"'{ident.name}' is not a variable of ion '{st.ion}' (expected "
                    f"e{st.ion}, {st.ion}i, {st.ion}o or i{st.ion})",
                    ident,
                )
            prev = sym.ion_vars.get(ident.name)
            sym.ion_vars[ident.name] = (slot, st.ion, written or (prev is not None and prev[2]))
            if written and f == 3:
                sym.current_order.append((ident.name, st.ion))

    # -------------------------------------------------------------- declarations

    def _declarations(self, items: tuple[ast.Node, ...]) -> None:
        sym = self.sym
        for item in items:
            if isinstance(item, ast.Define):
                sym.defines[item.name] = item.value
        for item in items:
            self._at(item)
            if isinstance(item, ast.UnitsBlock):
                for d in item.defs:
                    if d.kind == "constant":
                        self._declare_const(d.name, float(d.value or 0.0), d)
                    elif d.kind == "factor":
                        value = unit_factor(d.unit1 or "", d.unit2 or "")
                        if value is None:
                            raise self.unsupported(
                                f"unit conversion factor ({d.unit1}) -> ({d.unit2})", d
                            )
                        self._declare_const(d.name, value, d)
                    elif d.kind == "convert":
                        raise self.unsupported("unit conversion '->' in UNITS", d)
            elif isinstance(item, ast.DeclBlock):
                if item.kind == "INDEPENDENT":
                    continue
                for d in item.decls:
                    if item.kind == "CONSTANT":
                        self._declare_const(d.name, d.value or 0.0, d)
                        continue
                    self._declare(d.name, Declaration(item.kind, d), d)
                    if d.size is not None and sym.size_of(d.size) < 1:
                        raise self.error(f"array size of '{d.name}' must be a positive integer", d)
            elif isinstance(item, ast.Local):
                for lv in item.vars:
                    self._declare(lv.name, Declaration("LOCAL", lv), lv)

    def _declare_const(self, name: str, value: float, node: ast.Node) -> None:
        if name in self.sym.constants or name in self.sym.decls:
            raise self.error(f"duplicate declaration of '{name}'", node)
        self.sym.constants[name] = value

    def _declare(self, name: str, decl: Declaration, node: ast.Node) -> None:
        prev = self.sym.decls.get(name)
        if prev is not None or name in self.sym.constants:
            where = f" (first declared at line {prev.decl.line})" if prev else ""
            raise self.error(f"duplicate declaration of '{name}'{where}", node)
        self.sym.decls[name] = decl

    def _collect_blocks(self, items: tuple[ast.Node, ...]) -> None:
        sym = self.sym
        for item in items:
            self._at(item)
            if isinstance(item, ast.FunctionTable):
                if item.name in sym.functions or item.name in sym.function_tables:
                    raise self.error(f"duplicate definition of '{item.name}'", item)
                sym.function_tables[item.name] = item
                continue
            if isinstance(item, ast.Verbatim) and item.text.strip():
                if verbatim.classify(item.text).kind == "c" and self.c_toplevel is None:
                    self.c_toplevel = item
            if not isinstance(item, ast.CodeBlock):
                continue
            if item.kind in _UNSUPPORTED_BLOCKS:
                what = _UNSUPPORTED_BLOCKS[item.kind]
                named = f" '{item.name}'" if item.kind not in ("BEFORE", "AFTER") else ""
                raise self.unsupported(f"{what}{named}", item)
            if item.kind in ("FUNCTION", "PROCEDURE"):
                name = item.name or ""
                if name in sym.functions or name in sym.derivatives or name in sym.kinetics:
                    raise self.error(f"duplicate definition of '{name}'", item)
                if name in sym.decls or name in sym.constants:
                    raise self.error(
                        f"'{name}' is declared as a variable and as a {item.kind}", item
                    )
                sym.functions[name] = item
                if item.kind == "PROCEDURE":
                    sym.solvable[name] = "PROCEDURE"
            elif item.kind in ("DERIVATIVE", "KINETIC", "LINEAR", "NONLINEAR"):
                name = item.name or ""
                if name in sym.solvable or name in sym.functions:
                    raise self.error(f"duplicate definition of '{name}'", item)
                if item.kind == "DERIVATIVE":
                    sym.derivatives[name] = item
                elif item.kind == "KINETIC":
                    sym.kinetics[name] = item
                elif item.kind == "LINEAR":
                    sym.linears[name] = item
                else:
                    sym.nonlinears[name] = item
                sym.solvable[name] = item.kind

    # -------------------------------------------------------------- storage

    def _add(self, var: ir.Variable) -> ir.Variable:
        if var.storage == "range":
            var.index = sum(v.size for v in self.mech.variables if v.storage == "range")
        else:
            var.index = sum(v.size for v in self.mech.variables if v.storage == "global")
        self.mech.variables.append(var)
        self.vars[var.name] = var
        return var

    def _build_variables(self) -> None:
        sym = self.sym
        self.mech = ir.Mechanism(
            name=sym.name, kind=sym.kind, file=self.program.filename, title=self.program.title
        )
        mech = self.mech
        for use in sym.ions:
            read = [n.name for n in use.read]
            write = [n.name for n in use.write]
            mech.ions.append(ir.IonUse(use.ion, read, write, use.valence))
        mech.nonspecific_currents = list(sym.nonspecific)
        mech.electrode_current = bool(sym.electrode)
        mech.currents = list(sym.current_order)
        for name in sorted(sym.range_names | sym.global_names):
            if name not in sym.decls and name not in sym.ion_vars and name not in SPECIALS:
                if name not in sym.nonspecific and name not in sym.electrode:
                    # nocmodl ignores a RANGE/GLOBAL name that nothing declares
                    mech.warnings.append(
                        f"'{name}' is listed in the NEURON block but not declared (ignored)"
                    )
        order = ["PARAMETER", "ASSIGNED", "STATE"]
        states: list[tuple[str, ast.VarDecl]] = []
        for block in order:
            for name, d in sym.decls.items():
                if (
                    d.block != block
                    or name in SPECIALS
                    or name in sym.vectors
                    or name in sym.pointers
                    or name in sym.externals
                ):
                    continue
                decl = d.decl
                assert isinstance(decl, ast.VarDecl)
                size = sym.size_of(decl.size)
                units = decl.unit or ""
                if name in sym.ion_vars:
                    role = "state" if block == "STATE" else "ion"
                    self._add(
                        ir.Variable(
                            name,
                            role,
                            "range",
                            size=size,
                            units=units,
                            public=name in sym.range_names or block == "STATE",
                        )
                    )
                elif block == "PARAMETER":
                    is_range = name in sym.range_names
                    self._add(
                        ir.Variable(
                            name,
                            "parameter",
                            "range" if is_range else "global",
                            size=size,
                            default=decl.value or 0.0,
                            units=units,
                        )
                    )
                elif block == "ASSIGNED":
                    if name in sym.global_names:
                        self._add(ir.Variable(name, "assigned", "global", size=size, units=units))
                    else:
                        public = (
                            name in sym.range_names
                            or name in sym.nonspecific
                            or name in sym.electrode
                        )
                        self._add(
                            ir.Variable(
                                name, "assigned", "range", size=size, units=units, public=public
                            )
                        )
                else:
                    self._add(ir.Variable(name, "state", "range", size=size, units=units))
                    states.append((name, decl))
        for name in list(sym.nonspecific) + list(sym.electrode):
            if name not in self.vars:
                self._add(ir.Variable(name, "assigned", "range"))
        for name in sym.ion_vars:
            if name not in self.vars:
                self._add(ir.Variable(name, "ion", "range", public=name in sym.range_names))
        for name, ident in sym.randoms.items():
            if name in sym.decls or name in sym.constants or name in self.vars:
                raise self.error(f"'{name}' cannot be redeclared as RANDOM", ident)
            var = self._add(ir.Variable(name, "random", "range", size=STREAM_ROWS, public=False))
            mech.randoms[name] = var.index
        handles = verbatim.random_handles(_verbatim_texts(self.program))
        for name in list(sym.pointers) + list(sym.vectors):
            if name in handles:
                # a hoc Random kept by the VERBATIM idiom: the row holds the address of the
                # Random's state buffer (0: none), set by the idiom's PROCEDURE
                var = self._add(ir.Variable(f"_p_{name}", "random_handle", "range", public=False))
                mech.random_handles[name] = var.index
                mech.cpu_only.append("Random object (nrn_random_pick)")
        for name, ident in sym.pointers.items():
            if name in mech.random_handles:
                continue
            decl = sym.decls.get(name)
            if decl is not None and decl.block not in ("ASSIGNED", "PARAMETER"):
                # nocmodl takes a POINTER's declaration from ASSIGNED or PARAMETER (ModelDB
                # 21329's gap.mod) and never stores a value for it
                raise self.error(
                    f"the POINTER '{name}' can only be declared in ASSIGNED or PARAMETER", ident
                )
            # the row holds the address of the double it points to (0: not set); the engine
            # fills it (docs/mechanism-abi.md, POINTER)
            var = self._add(ir.Variable(f"_p_{name}", "pointer", "range", public=False))
            mech.pointers[name] = var.index
            mech.cpu_only.append("POINTER")
        for name in sym.function_tables:
            # 1 + where its data starts in ``tab`` (0: not given yet), set by the engine
            var = self._add(ir.Variable(f"_ft_{name}", "function_table", "global", public=False))
            mech.function_tables[name] = (len(sym.function_tables[name].params), var.index)
        for name in sym.externals:
            # a GLOBAL of another mechanism (nocmodl: 'extern double name'); the entry holds
            # the address of that mechanism's value, filled by the engine
            var = self._add(ir.Variable(f"_e_{name}", "external", "global", public=False))
            mech.externals[name] = var.index
            mech.cpu_only.append("EXTERNAL")
        for name, ident in sym.vectors.items():
            if name in mech.random_handles:
                continue
            decl = sym.decls.get(name)
            if decl is not None and decl.block != "ASSIGNED":
                raise self.error(
                    f"the BBCOREPOINTER '{name}' can only be declared in ASSIGNED", ident
                )
            var = self._add(ir.Variable(name, "vector", "range", size=VECTOR_ROWS, public=False))
            mech.vectors[name] = var.index
        for name, decl in states:
            if f"{name}0" in self.vars:
                # a variable the file declares itself (ModelDB 146026: PARAMETER a0 beside
                # STATE a) is that state's start value, as nocmodl's install() finds it
                continue
            self._add(
                ir.Variable(
                    f"{name}0",
                    "state0",
                    "global",
                    size=sym.size_of(decl.size),
                    default=decl.start or 0.0,
                    units=decl.unit or "",
                )
            )
        for name, d in sym.decls.items():
            if d.block == "LOCAL":
                assert isinstance(d.decl, ast.LocalVar)
                self._add(
                    ir.Variable(
                        name, "local", "global", size=sym.size_of(d.decl.size), public=False
                    )
                )

    # -------------------------------------------------------------- code

    def _lower_code(self, items: tuple[ast.Node, ...]) -> None:
        mech = self.mech
        sym = self.sym
        has_table = any(
            isinstance(s, ast.Table) for f in sym.functions.values() for s in f.body.stmts
        )
        if has_table:
            self._add(ir.Variable("usetable", "usetable", "global", default=1.0))
        for name, fblock in sym.functions.items():
            self._at(fblock)
            mech.functions[name] = self._lower_function(fblock)
        initial: list[ir.Stmt] = []
        breakpoint_stmts: list[ir.Stmt] = []
        for item in items:
            if not isinstance(item, ast.CodeBlock):
                continue
            self._at(item)
            if item.kind == "INITIAL":
                initial.extend(self._block(item.body, "INITIAL", _Scope()))
            elif item.kind == "BREAKPOINT":
                breakpoint_stmts.extend(self._breakpoint(item))
            elif item.kind in ("BEFORE", "AFTER"):
                kernel = _BA_KERNELS.get((item.kind, item.name or ""))
                if kernel is None:
                    raise self.unsupported(
                        f"{item.kind} {item.name} (NEURON only runs BEFORE BREAKPOINT, "
                        "AFTER SOLVE, BEFORE/AFTER INITIAL and BEFORE STEP blocks)",
                        item,
                    )
                body = self._block(item.body, item.kind, _Scope())
                mech.ba_blocks.setdefault(kernel, []).append(tuple(body))
            elif item.kind in ("CONSTRUCTOR", "DESTRUCTOR"):
                body = self._block(item.body, item.kind, _Scope())
                if any(not isinstance(st, ir.DeclareLocal) for st in body):
                    self._refuse_here(
                        f"{self.files[self.origin][0]}:{item.line}: the {item.kind} block's "
                        "code (run when a point process is created or deleted) is not run by "
                        "pyneuro",
                        item,
                    )
            elif item.kind == "NET_RECEIVE":
                self._net_receive(item)
        mech.initial = tuple(initial)
        mech.initial_events = _count_net_sends(mech.initial)
        mech.breakpoint = tuple(breakpoint_stmts)
        if self.net_send_seen is not None and mech.net_receive is None:
            raise self.error(
                "can't use net_send if there is no NET_RECEIVE block", self.net_send_seen
            )
        if self.net_move_seen is not None and self.net_send_seen is None:
            raise self.error(
                "net_move moves the pending net_send(..., 1) self-event, but this file has "
                "no net_send",
                self.net_move_seen,
            )
        self._watch_rows()
        offset = 0
        for table in mech.tables:
            table.offset = offset
            offset += table.size
        if self.v_in_helpers:
            var = self._add(ir.Variable("v", "v", "range", units="mV", public=False))
            mech.v_row = var.index

    # -------------------------------------------------------------- events

    def _net_receive(self, item: ast.CodeBlock) -> None:
        mech = self.mech
        if mech.net_receive is not None:
            raise self.error("Only one NET_RECEIVE block allowed", item)
        if mech.kind == "density":
            raise self.error(
                "NET_RECEIVE can only exist in a POINT_PROCESS or ARTIFICIAL_CELL", item
            )
        scope = _Scope()
        args: list[str] = []
        for p in item.params:
            if p.name in scope.names:
                raise self.error(f"duplicate argument '{p.name}'", p)
            scope.names[p.name] = ir.Var("netarg", p.name, len(args))
            args.append(p.name)
        # nocmodl makes flag the last argument of NET_RECEIVE: it hides a variable 'flag'
        scope.names["flag"] = ir.Var("flag", "flag")
        inits = [
            st for st in item.body.stmts if isinstance(st, ast.CodeBlock) and st.kind == "INITIAL"
        ]
        if len(inits) > 1:
            raise self.error("NET_RECEIVE block can contain only one INITIAL block", inits[1])
        rest = ast.Block(
            tuple(st for st in item.body.stmts if not isinstance(st, ast.CodeBlock)),
            line=item.body.line,
            col=item.body.col,
        )
        self.written_netargs = set()
        self.netarg_count = len(args)
        body = tuple(self._block(rest, "NET_RECEIVE", scope))
        init = None
        if inits:
            init = tuple(self._block(inits[0].body, "NET_RECEIVE INITIAL", scope))
        mech.net_receive = ir.NetReceive(
            args,
            body,
            init,
            written_args=frozenset(self.written_netargs),
        )

    def _for_netcons(self, st: ast.ForNetcons, scope: _Scope) -> list[ir.Stmt]:
        """``FOR_NETCONS(args) { }``: nocmodl's loop over the instance's NetCons, the
        arguments bound to each NetCon's weights by position (reads and writes)."""
        if self.block_kind not in ("NET_RECEIVE", "NET_RECEIVE INITIAL"):
            raise self.error("FOR_NETCONS is only allowed in NET_RECEIVE", st)
        if self.in_for_netcons:
            raise self.error("FOR_NETCONS inside FOR_NETCONS", st)
        if len(st.params) != self.netarg_count:  # nocmodl's rule
            raise self.error(
                "FOR_NETCONS and NET_RECEIVE do not have the same number of arguments "
                f"({len(st.params)} and {self.netarg_count})",
                st,
            )
        mech = self.mech
        if not mech.for_netcons:
            for key in ("csr", "list", "w", "stride"):
                var = self._add(ir.Variable(f"_fnc_{key}", "for_netcons", "global", public=False))
                mech.for_netcons[key] = var.index
            mech.cpu_only.append("FOR_NETCONS")
        inner = _Scope(scope)
        for k, p in enumerate(st.params):
            inner.names[p.name] = ir.Var("fnarg", p.name, k)
        self.in_for_netcons = True
        try:
            body = self._block(st.body, self.block_kind, inner)
        finally:
            self.in_for_netcons = False
        return [ir.ForNetcons(len(st.params), tuple(body))]

    def _event_call(self, call: ast.Call, scope: _Scope) -> ir.Stmt:
        name = call.name
        nargs = EVENT_CALLS[name]
        if len(call.args) != nargs:
            raise self.error(f"'{name}' takes {nargs} argument(s), {len(call.args)} given", call)
        kind = self.block_kind
        if name == "net_send":
            if kind == "NET_RECEIVE INITIAL":
                raise self.unsupported("net_send in the INITIAL block of NET_RECEIVE", call)
            if kind not in ("NET_RECEIVE", "INITIAL"):
                raise self.error("net_send allowed only in INITIAL and NET_RECEIVE blocks", call)
            if kind == "INITIAL" and self.loop_depth:
                raise self.unsupported("net_send inside a loop of the INITIAL block", call)
            self.net_send_seen = self.net_send_seen or call
            delay, flag = (self._expr(a, scope) for a in call.args)
            return ir.NetSend(delay, flag)
        if kind != "NET_RECEIVE":
            raise self.error(f"{name} is only allowed in a NET_RECEIVE block", call)
        value = self._expr(call.args[0], scope)
        if name == "net_event":
            return ir.NetEvent(value)
        self.net_move_seen = self.net_move_seen or call
        return ir.NetMove(value)

    def _watch(self, st: ast.Watch) -> list[ir.Stmt]:
        if self.block_kind != "NET_RECEIVE":
            raise self.error('"WATCH" statement only allowed in NET_RECEIVE block', st)
        out: list[ir.Stmt] = []
        for item in st.items:
            cond = item.cond
            if not isinstance(cond, ast.BinOp) or cond.op not in (">", "<"):
                raise self.error("a WATCH condition must be (a > b) or (a < b)", cond)
            # nocmodl's _watch<n>_cond: (a) - (b) for '>', -((a) - (b)) for '<'; evaluated
            # apart from NET_RECEIVE, so its arguments and flag are not visible there
            saved = self.block_kind
            self.block_kind = "WATCH"
            diff = ir.BinOp("-", self._expr(cond.left, _Scope()), self._expr(cond.right, _Scope()))
            self.block_kind = saved
            value = diff if cond.op == ">" else ir.Neg(diff)
            self.mech.watches.append(ir.Watch(value, float(item.flag)))
            out.append(ir.WatchOn(len(self.mech.watches) - 1))
        return out

    def _watch_rows(self) -> None:
        """Per-instance rows of each WATCH: active, above threshold, activation stamp."""
        for j, watch in enumerate(self.mech.watches):
            rows = []
            for what in ("active", "above", "stamp"):
                name = f"_watch{j + 1}_{what}"
                var = self._add(ir.Variable(name, "watch", "range", public=False))
                rows.append(var.index)
            watch.rows = (rows[0], rows[1], rows[2])

    def _random_call(self, node: ast.Call, scope: _Scope) -> ir.Expr:
        name = node.name
        counts = RANDOM_CALLS[name]
        if len(node.args) not in counts:
            allowed = " or ".join(str(c) for c in counts)
            raise self.error(f"'{name}' takes {allowed} argument(s), {len(node.args)} given", node)
        first = node.args[0]
        if not isinstance(first, ast.Name) or first.name not in self.mech.randoms:
            raise self.error(f"the first argument of '{name}' must be a RANDOM variable", node)
        args = tuple(self._expr(a, scope) for a in node.args[1:])
        return ir.RandomCall(name, self.mech.randoms[first.name], args)

    def _vector_handle(self, node: ast.Call) -> str:
        nargs = VECTOR_CALLS[node.name]
        if len(node.args) != nargs:
            raise self.error(
                f"'{node.name}' takes {nargs} argument(s), {len(node.args)} given", node
            )
        first = node.args[0]
        if not isinstance(first, ast.Name) or first.name not in self.mech.vectors:
            raise self.error(
                f"the first argument of '{node.name}' must be a BBCOREPOINTER (Vector handle)",
                node,
            )
        return first.name

    def _vector_arg(self, call: ast.Call) -> None:
        """``vector_arg(h)``: the PROCEDURE, called from Python with a Vector (or none),
        binds it to the handle h (as NEURON's VERBATIM ``vector_arg(1)``)."""
        handle = self._vector_handle(call)
        fblock = self.function
        if fblock is None or fblock.kind != "PROCEDURE" or fblock.params:
            raise self.error("vector_arg can only be used in a PROCEDURE without arguments", call)
        name = fblock.name or ""
        if name in self.mech.vector_binds:
            raise self.error(f"PROCEDURE '{name}' binds a Vector twice", call)
        self.mech.vector_binds[name] = handle

    def _vector_call(self, node: ast.Call, scope: _Scope) -> ir.Expr:
        if node.name == "vector_arg":
            raise self.error("vector_arg(...) has no value: call it as a statement", node)
        handle = self._vector_handle(node)
        if node.name in ("vector_set", "vector_resize"):
            self.mech.vector_outputs.add(handle)
        args = tuple(self._expr(a, scope) for a in node.args[1:])
        return ir.VectorCall(node.name, self.mech.vectors[handle], args)

    def _breakpoint(self, item: ast.CodeBlock) -> list[ir.Stmt]:
        stmts: list[ir.Stmt] = []
        updates: list[ir.Stmt] = []
        for st in item.body.stmts:
            if isinstance(st, ast.Solve):
                updates.extend(self._solve(st, "BREAKPOINT"))
        body = ast.Block(
            tuple(s for s in item.body.stmts if not isinstance(s, ast.Solve)),
            line=item.body.line,
            col=item.body.col,
        )
        stmts = self._block(body, "BREAKPOINT", _Scope())
        self.mech.state_update = self.mech.state_update + tuple(updates)
        return stmts

    def _solve(self, st: ast.Solve, where: str) -> list[ir.Stmt]:
        """The statements of ``SOLVE target [METHOD|STEADYSTATE m]`` in BREAKPOINT or
        INITIAL (``where``)."""
        sym = self.sym
        target = st.block
        method = st.method
        mloc = ast.Ident(method or "", line=st.method_line, col=st.method_col)
        if target not in sym.solvable:
            raise self.error(
                f"SOLVE target '{target}' is not a DERIVATIVE, KINETIC, LINEAR, NONLINEAR "
                "block or PROCEDURE of this file",
                st,
            )
        if method is not None and method not in METHODS:
            known = ", ".join(sorted(METHODS))
            raise self.error(f"unknown integration METHOD '{method}' (known: {known})", mloc)
        steady = st.kind == "STEADYSTATE"
        kind = sym.solvable[target]
        self.mech.solves.append((target, method))
        if kind == "PROCEDURE":
            fblock = sym.functions[target]
            if fblock.params:
                raise self.error(f"SOLVE of PROCEDURE '{target}' which takes arguments", st)
            if steady or method not in (None, "after_cvode", "cvode_t", "cvode_t_v"):
                raise self.error(f"METHOD {method} cannot solve a PROCEDURE", mloc)
            return [ir.Eval(ir.CallFunc(target, ()))]
        if kind == "KINETIC":
            from .solve import kinetic

            return kinetic.solve(self, st, method, steady, where, mloc)
        if kind == "LINEAR":
            from .solve import linear

            return linear.solve(self, st, method, where, mloc)
        if kind == "NONLINEAR":
            from .solve import nonlinear

            return nonlinear.solve(self, st, method, mloc)
        # DERIVATIVE
        if method is not None and method not in ("cnexp", "derivimplicit", "euler", "runge"):
            raise self.error(f"METHOD {method} cannot solve a DERIVATIVE block", mloc)
        if steady and method != "derivimplicit":
            raise self.unsupported(f"SOLVE {target} STEADYSTATE {method}", mloc)
        dblock = sym.derivatives[target]
        prev = self._at(dblock)
        body = self._block(dblock.body, "DERIVATIVE", _Scope())
        self.mech.derivatives[target] = tuple(body)
        try:
            if method == "cnexp":
                try:
                    return cnexp.solve(body, self._cnexp_error)
                except cnexp.NeedsDerivimplicit:
                    method = "derivimplicit"  # as nocmodl, for the whole block
            return [self._ode_solver(target, method or "none", body, steady, where, dblock)]
        finally:
            self.origin = prev

    def dstate(self, var: ir.Var) -> ir.Var:
        """The hidden derivative row of a STATE (nocmodl's ``D<state>`` in ``_p``)."""
        state = self.vars[var.name]
        name = f"D{var.name}"
        existing = self.vars.get(name)
        if existing is not None and existing.role != "dstate":
            name = f"_D{var.name}"
            existing = self.vars.get(name)
        if existing is None:
            existing = self._add(
                ir.Variable(name, "dstate", "range", size=state.size, public=False)
            )
        return ir.Var("range", name, existing.index, var.offset)

    def _ode_solver(
        self,
        target: str,
        method: str,
        body: list[ir.Stmt],
        steady: bool,
        where: str,
        dblock: ast.CodeBlock,
    ) -> ir.Stmt:
        """derivimplicit / euler / runge / no METHOD for a lowered DERIVATIVE block."""
        derivs = ode.derivative_states(body)
        if not derivs:
            raise self.error(f"DERIVATIVE '{target}' contains no derivatives", dblock)
        names = [d.state.name for d in derivs]
        for k, d in enumerate(derivs):
            if d.state.name in names[:k]:
                raise self.unsupported(
                    f"a second equation for {d.state.name}' in a DERIVATIVE block solved "
                    f"by {method}",
                    ast.Ident("", line=d.line, col=d.col),
                )
        dvars = {d.state.name: self.dstate(d.state) for d in derivs}
        new_body = ode.assign_derivatives(body, lambda s: dvars[s.name])
        key = f"{target}_{method}"
        if where == "BREAKPOINT":
            self.mech.halve_dt = True  # nocmodl's save_dt: every method but cnexp
        if key not in self.mech.ode_solvers:
            self.mech.ode_solvers[key] = ir.OdeSolver(
                key=key,
                block=target,
                method=method,
                body=new_body,
                rows=[d.state.index for d in derivs],
                drows=[dvars[n].index for n in names],
                newton=ode.symtab_order(names, self.program.names)
                if method == "derivimplicit"
                else [],
            )
        return ir.SolveOde(key, steady)

    def _cnexp_error(self, message: str, line: int, col: int) -> UnsupportedConstruct:
        return self.unsupported(message, ast.Ident("", line=line, col=col))

    def _lower_function(self, fblock: ast.CodeBlock) -> ir.Function:
        scope = _Scope()
        name = fblock.name or ""
        params = []
        for p in fblock.params:
            if p.name in scope.names:
                raise self.error(f"duplicate argument '{p.name}'", p)
            scope.names[p.name] = ir.Var("arg", p.name)
            params.append(p.name)
        is_function = fblock.kind == "FUNCTION"
        prologue: list[ir.Stmt] = []
        if is_function:
            scope.names[name] = ir.Var("local", name)
            prologue.append(ir.DeclareLocal(name))
        self.function = fblock
        body = self._block(fblock.body, fblock.kind, scope)
        self.function = None
        func = ir.Function(name, is_function, params, tuple(prologue + body))
        tables = [s for s in fblock.body.stmts if isinstance(s, ast.Table)]
        if tables:
            func.table = self._table(tables[0], fblock, scope)
            self.mech.tables.append(func.table)
        return func

    def _table(self, st: ast.Table, fblock: ast.CodeBlock, scope: _Scope) -> ir.TableSpec:
        if len(fblock.params) != 1:
            raise self.unsupported(
                f"TABLE in {fblock.kind} '{fblock.name}' with {len(fblock.params)} arguments", st
            )
        outputs: list[ir.Var] = []
        for ident in st.names:
            declared = self.vars.get(ident.name)
            if declared is not None and declared.size > 1:
                # an array: each element gets its own table, as nocmodl's _t_<name>[k]
                for k in range(declared.size):
                    outputs.append(
                        ir.Var(declared.storage, ident.name, declared.index, ir.Const(float(k)))
                    )
                continue
            var = self._name(ast.Name(ident.name, line=ident.line, col=ident.col), scope)
            if var.kind not in ("range", "global") or var.offset is not None:
                raise self.error(f"TABLE variable '{ident.name}' must be a RANGE or GLOBAL", ident)
            outputs.append(var)
        if fblock.kind == "FUNCTION":
            outputs.insert(0, ir.Var("local", fblock.name or ""))
        depend: list[ir.Var] = []
        for ident in st.depend:
            var = self._name(ast.Name(ident.name, line=ident.line, col=ident.col), scope)
            if var.kind not in ("global", "scalar"):
                raise self.unsupported(
                    f"TABLE DEPEND on '{ident.name}', which is not a GLOBAL", ident
                )
            depend.append(var)
        lo = self._expr(st.lo, _Scope())
        hi = self._expr(st.hi, _Scope())
        if st.n < 1:
            raise self.error("TABLE ... WITH needs a positive number of intervals", st)
        return ir.TableSpec(fblock.name or "", outputs, depend, lo, hi, st.n)

    # -------------------------------------------------------------- statements

    def _block(self, block: ast.Block, kind: str, scope: _Scope) -> list[ir.Stmt]:
        saved = self.block_kind
        self.block_kind = kind
        out: list[ir.Stmt] = []
        inner = _Scope(scope)
        self._body_depth += 1
        try:
            stmts = block.stmts
            k = 0
            while k < len(stmts):
                st = stmts[k]
                self._last_stmt = self._body_depth == 1 and k == len(stmts) - 1
                if isinstance(st, ast.Verbatim):
                    idiom = self._random_pick_split(stmts, k, inner)
                    if idiom is not None:
                        lowered, k = idiom
                        out.extend(lowered)
                        continue
                out.extend(self._stmt(st, inner))
                k += 1
        finally:
            self._body_depth -= 1
            self.block_kind = saved
        return out

    def _stmt(self, st: ast.Stmt, scope: _Scope) -> list[ir.Stmt]:
        if isinstance(st, ast.Local):
            out: list[ir.Stmt] = []
            for lv in st.vars:
                if lv.name in scope.names:
                    raise self.error(f"duplicate LOCAL '{lv.name}'", lv)
                size = self.sym.size_of(lv.size) if lv.size is not None else None
                scope.names[lv.name] = ir.Var("local", lv.name)
                out.append(ir.DeclareLocal(lv.name, size))
            return out
        if isinstance(st, ast.Assign):
            return [self._assign(st, scope)]
        if isinstance(st, ast.Protect):
            return [self._assign(st.assign, scope)]
        if isinstance(st, ast.ExprStmt):
            call = st.expr
            if call.name in EVENT_CALLS and call.name not in self.sym.functions:
                return [self._event_call(call, scope)]
            if call.name == "vector_arg" and call.name not in self.sym.functions:
                self._vector_arg(call)
                return []
            if call.name == "state_discontinuity" and len(call.args) == 2:
                target = self._target(call.args[0], scope)
                return [ir.Assign(target, self._expr(call.args[1], scope))]
            if call.name == "printf" and call.name not in self.sym.functions:
                return [ir.Eval(self._printf(call, scope))]
            return [ir.Eval(self._expr(call, scope))]
        if isinstance(st, ast.If):
            orelse: list[ir.Stmt] = []
            if isinstance(st.orelse, ast.If):
                orelse = self._stmt(st.orelse, scope)
            elif isinstance(st.orelse, ast.Block):
                orelse = self._block(st.orelse, self.block_kind, scope)
            return [
                ir.If(
                    self._expr(st.cond, scope),
                    tuple(self._block(st.body, self.block_kind, scope)),
                    tuple(orelse),
                )
            ]
        if isinstance(st, ast.While):
            cond = self._expr(st.cond, scope)
            self.loop_depth += 1
            body = self._block(st.body, self.block_kind, scope)
            self.loop_depth -= 1
            return [ir.While(cond, tuple(body))]
        if isinstance(st, ast.From):
            start = self._expr(st.start, scope)
            stop = self._expr(st.stop, scope)
            step = self._expr(st.step, scope) if st.step is not None else None
            inner = _Scope(scope)
            inner.names[st.var] = ir.Var("loop", st.var)
            self.loop_depth += 1
            if self.kinetic is not None:
                self.kinetic.enter_loop(st.var, start, stop, step)
            body = self._block(st.body, self.block_kind, inner)
            if self.kinetic is not None:
                self.kinetic.exit_loop(st.var)
            self.loop_depth -= 1
            return [ir.For(st.var, start, stop, step, tuple(body))]
        if isinstance(st, ast.Block):
            return self._block(st, self.block_kind, scope)
        if isinstance(st, ast.Solve):
            if self.block_kind in ("INITIAL", "FUNCTION", "PROCEDURE"):
                return self._solve(st, self.block_kind)
            raise self.error("SOLVE is only allowed in BREAKPOINT (or INITIAL)", st)
        if isinstance(st, ast.Table):
            if self.block_kind not in ("FUNCTION", "PROCEDURE"):
                raise self.error("TABLE is only allowed in a FUNCTION or PROCEDURE", st)
            return []
        if isinstance(st, ast.Verbatim):
            return self._verbatim(st, scope)
        if isinstance(st, (ast.UnitsSwitch, ast.ConductanceHint, ast.Mutex)):
            return []
        if self.kinetic is not None and isinstance(
            st,
            (
                ast.Reaction,
                ast.FluxReaction,
                ast.Annihilation,
                ast.Conserve,
                ast.Compartment,
                ast.LongitudinalDiffusion,
            ),
        ):
            return self.kinetic.stmt(st, scope)
        if isinstance(st, (ast.Reaction, ast.FluxReaction, ast.Annihilation)):
            raise self.error("reaction statements ('~') are only allowed in KINETIC blocks", st)
        if isinstance(st, (ast.Conserve, ast.Compartment, ast.LongitudinalDiffusion)):
            what = type(st).__name__.upper()
            raise self.error(f"{what} is only allowed in KINETIC blocks", st)
        if isinstance(st, ast.Equation):
            if self.linear is not None:
                return self.linear.equation(st, scope)
            raise self.error("'~' equations are only allowed in LINEAR/NONLINEAR blocks", st)
        if isinstance(st, ast.Watch):
            return self._watch(st)
        if isinstance(st, ast.ForNetcons):
            return self._for_netcons(st, scope)
        if isinstance(st, ast.Lag):
            raise self.unsupported("LAG statement", st)
        if isinstance(st, ast.CodeBlock):  # INITIAL inside NET_RECEIVE
            if self.block_kind.startswith("NET_RECEIVE"):
                raise self.error("an INITIAL block in NET_RECEIVE must be at its top level", st)
            raise self.error("an INITIAL block is only allowed inside NET_RECEIVE", st)
        raise self.unsupported(f"statement {type(st).__name__}", st)

    def _assign(self, st: ast.Assign, scope: _Scope) -> ir.Stmt:
        if isinstance(st.target, ast.Prime):
            return self._derivative(st, scope)
        target = self._target(st.target, scope)
        return ir.Assign(target, self._expr(st.value, scope))

    def _derivative(self, st: ast.Assign, scope: _Scope) -> ir.Stmt:
        prime = st.target
        assert isinstance(prime, ast.Prime)
        decl = self.sym.decls.get(prime.name)
        if decl is None or decl.block != "STATE":
            raise self.error(
                f"'{prime.name}' is not a STATE variable, so {prime.name}' is not defined",
                prime,
            )
        if self.block_kind != "DERIVATIVE":
            raise self.error(
                f"derivative {prime.name}' can only be assigned in a DERIVATIVE block", prime
            )
        if prime.order != 1:
            raise self.unsupported(
                f"higher-order derivative {prime.name}{chr(39) * prime.order}", prime
            )
        var = self.vars[prime.name]
        if var.size != 1:
            raise self.unsupported(f"derivative of the array STATE '{prime.name}'", prime)
        state = ir.Var("range", prime.name, var.index)
        return ir.Derivative(state, self._expr(st.value, scope), line=st.line, col=st.col)

    def _target(self, node: ast.Expr, scope: _Scope) -> ir.Var:
        if isinstance(node, ast.Name):
            if node.name in self.sym.constants or node.name in self.sym.defines:
                raise self.error(f"cannot assign to the constant '{node.name}'", node)
            if node.name in self.sym.functions and scope.lookup(node.name) is None:
                raise self.error(
                    f"cannot assign to '{node.name}', a {self.sym.functions[node.name].kind}, "
                    "outside its own body",
                    node,
                )
            if node.name in SCALARS:
                raise self.unsupported(f"assignment to '{node.name}'", node)
            if node.name in ("area", "diam"):
                raise self.unsupported(f"assignment to '{node.name}'", node)
            var = self._name(node, scope)
        elif isinstance(node, ast.Indexed):
            var = self._indexed(node, scope)
        else:
            raise self.error("this cannot be assigned to", node)
        if var.kind in ("range", "global"):
            self.vars[var.name].written = True
        if var.kind == "netarg":
            self.written_netargs.add(var.name)
        if var.kind == "loop":
            raise self.error(f"cannot assign to the FROM loop variable '{var.name}'", node)
        if var.kind == "node" and var.name == "v" and self.function is not None:
            self.v_in_helpers = True
        return var

    # -------------------------------------------------------------- expressions

    def _name(self, node: ast.Name, scope: _Scope) -> ir.Var:
        name = node.name
        local = scope.lookup(name)
        if local is not None:
            return local
        if name in self.mech.pointers:
            return ir.Var("pointer", name, self.mech.pointers[name])
        if name in self.mech.externals:
            return ir.Var("external", name, self.mech.externals[name])
        var = self.vars.get(name)
        if var is not None:
            if var.role == "random":
                raise self.error(
                    f"the RANDOM variable '{name}' can only be passed to the random_* functions",
                    node,
                )
            if var.role == "vector":
                raise self.error(
                    f"the Vector handle '{name}' can only be passed to the vector_* functions",
                    node,
                )
            if self.block_kind.startswith("NET_RECEIVE") and name in self.sym.ion_vars:
                slot, ion, _ = self.sym.ion_vars[name]
                if ion_field(ion, name) not in (1, 2):
                    raise self.error(
                        f"{name}: only concentrations can be mentioned in a NET_RECEIVE block",
                        node,
                    )
            if var.size != 1:
                raise self.error(f"array '{name}' used without an index", node)
            return ir.Var(var.storage, name, var.index)
        if name in SCALARS:
            return ir.Var("scalar", name, SCALARS[name])
        if name in NODE_ROWS:
            if name == "v" and self.function is not None:
                self.v_in_helpers = True
            return ir.Var("node", name, NODE_ROWS[name])
        if name in self.sym.functions:
            raise self.error(
                f"'{name}' is a {self.sym.functions[name].kind}; call it as {name}(...)", node
            )
        raise self.error(f"undefined variable '{name}'", node)

    def _indexed(self, node: ast.Indexed, scope: _Scope) -> ir.Var:
        var = self.vars.get(node.name)
        index = self._expr(node.index, scope)
        if var is None:
            local = scope.lookup(node.name)
            if local is not None and local.kind == "local":
                return ir.Var("local", node.name, 0, index)
            raise self.error(f"undefined array '{node.name}'", node)
        if var.size == 1:
            raise self.error(f"'{node.name}' is not an array", node)
        return ir.Var(var.storage, node.name, var.index, index)

    def _expr(self, node: ast.Expr, scope: _Scope) -> ir.Expr:
        if isinstance(node, ast.Number):
            return ir.Const(node.value)
        if isinstance(node, ast.Name):
            if scope.lookup(node.name) is None and node.name not in self.vars:
                if node.name in self.sym.constants:
                    return ir.Const(self.sym.constants[node.name])
                if node.name in self.sym.defines:
                    return ir.Const(float(self.sym.defines[node.name]))
                if node.name == "PI":
                    return ir.Const(math.pi)
            return self._name(node, scope)
        if isinstance(node, ast.Indexed):
            return self._indexed(node, scope)
        if isinstance(node, ast.Prime):
            raise self.unsupported(f"reading the derivative {node.name}'", node)
        if isinstance(node, ast.BinOp):
            return ir.BinOp(node.op, self._expr(node.left, scope), self._expr(node.right, scope))
        if isinstance(node, ast.Neg):
            return ir.Neg(self._expr(node.operand, scope))
        if isinstance(node, ast.Not):
            return ir.Not(self._expr(node.operand, scope))
        if isinstance(node, ast.Pow):
            return ir.Pow(self._expr(node.base, scope), self._expr(node.exponent, scope))
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        if isinstance(node, ast.String):
            raise self.error("a string is only allowed as an argument of printf", node)
        if isinstance(node, ast.DiscreteRef):
            raise self.unsupported(f"'{node.name}@{node.shift}' (DISCRETE)", node)
        raise self.unsupported(f"expression {type(node).__name__}", node)

    # -------------------------------------------------------------- VERBATIM

    def _verbatim(self, st: ast.Verbatim, scope: _Scope) -> list[ir.Stmt]:
        """A VERBATIM block inside code: nothing for the idioms pyneuro keeps by itself, a
        printf for printf-only blocks, otherwise a refusal of the enclosing FUNCTION or of
        the mechanism (raised when it is used, not here)."""
        handle = verbatim.random_setter(st.text)
        if (
            handle in self.mech.random_handles
            and self.function is not None
            and self.function.kind == "PROCEDURE"
        ):
            # the idiom's setter: the engine's Python method stores the Random (its argument)
            self.mech.random_setters[self.function.name or ""] = handle
            return []
        bare = verbatim.random_pick_bare(st.text)
        if bare is not None and bare[0] in self.mech.random_handles:
            fname = self.function.name if self.function is not None else None
            target = bare[1]
            in_function = self.function is not None and self.function.kind == "FUNCTION"
            if in_function and (target == f"_l{fname}" or (target is None and self._last_stmt)):
                return [ir.Assign(ir.Var("local", fname or ""), self._handle_pick(bare[0]))]
        c = verbatim.classify(st.text)
        if c.kind != "c" and c.returns and not self._last_stmt:
            c = verbatim.Classified("c", internals=("return",))
        if c.kind == "c":
            self._refuse_here(self._verbatim_reason(st, c.internals), st)
            return []
        out: list[ir.Stmt] = []
        for fmt, args in c.printfs:
            try:
                exprs = tuple(
                    parse_expression(verbatim.nmodl_expression(a), self.files[self.origin][0])
                    for a in verbatim.split_args(args)
                )
                call = ast.Call(
                    "printf",
                    (ast.String(fmt[1:-1], line=st.line, col=st.col), *exprs),
                    line=st.line,
                    col=st.col,
                )
                out.append(ir.Eval(self._printf(call, scope)))
            except NmodlError:
                self._refuse_here(self._verbatim_reason(st, ("printf",)), st)
                return []
        in_function = self.function is not None and self.function.kind == "FUNCTION"
        if c.return_value is not None and (in_function or self.block_kind == "BREAKPOINT"):
            try:
                value = self._expr(
                    parse_expression(
                        verbatim.nmodl_expression(c.return_value), self.files[self.origin][0]
                    ),
                    scope,
                )
            except NmodlError:
                self._refuse_here(self._verbatim_reason(st, ("return",)), st)
                return []
            if in_function:  # C returns this value, not the function's variable
                out.append(ir.Assign(ir.Var("local", self.function.name or ""), value))
            else:
                self.mech.breakpoint_return = value
        return out

    def _handle_pick(self, handle: str) -> ir.Expr:
        return ir.HandlePick(self.mech.random_handles[handle])

    def _random_pick_split(
        self, stmts: tuple[ast.Stmt, ...], k: int, scope: _Scope
    ) -> tuple[list[ir.Stmt], int] | None:
        """The idiom's draw split over VERBATIM blocks in a FUNCTION: ``[double x;] if (_p_h)
        { y = nrn_random_pick(_p_h); [return y;] } else {`` (VERBATIM), NMODL statements,
        ``}`` (VERBATIM); ``y`` is the function's value ``_lf`` or the C local ``x``, which the
        NMODL code may use too (nocmodl leaves such names to the C compiler). After a C
        ``return`` only the else branch runs the rest of the function. Returns the lowered
        statements and the index to go on from, or None (then the blocks are C, refused)."""
        opened = verbatim.random_pick_open(stmts[k].text)
        if opened is None or self.function is None or self.function.kind != "FUNCTION":
            return None
        handle, target, returns, c_local = opened
        fname = self.function.name or ""
        if handle not in self.mech.random_handles or target not in (f"_l{fname}", c_local):
            return None
        if returns and self._body_depth != 1:
            return None
        close = next(
            (
                j
                for j in range(k + 1, len(stmts))
                if isinstance(stmts[j], ast.Verbatim) and verbatim.closes_brace(stmts[j].text)
            ),
            None,
        )
        if close is None:
            return None
        out: list[ir.Stmt] = []
        if c_local is not None and c_local not in scope.names:
            scope.names[c_local] = ir.Var("local", c_local)
            out.append(ir.DeclareLocal(c_local))
        value = ir.Var("local", fname)
        target_var = value if target == f"_l{fname}" else ir.Var("local", c_local or "")
        then: list[ir.Stmt] = [ir.Assign(target_var, self._handle_pick(handle))]
        if returns and target_var is not value:
            then.append(ir.Assign(value, target_var))
        rest = list(stmts[k + 1 : close])
        end = close + 1
        if returns:  # C returned from the if branch: the rest of the body is the else's
            rest += list(stmts[close + 1 :])
            end = len(stmts)
        inner = _Scope(scope)
        orelse: list[ir.Stmt] = []
        saved_last = self._last_stmt
        for st in rest:
            self._last_stmt = False
            orelse.extend(self._stmt(st, inner if not returns else scope))
        self._last_stmt = saved_last
        row = self.mech.random_handles[handle]
        cond = ir.BinOp("!=", ir.Var("range", f"_p_{handle}", row), ir.Const(0.0))
        out.append(ir.If(cond, tuple(then), tuple(orelse)))
        return out, end

    def _verbatim_reason(self, st: ast.Verbatim, internals: tuple[str, ...]) -> str:
        filename = self.files[self.origin][0]
        end = st.line + st.text.count("\n")
        touched = f" (uses {', '.join(internals)})" if internals else ""
        return (
            f"{filename}:{st.line}-{end}: a VERBATIM block of C code{touched} that pyneuro "
            "cannot translate"
        )

    def _refuse_here(self, reason: str, node: ast.Node) -> None:
        """Refuse the FUNCTION/PROCEDURE being lowered, or else the whole mechanism."""
        key = self.function.name if self.function is not None else None
        if key not in self.refusals:
            end = node.line + (node.text.count("\n") if isinstance(node, ast.Verbatim) else 0)
            where = {
                "file": self.files[self.origin][0],
                "lines": [node.line, end],
                "internals": list(verbatim.classify(node.text).internals)
                if isinstance(node, ast.Verbatim)
                else [],
            }
            self.refusals[key] = (reason, where)

    def _printf(self, node: ast.Call, scope: _Scope) -> ir.Printf:
        if not node.args or not isinstance(node.args[0], ast.String):
            raise self.error("printf needs a format string as its first argument", node)
        self.mech.uses_printf = True
        self.mech.cpu_only.append("printf")
        args = tuple(
            ir.Str(_c_string(a.value)) if isinstance(a, ast.String) else self._expr(a, scope)
            for a in node.args[1:]
        )
        return ir.Printf(_c_string(node.args[0].value), args)

    def _call(self, node: ast.Call, scope: _Scope) -> ir.Expr:
        name = node.name
        if name in self.sym.function_tables and name not in self.sym.functions:
            nargs = len(self.sym.function_tables[name].params)
            if len(node.args) != nargs:
                raise self.error(
                    f"FUNCTION_TABLE '{name}' takes {nargs} argument(s), {len(node.args)} given",
                    node,
                )
            return ir.CallFunc(name, tuple(self._expr(a, scope) for a in node.args))
        if name in self.sym.functions:
            fblock = self.sym.functions[name]
            if len(node.args) != len(fblock.params):
                raise self.error(
                    f"{fblock.kind} '{name}' takes {len(fblock.params)} argument(s), "
                    f"{len(node.args)} given",
                    node,
                )
            return ir.CallFunc(name, tuple(self._expr(a, scope) for a in node.args))
        if name == "printf":
            raise self.unsupported("the value of printf(...)", node)
        if name in BUILTINS:
            if len(node.args) != BUILTINS[name]:
                raise self.error(
                    f"'{name}' takes {BUILTINS[name]} argument(s), {len(node.args)} given", node
                )
            if name in ("scop_random", "exprand", "normrand", "poisrand", "set_seed"):
                self.mech.legacy_random = True
                self.mech.cpu_only.append("legacy random (one generator per process)")
            return ir.Builtin(name, tuple(self._expr(a, scope) for a in node.args))
        if name in RANDOM_CALLS:
            return self._random_call(node, scope)
        if name in VECTOR_CALLS:
            return self._vector_call(node, scope)
        if name in EVENT_CALLS:
            raise self.error(f"{name}(...) has no value: call it as a statement", node)
        if name in UNSUPPORTED_CALLS:
            raise self.unsupported(UNSUPPORTED_CALLS[name], node)
        if name in self.sym.derivatives or name in self.sym.kinetics:
            kind = self.sym.solvable[name]
            raise self.error(f"'{name}' is a {kind} block and cannot be called", node)
        if self.c_toplevel is not None:
            # a C function of the file's VERBATIM code: this block cannot run here
            filename = self.files[self.origin][0]
            top = self.c_toplevel
            end = top.line + top.text.count("\n")
            self._refuse_here(
                f"{filename}:{node.line}: calls the C function '{name}' of the VERBATIM block "
                f"at lines {top.line}-{end}, which pyneuro cannot run",
                node,
            )
            return ir.Const(0.0)
        raise self.error(f"call of undefined function '{name}'", node)


def _called(body) -> set[str]:
    """Names of the FUNCTIONs/PROCEDUREs a statement list calls."""
    out: set[str] = set()

    def expr(e) -> None:
        if isinstance(e, ir.CallFunc):
            out.add(e.name)
        for child in getattr(e, "__dict__", {}).values():
            if isinstance(child, ir.Expr):
                expr(child)
            elif isinstance(child, tuple):
                for c in child:
                    if isinstance(c, (ir.Expr, ir.Stmt)):
                        walk((c,)) if isinstance(c, ir.Stmt) else expr(c)

    def walk(stmts) -> None:
        for st in stmts:
            for child in st.__dict__.values():
                if isinstance(child, ir.Expr):
                    expr(child)
                elif isinstance(child, tuple):
                    for c in child:
                        if isinstance(c, ir.Stmt):
                            walk((c,))
                        elif isinstance(c, ir.Expr):
                            expr(c)

    walk(body)
    return out


_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}


def _c_string(text: str) -> str:
    """The characters of a C string literal's body (escape sequences decoded)."""
    out = []
    k = 0
    while k < len(text):
        c = text[k]
        if c == "\\" and k + 1 < len(text):
            out.append(_C_ESCAPES.get(text[k + 1], text[k + 1]))
            k += 2
            continue
        out.append(c)
        k += 1
    return "".join(out)


def _count_net_sends(body: tuple[ir.Stmt, ...]) -> int:
    """How many net_send statements a block holds (loops are refused in INITIAL)."""
    count = 0
    for st in body:
        if isinstance(st, ir.NetSend):
            count += 1
        elif isinstance(st, ir.If):
            count += _count_net_sends(st.body) + _count_net_sends(st.orelse)
    return count


def _verbatim_texts(program: ast.Program) -> list[str]:
    """The text of every VERBATIM block of a file, wherever it is."""
    out: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, ast.Verbatim):
            out.append(node.text)
        elif isinstance(node, ast.Node):
            for child in vars(node).values():
                visit(child)
        elif isinstance(node, (tuple, list)):
            for child in node:
                visit(child)

    visit(program.items)
    return out


def lower(program: ast.Program) -> ir.Mechanism:
    """Check a parsed file and build its mechanism IR (cnexp already applied)."""
    return Lowerer(program).run()
