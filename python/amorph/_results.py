"""Result objects (their fields are the command line's ``--json`` fields) and the functions
that return them."""

from __future__ import annotations

import json
from os import PathLike
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np

from . import _amorph
from .convert import _as_structure, trajectory as _trajectory


class Result:
    """A small result object: every field of the command's ``--json`` object is an attribute
    (``r.diffusivity_cm2_s``) and a key (``r["diffusivity_cm2_s"]``); :meth:`to_dict` gives the
    plain dict."""

    def __init__(self, fields: dict):
        self._fields = dict(fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self._fields

    def keys(self):
        return self._fields.keys()

    def to_dict(self) -> dict:
        """The fields as a dict (the command's ``--json`` object)."""
        return dict(self._fields)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._fields))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items() if not isinstance(v, list))
        return f"{type(self).__name__}({inner})"


class DiffusionResult(Result):
    """``amorph diffusion``: D (pymatgen-compatible, cm²/s), its σ, per-axis D, conductivity
    (mS/cm), charge D, Haven ratio and ``gls`` (the covariance-aware D ± σ, a dict, or None);
    with the fitted MSD arrays ``dt_fs`` (fs), ``msd`` (Å²), ``msd_components`` (Å², shape
    (lags, 3)) and ``mscd`` (mean-square charge displacement, Å²)."""

    def __init__(self, fields, dt_fs, msd, msd_components, mscd):
        super().__init__(fields)
        self.__dict__["dt_fs"] = dt_fs
        self.__dict__["msd"] = msd
        self.__dict__["msd_components"] = msd_components
        self.__dict__["mscd"] = mscd


class ArrheniusFit(Result):
    """``amorph arrhenius`` for one group: ``ea_ev``, ``ea_std_ev``, ``d0_cm2_s``,
    ``ln_d0_std``, ``n_points``, ``weighted``, ``temperature_k``, ``d_extrapolated_cm2_s`` and
    ``d_extrapolated_std_cm2_s``."""


class EnergyResult(Result):
    """``amorph energy``: ``potential``, ``energy`` (eV), ``forces`` (eV/Å), ``stress`` (eV/Å³,
    Voigt, ASE's sign), ``pressure_bar`` (virial part)."""


class SissoReport(Result):
    """``amorph sisso``: per dimension (``dims``) the best models, their descriptors, RMSEs."""


class RdfResult(Result):
    """``amorph rdf``: ``r`` (Å) and per pair ``g``, ``cn``, first peak and coordination."""


def _diffusion_result(out) -> DiffusionResult:
    summary, dt, msd, comps, mscd = out
    return DiffusionResult(json.loads(summary), dt, msd, comps, mscd)


def diffusion(
    trajectory: Any,
    temperature: float,
    species: str = "Li",
    time_step: float = 2.0,
    step_skip: int = 1,
    smoothed: str = "max",
    min_obs: int = 30,
    avg_nsteps: int = 1000,
    min_lag_fs: float = 1000.0,
    drift: bool = True,
    paper_convention: bool = False,
    charge: Optional[float] = None,
    gls: bool = True,
    gls_start_fs: float = 1000.0,
    gls_max_lags: int = 400,
    kinisi_compat: bool = False,
) -> DiffusionResult:
    """The analysis of ``amorph diffusion TRAJ --temperature T`` with the same options and
    defaults.

    ``trajectory``: an :class:`amorph.Trajectory`, a file name (XDATCAR, extxyz, …), a pymatgen
    ``Trajectory``, or a list of ASE ``Atoms`` / pymatgen ``Structure``. Frames are
    ``time_step × step_skip`` fs apart (``time_step`` in fs, ``step_skip`` MD steps between
    stored frames). The GIL is released during the analysis.
    """
    if isinstance(trajectory, (str, PathLike)):
        trajectory = _amorph.read_trajectory(trajectory, time_step * step_skip)
    elif not isinstance(trajectory, _amorph.Trajectory):
        trajectory = _trajectory(trajectory, frame_fs=time_step * step_skip)
    return _diffusion_result(
        _amorph.diffusion(
            trajectory, temperature, species, time_step, step_skip, smoothed, min_obs,
            avg_nsteps, min_lag_fs, drift, paper_convention, charge, gls, gls_start_fs,
            gls_max_lags, kinisi_compat,
        )
    )


def diffusion_displacements(
    numbers: Sequence[int],
    displacements: np.ndarray,
    volume: float,
    temperature: float,
    **options: Any,
) -> DiffusionResult:
    """:func:`diffusion` on cumulative displacements from frame 0 (Å, shape (atoms, frames,
    3), as pymatgen's ``DiffusionAnalyzer.disp``) in a cell of ``volume`` Å³; same options."""
    disp = np.ascontiguousarray(displacements, dtype=float)
    return _diffusion_result(
        _amorph.diffusion_displacements(list(map(int, numbers)), disp, float(volume), temperature, **options)
    )


def arrhenius(
    temperatures: Sequence[float],
    d: Sequence[float],
    d_std: Optional[Sequence[float]] = None,
    at: float = 300.0,
) -> ArrheniusFit:
    """The Arrhenius fit of ``amorph arrhenius``: D (cm²/s) at temperatures (K), weighted by
    ``d_std`` when given; D extrapolated to ``at`` K."""
    std = None if d_std is None else [float(x) for x in d_std]
    return ArrheniusFit(
        json.loads(
            _amorph.arrhenius([float(t) for t in temperatures], [float(x) for x in d], std, at)
        )
    )


def rdf(
    structures: Any,
    rmax: float = 6.0,
    nbins: int = 120,
    pairs: Sequence[str] = (),
    cn_cutoff: Optional[float] = None,
) -> RdfResult:
    """``amorph rdf``: partial RDFs averaged over the frames (a :class:`Trajectory`, a list of
    structures or one structure), with coordination numbers; ``pairs`` like ``["Li-O"]``."""
    if isinstance(structures, _amorph.Trajectory):
        frames = [structures.frame(i) for i in range(structures.n_frames)]
    elif isinstance(structures, (list, tuple)):
        frames = [_as_structure(s) for s in structures]
    else:
        frames = [_as_structure(structures)]
    return RdfResult(json.loads(_amorph.rdf(frames, rmax, nbins, list(pairs), cn_cutoff)))


def energy(
    structure: Any,
    potential: str = "auto",
    coulomb: str = "ewald",
    cutoff: float = 5.5,
    **coulomb_options: float,
) -> EnergyResult:
    """``amorph energy --potential NAME``: energy, forces and stress of a structure (an
    :class:`amorph.Structure`, an ASE ``Atoms``, a pymatgen ``Structure`` or a file name)."""
    name = "<python>"
    if isinstance(structure, (str, PathLike)):
        name = str(structure)
        structure = _amorph.read_structure(structure)
    calc = _amorph.Calculator(potential, coulomb, cutoff, **coulomb_options)
    return EnergyResult(json.loads(calc.energy(_as_structure(structure), name)))
