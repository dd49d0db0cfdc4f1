TITLE VClamp: a two-electrode voltage clamp with a feedback amplifier, three levels

COMMENT
Written for pyneuro with NEURON's names, defaults and equations.

The command is amp[0] for dur[0] ms from t = 0, then amp[1], then amp[2];
after dur[0] + dur[1] + dur[2] the clamp is off (i = 0). The circuit: the
command and the measured potential vi meet at the input of an amplifier of gain
`gain` and time constant tau1, whose output vo drives a current through rstim
(megohm) into the cell, i = (vo - v)/rstim (nA, ELECTRODE_CURRENT); tau2 and fac
model the output stage and the measuring amplifier. States: e (amplifier input),
vo, vi; e0, vo0, vi0 hold their values at the start of the step.

Each evaluation solves the three implicit (backward Euler) circuit equations
    vi = v + fac*vo - fac*v
    (tau2/dt)*(vo - vo0) + vo = -gain*e
    vi*(1 + tau1/dt) - e*(2 + tau1/dt) = stim + (tau1/dt)*(vi0 - e0)
for the current v (NEURON writes them as a LINEAR block; see clamp()).
The states are advanced in the SOLVE after the voltage update. The clamp is stiff;
use it with secondorder = 0.
ENDCOMMENT

DEFINE NSTEP 3

NEURON {
    POINT_PROCESS VClamp
    ELECTRODE_CURRENT i
    RANGE e0, vo0, vi0, dur, amp, gain, rstim, tau1, tau2, fac, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    dur[NSTEP] (ms) <0, 1e9>
    amp[NSTEP] (mV)
    gain = 1e5 <0,1e9>
    rstim = 1 (megohm) <1e-9,1e9>
    tau1 = .001 (ms) <0,1e9>
    tau2 = 0 (ms) <0,1e9>
    e0 (mV)
    vo0 (mV)
    vi0 (mV)
    fac = 0 <1,10>
}

ASSIGNED {
    v (mV)
    dt (ms)
    i (nA)
    stim (mV)
    tc (ms)
}

STATE {
    e (mV)
    vo (mV)
    vi (mV)
}

INITIAL {
    e0 = 0
    vo = v
    vo0 = v
    vi = v
    vi0 = v
    e = 0
}

BREAKPOINT {
    SOLVE update METHOD after_cvode
    vstim()
    i = icur()
}

PROCEDURE vstim() {
    : the level whose interval holds t; tc ends up past t while the clamp is on
    LOCAL found
    tc = 0 (ms)
    found = 0
    FROM j = 0 TO NSTEP - 1 {
        if (found == 0) {
            stim = amp[j]
            tc = tc + dur[j]
            if (t < tc) {
                tc = tc + 100
                found = 1
            }
        }
    }
}

FUNCTION icur() (nA) {
    if (t > tc) {
        e0 = 0
        vo0 = 0
        icur = 0
    } else {
        clamp()
        icur = (vo - v)/rstim
    }
}

PROCEDURE clamp() {
    : The circuit equations for (vi, vo, e) as the rows of an augmented 3x4 matrix c
    : (row-major), each term added as NEURON's LINEAR translation adds it, then solved
    : as scopmath's simeq does: Gaussian elimination with partial pivoting (rows
    : chosen through perm, never swapped), then back substitution. The same operations
    : in the same order give NEURON's clamp current to rounding.
    LOCAL t1, t2, c[12], perm[3], x[3], p, q, isave, ii, jrow
    t1 = tau1/dt
    t2 = tau2/dt
    FROM k = 0 TO 11 {
        c[k] = 0
    }
    : vi = v + fac*vo - fac*v
    c[0] = c[0] - 1
    c[3] = c[3] - v
    c[1] = c[1] + fac*1
    c[3] = c[3] + fac*v
    : t2*vo - t2*vo0 + vo = -gain*e
    c[5] = c[5] - t2*1
    c[7] = c[7] - t2*vo0
    c[5] = c[5] - 1
    c[6] = c[6] - gain*1
    : -stim - e + vi - e + t1*vi - t1*e - t1*(vi0 - e0) = 0
    c[11] = c[11] - stim
    c[10] = c[10] + 1
    c[8] = c[8] - 1
    c[10] = c[10] + 1
    c[8] = c[8] - t1*1
    c[10] = c[10] + t1*1
    c[11] = c[11] - t1*(vi0 - e0)
    FROM k = 0 TO 2 {
        perm[k] = k
    }
    isave = 0
    FROM j = 0 TO 2 {
        p = perm[j]
        FROM r = j + 1 TO 2 {
            q = perm[r]
            if (fabs(c[4*p + j]) < fabs(c[4*q + j])) {
                p = q
                isave = r
            }
        }
        if (p != perm[j]) {
            perm[isave] = perm[j]
            perm[j] = p
        }
        FROM k = j + 1 TO 3 {
            c[4*p + k] = c[4*p + k]/c[4*p + j]
        }
        FROM r = j + 1 TO 2 {
            q = perm[r]
            FROM k = j + 1 TO 3 {
                c[4*q + k] = c[4*q + k] - c[4*p + k]*c[4*q + j]
            }
        }
    }
    FROM r = 0 TO 2 {
        ii = 2 - r
        jrow = perm[ii]
        x[ii] = c[4*jrow + 3]
        FROM k = ii + 1 TO 2 {
            x[ii] = x[ii] - c[4*jrow + k]*x[k]
        }
    }
    vi = x[0]
    vo = x[1]
    e = x[2]
}

PROCEDURE update() {
    i = icur()
    e0 = e
    vo0 = vo
    vi0 = vi
}
