"""The generated kernels' vectorizable pieces: ``_exp`` (NEURON's hoc_Exp without branches or
calls), the branch-free TABLE lookup, and LLVM actually vectorizing hh's loops.

Both must give the values of what they replace: ``_exp`` math.exp's (bit for bit on x86-64
glibc, which computes exp the same way; within 1 ulp anywhere), the lookup nocmodl's exactly.
"""

from __future__ import annotations

import math
import platform
import re

import llvmlite.binding
import numba
import numpy as np
import pytest
from nmodl_helpers import MECHANISMS, OneNode, load_module

from nmodl import compile_file, compile_text

EXP_MOD = """
NEURON { SUFFIX ex RANGE a NONSPECIFIC_CURRENT i }
ASSIGNED { a i }
BREAKPOINT { a = exp(1)  i = 0 }
"""


@pytest.fixture(scope="module")
def ex(module_dir):
    return load_module(compile_text(EXP_MOD, "ex.mod").source, module_dir)


def _looped(fn):
    @numba.njit(error_model="numpy")
    def run(x, out):
        for i in range(x.shape[0]):
            out[i] = fn(x[i])

    return run


@numba.njit(error_model="numpy")
def _hoc_exp(x, out):
    # nrn/src/oc/math.cpp hoc_Exp over the C library's exp
    for i in range(x.shape[0]):
        if x[i] < -700.0:
            out[i] = 0.0
        elif x[i] > 700.0:
            out[i] = math.exp(700.0)
        else:
            out[i] = math.exp(x[i])


EDGES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    1e-300,
    -1e-300,
    2.0**-54,
    -(2.0**-54),
    np.nextafter(2.0**-54, 0.0),
    np.nextafter(2.0**-54, 1.0),
    1e-10,
    -1e-10,
    0.5 * math.log(2) / 128,
    math.log(2),
    -math.log(2),
    1.0,
    -1.0,
    511.9999999,
    512.0,
    -512.0,
    np.nextafter(-512.0, 0.0),
    np.nextafter(512.0, 0.0),
    700.0,
    -700.0,
    np.nextafter(700.0, 0.0),
    np.nextafter(-700.0, 0.0),
    np.nextafter(700.0, 800.0),
    np.nextafter(-700.0, -800.0),
    -708.4,  # exp would be subnormal below about -708.4: hoc_Exp gives 0
    -744.0,
    -745.2,
    709.7,
    709.8,  # exp would overflow: hoc_Exp gives exp(700)
    1e308,
    -1e308,
    np.inf,
    -np.inf,
    np.nan,
]


def _points(n: int) -> np.ndarray:
    rng = np.random.default_rng(20240521)
    return np.concatenate(
        [
            np.array(EDGES),
            rng.uniform(-745.0, 710.0, n),
            rng.uniform(-1.0, 1.0, n // 10),
            rng.uniform(-30.0, 30.0, n // 10),
            rng.uniform(-1e-6, 1e-6, n // 100),
        ]
    )


def _ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Distance in units in the last place (results are never negative); NaN vs NaN is 0."""
    both_nan = np.isnan(got) & np.isnan(want)
    d = np.abs(got.view(np.int64) - want.view(np.int64))
    return np.where(both_nan, 0, np.where(np.isnan(got) | np.isnan(want), 2**62, d))


def _glibc_x86() -> bool:
    lib, version = platform.libc_ver()
    if lib != "glibc" or platform.machine() not in ("x86_64", "AMD64"):
        return False
    major, minor = (int(p) for p in version.split(".")[:2])
    return (major, minor) >= (2, 28)


def test_exp_is_hoc_exp_over_ten_million_points(ex):
    x = _points(10_000_000)
    got, want = np.empty_like(x), np.empty_like(x)
    _looped(ex._exp)(x, got)
    _hoc_exp(x, want)
    ulps = _ulps(got, want)
    assert ulps.max() <= 1, x[np.argmax(ulps)]
    if _glibc_x86():
        # the very computation glibc runs (its FMA build where the CPU has FMA and AVX2)
        assert ulps.max() == 0, x[np.argmax(ulps)]


@pytest.mark.parametrize("variant", ["_exp_fma", "_exp_plain"])
def test_both_exp_builds_within_one_ulp(ex, variant):
    x = _points(1_000_000)
    got, want = np.empty_like(x), np.empty_like(x)
    _looped(getattr(ex, variant))(x, got)
    _hoc_exp(x, want)
    assert _ulps(got, want).max() <= 1


def test_exp_edge_values(ex):
    x = np.array(EDGES)
    got = np.empty_like(x)
    _looped(ex._exp)(x, got)
    for xi, yi in zip(x, got):
        if math.isnan(xi):
            assert math.isnan(yi)
        elif xi < -700.0:
            assert yi == 0.0 and math.copysign(1.0, yi) == 1.0
        elif xi > 700.0:
            assert yi == math.exp(700.0)
        else:
            assert abs(yi - math.exp(xi)) <= math.ulp(math.exp(xi)), xi


def _nocmodl_lookup(tab, offset, n, nout, x):
    """nocmodl's _n_<name> (with its early returns) in plain Python."""
    tmin, mfac = tab[offset + 1], tab[offset + 2]
    base = offset + 3 + 1  # built flag, tmin, 1/dx, one DEPEND value (celsius)
    xi = mfac * (x - tmin)
    vals = []
    for k in range(nout):
        t = tab[base + k * (n + 1) : base + (k + 1) * (n + 1)]
        if math.isnan(xi):
            vals.append(xi)
        elif xi <= 0.0:
            vals.append(t[0])
        elif xi >= n:
            vals.append(t[n])
        else:
            i = int(xi)
            theta = xi - float(i)
            vals.append(t[i] + theta * (t[i + 1] - t[i]))
    return vals


def _lookup_points() -> list[float]:
    rng = np.random.default_rng(7)
    v = [-100.0, 100.0, -99.0, 99.0, 0.0, -65.0, np.nan, np.inf, -np.inf, -1e300, 1e300]
    v += [np.nextafter(-100.0, -200.0), np.nextafter(-100.0, 0.0)]
    v += [np.nextafter(100.0, 0.0), np.nextafter(100.0, 200.0)]
    v += [-100.0 + k for k in range(201)]  # every table point
    v += list(rng.uniform(-150.0, 150.0, 500))
    return v


def test_table_lookup_is_nocmodls(module_dir):
    result = compile_file(MECHANISMS / "hh.mod")
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata)
    mod.check_table(s.sc, s.gl, s.tab)
    outs = ["minf", "mtau", "hinf", "htau", "ninf", "ntau"]  # hh's TABLE order
    for v in _lookup_points():
        mod.proc_rates(0, *s.args()[1:], v)
        want = _nocmodl_lookup(s.tab, 0, 200, len(outs), v)
        got = [s.data[s.row(name), 0] for name in outs]
        assert np.array_equal(got, want, equal_nan=True), v
        assert [math.copysign(1, g) for g in got] == [math.copysign(1, w) for w in want]


def test_function_table_lookup_is_nocmodls(module_dir):
    result = compile_text(
        """
        NEURON { SUFFIX ft RANGE y NONSPECIFIC_CURRENT i }
        PARAMETER { k = 3 }
        ASSIGNED { y i }
        BREAKPOINT { y = f(v)  i = 0 }
        FUNCTION f(x) {
            TABLE DEPEND k FROM -100 TO 100 WITH 200
            f = exp(x / k / 10) - x * x / 1000
        }
        """,
        "ft.mod",
    )
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata)
    mod.check_table(s.sc, s.gl, s.tab)
    for v in _lookup_points():
        got = mod.fn_f(0, *s.args()[1:], v)
        want = _nocmodl_lookup(s.tab, 0, 200, 1, v)[0]
        assert np.array_equal(got, want, equal_nan=True), v


def _packed_arithmetic(kernel) -> int:
    asm = "\n".join(kernel.inspect_asm().values())
    return len(re.findall(r"^\s+v?(?:mul|add|sub|div)pd\s", asm, re.M))


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64")
    or "+avx2" not in llvmlite.binding.get_host_cpu_features().flatten(),
    reason="checks x86 AVX2 assembly",
)
def test_hh_kernels_vectorize(module_dir):
    result = compile_file(MECHANISMS / "hh.mod")
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata, n=64)
    mod.check_table(s.sc, s.gl, s.tab)
    for kernel in ("current", "state"):
        getattr(mod, kernel)(*s.args())
        assert _packed_arithmetic(getattr(mod, kernel)) >= 20, kernel
