#!/usr/bin/python3
"""Arrhenius fit of diffusivities with error bars, like Fig. 2 of Liu, He & Mo (2023).

    tools/arrhenius.py runs.txt [-o arrhenius.png] [--label SW]

runs.txt has one line per run: T (K), D, sigma_D (any one unit, e.g. A^2/ps from
fix vacancy/track: D = f_ID[5], sigma_D = f_ID[6] * f_ID[5]).  Lines starting with # are
comments.  Fits ln D = ln D0 - Ea / (kB T) by weighted least squares with weights 1/sigma of
ln D (sigma_lnD = sigma_D / D), propagates the errors into Ea and D0 through the covariance of
the fit, extrapolates D to 300 K, and plots log10 D against 1000/T."""
import argparse
import math
import sys

import numpy as np

KB = 8.617333262e-5    # eV/K


def fit(T, D, sD):
    """Weighted fit; returns dict with Ea, sEa (eV), D0, sD0, D300, sD300 (D's unit)."""
    x = 1.0 / np.asarray(T, float)
    y = np.log(np.asarray(D, float))
    s = np.asarray(sD, float) / np.asarray(D, float)
    if len(x) < 2:
        raise ValueError("need at least two temperatures")
    if np.any(s <= 0):
        raise ValueError("every sigma_D must be > 0")
    X = np.vstack([np.ones_like(x), x]).T
    W = np.diag(1.0 / s ** 2)
    cov = np.linalg.inv(X.T @ W @ X)
    a, b = cov @ X.T @ W @ y
    Ea, sEa = -b * KB, math.sqrt(cov[1, 1]) * KB
    D0, sD0 = math.exp(a), math.exp(a) * math.sqrt(cov[0, 0])
    x3 = 1.0 / 300.0
    ln300 = a + b * x3
    s300 = math.sqrt(cov[0, 0] + cov[1, 1] * x3 ** 2 + 2 * cov[0, 1] * x3)
    return {"Ea": Ea, "sEa": sEa, "D0": D0, "sD0": sD0, "a": a, "b": b, "D300": math.exp(ln300),
            "sD300": math.exp(ln300) * s300, "ln300_sigma": s300}


def read(path):
    rows = []
    for line in open(path):
        line = line.split("#")[0].split()
        if line:
            rows.append([float(v) for v in line[:3]])
    if not rows:
        raise ValueError("%s has no data lines" % path)
    return [list(c) for c in zip(*rows)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("-o", "--output", help="plot file (PNG); none: no plot")
    ap.add_argument("--label", default="MD")
    ap.add_argument("--unit", default="A^2/ps", help="unit of D, for the printout and the axis")
    args = ap.parse_args(argv)
    T, D, sD = read(args.data)
    r = fit(T, D, sD)
    print("Arrhenius fit of %d temperatures (%s):" % (len(T), args.label))
    print("  Ea = %.3f +- %.3f eV" % (r["Ea"], r["sEa"]))
    print("  D0 = %.4g +- %.2g %s" % (r["D0"], r["sD0"], args.unit))
    print("  D(300 K) = %.3g %s (1-sigma range %.3g - %.3g)" % (
        r["D300"], args.unit, r["D300"] * math.exp(-r["ln300_sigma"]), r["D300"] * math.exp(r["ln300_sigma"])))
    if args.output:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        inv = 1000.0 / np.asarray(T)
        logD = np.log10(D)
        err = np.asarray(sD) / np.asarray(D) / math.log(10)
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.errorbar(inv, logD, yerr=err, fmt="o", capsize=3, label=args.label)
        xs = np.linspace(min(inv) * 0.95, max(inv) * 1.05, 50)
        ax.plot(xs, (r["a"] + r["b"] * xs / 1000.0) / math.log(10), "-",
                label="Ea = %.2f +- %.2f eV" % (r["Ea"], r["sEa"]))
        ax.set_xlabel("1000/T (1/K)")
        ax.set_ylabel("log10 D (%s)" % args.unit)
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(args.output, dpi=110)
        print("arrhenius: wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
