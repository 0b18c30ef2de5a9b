#!/usr/bin/env bash
# SevenNet-0 on a CUDA GPU through amorph-mlip (feature `cuda`): steps/s for one ~100-atom and
# one ~1000-atom cell, and throughput (atom-steps/s) for 1, 8 and 64 batched ~100-atom cells
# in one forward call, beside the same on the CPU. Run on a machine with an NVIDIA GPU:
#
#   scripts/bench/sevennet_gpu.sh            # prints JSON lines; paste the figures into BENCHMARKS.md
#
# Needs network access to PyPI once (torch 2.13 with its CUDA 13 wheels, ~5 GB, into .venv).
# Goal of issue 16: 64 batched cells >= 20x the single-cell throughput.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/peers/libtorch.sh --cuda
cargo build --release -p amorph-mlip --features torch,cuda --example sevennet_bench
bench=target/release/examples/sevennet_bench
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
echo "== GPU: one cell of 96 atoms (Li3PS4) and of 1152 atoms (Li2O, 2x2x3 of the 96-atom fixture)"
"$bench" --device cuda --cell li3ps4_sulfide --batch 1 --steps 20
"$bench" --device cuda --cell li2o_oxide --repeat 2,2,3 --batch 1 --steps 10
echo "== GPU: 1, 8, 64 batched ~100-atom cells"
"$bench" --device cuda --cell li3ps4_sulfide --batch 1,8,64 --steps 10
echo "== CPU, same build, $(nproc) threads: 1 and 8 cells"
"$bench" --device cpu --cell li3ps4_sulfide --batch 1,8 --steps 3
