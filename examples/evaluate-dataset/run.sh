#!/usr/bin/env bash
# Score the DFT K2 and K1 baselines and the mlearn Si SNAP against the K4 forces of the
# authors' vacancy-RE test set, then plot the CDFs.  Needs ../shared (skips without it).
set -euo pipefail
lmp=$(realpath "${1:-build/lmp}")
here=$(cd "$(dirname "$0")" && pwd)
shared=$(realpath -m "$here/../../../shared")
data=$shared/data/si-liu2023/si_re_vacancy_test.extxyz
snap=$shared/potentials/si-snap-mlearn/snap
if [ ! -f "$data" ]; then
  echo "evaluate-dataset: $data is absent; this example needs the authors' data in ../shared (skipped)"
  exit 0
fi
out=$here/out
mkdir -p "$out"
cd "$out"
run() {    # name, extra -var arguments
  local name=$1; shift
  "$lmp" -in "$here/in.evaluate" -var data "$data" -var summary "$out/$name.json" "$@" -log "$out/log.$name" -screen none
}
run k2 -var predicted forces_k2
run k1 -var predicted forces_k1
run snap -var pair snap -var coeff "* * $snap/SNAPotential.snapcoeff $snap/SNAPotential.modern.snapparam Si"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print("%-6s %-6s %6s %8s %8s %8s %10s %10s %10s %8s" % ("model", "atoms", "n", "NAC_F", "NAC_th", "P",
                                                        "|dF|>0.5", "dth>15", "dth>30", "RMSE"))
for name in ("k2", "k1", "snap"):
    d = json.load(open("%s/%s.json" % (out, name)))
    for sub in ("re", "near", "other", "all"):
        s = d["subsets"][sub]
        print("%-6s %-6s %6d %8.4f %8.4f %8.4f %9.2f%% %9.2f%% %9.2f%% %8.4f" % (
            name.upper(), sub, s["n"], s["nac_f"], s["nac_theta"], s["p"], 100 * s["frac_f_gt_0.5"],
            100 * s["frac_theta_gt_15"], 100 * s["frac_theta_gt_30"], s["rmse"]))
PY
/usr/bin/python3 "$here/../../tools/plot_cdf.py" -o "$out/cdf.png" --subset re --also all \
  "$out/snap.json:SNAP" "$out/k1.json:K1" "$out/k2.json:K2"
