TITLE ExpSyn: a synaptic conductance that jumps at each event and decays exponentially

COMMENT
Written for pyneuro with NEURON's names, defaults and equations. An event of
weight w (uS) adds w to the conductance g, which then decays with time constant
tau; the synaptic current is i = g*(v - e), outward positive.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExpSyn
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9,1e9>
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
}

BREAKPOINT {
    SOLVE decay METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE decay {
    g' = -g/tau
}

NET_RECEIVE (weight (uS)) {
    g = g + weight
}
