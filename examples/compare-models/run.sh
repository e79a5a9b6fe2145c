#!/usr/bin/env bash
# Compare potentials on two data sets, the paper's Fig. 6c: the mlearn linear and quadratic SNAP
# and the DFT baselines K1 and K2 on the authors' vacancy-RE test set, and the two SNAPs on the
# interstitial frames (65 atoms) of the enhanced validation set (which has no K1 or K2 forces).
# Needs ../shared (skips without it).
set -euo pipefail
lmp=$(realpath "${1:-build/lmp}")
here=$(cd "$(dirname "$0")" && pwd)
shared=$(realpath -m "$here/../../../shared")
data=$shared/data/si-liu2023
pot=$shared/potentials/si-snap-mlearn
if [ ! -f "$data/si_re_vacancy_test.extxyz" ] || [ ! -f "$data/si_enhanced_validation.extxyz" ] || [ ! -d "$pot" ]; then
  echo "compare-models: $data or $pot is absent; this example needs the authors' data in ../shared (skipped)"
  exit 0
fi
out=$here/out
mkdir -p "$out"
cd "$out"
# the interstitial frames of the enhanced validation set, into out/ (never into the repository)
/usr/bin/python3 - "$data/si_enhanced_validation.extxyz" "$out/evs_interstitial.extxyz" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(True)
kept, k = [], 0
while k < len(lines):
    n = int(lines[k])
    if n == 65:
        kept += lines[k:k + n + 2]
    k += n + 2
open(sys.argv[2], "w").writelines(kept)
print("compare-models: %d interstitial frames of 65 atoms" % (len(kept) // 67))
PY
evaluate() {    # name, data file, extra -var arguments
  local name=$1 file=$2; shift 2
  "$lmp" -in "$here/../evaluate-dataset/in.evaluate" -var data "$file" -var summary "$out/$name.json" "$@" \
    -log "$out/log.$name" -screen none
}
snap=(-var pair snap -var coeff "* * $pot/snap/SNAPotential.snapcoeff $pot/snap/SNAPotential.modern.snapparam Si")
qsnap=(-var pair snap -var coeff "* * $pot/qsnap/SNAPotential.snapcoeff $pot/qsnap/SNAPotential.modern.snapparam Si")
vac=$data/si_re_vacancy_test.extxyz
int=$out/evs_interstitial.extxyz
evaluate snap_vac "$vac" "${snap[@]}"
evaluate qsnap_vac "$vac" "${qsnap[@]}"
evaluate k1_vac "$vac" -var predicted forces_k1
evaluate k2_vac "$vac" -var predicted forces_k2
evaluate snap_int "$int" "${snap[@]}"
evaluate qsnap_int "$int" "${qsnap[@]}"
/usr/bin/python3 "$here/../../tools/compare_models.py" -o compare.png --x vacancy-RE --y interstitial \
  --subset re --baseline K1 \
  snap_vac.json:SNAP:vacancy-RE:SNAP qsnap_vac.json:qSNAP:vacancy-RE:SNAP \
  snap_int.json:SNAP:interstitial:SNAP qsnap_int.json:qSNAP:interstitial:SNAP \
  k1_vac.json:K1:vacancy-RE:DFT k2_vac.json:K2:vacancy-RE:DFT
