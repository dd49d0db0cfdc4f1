"""Ion bookkeeping each step and at initialisation, as NEURON's ion mechanisms (``eion.cpp``).

Every node carries a style per ion, NEURON's ``iontype`` bitmap, promoted from what the
mechanisms at that node read and write (`style_bits`):

* ``CINIT`` (04): concentrations reset to ``<ion>i0_<ion>_ion``/``<ion>o0_<ion>_ion`` at
  finitialize (some mechanism WRITEs a concentration);
* ``EINIT`` (040): the reversal potential computed by Nernst at finitialize, and again after a
  concentration writer's INITIAL (``nrn_wrote_conc``);
* ``EADVANCE`` (0100): the reversal potential recomputed by Nernst at the start of every step,
  before any current is evaluated (concentrations written, reversal potential not).
"""

from __future__ import annotations

import math

import numba
import numpy as np

# Numba freezes these into the cached machine code of this module: editing their values in
# ions.py needs a change here too (this comment was the one for the CODATA products).
from ..ions import FARADAY, GAS_CONSTANT

CINIT, EINIT, EADVANCE = 0o4, 0o40, 0o100
ION_E, ION_CI, ION_CO, ION_I, ION_DIDV = 0, 1, 2, 3, 4


def style_bits(conc: int, rev: int) -> int:
    """NEURON's ``nrn_promote``: levels 0 unused, 1 read, 2 derived, 3 written."""
    if conc > 0 and rev < 2:
        rev = 2
    it = conc + 0o10 * rev
    if conc == 3:
        it += CINIT
        if rev == 2:
            it += EADVANCE
    if conc > 0 and rev == 2:
        it += EINIT
    return it


@numba.njit(cache=True)
def nernst(ci: float, co: float, z: float, celsius: float) -> float:
    """Reversal potential (mV), with NEURON's guards and operation order."""
    if z == 0:
        return 0.0
    if ci <= 0.0:
        return 1e6
    elif co <= 0.0:
        return -1e6
    ktf = 1000.0 * GAS_CONSTANT * (celsius + 273.15) / FARADAY
    return ktf / z * math.log(co / ci)


@numba.njit(cache=True)
def begin_step(
    ions: np.ndarray, style: np.ndarray, charge: np.ndarray, celsius: float, n0: int, n1: int
) -> None:
    """NEURON's ion_cur on nodes [n0, n1): zero each ion's current and dI/dv; Nernst where
    EADVANCE."""
    for k in range(ions.shape[0]):
        cur = ions[k, ION_I]
        didv = ions[k, ION_DIDV]
        st = style[k]
        advance = 0
        # vectorized: no call, and unsigned indices (no negative-index wraparound to hide
        # that the addresses advance by one element)
        for i in range(np.uint64(n0), np.uint64(n1)):
            cur[i] = 0.0
            didv[i] = 0.0
            advance |= st[i]
        if advance & EADVANCE:  # the Nernst loop only for an ion some node advances
            z = charge[k]
            for i in range(n0, n1):
                if st[i] & EADVANCE:
                    ions[k, ION_E, i] = nernst(ions[k, ION_CI, i], ions[k, ION_CO, i], z, celsius)


@numba.njit(cache=True)
def initialize(
    ions: np.ndarray, style: np.ndarray, charge: np.ndarray, c0: np.ndarray, celsius: float
) -> None:
    """NEURON's ion_init: concentrations reset where CINIT, then Nernst where EINIT.

    ``c0[k]`` holds the (inside, outside) initial concentrations of ion k.
    """
    for k in range(ions.shape[0]):
        for i in range(ions.shape[2]):
            if style[k, i] & CINIT:
                ions[k, ION_CI, i] = c0[k, 0]
                ions[k, ION_CO, i] = c0[k, 1]
    wrote_concentrations(ions, style, charge, celsius)


@numba.njit(cache=True)
def wrote_concentrations(
    ions: np.ndarray, style: np.ndarray, charge: np.ndarray, celsius: float
) -> None:
    """NEURON's nrn_wrote_conc after a concentration writer's INITIAL: Nernst where EINIT."""
    for k in range(ions.shape[0]):
        z = charge[k]
        for i in range(ions.shape[2]):
            if style[k, i] & EINIT:
                ions[k, ION_E, i] = nernst(ions[k, ION_CI, i], ions[k, ION_CO, i], z, celsius)
