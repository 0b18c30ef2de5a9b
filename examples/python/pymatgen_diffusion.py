"""Li-ion diffusion of an AIMD run, the way a pymatgen user works, with amorph doing the analysis.

Reads a VASP XDATCAR into a pymatgen Trajectory, then asks amorph (pip install ./python) for
the pymatgen-compatible D, the covariance-aware D ± σ, the conductivity and Haven ratio, the
Li–S RDF and the paper's descriptors of the last frame. Same numbers as `amorph diffusion`.

    python examples/python/pymatgen_diffusion.py [XDATCAR] [TEMPERATURE_K]

Default input: the shared Li6PS5Cl AIMD run (500 K, 2 fs steps, every 50th written). The
python/tests suite runs this script and checks its exit status.
"""

import sys
from pathlib import Path

from pymatgen.core.trajectory import Trajectory

import amorph

root = Path(__file__).resolve().parents[2]
path = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
temperature = float(sys.argv[2]) if len(sys.argv) > 2 else 500.0

traj = Trajectory.from_file(str(path))  # pymatgen's own reader
print(f"{path.name}: {len(traj)} frames of {traj[0].composition.reduced_formula}")

# The analysis of `amorph diffusion --time-step 2 --step-skip 50` (pymatgen-compatible
# smoothed="max" D, plus a generalised-least-squares fit with kinisi's covariance).
r = amorph.diffusion(traj, temperature=temperature, species="Li", time_step=2, step_skip=50)
print(f"D (pymatgen-compatible)  = {r.diffusivity_cm2_s:.4e} cm²/s")
print(f"D (GLS)                  = {r.gls['diffusivity_cm2_s']:.4e} ± {r.gls['std_cm2_s']:.1e} cm²/s")
print(f"conductivity             = {r.conductivity_mS_cm:.2f} mS/cm, Haven ratio {r.haven_ratio:.2f}")
print(f"MSD at the longest fitted lag ({r.dt_fs[-1] / 1000:.1f} ps) = {r.msd[-1]:.1f} Å²")

# Li–S pair distribution over every 10th frame, from pymatgen Structures.
frames = [traj[i] for i in range(0, len(traj), 10)]
g = amorph.rdf(frames, rmax=6.0, pairs=["Li-S"]).pairs[0]
print(f"Li–S first peak at {g['first_peak_a']:.2f} Å, coordination {g['coordination']:.2f}")

# The paper's 43 descriptors of the last frame, as a pandas DataFrame.
df = amorph.featurize([traj[-1]], temperature=temperature)
print(df[["formula", "temperature", "Li_percentage", "AAV", "LNC"]].to_string(index=False))

# Sanity checks (this script doubles as a test): published D ≈ 1.333e-05 cm²/s for this run.
ok = abs(r.diffusivity_cm2_s / 1.333e-05 - 1) < 0.01 and 2.0 < g["first_peak_a"] < 3.0
sys.exit(0 if ok else 1)
