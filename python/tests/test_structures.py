"""Structures and trajectories to and from ASE and pymatgen; errors."""

import numpy as np
import pytest

import amorph


def li2o_atoms():
    from ase.spacegroup import crystal

    # Antifluorite Li2O (Fm-3m, a = 4.61 Å): 12 atoms in the conventional cell.
    return crystal(["O", "Li"], [(0, 0, 0), (0.25, 0.25, 0.25)], spacegroup=225, cellpar=[4.61] * 3 + [90] * 3)


def test_import_needs_only_numpy():
    import subprocess
    import sys

    code = "import sys, amorph; bad = [m for m in ('ase', 'pymatgen', 'pandas') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ase_round_trip():
    atoms = li2o_atoms()
    atoms.rattle(0.05, seed=1)
    s = amorph.from_ase(atoms)
    assert len(s) == 12 and s.formula in ("Li8O4", "O4Li8")
    assert np.array_equal(s.positions, atoms.get_positions())
    assert np.array_equal(s.cell, atoms.get_cell().array)
    back = amorph.to_ase(s)
    assert list(back.get_chemical_symbols()) == list(atoms.get_chemical_symbols())
    assert np.array_equal(back.get_positions(), atoms.get_positions())
    assert abs(s.density - 2.02) < 0.03  # Li2O: 2.01 g/cm³


def test_pymatgen_round_trip():
    from pymatgen.core import Lattice, Structure

    p = Structure(Lattice.cubic(4.2), ["Mg", "O"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    s = amorph.from_pymatgen(p)
    assert s.symbols == ["Mg", "O"]
    assert np.allclose(s.positions, p.cart_coords, atol=0, rtol=0)
    q = amorph.to_pymatgen(s)
    assert q == p


def test_disordered_pymatgen_is_refused():
    from pymatgen.core import Lattice, Structure

    p = Structure(Lattice.cubic(4.2), [{"Mg": 0.5, "Ca": 0.5}, "O"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(amorph.AmorphError, match="disordered"):
        amorph.from_pymatgen(p)


def test_trajectory_from_ase_list_equals_the_file(tmp_path):
    from ase.io import write

    frames = []
    for k in range(5):
        a = li2o_atoms()
        a.rattle(0.02, seed=k)
        frames.append(a)
    path = tmp_path / "t.extxyz"
    write(path, frames)
    t = amorph.trajectory(frames, frame_fs=2.0)
    f = amorph.read_trajectory(path, 2.0)
    assert (t.n_frames, t.n_atoms) == (5, 12) == (f.n_frames, f.n_atoms)
    assert np.allclose(t.positions, f.positions, atol=1e-7)
    assert np.array_equal(t.numbers, f.numbers)


def test_trajectory_of_other_atoms_is_refused():
    a, b = li2o_atoms(), li2o_atoms()
    b.numbers[[0, 5]] = b.numbers[[5, 0]]
    with pytest.raises(amorph.AmorphError, match="frame 1 holds other atoms"):
        amorph.trajectory([a, b])


def test_error_is_a_value_error_with_the_cli_message(tmp_path, cli_error):
    assert issubclass(amorph.AmorphError, ValueError)
    missing = tmp_path / "missing.extxyz"
    with pytest.raises(amorph.AmorphError) as e:
        amorph.read_structure(missing)
    assert str(e.value) == cli_error("energy", missing)
    bad = tmp_path / "bad.extxyz"
    bad.write_text("2\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3\nLi 0 0 0\n")
    with pytest.raises(amorph.AmorphError) as e:
        amorph.read_structure(bad)
    assert str(e.value) == cli_error("energy", bad)


def test_bad_arrays_raise():
    with pytest.raises(amorph.AmorphError, match="atomic number 0"):
        amorph.Structure([0], np.zeros((1, 3)), np.eye(3) * 5)
    with pytest.raises(amorph.AmorphError, match="position of atom 0"):
        amorph.Structure([3], np.array([[np.nan, 0, 0]]), np.eye(3) * 5)
