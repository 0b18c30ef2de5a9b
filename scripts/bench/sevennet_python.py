#!/usr/bin/env python3
"""The Python peer of amorph-mlip's sevennet_bench example: sevenn's SevenNetCalculator on the
same fixture cell, timing one energy + forces + stress evaluation (the cost of an MD step).

    OMP_NUM_THREADS=T python scripts/bench/sevennet_python.py [--cell li3ps4_sulfide] [--steps 5] [--threads T]

Needs sevenn==0.13.0 and torch 2.13 (the Python that made the fixtures). Positions move by 1e-6 A
between calls so that ASE's cache never answers. Prints one JSON line (median seconds per call).
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from ase import Atoms
from sevenn.calculator import SevenNetCalculator

p = argparse.ArgumentParser()
p.add_argument("--cell", default="li3ps4_sulfide")
p.add_argument("--steps", type=int, default=5)
p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
p.add_argument("--device", default="cpu")
a = p.parse_args()
torch.set_num_threads(a.threads)
path = a.cell if a.cell.endswith(".json") else os.path.join(
    os.path.dirname(__file__), "..", "..", "amorph-mlip", "tests", "fixtures", "sevennet", a.cell + ".json")
d = json.load(open(path))
atoms = Atoms(d["symbols"], positions=d["positions"], cell=d["cell"], pbc=True)
atoms.calc = SevenNetCalculator("7net-0", device=a.device)


def step(i):
    atoms.positions[0, 0] += 1e-6 * (1 if i % 2 else -1)
    atoms.get_potential_energy()
    atoms.get_forces()
    atoms.get_stress()


step(0)
times = []
for i in range(a.steps):
    t = time.perf_counter()
    step(i + 1)
    times.append(time.perf_counter() - t)
times.sort()
median = times[len(times) // 2]
print(json.dumps({"peer": "sevenn SevenNetCalculator", "cell": a.cell, "atoms": len(atoms), "threads": a.threads,
                  "seconds_per_call": median, "atom_steps_per_s": len(atoms) / median}))
