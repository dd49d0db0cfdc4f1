TITLE VecStim: an artificial cell that fires at the times held in a Vector

COMMENT
Written for pyneuro, with the names and behaviour of the VecStim that NEURON's
users compile from vecevent.mod: vs.play(vec) binds a Vector of event times
(ms, ascending, none before the current time); at finitialize the cell schedules
the first, and each firing (net_event) schedules the next. vs.play() unbinds.

ptr is a pyneuro Vector handle (BBCOREPOINTER): vector_size and vector_element
read the bound Vector, and play() binds it with vector_arg (in NEURON these are
VERBATIM C calls).
ENDCOMMENT

NEURON {
    THREADSAFE
    ARTIFICIAL_CELL VecStim
    BBCOREPOINTER ptr
}

ASSIGNED {
    index
    etime (ms)
    ptr
}

INITIAL {
    index = 0
    element()
    if (index > 0) {
        net_send(etime - t, 1)
    }
}

NET_RECEIVE (w) {
    if (flag == 1) {
        net_event(t)
        element()
        if (index > 0) {
            net_send(etime - t, 1)
        }
    }
}

PROCEDURE element() {
    : the next time into etime; index becomes -1 past the last one (or with no Vector)
    LOCAL i
    i = index
    if (i >= 0) {
        if (i < vector_size(ptr)) {
            etime = vector_element(ptr, i)
            index = index + 1
        } else {
            index = -1
        }
    }
}

PROCEDURE play() {
    vector_arg(ptr)
}
