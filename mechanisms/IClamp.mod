TITLE IClamp: a rectangular current pulse injected through an electrode

COMMENT
Injects amp (nA) from t = del for dur ms, written for pyneuro. ELECTRODE_CURRENT
means positive amp depolarises the cell. The pulse edges are discontinuities
that a variable-step integrator must stop at; the engine finds them itself.
ENDCOMMENT

NEURON {
    POINT_PROCESS IClamp
    RANGE del, dur, amp, i
    ELECTRODE_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    del (ms)
    dur (ms) <0,1e9>
    amp (nA)
}

ASSIGNED {
    i (nA)
}

INITIAL {
    i = 0
}

BREAKPOINT {
    if (t < del + dur && t >= del) {
        i = amp
    } else {
        i = 0
    }
}
