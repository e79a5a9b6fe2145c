#!/usr/bin/python3
"""Checks of tools/arrhenius.py and tools/plot_vibration.py with exact answers.
Prints 'N passed, N failed' (CTest reads the exit code)."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import numpy as np  # noqa: E402

import arrhenius  # noqa: E402
import plot_vibration  # noqa: E402

passed = failed = 0


def check(name, cond):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAILED:", name)


# exact Arrhenius data: Ea = 0.5 eV, D0 = 2 -> recovered exactly, whatever the weights
T = [800.0, 1000.0, 1200.0, 1500.0]
D = [2.0 * math.exp(-0.5 / (arrhenius.KB * t)) for t in T]
r = arrhenius.fit(T, D, [0.1 * d for d in D])
check("Ea exact", abs(r["Ea"] - 0.5) < 1e-10)
check("D0 exact", abs(r["D0"] - 2.0) < 1e-8)
check("D300 extrapolated", abs(r["D300"] - 2.0 * math.exp(-0.5 / (arrhenius.KB * 300))) < 1e-12 * r["D300"] + 1e-300)
# two points: sigma(Ea) = kB sqrt(s1^2 + s2^2) / |1/T1 - 1/T2| with s = sigma of ln D
r2 = arrhenius.fit([1000.0, 1250.0], [0.01, 0.04], [0.001, 0.002])
expect = arrhenius.KB * math.sqrt(0.1 ** 2 + 0.05 ** 2) / (1 / 1000.0 - 1 / 1250.0)
check("two-point Ea error", abs(r2["sEa"] - expect) < 1e-12)
check("two-point Ea", abs(r2["Ea"] - arrhenius.KB * math.log(4.0) / (1 / 1000.0 - 1 / 1250.0)) < 1e-12)
try:
    arrhenius.fit([1000.0], [1.0], [0.1])
    check("one temperature refused", False)
except ValueError:
    check("one temperature refused", True)

# Gaussian filter: keeps the total away from the edges, and a delta becomes a Gaussian of sigma 3
a = np.zeros((41, 41))
a[20, 20] = 1.0
g = plot_vibration.gaussian_filter(a, 3.0)
check("filter keeps the sum", abs(g.sum() - 1.0) < 1e-12)
row = g[20, :] / g[20, 20]
check("filter width", abs(row[23] - math.exp(-0.5)) < 1e-3)
check("filter symmetric", np.allclose(g, g.T))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
