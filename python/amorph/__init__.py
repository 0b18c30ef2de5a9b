"""amorph from Python: amorphous materials, Li-ion diffusion, descriptors and machine learning.

The numbers come from amorph's Rust library (the same calls the ``amorph`` command line makes),
so a result here equals the command's ``--json`` output on the same input. ``import amorph``
needs only numpy; ASE, pymatgen and pandas are imported when a function needs them.

Structures and trajectories
    :class:`Structure`, :class:`Trajectory`, :func:`read_structure`, :func:`read_trajectory`,
    :func:`from_ase`, :func:`to_ase`, :func:`from_pymatgen`, :func:`to_pymatgen`,
    :func:`trajectory` (from a list of ASE ``Atoms``/pymatgen ``Structure`` or a pymatgen
    ``Trajectory``).
Diffusion
    :func:`diffusion` (as ``amorph diffusion``), :func:`arrhenius`, :func:`rdf`.
Forces
    :class:`Calculator` (built-in potentials), :func:`energy` (as ``amorph energy``),
    :class:`AmorphCalculator` (an ASE calculator with stress, in ``amorph.ase_calculator``).
Features and learning
    :func:`featurize` (a pandas DataFrame under the paper's column names),
    :class:`RandomForest`, :class:`GradientBoosting`, :func:`sisso`.
Workflow
    :func:`run` (as ``amorph run``), :func:`database` (as ``amorph export``, a DataFrame).

Errors raise :class:`AmorphError` (a ``ValueError``) with the one-line message the command
line prints.
"""

from ._amorph import (
    AmorphError,
    Calculator,
    Model,
    Structure,
    Trajectory,
    __version__,
    features,
    read_structure,
    read_trajectory,
)
from ._results import (
    ArrheniusFit,
    DiffusionResult,
    EnergyResult,
    Result,
    SissoReport,
    RdfResult,
    arrhenius,
    diffusion,
    diffusion_displacements,
    energy,
    rdf,
)
from .convert import from_ase, from_pymatgen, to_ase, to_pymatgen, trajectory
from .learn import GradientBoosting, RandomForest, featurize, sisso
from .workflow import database, run

__all__ = [
    "AmorphError",
    "AmorphCalculator",
    "ArrheniusFit",
    "Calculator",
    "DiffusionResult",
    "EnergyResult",
    "GradientBoosting",
    "Model",
    "RandomForest",
    "RdfResult",
    "Result",
    "SissoReport",
    "Structure",
    "Trajectory",
    "__version__",
    "arrhenius",
    "database",
    "diffusion",
    "diffusion_displacements",
    "energy",
    "featurize",
    "features",
    "from_ase",
    "from_pymatgen",
    "rdf",
    "read_structure",
    "read_trajectory",
    "run",
    "sisso",
    "to_ase",
    "to_pymatgen",
    "trajectory",
]


def __getattr__(name):
    # The ASE calculator subclasses ase.calculators.calculator.Calculator, so ASE is imported
    # only when it is asked for.
    if name == "AmorphCalculator":
        from .ase_calculator import AmorphCalculator

        return AmorphCalculator
    raise AttributeError(f"module 'amorph' has no attribute {name!r}")
