"""Ions: the per-segment reversal potential, concentrations and current of each ion species.

NEURON hard-codes ions as built-in mechanisms (``na_ion``, ``k_ion``, ``ca_ion``, ...). Their
variables are stored per node in the model's ``ions`` array with the rows ``e`` (mV), inside
and outside concentration (mM), current (mA/cm²) and its derivative with respect to v.
Defaults and the Nernst constants are those of NEURON 9 (``membdef.h``, ``eion.cpp``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

ION_FIELDS = 5  # e, ci, co, i, di/dv

# CODATA 2018, exact, as NEURON 9 (nrnunits.h)
# products of the exact SI constants, as nrnunits.h computes them (8.314462618153241, the
# rounded decimal, is one ulp away and shifts every Nernst potential in the last bits)
FARADAY = 1.602176634e-19 * 6.02214076e23  # C/mol
GAS_CONSTANT = 1.380649e-23 * 6.02214076e23  # J/(mol K)

# (charge, inside mM, outside mM, reversal mV) as in NEURON's membdef.h
_DEFAULTS: dict[str, tuple[float, float, float, float]] = {
    "na": (1.0, 10.0, 140.0, 50.0),
    "k": (1.0, 54.4, 2.5, -77.0),
    "ca": (2.0, 5e-5, 2.0, 12.5 * math.log(2.0 / 5e-5)),
}


@dataclass
class IonType:
    """One ion species: names of its variables and their defaults."""

    name: str
    charge: float
    ci0: float
    co0: float
    e0: float
    range_names: list[str] = field(init=False)
    range_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        x = self.name
        self.range_names = [f"e{x}", f"{x}i", f"{x}o", f"i{x}", f"di{x}_dv_"]
        self.range_index = {v: i for i, v in enumerate(self.range_names)}

    @property
    def defaults(self) -> np.ndarray:
        return np.array([self.e0, self.ci0, self.co0, 0.0, 0.0])

    def default_block(self, nseg: int) -> np.ndarray:
        return np.repeat(self.defaults[:, None], nseg, axis=1)


_ion_types: dict[str, IonType] = {}


def ion_type(name: str, charge: float | None = None) -> IonType:
    """The ion species ``name``, created on first use (unknown ions: z = charge or 1, conc 1)."""
    ion = _ion_types.get(name)
    if ion is None:
        z, ci, co, e = _DEFAULTS.get(name, (charge if charge is not None else 1.0, 1.0, 1.0, 0.0))
        ion = IonType(name, z, ci, co, e)
        _ion_types[name] = ion
    return ion
