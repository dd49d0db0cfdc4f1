"""The event queue and spike-source state, as plain arrays that compiled code can use.

NEURON keeps discrete events (NetCon deliveries, self-events from ``net_send``, WATCH
events) in a ``TQueue``: a splay tree, first-in first-out among equal times, plus a separate
``least_`` item, the earliest event. Ours is a binary heap over parallel arrays, so that the
compiled time loop can push and pop without Python, ordered by (time, sequence number) with
the sequence numbers chosen so that the order is exactly TQueue's, ``least_`` included (see
`_insert` and `move`).

Arrays, one entry per queued event: ``q_t`` (event time, ms), ``q_seq`` (the tie-breaker),
``q_kind`` (`KIND_NETCON`, `KIND_SELF` or `KIND_WATCH`), ``q_a`` (NetCon id, or the target's
mechanism number), ``q_b`` (instance, for self and WATCH events), ``q_flag`` (the flag),
``q_w`` (NetCon whose weights a self-event carries, -1 for none; for a WATCH event the
instance's WATCH generation when it was sent), ``q_s`` (the instance slot when this event is
the one the instance's ``tqitem`` points to, else -1).

Per instance slot (``mech_ptr[k] + instance``): ``q_track`` is the heap position of the event
NEURON's ``tqitem`` points to — the last ``net_send(..., 1)``, the one ``net_move`` moves —
or -1. ``q_meta`` = [heap size, next sequence number, count of "least" sequence numbers].
"""

from __future__ import annotations

import numba
import numpy as np

KIND_NETCON, KIND_SELF, KIND_WATCH = 0, 1, 2
THRESHOLD_EPS = 1e-10  # NEURON sends a threshold event at t + 1e-10 (check_thresh)


class EventQueue:
    """Owner of the heap arrays; grows them between steps when they fill up."""

    _GROWN = ("t", "seq", "kind", "a", "b", "flag", "w", "s")

    def __init__(self, capacity: int = 1024) -> None:
        self.t = np.zeros(capacity)
        self.seq = np.zeros(capacity, dtype=np.int64)
        self.kind = np.zeros(capacity, dtype=np.int64)
        self.a = np.zeros(capacity, dtype=np.int64)
        self.b = np.zeros(capacity, dtype=np.int64)
        self.flag = np.zeros(capacity)
        self.w = np.zeros(capacity, dtype=np.int64)
        self.s = np.full(capacity, -1, dtype=np.int64)
        self.track = np.zeros(0, dtype=np.int64)
        self.meta = np.zeros(3, dtype=np.int64)

    def arrays(self) -> tuple:
        return (
            self.t,
            self.seq,
            self.kind,
            self.a,
            self.b,
            self.flag,
            self.w,
            self.s,
            self.track,
            self.meta,
        )

    def clear(self) -> None:
        self.meta[:] = 0
        self.s[:] = -1
        self.track[:] = -1

    def set_slots(self, nslots: int) -> None:
        """Size the per-instance ``tqitem`` table (a new model may number instances anew)."""
        if self.track.shape[0] != nslots:
            self.track = np.full(nslots, -1, dtype=np.int64)
            self.s[:] = -1

    @property
    def size(self) -> int:
        return int(self.meta[0])

    def ensure_room(self, headroom: int) -> None:
        """Grow so that at least ``headroom`` more events fit."""
        cap = self.t.shape[0]
        if self.size + headroom <= cap:
            return
        new_cap = max(2 * cap, self.size + headroom)
        for name in self._GROWN:
            old = getattr(self, name)
            new = (
                np.full(new_cap, -1, dtype=old.dtype)
                if name == "s"
                else np.zeros(new_cap, old.dtype)
            )
            new[: old.shape[0]] = old
            setattr(self, name, new)

    def push(self, t: float, kind: int, a: int, b: int = -1, flag: float = 0.0, w: int = -1):
        self.ensure_room(1)
        push(t, kind, a, b, flag, w, *self.arrays())

    def push_self(self, t: float, k: int, inst: int, flag: float, slot: int, w: int = -1):
        """A self-event (``net_send``); flag 1 makes it the instance's ``tqitem``."""
        self.ensure_room(1)
        if flag == 1.0:
            push_tracked(t, KIND_SELF, k, inst, flag, w, slot, *self.arrays())
        else:
            push(t, KIND_SELF, k, inst, flag, w, *self.arrays())


@numba.njit(cache=True)
def _less(qt, qseq, i, j):
    return qt[i] < qt[j] or (qt[i] == qt[j] and qseq[i] < qseq[j])


@numba.njit(cache=True)
def _swap(qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, i, j):
    qt[i], qt[j] = qt[j], qt[i]
    qseq[i], qseq[j] = qseq[j], qseq[i]
    qkind[i], qkind[j] = qkind[j], qkind[i]
    qa[i], qa[j] = qa[j], qa[i]
    qb[i], qb[j] = qb[j], qb[i]
    qflag[i], qflag[j] = qflag[j], qflag[i]
    qw[i], qw[j] = qw[j], qw[i]
    qs[i], qs[j] = qs[j], qs[i]
    if qs[i] >= 0:
        qtrack[qs[i]] = i
    if qs[j] >= 0:
        qtrack[qs[j]] = j


@numba.njit(cache=True)
def _sift_up(i, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack):
    while i > 0:
        p = (i - 1) // 2
        if _less(qt, qseq, i, p):
            _swap(qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, i, p)
            i = p
        else:
            break
    return i


@numba.njit(cache=True)
def _sift_down(i, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack):
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        c = left
        right = left + 1
        if right < n and _less(qt, qseq, right, left):
            c = right
        if _less(qt, qseq, c, i):
            _swap(qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, c, i)
            i = c
        else:
            break
    return i


@numba.njit(cache=True)
def _next_seq(qmeta):
    s = qmeta[1]
    qmeta[1] += 1
    return s


@numba.njit(cache=True)
def _least_seq(qmeta):
    # below every sequence number handed out: the event stays first among equal times
    qmeta[2] += 1
    return -qmeta[2]


@numba.njit(cache=True)
def _insert(t, kind, a, b, flag, w, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta):
    """TQueue::insert; returns the new event's heap position, -1 when the arrays are full.

    An event earlier than the least one becomes the least, and the old least goes back
    into the tree behind the events of its own time: it gets a new sequence number."""
    n = qmeta[0]
    if n >= qt.shape[0]:
        return -1
    if n > 0 and t < qt[0]:
        qseq[0] = _next_seq(qmeta)
        _sift_down(0, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
    qt[n] = t
    qseq[n] = _next_seq(qmeta)
    qkind[n] = kind
    qa[n] = a
    qb[n] = b
    qflag[n] = flag
    qw[n] = w
    qs[n] = -1
    qmeta[0] = n + 1
    return _sift_up(n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)


@numba.njit(cache=True)
def push(t, kind, a, b, flag, w, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta):
    """Insert an event; returns False when the arrays are full (the caller must grow them)."""
    return (
        _insert(t, kind, a, b, flag, w, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta) >= 0
    )


@numba.njit(cache=True)
def untrack(slot, qs, qtrack):
    """The instance's ``tqitem`` no longer points to an event (the event stays queued)."""
    i = qtrack[slot]
    if i >= 0:
        qs[i] = -1
        qtrack[slot] = -1


@numba.njit(cache=True)
def push_tracked(
    t, kind, a, b, flag, w, slot, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta
):
    """Insert a ``net_send(..., 1)`` self-event and make it the instance's ``tqitem``."""
    untrack(slot, qs, qtrack)
    i = _insert(t, kind, a, b, flag, w, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta)
    if i < 0:
        return False
    qs[i] = slot
    qtrack[slot] = i
    return True


@numba.njit(cache=True)
def move(slot, tnew, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta):
    """``net_move``: the instance's ``tqitem`` event moves to ``tnew`` in place (TQueue::move).

    Returns False when the instance has no such event (NEURON: "No event with flag=1 for
    net_move")."""
    i = qtrack[slot]
    if i < 0:
        return False
    n = qmeta[0]
    if i == 0:
        # move_least: it stays the least unless the next event is strictly earlier
        qt[0] = tnew
        nxt = -1
        if n > 1:
            nxt = 1
            if n > 2 and _less(qt, qseq, 2, 1):
                nxt = 2
        if nxt >= 0 and tnew > qt[nxt]:
            qseq[0] = _next_seq(qmeta)
            _sift_down(0, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
        else:
            qseq[0] = _least_seq(qmeta)
    elif tnew < qt[0]:
        # it becomes the least; the old least goes back behind the events of its time
        qseq[0] = _next_seq(qmeta)
        _sift_down(0, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
        i = qtrack[slot]
        qt[i] = tnew
        qseq[i] = _least_seq(qmeta)
        _sift_up(i, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
    else:
        qt[i] = tnew
        qseq[i] = _next_seq(qmeta)
        i = _sift_up(i, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
        _sift_down(i, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
    return True


@numba.njit(cache=True)
def pop(qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, qmeta):
    """Remove the least event (caller checks qmeta[0] > 0); its fields land in slot n-1.

    A popped ``tqitem`` event leaves its instance with none (NEURON clears ``tqitem`` when
    a flag-1 event is delivered)."""
    n = qmeta[0] - 1
    _swap(qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack, 0, n)
    if qs[n] >= 0:
        qtrack[qs[n]] = -1
        qs[n] = -1
    qmeta[0] = n
    _sift_down(0, n, qt, qseq, qkind, qa, qb, qflag, qw, qs, qtrack)
    return n
