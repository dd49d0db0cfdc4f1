TITLE APCount: counts action potentials, optionally recording their times

COMMENT
Written for pyneuro with NEURON's names, defaults and counting rule.

After each step (SOLVE ... METHOD after_cvode) and at finitialize, a crossing
of thresh (mV) from below counts: n goes up by one and time is set to t. The
crossing is armed again once v is below thresh after that time. apc.record(vec)
makes vec hold every counted time (vec is emptied at finitialize); apc.record()
stops that.

times is a pyneuro Vector handle (BBCOREPOINTER): vector_resize and vector_set
write the bound Vector, record() binds it with vector_arg (in NEURON these are
VERBATIM C calls).
ENDCOMMENT

NEURON {
    POINT_PROCESS APCount
    RANGE n, thresh, time, firing
    BBCOREPOINTER times
    THREADSAFE
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    n
    thresh = -20 (mV)
    time (ms)
}

ASSIGNED {
    v (mV)
    firing
    times
}

INITIAL {
    n = 0
    firing = 0
    vector_resize(times, 0)
    check()
}

BREAKPOINT {
    SOLVE check METHOD after_cvode
}

PROCEDURE check() {
    if (v >= thresh && !firing) {
        firing = 1
        time = t
        n = n + 1
        vector_resize(times, n)
        vector_set(times, n - 1, time)
    }
    if (firing && v < thresh && t > time) {
        firing = 0
    }
}

PROCEDURE record() {
    vector_arg(times)
}
