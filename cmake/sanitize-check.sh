#!/usr/bin/env bash
# make test-sanitize: the core, the plugin and every test built with AddressSanitizer and
# UndefinedBehaviorSanitizer (GCC's), and the whole CTest suite run against that build on the
# plain LAMMPS 4 Feb 2025.  LAMMPS itself is not instrumented: its lmp (which loads the plugin
# in the launcher-based and MPI tests) runs with the sanitizer runtimes preloaded.  Any report
# fails the test that made it (-fno-sanitize-recover, halt_on_error).  Leaks are not checked:
# OpenMPI and Python keep memory until exit by design.
# Usage: sanitize-check.sh LAMMPS_DIR BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
lammps=${1:?usage: sanitize-check.sh LAMMPS_DIR BUILD_DIR}
out=${2:?usage: sanitize-check.sh LAMMPS_DIR BUILD_DIR}
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
cmake -S "$root" -B "$out" -D LAMMPS_SOURCE_DIR="$lammps/lammps/src" -D LAMMPS_BINARY_DIR="$lammps/build" \
  -D CMAKE_BUILD_TYPE=Debug -D CMAKE_CXX_FLAGS="$flags" -D CMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -D CMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -D CMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" \
  > "$out.configure.log" || { cat "$out.configure.log"; exit 1; }
cmake --build "$out" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
LD_PRELOAD="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
export LD_PRELOAD
cd "$out" && ctest --output-on-failure --timeout 1500
