#!/usr/bin/env bash
# Vacancy diffusivity of Si under Stillinger-Weber at four temperatures, Arrhenius fit and plot,
# vibration maps at 1230 K.  About 1-2 minutes on 2 cores.
set -euo pipefail
lmp=$(realpath "${1:-build/lmp}")
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
mkdir -p "$out"
cd "$out"
temps="1000 1230 1400 1600"
ps=${PS:-100}
pids=()
for T in $temps; do    # two at a time on the two cores
  "$lmp" -in "$here/in.diffusion" -var T "$T" -var ps "$ps" -var out "sw_$T" -log "log.sw_$T" -screen none &
  pids+=($!)
  if [ ${#pids[@]} -ge "$(nproc)" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait
# two estimates of the vacancy diffusivity: the slope of the vacancy MSD (error bar: He et al.
# 2018 RSD), and the hop rate, D = rate d^2 / 6 for the uncorrelated walk of a single vacancy
# (error bar: sqrt(hops) / hops), with d = a sqrt(3) / 4
echo "# T(K) D_vac(A^2/ps) sigma_D  -- from the vacancy MSD; SW, one vacancy in 215 atoms, ${ps} ps" > sw_msd.dat
echo "# T(K) D_vac(A^2/ps) sigma_D  -- from the hop rate; SW, one vacancy in 215 atoms, ${ps} ps" > sw_hops.dat
for T in $temps; do
  line=$(grep '^RESULT' "log.sw_$T")
  echo "$line"
  set -- $line
  awk -v T="$3" -v D="$5" -v R="$7" 'BEGIN { printf "%s %s %.6g\n", T, D, D * R }' >> sw_msd.dat
  awk -v T="$3" -v N="${11}" -v ps="$ps" 'BEGIN { d2 = (5.431 * sqrt(3) / 4)^2; D = N / ps * d2 / 6;
        printf "%s %.6g %.6g\n", T, D, D / sqrt(N) }' >> sw_hops.dat
done
/usr/bin/python3 "$here/../../tools/arrhenius.py" sw_msd.dat -o arrhenius_msd.png --label "SW vacancy, MSD"
/usr/bin/python3 "$here/../../tools/arrhenius.py" sw_hops.dat -o arrhenius_hops.png --label "SW vacancy, hop rate"
/usr/bin/python3 "$here/../../tools/plot_vibration.py" sw_1230.vib -o vibration_1230.png
