#!/usr/bin/env bash
# make fuzz: libFuzzer targets for the three file readers of the core (extended xyz, the dump
# reference of fix force/reference, the sites file of compute re/atom), built with Debian's
# clang 14 (clang-14, and libclang-rt-14-dev, which ships libFuzzer's runtime) together with
# AddressSanitizer and UndefinedBehaviorSanitizer, and each run for FUZZ_SECONDS (default 60)
# from the seed corpus in unittest/fuzz/corpus: the project's own small files, never ../shared.
# A crash, a sanitizer report, a leak, an input slower than 10 s or above 2 GB fails.
# Usage: fuzz.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:?usage: fuzz.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
bash "$here/setup-deps.sh" clang-14 libclang-rt-14-dev
mkdir -p "$out/obj"
cxx="clang++-14 -std=c++17 -g -O1 -pthread -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
src=$root/src/USER-MLIPEVAL
objs=()
pids=()
for f in "$src"/core/*.cpp; do
  o=$out/obj/$(basename "${f%.cpp}").o
  objs+=("$o")
  $cxx -fsanitize=fuzzer-no-link -I "$src" -I /usr/include/eigen3 -c "$f" -o "$o" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
status=0
for t in extxyz:xyz:extxyz,sites dump_reference:dump:dump site_file:xyz:sites,extxyz; do
  IFS=: read -r name dict seeds <<< "$t"
  $cxx -fsanitize=fuzzer -I "$src" "$root/unittest/fuzz/fuzz_$name.cpp" "${objs[@]}" -o "$out/fuzz_$name"
  corpus=$out/corpus_$name    # what the fuzzer found worth keeping; the seeds stay as they are
  mkdir -p "$corpus"
  dirs=()
  for s in ${seeds//,/ }; do dirs+=("$root/unittest/fuzz/corpus/$s"); done
  echo "fuzz: $name for $seconds s"
  if ! (cd "$out" && "$out/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
          -dict="$root/unittest/fuzz/$dict.dict" -print_final_stats=1 "$corpus" "${dirs[@]}" \
          > "$out/fuzz_$name.log" 2>&1); then
    echo "fuzz: $name FAILED; the input that failed is in $out (crash-*, leak-*, timeout-*, oom-*):" >&2
    tail -40 "$out/fuzz_$name.log" >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz_$name.log" | tr '\n' ' '
  echo
done
exit $status
