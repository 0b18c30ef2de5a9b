"""The example script of examples/python/ runs and passes its own checks."""

import subprocess
import sys

from conftest import ROOT


def test_pymatgen_example_runs():
    script = ROOT / "examples/python/pymatgen_diffusion.py"
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "D (GLS)" in p.stdout and "Li–S first peak" in p.stdout
