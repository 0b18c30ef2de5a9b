#!/usr/bin/env python3
"""An ASE calculator behind i-PI, as the force client of an amorph run.

amorph is the i-PI *server* (`--calculator ipi:unix:NAME` on `amorph run`, `amorph md`,
`amorph energy`); this script is the *client*: it holds the atoms (the protocol never sends
species, only the cell and positions), computes energy, forces and stress with an ASE
calculator, and answers every step until amorph says EXIT.

The atoms must be the ones amorph moves, in the same order. For `amorph run FORMULA` those are
the atoms of `amorph pack FORMULA --atoms 100 -o start.extxyz` (the workflow packs with the same
counts and order; `amorph run` prints them when it starts).

Calculators:
  lj       ASE's LennardJones (sigma/epsilon/rc from the options; for tests)
  emt      ASE's EMT (metals: Al, Cu, Ag, Au, Ni, Pd, Pt and H, C, N, O as in ASE)
  chgnet   CHGNet's pretrained universal potential (`pip install chgnet`; the weights ship
           in the wheel; CPU unless --device cuda)

Example (two terminals, or one with `&`):
  amorph pack Li2O --atoms 100 -o li2o.extxyz
  amorph run Li2O --preset demo --calculator ipi:unix:li2o --db chgnet.db &
  python scripts/ipi_client.py --unix li2o --structure li2o.extxyz --calc chgnet

It prints the time spent inside the calculator when it exits, so the i-PI overhead can be
read off against amorph's steps/s.
"""
import argparse
import sys
import time

from ase.calculators.socketio import SocketClient
from ase.io import read


def make_calculator(args):
    if args.calc == "lj":
        from ase.calculators.lj import LennardJones

        return LennardJones(sigma=args.sigma, epsilon=args.epsilon, rc=args.rc, smooth=False)
    if args.calc == "emt":
        from ase.calculators.emt import EMT

        return EMT()
    if args.calc == "chgnet":
        from chgnet.model.dynamics import CHGNetCalculator

        return CHGNetCalculator(use_device=args.device)
    raise SystemExit(f"--calc {args.calc}: unknown (lj, emt, chgnet)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--unix", metavar="NAME", help="socket /tmp/ipi_NAME (amorph ipi:unix:NAME)")
    where.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (amorph ipi:tcp:PORT)")
    p.add_argument("--structure", required=True, help="the atoms, any ASE-readable file")
    p.add_argument("--calc", default="lj", help="lj, emt or chgnet")
    p.add_argument("--device", default="cpu", help="chgnet device (cpu, cuda)")
    p.add_argument("--sigma", type=float, default=3.405)
    p.add_argument("--epsilon", type=float, default=0.0103)
    p.add_argument("--rc", type=float, default=8.5)
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds to keep trying to connect while amorph starts")
    args = p.parse_args()

    atoms = read(args.structure)
    calc = make_calculator(args)
    spent = [0.0, 0]
    inner = calc.calculate

    def timed(*a, **k):
        t = time.perf_counter()
        inner(*a, **k)
        spent[0] += time.perf_counter() - t
        spent[1] += 1

    calc.calculate = timed
    atoms.calc = calc

    # amorph may still be starting (or packing the cell): retry the connection for a while.
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            client = (SocketClient(unixsocket=args.unix) if args.unix
                      else SocketClient(host="localhost", port=args.port))
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"no i-PI server at {args.unix or args.port} after {args.timeout} s")
            time.sleep(0.2)
    # use_stress=True: without it ASE sends a zero virial and amorph's pressure would be wrong.
    client.run(atoms, use_stress=True)
    n = max(spent[1], 1)
    print(f"ipi_client: {spent[1]} calculations of {len(atoms)} atoms, "
          f"{spent[0]:.2f} s inside {args.calc} ({1000 * spent[0] / n:.2f} ms each)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
