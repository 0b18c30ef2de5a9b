#!/usr/bin/env bash
# Pedone's Ti–O term in the crystal: rutile TiO2 (3×3×5 cells, 270 atoms) in NPT at 300 K and
# 0 bar; prints the mean density of the last half (measured: 4.2484 g/cm³, a = 4.5937 Å,
# c = 2.9587 Å, u = 0.30478; CRC Handbook).
# usage: scripts/bench/pedone_rutile.sh [AMORPH_BINARY]   (default: target/release/amorph)
set -euo pipefail
amorph=${1:-target/release/amorph}
dir=$(mktemp -d)
python3 - "$dir/POSCAR" <<'PY'
import sys
a, c, u = 4.5937, 2.9587, 0.30478
cell = [("Ti", 0, 0, 0), ("Ti", .5, .5, .5), ("O", u, u, 0), ("O", 1 - u, 1 - u, 0),
        ("O", .5 + u, .5 - u, .5), ("O", .5 - u, .5 + u, .5)]
n = (3, 3, 5)
sites = {"Ti": [], "O": []}
for i in range(n[0]):
    for j in range(n[1]):
        for k in range(n[2]):
            for s, x, y, z in cell:
                sites[s].append(((x + i) / n[0], (y + j) / n[1], (z + k) / n[2]))
with open(sys.argv[1], "w") as f:
    f.write(f"rutile TiO2 3x3x5\n1.0\n{a*n[0]} 0 0\n0 {a*n[1]} 0\n0 0 {c*n[2]}\nTi O\n")
    f.write(f"{len(sites['Ti'])} {len(sites['O'])}\nDirect\n")
    for p in sites["Ti"] + sites["O"]:
        f.write("%.6f %.6f %.6f\n" % p)
PY
"$amorph" md "$dir/POSCAR" -o "$dir/out.xyz" --potential pedone --temperature 300 --steps 3000 \
    --timestep 1 --thermostat csvr --seed 1 --pressure 0 --every 500 2>&1 | grep "NPT at"
rm -rf "$dir"
