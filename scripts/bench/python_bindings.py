#!/usr/bin/env python3
"""Speed of the Python bindings, side by side in one process.

1. Diffusion: amorph.diffusion on a pymatgen Trajectory object against pymatgen-analysis-
   diffusion's DiffusionAnalyzer.from_structures on the same object (same settings: Li,
   smoothed="max", the pymatgen-compatible D, conductivity, charge D, Haven ratio; amorph's
   covariance-aware fit off, then on). Also both on the displacement arrays of pymatgen's own
   DiffusionAnalyzer fixture (DiffusionAnalyzer.from_dict vs amorph.diffusion_displacements).
2. Featurizing 1,000 structures: amorph.featurize from Python (on amorph Structures already in
   memory, and on pymatgen Structures, conversion included) against the `amorph featurize`
   command on the same 1,000 files (process start and file reading included), which gives the
   bindings' overhead.

Needs the release builds: `pip install ./python` (into .venv) and `cargo build --release`, plus
`pip install -r python/requirements-bench.txt`. Run from the repository root:

    .venv/bin/python scripts/bench/python_bindings.py [--repeat N]

Prints one line per comparison (best of N wall times). Timings on a shared machine are upper
bounds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

import amorph

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "diffusion"


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--structures", type=int, default=1000)
    ap.add_argument("--amorph", default=str(ROOT / "target/release/amorph"))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
    from pymatgen.core import Structure
    from pymatgen.core.trajectory import Trajectory

    # --- 1a. the XDATCAR as a pymatgen Trajectory ---------------------------------------
    xd = DATA / "Li6PS5Cl_500K_XDATCAR.gz"
    traj = Trajectory.from_file(str(xd))
    opts = dict(temperature=500, time_step=2, step_skip=50)
    t_pmg, da = best(
        lambda: DiffusionAnalyzer.from_structures(list(traj), "Li", 500, 2, 50, smoothed="max"),
        args.repeat,
    )
    t_am, r = best(lambda: amorph.diffusion(traj, gls=False, **opts), args.repeat)
    t_gls, rg = best(lambda: amorph.diffusion(traj, **opts), args.repeat)
    print(f"XDATCAR ({traj[0].num_sites} atoms, {len(traj)} frames) as a pymatgen Trajectory:")
    print(f"  pymatgen DiffusionAnalyzer.from_structures  {t_pmg * 1e3:9.1f} ms  D = {da.diffusivity:.6e}")
    print(f"  amorph.diffusion (no GLS)                   {t_am * 1e3:9.1f} ms  D = {r.diffusivity_cm2_s:.6e}  ratio {t_pmg / t_am:6.1f}x")
    print(f"  amorph.diffusion (with GLS D ± σ)           {t_gls * 1e3:9.1f} ms  ratio {t_pmg / t_gls:6.1f}x")

    # --- 1b. pymatgen's own fixture: 1000 frames of cumulative displacements ---------------
    d = json.loads((DATA / "pymatgen_LGPS_600K.json").read_text())
    s = Structure.from_dict(d["structure"])
    disp = np.array(d["displacements"])
    z = [site.specie.Z for site in s]
    t_pmg2, da2 = best(lambda: DiffusionAnalyzer.from_dict(d), args.repeat)
    t_am2, r2 = best(
        lambda: amorph.diffusion_displacements(
            z, disp, s.volume, 600, time_step=2, step_skip=10, min_obs=d["min_obs"], gls=False
        ),
        args.repeat,
    )
    print(f"pymatgen fixture (LGPS, {len(z)} atoms, {disp.shape[1]} frames, displacements):")
    print(f"  pymatgen DiffusionAnalyzer.from_dict        {t_pmg2 * 1e3:9.1f} ms  D = {da2.diffusivity:.6e}")
    print(f"  amorph.diffusion_displacements (no GLS)     {t_am2 * 1e3:9.1f} ms  D = {r2.diffusivity_cm2_s:.6e}  ratio {t_pmg2 / t_am2:6.1f}x")

    # --- 2. featurizing N structures --------------------------------------------------------
    n = args.structures
    base = amorph.read_trajectory(xd, 100.0)
    frames = [base.frame(i % base.n_frames) for i in range(n)]
    pmg = [amorph.to_pymatgen(f) for f in frames]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, f in enumerate(frames):
            p = os.path.join(tmp, f"s{i:04d}.extxyz")
            f.write(p)
            files.append(p)
        t_py, df = best(lambda: amorph.featurize(frames), args.repeat)
        t_pyp, _ = best(lambda: amorph.featurize(pmg), args.repeat)
        t_read, _ = best(lambda: amorph.featurize([amorph.read_structure(p) for p in files]), args.repeat)
        cmd = [args.amorph, "featurize", *files, "--json"]
        t_cli, _ = best(lambda: subprocess.run(cmd, check=True, capture_output=True), args.repeat)
    print(f"featurize {n} structures ({frames[0].formula}, {len(frames[0])} atoms each, 43 columns):")
    print(f"  amorph featurize FILES... --json (CLI)      {t_cli * 1e3:9.1f} ms")
    print(f"  amorph.read_structure + featurize (Python)  {t_read * 1e3:9.1f} ms  overhead vs CLI {100 * (t_read / t_cli - 1):+6.1f} %")
    print(f"  amorph.featurize(Structures in memory)      {t_py * 1e3:9.1f} ms")
    print(f"  amorph.featurize(pymatgen Structures)       {t_pyp * 1e3:9.1f} ms  (conversion included)")
    print(f"  DataFrame: {df.shape[0]} rows × {df.shape[1]} columns")


if __name__ == "__main__":
    sys.exit(main())
