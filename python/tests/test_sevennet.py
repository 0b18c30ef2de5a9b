"""SevenNet-0 through the bindings (a package built with the `torch` feature): the ASE
calculator equals the Python `SevenNetCalculator`'s numbers stored by
scripts/fixtures/sevennet_fixtures.py (sevenn 0.13.0) on the same five cells, to the tolerances
of amorph-mlip's own tests.

scripts/peers/python.sh builds the package with `--features torch` when libtorch is set up
(scripts/test.sh does that) and then sets AMORPH_PYTHON_TORCH=1: a package without the feature
fails these tests instead of skipping them."""

import json
import os

import numpy as np
import pytest

import amorph
from conftest import ROOT

FIXTURES = sorted((ROOT / "amorph-mlip" / "tests" / "fixtures" / "sevennet").glob("*.json"))


@pytest.fixture(scope="module")
def with_torch():
    if "torch" not in amorph.features:
        if os.environ.get("AMORPH_PYTHON_TORCH") == "1":
            pytest.fail("AMORPH_PYTHON_TORCH=1 but the package was built without --features torch")
        pytest.skip("package built without --features torch (scripts/peers/python.sh with libtorch builds it)")


def test_five_fixture_cells():
    assert len(FIXTURES) == 5, FIXTURES


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_ase_calculator_equals_the_python_sevennet_calculator(with_torch, path):
    from ase import Atoms

    f = json.loads(path.read_text())
    atoms = Atoms(f["symbols"], positions=f["positions"], cell=f["cell"], pbc=True)
    atoms.calc = amorph.AmorphCalculator(potential="sevennet")
    assert abs(atoms.get_potential_energy() - f["energy"]) < 1e-4
    assert np.abs(atoms.get_forces() - np.array(f["forces"])).max() < 1e-5
    assert np.abs(atoms.get_stress() - np.array(f["stress"])).max() < 1e-6


def test_sevennet_is_built_or_refused_in_one_line():
    if "torch" in amorph.features:
        assert amorph.AmorphCalculator(potential="sevennet").amorph.potential == "sevennet"
        return
    with pytest.raises(amorph.AmorphError) as e:
        amorph.AmorphCalculator(potential="sevennet")
    assert "--features torch" in str(e.value)
    assert "\n" not in str(e.value)
