#!/usr/bin/env bash
# Occurrence of split-<110>, T and H interstitials in 200 ps at 1230 K under SW and Tersoff
# (both at once on 2 cores, about 2-3 minutes).
set -euo pipefail
lmp=$(realpath "${1:-build/lmp}")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/out" && cd "$here/out"
ps=${PS:-200}
"$lmp" -in "$here/in.interstitial" -var ps "$ps" -log log.sw -screen none &
"$lmp" -in "$here/in.interstitial" -var ps "$ps" -var pair tersoff -var coeff "* * Si.tersoff Si" \
  -log log.tersoff -screen none &
wait
grep -h '^FREQUENCY' log.sw log.tersoff
