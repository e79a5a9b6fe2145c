#!/bin/sh
# The plugin must use the Kokkos of the LAMMPS that loads it, never a second copy (two copies
# double-free at exit).  Checks that the plugin's libkokkoscore is the file LAMMPS links and that
# the plugin defines none of Kokkos's runtime functions itself.
# Usage: kokkos_single_copy.sh PLUGIN.so LIBLAMMPS.so
set -eu
plugin=$1
lammps=$2
core() { ldd "$1" | awk '/libkokkoscore/ {print $3}'; }
a=$(core "$plugin")
b=$(core "$lammps")
echo "plugin: ${a:-none}"
echo "LAMMPS: ${b:-none}"
[ -n "$a" ] && [ -n "$b" ] || { echo "FAIL: libkokkoscore not linked by both"; exit 1; }
[ "$(realpath "$a")" = "$(realpath "$b")" ] || { echo "FAIL: two different libkokkoscore"; exit 1; }
own=$(nm -D --defined-only "$plugin" | c++filt | grep -E ' Kokkos::(initialize|finalize|is_initialized)\(' || true)
[ -z "$own" ] || { echo "FAIL: the plugin defines Kokkos runtime functions:"; echo "$own"; exit 1; }
echo "one Kokkos: OK"
