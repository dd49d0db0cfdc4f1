"""The event queue and spike-source state, as plain arrays that compiled code can use.

NEURON keeps discrete events (NetCon deliveries, self-events from ``net_send``) in a priority
queue ordered by time, first-in first-out among equal times. Ours is a binary heap over
parallel arrays so that the compiled time loop can push and pop without Python:

``q_t`` (event time, ms), ``q_seq`` (insertion number: the tie-breaker), ``q_kind``
(`KIND_NETCON` or `KIND_SELF`), ``q_a`` (NetCon id, or the target's mechanism number),
``q_b`` (instance, for self-events), ``q_flag`` (the ``net_send`` flag), ``q_w`` (NetCon whose
weights a self-event carries, -1 for none). ``q_meta[0]`` is the heap size, ``q_meta[1]`` the
next sequence number.
"""

from __future__ import annotations

import numba
import numpy as np

KIND_NETCON, KIND_SELF = 0, 1
THRESHOLD_EPS = 1e-10  # NEURON sends a threshold event at t + 1e-10 (check_thresh)


class EventQueue:
    """Owner of the heap arrays; grows them between steps when they fill up."""

    def __init__(self, capacity: int = 1024) -> None:
        self.t = np.zeros(capacity)
        self.seq = np.zeros(capacity, dtype=np.int64)
        self.kind = np.zeros(capacity, dtype=np.int64)
        self.a = np.zeros(capacity, dtype=np.int64)
        self.b = np.zeros(capacity, dtype=np.int64)
        self.flag = np.zeros(capacity)
        self.w = np.zeros(capacity, dtype=np.int64)
        self.meta = np.zeros(2, dtype=np.int64)

    def arrays(self) -> tuple:
        return (self.t, self.seq, self.kind, self.a, self.b, self.flag, self.w, self.meta)

    def clear(self) -> None:
        self.meta[:] = 0

    @property
    def size(self) -> int:
        return int(self.meta[0])

    def ensure_room(self, headroom: int) -> None:
        """Grow so that at least ``headroom`` more events fit."""
        cap = self.t.shape[0]
        if self.size + headroom <= cap:
            return
        new_cap = max(2 * cap, self.size + headroom)
        for name in ("t", "seq", "kind", "a", "b", "flag", "w"):
            old = getattr(self, name)
            new = np.zeros(new_cap, dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)

    def push(self, t: float, kind: int, a: int, b: int = -1, flag: float = 0.0, w: int = -1):
        self.ensure_room(1)
        push(t, kind, a, b, flag, w, *self.arrays())


@numba.njit(cache=True)
def _less(qt, qseq, i, j):
    return qt[i] < qt[j] or (qt[i] == qt[j] and qseq[i] < qseq[j])


@numba.njit(cache=True)
def _swap(qt, qseq, qkind, qa, qb, qflag, qw, i, j):
    qt[i], qt[j] = qt[j], qt[i]
    qseq[i], qseq[j] = qseq[j], qseq[i]
    qkind[i], qkind[j] = qkind[j], qkind[i]
    qa[i], qa[j] = qa[j], qa[i]
    qb[i], qb[j] = qb[j], qb[i]
    qflag[i], qflag[j] = qflag[j], qflag[i]
    qw[i], qw[j] = qw[j], qw[i]


@numba.njit(cache=True)
def push(t, kind, a, b, flag, w, qt, qseq, qkind, qa, qb, qflag, qw, qmeta):
    """Insert an event; returns False when the arrays are full (the caller must grow them)."""
    n = qmeta[0]
    if n >= qt.shape[0]:
        return False
    qt[n] = t
    qseq[n] = qmeta[1]
    qkind[n] = kind
    qa[n] = a
    qb[n] = b
    qflag[n] = flag
    qw[n] = w
    qmeta[0] = n + 1
    qmeta[1] += 1
    i = n
    while i > 0:
        p = (i - 1) // 2
        if _less(qt, qseq, i, p):
            _swap(qt, qseq, qkind, qa, qb, qflag, qw, i, p)
            i = p
        else:
            break
    return True


@numba.njit(cache=True)
def pop(qt, qseq, qkind, qa, qb, qflag, qw, qmeta):
    """Remove the least event (caller checks qmeta[0] > 0); its fields land in slot n-1."""
    n = qmeta[0] - 1
    _swap(qt, qseq, qkind, qa, qb, qflag, qw, 0, n)
    qmeta[0] = n
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        c = left
        right = left + 1
        if right < n and _less(qt, qseq, right, left):
            c = right
        if _less(qt, qseq, c, i):
            _swap(qt, qseq, qkind, qa, qb, qflag, qw, c, i)
            i = c
        else:
            break
    return n
