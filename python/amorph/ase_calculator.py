"""An ASE calculator backed by amorph's potentials."""

from __future__ import annotations

import numpy as np
from ase.calculators.calculator import Calculator, all_changes

from . import _amorph
from .convert import from_ase


class AmorphCalculator(Calculator):
    """amorph's potentials as an ASE calculator: energy (eV), forces (eV/Å) and
    stress (eV/Å³, ASE's sign and Voigt order), so ``ase.md`` and ``ase.optimize`` (cell filters
    too) run on it.

    ``potential``: ``auto`` (the physical potential that covers the composition), ``auto-zbl``,
    ``pedone``, ``pedone-zbl``, ``tosi-fumi``, ``tosi-fumi-zbl``, ``uff`` (a smoke-test
    potential, not physics), or ``sevennet`` / ``sevennet:PATH`` (SevenNet-0 through libtorch,
    when the package was built with the ``torch`` feature; ``device="cuda"`` for a GPU with
    ``torch,cuda``); ``coulomb``: ``ewald`` or ``dsf``; ``cutoff``: Pedone's
    short-range cutoff (Å). The numbers equal ``amorph energy --potential NAME`` on the same
    structure. Each call releases the GIL.
    """

    implemented_properties = ["energy", "free_energy", "forces", "stress"]

    def __init__(self, potential: str = "auto", coulomb: str = "ewald", cutoff: float = 5.5,
                 **kwargs):
        coulomb_options = {k: kwargs.pop(k) for k in ("ewald_accuracy", "dsf_alpha", "dsf_cutoff", "device") if k in kwargs}
        super().__init__(**kwargs)
        self.amorph = _amorph.Calculator(potential, coulomb, cutoff, **coulomb_options)

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        energy, forces, stress = self.amorph.calculate(from_ase(self.atoms))
        self.results = {
            "energy": energy,
            "free_energy": energy,
            "forces": np.asarray(forces),
            "stress": np.asarray(stress),
        }
