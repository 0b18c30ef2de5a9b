"""The workflow from Python and its database as a DataFrame."""

import math

import pytest

import amorph


@pytest.fixture(scope="module")
def smoke_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("wf") / "smoke.db"
    summary = amorph.run(["Li2O"], preset="smoke", db=db)
    return db, summary


def test_run_reports_each_composition(smoke_db):
    db, summary = smoke_db
    rows = summary.compositions
    assert [r["formula"] for r in rows] == ["Li2O"]
    assert rows[0]["status"] == "done", rows[0]


def test_database_frame_equals_the_cli_export(smoke_db, cli):
    db, _ = smoke_db
    df = amorph.database(db)
    want = cli("export", "--db", db)["rows"]
    assert len(df) == len(want) >= 1
    assert list(df.columns) == list(want[0].keys())
    for got, exp in zip(df.to_dict("records"), want):
        for k, v in exp.items():
            g = got[k]
            if v is None:
                assert g is None or (isinstance(g, float) and math.isnan(g)), k
            else:
                assert g == v, (k, g, v)


def test_the_same_run_from_the_cli_gives_the_same_rows(smoke_db, cli, tmp_path):
    db, _ = smoke_db
    other = tmp_path / "cli.db"
    cli("run", "Li2O", "--preset", "smoke", "--db", other)
    a, b = cli("export", "--db", db)["rows"], cli("export", "--db", other)["rows"]
    assert len(a) == len(b)
    for ra, rb in zip(a, b):
        for k, v in rb.items():
            if isinstance(v, float):
                assert abs(ra[k] - v) <= 1e-9 * max(abs(v), 1e-300), (k, ra[k], v)
            elif k not in ("db",):
                assert ra[k] == v, (k, ra[k], v)


def test_workflow_errors(tmp_path, cli_error):
    with pytest.raises(amorph.AmorphError) as e:
        amorph.run(["Li3PS4"], preset="smoke", db=tmp_path / "x.db")
    assert str(e.value).endswith(cli_error("run", "Li3PS4", "--preset", "smoke", "--db", tmp_path / "y.db").split(": ", 1)[-1])
    with pytest.raises(amorph.AmorphError):
        amorph.database(tmp_path / "missing.db")
