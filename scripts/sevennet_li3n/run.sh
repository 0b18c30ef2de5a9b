#!/usr/bin/env bash
# Li3N (a composition of the paper's table that no established classical potential covers)
# through the MPMorph workflow twice with the same reduced settings (config.toml): with
# SevenNet-0 in process and with the classical fallback (UFF: no charges, a smoke-test
# potential). Then AAV and D beside the paper's AIMD (amorph fidelity), the partial RDFs of
# each production run, and how alike the two runs' RDFs are (amorph rdf-compare).
#
#   scripts/sevennet_li3n/run.sh [OUTDIR]       (default li3n-sevennet/)
#
# Needs an amorph built with --features torch (README, "SevenNet-0 in process"):
#   source scripts/peers/libtorch.sh && cargo build --release --features torch
# AMORPH=path/to/amorph picks another binary; PAPER=path/to/feature_target.dat the paper's table
# (default ../shared/data/paper_ml/feature_target.dat). About 45 minutes on 2 quiet CPU cores (OMP_WAIT_POLICY=PASSIVE when the cores are shared); a rerun
# resumes both databases where they stopped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
amorph=${AMORPH:-target/release/amorph}
paper=${PAPER:-../shared/data/paper_ml/feature_target.dat}
out=${1:-li3n-sevennet}
mkdir -p "$out"
temps=$(sed -n 's/^temperatures = \[\(.*\)\]/\1/p' "$here/config.toml" | tr -d ' ' | tr ',' ' ')

for pot in sevennet uff; do
  db=$out/li3n-$pot.db
  echo "== amorph run Li3N --potential $pot (database $db)"
  "$amorph" run Li3N --preset demo --config "$here/config.toml" --potential "$pot" --db "$db"
  "$amorph" status --db "$db"
  echo "== AAV and D beside the paper's AIMD ($pot)"
  "$amorph" fidelity --db "$db" --table "$paper"
  for t in $temps; do
    t=${t%.0}
    "$amorph" trajectory Li3N --temperature "$t" --db "$db" -o "$out/li3n-$pot-${t}K.extxyz"
  done
done
for t in $temps; do
  t=${t%.0}
  for pot in sevennet uff; do
    echo "== partial RDFs, $pot, ${t} K"
    "$amorph" rdf "$out/li3n-$pot-${t}K.extxyz" --rmax 6 --every 10
  done
  echo "== RDF agreement of the two runs at ${t} K (R² per pair)"
  "$amorph" rdf-compare "$out/li3n-sevennet-${t}K.extxyz" "$out/li3n-uff-${t}K.extxyz" --every 10
done
