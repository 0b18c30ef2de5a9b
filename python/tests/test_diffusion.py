"""Diffusion, Arrhenius fits and RDFs: the same numbers as the `amorph` command line."""

import json

import numpy as np
import pytest

import amorph
from conftest import rel

XDATCAR = "diffusion/Li6PS5Cl_500K_XDATCAR.gz"
OPTS = dict(temperature=500, time_step=2, step_skip=50)
CLI_OPTS = ["--species", "Li", "--temperature", 500, "--time-step", 2, "--step-skip", 50]
FIELDS = [
    "diffusivity_cm2_s", "diffusivity_std_cm2_s", "conductivity_mS_cm", "charge_diffusivity_cm2_s",
    "charge_conductivity_mS_cm", "haven_ratio",
]


def assert_same(py: dict, cli: dict, tol: float):
    for k in FIELDS:
        assert rel(py[k], cli[k]) <= tol, (k, py[k], cli[k])
    for a, b in zip(py["diffusivity_components_cm2_s"], cli["diffusivity_components_cm2_s"]):
        assert rel(a, b) <= tol
    for k in ["diffusivity_cm2_s", "std_cm2_s", "conductivity_mS_cm", "intercept_a2"]:
        assert rel(py["gls"][k], cli["gls"][k]) <= tol, (k, py["gls"][k], cli["gls"][k])
    assert py["gls"]["n_lags"] == cli["gls"]["n_lags"]
    assert (py["n_diffusing"], py["n_frames"]) == (cli["n_diffusing"], cli["n_frames"])


@pytest.fixture(scope="module")
def cli_xdatcar(cli, data):
    return cli("diffusion", data / XDATCAR, *CLI_OPTS)


def test_xdatcar_equals_the_cli(data, cli_xdatcar):
    r = amorph.diffusion(str(data / XDATCAR), **OPTS)
    assert isinstance(r, amorph.DiffusionResult)
    assert_same(r.to_dict(), cli_xdatcar, 1e-12)
    assert r.file == cli_xdatcar["file"]
    # The data set's reference: a pymatgen-style analysis gives D_Li ≈ 1.333e-05 cm²/s.
    assert abs(r.diffusivity_cm2_s / 1.333e-05 - 1) < 0.01
    # The MSD arrays: one value per fitted lag, increasing in time, per-axis sums to the total.
    assert r.dt_fs.shape == r.msd.shape == r.mscd.shape and r.msd_components.shape == (len(r.msd), 3)
    assert np.all(np.diff(r.dt_fs) > 0)
    assert np.allclose(r.msd_components.sum(axis=1), r.msd, rtol=1e-12)


def test_pymatgen_trajectory_equals_the_cli(data, cli_xdatcar):
    from pymatgen.core.trajectory import Trajectory

    traj = Trajectory.from_file(str(data / XDATCAR))
    r = amorph.diffusion(traj, **OPTS)
    # pymatgen parses the fractional coordinates and multiplies by the lattice itself: the
    # positions differ from amorph's reader in the last bits only.
    assert_same(r.to_dict(), cli_xdatcar, 1e-9)


def test_list_of_ase_atoms_equals_the_cli(data, cli_xdatcar):
    from ase.io import read

    frames = read(str(data / XDATCAR), index=":", format="vasp-xdatcar")
    r = amorph.diffusion(frames, **OPTS)
    assert_same(r.to_dict(), cli_xdatcar, 1e-9)


def test_pymatgen_fixture_displacements_give_pymatgen_numbers(data):
    # pymatgen-analysis-diffusion's own DiffusionAnalyzer fixture (shared/data/README.md):
    # smoothed="max" D = 1.16129306e-06 cm²/s, conductivity 74.16537 mS/cm,
    # charge D 3.64565578e-06, Haven ratio 0.31854161.
    from pymatgen.core import Structure

    d = json.loads((data / "diffusion/pymatgen_LGPS_600K.json").read_text())
    s = Structure.from_dict(d["structure"])
    r = amorph.diffusion_displacements(
        [site.specie.Z for site in s], np.array(d["displacements"]), s.volume, d["temperature"],
        time_step=d["time_step"], step_skip=d["step_skip"], min_obs=d["min_obs"], gls=False,
    )
    assert rel(r.diffusivity_cm2_s, 1.16129306e-06) < 1e-7
    assert rel(r.conductivity_mS_cm, 74.16537) < 1e-6
    assert rel(r.charge_diffusivity_cm2_s, 3.64565578e-06) < 1e-7
    assert rel(r.haven_ratio, 0.31854161) < 1e-6
    assert r.gls is None


def test_diffusion_errors_carry_the_cli_message(tmp_path, cli_error, data):
    missing = tmp_path / "XDATCAR"
    with pytest.raises(amorph.AmorphError) as e:
        amorph.diffusion(str(missing), temperature=500)
    assert str(e.value) == cli_error("diffusion", missing, "--temperature", 500)
    t = amorph.read_trajectory(data / XDATCAR, 100.0)
    with pytest.raises(amorph.AmorphError, match="--species Xx"):
        amorph.diffusion(t, temperature=500, species="Xx")
    # Too few frames for the longest fitted lag: the library's message, as the command's.
    short = tmp_path / "short.extxyz"
    amorph.trajectory([t.frame(i) for i in range(3)]).write(short)
    with pytest.raises(amorph.AmorphError) as e:
        amorph.diffusion(str(short), temperature=500, time_step=2, step_skip=50)
    assert str(e.value) == cli_error("diffusion", short, *CLI_OPTS)


def test_arrhenius_equals_the_cli(tmp_path, cli):
    t = [600.0, 800.0, 1000.0, 1200.0]
    d = [1.1e-7, 1.3e-6, 6.0e-6, 1.6e-5]
    s = [0.1e-7, 0.1e-6, 0.5e-6, 0.1e-5]
    table = tmp_path / "arr.dat"
    table.write_text("temperature D D_std\n" + "".join(f"{a} {b} {c}\n" for a, b, c in zip(t, d, s)))
    want = cli("arrhenius", table, "--at", 300)
    want = want.get("single") or want["fits"][0]
    got = amorph.arrhenius(t, d, s, at=300)
    for k in ["ea_ev", "ea_std_ev", "d0_cm2_s", "d_extrapolated_cm2_s"]:
        assert rel(got[k], want[k]) < 1e-12, k
    assert got.weighted and 0.3 < got.ea_ev < 1.0


def test_rdf_equals_the_cli(data, cli):
    t = amorph.read_trajectory(data / XDATCAR, 100.0)
    want = cli("rdf", data / XDATCAR, "--every", 20, "--pairs", "Li-S,P-S")
    got = amorph.rdf([t.frame(i) for i in range(0, t.n_frames, 20)], pairs=["Li-S", "P-S"])
    assert got.r == want["r"]
    for a, b in zip(got.pairs, want["pairs"]):
        assert a["pair"] == b["pair"] and a["g"] == b["g"] and a["cn"] == b["cn"]
