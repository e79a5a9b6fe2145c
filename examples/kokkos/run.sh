#!/usr/bin/env bash
# Run in.kokkos with the Kokkos build (make build-kk): 1 MPI rank x 2 OpenMP threads.
set -euo pipefail
build=$(realpath "${1:-build-kk}")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/out" && cd "$here/out"
export OMP_PROC_BIND=spread OMP_PLACES=threads
"$build/lmp" -k on t 2 -sf kk -in "$here/in.kokkos" -log log.kokkos -screen none
grep -E "pair sw/kk|style = " log.kokkos || true
sed -n '/^ *Step/,/^Loop/p' log.kokkos
grep '^STYLES' log.kokkos
