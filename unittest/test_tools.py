#!/usr/bin/python3
"""Checks of tools/arrhenius.py, tools/plot_vibration.py and tools/compare_models.py with exact answers.
Prints 'N passed, N failed' (CTest reads the exit code)."""
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import numpy as np  # noqa: E402

import arrhenius  # noqa: E402
import compare_models  # noqa: E402
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

# compare_models: summaries of four models on two data sets, a baseline on one
with tempfile.TemporaryDirectory() as tmp:
    def summary(name, p_re, nac_f=0.9, n_theta_none=False):
        sub = {"n": 10, "nac_f": nac_f, "nac_theta": 0.95, "p": p_re, "frac_f_gt_0.5": 0.125,
               "frac_theta_gt_15": 0.25, "frac_theta_gt_30": 0.0, "rmse": 0.1, "mae": 0.05}
        other = dict(sub, p=-1.0 if n_theta_none else 0.5)
        path = os.path.join(tmp, name + ".json")
        with open(path, "w") as fh:
            json.dump({"subsets": {"re": sub, "near": other, "other": other, "all": other}}, fh)
        return path

    specs = [summary("a_v", 0.70) + ":A:vac:SNAP", summary("a_i", 0.60) + ":A:int:SNAP",
             summary("b_v", 0.80) + ":B:vac:SNAP", summary("b_i", 0.50) + ":B:int:SNAP",
             summary("c_v", 0.65) + ":C:vac:SNAP", summary("c_i", 0.55) + ":C:int:SNAP",
             summary("m_v", 0.75, n_theta_none=True) + ":M:vac:MTP", summary("m_i", 0.72) + ":M:int:MTP",
             summary("k1_v", 0.83) + ":K1:vac"]
    runs = compare_models.load(specs)
    check("families", runs[("A", "vac")]["family"] == "SNAP" and runs[("K1", "vac")]["family"] == "K1")
    text = compare_models.table(runs).splitlines()
    check("table rows", len(text) == 1 + 4 * 9)
    row = [ln for ln in text if ln.startswith("B ") and " vac " in ln and " re " in ln][0].split()
    check("table figures", row[3:] == ["10", "0.9000", "0.9500", "0.8000", "12.50%", "25.00%", "0.00%"])
    row = [ln for ln in text if ln.startswith("M ") and " vac " in ln and " near " in ln][0].split()
    check("undefined P printed as -", row[6] == "-")
    pts = compare_models.points(runs, "vac", "int", "re", baseline="K1")
    check("points per family", sorted(p[2] for p in pts["SNAP"]) == ["A", "B", "C"] and len(pts["MTP"]) == 1)
    # C (0.65, 0.55) is dominated by A (0.70, 0.60); A and B are not
    check("pareto front", compare_models.pareto_front([(p[0], p[1]) for p in pts["SNAP"]]) == [(0.7, 0.6), (0.8, 0.5)])
    check("pareto ties", compare_models.pareto_front([(0.5, 0.5), (0.5, 0.5), (0.4, 0.6)]) == [(0.4, 0.6), (0.5, 0.5)])
    png = os.path.join(tmp, "p.png")
    n, drawn = compare_models.draw(runs, "vac", "int", "re", "K1", png)
    check("figure written", n == 4 and drawn == ["vac"] and os.path.getsize(png) > 1000)
    for bad, why in (([specs[0].rsplit(":", 2)[0]], "FILE:MODEL:DATASET"), ([specs[0], specs[0]], "given twice"),
                     (["/nonexistent.json:A:vac"], "/nonexistent.json")):
        try:
            compare_models.load(bad)
            check("refused: " + why, False)
        except compare_models.Error as e:
            check("refused: " + why, why in str(e))
    notsummary = os.path.join(tmp, "x.json")
    with open(notsummary, "w") as fh:
        json.dump({"frames": 3}, fh)
    try:
        compare_models.load([notsummary + ":A:vac"])
        check("not a summary", False)
    except compare_models.Error as e:
        check("not a summary", "not a fix force/reference summary" in str(e))
    check("unknown data set", compare_models.main(specs + ["--x", "vac", "--y", "nope", "-o", png]) == 2)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
