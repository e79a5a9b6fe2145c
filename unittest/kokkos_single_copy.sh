#!/bin/sh
# The plugin must use the Kokkos of the LAMMPS that loads it, never a second copy (two copies
# double-free at exit).  Where LAMMPS links a shared libkokkoscore, the plugin must link the same
# file; where Kokkos is static inside liblammps (DOWNLOAD_KOKKOS, bundled), the plugin must link
# no libkokkoscore and take the runtime from liblammps, which must then export it.  Either way
# the plugin defines none of Kokkos's runtime functions itself.
# Usage: kokkos_single_copy.sh PLUGIN.so LIBLAMMPS.so
set -eu
plugin=$1
lammps=$2
core() { ldd "$1" | awk '/libkokkoscore/ {print $3}'; }
runtime='Kokkos::(initialize|finalize|is_initialized)\('
a=$(core "$plugin")
b=$(core "$lammps")
echo "plugin: ${a:-no libkokkoscore}"
echo "LAMMPS: ${b:-no libkokkoscore}"
if [ -n "$b" ]; then
  [ -n "$a" ] || { echo "FAIL: LAMMPS links $b but the plugin does not"; exit 1; }
  [ "$(realpath "$a")" = "$(realpath "$b")" ] || { echo "FAIL: two different libkokkoscore"; exit 1; }
else
  [ -z "$a" ] || { echo "FAIL: Kokkos is static in LAMMPS, but the plugin links $a"; exit 1; }
  nm -D --defined-only "$lammps" | c++filt | grep -qE " $runtime" ||
    { echo "FAIL: liblammps exports no Kokkos runtime for the plugin"; exit 1; }
  echo "LAMMPS: Kokkos runtime inside liblammps"
fi
own=$(nm -D --defined-only "$plugin" | c++filt | grep -E " $runtime" || true)
[ -z "$own" ] || { echo "FAIL: the plugin defines Kokkos runtime functions:"; echo "$own"; exit 1; }
echo "one Kokkos: OK"
