#!/usr/bin/env bash
# Kokkos 4.5.01 built once into the cache, as a stand-alone install.  Prints the Kokkos directory
# (install/ inside it) on the last line of stdout.
# Usage: setup-kokkos.sh VARIANT
#   cuda    for CUDA (Hopper, sm_90) with Debian's CUDA 11.8 + Serial, static: the CUDA compile
#           check and make test-gpu.  Installs Debian bookworm's nvidia-cuda-toolkit (CUDA 11.8,
#           contrib/non-free; the apt line is derived from the machine's sources) and g++-11,
#           nvcc 11.8's newest host compiler.
#   openmp  OpenMP + Serial, shared libraries: the external Kokkos of the Kokkos layout check.
# The source is ../shared/vendor/kokkos-4.5.01.tar.gz (MLIPEVAL_KOKKOS_TARBALL overrides; its
# MD5 must be LAMMPS's KOKKOS_MD5) or, when MLIPEVAL_KOKKOS_SOURCE names one, a Kokkos 4.5.01
# source tree (the one LAMMPS's DOWNLOAD_KOKKOS unpacked and checked).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
variant=${1:?usage: setup-kokkos.sh cuda|openmp}
cache=${MLIPEVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/user-mlipeval}
jobs=${MLIPEVAL_JOBS:-$(nproc)}
ktb=${MLIPEVAL_KOKKOS_TARBALL:-$here/../../shared/vendor/kokkos-4.5.01.tar.gz}
ksrc=${MLIPEVAL_KOKKOS_SOURCE:-}
kokkos_md5=4d832aa0284169d9e3fbae3165286bc6    # LAMMPS 4 Feb 2025's KOKKOS_MD5
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

if [ -n "$ksrc" ]; then
  grep -q 'Kokkos_VERSION_MAJOR 4' "$ksrc/CMakeLists.txt" && grep -q 'Kokkos_VERSION_MINOR 5' "$ksrc/CMakeLists.txt" &&
    grep -q 'Kokkos_VERSION_PATCH 1' "$ksrc/CMakeLists.txt" ||
    { echo "setup-kokkos: $ksrc is not a Kokkos 4.5.01 source tree" >&2; exit 1; }
else
  [ -f "$ktb" ] || { echo "setup-kokkos: no Kokkos tarball at $ktb (set MLIPEVAL_KOKKOS_TARBALL)" >&2; exit 1; }
  [ "$(md5sum "$ktb" | cut -d' ' -f1)" = "$kokkos_md5" ] ||
    { echo "setup-kokkos: $ktb is not Kokkos 4.5.01 (MD5 differs from LAMMPS's KOKKOS_MD5)" >&2; exit 1; }
fi

case $variant in
  cuda)
    # Debian's CUDA tools first: a CUDA 13 in /usr/local/cuda (and its ptxas in /usr/local/bin)
    # rejects the older architectures and breaks the compiler checks
    export PATH=/usr/bin:/bin:$PATH
    unset CUDA_HOME CUDA_PATH CUDA_ROOT
    need=""
    for p in nvidia-cuda-toolkit g++-11; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
    done
    if [ -n "$need" ]; then
      echo "setup-kokkos: installing from Debian bookworm:$need" >&2
      $SUDO bash "$here/apt-deb-src.sh" bookworm deb "contrib non-free" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
    fi
    export NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
    kdir=$cache/kokkos-4.5.01-cuda-hopper90
    what="for CUDA (HOPPER90)"
    opts=(-D Kokkos_ENABLE_CUDA=ON -D Kokkos_ARCH_HOPPER90=ON -D CUDAToolkit_ROOT=/usr)
    compiler=src/bin/nvcc_wrapper ;;
  openmp)
    kdir=$cache/kokkos-4.5.01-openmp-shared
    what="for OpenMP as shared libraries"
    opts=(-D Kokkos_ENABLE_OPENMP=ON -D BUILD_SHARED_LIBS=ON)
    compiler="" ;;
  *) echo "setup-kokkos: unknown variant '$variant' (cuda or openmp)" >&2; exit 2 ;;
esac

if [ ! -f "$kdir/.done" ]; then
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if [ ! -f "$kdir/.done" ]; then
    echo "setup-kokkos: building Kokkos 4.5.01 $what into $kdir" >&2
    rm -rf "$kdir"; mkdir -p "$kdir/src"
    if [ -n "$ksrc" ]; then cp -a "$ksrc/." "$kdir/src/"; else tar -xzf "$ktb" -C "$kdir/src" --strip-components=1; fi
    [ -z "$compiler" ] || opts+=(-D CMAKE_CXX_COMPILER="$kdir/$compiler")
    cmake -S "$kdir/src" -B "$kdir/build" "${opts[@]}" -D Kokkos_ENABLE_SERIAL=ON \
      -D CMAKE_CXX_STANDARD=17 -D CMAKE_BUILD_TYPE=Release \
      -D CMAKE_INSTALL_PREFIX="$kdir/install" >"$kdir/configure.log" 2>&1 ||
      { tail -30 "$kdir/configure.log" >&2; exit 1; }
    cmake --build "$kdir/build" -j "$jobs" --target install >"$kdir/build.log" 2>&1 ||
      { tail -30 "$kdir/build.log" >&2; exit 1; }
    touch "$kdir/.done"
  fi
  exec 9>&-
fi

echo "$kdir"
