"""NEURON's general-purpose classes that scripts (HOC and Python) use besides Vector:
``List``, ``SectionList``, ``SectionRef``, ``StringFunctions``, and the graphical classes,
which run headless: they accept every call and draw nothing (a script's plots are not part of
what it computes)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from . import simulator
from .topology import Section


class List:
    """``List()``: an ordered list of objects (``List("Vector")`` lists all Vectors is not
    supported). Indices are 0-based, as in NEURON."""

    def __init__(self, *args: Any) -> None:
        if args:
            raise NotImplementedError(
                'List("Template") (every object of a template) is not supported'
            )
        self._items: list[Any] = []

    def append(self, obj: Any) -> float:
        self._items.append(obj)
        return float(len(self._items))

    def prepend(self, obj: Any) -> float:
        self._items.insert(0, obj)
        return float(len(self._items))

    def insrt(self, i: float, obj: Any) -> float:
        self._items.insert(int(i), obj)
        return float(len(self._items))

    def remove(self, i: float) -> float:
        del self._items[int(i)]
        return float(len(self._items))

    def remove_all(self) -> float:
        self._items.clear()
        return 0.0

    def count(self) -> float:
        return float(len(self._items))

    def index(self, obj: Any) -> float:
        for k, item in enumerate(self._items):
            if item is obj:
                return float(k)
        return -1.0

    def object(self, i: float) -> Any:
        return self._items[int(i)]

    o = object

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __getitem__(self, i: int) -> Any:
        return self._items[i]


class SectionList:
    """``SectionList()``: sections, each at most once, in the order appended."""

    def __init__(self, sections: Iterable[Section] | None = None) -> None:
        self._secs: list[Section] = []
        for sec in sections or ():
            self.append(sec)

    def append(self, sec: Section | None = None) -> float:
        if sec is None:
            raise TypeError("SectionList.append(sec) or append(sec=sec)")
        if all(s is not sec for s in self._secs):
            self._secs.append(sec)
        return 1.0

    def remove(self, sec: Any = None) -> float:
        if isinstance(sec, SectionList):
            drop = list(sec._secs)
        elif sec is None:
            raise TypeError("SectionList.remove(sec)")
        else:
            drop = [sec]
        before = len(self._secs)
        self._secs = [s for s in self._secs if all(s is not d for d in drop)]
        return float(before - len(self._secs))

    def children(self, sec: Section) -> float:
        for child in sec.children():
            self.append(child)
        return 1.0

    def subtree(self, sec: Section) -> float:
        for s in sec.subtree():
            self.append(s)
        return 1.0

    def wholetree(self, sec: Section) -> float:
        for s in sec.wholetree():
            self.append(s)
        return 1.0

    def allroots(self) -> float:
        for s in simulator.sim.living_sections():
            if s.parentseg() is None:
                self.append(s)
        return 1.0

    def contains(self, sec: Section) -> bool:
        return any(s is sec for s in self._secs)

    def printnames(self) -> float:
        for s in self._secs:
            print(s.name())
        return 1.0

    def __iter__(self) -> Iterator[Section]:
        return iter(list(self._secs))

    def __len__(self) -> int:
        return len(self._secs)


class SectionRef:
    """``SectionRef(sec=...)``: a handle on a section and its neighbours."""

    def __init__(self, sec: Section | None = None) -> None:
        if sec is None:
            raise TypeError("SectionRef(sec=sec)")
        self.sec = sec

    @property
    def root(self) -> Section:
        return self.sec.root()

    @property
    def parent(self) -> Section:
        p = self.sec.parentseg()
        if p is None:
            raise RuntimeError(f"{self.sec} has no parent")
        return p.sec

    @property
    def trueparent(self) -> Section:
        p = self.sec.trueparentseg()
        if p is None:
            raise RuntimeError(f"{self.sec} has no parent")
        return p.sec

    @property
    def child(self) -> list[Section]:
        return self.sec.children()

    def nchild(self) -> float:
        return float(len(self.sec.children()))

    def has_parent(self) -> float:
        return float(self.sec.parentseg() is not None)

    def has_trueparent(self) -> float:
        return float(self.sec.trueparentseg() is not None)

    def exists(self) -> float:
        return 1.0


class StringFunctions:
    """HOC's ``StringFunctions`` (``len``, ``substr``, ``head``, ``tail``, ``left``, ``right``,
    ``is_name``); results that HOC writes into a strdef go to its ``.s``."""

    def len(self, s: Any) -> float:
        return float(len(str(s)))

    def substr(self, s: Any, t: Any) -> float:
        return float(str(s).find(str(t)))

    def head(self, s: Any, pattern: Any, out: Any) -> float:
        m = re.search(str(pattern), str(s))
        if m is None:
            _store(out, "")
            return -1.0
        _store(out, str(s)[: m.start()])
        return float(m.start())

    def tail(self, s: Any, pattern: Any, out: Any) -> float:
        m = re.search(str(pattern), str(s))
        if m is None:
            _store(out, "")
            return -1.0
        _store(out, str(s)[m.end() :])
        return float(m.end())

    def left(self, s: Any, n: float) -> float:
        _store(s, str(s)[: int(n)])
        return 0.0

    def right(self, s: Any, n: float) -> float:
        _store(s, str(s)[int(n) :])
        return 0.0

    def is_name(self, s: Any) -> float:
        from .hoc.interp import interpreter

        return float(interpreter().name_declared(str(s)) > 0)


def _store(target: Any, text: str) -> None:
    if hasattr(target, "s"):
        target.s = text


class _Headless:
    """A graphical object without a screen: every method exists and returns 0."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *a, **k: 0.0


class Graph(_Headless):
    """NEURON's ``Graph``, headless."""


class PlotShape(_Headless):
    """NEURON's ``PlotShape``, headless."""


class Shape(_Headless):
    """NEURON's ``Shape``, headless."""


class VBox(_Headless):
    """NEURON's ``VBox``, headless."""


class HBox(_Headless):
    """NEURON's ``HBox``, headless."""


class Deck(_Headless):
    """NEURON's ``Deck``, headless."""
