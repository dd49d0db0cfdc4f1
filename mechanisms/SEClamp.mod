TITLE SEClamp: a single-electrode voltage clamp with three levels

COMMENT
Written for pyneuro with NEURON's names, defaults and equations.

The command potential vc is amp1 for dur1 ms from t = 0, then amp2 for dur2,
then amp3 for dur3; after that the clamp is off (i = 0). While on, the
electrode, a series resistance rs (megohm), passes i = (vc - v)/rs (nA),
positive depolarising (ELECTRODE_CURRENT).

i is computed twice: in BREAKPOINT, so that the matrix gets the right di/dv,
and again after v has advanced (SOLVE ... METHOD after_cvode), so that the i
seen after a step is (vc - v(t+dt))/rs.
ENDCOMMENT

NEURON {
    POINT_PROCESS SEClamp
    ELECTRODE_CURRENT i
    RANGE dur1, amp1, dur2, amp2, dur3, amp3, rs, vc, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9, 1e9>
    dur1 (ms)
    amp1 (mV)
    dur2 (ms) <0,1e9>
    amp2 (mV)
    dur3 (ms) <0,1e9>
    amp3 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    vc (mV)
    tc2 (ms)
    tc3 (ms)
    on
}

INITIAL {
    tc2 = dur1 + dur2
    tc3 = tc2 + dur3
    on = 0
}

BREAKPOINT {
    SOLVE icur METHOD after_cvode
    vstim()
}

PROCEDURE icur() {
    if (on) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

PROCEDURE vstim() {
    on = 1
    if (dur1) {
        at_time(dur1)
    }
    if (dur2) {
        at_time(tc2)
    }
    if (dur3) {
        at_time(tc3)
    }
    if (t < dur1) {
        vc = amp1
    } else if (t < tc2) {
        vc = amp2
    } else if (t < tc3) {
        vc = amp3
    } else {
        vc = 0
        on = 0
    }
    icur()
}
