"""ASE ``Atoms`` and pymatgen ``Structure``/``Trajectory`` to and from amorph's types.

ASE and pymatgen are imported only by the functions that need them."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from . import _amorph


def _f64(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _is_ase(obj) -> bool:
    return type(obj).__module__.startswith("ase") and hasattr(obj, "get_atomic_numbers")


def _is_pymatgen_structure(obj) -> bool:
    return type(obj).__module__.startswith("pymatgen") and hasattr(obj, "lattice") and hasattr(obj, "sites")


def _is_pymatgen_trajectory(obj) -> bool:
    return type(obj).__module__.startswith("pymatgen") and hasattr(obj, "coords") and hasattr(obj, "species")


def from_ase(atoms) -> "_amorph.Structure":
    """An :class:`amorph.Structure` of an ASE ``Atoms`` (numbers, Cartesian positions, cell
    rows, pbc)."""
    return _amorph.Structure(
        [int(z) for z in atoms.get_atomic_numbers()],
        _f64(atoms.get_positions()),
        _f64(atoms.get_cell().array),
        tuple(bool(p) for p in atoms.get_pbc()),
    )


def to_ase(structure: "_amorph.Structure"):
    """An ASE ``Atoms`` of an :class:`amorph.Structure`."""
    from ase import Atoms

    return Atoms(
        numbers=structure.numbers,
        positions=structure.positions,
        cell=structure.cell,
        pbc=structure.pbc,
    )


def _numbers_pymatgen(species) -> list:
    from pymatgen.core import get_el_sp

    return [int(get_el_sp(sp).Z) for sp in species]


def from_pymatgen(structure) -> "_amorph.Structure":
    """An :class:`amorph.Structure` of an ordered pymatgen ``Structure``."""
    if not structure.is_ordered:
        raise _amorph.AmorphError(
            f"pymatgen structure {structure.composition.reduced_formula}: disordered sites "
            "(partial occupancies) have no single element; order it first"
        )
    return _amorph.Structure(
        _numbers_pymatgen(site.specie for site in structure),
        _f64(structure.cart_coords),
        _f64(structure.lattice.matrix),
        tuple(bool(p) for p in structure.lattice.pbc),
    )


def to_pymatgen(structure: "_amorph.Structure"):
    """A pymatgen ``Structure`` of an :class:`amorph.Structure`."""
    from pymatgen.core import Lattice, Structure

    return Structure(
        Lattice(structure.cell, pbc=structure.pbc),
        [int(z) for z in structure.numbers],
        structure.positions,
        coords_are_cartesian=True,
    )


def _as_structure(obj) -> "_amorph.Structure":
    if isinstance(obj, _amorph.Structure):
        return obj
    if _is_ase(obj):
        return from_ase(obj)
    if _is_pymatgen_structure(obj):
        return from_pymatgen(obj)
    raise TypeError(
        f"expected an amorph.Structure, an ASE Atoms or a pymatgen Structure, not {type(obj).__name__}"
    )


def _from_pymatgen_trajectory(traj, frame_fs: float, source: Optional[str]) -> "_amorph.Trajectory":
    # Arrays straight from the Trajectory (no Structure per frame): fractional coordinates,
    # or displacements that to_positions() turns back into them.
    if getattr(traj, "coords_are_displacement", False):
        import copy

        traj = copy.deepcopy(traj)
        traj.to_positions()
    frac = _f64(traj.coords)
    lattice = _f64(traj.lattice)
    if lattice.ndim == 2:
        cart = frac @ lattice
        cells = lattice[None, :, :]
    else:
        cart = np.einsum("fij,fjk->fik", frac, lattice)
        cells = lattice
    return _amorph.Trajectory(
        _numbers_pymatgen(traj.species), _f64(cart), _f64(cells), frame_fs, source
    )


def _same_atoms(numbers, per_frame) -> None:
    for f, z in enumerate(per_frame):
        if list(map(int, z)) != numbers:
            raise _amorph.AmorphError(
                f"trajectory: frame {f} holds other atoms (or another order) than frame 0"
            )


def trajectory(frames: Any, frame_fs: float = 1.0, source: Optional[str] = None) -> "_amorph.Trajectory":
    """An :class:`amorph.Trajectory` of a pymatgen ``Trajectory`` or of a list of ASE
    ``Atoms`` / pymatgen ``Structure`` / :class:`amorph.Structure` holding the same atoms in
    the same order; ``frame_fs`` fs between frames. A file name is read with
    :func:`amorph.read_trajectory`."""
    import os

    if isinstance(frames, _amorph.Trajectory):
        return frames
    if isinstance(frames, (str, os.PathLike)):
        return _amorph.read_trajectory(frames, frame_fs)
    if _is_pymatgen_trajectory(frames):
        return _from_pymatgen_trajectory(frames, frame_fs, source)
    frames = list(frames)
    if not frames:
        raise _amorph.AmorphError("trajectory: no frames")
    if all(_is_ase(a) for a in frames):
        numbers = [int(z) for z in frames[0].get_atomic_numbers()]
        _same_atoms(numbers, (a.get_atomic_numbers() for a in frames))
        pos = _f64(np.stack([a.get_positions() for a in frames]))
        cells = _f64(np.stack([a.get_cell().array for a in frames]))
        return _amorph.Trajectory(numbers, pos, cells, frame_fs, source)
    if all(_is_pymatgen_structure(s) for s in frames):
        numbers = _numbers_pymatgen(site.specie for site in frames[0])
        _same_atoms(numbers, (_numbers_pymatgen(site.specie for site in s) for s in frames))
        pos = _f64(np.stack([s.cart_coords for s in frames]))
        cells = _f64(np.stack([s.lattice.matrix for s in frames]))
        return _amorph.Trajectory(numbers, pos, cells, frame_fs, source)
    structures = [_as_structure(s) for s in frames]
    return _amorph.Trajectory.from_structures(structures, frame_fs, source)
