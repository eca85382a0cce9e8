"""Spreadsheet formula injection (OWASP, "CSV Injection"): every CSV the product writes has text
a spreadsheet would run quoted with an apostrophe, and numbers left as numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, update

from ecm.demo.build import build_demo
from ecm.safe_text import neutralise_cell, neutralise_frame, restore_cell, safe_csv
from ecm.store.models import Indicator
from tests.helpers import DEMO_SEED, drop_database, fresh_engine, run

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+44 1962 000000", "'+44 1962 000000"),
        ("-Fewer exclusions", "'-Fewer exclusions"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("'=already quoted", "''=already quoted"),
        ("'Tis well", "'Tis well"),
        ("Sure Start = help", "Sure Start = help"),
        ("-3.2", "-3.2"),
        ("+1", "+1"),
        ("-1e-3", "-1e-3"),
        ("-3.2 points", "'-3.2 points"),
        ("", ""),
        (-3.2, -3.2),
        (7, 7),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value: object, written: object) -> None:
    assert neutralise_cell(value) == written
    if isinstance(value, str):
        assert restore_cell(written) == value


def test_a_frame_quotes_its_text_and_keeps_its_numbers_as_numbers() -> None:
    frame = pd.DataFrame(
        {
            "name": [FORMULA, "Awbridge Primary School", None],
            "gap": [-3.2, 1.5, np.nan],
            "pupils": [12, 30, 8],
            "when": pd.to_datetime(["2008-09-01", "2009-09-01", "2010-09-01"]),
            "=header": ["a", "b", "c"],
        }
    )
    safe = neutralise_frame(frame)
    assert safe["name"].tolist()[:2] == ["'" + FORMULA, "Awbridge Primary School"]
    assert safe["gap"].dtype == frame["gap"].dtype and safe["pupils"].dtype == frame["pupils"].dtype
    assert list(safe.columns) == ["name", "gap", "pupils", "when", "'=header"]
    assert frame["name"].iloc[0] == FORMULA  # the frame shown on screen is not changed
    rows = list(csv.reader(io.StringIO(safe_csv(frame))))
    assert rows[0] == ["name", "gap", "pupils", "when", "'=header"]
    assert rows[1] == ["'" + FORMULA, "-3.2", "12", "2008-09-01", "a"]
    assert rows[3][:3] == ["", "", "8"]


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """The tiny demo with the KS2 indicator's title written as a spreadsheet formula."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("formula"))
    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    with engine.begin() as connection:
        connection.execute(update(Indicator).where(Indicator.code == "ni_73").values(title=FORMULA))
    yield url, engine
    engine.dispose()
    drop_database(url)


def test_the_profile_commands_csv_quotes_a_formula_title(formula_store, tmp_path: Path) -> None:
    url, _ = formula_store
    done = run("profile", "--la", "001", "--format", "csv", url=url)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    titles = {row["title"] for row in rows if row["indicator"] == "ni_73"}
    assert titles == {"'" + FORMULA}
    gaps = run("profile", "--la", "001", "--format", "csv", "--table", "gaps", url=url)
    gap_rows = list(csv.DictReader(io.StringIO(gaps.stdout)))
    negative = [row["gap"] for row in gap_rows if row["gap"].startswith("-")]
    assert negative and all(float(gap) < 0 for gap in negative)  # numbers, never quoted
    folder = run("profile", "--la", "001", "--format", "csv", "--output", str(tmp_path), url=url)
    assert folder.returncode == 0, folder.stderr
    with (tmp_path / "figures.csv").open(encoding="utf-8", newline="") as handle:
        written = {row["title"] for row in csv.DictReader(handle) if row["indicator"] == "ni_73"}
    assert written == {"'" + FORMULA}
