"""The compiler's side of events: what NET_RECEIVE, INITIAL net_send, WATCH and RANDOM
compile to (kernels called directly), and what it refuses, by name, with a location."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nmodl import NmodlError, UnsupportedConstruct, compile_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "nmodl"))
from nmodl_helpers import OneNode, load_module  # noqa: E402

CELL = """
NEURON { ARTIFICIAL_CELL Cell RANGE x, y RANDOM r }
ASSIGNED { x y }
INITIAL { x = 0 net_send(1.5, 1) net_send(2, 7) }
NET_RECEIVE (w, k) {
    INITIAL { k = 3 }
    if (flag == 0) {
        x = x + w*k
        k = k + 1
        net_event(t)
        net_move(t + 0.5)
    } else {
        y = random_negexp(r)
        net_send(0.25, flag + 1)
    }
}
"""


@pytest.fixture(scope="module")
def cell(tmp_path_factory):
    result = compile_text(CELL, "cell.mod")
    return result.metadata, load_module(result.source, tmp_path_factory.mktemp("mods"))


def test_metadata(cell):
    meta, _module = cell
    assert meta["net_receive"] == {"args": ["w", "k"]}
    assert meta["initial_events"] == 2
    assert {"initialize", "net_receive", "net_init"} <= set(meta["kernels"])
    assert [r["size"] for r in meta["range"] if r["role"] == "random"] == [9]


def test_initial_events_and_requests(cell):
    meta, module = cell
    state = OneNode(meta, n=2)
    ev = np.zeros((4, 4))
    assert module.initialize(*state.args(), ev) == 4
    assert ev.tolist() == [
        [0, 1, 1.5, 1],
        [0, 1, 2, 7],
        [1, 1, 1.5, 1],
        [1, 1, 2, 7],
    ]
    w = np.array([0.5, 0.0])
    out = np.zeros((64, 3))
    assert module.net_init(1, w, 0.0, *state.args()[1:], out) == 0
    assert w.tolist() == [0.5, 3.0]  # INITIAL in NET_RECEIVE wrote the NetCon's slot
    state.sc[0] = 4.0
    assert module.net_receive(1, w, 0.0, *state.args()[1:], out) == 2
    assert out[:2].tolist() == [[2, 4.0, 0], [3, 4.5, 0]]
    assert w.tolist() == [0.5, 4.0]
    assert state.data[state.row("x"), 1] == 1.5
    # a self-event: weights of none (NEURON passes none for INITIAL's net_send)
    assert module.net_receive(0, np.zeros(0), 7.0, *state.args()[1:], out) == 1
    assert out[0].tolist() == [1, 0.25, 8.0]
    assert 0 < state.data[state.row("y"), 0] < 30


def test_random_stream_is_nrnran123(cell):
    """random_negexp on a stream (ids 1, 2, 3) = pyneuro.random's nrnran123, bit for bit."""
    from pyneuro.random import nrnran123_negexp, nrnran123_newstream

    meta, module = cell
    state = OneNode(meta)
    row = state.row("r")
    stream = nrnran123_newstream(1, 2, 3)
    state.data[row : row + 9, 0] = stream
    key = np.zeros(2, dtype=np.uint32)
    out = np.zeros((64, 3))
    for _ in range(9):  # across several blocks of four
        module.net_receive(0, np.zeros(0), 1.0, *state.args()[1:], out)
        assert state.data[state.row("y"), 0] == nrnran123_negexp(stream, key)
    assert math.isfinite(state.data[state.row("y"), 0])


HEAD = "NEURON { POINT_PROCESS P }\nASSIGNED { v x }\n"

ERRORS = [
    # (id, text, line, col, fragment)
    (
        "density",
        "NEURON { SUFFIX d }\nNET_RECEIVE (w) { }\n",
        2,
        1,
        "NET_RECEIVE can only exist in a POINT_PROCESS",
    ),
    ("two_blocks", HEAD + "NET_RECEIVE (w) { }\nNET_RECEIVE (u) { }\n", 4, 1, "Only one"),
    (
        "send_in_breakpoint",
        HEAD + "BREAKPOINT { net_send(1, 1) }\nNET_RECEIVE (w) { }\n",
        3,
        14,
        "net_send allowed only in INITIAL and NET_RECEIVE",
    ),
    (
        "event_in_procedure",
        HEAD + "PROCEDURE p() { net_event(1) }\nNET_RECEIVE (w) { p() }\n",
        3,
        17,
        "net_event is only allowed in a NET_RECEIVE block",
    ),
    ("no_net_receive", HEAD + "INITIAL { net_send(1, 1) }\n", 3, 11, "no NET_RECEIVE"),
    (
        "move_without_send",
        HEAD + "NET_RECEIVE (w) { net_move(t + 1) }\n",
        3,
        19,
        "no net_send",
    ),
    (
        "watch_outside",
        HEAD + "INITIAL { WATCH (v > 0) 2 }\nNET_RECEIVE (w) { }\n",
        3,
        11,
        '"WATCH" statement only allowed in NET_RECEIVE',
    ),
    (
        "watch_condition",
        HEAD + "NET_RECEIVE (w) { WATCH (v >= 0) 2 }\n",
        3,
        26,
        "(a > b) or (a < b)",
    ),
    (
        "watch_sees_no_arguments",
        HEAD + "NET_RECEIVE (w) { WATCH (v > w) 2 }\n",
        3,
        30,
        "undefined variable 'w'",
    ),
    (
        "send_as_value",
        HEAD + "NET_RECEIVE (w) { x = net_send(1, 1) }\n",
        3,
        23,
        "has no value",
    ),
    (
        "ion_current_in_net_receive",
        "NEURON { POINT_PROCESS P USEION na READ ina }\nASSIGNED { ina }\n"
        "NET_RECEIVE (w) { ina = 0 }\n",
        3,
        19,
        "only concentrations",
    ),
    (
        "random_misuse",
        "NEURON { POINT_PROCESS P RANDOM r }\nASSIGNED { x }\nINITIAL { x = r }\n",
        3,
        15,
        "RANDOM variable 'r'",
    ),
    (
        "random_not_a_stream",
        HEAD + "INITIAL { x = random_negexp(x) }\n",
        3,
        15,
        "must be a RANDOM variable",
    ),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(case):
    _id, text, line, col, fragment = case
    with pytest.raises(NmodlError) as info:
        compile_text(text, "bad.mod")
    assert not isinstance(info.value, UnsupportedConstruct)
    message = str(info.value)
    assert fragment in message, message
    assert message.startswith(f"bad.mod:{line}:{col}: "), message


UNSUPPORTED = [
    (
        "send_in_net_init",
        HEAD + "NET_RECEIVE (w) { INITIAL { net_send(1, 2) } }\n",
        "net_send in the INITIAL block of NET_RECEIVE",
    ),
    (
        "send_in_initial_loop",
        HEAD + "INITIAL { FROM i = 0 TO 2 { net_send(i, 2) } }\nNET_RECEIVE (w) { }\n",
        "net_send inside a loop",
    ),
]


@pytest.mark.parametrize("case", UNSUPPORTED, ids=[c[0] for c in UNSUPPORTED])
def test_refused_by_name(case):
    _id, text, fragment = case
    with pytest.raises(UnsupportedConstruct) as info:
        compile_text(text, "new.mod")
    assert fragment in str(info.value)
    assert str(info.value).startswith("new.mod:3:")
