#!/usr/bin/env bash
# The two Kokkos layouts of a KOKKOS LAMMPS that the tests' own build (DOWNLOAD_KOKKOS) does not
# cover, checked as a user's build would meet them: LAMMPS 4 Feb 2025 configured
#   external  with EXTERNAL_KOKKOS on a stand-alone, shared Kokkos 4.5.01 (OpenMP), and with
#             LAMMPS_SIZES=bigbig;
#   bundled   with the Kokkos 4.5.01 sources in its lib/kokkos (as in LAMMPS's own tarball;
#             Debian's source package drops lib/kokkos);
# then the plugin is configured against each LAMMPS build tree and built with its /kk styles.
# LAMMPS itself is only configured (its configuration is what the plugin reads), not built.
# Checks: CMake found that Kokkos, took the integer sizes, and the plugin links the shared Kokkos
# LAMMPS would load (external) or no Kokkos at all (bundled: static inside liblammps).
# Usage: kokkos-layouts-check.sh LAMMPS_KK_DIR WORK_DIR
#   LAMMPS_KK_DIR  the 2025kk cache directory of setup-lammps.sh: its LAMMPS sources and the
#                  Kokkos 4.5.01 sources that LAMMPS's DOWNLOAD_KOKKOS fetched and checked
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lammps=${1:?usage: kokkos-layouts-check.sh LAMMPS_KK_DIR WORK_DIR}
work=${2:?usage: kokkos-layouts-check.sh LAMMPS_KK_DIR WORK_DIR}
jobs=${MLIPEVAL_JOBS:-$(nproc)}
ksrc=$lammps/build/kokkos_build-prefix/src/kokkos_build
[ -f "$ksrc/CMakeLists.txt" ] || { echo "kokkos-layouts-check: no Kokkos sources in $ksrc (run make build-kk)" >&2; exit 1; }
mkdir -p "$work"
fail() { echo "kokkos-layouts-check: $layout: FAILED: $*" >&2; exit 1; }

# check LAYOUT LAMMPS_CMAKE_DIR EXPECTED_MESSAGE LAMMPS_OPTIONS...
check() {
  layout=$1 lmpcmake=$2 want=$3; shift 3
  local lb=$work/lammps-$layout pb=$work/plugin-$layout
  rm -rf "$lb" "$pb"
  cmake -S "$lmpcmake" -B "$lb" -D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D PKG_PLUGIN=on -D PKG_MANYBODY=on \
    -D PKG_KOKKOS=on -D CMAKE_BUILD_TYPE=Release "$@" >"$lb.log" 2>&1 ||
    { tail -30 "$lb.log" >&2; fail "LAMMPS did not configure (log: $lb.log)"; }
  cmake -S "$here/.." -B "$pb" -D LAMMPS_SOURCE_DIR="$(dirname "$lmpcmake")/src" -D LAMMPS_BINARY_DIR="$lb" \
    -D MLIPEVAL_TESTS=OFF >"$pb.configure.log" 2>&1 ||
    { tail -30 "$pb.configure.log" >&2; fail "the plugin did not configure (log: $pb.configure.log)"; }
  grep -F -- "$want" "$pb.configure.log" >/dev/null || { cat "$pb.configure.log" >&2; fail "no '$want'"; }
  if ! cmake --build "$pb" -j "$jobs" --target mlipevalplugin >"$pb.log" 2>&1; then
    grep -E "error" -A3 "$pb.log" | head -40 >&2
    fail "the plugin did not build (log: $pb.log)"
  fi
  plugin=$pb/mlipevalplugin.so
  [ "$(find "$pb" -name '*_kokkos.cpp.o' | wc -l)" -ge 5 ] || fail "the /kk styles were not compiled"
  own=$(nm -D --defined-only "$plugin" | c++filt | grep -E ' Kokkos::(initialize|finalize)\(' || true)
  [ -z "$own" ] || fail "the plugin defines Kokkos's runtime itself: $own"
}

# external, shared, bigbig
kdir=$(MLIPEVAL_KOKKOS_SOURCE=$ksrc bash "$here/setup-kokkos.sh" openmp | tail -1)
check external "$lammps/lammps/cmake" "against the external Kokkos in $kdir/install/lib" \
  -D EXTERNAL_KOKKOS=on -D Kokkos_DIR="$kdir/install/lib/cmake/Kokkos" -D LAMMPS_SIZES=bigbig
grep -q "integer sizes bigbig" "$work/plugin-external.configure.log" || fail "LAMMPS_SIZES=bigbig not taken"
grep -rq -- "-DLAMMPS_BIGBIG" "$work/plugin-external/CMakeFiles/mlipeval_kokkos.dir/flags.make" ||
  fail "the /kk objects were not compiled with LAMMPS_BIGBIG"
linked=$(ldd "$plugin" | awk '/libkokkoscore/ {print $3}')
[ "$(realpath "${linked:-/nonexistent}")" = "$(realpath "$kdir/install/lib/libkokkoscore.so")" ] ||
  fail "the plugin links '${linked:-no libkokkoscore}', not $kdir/install/lib/libkokkoscore.so"
echo "kokkos-layouts-check: external: OK: /kk styles built against $kdir (shared; the plugin links its libkokkoscore), bigbig"

# bundled: a LAMMPS tree whose lib/kokkos holds the Kokkos sources (links to the cached tree)
tree=$work/lammps-tree
rm -rf "$tree"; mkdir -p "$tree/lib"
for f in "$lammps/lammps"/*; do [ "$(basename "$f")" = lib ] || ln -s "$f" "$tree/$(basename "$f")"; done
for f in "$lammps/lammps/lib"/*; do ln -s "$f" "$tree/lib/$(basename "$f")"; done
ln -s "$ksrc" "$tree/lib/kokkos"
check bundled "$tree/cmake" "against the bundled Kokkos of the LAMMPS tree" \
  -D Kokkos_ENABLE_OPENMP=on -D Kokkos_ENABLE_SERIAL=on
[ -z "$(ldd "$plugin" | awk '/libkokkoscore/')" ] || fail "Kokkos is static in LAMMPS, but the plugin links a libkokkoscore"
echo "kokkos-layouts-check: bundled: OK: /kk styles built against $tree/lib/kokkos (static in liblammps; the plugin links none)"
