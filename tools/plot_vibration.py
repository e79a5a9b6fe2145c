#!/usr/bin/python3
"""Draw the (r_v, r_s) vibration maps written by fix vacancy/track (keyword vibration), for the
nearest neighbours of a vacancy and for the other atoms, each smoothed by a Gaussian filter
(sigma = 3 bins), like Fig. 4 of Liu, He & Mo (2023).

    tools/plot_vibration.py vib.txt [-o vibration.png] [--sigma 3]"""
import argparse
import sys

import numpy as np


def gaussian_filter(a, sigma):
    """Separable Gaussian smoothing with edge values repeated (numpy only)."""
    if sigma <= 0:
        return a
    r = int(4 * sigma + 0.5)
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = a.astype(float)
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r, r)
        p = np.pad(out, pad, mode="edge")
        out = np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), axis, p)
    return out


def read(path):
    grid = None
    for line in open(path):
        if line.startswith("# grid"):
            w = line.split()
            grid = (int(w[2]), int(w[3]), float(w[5]), float(w[6]))
    if grid is None:
        raise ValueError("%s: no '# grid' line; not a fix vacancy/track vibration file" % path)
    data = np.loadtxt(path, comments="#")
    nv, ns, rv, rs = grid
    return grid, data[:, 2].reshape(nv, ns), data[:, 3].reshape(nv, ns)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vibration")
    ap.add_argument("-o", "--output", default="vibration.png")
    ap.add_argument("--sigma", type=float, default=3.0, help="Gaussian filter width in bins (default 3)")
    args = ap.parse_args(argv)
    (nv, ns, rv, rs), nn, other = read(args.vibration)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, counts, title in ((axes[0], nn, "nearest neighbours of a vacancy"), (axes[1], other, "other atoms")):
        total = counts.sum()
        img = gaussian_filter(counts / total if total > 0 else counts, args.sigma)
        im = ax.imshow(img.T, origin="lower", extent=(0, rv, 0, rs), aspect="auto", cmap="viridis")
        ax.set_xlabel("r_v: distance to the nearest vacancy (A)")
        ax.set_ylabel("r_s: distance to own site (A)")
        ax.set_title("%s (%d samples)" % (title, total))
        fig.colorbar(im, ax=ax, label="fraction (smoothed)")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print("plot_vibration: wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
