#!/usr/bin/env bash
# CUDA compile check of the /kk styles: compile every source of src/USER-MLIPEVAL/kokkos with
# nvcc (through Kokkos's nvcc_wrapper) against LAMMPS 4 Feb 2025's headers and a Kokkos 4.5.01
# built for CUDA (Hopper, sm_90).  No GPU is needed; any compile error fails the check.
# Usage: cuda-compile-check.sh LAMMPS_DIR BUILD_DIR
#   LAMMPS_DIR  a LAMMPS 2025 cache directory of setup-lammps.sh (lammps/src, build/)
#   BUILD_DIR   where the plugin's CUDA objects are built
# The toolkit and the CUDA Kokkos come from setup-kokkos.sh cuda (Debian's nvidia-cuda-toolkit
# 11.8 with g++-11; Kokkos from ../shared/vendor/kokkos-4.5.01.tar.gz, MLIPEVAL_KOKKOS_TARBALL).
# Without the tarball the check is skipped with a message: nothing is downloaded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lammps=${1:?usage: cuda-compile-check.sh LAMMPS_DIR BUILD_DIR}
build=${2:?usage: cuda-compile-check.sh LAMMPS_DIR BUILD_DIR}
jobs=${MLIPEVAL_JOBS:-$(nproc)}
ktb=${MLIPEVAL_KOKKOS_TARBALL:-$here/../../shared/vendor/kokkos-4.5.01.tar.gz}

if [ ! -f "$ktb" ]; then
  echo "cuda-compile-check: SKIPPED: no Kokkos tarball at $ktb (set MLIPEVAL_KOKKOS_TARBALL)"
  exit 0
fi
export PATH=/usr/bin:/bin:$PATH    # Debian's CUDA tools first (see setup-kokkos.sh)
unset CUDA_HOME CUDA_PATH CUDA_ROOT
export NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
kdir=$(bash "$here/setup-kokkos.sh" cuda | tail -1)

echo "cuda-compile-check: compiling src/USER-MLIPEVAL/kokkos/*.cpp with nvcc 11.8 (sm_90) against LAMMPS 2025"
cmake -S "$here/.." -B "$build" -D LAMMPS_SOURCE_DIR="$lammps/lammps/src" -D LAMMPS_BINARY_DIR="$lammps/build" \
  -D MLIPEVAL_KOKKOS_DIR="$kdir/install/lib/cmake/Kokkos" -D MLIPEVAL_TESTS=OFF \
  -D CMAKE_CXX_COMPILER="$kdir/install/bin/nvcc_wrapper" >"$build.configure.log" 2>&1 ||
  { tail -30 "$build.configure.log" >&2; exit 1; }
cmake --build "$build" --target clean >/dev/null 2>&1 || true    # every source, every time: the log is the check
if ! cmake --build "$build" -j "$jobs" --target mlipeval_kokkos >"$build.log" 2>&1; then
  grep -E "error|Error" -A3 "$build.log" | head -60 >&2
  echo "cuda-compile-check: FAILED (full log: $build.log)" >&2
  exit 1
fi
# a host function called from a kernel compiles with a warning but fails on the GPU
if grep -q "calling a __host__ function from a __host__ __device__ function" "$build.log"; then
  grep -B2 -A3 "calling a __host__ function" "$build.log" | head -40 >&2
  echo "cuda-compile-check: FAILED: a kernel function calls a host-only function (full log: $build.log)" >&2
  exit 1
fi
n=$(find "$build" -name '*_kokkos.cpp.o' | wc -l)
echo "cuda-compile-check: OK: $n /kk sources compiled for CUDA sm_90"
