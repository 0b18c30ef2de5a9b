"""Features as pandas DataFrames, random forests and gradient boosting on numpy arrays, SISSO."""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence

import numpy as np

from . import _amorph
from ._results import SissoReport
from .convert import _as_structure


def _frame(table: dict):
    import pandas as pd

    columns = ["formula"]
    rows = table["rows"]
    if any("source" in r for r in rows):
        columns.append("source")
    if any("temperature" in r for r in rows):
        columns.append("temperature")
    columns += table["columns"]
    df = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    for c in table["columns"]:
        df[c] = df[c].astype(float)
    return df


def featurize(
    items: Sequence[Any],
    temperature: Optional[float] = None,
    sources: Optional[Sequence[str]] = None,
    convention: str = "paper",
    cutoff: float = 4.0,
    missing: str = "error",
):
    """The paper's descriptors (Table 1) as a pandas DataFrame under the paper's column names,
    one row per item, as ``amorph featurize``.

    ``items``: formulas (str: the 21 composition-only columns, as ``--formula``) or structures
    (:class:`amorph.Structure`, ASE ``Atoms``, pymatgen ``Structure``: all 43 columns).
    ``temperature`` (K) becomes the ``temperature`` column; ``missing="undefined"`` leaves the
    affected values NaN instead of raising.
    """
    items = list(items)
    if items and all(isinstance(x, str) for x in items):
        text = _amorph.featurize_formulas(items, convention, cutoff, missing)
    else:
        structures = [_as_structure(x) for x in items]
        src = None if sources is None else [str(s) for s in sources]
        text = _amorph.featurize_structures(structures, temperature, src, convention, cutoff, missing)
    return _frame(json.loads(text))


def _xy(x, y=None):
    xa = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if xa.ndim != 2:
        raise _amorph.AmorphError(f"X: shape {xa.shape}, expected (rows, features)")
    if y is None:
        return xa, None
    return xa, np.ascontiguousarray(np.asarray(y, dtype=np.float64).ravel())


class _Regressor:
    model_: Optional[_amorph.Model] = None

    def predict(self, x) -> np.ndarray:
        """One prediction per row of ``x``."""
        if self.model_ is None:
            raise _amorph.AmorphError(f"{type(self).__name__}: fit it before predicting")
        return self.model_.predict(_xy(x)[0])

    def score(self, x, y) -> float:
        """R² of the predictions of ``x`` against ``y`` (as scikit-learn's ``score``)."""
        y = np.asarray(y, dtype=float).ravel()
        p = self.predict(x)
        return float(1.0 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2))

    @property
    def feature_importances_(self) -> np.ndarray:
        """Built-in importances (sum 1), one per column."""
        if self.model_ is None:
            raise _amorph.AmorphError(f"{type(self).__name__}: not fitted")
        return np.asarray(self.model_.importances)


class RandomForest(_Regressor):
    """A random forest with scikit-learn's semantics (amorph-ml; ``amorph train --model rf``):
    ``RandomForest(n_estimators=100, max_depth=None, seed=62).fit(X, y).predict(X)``. The fit
    releases the GIL."""

    def __init__(self, n_estimators: int = 100, max_depth: Optional[int] = None, seed: int = 62):
        self.n_estimators, self.max_depth, self.seed = n_estimators, max_depth, seed

    def fit(self, x, y) -> "RandomForest":
        xa, ya = _xy(x, y)
        self.model_ = _amorph.fit_random_forest(xa, ya, self.n_estimators, self.max_depth, self.seed)
        return self


class GradientBoosting(_Regressor):
    """Gradient-boosted trees with XGBoost's semantics (``amorph train --model gbt``; defaults
    are the paper's: 100 trees, depth 4, learning rate 0.1, reg_alpha 0.8, ``hist``)."""

    def __init__(self, n_estimators: int = 100, max_depth: int = 4, learning_rate: float = 0.1,
                 reg_alpha: float = 0.8, reg_lambda: float = 1.0, gamma: float = 0.0,
                 min_child_weight: float = 1.0, subsample: float = 1.0,
                 colsample_bytree: float = 1.0, tree_method: str = "hist", seed: int = 62):
        self.params = dict(
            n_estimators=n_estimators, max_depth=max_depth, learning_rate=learning_rate,
            reg_alpha=reg_alpha, reg_lambda=reg_lambda, gamma=gamma,
            min_child_weight=min_child_weight, subsample=subsample,
            colsample_bytree=colsample_bytree, tree_method=tree_method, seed=seed,
        )

    def fit(self, x, y) -> "GradientBoosting":
        xa, ya = _xy(x, y)
        self.model_ = _amorph.fit_gradient_boosting(xa, ya, **self.params)
        return self


def sisso(
    data,
    target: str,
    ops: Optional[str] = None,
    max_dim: Optional[int] = None,
    rung: Optional[int] = None,
    max_complexity: Optional[int] = None,
    subspace: Optional[int] = None,
    n_models: Optional[int] = None,
    cv: Optional[int] = None,
    threads: Optional[int] = None,
    test=None,
    name: str = "<python>",
) -> SissoReport:
    """``amorph sisso``: SISSO models for dimensions 1..max_dim on a pandas DataFrame (every
    numeric column but ``target`` is a primary feature; text columns are skipped, as the
    command skips them). ``ops=""`` uses the primary features only (the paper's linear models);
    ``test`` is a DataFrame of held-out rows."""
    from pandas.api.types import is_numeric_dtype

    numeric = [c for c in data.columns if is_numeric_dtype(data[c])]
    if target not in numeric:
        raise _amorph.AmorphError(f"no numeric column `{target}`")
    cols = [data[c].astype(float).tolist() for c in numeric]
    test_cols = None if test is None else [test[c].astype(float).tolist() for c in numeric]
    text = _amorph.sisso(
        [str(c) for c in numeric], cols, target, ops, max_dim, rung, max_complexity, subspace,
        n_models, cv, threads, test_cols, name,
    )
    return SissoReport(json.loads(text))
