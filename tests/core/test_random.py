"""``pyneuro.random`` against NEURON 9.0.2's ``Random``: the same seeds give the same bits.

Every comparison is exact (float64 bit patterns; NaN equals NaN whatever its sign bit, since
C's NaN from sqrt(-1) is negative and Python's is not).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from pyneuro import random as pr

REPO = Path(__file__).resolve().parents[2]
N = 1000

DISTRIBUTIONS = [
    ("uniform", (0.0, 1.0)),
    ("uniform", (7.5, -3.0)),
    ("discunif", (-5, 9)),
    ("discunif", (10, 2)),
    ("normal", (0.0, 1.0)),
    ("normal", (2.0, 3.0)),
    ("lognormal", (2.0, 3.0)),
    ("negexp", (1.5,)),
    ("poisson", (3.2,)),
    ("poisson", (40.0,)),
    ("binomial", (20, 0.3)),
    ("geometric", (0.7,)),
    ("hypergeo", (2.0, 5.0)),
    ("weibull", (1.5, 2.0)),
    ("erlang", (3.0, 2.0)),
    ("erlang", (1.0, 0.1)),
]

# (label, setup(r) for both Random objects, global index)
GENERATORS: list[tuple[str, Callable, int]] = [
    ("default", lambda r: None, 0),
    ("Random123(1,2,3)", lambda r: r.Random123(1, 2, 3), 0),
    ("Random123(7)", lambda r: r.Random123(7), 0),
    ("Random123(max,17,9)", lambda r: r.Random123(4294967295, 17, 9), 0),
    ("Random123(1,2,3) gix 7", lambda r: r.Random123(1, 2, 3), 7),
    ("Random123(5,0,11) gix max", lambda r: r.Random123(5, 0, 11), 4294967295),
    ("MCellRan4(123)", lambda r: r.MCellRan4(123), 0),
    ("MCellRan4(5,17)", lambda r: r.MCellRan4(5, 17), 0),
]


def _bits(values: object) -> np.ndarray:
    a = np.array(values, dtype=np.float64)
    bits = a.view(np.int64).copy()
    bits[np.isnan(a)] = 0x7FF8000000000000
    return bits


def assert_same_bits(expected: object, actual: object) -> None:
    """Bitwise equality with a readable first mismatch."""
    e, a = _bits(expected), _bits(actual)
    assert e.shape == a.shape
    bad = np.nonzero(e != a)[0]
    if bad.size:
        i = int(bad[0])
        ev, av = np.asarray(expected, float)[i], np.asarray(actual, float)[i]
        pytest.fail(f"{bad.size} values differ; first at {i}: NEURON {ev!r}, pyneuro {av!r}")


def _draw(r: object, method: str, args: tuple, count: int = N) -> list[float]:
    return [getattr(r, method)(*args)] + [r.repick() for _ in range(count - 1)]


@pytest.fixture
def nrn_n() -> Iterator[object]:
    """NEURON's ``n``; the global Random123 index and MCellRan4 low index reset afterwards."""
    neuron = pytest.importorskip("neuron")
    n = neuron.n
    yield n
    n.Random().Random123_globalindex(0)
    n.mcell_ran4_init(0)
    pr.random123_globalindex(0)
    pr.mcell_ran4_init(0)


def _py(f: Callable) -> Callable:
    """The plain-Python function behind a Numba dispatcher."""
    return getattr(f, "py_func", f)


def _set_globalindex(n: object, gix: int) -> None:
    n.Random().Random123_globalindex(gix)
    pr.random123_globalindex(gix)


# ------------------------------------------------------------------ generator level


def test_philox_known_answers() -> None:
    """Random123's published known-answer vectors for philox4x32_10."""
    cases = [
        ((0, 0, 0, 0, 0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        ((0xFFFFFFFF,) * 6, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        (
            (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0),
            (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
        ),
    ]
    for args, expected in cases:
        assert tuple(int(x) for x in pr.philox4x32_10(*args)) == expected
        # The same function as plain Python (what NUMBA_DISABLE_JIT runs).
        assert tuple(int(x) for x in _py(pr.philox4x32_10)(*args)) == expected


def test_ran4_hash_plain_python_matches_jit() -> None:
    for high, low in [(0, 0), (5, 0), (0xFFFFFFFF, 0xFFFFFFF0), (123456789, 42)]:
        assert int(pr._ran4_hash(high, low)) == int(_py(pr._ran4_hash)(high, low))


def test_stream_counter_carries_into_id3_word() -> None:
    """After word 3 of block 2^32-1 the 128-bit counter carries into c1, as r123's incr()."""
    s = pr.nrnran123_newstream(5, 6, 7)
    key = pr.global_key()
    pr.nrnran123_setseq(s, key, 0xFFFFFFFF, 3)
    pr.nrnran123_ipick(s, key)
    assert list(s[:4]) == [0, 8, 5, 6]
    assert pr.nrnran123_getseq(s) == (0, 0)


# ------------------------------------------------------------------ distributions


@pytest.mark.neuron
@pytest.mark.parametrize("method,args", DISTRIBUTIONS, ids=lambda x: str(x))
@pytest.mark.parametrize("label,setup,gix", GENERATORS, ids=[g[0] for g in GENERATORS])
def test_distribution_bits(
    nrn_n: object, label: str, setup: Callable, gix: int, method: str, args: tuple
) -> None:
    _set_globalindex(nrn_n, gix)
    a, b = nrn_n.Random(), pr.Random()
    setup(a)
    setup(b)
    assert_same_bits(_draw(a, method, args), _draw(b, method, args))
    assert a.seq() == b.seq()


@pytest.mark.neuron
@pytest.mark.parametrize("seed,size", [(0, 55), (42, 55), (42, 20), (-3, 7), (2.9e9, 98)])
def test_default_generator_is_random123_seed_size(nrn_n: object, seed: float, size: int) -> None:
    a, b = nrn_n.Random(seed, size), pr.Random(seed, size)
    assert_same_bits([a.repick() for _ in range(N)], [b.repick() for _ in range(N)])
    assert_same_bits(_draw(a, "negexp", (2.0,)), _draw(b, "negexp", (2.0,)))


@pytest.mark.neuron
def test_mcellran4_global_lowindex(nrn_n: object) -> None:
    """lowindex 0 means the global mcell_ran4_init value, read at each pick."""
    a, b = nrn_n.Random(), pr.Random()
    assert a.MCellRan4(99) == b.MCellRan4(99) == 99.0
    nrn_n.mcell_ran4_init(12345)
    assert pr.mcell_ran4_init(12345) == 0.0
    first = (_draw(a, "uniform", (0, 1), 100), _draw(b, "uniform", (0, 1), 100))
    nrn_n.mcell_ran4_init(7)
    pr.mcell_ran4_init(7)
    second = (_draw(a, "normal", (1, 2), 100), _draw(b, "normal", (1, 2), 100))
    assert_same_bits(first[0] + second[0], first[1] + second[1])
    assert a.seq() == b.seq()


@pytest.mark.neuron
@pytest.mark.parametrize(
    "method,args",
    [
        ("normal", (1.0, 0.0)),
        ("normal", (1.0, -1.0)),
        ("lognormal", (0.0, 1.0)),
        ("lognormal", (-2.0, 0.5)),
        ("lognormal", (1.0, -4.0)),
        ("negexp", (-1.0,)),
        ("negexp", (0.0,)),
        ("poisson", (-1.0,)),
        ("poisson", (0.0,)),
        ("discunif", (3, 3)),
        ("discunif", (-2.7, 2.7)),
        ("uniform", (2.0, 2.0)),
        ("binomial", (0, 0.5)),
        ("binomial", (5, 1.0)),
        ("geometric", (0.0,)),
        ("hypergeo", (0.0, 1.0)),
        ("hypergeo", (2.0, 1.0)),
        ("hypergeo", (1.0, 0.0)),
        ("weibull", (0.0, 1.0)),
        ("weibull", (2.0, -1.0)),
        ("erlang", (2.0, 0.0)),
        ("erlang", (0.0, 1.0)),
        ("erlang", (-3.0, 1.0)),
    ],
    ids=lambda x: str(x),
)
def test_degenerate_parameters(nrn_n: object, method: str, args: tuple) -> None:
    """Zero, negative and out-of-domain parameters give NEURON's values (inf, NaN included)."""
    for setup in (lambda r: r.Random123(3, 1, 4), lambda r: r.MCellRan4(31)):
        a, b = nrn_n.Random(), pr.Random()
        setup(a)
        setup(b)
        assert_same_bits(_draw(a, method, args, 200), _draw(b, method, args, 200))


# ------------------------------------------------------------------ seq, repick, switching


@pytest.mark.neuron
@pytest.mark.parametrize("value", [0, 1, 2, 3, 4, 7, 1001, 2.0**33 + 6, 17179869183, 5.5])
def test_seq_round_trip(nrn_n: object, value: float) -> None:
    a, b = nrn_n.Random(), pr.Random()
    a.Random123(11, 12, 13)
    b.Random123(11, 12, 13)
    assert a.seq(value) == b.seq(value)
    assert b.seq() == a.seq()
    assert_same_bits(_draw(a, "uniform", (0, 1), 50), _draw(b, "uniform", (0, 1), 50))
    assert a.seq() == b.seq()
    # Setting the position back replays the same values, except past seq 2^32 - 1: there the
    # counter carried into id3, in NEURON too.
    for r in (a, b):
        r.seq(value)
    assert_same_bits(
        [a.repick() for _ in range(50)] + [a.seq()], [b.repick() for _ in range(50)] + [b.seq()]
    )


@pytest.mark.neuron
def test_mcellran4_seq(nrn_n: object) -> None:
    a, b = nrn_n.Random(), pr.Random()
    a.MCellRan4(1000, 3)
    b.MCellRan4(1000, 3)
    for value in (5, 4294967295, 2.0**32 + 9, 77.9):
        assert a.seq(value) == b.seq(value)
        assert_same_bits(_draw(a, "negexp", (1.0,), 20), _draw(b, "negexp", (1.0,), 20))
        assert a.seq() == b.seq()


@pytest.mark.neuron
def test_globalindex_change_applies_at_next_block(nrn_n: object) -> None:
    """The key is read when a block is computed: mid-block picks still use the old key."""
    a, b = nrn_n.Random(), pr.Random()
    a.Random123(2, 3, 4)
    b.Random123(2, 3, 4)
    out_a = _draw(a, "uniform", (0, 1), 2)
    out_b = _draw(b, "uniform", (0, 1), 2)
    assert a.Random123_globalindex(99) == b.Random123_globalindex(99) == 99.0
    out_a += [a.repick() for _ in range(10)]
    out_b += [b.repick() for _ in range(10)]
    a.seq(0)
    b.seq(0)
    out_a += [a.repick() for _ in range(10)]
    out_b += [b.repick() for _ in range(10)]
    assert_same_bits(out_a, out_b)


@pytest.mark.neuron
def test_switching_generator_keeps_distribution_and_cached_normal(nrn_n: object) -> None:
    """NEURON keeps the distribution object (with a normal's cached value) across generators."""
    a, b = nrn_n.Random(), pr.Random()
    out_a = [a.normal(1.0, 4.0)]
    out_b = [b.normal(1.0, 4.0)]
    for r, out in ((a, out_a), (b, out_b)):
        r.Random123(8, 8, 8)
        out += [r.repick() for _ in range(5)]
        r.MCellRan4(4242)
        out += [r.repick() for _ in range(5)]
        r.Random123(9)
        out.append(r.lognormal(1.0, 1.0))
        r.Random123(10)
        out += [r.repick() for _ in range(5)]
    assert_same_bits(out_a, out_b)


@pytest.mark.neuron
def test_fresh_random_repicks_normal(nrn_n: object) -> None:
    a, b = nrn_n.Random(), pr.Random()
    assert_same_bits([a.repick() for _ in range(9)], [b.repick() for _ in range(9)])
    assert a.seq() == b.seq()


def test_fill_matches_repick() -> None:
    a, b = pr.Random(5), pr.Random(5)
    for method, args in [("poisson", (2.0,)), ("normal", (0.0, 2.0)), ("uniform", (1, 2))]:
        first = getattr(a, method)(*args)
        assert first == getattr(b, method)(*args)
        out = a.fill(np.empty(300))
        assert_same_bits([b.repick() for _ in range(300)], out)


def test_argument_checks() -> None:
    with pytest.raises(ValueError):
        pr.Random(1, 6)
    with pytest.raises(ValueError):
        pr.Random().Random123(-1)
    with pytest.raises(ValueError):
        pr.Random().MCellRan4(2.0**32)
    with pytest.raises(ValueError):
        pr.Random().seq(2.0**34)
    with pytest.raises(ValueError):
        pr.Random().binomial(3, 1.5)
    with pytest.raises(ValueError):
        pr.Random().geometric(1.0)  # NEURON loops forever
    with pytest.raises(ValueError):
        pr.Random().poisson(800.0)  # NEURON loops forever


def test_play_assigns_repick() -> None:
    r = pr.Random(3)
    r.uniform(0, 1)
    twin = pr.Random(3)
    twin.uniform(0, 1)
    target = [0.0]
    r.play(target)
    pr.random_play()
    assert target[0] == twin.repick()
    value = target[0]
    del r
    gc.collect()
    pr.random_play()  # a dead Random is dropped, not an error
    assert target[0] == value


# ------------------------------------------------------------------ stream functions


@pytest.mark.neuron
def test_stream_functions_match_netstim_ranvar(nrn_n: object) -> None:
    """NetStim's RANDOM ranvar: erand() is nrnran123_negexp, seed(x) the double setseq."""
    _set_globalindex(nrn_n, 5)
    ns = nrn_n.NetStim()
    key = pr.global_key()
    ns.noiseFromRandom123(1, 2, 3)
    s = pr.nrnran123_newstream(1, 2, 3)
    assert_same_bits(
        [ns.erand() for _ in range(N)], [pr.nrnran123_negexp(s, key) for _ in range(N)]
    )
    assert ns.ranvar.get_seq() == float(s[0]) * 4 + float(s[8])
    for x in (9.0, 13.7, 4.0 * (2**32 - 1) + 3, -5.0, 2.0**41):
        ns.seed(x)
        pr.nrnran123_setseq_double(s, key, x)
        assert ns.ranvar.get_seq() == float(s[0]) * 4 + float(s[8])
        assert_same_bits(
            [ns.ranvar.uniform() for _ in range(20)],
            [pr.nrnran123_uniform(s, key) for _ in range(20)],
        )


_RTEST_MOD = """
NEURON {
    ARTIFICIAL_CELL RTest
    RANDOM rv
}
FUNCTION negexp1() { negexp1 = random_negexp(rv) }
FUNCTION negexpm(m) { negexpm = random_negexp(rv, m) }
FUNCTION normal1() { normal1 = random_normal(rv) }
FUNCTION normalms(mu, s) { normalms = random_normal(rv, mu, s) }
FUNCTION uniform1() { uniform1 = random_uniform(rv) }
FUNCTION uniformab(a, b) { uniformab = random_uniform(rv, a, b) }
FUNCTION ipick() { ipick = random_ipick(rv) }
PROCEDURE setseq(x) { random_setseq(rv, x) }
PROCEDURE setids(a, b, c) { random_setids(rv, a, b, c) }
"""

_RTEST_SCRIPT = """
import json
from neuron import n
r = n.RTest()
n.Random().Random123_globalindex(3)
r.setids(5, 6, 7)
r.setseq(0)
calls = [("negexp1", ()), ("negexpm", (2.5,)), ("normal1", ()), ("normalms", (1.0, 0.3)),
         ("uniform1", ()), ("uniformab", (-2.0, 5.0)), ("ipick", ())]
out = {name: [getattr(r, name)(*args) for _ in range(1000)] for name, args in calls}
r.setseq(4 * (2**32 - 1) + 2)
out["carry"] = [r.ipick() for _ in range(20)]
print(json.dumps(out))
"""


@pytest.mark.neuron
@pytest.mark.slow
def test_stream_functions_match_nmodl_random(tmp_path: Path) -> None:
    """NEURON 9 RANDOM variable functions (compiled with NEURON's nrnivmodl) = ours."""
    pytest.importorskip("neuron")
    nrnivmodl = shutil.which("nrnivmodl")
    if nrnivmodl is None:
        pytest.skip("NEURON's nrnivmodl not on PATH")
    (tmp_path / "rtest.mod").write_text(_RTEST_MOD)
    build = subprocess.run([nrnivmodl], cwd=tmp_path, capture_output=True, text=True)
    if build.returncode != 0 or not (tmp_path / platform.machine()).is_dir():
        pytest.skip(f"nrnivmodl failed: {build.stderr[-500:]}")
    res = subprocess.run(
        [sys.executable, "-c", _RTEST_SCRIPT], cwd=tmp_path, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    expected = json.loads(res.stdout.strip().splitlines()[-1])

    key = np.array([3, 0], dtype=np.uint32)  # a private key: the global index stays 0 here
    s = np.zeros(pr.STREAM_STATE_SIZE, dtype=np.uint32)
    pr.nrnran123_init(s, key, 5, 6, 7)
    ours = {
        "negexp1": lambda: pr.nrnran123_negexp(s, key),
        "negexpm": lambda: pr.nrnran123_negexp_mean(s, key, 2.5),
        "normal1": lambda: pr.nrnran123_normal(s, key),
        "normalms": lambda: pr.nrnran123_normal_mean_std(s, key, 1.0, 0.3),
        "uniform1": lambda: pr.nrnran123_uniform(s, key),
        "uniformab": lambda: pr.nrnran123_uniform_range(s, key, -2.0, 5.0),
        "ipick": lambda: float(pr.nrnran123_ipick(s, key)),
    }
    for name, f in ours.items():
        assert_same_bits(expected[name], [f() for _ in range(N)])
    pr.nrnran123_setseq_double(s, key, 4 * (2**32 - 1) + 2)
    assert_same_bits(expected["carry"], [float(pr.nrnran123_ipick(s, key)) for _ in range(20)])


_MCELL_SEEDLESS_SCRIPT = """
import json
from neuron import n
from pyneuro import random as pr
a, b = n.Random(), pr.Random()
out = []
for seed, low in [(0, 0), (0, 5), (77, 0), (0, 0)]:
    out.append((a.MCellRan4(seed, low), b.MCellRan4(seed, low)))
    out.append((a.uniform(0, 1), b.uniform(0, 1)))
print(json.dumps(out))
"""


@pytest.mark.neuron
def test_mcellran4_seed_zero_counts_instances() -> None:
    """MCellRan4(0) derives its seed from a process-wide count: compare in a fresh process."""
    pytest.importorskip("neuron")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_MCELL_SEEDLESS_SCRIPT)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    pairs = json.loads(res.stdout.strip().splitlines()[-1])
    assert pairs[0][0] != 0.0
    for neuron_value, ours in pairs:
        assert_same_bits([neuron_value], [ours])


@pytest.mark.neuron
def test_random_play_into_voltage_matches_neuron():
    """Random.play assigns a fresh value each step (and at finitialize), as NEURON's."""
    neuron = pytest.importorskip("neuron")
    from pyneuro import n as pn

    traces = []
    for n in (pn, neuron.n):
        n.load_file("stdrun.hoc")
        n.dt = 0.025
        sec = n.Section("s")
        sec.insert("pas")
        r = n.Random()
        r.Random123(4, 5, 6)
        r.uniform(-70, -60)
        r.play(sec(0.5)._ref_v)
        v = n.Vector().record(sec(0.5)._ref_v)
        n.finitialize(-65)
        n.continuerun(0.5)
        traces.append(list(v))
        del r, sec, v
    assert traces[0] == traces[1]
