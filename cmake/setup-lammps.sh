#!/usr/bin/env bash
# Fetch LAMMPS from Debian's source packages and build it once into a cache outside the repo
# (the Kokkos profile builds Kokkos 4.5.01 through LAMMPS's own DOWNLOAD_KOKKOS).
# Usage: setup-lammps.sh PROFILE
#   2025    LAMMPS 4 Feb 2025 (trixie lammps 20250204+dfsg.1-2): PLUGIN MANYBODY ML-SNAP
#           EXTRA-COMPUTE VORONOI, MPI, shared library
#   2026    LAMMPS 4 Jul 2026 (sid lammps 20260704+dfsg-2; its .dsc is missing on the archive, the
#           orig tarball arrives): the plain styles' compatibility build, options as 2025
#   2025gpu the same LAMMPS with KOKKOS on the CUDA Kokkos in $MLIPEVAL_KOKKOS_CUDA (an install of
#           setup-kokkos.sh cuda), compiled by its nvcc_wrapper: PLUGIN MANYBODY (make test-gpu)
#   2025kk  the same LAMMPS as 2025 with KOKKOS (OpenMP + Serial) on Kokkos 4.5.01, built by LAMMPS's own
#           DOWNLOAD_KOKKOS from ../shared/vendor/kokkos-4.5.01.tar.gz when it is there
#           (MLIPEVAL_KOKKOS_TARBALL overrides; else LAMMPS's default URL): PLUGIN MANYBODY
# Prints the build directory on the last line of stdout.  Cache root: $MLIPEVAL_CACHE
# (default ~/.cache/user-mlipeval); each build is keyed by package version and configuration.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
profile=${1:-2025}
cache=${MLIPEVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/user-mlipeval}
jobs=${MLIPEVAL_JOBS:-$(nproc)}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

# fetch SUITE PACKAGE VERSION TARBALL SHA256: the verified orig tarball's path on stdout
fetch() {
  local suite=$1 pkg=$2 version=$3 tarball=$4 sha256=$5
  local dl="$cache/download/$pkg-$version"
  mkdir -p "$dl"
  if ! echo "$sha256  $dl/$tarball" | sha256sum -c --status 2>/dev/null; then
    bash "$here/apt-deb-src.sh" "$suite" >&2
    $SUDO apt-get update -qq >&2
    echo "setup-lammps: fetching Debian source package $pkg=$version (log: $dl/apt-source.log)" >&2
    # Debian's archive may answer 404 for the .dsc while the tarballs still arrive; the SHA256
    # of the orig tarball below is what we trust, so apt's complaint about the .dsc is ignored.
    (cd "$dl" && apt-get source --download-only "$pkg=$version" >"$dl/apt-source.log" 2>&1) ||
      echo "setup-lammps: apt-get source reported errors (a missing .dsc is expected); checking the tarball" >&2
    if [ ! -f "$dl/$tarball" ]; then
      echo "setup-lammps: $tarball did not arrive from 'apt-get source $pkg=$version'" >&2; exit 1
    fi
    if ! echo "$sha256  $dl/$tarball" | sha256sum -c --status; then
      echo "setup-lammps: SHA256 mismatch for $tarball: got $(sha256sum "$dl/$tarball" | cut -d' ' -f1), expected $sha256" >&2
      exit 1
    fi
  fi
  echo "$dl/$tarball"
}

# build_lammps DIR TARBALL TOPDIR OPTIONS...
build_lammps() {
  local dir=$1 tarball=$2 topdir=$3; shift 3
  echo "setup-lammps: unpacking $(basename "$tarball") into $dir" >&2
  if [ "$topdir" = . ]; then    # a tarball without a top directory
    mkdir -p "$dir/lammps"
    tar -xf "$tarball" -C "$dir/lammps"
  else
    tar -xf "$tarball" -C "$dir"
    mv "$dir/$topdir" "$dir/lammps"
  fi
  echo "setup-lammps: building LAMMPS ($profile) with $jobs jobs, this takes several minutes" >&2
  cmake -S "$dir/lammps/cmake" -B "$dir/build" "$@" >"$dir/configure.log" 2>&1 || { tail -30 "$dir/configure.log" >&2; exit 1; }
  if grep -qi '^DOWNLOAD_VORO:BOOL=on' "$dir/build/CMakeCache.txt"; then
    echo "setup-lammps: LAMMPS wants to download voro++; install voro++-dev" >&2; exit 1
  fi
  cmake --build "$dir/build" -j "$jobs" >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log" >&2; exit 1; }
}

case "$profile" in
  2025)
    version=20250204+dfsg.1-2
    # DOWNLOAD_VORO=off: use Debian's voro++ and never try to download it
    opts="-D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_EXCEPTIONS=on
          -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_ML-SNAP=on -D PKG_EXTRA-COMPUTE=on
          -D PKG_VORONOI=on -D DOWNLOAD_VORO=off -D CMAKE_BUILD_TYPE=Release" ;;
  2026)
    version=20260704+dfsg-2
    opts="-D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_EXCEPTIONS=on
          -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_ML-SNAP=on -D PKG_EXTRA-COMPUTE=on
          -D PKG_VORONOI=on -D DOWNLOAD_VORO=off -D CMAKE_BUILD_TYPE=Release" ;;
  2025kk)
    version=20250204+dfsg.1-2
    # few packages: every KOKKOS style of an installed package is compiled against Kokkos
    opts="-D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_EXCEPTIONS=on
          -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_KOKKOS=on -D DOWNLOAD_KOKKOS=on
          -D Kokkos_ENABLE_OPENMP=on -D Kokkos_ENABLE_SERIAL=on -D CMAKE_BUILD_TYPE=Release" ;;
  2025gpu)
    version=20250204+dfsg.1-2
    kcuda=${MLIPEVAL_KOKKOS_CUDA:?set MLIPEVAL_KOKKOS_CUDA to the install of setup-kokkos.sh cuda}
    opts="-D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D LAMMPS_EXCEPTIONS=on
          -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_KOKKOS=on -D EXTERNAL_KOKKOS=on
          -D Kokkos_DIR=$kcuda/lib/cmake/Kokkos -D CMAKE_CXX_COMPILER=$kcuda/bin/nvcc_wrapper
          -D CMAKE_BUILD_TYPE=Release" ;;
  *) echo "setup-lammps: unknown profile '$profile' (2025, 2025kk, 2025gpu or 2026)" >&2; exit 2 ;;
esac

key="lammps-${version}-$(echo "$opts" | tr -s ' \n' ' ' | sha256sum | cut -c1-8)"
dir="$cache/$key"
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9                                   # one build at a time (make test and make demo race)
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi
rm -rf "$dir"; mkdir -p "$dir"

case "$profile" in
  2025|2025kk|2025gpu)
    if [ "$profile" = 2025kk ]; then
      # the Kokkos tarball is a build input, not part of the key: the same build serves any clone
      ktb=${MLIPEVAL_KOKKOS_TARBALL:-$here/../../shared/vendor/kokkos-4.5.01.tar.gz}
      if [ -f "$ktb" ]; then
        ktb=$(cd "$(dirname "$ktb")" && pwd)/$(basename "$ktb")
        echo "setup-lammps: Kokkos 4.5.01 from $ktb (LAMMPS checks its MD5)" >&2
        opts="$opts -D KOKKOS_URL=file://$ktb"
      else
        echo "setup-lammps: no $ktb: LAMMPS downloads Kokkos from its default URL" >&2
      fi
    fi
    tb=$(fetch trixie lammps "$version" lammps_20250204+dfsg.1.orig.tar.xz \
         3671165bd52fad36734e0a9136c5bc5ecb225e03988f8c89aa13366a8b53b1c7)
    # shellcheck disable=SC2086
    build_lammps "$dir" "$tb" lammps-4Feb2025 $opts ;;
  2026)
    tb=$(fetch sid lammps "$version" lammps_20260704+dfsg.orig.tar.gz \
         cddbc45a047416bd48a4a0b87f24a5b61b3446982b74d18cafe619c22b17eb62)
    # shellcheck disable=SC2086
    build_lammps "$dir" "$tb" . $opts ;;
esac
touch "$dir/.done"
echo "$dir"
