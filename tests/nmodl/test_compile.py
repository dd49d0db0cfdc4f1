"""Compilation tests: the neuron wheel's files compile or are refused by name; our
built-in mechanisms compile to modules whose kernels run and give the analytic values."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from nmodl_helpers import MECHANISMS, OneNode, load_module, wheel_mod_files

import nmodl
from nmodl import UnsupportedConstruct, compile_file, compile_text

WHEEL = wheel_mod_files()

#: wheel files refused, with the construct named in the message
#: (none since C in VERBATIM is refused when the mechanism is used, not when it compiles:
#: tests/nmodl_lang covers that refusal)
REFUSED: dict[str, str] = {}


@pytest.mark.parametrize("path", WHEEL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_wheel_file_compiles_or_is_refused_by_name(path, module_dir):
    try:
        result = compile_file(path)
    except UnsupportedConstruct as exc:
        text = str(exc)
        assert path.name in REFUSED, text
        assert REFUSED[path.name] in text
        assert exc.location is not None and exc.location.file == str(path)
        assert exc.location.line > 0
        assert f"{path.name}:{exc.location.line}:" in text
        return
    assert path.name not in REFUSED
    module = load_module(result.source, module_dir)
    assert module.METADATA == result.metadata
    if result.metadata.get("refused"):
        # C code in VERBATIM: the mechanism compiles but refuses to run, naming where
        with pytest.raises(RuntimeError, match=rf"{path.name}:\d+-\d+: a VERBATIM block"):
            state = OneNode(result.metadata)
            for kernel in ("initialize", "current", "state"):
                if kernel in result.metadata["kernels"]:
                    args = state.args()
                    if kernel == "initialize" and result.metadata.get("initial_events"):
                        args = (*args, np.zeros((result.metadata["initial_events"], 4)))
                    getattr(module, kernel)(*args)
        return
    # run every kernel once: Numba compiles lazily, so this is what checks the typing
    state = OneNode(result.metadata)
    if "check_table" in result.metadata["kernels"]:
        module.check_table(state.sc, state.gl, state.tab)
    for kernel in ("initialize", "current", "state"):
        if kernel not in result.metadata["kernels"]:
            continue
        if kernel == "initialize" and result.metadata.get("initial_events"):
            ev = np.zeros((result.metadata["initial_events"], 4))
            assert module.initialize(*state.args(), ev) == result.metadata["initial_events"]
        else:
            getattr(module, kernel)(*state.args())
    if "net_receive" in result.metadata["kernels"]:
        out = np.zeros((64, 3))
        w = np.zeros(len(result.metadata["net_receive"]["args"]))
        for flag in (0.0, 1.0):
            assert module.net_receive(0, w, flag, *state.args()[1:], out) >= 0
    assert np.isfinite(state.nd[:3]).all()


@pytest.mark.parametrize("name", ["hh.mod", "pas.mod", "IClamp.mod"])
def test_metadata_shape(name):
    meta = compile_file(MECHANISMS / name).metadata
    assert meta["name"] == name[:-4]
    text = (MECHANISMS / name).read_text()
    expected = hashlib.sha256((text + "\0nmodl " + nmodl.__version__).encode()).hexdigest()
    assert meta["hash"] == expected
    assert meta["kind"] == ("point" if name == "IClamp.mod" else "density")
    assert {"initialize", "current"} <= set(meta["kernels"])


def _hh_rates(v: float, celsius: float) -> dict[str, float]:
    """hh's rates() written out with plain math, in hh.mod's operation order."""

    def vtrap(x, y):
        if abs(x / y) < 1e-6:
            return y * (1 - x / y / 2)
        return x / (math.exp(x / y) - 1)

    q10 = 3.0 ** ((celsius - 6.3) / 10)
    out = {}
    a = 0.1 * vtrap(-(v + 40), 10)
    b = 4 * math.exp(-(v + 65) / 18)
    s = a + b
    out["mtau"], out["minf"] = 1 / (q10 * s), a / s
    a = 0.07 * math.exp(-(v + 65) / 20)
    b = 1 / (math.exp(-(v + 35) / 10) + 1)
    s = a + b
    out["htau"], out["hinf"] = 1 / (q10 * s), a / s
    a = 0.01 * vtrap(-(v + 55), 10)
    b = 0.125 * math.exp(-(v + 65) / 80)
    s = a + b
    out["ntau"], out["ninf"] = 1 / (q10 * s), a / s
    return out


@pytest.fixture(scope="module")
def hh(module_dir):
    result = compile_file(MECHANISMS / "hh.mod")
    return result.metadata, load_module(result.source, module_dir)


@pytest.mark.parametrize("usetable", [0.0, 1.0])
def test_hh_initialize_gives_steady_state(hh, usetable):
    meta, mod = hh
    s = OneNode(meta, n=2)
    s.gl[s.glob("usetable")] = usetable
    mod.check_table(s.sc, s.gl, s.tab)
    mod.initialize(*s.args())
    ref = _hh_rates(-65.0, 6.3)
    for gate in "mhn":
        got = s.data[s.row(gate)]
        if usetable == 0.0:
            assert np.all(got == ref[f"{gate}inf"])
        else:
            assert np.allclose(got, ref[f"{gate}inf"], rtol=0, atol=1e-6)


def test_hh_table_rebuilds_when_celsius_changes(hh):
    meta, mod = hh
    s = OneNode(meta)
    mod.check_table(s.sc, s.gl, s.tab)
    built = s.tab.copy()
    mod.check_table(s.sc, s.gl, s.tab)
    assert np.array_equal(built, s.tab)
    s.sc[2] = 20.0
    mod.check_table(s.sc, s.gl, s.tab)
    assert not np.array_equal(built, s.tab)
    mod.initialize(*s.args())
    ref = _hh_rates(-65.0, 20.0)
    assert abs(s.data[s.row("mtau"), 0] - ref["mtau"]) < 1e-6


def test_hh_current_and_state(hh):
    meta, mod = hh
    s = OneNode(meta)
    s.gl[s.glob("usetable")] = 0.0
    s.ions[0, 0, 0] = 50.0
    s.ions[1, 0, 0] = -77.0
    mod.initialize(*s.args())
    mod.current(*s.args())
    m, h, n = (s.data[s.row(x), 0] for x in "mhn")
    v = -65.0
    ina = 0.12 * m**3 * h * (v - 50.0)
    ik = 0.036 * n**4 * (v + 77.0)
    il = 0.0003 * (v + 54.3)
    assert s.nd[1, 0] == pytest.approx(-(ina + ik + il), rel=1e-12)
    assert s.ions[0, 3, 0] == pytest.approx(ina, rel=1e-12)
    assert s.ions[1, 3, 0] == pytest.approx(ik, rel=1e-12)
    gna = 0.12 * m**3 * h
    assert s.ions[0, 4, 0] == pytest.approx(gna, rel=1e-6)
    assert s.nd[2, 0] == pytest.approx(gna + 0.036 * n**4 + 0.0003, rel=1e-6)
    # one cnexp step at v = -60 mV: x + (1 - exp(-dt/tau))*(xinf - x)
    s.nd[0, 0] = -60.0
    old = {x: s.data[s.row(x), 0] for x in "mhn"}
    mod.state(*s.args())
    ref = _hh_rates(-60.0, 6.3)
    for x in "mhn":
        tau, inf = ref[f"{x}tau"], ref[f"{x}inf"]
        expected = old[x] + (1 - math.exp(-0.025 / tau)) * (inf - old[x])
        assert s.data[s.row(x), 0] == pytest.approx(expected, rel=1e-13)


def test_pas_current_is_analytic(module_dir):
    result = compile_file(MECHANISMS / "pas.mod")
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata, v=-60.0)
    g, e = 0.001, -70.0
    mod.current(*s.args())
    assert s.nd[1, 0] == pytest.approx(-g * (-60.0 - e), rel=1e-14)
    assert s.nd[2, 0] == pytest.approx(g, rel=1e-9)
    assert s.data[s.row("i"), 0] == g * (-60.0 - e)


def test_iclamp_is_an_electrode_point_current(module_dir):
    result = compile_file(MECHANISMS / "IClamp.mod")
    meta = result.metadata
    assert meta["electrode_current"] and meta["kind"] == "point"
    mod = load_module(result.source, module_dir)
    s = OneNode(meta)
    s.nd[3, 0] = 314.159
    s.data[s.row("del"), 0] = 1.0
    s.data[s.row("dur"), 0] = 2.0
    s.data[s.row("amp"), 0] = 0.5
    mod.initialize(*s.args())
    s.sc[0] = 0.5
    mod.current(*s.args())
    assert s.nd[1, 0] == 0.0
    s.sc[0] = 1.5
    mod.current(*s.args())
    assert s.nd[1, 0] == pytest.approx(0.5 * 100.0 / 314.159, rel=1e-14)
    assert s.nd[2, 0] == 0.0


def test_net_receive_arguments_in_metadata():
    meta = compile_text(
        """
        NEURON { POINT_PROCESS Syn RANGE tau NONSPECIFIC_CURRENT i }
        PARAMETER { tau = 1 (ms) }
        ASSIGNED { v i }
        STATE { g }
        BREAKPOINT { SOLVE s METHOD cnexp  i = g*v }
        DERIVATIVE s { g' = -g/tau }
        NET_RECEIVE (w, x) { g = g + w }
        """,
        "syn.mod",
    ).metadata
    assert meta["unsupported"] == []
    assert meta["net_receive"] == {"args": ["w", "x"]}
    assert "net_receive" in meta["kernels"]


def test_written_global_and_file_local(module_dir):
    result = compile_text(
        """
        NEURON { SUFFIX wg GLOBAL minf NONSPECIFIC_CURRENT i }
        ASSIGNED { v minf i }
        LOCAL count
        BREAKPOINT { minf = v*2  count = count + 1  i = minf }
        """,
        "wg.mod",
    )
    meta = result.metadata
    entry = next(g for g in meta["globals"] if g["name"] == "minf")
    assert entry["written"] is True
    hidden = next(g for g in meta["globals"] if g["name"] == "count")
    assert hidden["public"] is False
    mod = load_module(result.source, module_dir)
    s = OneNode(meta, v=-10.0)
    mod.current(*s.args())
    assert s.gl[s.glob("minf")] == -20.0
    assert s.gl[s.glob("count")] == 2.0  # BREAKPOINT runs twice per current evaluation


def test_at_time_fixed_step(module_dir):
    result = compile_text(
        """
        NEURON { SUFFIX at RANGE hit NONSPECIFIC_CURRENT i }
        ASSIGNED { hit i }
        BREAKPOINT { hit = at_time(1)  i = 0 }
        """,
        "at.mod",
    )
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata)
    for t, expected in [(0.99, 0.0), (1.0, 1.0), (1.02, 1.0), (1.03, 0.0)]:
        s.sc[0] = t
        mod.current(*s.args())
        assert s.data[s.row("hit"), 0] == expected, t


def test_hoc_exp_clamps(module_dir):
    result = compile_text(
        """
        NEURON { SUFFIX ex RANGE a, b NONSPECIFIC_CURRENT i }
        ASSIGNED { a b i }
        BREAKPOINT { a = exp(-800)  b = exp(800)  i = 0 }
        """,
        "ex.mod",
    )
    mod = load_module(result.source, module_dir)
    s = OneNode(result.metadata)
    mod.current(*s.args())
    assert s.data[s.row("a"), 0] == 0.0
    assert s.data[s.row("b"), 0] == math.exp(700)
