"""The HOC interpreter: walks `pyneuro.hoc.ast` and drives the same objects as Python scripts.

Names are resolved when a statement runs, in HOC's order: the procedure's ``local``s and
arguments, then (inside a template) the object's own variables and its ``external``s, then
the top-level variables, then what NEURON provides — the currently accessed section's
properties and range variables (``L``, ``diam``, ``gnabar_hh``, ``v(.5)``), functions and
classes (``finitialize``, ``Vector``, ``IClamp``, mechanism GLOBALs) through pyneuro's ``n``.
Assigning to an unknown name creates a top-level variable (or an object variable inside a
template), as HOC does.

Sections live on a stack: ``access`` sets its bottom, ``sec stmt``/``sec { }`` push for the
statement, ``forall``/``forsec`` push each section in turn.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import simulator
from ..refs import Ref
from ..topology import Section, Segment
from . import ast
from .lexer import HocError
from .parser import parse

_CONSTANTS = {
    "PI": math.pi,
    "E": math.e,
    "GAMMA": 0.57721566490153286060,
    "DEG": 57.29577951308232087680,
    "PHI": 1.61803398874989484820,
    "FARADAY": 96485.33212331001,
    "R": 8.3144626181532395,
    "float_epsilon": 1e-11,
}

_MATH = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "atan": math.atan, "atan2": math.atan2,
    "asin": math.asin, "acos": math.acos, "sinh": math.sinh, "cosh": math.cosh,
    "tanh": math.tanh, "sqrt": math.sqrt, "log": math.log, "log10": math.log10,
    "exp": math.exp, "abs": abs, "fabs": abs, "floor": math.floor, "ceil": math.ceil,
    "erf": math.erf, "erfc": math.erfc, "pow": math.pow,
}  # fmt: skip

_SECTION_PROPS = ("L", "nseg", "Ra", "rallbranch")


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Stop(Exception):
    pass


class StrVar:
    """A ``strdef`` variable: a mutable string that ``sprint`` and ``$s`` arguments change."""

    __slots__ = ("s",)

    def __init__(self, s: str = "") -> None:
        self.s = s

    def __str__(self) -> str:
        return self.s


@dataclass
class Function:
    """A HOC ``proc``/``func``/``obfunc``/``iterator`` (with the template it belongs to)."""

    kind: str
    name: str
    body: ast.Block
    filename: str
    source: str
    template: Template | None = None


@dataclass
class Template:
    name: str
    body: list[ast.Node]
    filename: str
    source: str
    publics: set[str] = field(default_factory=set)
    externals: set[str] = field(default_factory=set)
    functions: dict[str, Function] = field(default_factory=dict)
    count: int = 0

    def __call__(self, *args: Any) -> HocObject:  # n.Template(args) from Python
        return interpreter().instantiate(self, list(args))


class HocObject:
    """An instance of a HOC template; public variables and procedures are attributes."""

    def __init__(self, template: Template, index: int) -> None:
        object.__setattr__(self, "_template", template)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_fields", {})

    def __str__(self) -> str:
        return f"{self._template.name}[{self._index}]"

    __repr__ = __str__

    def hname(self) -> str:
        return str(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return interpreter().object_attr(self, name, None, [])

    def __setattr__(self, name: str, value: Any) -> None:
        interpreter().set_object_attr(self, name, [], value)


class HocCallable:
    """A HOC proc/func seen from Python (``n.myproc(1, 2)``)."""

    def __init__(self, func: Function) -> None:
        self.func = func

    def __call__(self, *args: Any) -> Any:
        return interpreter().call_function(self.func, list(args), None)

    def __repr__(self) -> str:
        return f"<HOC {self.func.kind} {self.func.name}>"


@dataclass
class Frame:
    """One procedure call: its locals, arguments and object."""

    names: dict[str, Any] = field(default_factory=dict)
    args: list[Any] = field(default_factory=list)
    obj: HocObject | None = None
    iterator_body: Any = None


def _c_format(fmt: str, args: list[Any]) -> str:
    """C printf formatting of HOC values (numbers given to %d are truncated, as HOC does)."""
    out = []
    k = 0
    pos = 0
    for m in re.finditer(r"%([-+ #0]*\d*(?:\.\d+)?)(l?)([diouxXeEfgGcs%])", fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, conv = m.group(1), m.group(3)
        if conv == "%":
            out.append("%")
            continue
        value = args[k] if k < len(args) else 0.0
        k += 1
        if conv in "diouxX":
            out.append(("%" + flags + conv) % int(float(value)))
        elif conv == "c":
            out.append(chr(int(float(value))))
        elif conv == "s":
            out.append(("%" + flags + "s") % str(value))
        else:
            out.append(("%" + flags + conv) % float(value))
    out.append(fmt[pos:])
    return "".join(out)


def _fmt_number(x: float) -> str:
    return f"{x:.8g}"


class Interpreter:
    def __init__(self) -> None:
        self.globals: dict[str, Any] = {}
        self.templates: dict[str, Template] = {}
        self.functions: dict[str, Function] = {}
        self.frames: list[Frame] = []
        self.section_stack: list[Section] = []
        self.accessed: Section | None = None
        self.loaded: set[str] = set()
        self.filename = ""
        self.source = ""
        self.depth = 0  # 0: a top-level statement (its expression value is printed)
        self._stdrun_globals()

    def _stdrun_globals(self) -> None:
        """What stdrun.hoc defines besides the procedures (api-surface.md §2.4)."""
        from ..hocobjects import List
        from ..parallel import CVode

        self.globals.update(
            realtime=0.0,
            screen_update_invl=0.05,
            using_cvode_=0.0,
            stdrun_quiet=0.0,
            nstep_steprun=1.0,
            runStopAt=5.0,
            runStopIn=1.0,
            global_ra=35.4,
            running_=0.0,
            n_graph_lists=4.0,
            graphList=[List() for _ in range(4)],
            flush_list=List(),
            fast_flush_list=List(),
            cvode=CVode(),
        )

    def assign_name_text(self, name: str, value: Any) -> None:
        """Set a top-level HOC variable from Python (``n.x = 3``)."""
        self.assign_name(ast.Name(name), value, ast.Name(name))

    def user_function(self, name: str) -> Function | None:
        """A top-level proc the script defined, overriding stdrun's (init, advance, ...)."""
        return self.functions.get(name)

    # ------------------------------------------------------------------ running code
    def execute(self, text: str, filename: str = "", echo: bool = True) -> None:
        saved = (self.filename, self.source)
        self.filename, self.source = filename, text
        try:
            for stmt in parse(text, filename):
                self.depth = 0 if echo else 1
                try:
                    self.stmt(stmt)
                except _Stop:
                    break
        finally:
            self.filename, self.source = saved
            self.depth = 0

    def load_file(self, path: str, force: bool = False) -> float:
        """``load_file``: once per file; relative names from the current folder, then
        beside the file being loaded. The folder is the file's while it runs (as NEURON)."""
        candidates = [Path(path)]
        if self.filename:
            candidates.append(Path(self.filename).parent / path)
        for cand in candidates:
            if cand.is_file():
                full = str(cand.resolve())
                if full in self.loaded and not force:
                    return 1.0
                self.loaded.add(full)
                return self.xopen(str(cand))
        raise HocError(f"load_file: cannot find {path}")

    def xopen(self, path: str) -> float:
        text = Path(path).read_text()
        cwd = os.getcwd()
        folder = os.path.dirname(os.path.abspath(path))
        os.chdir(folder)
        try:
            self.execute(text, os.path.abspath(path))
        finally:
            os.chdir(cwd)
        return 1.0

    def error(self, message: str, node: ast.Node | None = None) -> HocError:
        if node is None:
            return HocError(message)
        return HocError(message, self.filename, node.line, node.col, self.source)

    # ------------------------------------------------------------------ sections
    def cas(self, node: ast.Node | None = None) -> Section:
        if self.section_stack:
            return self.section_stack[-1]
        if self.accessed is not None:
            return self.accessed
        for sec in simulator.sim.living_sections():
            self.accessed = sec
            return sec
        raise self.error("Section access unspecified", node)

    def push(self, sec: Section) -> None:
        self.section_stack.append(sec)

    def pop(self) -> None:
        self.section_stack.pop()

    def with_section(self, sec: Section, body: ast.Node) -> None:
        self.push(sec)
        try:
            self.stmt(body)
        finally:
            self.pop()

    # ------------------------------------------------------------------ statements
    def stmt(self, node: ast.Node) -> None:
        method = getattr(self, "s_" + type(node).__name__)
        method(node)

    def nested(self, node: ast.Node) -> None:
        self.depth += 1
        try:
            self.stmt(node)
        finally:
            self.depth -= 1

    def s_Block(self, node: ast.Block) -> None:
        self.depth += 1
        try:
            for st in node.body:
                self.stmt(st)
        finally:
            self.depth -= 1

    def s_ExprStmt(self, node: ast.ExprStmt) -> None:
        value = self.eval(node.expr)
        if self.depth == 0 and not self.frames and value is not None:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sys.stdout.write(f"\t{_fmt_number(float(value))} \n")
            elif isinstance(value, (str, StrVar)):
                sys.stdout.write(f"{value}\n")
            elif isinstance(value, bool):
                sys.stdout.write(f"\t{int(value)} \n")
            elif not isinstance(value, (Section, Segment, list, np.ndarray)):
                sys.stdout.write(f"\t{_hname(value)} \n")

    def s_Assign(self, node: ast.Assign) -> None:
        if isinstance(node.value, ast.Ramp):
            self.assign_ramp(node.target, node.value, node)
            return
        value = self.eval(node.value)
        if node.op != "=":
            current = float(self.eval(node.target))
            v = float(value)
            value = {"+=": current + v, "-=": current - v, "*=": current * v}.get(node.op)
            if value is None:
                value = self.divide(current, v, node)
        self.assign(node.target, value, node)

    def s_If(self, node: ast.If) -> None:
        if self.truth(self.eval(node.cond)):
            self.nested(node.then)
        elif node.orelse is not None:
            self.nested(node.orelse)

    def s_While(self, node: ast.While) -> None:
        while self.truth(self.eval(node.cond)):
            try:
                self.nested(node.body)
            except _Break:
                break
            except _Continue:
                continue

    def s_ForC(self, node: ast.ForC) -> None:
        if node.init is not None:
            self.nested(node.init)
        while node.cond is None or self.truth(self.eval(node.cond)):
            try:
                self.nested(node.body)
            except _Break:
                break
            except _Continue:
                pass
            if node.step is not None:
                self.nested(node.step)

    def s_ForRange(self, node: ast.ForRange) -> None:
        i = float(self.eval(node.start))
        stop = float(self.eval(node.stop))
        self.assign(node.var, i, node)
        while float(self.eval(node.var)) <= stop:
            try:
                self.nested(node.body)
            except _Break:
                break
            except _Continue:
                pass
            self.assign(node.var, float(self.eval(node.var)) + 1.0, node)

    def s_ForSeg(self, node: ast.ForSeg) -> None:
        sec = self.cas(node)
        n = sec.nseg
        xs = [(k + 0.5) / n for k in range(n)]
        if node.ends:
            xs = [0.0, *xs, 1.0]
        target = ast.Name(node.var, line=node.line, col=node.col)
        for x in xs:
            self.assign(target, x, node)
            try:
                self.nested(node.body)
            except _Break:
                break
            except _Continue:
                continue

    def s_ForIter(self, node: ast.ForIter) -> None:
        call = node.call
        if isinstance(call, ast.Call):
            func, obj, args = self.function_named(call.name), self.current_object(), call.args
        elif isinstance(call, ast.Attr) and call.args is not None:
            owner = self.eval(call.obj)
            if not isinstance(owner, HocObject):
                raise self.error("for ... : not an iterator", node)
            func, obj, args = owner._template.functions.get(call.name), owner, call.args
        else:
            func, obj, args = None, None, []
        if func is None or func.kind != "iterator":
            raise self.error("for ... : not an iterator", node)
        self.call_function(func, [self.arg_value(a) for a in args], obj, iterator_body=node.body)

    def s_Jump(self, node: ast.Jump) -> None:
        if node.kind == "break":
            raise _Break
        if node.kind == "continue":
            raise _Continue
        if node.kind == "stop":
            raise _Stop
        frame = self.frames[-1] if self.frames else None
        if frame is None or frame.iterator_body is None:
            raise self.error("iterator_statement outside an iterator", node)
        body, caller_frames = frame.iterator_body
        saved = self.frames
        self.frames = caller_frames
        try:
            self.nested(body)
        except _Continue:
            pass
        finally:
            self.frames = saved

    def s_Return(self, node: ast.Return) -> None:
        raise _Return(None if node.value is None else self.eval(node.value))

    def s_FuncDef(self, node: ast.FuncDef) -> None:
        func = Function(node.kind, node.name, node.body, self.filename, self.source)
        self.functions[node.name] = func
        self.globals.pop(node.name, None)

    def s_Declare(self, node: ast.Declare) -> None:
        frame = self.frames[-1] if self.frames else None
        obj = self.current_object()
        for name, dims in node.names:
            sizes = [int(self.eval(d)) for d in dims]
            if node.kind in ("local", "localobj"):
                if frame is None:
                    raise self.error(f"{node.kind} outside a procedure", node)
                frame.names[name] = None if node.kind == "localobj" else 0.0
                continue
            if node.kind == "create":
                self.create(name, sizes, obj, node)
                continue
            if node.kind in ("public", "external"):
                continue
            if obj is None and _is_builtin_name(name):
                raise self.error(f"{name} : Redeclaring at top level", node)
            if node.kind == "double":
                value: Any = np.zeros(sizes) if sizes else 0.0
            elif node.kind == "strdef":
                value = StrVar()
            else:  # objref
                value = _objref_array(sizes) if sizes else None
            store = obj._fields if obj is not None else self.globals
            if node.kind == "objref" and name in store and not sizes:
                if isinstance(store[name], (HocObject, type(None))) or not isinstance(
                    store[name], (float, int, StrVar, np.ndarray)
                ):
                    continue  # redeclaring an objref keeps its object, as HOC
            store[name] = value

    def create(self, name: str, sizes: list[int], obj: HocObject | None, node: ast.Node) -> None:
        count = sizes[0] if sizes else 1
        prefix = f"{obj}." if obj is not None else ""
        if obj is not None:
            old = obj._fields.get(name)
        else:
            old = simulator.sim.hoc_sections.get(name)
        for sec in old if isinstance(old, list) else ([old] if isinstance(old, Section) else []):
            if sec is not None and not sec._deleted:
                simulator.sim.delete_section(sec)
        if sizes:
            secs: Any = [Section(name=f"{prefix}{name}[{j}]") for j in range(count)]
        else:
            secs = Section(name=f"{prefix}{name}")
        if obj is not None:
            obj._fields[name] = secs
        else:
            simulator.sim.hoc_sections[name] = secs
            self.globals.pop(name, None)

    def s_Access(self, node: ast.Access) -> None:
        sec = self.eval(node.section)
        if not isinstance(sec, Section):
            raise self.error("access needs a section", node)
        self.accessed = sec
        if self.section_stack:
            self.section_stack[0:1] = [sec]

    def s_Connect(self, node: ast.Connect) -> None:
        child = self.eval(node.child)
        if not isinstance(child, Section):
            raise self.error("connect: the first section is not a section", node)
        child_x = 0.0 if node.child_x is None else float(self.eval(node.child_x))
        second = node.parent_x
        parent: Section
        if isinstance(second, (ast.Call, ast.Attr)) and self.section_call(second) is not None:
            parent, px = self.section_call(second)  # type: ignore[misc]
        else:
            parent, px = self.cas(node), float(self.eval(second))
        child.connect(parent(px), child_x)

    def section_call(self, node: ast.Node) -> tuple[Section, float] | None:
        """``sec(x)`` written as a call: the section and x, or None."""
        if isinstance(node, ast.Call) and len(node.args) == 1:
            target = self.lookup_section(node.name, node.index)
            if target is not None:
                return target, float(self.eval(node.args[0]))
        if isinstance(node, ast.Attr) and node.args is not None and len(node.args) == 1:
            owner = self.eval(node.obj)
            if isinstance(owner, HocObject):
                value = self.object_attr(owner, node.name, None, node.index)
                if isinstance(value, Section):
                    return value, float(self.eval(node.args[0]))
        return None

    def s_Insert(self, node: ast.Insert) -> None:
        sec = self.cas(node)
        if node.remove:
            sec.uninsert(node.name)
        else:
            sec.insert(node.name)

    def s_Forall(self, node: ast.Forall) -> None:
        for sec in simulator.sim.living_sections():
            try:
                self.with_section(sec, node.body)
            except _Break:
                break
            except _Continue:
                continue

    def s_Forsec(self, node: ast.Forsec) -> None:
        what = self.eval(node.what)
        if node.only_if:
            if re.search(str(what), self.cas(node).name()):
                self.nested(node.body)
            return
        if isinstance(what, (str, StrVar)):
            pattern = re.compile(str(what))
            secs = [s for s in simulator.sim.living_sections() if pattern.search(s.name())]
        else:
            secs = list(what)
        for sec in secs:
            try:
                self.with_section(sec, node.body)
            except _Break:
                break
            except _Continue:
                continue

    def s_SecStmt(self, node: ast.SecStmt) -> None:
        sec = self.eval(node.section)
        if not isinstance(sec, Section):
            raise self.error("not a section", node.section)
        self.push(sec)
        try:
            self.nested(node.body)
        finally:
            self.pop()

    def s_Template(self, node: ast.Template) -> None:
        tpl = Template(node.name, node.body, self.filename, self.source)
        for st in node.body:
            if isinstance(st, ast.Declare) and st.kind == "public":
                tpl.publics.update(n for n, _ in st.names)
            elif isinstance(st, ast.Declare) and st.kind == "external":
                tpl.externals.update(n for n, _ in st.names)
            elif isinstance(st, ast.FuncDef):
                tpl.functions[st.name] = Function(
                    st.kind, st.name, st.body, self.filename, self.source, tpl
                )
        self.templates[node.name] = tpl

    def s_Print(self, node: ast.Print) -> None:
        parts = []
        for v in node.values:
            value = self.eval(v)
            if isinstance(value, (str, StrVar)):
                parts.append(str(value))
            elif isinstance(value, (int, float)):
                parts.append(_fmt_number(float(value)) + " ")
            else:
                parts.append(f"{value} ")
        sys.stdout.write("".join(parts) + "\n")

    # ------------------------------------------------------------------ objects
    def current_object(self) -> HocObject | None:
        return self.frames[-1].obj if self.frames else None

    def instantiate(self, tpl: Template, args: list[Any]) -> HocObject:
        obj = HocObject(tpl, tpl.count)
        tpl.count += 1
        saved_frames, saved_file = self.frames, (self.filename, self.source)
        self.frames = [Frame(obj=obj)]
        self.filename, self.source = tpl.filename, tpl.source
        try:
            for st in tpl.body:
                if isinstance(st, ast.Declare) and st.kind not in ("public", "external"):
                    self.s_Declare(st)
        finally:
            self.frames = saved_frames
            self.filename, self.source = saved_file
        init = tpl.functions.get("init")
        if init is not None:
            self.call_function(init, args, obj)
        return obj

    def object_attr(self, obj: Any, name: str, args: list[Any] | None, index: list[Any]) -> Any:
        """``obj.name``, ``obj.name[i]`` or ``obj.name(args)``."""
        from ..hocobjects import SectionList

        if name == "del":  # HOC's name of the IClamp delay (a Python keyword)
            name = "delay"
        if isinstance(obj, SectionList) and name in ("append", "remove") and not args:
            return getattr(obj, name)(self.cas())
        if isinstance(obj, HocObject):
            tpl = obj._template
            if name in tpl.functions:
                if name not in tpl.publics:
                    raise HocError(f"{name} not a public member of {tpl.name}")
                result = self.call_function(tpl.functions[name], args or [], obj)
                return 0.0 if result is None else result  # obj.proc() is an expression
            if name not in tpl.publics:
                raise HocError(f"{name} not a public member of {tpl.name}")
            value = obj._fields.get(name)
            value = _indexed(value, index)
            if args is not None:
                if isinstance(value, Section) and len(args) == 1:
                    return value(float(args[0]))
                raise HocError(f"{obj}.{name} is not a function")
            return value
        if isinstance(obj, Section) and args is None and not index:
            return getattr(obj, name)
        if obj is None:
            raise HocError(f"NULLobject has no member {name}")
        if name == "x" and index and args is None and hasattr(obj, "__getitem__"):
            return float(obj[int(index[0])])
        attr = getattr(obj, name)
        if args is not None:
            return attr(*[_py(a) for a in args])
        return _indexed(attr, index)

    def set_object_attr(self, obj: Any, name: str, index: list[Any], value: Any) -> None:
        if name == "del":
            name = "delay"
        if isinstance(obj, HocObject):
            if name not in obj._template.publics:
                raise HocError(f"{name} not a public member of {obj._template.name}")
            store = obj._fields
            if index:
                _set_indexed(store[name], index, value)
            elif isinstance(store.get(name), StrVar):
                store[name].s = str(value)
            else:
                store[name] = value
            return
        if name == "x" and index and hasattr(obj, "__setitem__"):
            obj[int(index[0])] = float(value)
            return
        if index:
            target = getattr(obj, name)
            target[int(index[0])] = _py(value)
            return
        setattr(obj, name, _py(value))

    # ------------------------------------------------------------------ calls
    def function_named(self, name: str) -> Function | None:
        obj = self.current_object()
        if obj is not None and name in obj._template.functions:
            return obj._template.functions[name]
        return self.functions.get(name)

    def call_function(
        self, func: Function, args: list[Any], obj: HocObject | None, iterator_body: Any = None
    ) -> Any:
        frame = Frame(args=args, obj=obj)
        if iterator_body is not None:
            frame.iterator_body = (iterator_body, self.frames)
        saved = (self.filename, self.source, self.depth)
        self.filename, self.source = func.filename, func.source
        self.frames = [*self.frames, frame]
        try:
            self.s_Block(func.body)
            result: Any = None
        except _Return as r:
            result = r.value
        finally:
            self.frames = self.frames[:-1]
            self.filename, self.source, self.depth = saved
        if func.kind == "func":
            return 0.0 if result is None else float(result)
        if func.kind == "obfunc":
            return result
        return None

    def arg_value(self, node: ast.Node) -> Any:
        """An argument: strings and strdefs by reference, pointers as `Ref`."""
        if isinstance(node, ast.Name) and not node.index:
            found = self.find_variable(node.name)
            if found is not None and isinstance(found[0][found[1]], StrVar):
                return found[0][found[1]]
        return self.eval(node)

    # ------------------------------------------------------------------ names
    def find_variable(self, name: str) -> tuple[dict, str] | None:
        """The store holding ``name`` (locals, object, externals/top level), or None."""
        if self.frames:
            frame = self.frames[-1]
            if name in frame.names:
                return frame.names, name
            obj = frame.obj
            if obj is not None:
                if name in obj._fields:
                    return obj._fields, name
                if name in obj._template.externals and name in self.globals:
                    return self.globals, name
                return None
        if name in self.globals:
            return self.globals, name
        return None

    def lookup_section(self, name: str, index: list[ast.Node]) -> Section | None:
        obj = self.current_object()
        value: Any = None
        if obj is not None and name in obj._fields:
            value = obj._fields[name]
        elif name in simulator.sim.hoc_sections:
            value = simulator.sim.hoc_sections[name]
        if value is None:
            return None
        if isinstance(value, list):
            if not index:
                return value[0] if isinstance(value[0], Section) else None
            value = _indexed(value, [self.eval(i) for i in index])
        return value if isinstance(value, Section) else None

    def eval_name(self, node: ast.Name) -> Any:
        name = node.name
        found = self.find_variable(name)
        if found is not None:
            store, key = found
            value = store[key]
            if isinstance(value, _Box):
                return float(value.arr[0])
            if node.index:
                return _indexed(value, [self.eval(i) for i in node.index])
            return value
        sec = self.lookup_section(name, node.index)
        if sec is not None:
            return sec
        if name in self.templates:
            return self.templates[name]
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name == "nil":
            return None
        if name in self.functions or (
            self.current_object() is not None and name in self.current_object()._template.functions
        ):
            return self.call(ast.Call(name, [], line=node.line, col=node.col))
        if name in ("hoc_ac_", "hoc_cross_x_", "hoc_cross_y_"):
            return self.globals.setdefault(name, 0.0)
        return self.builtin_value(name, node)

    def builtin_value(self, name: str, node: ast.Node) -> Any:
        from ..namespace import n

        if name in _SECTION_PROPS or name in ("diam", "cm", "v"):
            sec = self.cas(node)
            return float(getattr(sec, name) if name in _SECTION_PROPS else getattr(sec(0.5), name))
        try:
            value = getattr(n, name)
        except AttributeError:
            value = None
        except TypeError:  # a range variable named at top level
            value = None
        if value is not None:
            if callable(value) and not isinstance(value, type) and not hasattr(value, "is_point"):
                return self.call(ast.Call(name, [], line=node.line, col=node.col))
            return value
        sec = self.section_or_none()
        if sec is not None:
            try:
                return float(getattr(sec(0.5), name))
            except AttributeError:
                pass
        raise self.error(f"{name} undefined variable", node)

    def section_or_none(self) -> Section | None:
        try:
            return self.cas()
        except HocError:
            return None

    # ------------------------------------------------------------------ assignment
    def assign(self, target: ast.Node, value: Any, node: ast.Node) -> None:
        if isinstance(target, ast.Name):
            self.assign_name(target, value, node)
        elif isinstance(target, ast.Attr):
            owner = self.eval(target.obj)
            index = [self.eval(i) for i in target.index]
            if target.args is not None:  # sec.var(x) = value
                if isinstance(owner, Section) and len(target.args) == 1:
                    self.set_range(owner, target.name, float(self.eval(target.args[0])), value)
                    return
                raise self.error("cannot assign to a call", node)
            if isinstance(owner, Section) and not index:
                self.set_section_var(owner, target.name, value)
                return
            self.set_object_attr(owner, target.name, index, value)
        elif isinstance(target, ast.Call):  # var(x) = value on the accessed section
            if len(target.args) != 1:
                raise self.error("cannot assign to a function call", node)
            self.set_range(self.cas(node), target.name, float(self.eval(target.args[0])), value)
        elif isinstance(target, ast.Arg):
            frame = self.frames[-1] if self.frames else None
            if frame is None:
                raise self.error("$ argument outside a procedure", node)
            k = int(self.eval(target.index)) - 1
            if target.kind == "&":
                ref = frame.args[k]
                arr, i = ref.resolve()
                arr[i] = float(value)
            elif target.kind == "s" and isinstance(frame.args[k], StrVar):
                frame.args[k].s = str(value)
            else:
                frame.args[k] = value
        else:
            raise self.error("cannot assign to this expression", node)

    def assign_name(self, target: ast.Name, value: Any, node: ast.Node) -> None:
        name = target.name
        found = self.find_variable(name)
        if found is not None:
            store, key = found
            if target.index:
                _set_indexed(store[key], [self.eval(i) for i in target.index], value)
            elif isinstance(store[key], StrVar):
                store[key].s = str(value)
            elif isinstance(store[key], _Box):
                store[key].arr[0] = float(value)
            else:
                store[key] = value
            return
        if name in _CONSTANTS and name != "float_epsilon":
            raise self.error(f"{name}: cannot assign to a constant", node)
        if self.set_builtin(name, value, node):
            return
        if target.index:
            raise self.error(f"{name} is not an array", node)
        obj = self.current_object()
        (obj._fields if obj is not None else self.globals)[name] = value

    def set_builtin(self, name: str, value: Any, node: ast.Node) -> bool:
        """NEURON globals, section properties and range variables of the accessed section."""
        from ..namespace import n

        if name in _SECTION_PROPS:
            self.set_section_var(self.cas(node), name, value)
            return True
        try:
            getattr(n, name)
            setattr(n, name, float(value))
            return True
        except (AttributeError, TypeError):
            pass
        sec = self.section_or_none()
        if (
            sec is not None
            and name in ("diam", "cm", "v")
            or (sec is not None and _is_range(sec, name))
        ):
            self.set_section_var(sec, name, value)  # type: ignore[arg-type]
            return True
        return False

    def set_section_var(self, sec: Section, name: str, value: Any) -> None:
        if name == "nseg":  # HOC truncates
            sec.nseg = int(float(value))
            return
        if name in _SECTION_PROPS:
            setattr(sec, name, float(value))
            return
        if name in ("diam", "cm"):
            setattr(sec, name, float(value))
            return
        if name == "v":
            for seg in sec.allseg():
                seg.v = float(value)
            return
        setattr(sec, name, float(value))

    def set_range(self, sec: Section, name: str, x: float, value: Any) -> None:
        setattr(sec(x), name, float(value))

    def assign_ramp(self, target: ast.Node, ramp: ast.Ramp, node: ast.Node) -> None:
        """``var(x0:x1) = y0:y1``: linear in x over the segments with x0 <= x <= x1."""
        if isinstance(target, ast.Call) and len(target.args) == 1:
            sec, name, xr = self.cas(node), target.name, target.args[0]
        elif isinstance(target, ast.Attr) and target.args is not None and len(target.args) == 1:
            sec, name, xr = self.eval(target.obj), target.name, target.args[0]
        else:
            raise self.error("a:b needs a range variable with a:b argument", node)
        if not isinstance(xr, ast.Ramp):
            raise self.error("range variable ramp needs var(x0:x1) = y0:y1", node)
        x0, x1 = float(self.eval(xr.start)), float(self.eval(xr.stop))
        y0, y1 = float(self.eval(ramp.start)), float(self.eval(ramp.stop))
        for seg in sec:
            if x0 <= seg.x <= x1:
                frac = (seg.x - x0) / (x1 - x0) if x1 != x0 else 0.0
                setattr(seg, name, y0 + (y1 - y0) * frac)

    # ------------------------------------------------------------------ expressions
    def truth(self, value: Any) -> bool:
        if value is None:
            return False
        if isinstance(value, (int, float)):
            return value != 0
        return True

    def divide(self, a: float, b: float, node: ast.Node) -> float:
        if b == 0.0:
            raise self.error("division by zero", node)
        return a / b

    def eval(self, node: ast.Node) -> Any:
        method = getattr(self, "e_" + type(node).__name__)
        return method(node)

    def e_Num(self, node: ast.Num) -> float:
        return node.value

    def e_Str(self, node: ast.Str) -> str:
        return node.value

    def e_Name(self, node: ast.Name) -> Any:
        return self.eval_name(node)

    def e_Arg(self, node: ast.Arg) -> Any:
        frame = self.frames[-1] if self.frames else None
        if frame is None:
            raise self.error("$ argument outside a procedure", node)
        k = int(self.eval(node.index)) - 1
        if not 0 <= k < len(frame.args):
            raise self.error(f"arg {k + 1} out of range (numarg() is {len(frame.args)})", node)
        value = frame.args[k]
        if node.kind == "&":
            return value
        if node.kind == "" and isinstance(value, Ref):
            return value.value
        return value

    def e_Unary(self, node: ast.Unary) -> float:
        v = self.eval(node.operand)
        if node.op == "-":
            return -float(v)
        return 0.0 if self.truth(v) else 1.0

    def e_Binary(self, node: ast.Binary) -> Any:
        op = node.op
        if op == "&&":
            return (
                1.0
                if self.truth(self.eval(node.left)) and self.truth(self.eval(node.right))
                else 0.0
            )
        if op == "||":
            return (
                1.0
                if self.truth(self.eval(node.left)) or self.truth(self.eval(node.right))
                else 0.0
            )
        a = self.eval(node.left)
        b = self.eval(node.right)
        numbers = isinstance(a, (int, float)) and isinstance(b, (int, float))
        if not numbers:
            if op in ("==", "!="):  # objects compare by identity
                same = (a is b) if not isinstance(a, (str, StrVar)) else str(a) == str(b)
                return float(same == (op == "=="))
            raise self.error(f"operator {op} needs numbers", node)
        a, b = float(a), float(b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return self.divide(a, b, node)
        if op == "%":
            return a - b * math.floor(a / b) if b != 0 else self.divide(a, b, node)
        if op == "^":
            try:
                return math.pow(a, b)
            except OverflowError:
                return math.inf
        eps = _CONSTANTS["float_epsilon"]
        if op == "==":
            return float(abs(a - b) <= eps)
        if op == "!=":
            return float(abs(a - b) > eps)
        if op == "<":
            return float(a < b - eps)
        if op == "<=":
            return float(a <= b + eps)
        if op == ">":
            return float(a > b + eps)
        return float(a >= b - eps)

    def e_Ramp(self, node: ast.Ramp) -> Any:
        raise self.error("a:b only appears in range variable ramps", node)

    def e_New(self, node: ast.New) -> Any:
        args = [self.arg_value(a) for a in node.args]
        tpl = self.templates.get(node.template)
        if tpl is not None:
            return self.instantiate(tpl, args)
        return self.make_builtin_object(node.template, args, node)

    def make_builtin_object(self, name: str, args: list[Any], node: ast.Node) -> Any:
        from ..namespace import n

        try:
            cls = getattr(n, name)
        except AttributeError:
            raise self.error(f"{name} is not a template", node) from None
        if getattr(cls, "is_point", False):  # new IClamp(x): at x of the accessed section
            pp = cls()
            if args:
                pp.loc(self.cas(node)(float(args[0])))
            return pp
        if name == "NetCon" and args and isinstance(args[0], Ref) and args[0].section is None:
            return cls(*[_py(a) for a in args], sec=self.cas(node))
        if name == "NetCon" and args and isinstance(args[0], Ref):
            return cls(*[_py(a) for a in args], sec=args[0].section)
        if name in ("SectionList", "SectionRef") and not args:
            return cls(sec=self.cas(node)) if name == "SectionRef" else cls()
        return cls(*[_py(a) for a in args])

    def e_RefOf(self, node: ast.RefOf) -> Ref:
        target = node.target
        from ..namespace import n

        if isinstance(target, ast.Call) and len(target.args) == 1:
            sec = self.cas(node)
            seg = sec(float(self.eval(target.args[0])))
            return getattr(seg, "_ref_" + target.name)
        if isinstance(target, ast.Attr) and target.args is not None and len(target.args) == 1:
            owner = self.eval(target.obj)
            if isinstance(owner, Section):
                return getattr(owner(float(self.eval(target.args[0]))), "_ref_" + target.name)
        if isinstance(target, ast.Attr) and target.args is None:
            owner = self.eval(target.obj)
            return getattr(owner, "_ref_" + target.name)
        if isinstance(target, ast.Name) and not target.index:
            found = self.find_variable(target.name)
            if found is None:
                try:
                    return getattr(n, "_ref_" + target.name)
                except AttributeError:
                    sec = self.cas(node)
                    return getattr(sec(0.5), "_ref_" + target.name)
            store, key = found
            box = store[key]
            if not isinstance(box, _Box):
                box = _Box(float(store[key]))
                store[key] = box
            return Ref(lambda: (box.arr, 0), target.name)
        if isinstance(target, ast.Name) and target.index:
            found = self.find_variable(target.name)
            if found is not None and isinstance(found[0][found[1]], np.ndarray):
                arr = found[0][found[1]]
                idx = int(self.eval(target.index[0]))
                return Ref(lambda: (arr, idx), target.name)
        if isinstance(target, ast.Arg):
            return self.e_Arg(ast.Arg("&", target.index, line=node.line, col=node.col))
        raise self.error("cannot take the address of this expression", node)

    def e_Attr(self, node: ast.Attr) -> Any:
        owner = self.eval(node.obj)
        index = [self.eval(i) for i in node.index]
        args = None if node.args is None else [self.arg_value(a) for a in node.args]
        if isinstance(owner, Section) and args is not None and len(args) == 1:
            return float(getattr(owner(float(args[0])), node.name))
        if isinstance(owner, Section) and args is None and not index:
            return self.section_attr(owner, node.name)
        if isinstance(owner, Section):
            self.push(owner)
            try:
                return self.call(ast.Call(node.name, node.args or [], line=node.line, col=node.col))
            finally:
                self.pop()
        try:
            return self.object_attr(owner, node.name, args, index)
        except AttributeError as exc:
            raise self.error(str(exc), node) from None

    def section_attr(self, sec: Section, name: str) -> Any:
        if name in _SECTION_PROPS:
            return float(getattr(sec, name))
        if name in ("diam", "cm", "v"):
            return float(getattr(sec(0.5), name))
        return float(getattr(sec(0.5), name))

    def e_Call(self, node: ast.Call) -> Any:
        return self.call(node)

    def call(self, node: ast.Call) -> Any:
        name = node.name
        func = self.function_named(name)
        if func is not None:
            return self.call_function(
                func,
                [self.arg_value(a) for a in node.args],
                self.current_object() if func.template else None,
            )
        builtin = getattr(self, "b_" + name, None)
        if builtin is not None:
            return builtin(node)
        if name in _MATH:
            return float(_MATH[name](*[float(self.eval(a)) for a in node.args]))
        sec_call = self.section_call(node) if node.args else None
        if sec_call is not None:  # soma(0.5) as a value: its segment
            return sec_call[0](sec_call[1])
        found = self.find_variable(name)
        if found is not None and node.args == []:
            return found[0][found[1]]
        args = [self.arg_value(a) for a in node.args]
        if name in self.templates:
            return self.instantiate(self.templates[name], args)
        from ..namespace import n

        if (
            len(args) == 1
            and name in ("diam", "cm", "v", "area", "ri")
            or (
                len(args) == 1
                and self.section_or_none() is not None
                and _is_range(self.section_or_none(), name)  # type: ignore[arg-type]
            )
        ):
            seg = self.cas(node)(float(args[0]))
            if name == "area":
                return seg.area()
            if name == "ri":
                return seg.ri()
            return float(getattr(seg, name))
        try:
            value = getattr(n, name)
        except AttributeError:
            raise self.error(f"{name} undefined function", node) from None
        if name in _SEC_FUNCTIONS or name.startswith("setdata_"):
            return _number(value(*[_py(a) for a in args], sec=self.cas(node)))
        if getattr(value, "is_point", False):
            return self.make_builtin_object(name, args, node)
        return _number(value(*[_py(a) for a in args]))

    # ------------------------------------------------------------------ HOC built-ins
    def b_numarg(self, node: ast.Call) -> float:
        return float(len(self.frames[-1].args)) if self.frames else 0.0

    def b_argtype(self, node: ast.Call) -> float:
        if not self.frames:
            return -1.0
        k = int(self.eval(node.args[0])) - 1
        args = self.frames[-1].args
        if not 0 <= k < len(args):
            return -1.0
        a = args[k]
        if isinstance(a, (int, float)):
            return 0.0
        if isinstance(a, (str, StrVar)):
            return 2.0
        if isinstance(a, Ref):
            return 3.0
        return 1.0

    def b_print(self, node: ast.Call) -> float:  # pragma: no cover - print is a statement
        return 0.0

    def b_printf(self, node: ast.Call) -> float:
        vals = [self.eval(a) for a in node.args]
        text = _c_format(str(vals[0]), vals[1:])
        sys.stdout.write(text)
        return float(len(text))

    def b_sprint(self, node: ast.Call) -> float:
        target = self.arg_value(node.args[0])
        vals = [self.eval(a) for a in node.args[1:]]
        text = _c_format(str(vals[0]), vals[1:])
        if isinstance(target, StrVar):
            target.s = text
        else:
            self.assign(node.args[0], StrVar(text), node)
        return 1.0

    def b_secname(self, node: ast.Call) -> str:
        return self.cas(node).name()

    def b_sectionname(self, node: ast.Call) -> float:
        target = self.arg_value(node.args[0])
        if isinstance(target, StrVar):
            target.s = self.cas(node).name()
        return 1.0

    def b_ismembrane(self, node: ast.Call) -> float:
        name = str(self.eval(node.args[0]))
        sec = self.cas(node)
        if name.endswith("_ion"):
            return float(name[:-4] in sec._ions)
        return float(name in sec._mechs)

    def b_issection(self, node: ast.Call) -> float:
        return float(re.search(str(self.eval(node.args[0])), self.cas(node).name()) is not None)

    def b_delete_section(self, node: ast.Call) -> float:
        sec = self.cas(node)
        simulator.sim.delete_section(sec)
        if self.accessed is sec:
            self.accessed = None
        return 0.0

    def b_push_section(self, node: ast.Call) -> float:
        arg = self.eval(node.args[0])
        if isinstance(arg, (str, StrVar)):
            found = [s for s in simulator.sim.living_sections() if s.name() == str(arg)]
            if not found:
                raise self.error(f"push_section: no section named {arg}", node)
            arg = found[0]
        self.push(arg)
        return 1.0

    def b_pop_section(self, node: ast.Call) -> float:
        self.pop()
        return 1.0

    def b_load_file(self, node: ast.Call) -> float:
        vals = [self.eval(a) for a in node.args]
        force = len(vals) > 1 and isinstance(vals[0], (int, float)) and vals[0] != 0
        name = str(vals[-1] if isinstance(vals[0], (int, float)) else vals[0])
        if Path(name).name in _BUILTIN_FILES:
            return 1.0
        if len(vals) == 2 and not isinstance(vals[0], (int, float)):
            if str(vals[1]) in self.templates or str(vals[1]) in self.functions:
                return 1.0
        return self.load_file(name, force)

    def b_xopen(self, node: ast.Call) -> float:
        return self.xopen(str(self.eval(node.args[0])))

    def b_execute(self, node: ast.Call) -> float:
        code = str(self.eval(node.args[0]))
        obj = self.eval(node.args[1]) if len(node.args) > 1 else None
        if isinstance(obj, HocObject):
            saved = self.frames
            self.frames = [Frame(obj=obj)]
            try:
                self.execute(code, "<execute>", echo=False)
            finally:
                self.frames = saved
        else:
            self.execute(code, "<execute>", echo=False)
        return 0.0

    b_execute1 = b_execute

    def b_name_declared(self, node: ast.Call) -> float:
        return self.name_declared(str(self.eval(node.args[0])))

    def name_declared(self, name: str) -> float:
        """HOC's ``name_declared``: 0 unknown, 2 template or object, 1 procedure, 3 section,
        4 strdef, 5 number."""
        if name in self.templates:
            return 2.0
        if name in self.functions:
            return 1.0
        if name in simulator.sim.hoc_sections:
            return 3.0
        if name in self.globals:
            value = self.globals[name]
            return (
                4.0 if isinstance(value, StrVar) else (2.0 if not isinstance(value, float) else 5.0)
            )
        return 0.0

    def b_object_id(self, node: ast.Call) -> float:
        obj = self.eval(node.args[0])
        return 0.0 if obj is None else float(id(obj))

    def b_strcmp(self, node: ast.Call) -> float:
        a, b = (str(self.eval(x)) for x in node.args[:2])
        return float((a > b) - (a < b))

    def b_int(self, node: ast.Call) -> float:
        return float(int(float(self.eval(node.args[0]))))

    def b_quit(self, node: ast.Call) -> float:
        raise _Stop

    def b_getcwd(self, node: ast.Call) -> str:
        return os.getcwd() + "/"

    def b_unix_mac_pc(self, node: ast.Call) -> float:
        return 1.0

    def b_advance(self, node: ast.Call) -> float:
        from ..namespace import n

        n.fadvance()
        return 0.0

    def b_step(self, node: ast.Call) -> float:
        for _ in range(max(int(self.globals.get("nstep_steprun", 1.0)), 1)):
            self.call(ast.Call("advance", [], line=node.line, col=node.col))
        return 0.0

    b_steprun = b_step

    def b_tstop_changed(self, node: ast.Call) -> float:
        return 0.0

    def b_set_ra(self, node: ast.Call) -> float:
        for sec in simulator.sim.living_sections():
            sec.Ra = float(self.globals.get("global_ra", 35.4))
        return 0.0

    def b_cvode_active(self, node: ast.Call) -> float:
        if node.args and float(self.eval(node.args[0])) != 0:
            raise self.error("cvode_active(1): pyneuro has only the fixed step so far", node)
        return 0.0

    def b_frecord_init(self, node: ast.Call) -> float:
        return 0.0

    def b_doNotify(self, node: ast.Call) -> float:  # noqa: N802
        return 0.0

    def b_doEvents(self, node: ast.Call) -> float:  # noqa: N802
        return 0.0

    def b_nrnmainmenu(self, node: ast.Call) -> float:
        return 0.0

    def b_nrncontrolmenu(self, node: ast.Call) -> float:
        return 0.0

    def b_define_shape(self, node: ast.Call) -> float:
        return 0.0

    def b_xpanel(self, node: ast.Call) -> float:
        return 0.0

    b_xbutton = b_xvalue = b_xlabel = b_xmenu = b_xradiobutton = b_xcheckbox = b_xpanel
    b_xslider = b_xvarlabel = b_xstatebutton = b_xfixedvalue = b_xpvalue = b_xpanel


_BUILTIN_FILES = {
    "stdrun.hoc", "nrngui.hoc", "stdlib.hoc", "stdgui.hoc", "noload.hoc", "import3d.hoc",
}  # fmt: skip
#: functions of the accessed section that pyneuro's n takes with sec=
_SEC_FUNCTIONS = {
    "pt3dadd", "pt3dinsert", "pt3dchange", "pt3dremove", "pt3dclear", "pt3dstyle", "n3d",
    "x3d", "y3d", "z3d", "diam3d", "arc3d", "spine3d", "lambda_f", "psection", "ion_style",
}  # fmt: skip


class _Box:
    """A number whose address was taken (``&x``): kept in a one-element array so that the
    pointer and the name see one value."""

    __slots__ = ("arr",)

    def __init__(self, value: float) -> None:
        self.arr = np.array([value])


def _hname(obj: Any) -> str:
    """An object as HOC prints it (``Vector[0]``)."""
    hname = getattr(obj, "hname", None)
    return hname() if callable(hname) else str(obj)


def _is_builtin_name(name: str) -> bool:
    """Names NEURON defines itself (HOC refuses to redeclare them at top level)."""
    from ..namespace import _PLAIN, _SCALARS

    return name in _SCALARS or name in _PLAIN or name in ("v", "diam", "cm", *_SECTION_PROPS)


def _objref_array(sizes: list[int]) -> list:
    if len(sizes) == 1:
        return [None] * sizes[0]
    return [_objref_array(sizes[1:]) for _ in range(sizes[0])]


def _indexed(value: Any, index: list[Any]) -> Any:
    for i in index:
        k = int(float(i))
        if isinstance(value, np.ndarray):
            value = value[k]
        else:
            value = value[k]
    if isinstance(value, np.floating):
        return float(value)
    return value


def _set_indexed(container: Any, index: list[Any], value: Any) -> None:
    for i in index[:-1]:
        container = container[int(float(i))]
    container[int(float(index[-1]))] = value


def _is_range(sec: Section, name: str) -> bool:
    """Whether ``name`` is a range variable (or ion variable) of ``sec``."""
    from ..topology import _locate_range

    try:
        _locate_range(sec, name)
        return True
    except (AttributeError, TypeError, KeyError):
        return False


def _py(value: Any) -> Any:
    if isinstance(value, StrVar):
        return value.s
    if isinstance(value, _Box):
        return float(value.arr[0])
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, np.integer, np.floating)):
        return float(value)
    return value


def iter_sections(value: Any) -> Iterator[Section]:
    yield from value


_INTERPRETER: Interpreter | None = None


def interpreter() -> Interpreter:
    """The process's HOC interpreter (one, as NEURON has one)."""
    global _INTERPRETER
    if _INTERPRETER is None:
        _INTERPRETER = Interpreter()
    return _INTERPRETER
