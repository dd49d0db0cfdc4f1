"""NEURON's ``Random`` class and its generators, bit for bit identical with NEURON 9.0.2.

The same seeds give the same numbers as NEURON: the generators (Random123's Philox4x32-10 as
NEURON's ``nrnran123`` wraps it, and MCellRan4) are integer algorithms, and the distributions
repeat the GNU libg++ formulas NEURON uses, operation by operation, calling the same C library
``log``/``exp``/``pow``. NEURON 9.0.2 has no ACG generator any more: ``Random()`` and
``Random(seed, size)`` are Random123 streams with ids ``(seed, size, 0)``; only Random123 and
MCellRan4 can be selected.

The generator and stream functions are Numba ``njit`` functions, so compiled NMODL kernels
(NEURON 9 ``RANDOM`` variables, ``random_negexp(ranvar)`` and friends) can call them without
Python. Their state lives in small NumPy arrays, laid out as follows.

**Random123 stream** (``nrnran123_State``): ``uint32[STREAM_STATE_SIZE]`` (9 words)::

    [0] c0  sequence number (``seq``); the 128-bit counter c0..c3 increments from here
    [1] c1  id3
    [2] c2  id1
    [3] c3  id2
    [4:8]   r = philox4x32_10(c, key): the block of four random words now being handed out
    [8]     which: index (0..3) into r of the next word ``nrnran123_ipick`` returns

Make one with :func:`nrnran123_newstream` (or fill a row of a 2-D array with
:func:`nrnran123_init`).

**Global key**: ``uint32[2]`` = ``[global index, 0]``, shared by every stream and changed in
place by ``Random123_globalindex``; :func:`global_key` returns the one array. Stream functions
take it as an argument because Numba freezes global arrays at compile time. As in NEURON, a
stream reads the key only when it computes a new block (``setseq``, or after every fourth pick),
so after changing the global index one should reset the sequences.

**MCellRan4**: ``uint32[STREAM_STATE_SIZE]`` whose first three words are ``[ihigh, orig, ilow]``;
``ilow == 0`` means "use the global low index" (``mcell_ran4_init``), held in the ``uint32[1]``
array :func:`mcell_lowindex_array`.

**Distribution** (the object ``repick()`` draws from): a kind code (``DIST_*``) and a
``float64[DIST_STATE_SIZE]`` array of its parameters and, for the normal and lognormal
distributions, the cached second value of the polar method (see :func:`_pick`).

Integer arithmetic is done in uint64 and masked to 32 bits explicitly, because Numba widens
uint32 operands and NumPy warns on wrap-around; so the functions give the same bits as plain
Python too (``NUMBA_DISABLE_JIT=1``), except that out-of-domain distribution parameters then
raise Python's math errors instead of giving C's inf/NaN. Numba functions use
``error_model="numpy"`` so that division by zero gives IEEE infinities as in C.
"""

from __future__ import annotations

import math
import weakref
from typing import Any

import numba
import numpy as np
from llvmlite import ir as llvm_ir
from numba import types
from numba.extending import intrinsic

__all__ = [
    "DIST_STATE_SIZE",
    "STREAM_STATE_SIZE",
    "Random",
    "global_key",
    "mcell_lowindex_array",
    "mcell_ran4_init",
    "mcell_ran4a",
    "nrn_ran4int",
    "nrnran123_dblpick",
    "nrnran123_getids",
    "nrnran123_getseq",
    "nrnran123_init",
    "nrnran123_ipick",
    "nrnran123_iran",
    "nrnran123_negexp",
    "nrnran123_negexp_mean",
    "nrnran123_newstream",
    "nrnran123_normal",
    "nrnran123_normal_mean_std",
    "nrnran123_setids",
    "nrnran123_setseq",
    "nrnran123_setseq_double",
    "nrnran123_uniform",
    "nrnran123_uniform_range",
    "philox4x32_10",
    "random123_globalindex",
    "random_play",
]

_jit = numba.njit(cache=True, error_model="numpy")

STREAM_STATE_SIZE = 9
DIST_STATE_SIZE = 8

# A Random's state buffer (float64[HANDLE_SIZE]), whose address a mechanism instance may hold
# (the nrn_random_pick VERBATIM idiom, see pick_at): generator kind, distribution kind,
# addresses of the global key and MCellRan4 low index arrays, the distribution's parameters,
# then the generator state as uint32 (9 words in 5 doubles).
HANDLE_GKIND = 0
HANDLE_DKIND = 1
HANDLE_KEY = 2
HANDLE_LOW = 3
HANDLE_DIST = 4
HANDLE_GEN = HANDLE_DIST + DIST_STATE_SIZE
HANDLE_SIZE = HANDLE_GEN + 5

# Generator kinds: NEURON's Rand::type_ codes.
GEN_MCELLRAN4 = 2
GEN_RANDOM123 = 4

# Distribution kinds.
DIST_UNIFORM = 0
DIST_DISCUNIF = 1
DIST_NORMAL = 2
DIST_LOGNORMAL = 3
DIST_POISSON = 4
DIST_BINOMIAL = 5
DIST_GEOMETRIC = 6
DIST_HYPERGEO = 7
DIST_NEGEXP = 8
DIST_ERLANG = 9
DIST_WEIBULL = 10

_M32 = np.uint64(0xFFFFFFFF)
_M16 = np.uint64(0xFFFF)
_S16 = np.uint64(16)
_S32 = np.uint64(32)
_ONE = np.uint64(1)
_TWO32 = np.uint64(0x100000000)
_PHILOX_M0 = np.uint64(0xD2511F53)
_PHILOX_M1 = np.uint64(0xCD9E8D57)
_PHILOX_W0 = np.uint64(0x9E3779B9)
_PHILOX_W1 = np.uint64(0xBB67AE85)
_RAN4_C1 = np.uint64(0xBAA96887)
_RAN4_C2 = np.uint64(0x4B0F3B58)
_RAN4_C3 = np.uint64(0x1E17D32C)
_RAN4_C4 = np.uint64(0xE874F0C3)
# nrnran123_dblpick maps a uint32 u to (u + 1) / (2^32 + 1): strictly inside (0, 1).
_SHIFT32_R123 = 1.0 / 4294967297.0
# MCellRan4 maps u to u / 2^32: 0 is possible, 1 is not.
_SHIFT32_RAN4 = 1.0 / 4294967296.0
_M_E = 2.71828182845904523536

_GLOBAL_KEY = np.zeros(2, dtype=np.uint32)
_MCELL_LOWINDEX = np.zeros(1, dtype=np.uint32)
# MCellRan4 generators created in this process (NEURON's MCellRan4::cnt_), seeds MCellRan4(0).
_mcell_count = 0


# ------------------------------------------------------------------ Philox4x32-10


@_jit
def philox4x32_10(
    c0: int, c1: int, c2: int, c3: int, k0: int, k1: int
) -> tuple[np.uint32, np.uint32, np.uint32, np.uint32]:
    """Random123's Philox4x32 with 10 rounds: counter (c0..c3) and key (k0, k1) to 4 uint32.

    Each round multiplies words 0 and 2 by fixed constants, swaps the high and low halves of
    the products crosswise and XORs in the key; the key gets a Weyl increment between rounds.
    Returns a tuple of four ``np.uint32``.
    """
    x0 = np.uint64(c0)
    x1 = np.uint64(c1)
    x2 = np.uint64(c2)
    x3 = np.uint64(c3)
    ka = np.uint64(k0)
    kb = np.uint64(k1)
    for rnd in range(10):
        if rnd > 0:
            ka = (ka + _PHILOX_W0) & _M32
            kb = (kb + _PHILOX_W1) & _M32
        p0 = _PHILOX_M0 * x0
        p1 = _PHILOX_M1 * x2
        x0, x1, x2, x3 = (
            (p1 >> _S32) ^ x1 ^ ka,
            p1 & _M32,
            (p0 >> _S32) ^ x3 ^ kb,
            p0 & _M32,
        )
    return np.uint32(x0), np.uint32(x1), np.uint32(x2), np.uint32(x3)


# ------------------------------------------------------------------ nrnran123 streams


@_jit
def _refill(s: np.ndarray, key: np.ndarray) -> None:
    """r = philox(c, key): the block of four words the stream hands out next."""
    r0, r1, r2, r3 = philox4x32_10(s[0], s[1], s[2], s[3], key[0], key[1])
    s[4] = r0
    s[5] = r1
    s[6] = r2
    s[7] = r3


@_jit
def nrnran123_setseq(s: np.ndarray, key: np.ndarray, seq: int, which: int) -> None:
    """Set the stream to word ``which`` (0..3, else 0) of block ``seq``, as nrnran123_setseq."""
    s[8] = which if 0 <= which <= 3 else 0
    s[0] = np.uint64(seq) & _M32
    _refill(s, key)


@_jit
def nrnran123_setseq_double(s: np.ndarray, key: np.ndarray, seq4which: float) -> None:
    """Set the position from one double ``seq*4 + which`` (NMODL's ``random_setseq``).

    Negative values and values above 2^40 - 1 mean 0; the integer part is taken mod 2^34.
    """
    x = seq4which
    if x < 0.0:
        x = 0.0
    if x > 1099511627775.0:
        x = 0.0
    bits = np.uint64(x) & np.uint64(0x3FFFFFFFF)
    nrnran123_setseq(s, key, bits >> np.uint64(2), np.int64(bits & np.uint64(3)))


@_jit
def nrnran123_getseq(s: np.ndarray) -> tuple[int, int]:
    """The stream position as ``(seq, which)``."""
    return s[0], s[8]


@_jit
def nrnran123_init(s: np.ndarray, key: np.ndarray, id1: int, id2: int, id3: int) -> None:
    """Make ``s`` the stream (id1, id2, id3) at sequence 0, as nrnran123_newstream."""
    s[1] = np.uint64(id3) & _M32
    s[2] = np.uint64(id1) & _M32
    s[3] = np.uint64(id2) & _M32
    nrnran123_setseq(s, key, 0, 0)


@_jit
def nrnran123_setids(s: np.ndarray, id1: int, id2: int, id3: int) -> None:
    """Change the stream ids; like NEURON, leaves seq and the current block as they are."""
    s[1] = np.uint64(id3) & _M32
    s[2] = np.uint64(id1) & _M32
    s[3] = np.uint64(id2) & _M32


@_jit
def nrnran123_getids(s: np.ndarray) -> tuple[int, int, int]:
    """The stream ids ``(id1, id2, id3)``."""
    return s[2], s[3], s[1]


@_jit
def nrnran123_ipick(s: np.ndarray, key: np.ndarray) -> np.uint32:
    """Next uint32 of the stream; after the fourth word of a block, advance the counter."""
    which = np.int64(s[8])
    rval = s[4 + which]
    which += 1
    if which > 3:
        which = 0
        # 128-bit counter increment with carry, as r123array4x32::incr.
        for j in range(4):
            v = (np.uint64(s[j]) + _ONE) & _M32
            s[j] = v
            if v != 0:
                break
        _refill(s, key)
    s[8] = which
    return rval


@_jit
def nrnran123_dblpick(s: np.ndarray, key: np.ndarray) -> float:
    """Uniform double in (0, 1): (u + 1) / (2^32 + 1) with u = nrnran123_ipick."""
    u = nrnran123_ipick(s, key)
    return (np.float64(u) + 1.0) * _SHIFT32_R123


@_jit
def nrnran123_uniform(s: np.ndarray, key: np.ndarray) -> float:
    """Same as nrnran123_dblpick."""
    return nrnran123_dblpick(s, key)


@_jit
def nrnran123_uniform_range(s: np.ndarray, key: np.ndarray, a: float, b: float) -> float:
    """Uniform on (a, b): ``a + dblpick * (b - a)`` (NMODL ``random_uniform(rv, a, b)``)."""
    return a + nrnran123_dblpick(s, key) * (b - a)


@_jit
def nrnran123_negexp(s: np.ndarray, key: np.ndarray) -> float:
    """Exponential deviate with mean 1: ``-log(dblpick)``."""
    return -math.log(nrnran123_dblpick(s, key))


@_jit
def nrnran123_negexp_mean(s: np.ndarray, key: np.ndarray, mean: float) -> float:
    """Exponential deviate: ``-log(dblpick) * mean`` (NMODL ``random_negexp(rv, mean)``)."""
    return -math.log(nrnran123_dblpick(s, key)) * mean


@_jit
def nrnran123_normal(s: np.ndarray, key: np.ndarray) -> float:
    """Standard normal deviate by the polar method; the second value of each pair is dropped."""
    while True:
        u1 = 2.0 * nrnran123_dblpick(s, key) - 1.0
        u2 = 2.0 * nrnran123_dblpick(s, key) - 1.0
        w = u1 * u1 + u2 * u2
        if not w > 1.0:
            break
    y = math.sqrt((-2.0 * math.log(w)) / w)
    return u1 * y


@_jit
def nrnran123_normal_mean_std(s: np.ndarray, key: np.ndarray, mu: float, sigma: float) -> float:
    """Normal deviate ``mu + normal * sigma`` (NMODL ``random_normal(rv, mu, sigma)``)."""
    return mu + nrnran123_normal(s, key) * sigma


@_jit
def nrnran123_iran(
    seq: int, id1: int, id2: int, id3: int, key: np.ndarray
) -> tuple[np.uint32, np.uint32, np.uint32, np.uint32]:
    """Stateless: the block for counter (seq, id3, id1, id2) under ``key``, as nrnran123_iran."""
    return philox4x32_10(seq, id3, id1, id2, key[0], key[1])


def nrnran123_newstream(id1: int, id2: int = 0, id3: int = 0) -> np.ndarray:
    """A new Random123 stream state array for ids (id1, id2, id3), at sequence 0."""
    s = np.zeros(STREAM_STATE_SIZE, dtype=np.uint32)
    nrnran123_init(
        s, _GLOBAL_KEY, int(id1) & 0xFFFFFFFF, int(id2) & 0xFFFFFFFF, int(id3) & 0xFFFFFFFF
    )
    return s


def global_key() -> np.ndarray:
    """The Random123 key array ``[global index, 0]`` shared by all streams (mutable, uint32)."""
    return _GLOBAL_KEY


def random123_globalindex(gix: float | None = None) -> float:
    """Get, and with an argument set, the Random123 global index (key word 0)."""
    if gix is not None:
        _GLOBAL_KEY[0] = int(_chkarg(gix, 0.0, 4294967295.0))
        # compiled NMODL kernels read the key from the model scalars
        from . import simulator

        simulator.sim.sc[simulator.SC_RANDOM_GIX] = float(_GLOBAL_KEY[0])
    return float(_GLOBAL_KEY[0])


# ------------------------------------------------------------------ MCellRan4


@_jit
def _ran4_hash(n: int, m: int) -> np.uint32:
    """John Skilling's 64-bit hash of (n, m) that NEURON's mcran4 uses; returns 32 bits."""
    n = np.uint64(n)
    m = np.uint64(m)
    w = n ^ _RAN4_C1
    v = w >> _S16
    w = w & _M16
    u = ~(((v + _TWO32 - w) & _M32) * (v + w)) & _M32
    m = m ^ (((((u >> _S16) | (u << _S16)) & _M32) ^ _RAN4_C2) + w * v) & _M32
    w = m ^ _RAN4_C3
    v = w >> _S16
    w = w & _M16
    u = ~(((v + _TWO32 - w) & _M32) * (v + w)) & _M32
    n = n ^ (((((u >> _S16) | (u << _S16)) & _M32) ^ _RAN4_C4) + w * v) & _M32
    return np.uint32(n)


@_jit
def _mcell_int(g: np.ndarray, low: np.ndarray) -> np.uint32:
    """Next uint32 of an MCellRan4 state ``[ihigh, orig, ilow]``; ilow 0 means the global one."""
    ilow = g[2]
    if ilow == 0:
        ilow = low[0]
    high = g[0]
    g[0] = (np.uint64(high) + _ONE) & _M32
    return _ran4_hash(high, ilow)


def nrn_ran4int(high: int, low: int) -> tuple[int, int]:
    """NEURON's ``nrnRan4int``: the hash of (high, low), and high + 1 (mod 2^32)."""
    return int(_ran4_hash(int(high) & 0xFFFFFFFF, int(low) & 0xFFFFFFFF)), (
        int(high) + 1
    ) & 0xFFFFFFFF


def mcell_ran4a(high: int) -> tuple[float, int]:
    """NEURON's ``mcell_ran4a``: uniform in [0, 1) from (high, global low index), and high + 1."""
    value, nxt = nrn_ran4int(high, int(_MCELL_LOWINDEX[0]))
    return value * _SHIFT32_RAN4, nxt


def mcell_ran4_init(low: float | None = None) -> float:
    """NEURON's ``mcell_ran4_init``: returns the previous global low index, sets a new one."""
    prev = float(_MCELL_LOWINDEX[0])
    if low is not None:
        _MCELL_LOWINDEX[0] = int(_chkarg(low, 0.0, 4294967295.0))
    return prev


def mcell_lowindex_array() -> np.ndarray:
    """The ``uint32[1]`` array holding the global MCellRan4 low index."""
    return _MCELL_LOWINDEX


# ------------------------------------------------------------------ distributions


@_jit
def _as_double(gkind: int, g: np.ndarray, key: np.ndarray, low: np.ndarray) -> float:
    """The generator's ``asDouble()``."""
    if gkind == GEN_RANDOM123:
        return nrnran123_dblpick(g, key)
    return np.float64(_mcell_int(g, low)) * _SHIFT32_RAN4


@_jit
def _polar_normal(
    gkind: int, g: np.ndarray, key: np.ndarray, low: np.ndarray, d: np.ndarray
) -> float:
    """libg++ Normal: polar method, caching the pair's second value in d[3] (flag), d[4].

    d[0] is the mean, d[2] the standard deviation.
    """
    if d[3] == 1.0:
        d[3] = 0.0
        return d[4] * d[2] + d[0]
    while True:
        v1 = 2.0 * _as_double(gkind, g, key, low) - 1.0
        v2 = 2.0 * _as_double(gkind, g, key, low) - 1.0
        w = v1 * v1 + v2 * v2
        if w <= 1.0:
            y = math.sqrt((-2.0 * math.log(w)) / w)
            d[3] = 1.0
            d[4] = v2 * y
            return (v1 * y) * d[2] + d[0]


@_jit
def _pick(
    gkind: int, g: np.ndarray, key: np.ndarray, low: np.ndarray, dkind: int, d: np.ndarray
) -> float:
    """One value of distribution ``dkind`` with parameters ``d`` from generator ``g``.

    Parameter layouts of ``d`` (as set by the ``Random`` methods):
    uniform [low, delta]; discunif [low, delta]; normal and lognormal [mean, variance, std,
    have_cached, cached]; poisson [mean]; binomial [n, p]; geometric [mean];
    hypergeo [mean, variance, p]; negexp [mean]; erlang [mean, variance, k, a];
    weibull [alpha, beta, 1/alpha].
    """
    if dkind == DIST_UNIFORM:
        return d[0] + d[1] * _as_double(gkind, g, key, low)
    if dkind == DIST_DISCUNIF:
        return d[0] + math.floor(d[1] * _as_double(gkind, g, key, low))
    if dkind == DIST_NORMAL:
        return _polar_normal(gkind, g, key, low, d)
    if dkind == DIST_LOGNORMAL:
        return math.pow(_M_E, _polar_normal(gkind, g, key, low, d))
    if dkind == DIST_NEGEXP:
        return -d[0] * math.log(_as_double(gkind, g, key, low))
    if dkind == DIST_POISSON:
        bound = math.exp(-1.0 * d[0])
        count = 0
        product = 1.0
        while product >= bound:
            count += 1
            product *= _as_double(gkind, g, key, low)
        return np.float64(count - 1)
    if dkind == DIST_BINOMIAL:
        s = 0
        for _ in range(np.int64(d[0])):
            if _as_double(gkind, g, key, low) < d[1]:
                s += 1
        return np.float64(s)
    if dkind == DIST_GEOMETRIC:
        samples = 1
        while _as_double(gkind, g, key, low) < d[0]:
            samples += 1
        return np.float64(samples)
    if dkind == DIST_HYPERGEO:
        p = d[2]
        dd = (1.0 - p) if _as_double(gkind, g, key, low) > p else p
        return -d[0] * math.log(_as_double(gkind, g, key, low)) / (2.0 * dd)
    if dkind == DIST_ERLANG:
        prod = 1.0
        for _ in range(np.int64(d[2])):
            prod *= _as_double(gkind, g, key, low)
        return -math.log(prod) / d[3]
    if dkind == DIST_WEIBULL:
        return math.pow(d[1] * (-math.log(1.0 - _as_double(gkind, g, key, low))), d[2])
    return np.nan


@_jit
def _fill(
    gkind: int,
    g: np.ndarray,
    key: np.ndarray,
    low: np.ndarray,
    dkind: int,
    d: np.ndarray,
    out: np.ndarray,
) -> None:
    """Fill ``out`` with successive picks (Vector.setrand and the like, without Python)."""
    for i in range(out.shape[0]):
        out[i] = _pick(gkind, g, key, low, dkind, d)


@intrinsic
def _f64_pointer(typingctx, addr):  # type: ignore[no-untyped-def]
    """An int64 address as a ``double*`` (for ``numba.carray``)."""

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.inttoptr(args[0], llvm_ir.DoubleType().as_pointer())

    return types.CPointer(types.float64)(types.int64), codegen


@intrinsic
def _u32_pointer(typingctx, addr):  # type: ignore[no-untyped-def]
    """An int64 address as a ``uint32_t*`` (for ``numba.carray``)."""

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        return builder.inttoptr(args[0], llvm_ir.IntType(32).as_pointer())

    return types.CPointer(types.uint32)(types.int64), codegen


@_jit
def pick_at(address: float) -> float:
    """NEURON's ``nrn_random_pick(r)`` for the Random whose state buffer is at ``address``
    (a mechanism's handle row, set by its ``noiseFromRandom``-style PROCEDURE); 0.5 when no
    Random is set, as NEURON returns for a null pointer."""
    if address == 0.0:
        return 0.5
    a = np.int64(address)
    buf = numba.carray(_f64_pointer(a), (HANDLE_SIZE,))
    g = numba.carray(_u32_pointer(a + 8 * HANDLE_GEN), (2 * 5,))
    key = numba.carray(_u32_pointer(np.int64(buf[HANDLE_KEY])), (2,))
    low = numba.carray(_u32_pointer(np.int64(buf[HANDLE_LOW])), (1,))
    d = numba.carray(_f64_pointer(a + 8 * HANDLE_DIST), (DIST_STATE_SIZE,))
    return _pick(np.int64(buf[HANDLE_GKIND]), g, key, low, np.int64(buf[HANDLE_DKIND]), d)


# ------------------------------------------------------------------ C-like helpers


def _chkarg(x: float, lo: float, hi: float) -> float:
    """HOC's chkarg: the argument as a float, or an error when outside [lo, hi]."""
    v = float(x)
    if not lo <= v <= hi:
        raise ValueError(f"arg out of range: {v!r} not in [{lo:g}, {hi:g}]")
    return v


def _c_long(x: float) -> int:
    """C's ``long(x)`` for a double: truncation toward zero, wrapped to 64 bits."""
    v = float(x)
    if not math.isfinite(v):
        return -(2**63)
    t = int(v)
    return ((t + 2**63) % 2**64) - 2**63


def _c_int(x: float) -> int:
    """C's ``int(x)`` on x86-64: truncation; NaN and out-of-range give INT_MIN."""
    v = float(x)
    if not math.isfinite(v) or not -2147483649.0 < v < 2147483648.0:
        return -(2**31)
    return int(v)


def _c_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0.0 else math.nan


def _c_log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _c_div(a: float, b: float) -> float:
    if b != 0.0:
        return a / b
    if a == 0.0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


# ------------------------------------------------------------------ Random


_play_list: list[tuple[weakref.ref[Random], Any]] = []


def random_play() -> None:
    """Pick a new value for every variable a Random ``play``s into (NEURON's nrn_random_play).

    NEURON calls this at finitialize and at the start of each fixed step.
    """
    alive = []
    for rref, target in _play_list:
        r = rref()
        if r is not None:
            target[0] = r.repick()
            alive.append((rref, target))
    _play_list[:] = alive


class Random:
    """NEURON's ``Random``: a generator (Random123 or MCellRan4) and a distribution.

    ``Random(seed=0, size=55)`` is the Random123 stream (seed, size, 0) with the normal(0, 1)
    distribution. Each distribution method (``uniform``, ``normal``, …) selects the
    distribution ``repick()`` draws from and returns its first value.
    """

    def __init__(self, seed: float = 0, size: float = 55) -> None:
        seed_bits = _c_long(seed) & 0xFFFFFFFF
        size_bits = int(_chkarg(size, 7.0, 98.0))
        # all state in one buffer that never moves (see HANDLE_*): compiled kernels holding
        # its address (the VERBATIM nrn_random_pick idiom) draw from the same stream
        self._buf = np.zeros(HANDLE_SIZE)
        self._buf[HANDLE_KEY] = float(_GLOBAL_KEY.ctypes.data)
        self._buf[HANDLE_LOW] = float(_MCELL_LOWINDEX.ctypes.data)
        self._g = self._buf[HANDLE_GEN : HANDLE_GEN + 5].view(np.uint32)
        self._d = self._buf[HANDLE_DIST : HANDLE_DIST + DIST_STATE_SIZE]
        self._gkind = GEN_RANDOM123
        self._g[:STREAM_STATE_SIZE] = nrnran123_newstream(seed_bits, size_bits, 0)
        self._dkind = DIST_NORMAL
        self._d[:3] = (0.0, 1.0, 1.0)

    @property
    def _gkind(self) -> int:
        return int(self._buf[HANDLE_GKIND])

    @_gkind.setter
    def _gkind(self, kind: int) -> None:
        self._buf[HANDLE_GKIND] = float(kind)

    @property
    def _dkind(self) -> int:
        return int(self._buf[HANDLE_DKIND])

    @_dkind.setter
    def _dkind(self, kind: int) -> None:
        self._buf[HANDLE_DKIND] = float(kind)

    def handle_address(self) -> int:
        """Address of this Random's state buffer (it lives as long as the object)."""
        return int(self._buf.ctypes.data)

    # ------------------------------------------------------------ generators
    def Random123(self, id1: float = 0, id2: float = 0, id3: float = 0) -> float:  # noqa: N802
        """Use the Random123 stream (id1, id2, id3), at sequence 0. Returns 0.

        The distribution (and a normal's cached value) is kept, as in NEURON.
        """
        ids = [int(_chkarg(x, 0.0, 4294967295.0)) for x in (id1, id2, id3)]
        self._gkind = GEN_RANDOM123
        self._g[:STREAM_STATE_SIZE] = nrnran123_newstream(*ids)
        return 0.0

    def Random123_globalindex(self, gix: float | None = None) -> float:  # noqa: N802
        """Get (and set) the global index shared by all Random123 streams."""
        return random123_globalindex(gix)

    def MCellRan4(self, seed: float = 0, lowindex: float = 0) -> float:  # noqa: N802
        """Use MCellRan4 with high index ``seed`` and low index ``lowindex``; returns the seed.

        ``seed`` 0 derives one from a process-wide count of MCellRan4 generators created, as
        NEURON does; ``lowindex`` 0 means the global ``mcell_ran4_init`` value.
        """
        ihigh = int(_chkarg(seed, 0.0, 4294967295.0))
        ilow = int(_chkarg(lowindex, 0.0, 4294967295.0))
        global _mcell_count
        _mcell_count = (_mcell_count + 1) & 0xFFFFFFFF
        g = np.zeros(STREAM_STATE_SIZE, dtype=np.uint32)
        g[2] = ilow
        if ihigh == 0:
            g[0] = _mcell_count
            g[0] = _mcell_int(g, _MCELL_LOWINDEX)
        else:
            g[0] = ihigh
        g[1] = g[0]
        self._gkind = GEN_MCELLRAN4
        self._g[:STREAM_STATE_SIZE] = g
        return float(g[1])

    def seq(self, value: float | None = None) -> float:
        """Get (and set) the stream position.

        Random123: ``seq*4 + which`` (0 <= value < 2^34). MCellRan4: the high index.
        """
        g = self._g
        if self._gkind == GEN_RANDOM123:
            if value is not None:
                v = _chkarg(value, 0.0, 17179869183.0)
                seq = int(v / 4.0)
                which = int(v - seq * 4.0)
                nrnran123_setseq(g, _GLOBAL_KEY, seq, which)
            return float(g[0]) * 4.0 + float(g[8])
        if value is not None:
            g[0] = _c_long(value) & 0xFFFFFFFF
        return float(g[0])

    # ------------------------------------------------------------ distributions
    def repick(self) -> float:
        """Another value from the distribution last selected."""
        return float(
            _pick(self._gkind, self._g, _GLOBAL_KEY, _MCELL_LOWINDEX, self._dkind, self._d)
        )

    def fill(self, out: np.ndarray) -> np.ndarray:
        """Fill the float64 array ``out`` with successive ``repick()`` values (in compiled code)."""
        _fill(self._gkind, self._g, _GLOBAL_KEY, _MCELL_LOWINDEX, self._dkind, self._d, out)
        return out

    def _select(self, kind: int, *params: float) -> float:
        self._dkind = kind
        self._d[:] = 0.0
        self._d[: len(params)] = params
        return self.repick()

    def uniform(self, low: float, high: float) -> float:
        """Uniform on [low, high) (either order)."""
        lo, hi = (low, high) if low < high else (high, low)
        return self._select(DIST_UNIFORM, lo, float(hi) - float(lo))

    def discunif(self, low: float, high: float) -> float:
        """Integers low..high inclusive, each equally likely (bounds truncated to integers)."""
        a, b = _c_long(low), _c_long(high)
        lo, hi = (a, b) if a < b else (b, a)
        return self._select(DIST_DISCUNIF, float(lo), float((hi - lo) + 1))

    def normal(self, mean: float, variance: float) -> float:
        """Normal with the given mean and VARIANCE (polar method, pairs cached)."""
        return self._select(DIST_NORMAL, mean, variance, _c_sqrt(float(variance)))

    def lognormal(self, mean: float, variance: float) -> float:
        """Lognormal with the given mean and variance of the lognormal variable itself."""
        m2 = float(mean) * float(mean)
        v = float(variance)
        nmean = _c_log(_c_div(m2, _c_sqrt(v + m2)))
        nstd = _c_sqrt(_c_log(_c_div(v + m2, m2)))
        return self._select(DIST_LOGNORMAL, nmean, v, nstd)

    def poisson(self, mean: float) -> float:
        """Poisson with the given mean (product of uniforms method)."""
        mean = float(mean)
        if mean > 0.0 and math.exp(-mean) == 0.0:
            # NEURON's loop never ends when exp(-mean) underflows to 0.
            raise ValueError(f"poisson mean {mean!r} too large: NEURON would loop forever")
        return self._select(DIST_POISSON, mean)

    def binomial(self, n: float, p: float) -> float:
        """Number of successes in n trials of probability p."""
        nn = _c_int(_chkarg(n, 0.0, 1e99))
        return self._select(DIST_BINOMIAL, float(nn), _chkarg(p, 0.0, 1.0))

    def geometric(self, mean: float) -> float:
        """Number of uniform samples drawn until one is >= mean (0 <= mean < 1)."""
        m = _chkarg(mean, 0.0, 1.0)
        if m >= 1.0:
            raise ValueError("geometric(1) never ends (NEURON hangs)")
        return self._select(DIST_GEOMETRIC, m)

    def hypergeo(self, mean: float, variance: float) -> float:
        """libg++'s HyperGeometric (a two-branch hyperexponential) with mean and variance."""
        m, v = float(mean), float(variance)
        z = _c_div(v, m * m)
        p = 0.5 * (1.0 - _c_sqrt(_c_div(z - 1.0, z + 1.0)))
        return self._select(DIST_HYPERGEO, m, v, p)

    def negexp(self, mean: float) -> float:
        """Exponential with the given mean."""
        return self._select(DIST_NEGEXP, mean)

    def erlang(self, mean: float, variance: float) -> float:
        """Erlang: sum of k = round(mean^2/variance) exponentials (k at least 1)."""
        m, v = float(mean), float(variance)
        k = _c_int(_c_div(m * m, v) + 0.5)
        k = k if k > 0 else 1
        return self._select(DIST_ERLANG, m, v, float(k), _c_div(float(k), m))

    def weibull(self, alpha: float, beta: float) -> float:
        """libg++'s Weibull: ``pow(beta * -log(1 - u), 1/alpha)``."""
        a, b = float(alpha), float(beta)
        return self._select(DIST_WEIBULL, a, b, _c_div(1.0, a))

    def play(self, target: Any) -> float:
        """Assign ``repick()`` to ``target[0]`` (a pointer such as ``seg._ref_v``) each step."""
        _play_list.append((weakref.ref(self), target))
        return 0.0

    def random123_state(self) -> np.ndarray | None:
        """The live Random123 stream state (see the module docstring), or None for MCellRan4.

        For code that takes over a Random's stream, as NetStim's ``noiseFromRandom`` copies
        its ids and position (NEURON's ``nrn_random_isran123``/``nrn_random123_getseq``).
        """
        return self._g[:STREAM_STATE_SIZE] if self._gkind == GEN_RANDOM123 else None

    def __repr__(self) -> str:
        kind = "Random123" if self._gkind == GEN_RANDOM123 else "MCellRan4"
        return f"<Random {kind}>"
