TITLE NetStim: an artificial cell that fires a train of events, regular or random

COMMENT
Written for pyneuro with NEURON's names, defaults and event logic.

The cell sends `number` events, the first near `start`, then at intervals whose
mean is `interval` (ms). With noise = 0 the intervals are exactly `interval`;
with noise = 1 they are exponentially distributed (a Poisson train); in between,
each interval is (1 - noise)*interval plus noise*interval times an exponential
deviate. The deviates come from the RANDOM variable ranvar, a Random123 stream:
noiseFromRandom123(id1, id2, id3) selects the stream; INITIAL rewinds it.

Self-events: flag 3 starts the train from INITIAL, flag 1 is "fire now".
An event from a NetCon with positive weight starts a train when none is
running; a negative weight stops the running one.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL NetStim
    THREADSAFE
    RANGE interval, number, start
    RANGE noise
    RANDOM ranvar
}

PARAMETER {
    interval = 10 (ms) <1e-9,1e9>
    number = 10 <0,1e9>
    start = 50 (ms)
    noise = 0 <0,1>
}

ASSIGNED {
    event (ms)
    on
    ispike
}

INITIAL {
    seed(0)
    on = 0
    ispike = 0
    if (noise < 0) {
        noise = 0
    }
    if (noise > 1) {
        noise = 1
    }
    if (start >= 0 && number > 0) {
        on = 1
        : a noisy first interval averages start + noise*interval
        event = start + invl(interval) - interval*(1. - noise)
        if (event < 0) {
            event = 0
        }
        net_send(event, 3)
    }
}

PROCEDURE init_sequence(t (ms)) {
    if (number > 0) {
        on = 1
        event = 0
        ispike = 0
    }
}

FUNCTION invl(mean (ms)) (ms) {
    if (mean <= 0.) {
        mean = .01 (ms)
    }
    if (noise == 0) {
        invl = mean
    } else {
        invl = (1. - noise)*mean + noise*mean*erand()
    }
}

FUNCTION erand() {
    erand = random_negexp(ranvar)
}

PROCEDURE next_invl() {
    if (number > 0) {
        event = invl(interval)
    }
    if (ispike >= number) {
        on = 0
    }
}

PROCEDURE seed(x) {
    random_setseq(ranvar, x)
}

PROCEDURE noiseFromRandom123(id1, id2, id3) {
    random_setids(ranvar, id1, id2, id3)
    random_setseq(ranvar, 0)
}

NET_RECEIVE (w) {
    if (flag == 0) {
        : from a NetCon
        if (w > 0 && on == 0) {
            init_sequence(t)
            next_invl()
            event = event - interval*(1. - noise)
            net_send(event, 1)
        } else if (w < 0) {
            on = 0
        }
    }
    if (flag == 3) {
        : the train's start, sent by INITIAL (ignored if a NetCon stopped it)
        if (on == 1) {
            init_sequence(t)
            net_send(0, 1)
        }
    }
    if (flag == 1 && on == 1) {
        ispike = ispike + 1
        net_event(t)
        next_invl()
        if (on == 1) {
            net_send(event, 1)
        }
    }
}
