"""Unit multipliers, as `neuron.units`: NEURON's native units are mV, ms, µm, mM.

Write ``soma.L = 20 * um`` or ``n.continuerun(0.5 * s)``; every name is the factor that turns
a quantity in that unit into NEURON's native unit for its dimension.
"""

# length (native: µm)
m = 1e6
cm = 1e4
mm = 1e3
um = μm = 1.0
nm = 1e-3
# time (native: ms)
ms = 1.0
us = μs = 1e-3
s = sec = 1e3
minute = 60e3
hour = 3600e3
day = 86400e3
# voltage (native: mV)
V = 1e3
mV = 1.0
uV = μV = 1e-3
# concentration (native: mM)
M = 1e3
mM = 1.0
uM = μM = 1e-3
nM = 1e-6
