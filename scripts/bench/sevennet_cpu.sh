#!/usr/bin/env bash
# SevenNet-0 per MD step on the CPU, side by side in one run: amorph-mlip (TorchScript through
# libtorch, no Python) against the Python SevenNetCalculator (sevenn 0.13.0, eager PyTorch), on
# the same cell and thread count. One "step" = energy + forces + stress of the cell.
#
#   SEVENN_PYTHON=/path/to/python scripts/bench/sevennet_cpu.sh [CELL] [STEPS]
#
# SEVENN_PYTHON: a Python with sevenn==0.13.0 and torch 2.13 (pip install torch==2.13.0 sevenn==0.13.0).
set -euo pipefail
cd "$(dirname "$0")/../.."
cell=${1:-li3ps4_sulfide}
steps=${2:-5}
py=${SEVENN_PYTHON:?set SEVENN_PYTHON to a Python with sevenn 0.13.0}
source scripts/peers/libtorch.sh
cargo build --release -q -p amorph-mlip --features torch --example sevennet_bench
for t in 1 2; do
  target/release/examples/sevennet_bench --cell "$cell" --steps "$steps" --threads "$t"
  OMP_NUM_THREADS=$t "$py" scripts/bench/sevennet_python.py --cell "$cell" --steps "$steps" --threads "$t" 2>/dev/null
done
