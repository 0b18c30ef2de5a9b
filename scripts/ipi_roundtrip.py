#!/usr/bin/env python3
"""Time per i-PI round trip between `amorph md --calculator ipi:unix:NAME` (the server) and
ASE's SocketClient (the client), for a 100-atom Ar cell.

For each client calculator (a null calculator that returns zeros, and ASE's LennardJones),
the client measures the wall time spent inside the calculator; the server's wall time per MD
step minus that is the protocol + server + client-wrapper overhead per round trip.

Usage: python scripts/ipi_roundtrip.py [path/to/amorph] [steps]
(ASE 3.29; amorph built with `cargo build --release`; default ./target/release/amorph)
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from ase import Atoms
from ase.calculators.calculator import Calculator, all_changes
from ase.calculators.lj import LennardJones
from ase.calculators.socketio import SocketClient
from ase.io import write

AMORPH = sys.argv[1] if len(sys.argv) > 1 else "./target/release/amorph"
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000


class Null(Calculator):
    implemented_properties = ["energy", "forces", "stress"]

    def calculate(self, atoms=None, properties=None, system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        n = len(self.atoms)
        self.results = {"energy": 0.0, "forces": np.zeros((n, 3)), "stress": np.zeros(6)}


def timed(calc):
    inner = calc.calculate
    calc.spent = 0.0
    calc.calls = 0

    def calculate(*a, **k):
        t = time.perf_counter()
        inner(*a, **k)
        calc.spent += time.perf_counter() - t
        calc.calls += 1

    calc.calculate = calculate
    return calc


def atoms100():
    rng = np.random.default_rng(1)
    n = 5  # 5x5x4 = 100 atoms on a jittered simple-cubic grid, 3.8 Å apart
    g = np.array([[i, j, k] for i in range(n) for j in range(n) for k in range(4)], float)
    pos = (g + 0.5) * 3.8 + rng.normal(0, 0.05, g.shape)
    return Atoms("Ar100", positions=pos, cell=[19.0, 19.0, 15.2], pbc=True)


def run(name, calc):
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.xyz")
        write(inp, atoms100(), format="extxyz")
        sock = f"amorph-bench-{os.getpid()}-{name}"
        cmd = [AMORPH, "md", inp, "-o", os.path.join(d, "out.xyz"), "--calculator",
               f"ipi:unix:{sock}", "--temperature", "50", "--steps", str(STEPS),
               "--timestep", "2", "--thermostat", "nve", "--every", str(STEPS),
               "--json"]
        server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        path = "/tmp/ipi_" + sock
        for _ in range(1000):
            if os.path.exists(path):
                break
            time.sleep(0.01)
        atoms = atoms100()
        atoms.calc = timed(calc)
        t0 = time.perf_counter()
        SocketClient(unixsocket=sock).run(atoms, use_stress=True)
        wall = time.perf_counter() - t0
        out, err = server.communicate()
        if server.returncode != 0:
            sys.exit(f"amorph failed: {err}")
        calls = atoms.calc.calls
        per = wall / calls * 1e6
        inside = atoms.calc.spent / calls * 1e6
        print(f"{name:5s} {calls} round trips: {per:8.1f} µs per step, client calculator "
              f"{inside:8.1f} µs, overhead {per - inside:7.1f} µs")


run("null", Null())
run("lj", LennardJones(sigma=3.4, epsilon=0.0104, rc=8.5))
