#!/usr/bin/env bash
# make test-gpu: the /kk styles on a GPU.  Builds Kokkos 4.5.01 for CUDA (Hopper, sm_90; Debian's
# CUDA 11.8), LAMMPS 4 Feb 2025 with KOKKOS on it (setup-lammps.sh 2025gpu, external Kokkos) and
# the plugin in build-gpu/, then runs the plain-vs-/kk tests and the plain styles' tests with
# every instance under "-k on g 1 -sf kk".  Where no GPU is present it says so and exits 0.
# Usage: test-gpu.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-gpu}
jobs=${MLIPEVAL_JOBS:-$(nproc)}
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then
  echo "make test-gpu: no GPU on this machine (nvidia-smi lists none): nothing to run"
  exit 0
fi
nvidia-smi -L
export PATH=/usr/bin:/bin:$PATH    # Debian's CUDA tools first (see setup-kokkos.sh)
unset CUDA_HOME CUDA_PATH CUDA_ROOT
export NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
kdir=$(bash "$here/setup-kokkos.sh" cuda | tail -1)
lammps=$(MLIPEVAL_KOKKOS_CUDA="$kdir/install" bash "$here/setup-lammps.sh" 2025gpu | tail -1)
cmake -S "$here/.." -B "$build" -D LAMMPS_SOURCE_DIR="$lammps/lammps/src" -D LAMMPS_BINARY_DIR="$lammps/build" \
  -D CMAKE_CXX_COMPILER="$kdir/install/bin/nvcc_wrapper" >"$build.configure.log" 2>&1 ||
  { tail -30 "$build.configure.log" >&2; exit 1; }
cmake --build "$build" -j "$jobs"
cd "$build"
export MLIPEVAL_KOKKOS_ARGS="-k on g 1 -sf kk"
ctest --output-on-failure -R '^(kokkos_np1|kokkos_single_copy|.*_kk)$'
