#!/usr/bin/python3
"""Draw the CDFs of |dF| and dtheta from fix force/reference summary files, one curve per
model (like Fig. 5 of Liu, He & Mo, npj Comput. Mater. 9, 174, 2023).

    tools/plot_cdf.py -o cdf.png snap.json:SNAP k1.json:K1 k2.json:K2 [--subset re]

Each argument is FILE or FILE:LABEL.  The legend gives each model's NAC and P for the subset.
Uses Debian's python3-matplotlib (run with /usr/bin/python3)."""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(spec):
    path, _, label = spec.partition(":")
    with open(path) as fh:
        data = json.load(fh)
    return label or os.path.splitext(os.path.basename(path))[0], data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summaries", nargs="+", help="summary JSON files, FILE or FILE:LABEL")
    ap.add_argument("-o", "--output", default="cdf.png", help="image file (default cdf.png)")
    ap.add_argument("--subset", default="re", choices=["re", "near", "other", "all"],
                    help="atoms to plot (default re)")
    ap.add_argument("--also", choices=["re", "near", "other", "all"],
                    help="a second subset drawn dashed, e.g. --also all")
    args = ap.parse_args(argv)

    fig, (axf, axt) = plt.subplots(1, 2, figsize=(10, 4))
    for index, spec in enumerate(args.summaries):
        label, data = load(spec)
        color = "C%d" % (index % 10)    # one colour per model, the subsets by line style
        for subset, style in ((args.subset, "-"), (args.also, "--")):
            if not subset:
                continue
            s = data["subsets"][subset]
            if s["n"] == 0:
                print("plot_cdf: %s has no atoms in subset %s" % (label, subset), file=sys.stderr)
                continue
            for ax, key, rng in ((axf, "cdf_f", data.get("range_f", 1.0)), (axt, "cdf_theta", data.get("range_theta", 90.0))):
                cdf = s[key]
                edges = [rng * (k + 1) / len(cdf) for k in range(len(cdf))]
                nac = s["nac_f"] if key == "cdf_f" else s["nac_theta"]
                ax.plot([0.0] + edges, [0.0] + cdf, style, color=color,
                                label="%s %s (NAC %.3f, P %.3f)" % (label, subset, nac, s["p"]))
    axf.set_xlabel("|dF| (eV/A)")
    axt.set_xlabel("dtheta (degrees)")
    for ax in (axf, axt):
        ax.set_ylabel("CDF")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    title = "Force errors against the reference: %s atoms" % args.subset
    if args.also:
        title += " (solid), %s atoms (dashed)" % args.also
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print("plot_cdf: wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
