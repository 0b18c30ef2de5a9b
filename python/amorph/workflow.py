"""The MPMorph workflow (``amorph run``) and its database as a pandas DataFrame."""

from __future__ import annotations

import json
from os import PathLike
from typing import Optional, Sequence, Union

from . import _amorph
from ._results import Result


class RunSummary(Result):
    """``amorph run --json``: per composition whether it finished, with the database path."""


def run(
    formulas: Sequence[str],
    preset: str = "paper",
    db: Union[str, PathLike] = "amorph.db",
    config: Optional[str] = None,
) -> RunSummary:
    """``amorph run FORMULA... --preset P --db DB``: melt–quench each composition with the
    built-in potentials into the SQLite database (resumed when it exists). ``preset`` is
    ``paper``, ``demo`` (minutes) or ``smoke`` (seconds, not science); ``config`` is TOML text
    with the keys of ``amorph run --config``. Releases the GIL while it runs."""
    if isinstance(formulas, str):
        formulas = [formulas]
    return RunSummary(json.loads(_amorph.run(list(formulas), preset, str(db), config)))


def database(db: Union[str, PathLike] = "amorph.db"):
    """``amorph export --db DB`` as a pandas DataFrame: one row per composition × temperature,
    with the trust flags of each row."""
    import pandas as pd

    return pd.DataFrame(json.loads(_amorph.export(str(db))))
