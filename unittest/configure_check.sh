#!/usr/bin/env bash
# Configure-time checks of cmake/MlipevalPlugin.cmake against made-up LAMMPS build trees: what
# cannot work is refused with a clear message, and the integer sizes come from the LAMMPS build.
# Usage: configure_check.sh CASE PROJECT_ROOT LAMMPS_SOURCE_DIR
# Each case prints "configure check CASE: OK" when CMake said what it must.
set -uo pipefail
case_=$1 root=$2 lmpsrc=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/mlipeval-configure-$case_.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin=$work/lammps-build src=$lmpsrc
mkdir -p "$bin"

# a LAMMPS source tree whose lib/kokkos is (a stand-in for) the bundled Kokkos
fake_bundled_tree() {
  src=$work/lammps/src
  mkdir -p "$src" "$work/lammps/lib/kokkos/core/src"
  for h in lammps.h modify.h domain.h; do ln -s "$lmpsrc/$h" "$src/$h"; done
  touch "$work/lammps/lib/kokkos/core/src/Kokkos_Core.hpp"
}

case $case_ in
  sizes_bigbig)      # taken from the LAMMPS build, not assumed
    printf 'LAMMPS_SIZES:STRING=BIGBIG\nLAMMPS_MEMALIGN:STRING=32\n' > "$bin/CMakeCache.txt"
    want='integer sizes bigbig, memory alignment 32'; fails=0 ;;
  sizes_unknown)
    printf 'LAMMPS_SIZES:STRING=tiny\n' > "$bin/CMakeCache.txt"
    want="LAMMPS_SIZES 'tiny' of the LAMMPS build is not smallbig, bigbig or smallsmall"; fails=1 ;;
  no_cache)          # legal, but the layout is a guess: said so
    want='No CMakeCache.txt in LAMMPS_BINARY_DIR'; fails=0 ;;
  external_no_dir)
    printf 'PKG_KOKKOS:BOOL=ON\nEXTERNAL_KOKKOS:BOOL=ON\n' > "$bin/CMakeCache.txt"
    want='uses an external Kokkos, but its CMakeCache names no Kokkos_DIR'; fails=1 ;;
  download_unbuilt)
    printf 'PKG_KOKKOS:BOOL=ON\nDOWNLOAD_KOKKOS:BOOL=ON\n' > "$bin/CMakeCache.txt"
    want='holds no KokkosConfig.cmake: build that LAMMPS first'; fails=1 ;;
  bundled_unconfigured)
    fake_bundled_tree
    printf 'PKG_KOKKOS:BOOL=ON\n' > "$bin/CMakeCache.txt"
    want='KokkosCore_config.h is missing'; fails=1 ;;
  bundled_cuda)      # its device flags are not exported from the LAMMPS build tree
    fake_bundled_tree
    mkdir -p "$bin/lib/kokkos"
    printf '#define KOKKOS_ENABLE_CUDA\n#define KOKKOS_ENABLE_SERIAL\n' > "$bin/lib/kokkos/KokkosCore_config.h"
    printf 'PKG_KOKKOS:BOOL=ON\n' > "$bin/CMakeCache.txt"
    want='bundled Kokkos of .* targets CUDA'; fails=1 ;;
  *) echo "configure_check.sh: unknown case '$case_'"; exit 2 ;;
esac

cmake -S "$root" -B "$work/plugin" -D MLIPEVAL_TESTS=OFF -D LAMMPS_SOURCE_DIR="$src" \
  -D LAMMPS_BINARY_DIR="$bin" > "$work/log" 2>&1
rc=$?
# CMake wraps long messages: join the lines before matching
text=$(tr -s ' \n' ' ' < "$work/log")
if ! grep -Eq -- "$want" <<< "$text"; then
  cat "$work/log"; echo "configure check $case_: FAILED: no message matching '$want'"; exit 1
fi
if [ "$fails" = 1 ] && [ $rc = 0 ]; then
  cat "$work/log"; echo "configure check $case_: FAILED: configure went on"; exit 1
fi
if [ "$fails" = 0 ] && [ $rc != 0 ]; then
  cat "$work/log"; echo "configure check $case_: FAILED: configure refused"; exit 1
fi
echo "configure check $case_: OK"
