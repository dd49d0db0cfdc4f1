"""The d_lambda rule: segment counts from the AC length constant, as NEURON's stdlib.

``lambda_f(freq, sec)`` is NEURON's ``lambda_f`` from ``stdlib.hoc`` (same formula, same order
of operations, so results agree to the last bit); ``set_nseg`` applies the usual rule
``nseg = int((L / (d_lambda * lambda_f(freq)) + 0.9) / 2) * 2 + 1``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..topology import Section

_PI = 3.14159265358979323846  # HOC's PI


def lambda_f(freq: float, sec: Section) -> float:
    """AC length constant (µm) of ``sec`` at ``freq`` (Hz).

    Without 3-D points it uses the middle segment's diam (µm), Ra (Ω·cm) and cm (µF/cm²);
    with 3-D points it integrates over the points (length / electrotonic length), as NEURON.
    A section with cm = 0 gives 1e10.
    """
    freq = float(freq)
    cm = sec.cm
    if cm == 0:
        return 1e10
    ra = sec.Ra
    npt = sec.n3d()
    if npt < 2:
        return 1e5 * math.sqrt(sec.diam / (4 * _PI * freq * ra * cm))
    x1 = sec.arc3d(0)
    d1 = sec.diam3d(0)
    lam = 0.0
    for i in range(1, npt):
        if d1 == 0:
            raise ValueError(f"lambda_f error: 0 diameter for 3d point {i - 1} of {sec}.")
        x2 = sec.arc3d(i)
        d2 = sec.diam3d(i)
        lam += (x2 - x1) / math.sqrt(d1 + d2)
        x1 = x2
        d1 = d2
    lam *= math.sqrt(2) * 1e-5 * math.sqrt(4 * _PI * freq * ra * cm)
    return sec.L / lam


def nseg_for(sec: Section, d_lambda: float = 0.1, freq: float = 100.0) -> int:
    """The odd segment count giving segments no longer than ``d_lambda`` (fraction of the AC
    length constant at ``freq`` Hz)."""
    return int((sec.L / (d_lambda * lambda_f(freq, sec)) + 0.9) / 2) * 2 + 1


def set_nseg(sections: Iterable[Section], d_lambda: float = 0.1, freq: float = 100.0) -> None:
    """Set each section's ``nseg`` by the d_lambda rule (``d_lambda`` in units of the AC
    length constant at ``freq`` Hz)."""
    for sec in sections:
        sec.nseg = nseg_for(sec, d_lambda, freq)
