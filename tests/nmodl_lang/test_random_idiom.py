"""The VERBATIM Random-object idiom of older models (a hoc Random kept in a POINTER or
BBCOREPOINTER, set by a PROCEDURE through ``nrn_random_arg(1)`` and drawn from by
``nrn_random_pick``), mapped onto pyneuro's Random, against NEURON: the same event times and
draws, with Python drawing from the same Random between runs."""

from __future__ import annotations

import pytest
from oracle import check

from nmodl import compile_text

pytestmark = pytest.mark.neuron

#: an artificial cell firing at intervals (1 - noise)*interval + noise*interval*pick(); the
#: draw is split over VERBATIM blocks around an NMODL fallback, as ModelDB's NetStim copies;
#: pick2 is the synapse models' form (a C local, a C return, NMODL code after the blocks)
RANTRAIN = """
NEURON {
    ARTIFICIAL_CELL RanTrain
    RANGE interval, noise, last, extra
    POINTER rng
}
PARAMETER { interval = 4 (ms) noise = 0.8 }
ASSIGNED { rng last extra }
INITIAL {
    last = 0
    net_send(draw_interval(), 1)
}
NET_RECEIVE (w) {
    if (flag == 1) {
        net_event(t)
        extra = pick2()
        net_send(draw_interval(), 1)
    }
}
FUNCTION draw_interval() (ms) {
    last = pick()
    draw_interval = (1 - noise)*interval + noise*interval*last
}
FUNCTION pick() {
VERBATIM
    if (_p_rng) {
        /* a separate, reproducible stream per instance */
        _lpick = nrn_random_pick(_p_rng);
    } else {
ENDVERBATIM
        pick = 0.75
VERBATIM
    }
ENDVERBATIM
}
FUNCTION pick2() {
VERBATIM
    double value;
    if (_p_rng) {
        value = nrn_random_pick(RANDCAST _p_rng);
        return value;
    } else {
ENDVERBATIM
        value = scop_random()
VERBATIM
    }
ENDVERBATIM
    pick2 = 2*value
}
PROCEDURE seed(x) { set_seed(x) }
PROCEDURE useRandom() {
VERBATIM
  {
    void** pv = (void**)(&_p_rng);
    if (ifarg(1)) {
        *pv = nrn_random_arg(1);
    } else {
        *pv = (void*)0;
    }
  }
ENDVERBATIM
}
"""

#: a point process whose current is redrawn on each event, the draw a bare VERBATIM line and
#: the handle a BBCOREPOINTER (with the CoreNEURON callbacks NEURON requires, never called)
RANDCAST = "\nVERBATIM\n#define RANDCAST\nENDVERBATIM\n"

RANKICK = """
NEURON {
    THREADSAFE
    POINT_PROCESS RanKick
    NONSPECIFIC_CURRENT i
    RANGE amp, size
    BBCOREPOINTER gen
}
VERBATIM
static void bbcore_write(double* x, int* d, int* xx, int* offset, _threadargsproto_) {}
static void bbcore_read(double* x, int* d, int* xx, int* offset, _threadargsproto_) {}
ENDVERBATIM
PARAMETER { amp = 0.02 (nA) }
ASSIGNED { i (nA) size gen }
INITIAL { size = 0 }
BREAKPOINT { i = -amp*size }
NET_RECEIVE (w) { size = w*draw() }
FUNCTION draw() {
VERBATIM
    _ldraw = nrn_random_pick(_p_gen);
ENDVERBATIM
}
PROCEDURE setGen() {
VERBATIM
    void** pv = (void**)(&_p_gen);
    *pv = nrn_random_arg(1);
ENDVERBATIM
}
"""

SCRIPT = """
cells = [n.RanTrain() for _ in range(3)]
r1 = n.Random()
r1.Random123(1, 2, 3)
r1.negexp(1)
r2 = n.Random()
r2.MCellRan4(7)
r2.uniform(0.5, 1.5)
cells[0].useRandom(r1)
cells[1].useRandom(r2)   # cells[2] keeps no Random: the NMODL fallback
tvec, ids = n.Vector(), n.Vector()
ncs = []
for k, c in enumerate(cells):
    nc = n.NetCon(c, None)
    nc.record(tvec, ids, k)
    ncs.append(nc)
soma = n.Section("soma")
soma.L = soma.diam = 10
soma.insert("pas")
kick = n.RanKick(soma(0.5))
r3 = n.Random()
r3.Random123(4, 5, 6)
r3.normal(1, 0.25)
kick.setGen(r3)
drive = n.NetCon(cells[0], kick, 0, 0.5, 2.0)
v = n.Vector().record(soma(0.5)._ref_v)
size = n.Vector().record(kick._ref_size)
cells[0].seed(5)  # the legacy generator is per process: start it from a known state
n.finitialize(-65)
n.continuerun(30)
OUT["between"] = [r1.repick(), r2.repick(), r3.repick()]  # Python shares the streams
n.continuerun(60)
cells[0].useRandom()   # back to the fallback
n.continuerun(80)
OUT["t"] = list(tvec)
OUT["id"] = list(ids)
OUT["v"] = list(v)
OUT["size"] = list(size)
OUT["last"] = [c.last for c in cells]
OUT["extra"] = [c.extra for c in cells]
"""


def test_random_idiom_against_neuron(tmp_path):
    mods = {"rantrain.mod": RANDCAST + RANTRAIN, "rankick.mod": RANKICK}
    out = check(tmp_path, mods, SCRIPT)
    ids = out["id"]
    assert {0.0, 1.0, 2.0} <= set(ids) and len(ids) > 30
    assert len(set(out["size"])) > 5  # the kicks drew different sizes


#: the prototypes older files declare (NEURON 9's headers reject them; pyneuro ignores them)
PROTOTYPES = """
VERBATIM
double nrn_random_pick(void* r);
void* nrn_random_arg(int argpos);
ENDVERBATIM
"""


def test_idiom_metadata_and_refusal_of_other_c():
    meta = compile_text(RANTRAIN + PROTOTYPES, "rantrain.mod").metadata
    assert meta["random_setters"] == [{"name": "useRandom", "handle": "rng"}]
    assert not meta.get("pointers") and not meta.get("refused")
    # C beyond the idiom in the same place is still refused by name
    other = RANTRAIN.replace("_lpick = nrn_random_pick(_p_rng);", "_lpick = my_pick(_p_rng);")
    meta = compile_text(other, "other.mod").metadata
    assert meta["refused"]["file"] == "other.mod"
