"""SWC reconstructions read as NEURON's ``Import3d_SWC_read`` reads them.

An SWC file is a list of points ``id type x y z radius parent_id`` (µm). NEURON's reader
(``share/lib/hoc/import3d/read_swc.hoc``) splits the tree into unbranched runs of points of one
type ("sections"), with these rules, all repeated here because they decide the numbers:

* values are parsed by HOC's ``sscanf("%f")``, i.e. as C ``float``, then widened to double;
  the radius is doubled into a diameter;
* points are sorted by id if the file is not; ``pid`` must be smaller than ``id``;
* a point ends a section when it has no child, more than one child, a child that does not
  follow it in the file, or a child of another type (``mark_branch``); consecutive soma points
  stay in one section unless a soma point has several soma children;
* NeuroMorpho's three-point soma (middle point root, two children of the same diameter at a
  distance of one diameter in all) is one spherical point;
* a child section starts with a copy of its parent point; a dendrite leaving the soma takes
  the diameter of its own second point there; where it leaves a one-point soma, or the
  interior of a soma, the copy is a "wire" (``first = 1``, dropped from the 3-D points and
  kept as the logical connection point); branches hanging from the first point of a dendrite
  that is wired to the soma connect to that dendrite's 0 end (``connect2prox``).

The result is a list of `Import3dSection` in file order, each knowing its parent and where on
the parent it connects; `pyneuro.morphology.import3d` turns them into Sections.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(eq=False)
class Import3dSection:
    """One unbranched run of points (NEURON's ``Import3d_Section``): ``raw`` (3, n) x, y, z and
    ``d`` (n) diameters in µm; ``id`` is the file-order index of the point it starts from."""

    id: int
    raw: np.ndarray
    d: np.ndarray
    type: int = 0
    first: int = 0
    parentsec: Import3dSection | None = None
    parentx: float = 1.0
    pid: int = -1
    nameindex: int = 0
    is_subsidiary: bool = False

    @property
    def npts(self) -> int:
        return len(self.d)


class SwcError(ValueError):
    """An SWC file NEURON's reader would reject (file and line in the message)."""


_BLANK = re.compile(r"^\s*$")
_COMMENT = re.compile(r"^\s*#")


def _c_float(token: str) -> float:
    """``sscanf("%f")``: the longest numeric prefix, as a C float widened to double."""
    m = re.match(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", token)
    if m is None:
        raise ValueError(token)
    return float(np.float32(float(m.group(0))))


class SwcReader:
    """``Import3d_SWC_read``: ``input(path)`` reads, checks and splits the file into
    `sections`; ``err`` is 1 when NEURON would have reported a problem."""

    def __init__(self) -> None:
        self.quiet = 0
        self.err = 0
        self.filetype = "SWC"
        self.header: list[str] = []
        self.lines: list[str] = []
        self.sections: list[Import3dSection] = []
        self.soma3geom = 0
        self.file = ""

    # ------------------------------------------------------------------ reading
    def input(self, path: str | Path) -> None:
        self.err = 0
        self.file = str(path)
        self._read(Path(path))
        self._check_pid()
        self._sectionify()
        self._mksections()

    def _read(self, path: Path) -> None:
        try:
            text = path.read_text(errors="replace")
        except OSError as exc:
            raise SwcError(f"could not open {path}: {exc}") from exc
        rows: list[list[float]] = []
        iline: list[int] = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            tokens = line.split()
            values: list[float] = []
            for tok in tokens[:7]:
                try:
                    values.append(_c_float(tok))
                except ValueError:
                    break
            if len(values) == 7:
                values[5] *= 2.0  # radius to diameter
                rows.append(values)
                iline.append(lineno)
                self.lines.append(line)
            elif _COMMENT.match(line):
                self.header.append(line)
            elif _BLANK.match(line):
                pass
            else:
                raise SwcError(f"{path}:{lineno}: could not parse: {line.strip()}")
        data = np.array(rows, dtype=np.float64).reshape(-1, 7)
        self.id, self.type, self.x, self.y, self.z, self.d, self.pid = (
            data[:, k].copy() for k in range(7)
        )
        self.iline = np.array(iline, dtype=np.int64)

    def _check_pid(self) -> None:
        n = len(self.id)
        bad = np.nonzero(self.pid >= self.id)[0]
        if len(bad):
            k = int(bad[0])
            raise SwcError(
                f"{self.file}:{self.iline[k]}: parent id {self.pid[k]:g} is not less than "
                f"id {self.id[k]:g}"
            )
        if n > 1 and np.any(np.diff(self.id) <= 0):  # sort in id order
            order = np.argsort(self.id, kind="stable")
            for name in ("id", "type", "x", "y", "z", "d", "pid", "iline"):
                setattr(self, name, getattr(self, name)[order])
        if np.count_nonzero(self.pid < 0) > 1:
            self.err = 1
            if not self.quiet:
                print(f"warning {self.file}: more than one tree")
        dup = np.nonzero(np.diff(self.id) == 0)[0]
        if len(dup):
            k = int(dup[0]) + 1
            raise SwcError(f"{self.file}:{self.iline[k]}: duplicate id {self.id[k]:g}")
        self.id2index = np.full(int(self.id.max()) + 1 if n else 0, -1, dtype=np.int64)
        self.id2index[self.id.astype(np.int64)] = np.arange(n)

    def pix2ix(self, i: int) -> int:
        """Index of the parent point of point ``i`` (-1 for a root)."""
        p = self.pid[i]
        if p < 0:
            return -1
        return int(self.id2index[int(p)])

    # ------------------------------------------------------------------ sections
    def _mark_branch(self) -> np.ndarray:
        n = len(self.id)
        t = self.type
        self.connect2prox = np.zeros(n)
        if n > 1 and t[0] != t[1]:
            self.err = 1
        nchild = np.zeros(n)
        for i in range(n):
            p = self.pix2ix(i)
            if p < 0:
                continue
            nchild[p] += 1
            if p != i - 1:
                nchild[p] += 0.01
                if p > 1:
                    if t[p] != 1 and t[self.pix2ix(p)] == 1:
                        self.connect2prox[i] = 1
                        nchild[p] = 1
                        self.err = 1
                elif p == 0 and t[p] != 1:
                    self.connect2prox[i] = 1
                    nchild[p] = 1
            if t[p] != t[i]:
                nchild[p] += 0.01
        return nchild

    def _neuromorph_3point_soma(self, nchild: np.ndarray) -> None:
        self.soma3geom = 0
        if len(self.id) < 3:
            return
        if self.pix2ix(1) == 0 and self.pix2ix(2) == 0:
            if nchild[1] == 0 and nchild[2] == 0:
                d = self.d
                if d[1] == d[0] and d[2] == d[0]:
                    length = 0.0
                    for i in (1, 2):
                        dx = self.x[i] - self.x[0]
                        dy = self.y[i] - self.y[0]
                        dz = self.z[i] - self.z[0]
                        length += math.sqrt(dx**2 + dy**2 + dz**2)
                    if abs(length / d[0] - 1) < 0.01:
                        self.soma3geom = 1
                        self.pid[2] = self.id[1]

    def _sectionify(self) -> None:
        n = len(self.id)
        if n < 1:
            self.point2sec = np.zeros(0, dtype=np.int64)
            self.sec2point = np.zeros(0, dtype=np.int64)
            return
        t = self.type
        nchild = self._mark_branch()
        self.nchild_soma = np.zeros(n)
        nsoma_pts = 1 if t[0] == 1 else 0
        for i in range(1, n):
            if t[i] == 1:
                nsoma_pts += 1
                pix = self.pix2ix(i)
                if pix >= 0 and t[pix] == 1:
                    self.nchild_soma[pix] += 1
        if nsoma_pts == 3:
            self._neuromorph_3point_soma(nchild)
        for i in range(n - 1):
            if t[i] == 1 and t[i + 1] == 1 and self.pix2ix(i + 1) == i:
                if not (i != 0 and self.nchild_soma[i] > 1):
                    nchild[i] = 1
        self.sec2point = np.nonzero(nchild != 1)[0]
        self.point2sec = np.zeros(n, dtype=np.int64)
        si = 0
        for i in range(1, n):
            if i > self.sec2point[si]:
                si += 1
            self.point2sec[i] = si

    def _mksections(self) -> None:
        self.sections = []
        n = len(self.id)
        if n < 1:
            return
        isec = 0
        first = 0
        for i in range(n):
            if self.point2sec[i] > isec:
                self._mksection(isec, first, i)
                isec += 1
                first = i
        self._mksection(isec, first, n)

    def _points(self, sec: Import3dSection, at: int, start: int, count: int) -> None:
        for k in range(count):
            j, p = at + k, start + k
            sec.raw[:, j] = (self.x[p], self.y[p], self.z[p])
            sec.d[j] = self.d[p]

    def _new(self, first: int, npts: int) -> Import3dSection:
        return Import3dSection(first, np.zeros((3, npts)), np.zeros(npts))

    def _mksection(self, isec: int, first: int, i: int) -> None:
        t = self.type
        if isec == 0:
            if self.soma3geom:
                i = 1
            sec = self._new(first, i - first)
            self._points(sec, 0, first, i - first)
        else:
            sec = self._new(first, i - first + 1)
            pfirst = self.pix2ix(first)
            psec = self.sections[int(self.point2sec[pfirst])]
            sec.parentsec = psec
            den_con_soma = psec.type == 1 and t[first] != 1
            con_soma = psec.type == 1
            handled = False
            if psec is self.sections[0]:
                handled = True
                if den_con_soma and psec.npts == 1:  # a one-point soma: wire to its middle
                    sec.parentx = 0.5
                    if i - first > 1:
                        sec.first = 1
                elif pfirst == psec.id:  # the first point of the root
                    sec.parentx = 0.0
                    if t[first] != 1 and self.nchild_soma[pfirst] > 1:
                        sec.first = 1
                else:
                    handled = False
            if not handled and con_soma:
                offset = -1 if psec.id == 0 else -2
                if pfirst < psec.id + psec.npts + offset:  # the interior of a soma
                    sec.parentx = 0.5
                    if den_con_soma and i - first > 1:
                        sec.first = 1
                elif i - first > 1 and self.nchild_soma[pfirst] > 1:
                    if t[first] != 1:
                        sec.first = 1
            self._points(sec, 0, pfirst, 1)
            self._points(sec, 1, first, i - first)
        sec.type = int(t[first])
        self.sections.append(sec)
        if sec.parentsec is not None and sec.parentsec.type == 1 and sec.type != 1:
            sec.d[0] = sec.d[1]
        if self.connect2prox[first]:
            assert sec.parentsec is not None
            sec.pid = sec.parentsec.id
            sec.parentx = 0.0
