#!/usr/bin/env bash
# The test command (README; CI's .ci/run calls exactly this). On a fresh machine it sets up the
# live peers the tests run against, then runs every test with a missing peer as a failure:
#   1. ASE: creates (or reuses) the project's own virtual environment .venv in the repository
#      root with scripts/ci-requirements.txt (reinstalled when that file changes) and exports
#      AMORPH_PYTHON=.venv/bin/python for the i-PI tests;
#   2. SLURM: starts a one-node cluster (scripts/peers/slurm.sh; apt-get installs it if
#      missing, as root) for tests/cli_slurm.rs, and stops its daemons on exit;
#   3. libtorch: installs the torch wheel's libtorch into .venv (scripts/peers/libtorch.sh) for
#      the SevenNet tests, which need the `torch` feature and so run in a second cargo pass;
#   4. exports AMORPH_REQUIRE_PEERS=1 (a test whose peer is missing fails instead of skipping)
#      and AMORPH_PEER_LOG (where the peer tests record what became of them), runs
#      `cargo test --workspace` with this script's arguments, then the SevenNet pass and the
#      Python package's pytest suite (scripts/peers/python.sh), and prints one line counting
#      the peer tests. With arguments, the libtorch and Python passes are left out (said so).
#
# Usage: scripts/test.sh [ARGS FOR cargo test...]
#   e.g. scripts/test.sh -p amorph-md ipi      scripts/test.sh -- --nocapture
# Needs: Rust (cargo), a python3 with the venv module (Debian/Ubuntu: apt install python3-venv;
# PYTHON=/path/to/python3 picks another) and network access to PyPI on the first run.
# A plain `cargo test --workspace` also works: the peer tests then skip, and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# --- peer 1: Python packages (ASE) in .venv ----------------------------------------------
venv=$root/.venv
req=scripts/ci-requirements.txt
stamp=$venv/.amorph-requirements # the requirements this venv was last installed from
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  echo "== peers: creating $venv (${PYTHON:-python3} -m venv)"
  rm -rf "$venv"
  if ! "${PYTHON:-python3}" -m venv "$venv"; then
    echo "error: '${PYTHON:-python3} -m venv' failed; install Python's venv module" \
      "(Debian/Ubuntu: apt install python3-venv) or set PYTHON to a python3 that has it" >&2
    exit 1
  fi
fi
if ! cmp -s "$req" "$stamp"; then
  echo "== peers: installing $req into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
else
  echo "== peers: $venv is up to date with $req"
fi
export AMORPH_PYTHON=$venv/bin/python
"$AMORPH_PYTHON" -c 'import ase; print("== peers: ASE", ase.__version__, "at", ase.__file__)'

# --- peer 2: a one-node SLURM cluster (scripts/peers/slurm.sh), stopped again on exit -------
# Installs SLURM if missing (root, apt-get) and starts only its own daemons. Where it cannot
# start, the SLURM tests fail naming the missing peer and every other test still runs.
trap 'scripts/peers/slurm.sh stop' EXIT
if scripts/peers/slurm.sh start; then
  eval "$(scripts/peers/slurm.sh env)"
else
  echo "== peers: SLURM did not start; the SLURM tests (tests/cli_slurm.rs) will fail, the rest run"
fi

# --- peer 3: libtorch 2.13 (SevenNet in process, amorph-mlip's feature `torch`) ----------
# scripts/peers/libtorch.sh installs PyPI's torch wheel (--no-deps, CPU only, ~1.2 GB) into
# .venv and exports LIBTORCH and LD_LIBRARY_PATH; its tests run in a second cargo pass below.
# With arguments (a chosen subset of the tests) or AMORPH_SKIP_TORCH=1, this pass and the
# Python pass below are left out, and the script says so.
extra_passes=0
if [ $# -eq 0 ] && [ "${AMORPH_SKIP_TORCH:-0}" != 1 ]; then
  source scripts/peers/libtorch.sh
  extra_passes=1
else
  echo "== peers: the libtorch (SevenNet) and Python passes are left out" \
    "(arguments given or AMORPH_SKIP_TORCH=1); run scripts/test.sh alone for every test"
fi

# --- the tests ---------------------------------------------------------------------------
export AMORPH_REQUIRE_PEERS=1
log=${CARGO_TARGET_DIR:-$root/target}/peer-tests/test-sh-$$
rm -rf "$log"
mkdir -p "$log"
export AMORPH_PEER_LOG=$log
echo "== tests: cargo test --workspace $*"
rc=0
cargo test --workspace "$@" || rc=$?
if [ "$extra_passes" = 1 ]; then
  # The SevenNet tests exist only with the feature (they link libtorch); amorph-md's other
  # tests ran above, so only its library tests and its SevenNet MD tests run again.
  echo "== tests: amorph-mlip and amorph-md's SevenNet tests with --features torch"
  cargo test -p amorph-mlip --features amorph-mlip/torch || rc=$?
  cargo test -p amorph-md --features amorph-md/torch --lib --test sevennet_md || rc=$?
  cargo test -p amorph --features torch --test cli_sevennet || rc=$?

  # --- peer 4: the Python package (python/, PyO3): builds it into .venv and runs its pytest
  # suite against the `amorph` command (scripts/peers/python.sh).
  scripts/peers/python.sh || rc=$?
fi

# One line counting the peer tests from their records (status, peer, test, detail; TSV).
find "$log" -type f -exec cat {} + | awk -F'\t' '
  { n[$1]++; names[$1] = names[$1] (names[$1] ? ", " : "") $3
    if (!seen[$1, $2]++) peers[$1] = peers[$1] (peers[$1] ? ", " : "") $2 }
  END {
    if (NR == 0) { print "== no peer test ran in this run"; exit }
    line = (n["ran"] + 0) " peer tests ran against their peers (" peers["ran"] ")"
    if (n["failed"]) line = line "; " n["failed"] " failed for a missing peer (" peers["failed"] "): " names["failed"]
    if (n["skipped"]) line = line "; " n["skipped"] " skipped (missing " peers["skipped"] "): " names["skipped"]
    if (!n["failed"] && !n["skipped"]) line = line ", none skipped"
    print "== " line
  }'
rm -rf "$log"
exit "$rc"
