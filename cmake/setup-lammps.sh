#!/usr/bin/env bash
# Fetch LAMMPS from Debian's source package and build it once into a cache outside the repo.
# Usage: setup-lammps.sh PROFILE      (PROFILE: 2025)
# Prints the build directory on the last line of stdout.  Cache root: $MLIPEVAL_CACHE
# (default ~/.cache/user-mlipeval); each build is keyed by package version and configuration.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
profile=${1:-2025}
cache=${MLIPEVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/user-mlipeval}
jobs=${MLIPEVAL_JOBS:-$(nproc)}

case "$profile" in
  2025)
    suite=trixie
    version=20250204+dfsg.1-2
    tarball=lammps_20250204+dfsg.1.orig.tar.xz
    sha256=3671165bd52fad36734e0a9136c5bc5ecb225e03988f8c89aa13366a8b53b1c7
    topdir=lammps-4Feb2025
    # DOWNLOAD_VORO=off: use Debian's voro++ and never try to download it
    opts="-D BUILD_SHARED_LIBS=on -D BUILD_MPI=on -D BUILD_OMP=on -D LAMMPS_EXCEPTIONS=on
          -D PKG_PLUGIN=on -D PKG_MANYBODY=on -D PKG_ML-SNAP=on -D PKG_EXTRA-COMPUTE=on
          -D PKG_VORONOI=on -D DOWNLOAD_VORO=off -D CMAKE_BUILD_TYPE=Release"
    ;;
  *) echo "setup-lammps: unknown profile '$profile'" >&2; exit 2 ;;
esac

key="lammps-${version}-$(echo "$opts" | tr -s ' \n' ' ' | sha256sum | cut -c1-8)"
dir="$cache/$key"
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9                                   # one build at a time (make test and make demo race)
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi

dl="$cache/download/$version"
mkdir -p "$dl"
if ! echo "$sha256  $dl/$tarball" | sha256sum -c --status 2>/dev/null; then
  bash "$here/apt-deb-src.sh" "$suite" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  # Debian's archive may answer 404 for the .dsc while the tarballs still arrive; the SHA256
  # of the orig tarball below is what we trust, so apt's complaint about the .dsc is ignored.
  echo "setup-lammps: fetching Debian source package lammps=$version (log: $dl/apt-source.log)" >&2
  (cd "$dl" && apt-get source --download-only "lammps=$version" >"$dl/apt-source.log" 2>&1) ||
    echo "setup-lammps: apt-get source reported errors (a missing .dsc is expected); checking the tarball" >&2
  if [ ! -f "$dl/$tarball" ]; then
    echo "setup-lammps: $tarball did not arrive from 'apt-get source lammps=$version'" >&2; exit 1
  fi
  if ! echo "$sha256  $dl/$tarball" | sha256sum -c --status; then
    echo "setup-lammps: SHA256 mismatch for $tarball: got $(sha256sum "$dl/$tarball" | cut -d' ' -f1), expected $sha256" >&2
    exit 1
  fi
fi

rm -rf "$dir"; mkdir -p "$dir"
echo "setup-lammps: unpacking $tarball into $dir" >&2
tar -xJf "$dl/$tarball" -C "$dir"
mv "$dir/$topdir" "$dir/lammps"
echo "setup-lammps: building LAMMPS ($profile) with $jobs jobs, this takes several minutes" >&2
# shellcheck disable=SC2086
cmake -S "$dir/lammps/cmake" -B "$dir/build" $opts >"$dir/configure.log" 2>&1 ||
  { tail -30 "$dir/configure.log" >&2; exit 1; }
if grep -qi '^DOWNLOAD_VORO:BOOL=on' "$dir/build/CMakeCache.txt"; then
  echo "setup-lammps: LAMMPS wants to download voro++; install voro++-dev" >&2; exit 1
fi
cmake --build "$dir/build" -j "$jobs" >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log" >&2; exit 1; }
touch "$dir/.done"
echo "$dir"
