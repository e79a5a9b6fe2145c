#!/usr/bin/python3
"""Compare many potentials over several data sets from fix force/reference summary files:
one table of NAC(dF), NAC(dtheta), P and the error fractions per subset, and the figure of
Fig. 6c of Liu, He & Mo (npj Comput. Mater. 9, 174, 2023): P on one data set against P on
another, one point per model, the Pareto front of each model family, a baseline as lines.

    tools/compare_models.py -o p.png --x vacancy --y interstitial --baseline K1 \\
        snap_v.json:SNAP:vacancy:SNAP snap_i.json:SNAP:interstitial:SNAP \\
        qsnap_v.json:qSNAP:vacancy:SNAP k1_v.json:K1:vacancy ...

Each summary is FILE:MODEL:DATASET[:FAMILY]; the family defaults to the model.  --subset
(default re) is the subset whose P the figure plots.  Without --x and --y only the table is
printed.  A point needs the model's P on both data sets; a baseline is drawn on each axis where
it has a P (a vertical line for its P on --x, a horizontal one for --y).
Uses Debian's python3-matplotlib (run with /usr/bin/python3)."""
import argparse
import json
import sys

SUBSETS = ("re", "near", "other", "all")
# summary key, heading, width, kind: n a count, f a figure, % a fraction printed in per cent
COLUMNS = (("n", "n", 7, "n"), ("nac_f", "NAC_F", 8, "f"), ("nac_theta", "NAC_th", 8, "f"), ("p", "P", 8, "f"),
           ("frac_f_gt_0.5", "|dF|>0.5", 9, "%"), ("frac_theta_gt_15", "dth>15", 8, "%"),
           ("frac_theta_gt_30", "dth>30", 8, "%"))


def cell(v, width, kind):
    """One figure of the table; a figure that a subset cannot have (the summary's -1) is '-'."""
    if v is None or v < 0:
        return "-".rjust(width)
    if kind == "n":
        return "%*d" % (width, v)
    if kind == "f":
        return "%*.4f" % (width, v)
    return "%*.2f%%" % (width - 1, 100 * v)


class Error(Exception):
    pass


def parse_spec(spec):
    """FILE:MODEL:DATASET[:FAMILY] -> (file, model, dataset, family)."""
    parts = spec.split(":")
    if len(parts) not in (3, 4) or not all(parts):
        raise Error("summary '%s' must be FILE:MODEL:DATASET or FILE:MODEL:DATASET:FAMILY" % spec)
    return parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else parts[1]


def load(specs):
    """The summaries as {(model, dataset): {"family":..., "subsets":...}}, checked."""
    runs = {}
    for spec in specs:
        path, model, dataset, family = parse_spec(spec)
        try:
            with open(path) as fh:
                data = json.load(fh)
        except (OSError, ValueError) as e:
            raise Error("%s: %s" % (path, e))
        subsets = data.get("subsets") if isinstance(data, dict) else None
        if not isinstance(subsets, dict) or any(s not in subsets for s in SUBSETS):
            raise Error("%s: not a fix force/reference summary (no subsets %s)" % (path, ", ".join(SUBSETS)))
        if (model, dataset) in runs:
            raise Error("%s: model %s on data set %s is given twice" % (path, model, dataset))
        runs[(model, dataset)] = {"family": family, "subsets": subsets}
    return runs


def table(runs):
    """The text of the table: a row per data set, model and subset."""
    lines = ["%-10s %-14s %-6s" % ("model", "data set", "atoms") + "".join(" %*s" % (w, h) for _, h, w, _ in COLUMNS)]
    for (model, dataset) in sorted(runs, key=lambda k: (k[1], k[0])):
        subsets = runs[(model, dataset)]["subsets"]
        for sub in SUBSETS:
            cells = "".join(" " + cell(subsets[sub].get(key, -1), w, kind) for key, _, w, kind in COLUMNS)
            lines.append("%-10s %-14s %-6s%s" % (model, dataset, sub, cells))
    return "\n".join(lines)


def pareto_front(points):
    """The points (x, y) not dominated by another (both larger or equal, one larger), by x."""
    front = []
    for p in sorted(set(points), key=lambda q: (-q[0], -q[1])):
        if not front or p[1] > front[-1][1]:
            front.append(p)
    return sorted(front)


def points(runs, x, y, subset, baseline=None):
    """{family: [(P on x, P on y, model)]} for the models (the baseline aside) with a defined P
    on both sets."""
    out = {}
    for (model, dataset), run in runs.items():
        if dataset != x or (model, y) not in runs or model == baseline:
            continue
        px = run["subsets"][subset]["p"]
        py = runs[(model, y)]["subsets"][subset]["p"]
        if px < 0 or py < 0:
            continue
        out.setdefault(run["family"], []).append((px, py, model))
    return out


def draw(runs, x, y, subset, baseline, output):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fams = points(runs, x, y, subset, baseline)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for k, (family, pts) in enumerate(sorted(fams.items())):
        color = "C%d" % (k % 10)
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=color, label=family, zorder=3)
        for px, py, model in pts:
            ax.annotate(model, (px, py), textcoords="offset points", xytext=(4, 4), fontsize=8)
        front = pareto_front([(p[0], p[1]) for p in pts])
        if len(front) > 1:
            ax.plot([p[0] for p in front], [p[1] for p in front], "-", color=color, alpha=0.7)
    drawn = []
    xs = [p[0] for v in fams.values() for p in v]
    ys = [p[1] for v in fams.values() for p in v]
    if baseline:
        for dataset, line, values in ((x, ax.axvline, xs), (y, ax.axhline, ys)):
            run = runs.get((baseline, dataset))
            if run and run["subsets"][subset]["p"] >= 0:
                line(run["subsets"][subset]["p"], color="grey", linestyle="--", label="%s on %s" % (baseline, dataset))
                values.append(run["subsets"][subset]["p"])
                drawn.append(dataset)
    # at least 0.1 of P on each axis, so that close points do not look far apart
    for axis, values in ((ax.set_xlim, xs), (ax.set_ylim, ys)):
        if values:
            mid, half = (min(values) + max(values)) / 2, max(0.05, (max(values) - min(values)) / 2 + 0.02)
            axis(max(0.0, mid - half), min(1.0, mid + half))
    ax.set_xlabel("P on %s (%s atoms)" % (x, subset))
    ax.set_ylabel("P on %s (%s atoms)" % (y, subset))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(output, dpi=120)
    return sum(len(p) for p in fams.values()), drawn


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summaries", nargs="+", help="FILE:MODEL:DATASET[:FAMILY]")
    ap.add_argument("--x", help="data set of the horizontal axis")
    ap.add_argument("--y", help="data set of the vertical axis")
    ap.add_argument("--subset", default="re", choices=SUBSETS, help="subset whose P is plotted (default re)")
    ap.add_argument("--baseline", help="model drawn as lines, not as a point (e.g. K1)")
    ap.add_argument("-o", "--output", default="compare.png", help="image file (default compare.png)")
    args = ap.parse_args(argv)
    try:
        runs = load(args.summaries)
        if bool(args.x) != bool(args.y):
            raise Error("give both --x and --y, or neither")
        datasets = {d for _, d in runs}
        for axis in (args.x, args.y):
            if axis and axis not in datasets:
                raise Error("data set '%s' is in no summary (have: %s)" % (axis, ", ".join(sorted(datasets))))
        print(table(runs))
        if args.x:
            n, drawn = draw(runs, args.x, args.y, args.subset, args.baseline, args.output)
            print("compare_models: wrote %s (%d models with P on both %s and %s%s)" % (
                args.output, n, args.x, args.y,
                "; baseline %s on %s" % (args.baseline, " and ".join(drawn)) if drawn else ""))
    except Error as e:
        print("compare_models: error: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
