"""Shared fixtures: the repository's data and the `amorph` command line the bindings are
compared against (its path in $AMORPH_BIN; scripts/peers/python.sh builds it and sets it)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    if not DATA.is_dir():
        pytest.fail(f"no shared data at {DATA} (the repository is checked out beside shared/)")
    return DATA


@pytest.fixture(scope="session")
def amorph_bin() -> str:
    path = os.environ.get("AMORPH_BIN")
    if not path or not Path(path).is_file():
        pytest.fail(
            "the tests compare against the `amorph` command: set AMORPH_BIN to the binary "
            "(scripts/peers/python.sh builds it and sets it)"
        )
    return path


@pytest.fixture(scope="session")
def cli(amorph_bin):
    """Runs `amorph ARGS --json` and returns the parsed JSON (fails on a non-zero exit)."""

    def run(*args, json_out=True):
        cmd = [amorph_bin, *map(str, args)] + (["--json"] if json_out else [])
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
        return json.loads(p.stdout) if json_out else p.stdout

    return run


@pytest.fixture(scope="session")
def cli_error(amorph_bin):
    """Runs `amorph ARGS` that must fail and returns its one-line error (without `error: `)."""

    def run(*args):
        p = subprocess.run([amorph_bin, *map(str, args)], capture_output=True, text=True)
        assert p.returncode != 0, f"amorph {args} succeeded"
        line = p.stderr.strip().splitlines()[-1]
        assert line.startswith("error: "), line
        return line[len("error: "):]

    return run


def rel(a: float, b: float) -> float:
    """Relative difference."""
    return abs(a - b) / max(abs(b), 1e-300)
