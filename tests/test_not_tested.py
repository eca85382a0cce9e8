"""A gap with no interval reads "not tested" alike in the profile's JSON, the command line's
CSV and table, and the school page: Attainment 8 is published without standard deviations or
limits, so its gaps have nothing to be tested by and must not read "not significant"."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from tests.helpers import KS4, build_real_store, drop_database, open_app, run

pytestmark = pytest.mark.realdata

#: A Hampshire school of 2017/18 whose disadvantaged pupils' Attainment 8 is published.
URN = "116234"


@pytest.fixture(scope="module")
def ks4_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = build_real_store(tmp_path_factory.mktemp("ks4"), (KS4,))
    yield url
    drop_database(url)


def test_attainment_8_gaps_are_not_tested_in_json(ks4_url: str) -> None:
    done = run("profile", "--school", URN, "--format", "json", url=ks4_url)
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    att8 = [g for g in profile["gaps"] if g["indicator"] == "att8scr"]
    assert att8 and all(g["lower"] is None and g["significant"] is None for g in att8)
    own = next(g for g in att8 if g["kind"] == "within" and g["focus_group"] == "disadvantaged")
    assert own["gap"] == 5.0
    context = [c for c in profile["context_gaps"] if c["indicator"] == "att8scr"]
    assert context and all(c["significant"] is None for c in context)
    # Progress 8 has published limits, so its gaps are tested: True or False, never None.
    p8 = [g for g in profile["gaps"] if g["indicator"] == "p8mea"]
    assert p8 and all(isinstance(g["significant"], bool) for g in p8)


def test_attainment_8_gaps_are_not_tested_in_csv_and_table(ks4_url: str) -> None:
    done = run("profile", "--school", URN, "--format", "csv", "--table", "gaps", url=ks4_url)
    assert done.returncode == 0, done.stderr
    gaps = list(csv.DictReader(io.StringIO(done.stdout)))
    verdicts = {(g["indicator"], g["kind"], g["focus_group"]): g["significant"] for g in gaps}
    assert {v for k, v in verdicts.items() if k[0] == "att8scr"} == {"not tested"}
    assert {v for k, v in verdicts.items() if k[0] == "p8mea"} == {"True", "False"}
    table = run("profile", "--school", URN, "--format", "table", url=ks4_url)
    assert table.returncode == 0, table.stderr
    gap_lines = table.stdout.split("Gaps (positive")[1].splitlines()
    att8 = [line for line in gap_lines if line.lstrip().startswith("att8scr")]
    assert len(att8) == 6 and all("not tested" in line for line in att8)
    assert not any("not tested" in line for line in gap_lines if "p8mea" in line)


def test_the_school_page_says_not_tested_for_attainment_8(
    ks4_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECM_DATABASE_URL", ks4_url)
    at = open_app("app_pages/school.py", urn=URN)
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "School vs national (DfE)" in d.value.columns)
    att8 = table[table["Indicator"] == "Average Attainment 8 score"]
    assert len(att8) == 2
    assert att8["School"].str.endswith("(not tested)").all()
    assert att8["LA"].str.endswith("(not tested)").all()
    p8 = table[table["Indicator"] == "Progress 8 score"]
    assert not p8["School"].str.contains("not tested").any()
