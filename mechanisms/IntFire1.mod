TITLE IntFire1: a leaky integrate-and-fire cell driven by events

COMMENT
Written for pyneuro with NEURON's names, defaults and event logic.

The state m relaxes to 0 with time constant tau and is only computed at
events: m(t) = m(t0)*exp(-(t - t0)/tau). An event of weight w adds w; when m
passes 1 the cell fires (net_event), shows m = 2 for half a millisecond and
ignores input for refrac ms, after which a self-event (flag 1) resets m to 0.
M() gives m at the current time, for plotting.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire1
    RANGE tau, refrac, m
}

PARAMETER {
    tau = 10 (ms)
    refrac = 5 (ms)
}

ASSIGNED {
    m
    t0 (ms)
    refractory
}

INITIAL {
    m = 0
    t0 = t
    refractory = 0
}

FUNCTION M() {
    if (refractory == 0) {
        M = m*exp(-(t - t0)/tau)
    } else if (refractory == 1) {
        if (t - t0 < .5) {
            M = 2
        } else {
            M = -1
        }
    }
}

NET_RECEIVE (w) {
    if (refractory == 0) {
        : integrating: decay to now, then add the input
        m = m*exp(-(t - t0)/tau)
        t0 = t
        m = m + w
        if (m > 1) {
            refractory = 1
            m = 2
            net_send(refrac, refractory)
            net_event(t)
        }
    } else if (flag == 1) {
        : end of the refractory period
        t0 = t
        refractory = 0
        m = 0
    }
}
