"""Named unit constants of UNITS blocks, e.g. ``FARADAY = (faraday) (coulomb)``.

Values are NEURON 9's (CODATA 2018, exact SI constants), as nocmodl bakes them into C.
Only factors into the base unit of each quantity are known; anything else is refused.
"""

from __future__ import annotations

import math

_E = 1.602176634e-19  # elementary charge, coulomb
_NA = 6.02214076e23  # Avogadro, /mole
_K = 1.380649e-23  # Boltzmann, joule/K

#: unit name -> (value, dimension key)
_QUANTITIES: dict[str, tuple[float, str]] = {
    "faraday": (_E * _NA, "charge/mol"),
    "k-mole": (_K * _NA, "energy/temperature/mol"),
    "e": (_E, "charge"),
    "k": (_K, "energy/temperature"),
    "pi": (math.pi, "1"),
    "mole": (_NA, "1"),
    "avogadro": (_NA, "1"),
}

#: target unit -> (scale, dimension key): value in target = value / scale
_TARGETS: dict[str, tuple[float, str]] = {
    "coulomb": (1.0, "charge"),
    "coulombs": (1.0, "charge"),
    "coul": (1.0, "charge"),
    "kilocoulomb": (1e3, "charge"),
    "kilocoulombs": (1e3, "charge"),
    "joule/degC": (1.0, "energy/temperature"),
    "joule/K": (1.0, "energy/temperature"),
    "joule/kelvin": (1.0, "energy/temperature"),
    "1": (1.0, "1"),
}


def unit_factor(unit: str, target: str) -> float | None:
    """Value of ``(unit)`` expressed in ``(target)``, or None if this pair is not known."""
    unit = unit.strip()
    target = target.strip()
    if unit not in _QUANTITIES or target not in _TARGETS:
        return None
    value, dim = _QUANTITIES[unit]
    scale, tdim = _TARGETS[target]
    # A per-mole quantity against a plain target (faraday in coulomb) means per mole.
    if dim.endswith("/mol") and dim[: -len("/mol")] == tdim:
        return value / scale if scale != 1.0 else value
    if dim == tdim:
        return value / scale if scale != 1.0 else value
    return None
