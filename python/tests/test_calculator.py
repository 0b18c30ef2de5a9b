"""The ASE calculator: the numbers of `amorph energy`, stress, MD and optimisation in ASE."""

import numpy as np
import pytest

import amorph
from conftest import rel
from test_structures import li2o_atoms


def li2o_supercell(rattle=0.05, seed=7):
    a = li2o_atoms().repeat((2, 2, 2))  # 96 atoms, 9.22 Å
    a.rattle(rattle, seed=seed)
    return a


@pytest.mark.parametrize("potential", ["pedone", "auto-zbl"])
def test_energy_equals_the_cli(tmp_path, cli, potential):
    from ase.io import write

    atoms = li2o_supercell()
    path = tmp_path / "li2o.extxyz"
    write(path, atoms)
    want = cli("energy", path, "--potential", potential)
    got = amorph.energy(str(path), potential=potential)
    assert got.potential == want["potential"]
    assert rel(got.energy, want["energy"]) < 1e-12
    assert np.allclose(got.forces, want["forces"], rtol=0, atol=1e-10)
    assert np.allclose(got.stress, want["stress"], rtol=0, atol=1e-12)
    # The ASE calculator on the same Atoms (read back: the file holds rounded positions).
    from ase.io import read

    atoms = read(path)
    atoms.calc = amorph.AmorphCalculator(potential=potential)
    assert rel(atoms.get_potential_energy(), want["energy"]) < 1e-12
    assert np.allclose(atoms.get_forces(), want["forces"], rtol=0, atol=1e-10)
    assert np.allclose(atoms.get_stress(), want["stress"], rtol=0, atol=1e-12)
    # Pedone on Li2O is physical: a bound crystal.
    assert -8.0 < want["energy"] / len(atoms) < -4.0


def test_stress_is_the_strain_derivative():
    atoms = li2o_supercell()
    atoms.calc = amorph.AmorphCalculator(potential="pedone")
    analytic = atoms.get_stress()
    numeric = np.zeros(6)
    cell0 = atoms.get_cell().array.copy()
    voigt = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
    for k, (i, j) in enumerate(voigt):  # σ = (1/V) ∂E/∂ε by central differences
        e = []
        for d in (1e-5, -1e-5):
            strain = np.eye(3)
            strain[i, j] += d / (1 if i == j else 2)
            strain[j, i] += 0 if i == j else d / 2
            atoms.set_cell(cell0 @ strain, scale_atoms=True)
            e.append(atoms.get_potential_energy())
        atoms.set_cell(cell0, scale_atoms=True)
        numeric[k] = (e[0] - e[1]) / (2e-5 * atoms.get_volume())
    assert np.allclose(analytic, numeric, rtol=0, atol=1e-6), (analytic, numeric)


def test_bad_potential_raises_the_cli_message(cli_error, tmp_path):
    from ase.io import write

    with pytest.raises(amorph.AmorphError) as e:
        amorph.AmorphCalculator(potential="nonsense")
    path = tmp_path / "x.extxyz"
    write(path, li2o_atoms())
    assert str(e.value) == cli_error("energy", path, "--potential", "nonsense")
    # A composition the potential does not cover.
    from ase import Atoms

    s = Atoms("LiS", positions=[[0, 0, 0], [2, 2, 2]], cell=[5, 5, 5], pbc=True)
    s.calc = amorph.AmorphCalculator(potential="pedone-zbl")
    write(path, s)
    with pytest.raises(amorph.AmorphError) as e:
        s.get_potential_energy()
    assert str(e.value) == cli_error("energy", path, "--potential", "pedone-zbl")


def test_velocity_verlet_conserves_energy_and_matches_the_cli(tmp_path, cli):
    from ase import units
    from ase.io import write
    from ase.md.velocitydistribution import Stationary, thermalize_momenta
    from ase.md.verlet import VelocityVerlet

    atoms = li2o_supercell(rattle=0.02)
    atoms.calc = amorph.AmorphCalculator(potential="pedone")
    thermalize_momenta(atoms, temperature_K=600, rng=np.random.default_rng(1))
    Stationary(atoms)
    dyn = VelocityVerlet(atoms, timestep=1.0 * units.fs)
    totals, frames = [], []

    def record():
        totals.append(atoms.get_potential_energy() + atoms.get_kinetic_energy())
        if len(totals) % 50 == 1:
            frames.append((atoms.copy(), atoms.get_potential_energy()))

    dyn.attach(record, interval=1)
    dyn.run(200)
    totals = np.array(totals)
    drift = np.max(np.abs(totals - totals[0])) / len(atoms)
    ekin = atoms.get_kinetic_energy() / len(atoms)
    assert ekin > 0.01  # it moved
    assert drift < 2e-4, f"total energy wandered by {drift:.2e} eV/atom"
    # Velocity Verlet's error is second order in the step when the forces are the energy's
    # gradient: half the step, a quarter of the wander (measured 3.98).
    first = np.max(np.abs(totals[:101] - totals[0]))
    half = li2o_supercell(rattle=0.02)
    half.calc = amorph.AmorphCalculator(potential="pedone")
    thermalize_momenta(half, temperature_K=600, rng=np.random.default_rng(1))
    Stationary(half)
    fine = []
    dyn = VelocityVerlet(half, timestep=0.5 * units.fs)
    dyn.attach(lambda: fine.append(half.get_potential_energy() + half.get_kinetic_energy()), interval=1)
    dyn.run(200)
    ratio = first / np.max(np.abs(np.array(fine) - fine[0]))
    assert 3.0 < ratio < 5.0, ratio
    # The energies along the run equal `amorph energy` on the same frames: to the last bits on
    # the frames as written (extxyz rounds positions to 1e-8 Å), to that rounding on the run's.
    from ase.io import read

    for k, (frame, e) in enumerate(frames):
        path = tmp_path / f"frame{k}.extxyz"
        write(path, frame)
        want = cli("energy", path, "--potential", "pedone")["energy"]
        back = read(path)
        back.calc = amorph.AmorphCalculator(potential="pedone")
        assert rel(back.get_potential_energy(), want) < 1e-12, (k, back.get_potential_energy(), want)
        assert rel(e, want) < 1e-8, (k, e, want)


def test_ase_optimizers_run_on_it():
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE

    atoms = li2o_atoms().repeat((2, 2, 2))
    atoms.rattle(0.05, seed=3)
    atoms.set_cell(atoms.cell * 1.02, scale_atoms=True)  # stretched: a tensile stress
    atoms.calc = amorph.AmorphCalculator(potential="pedone")
    e0, s0 = atoms.get_potential_energy(), np.abs(atoms.get_stress()[:3]).max()
    FIRE(atoms, logfile=None).run(fmax=0.05, steps=300)
    assert np.abs(atoms.get_forces()).max() < 0.05
    e1 = atoms.get_potential_energy()
    assert e1 < e0
    # Then the cell too, through the stress: a few steps shrink the stress and the energy.
    FIRE(FrechetCellFilter(atoms), logfile=None).run(fmax=0.01, steps=30)
    assert atoms.get_potential_energy() < e1
    assert np.abs(atoms.get_stress()[:3]).max() < 0.2 * s0
