#!/usr/bin/env python3
"""Packing benchmark: amorph-build vs PACKMOL (PyPI wheel `packmol` 21.2.3) on the same
composition and cubic box, as mpmorph/atomate2 call PACKMOL (one single-atom "molecule" per
element, tolerance 2.0 Å, box shrunk by tol/2 on each face, seed fixed).

For each size it prints the wall time of both and the closest pair each achieves, measured
**through the periodic boundaries** (PACKMOL's shrunken box only guarantees tol across faces
in the box frame, amorph guarantees it for every periodic image).

Usage: python scripts/bench/bench_pack.py path/to/release/amorph
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from ase.io import read

AMORPH = sys.argv[1] if len(sys.argv) > 1 else "target/release/amorph"
PACKMOL = os.path.join(os.path.dirname(sys.executable), "packmol")
TOL = 2.0


def min_periodic(atoms):
    from ase.neighborlist import neighbor_list
    d = neighbor_list("d", atoms, 2 * TOL)
    return float(d.min()) if len(d) else float("inf")


def run_packmol(counts, L, workdir):
    lines = [f"tolerance {TOL}", "filetype xyz", f"output {workdir}/packed.xyz", "seed 1"]
    for sym, n in counts:
        with open(f"{workdir}/{sym}.xyz", "w") as f:
            f.write(f"1\n{sym}\n{sym} 0.0 0.0 0.0\n")
        lines += [f"structure {workdir}/{sym}.xyz", f"  number {n}",
                  f"  inside box {TOL/2} {TOL/2} {TOL/2} {L-TOL/2} {L-TOL/2} {L-TOL/2}", "end structure"]
    with open(f"{workdir}/pack.inp", "w") as f:
        f.write("\n".join(lines) + "\n")
    t = time.perf_counter()
    with open(f"{workdir}/pack.inp") as stdin:  # packmol seeks in its input: a real file
        subprocess.run([PACKMOL], stdin=stdin, stdout=subprocess.DEVNULL, check=True)
    dt = time.perf_counter() - t
    atoms = read(f"{workdir}/packed.xyz")
    atoms.set_cell([L, L, L])
    atoms.set_pbc(True)
    return dt, min_periodic(atoms)


def main():
    rows = []
    for target in (100, 500, 1000):
        with tempfile.TemporaryDirectory() as d:
            out = f"{d}/ours.xyz"
            t = time.perf_counter()
            r = subprocess.run([AMORPH, "pack", "Li2Si2O5", "-o", out, "--atoms", str(target), "--json"],
                               capture_output=True, check=True)
            ours_t = time.perf_counter() - t
            info = json.loads(r.stdout)
            L = info["volume"] ** (1 / 3)
            n = info["atoms"]
            counts = [("Li", 2 * n // 9), ("Si", 2 * n // 9), ("O", 5 * n // 9)]
            ours = read(out)
            ours_min = min_periodic(ours)
            pm_t, pm_min = run_packmol(counts, L, d)
        rows.append((n, L, ours_t, ours_min, pm_t, pm_min))
        print(f"{n:5d} atoms, L={L:6.2f} Å: amorph {ours_t:7.3f} s (min {ours_min:.3f} Å)  "
              f"packmol {pm_t:7.3f} s (min {pm_min:.3f} Å)  ratio {pm_t/ours_t:6.1f}x", flush=True)


if __name__ == "__main__":
    main()
