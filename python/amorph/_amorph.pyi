"""Type stubs of the Rust extension amorph._amorph (see python/src/)."""

from os import PathLike
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

_Path = Union[str, PathLike]
_F64 = npt.NDArray[np.float64]

__version__: str

class AmorphError(ValueError):
    """An input amorph cannot use; the message names it in one line, as the command line."""

class Structure:
    """A periodic structure: atomic numbers, Cartesian positions (Å), cell rows (Å)."""
    def __init__(
        self,
        numbers: Sequence[int],
        positions: _F64,
        cell: _F64,
        pbc: Tuple[bool, bool, bool] = (True, True, True),
    ) -> None: ...
    @property
    def numbers(self) -> npt.NDArray[np.int64]: ...
    @property
    def symbols(self) -> list[str]: ...
    @property
    def positions(self) -> _F64: ...
    @property
    def cell(self) -> _F64: ...
    @property
    def pbc(self) -> Tuple[bool, bool, bool]: ...
    @property
    def formula(self) -> str: ...
    @property
    def volume(self) -> float: ...
    @property
    def density(self) -> float: ...
    def write(self, path: _Path) -> None: ...
    def __len__(self) -> int: ...

class Trajectory:
    """A periodic trajectory: the same atoms over frames (positions (frames, atoms, 3))."""
    def __init__(
        self,
        numbers: Sequence[int],
        positions: _F64,
        cells: _F64,
        frame_fs: float = 1.0,
        source: Optional[str] = None,
    ) -> None: ...
    @staticmethod
    def from_structures(
        structures: Sequence[Structure], frame_fs: float = 1.0, source: Optional[str] = None
    ) -> Trajectory: ...
    @property
    def n_frames(self) -> int: ...
    @property
    def n_atoms(self) -> int: ...
    @property
    def frame_fs(self) -> float: ...
    @property
    def source(self) -> str: ...
    @property
    def numbers(self) -> npt.NDArray[np.int64]: ...
    @property
    def symbols(self) -> list[str]: ...
    @property
    def positions(self) -> _F64: ...
    @property
    def cells(self) -> _F64: ...
    def frame(self, index: int) -> Structure: ...
    def write(self, path: _Path) -> None: ...
    def __len__(self) -> int: ...

def read_structure(path: _Path, frame: int = -1) -> Structure: ...
def read_trajectory(path: _Path, frame_fs: float = 1.0) -> Trajectory: ...

_DiffusionOut = Tuple[str, _F64, _F64, _F64, _F64]

def diffusion(
    trajectory: Trajectory,
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
) -> _DiffusionOut: ...
def diffusion_displacements(
    numbers: Sequence[int],
    displacements: _F64,
    volume: float,
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
    name: str = "<python>",
) -> _DiffusionOut: ...
def arrhenius(
    temperatures: Sequence[float],
    d: Sequence[float],
    d_std: Optional[Sequence[float]] = None,
    at: float = 300.0,
) -> str: ...
def rdf(
    structures: Sequence[Structure],
    rmax: float = 6.0,
    nbins: int = 120,
    pairs: Sequence[str] = ...,
    cn_cutoff: Optional[float] = None,
) -> str: ...

class Calculator:
    """A potential (as ``amorph energy --potential NAME``): a built-in one, or ``sevennet`` in
    a package built with the ``torch`` feature (see ``features``)."""
    def __init__(
        self,
        potential: str = "auto",
        coulomb: str = "ewald",
        cutoff: float = 5.5,
        ewald_accuracy: float = ...,
        dsf_alpha: float = ...,
        dsf_cutoff: float = ...,
        device: str = "cpu",
    ) -> None: ...
    @property
    def potential(self) -> str: ...
    def calculate(self, structure: Structure) -> Tuple[float, _F64, _F64]: ...
    def energy(self, structure: Structure, name: str = "<python>") -> str: ...

def featurize_formulas(
    formulas: Sequence[str], convention: str = "paper", cutoff: float = 4.0, missing: str = "error"
) -> str: ...
def featurize_structures(
    structures: Sequence[Structure],
    temperature: Optional[float] = None,
    sources: Optional[Sequence[str]] = None,
    convention: str = "paper",
    cutoff: float = 4.0,
    missing: str = "error",
) -> str: ...

class Model:
    """A fitted random forest or gradient-boosting model."""
    def predict(self, x: _F64) -> _F64: ...
    @property
    def importances(self) -> Optional[list[float]]: ...
    @property
    def n_features(self) -> int: ...
    def to_json(self) -> str: ...

def fit_random_forest(
    x: _F64, y: _F64, n_estimators: int = 100, max_depth: Optional[int] = None, seed: int = 62
) -> Model: ...
def fit_gradient_boosting(
    x: _F64,
    y: _F64,
    n_estimators: int = 100,
    max_depth: int = 4,
    learning_rate: float = 0.1,
    reg_alpha: float = 0.8,
    reg_lambda: float = 1.0,
    gamma: float = 0.0,
    min_child_weight: float = 1.0,
    subsample: float = 1.0,
    colsample_bytree: float = 1.0,
    tree_method: str = "hist",
    seed: int = 62,
) -> Model: ...
def sisso(
    names: Sequence[str],
    columns: Sequence[Sequence[float]],
    target: str,
    ops: Optional[str] = None,
    max_dim: Optional[int] = None,
    rung: Optional[int] = None,
    max_complexity: Optional[int] = None,
    subspace: Optional[int] = None,
    n_models: Optional[int] = None,
    cv: Optional[int] = None,
    threads: Optional[int] = None,
    test_columns: Optional[Sequence[Sequence[float]]] = None,
    name: str = "<python>",
) -> str: ...
def run(
    formulas: Sequence[str], preset: str = "paper", db: _Path = "amorph.db", config: Optional[str] = None
) -> str: ...
def export(db: _Path) -> str: ...
