#!/usr/bin/env bash
# Peer set-up and test run of the Python package (python/: PyO3 + maturin), called by
# scripts/test.sh after `cargo test --workspace`:
#   1. installs python/requirements-test.txt (maturin, pytest, numpy, pandas, pymatgen, ASE)
#      into the project's .venv (made by scripts/test.sh; reinstalled when the file changes);
#   2. takes the `amorph` binary `cargo test --workspace` built (dev profile) and exports
#      AMORPH_BIN: the Python tests compare the bindings' numbers with the command's;
#   3. builds the extension with `maturin develop` (dev profile; the library crates optimised as
#      in the workspace's dev profile) into .venv, sharing the workspace's target directory,
#      with the `torch` feature (SevenNet) when LIBTORCH is set (scripts/peers/libtorch.sh);
#   4. runs pytest on python/tests (which also runs examples/python/).
# Any failure exits non-zero, which fails scripts/test.sh.
#
# Usage: scripts/peers/python.sh [PYTEST ARGS...]   (.venv must exist: run scripts/test.sh once)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv=$root/.venv
req=python/requirements-test.txt
stamp=$venv/.amorph-python-requirements
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  echo "error: no $venv: run scripts/test.sh (it creates the project's virtual environment)" >&2
  exit 1
fi
if ! cmp -s "$req" "$stamp"; then
  echo "== python: installing $req into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
target=${CARGO_TARGET_DIR:-$root/target}

echo "== python: the amorph command (the tests compare against it)"
# The binary `cargo test --workspace` builds for its integration tests (same features, so a
# no-op right after it; `cargo build --bin amorph` would resolve features without the
# dev-dependencies and recompile part of the workspace).
cargo test --workspace --no-run --quiet
export AMORPH_BIN=$target/debug/amorph
if [ ! -x "$AMORPH_BIN" ]; then
  echo "error: no $AMORPH_BIN after cargo test --workspace --no-run" >&2
  exit 1
fi

# With libtorch set up (scripts/peers/libtorch.sh exported LIBTORCH, as scripts/test.sh does),
# the package gets `potential="sevennet"` and its tests must run (AMORPH_PYTHON_TORCH=1).
features=()
if [ -n "${LIBTORCH:-}" ]; then
  features=(--features torch)
  export AMORPH_PYTHON_TORCH=1
fi
echo "== python: maturin develop (python/, dev profile) ${features[*]}"
start=$(date +%s)
VIRTUAL_ENV=$venv PATH=$venv/bin:$PATH CARGO_TARGET_DIR=$target \
  "$venv/bin/maturin" develop --quiet --manifest-path python/Cargo.toml "${features[@]}"
echo "== python: extension built in $(( $(date +%s) - start )) s"

echo "== python: pytest python/tests"
# One BLAS thread: numpy's OpenBLAS threads spinning beside amorph's rayon threads made ASE's
# optimisers ten times slower on 2 cores.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$venv/bin/python" -m pytest -q python/tests "$@"
