#!/bin/sh
# Make a summary with fix force/reference (Tersoff scored against SW forces of a dump), plot
# it with tools/plot_cdf.py, and check that a PNG came out.
set -eu
lmp=$1 src=$2 out=${MLIPEVAL_OUT:-/tmp}/plot_cdf_test
rm -rf "$out" && mkdir -p "$out" && cd "$out"
cat > in.make <<'IN'
units metal
atom_style atomic
atom_modify map array
lattice diamond 5.431
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 28.0855
displace_atoms all random 0.2 0.2 0.2 99 units box
pair_style sw
pair_coeff * * Si.sw Si
dump d all custom 1 ref.dump id type x y z fx fy fz
dump_modify d format float %20.15g
run 0 post no
undump d
pair_style tersoff
pair_coeff * * Si.tersoff Si
compute re all re/atom sites cell diamond 2 2 2
fix ref all force/reference ref.dump re c_re summary tersoff.json
rerun ref.dump dump x y z
IN
"$lmp" -in in.make -log none -screen none
/usr/bin/python3 "$src/tools/plot_cdf.py" -o cdf.png --also all tersoff.json:Tersoff
# a PNG starts with \211PNG
head -c 4 cdf.png | od -c | grep -q 'P   N   G' && echo "plot_cdf: PNG written" || { echo "plot_cdf: no PNG"; exit 1; }
