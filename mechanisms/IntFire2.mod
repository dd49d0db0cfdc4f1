TITLE IntFire2: an integrate-and-fire cell with a synaptic current that decays

COMMENT
Written for pyneuro with NEURON's names, defaults and event logic.

Two linear stages, computed only at events: the current i relaxes to the bias ib
with time constant taus (each event of weight w adds w to i), and the membrane
state m relaxes to i with time constant taum < taus. The cell fires when m
reaches 1, then m = 0. The firing time is predicted with Newton's method
(firetime) and kept as a pending self-event that each input moves (net_move).
M() and I() give m and i at the current time.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire2
    RANGE taus, taum, ib, i, m
}

PARAMETER {
    taus = 20 (ms)
    taum = 10 (ms)
    ib = 0
}

ASSIGNED {
    i
    m
    t0 (ms)
}

FUNCTION M() {
    LOCAL x, f
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    M = ib + f*x + (m - (ib + (i - ib)*f))*exp(-(t - t0)/taum)
}

FUNCTION I() {
    LOCAL x, f
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    I = x + ib
}

INITIAL {
    i = ib
    m = 0
    if (taus <= taum) {
        taus = taum + .1
    }
    t0 = t
    net_send(firetime(ib, 0, 0), 1)
}

NET_RECEIVE (w) {
    LOCAL x, inew, f, ibf
    f = taus/(taus - taum)
    x = (i - ib)*exp(-(t - t0)/taus)
    inew = ib + x
    if (flag == 1) {
        : the predicted firing time has come
        net_event(t)
        m = 0
        ibf = (inew - ib)*f
        net_send(firetime(ib, ibf, 0), 1)
    } else {
        : an input: bring m to now, add w to the current, predict again
        m = ib + f*x + (m - (ib + (i - ib)*f))*exp(-(t - t0)/taum)
        inew = inew + w
        if (m >= 1) {
            net_move(t)
        } else {
            ibf = (inew - ib)*f
            net_move(firetime(ib, ibf, m) + t)
        }
    }
    t0 = t
    i = inew
}

FUNCTION firetime(a, b, c) (ms) {
    : the first time at which 1 = a + b*exp(-t/taus) + (c - a - b)*exp(-t/taum),
    : for c < 1 and taum < taus; 1e9 when there is none
    LOCAL r, cab, x, m, f
    r = taum/taus
    if (a <= 1 && a + b <= 1) {
        firetime = 1e9
    } else if (a > 1 && b <= 0) {
        : one solution, since a > 1
        cab = c - a - b
        m = r*b + cab
        if (m >= 0) {
            firetime = -taus * log(newton1(a, cab, b, 1/r, 0))
        } else {
            x = (1 - c + m)/m
            if (x <= 0) {
                firetime = -taus*log(newton1(a, cab, b, 1/r, 0))
            } else {
                firetime = -taum*log(newton1(a, b, cab, r, x))
            }
        }
    } else {
        : a solution exists when the maximum of the curve passes 1
        cab = c - a - b
        x = (-cab/(r*b))^(1/(r - 1))
        f = a + b*x^r + cab*x
        if (x >= 1 || f <= 1) {
            firetime = 1e9
        } else {
            m = r*b + cab
            x = (1 - c + m)/m
            firetime = -taum*log(newton1(a, b, cab, r, x))
        }
    }
}

FUNCTION newton1(a, b, c, r, x) {
    : solves 1 = a + b*x^r + c*x for 0 < x <= 1, starting from x
    LOCAL dx, f, df, iter, xm
    dx = 1
    f = 0
    iter = 0
    while (fabs(dx) > 1e-6 || fabs(f - 1) > 1e-6) {
        f = a + b*x^r + c*x
        df = r*b*x^(r - 1) + c
        dx = (1 - f)/df
        x = x + dx
        if (x <= 0) {
            x = 1e-4
        } else if (x > 1) {
            x = 1
        }
        iter = iter + 1
        if (iter == 6 && r < 1) {
            xm = (-c/(r*b))^(1/(r - 1))
        }
        if (iter > 10) {
            : give up (NEURON prints a diagnostic here)
            f = 1
            dx = 0
        }
    }
    newton1 = x
}
