"""A plan started from an area's gaps: the template pre-filled with one draft action per gap
the Board would act on (the area page's league), withheld gaps left out, and a file that
imports once the Board has named lead partners and target gaps."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from ecm.access.rights import operator
from ecm.cli.main import main
from ecm.demo.build import build_demo
from ecm.errors import DataError
from ecm.figures import queries
from ecm.importers import import_file
from ecm.places.overview import gap_league
from ecm.places.profile import build_profile
from ecm.plan.io import SHEETS, draft_plan, import_plan, plan_template_for, read_plan
from ecm.plan.io.draft import WIDEST, draft_gaps
from ecm.plan.loaders import la_plan_coverage
from tests.helpers import DEMO_SEED, KS2, TIDY, drop_database, fresh_engine, read

#: The tiny demo's first LA; its plans start in 2008, so none was in force in 2006/07.
LA, EARLY = "Z10000001", "2006/07"
HAMPSHIRE = "E10000014"


def league_of(engine: Engine, la_code: str, period: str) -> pd.DataFrame:
    """The significant or widening gaps the area page lists for the LA and year."""
    profile = build_profile(engine, "la", la_code, period)
    return gap_league(pd.DataFrame(profile["gaps"]), pd.DataFrame(profile["observations"]))


def sheet_rows(workbook: bytes, name: str) -> list[dict]:
    """A sheet of a workbook as records by header."""
    rows = list(load_workbook(io.BytesIO(workbook))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def assert_drafts_match_the_league(engine: Engine, la_code: str, period: str) -> dict:
    """One draft action and target per gap of the area's league, in its order, with the gap's
    indicator, focus group, period and size (rounded as the draft states it)."""
    league = league_of(engine, la_code, period)
    rows = draft_plan(engine, la_code, period).rows
    assert len(league) > 0
    assert len(rows["Actions"]) == len(rows["Targets"]) == len(league)
    # The league's order: significant and widening first, then widest.
    assert [(t["indicator"], t["group"]) for t in rows["Targets"]] == list(
        zip(league["indicator"], league["focus_group"], strict=True)
    )
    # Sizes as the plan states them: one decimal (two for a gap under 10 not in percent).
    sizes = [t["baseline_gap"] for t in rows["Targets"]]
    assert sizes == pytest.approx(list(league["gap"]), abs=0.05)
    assert all(round(size, 1) == size or abs(size) < 10 for size in sizes)
    assert [t["action_ref"] for t in rows["Targets"]] == [a["ref"] for a in rows["Actions"]]
    assert {a["status"] for a in rows["Actions"]} == {"not_started"}
    assert all(a.get("lead_partner") is None and a.get("start_date") is None
               for a in rows["Actions"])  # fmt: skip
    assert all(t.get("target_gap") is None for t in rows["Targets"])
    return rows


# --- on the demo -----------------------------------------------------------------------------


def test_a_draft_holds_one_action_per_significant_or_widening_gap(demo_engine: Engine) -> None:
    rows = assert_drafts_match_the_league(demo_engine, LA, EARLY)
    name = queries.resolve_area(demo_engine, "la", LA)["name"]
    assert rows["Plan"] == [
        {
            "title": f"{name} Children and Young People's Plan 2007-2010 - draft",
            "period": "2007-2010",
            "start_date": pd.Timestamp("2007-04-01").date(),
            "end_date": pd.Timestamp("2010-03-31").date(),
            "status": "draft",
        }
    ]
    first, target = rows["Actions"][0], rows["Targets"][0]
    league = league_of(demo_engine, LA, EARLY).iloc[0]
    assert (target["indicator"], target["group"]) == (league["indicator"], league["focus_group"])
    assert first["title"].startswith(f"{league['title']}: narrow the gap for ")
    assert (
        f"were {target['baseline_gap']} percentage points worse off than" in (first["description"])
    )
    assert (
        f"(95% interval {round(league['lower'], 1)} to {round(league['upper'], 1)}; "
        in (first["description"])
    )


def test_the_workbook_is_the_template_with_the_draft_in_its_sheets(demo_engine: Engine) -> None:
    draft = draft_plan(demo_engine, LA, EARLY)
    workbook = plan_template_for(demo_engine, LA, EARLY)
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == ["Instructions", "Lists", *SHEETS]
    assert [r["title"] for r in sheet_rows(workbook, "Actions")] == [
        a["title"] for a in draft.rows["Actions"]
    ]
    assert [r["baseline_gap"] for r in sheet_rows(workbook, "Targets")] == [
        t["baseline_gap"] for t in draft.rows["Targets"]
    ]
    assert sheet_rows(workbook, "Spend") == []


def gap(indicator: str, group: str, size: float, **fields: object) -> dict:
    """One gap as :func:`ecm.places.profile.place_gaps` gives it."""
    return {"indicator_code": indicator, "focus_group": group, "comparator_group": "other",
            "period": "2018/19", "gap": size, "lower": size - 1, "upper": size + 1,
            "comparator_value": 50.0, "significant": False, "suppressed": False,
            "trend": "no significant change", **fields}  # fmt: skip


def test_withheld_gaps_are_never_drafted_and_without_concerns_the_widest_are() -> None:
    catalogue = pd.DataFrame({"code": ["a", "b"], "unit": ["%", "%"]})
    gaps = pd.DataFrame(
        [gap("a", "disadvantaged", np.nan, suppressed=True),
         gap("b", "disadvantaged", 30.0, suppressed=True),  # a figure marked withheld
         gap("a", "sen", 4.0, significant=True),
         gap("b", "sen", 2.0, trend="widening"),
         gap("b", "boys", -6.0, significant=True),  # the focus group better off
         gap("a", "boys", 9.0, period="2017/18", significant=True)]  # another year
    )  # fmt: skip
    chosen = draft_gaps(gaps, "2018/19", catalogue)
    assert list(zip(chosen["indicator_code"], chosen["focus_group"], strict=True)) == [
        ("a", "sen"),
        ("b", "sen"),
    ]
    plain = pd.DataFrame([gap("a", f"g{i}", float(i)) for i in range(WIDEST + 2)])
    widest = draft_gaps(plain, "2018/19", catalogue)
    assert list(widest["gap"]) == [6.0, 5.0, 4.0, 3.0, 2.0]  # never the 0 gap


# --- round trip --------------------------------------------------------------------------------


@pytest.fixture
def plan_engine(engine: Engine) -> Engine:
    """A writable store holding the tiny demo and its plans."""
    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    return engine


def test_the_draft_imports_once_lead_partners_and_target_gaps_are_filled(
    plan_engine: Engine, tmp_path: Path
) -> None:
    draft = draft_plan(plan_engine, LA, EARLY)
    count = len(draft.rows["Actions"])
    with pytest.raises(DataError) as raised:
        import_plan(
            plan_engine, draft.workbook(), LA, operator("Ann Analyst"), file_name="draft.xlsx"
        )
    columns = sorted(p.column for p in raised.value.problems)
    assert columns == ["lead_partner"] * count + ["target_gap"] * count
    assert la_plan_coverage(plan_engine, LA, EARLY).plan is None  # nothing was loaded

    book = load_workbook(io.BytesIO(draft.workbook()))
    for name, column, value in (("Actions", "lead_partner", "LA children's services"),
                                ("Targets", "target_gap", None)):  # fmt: skip
        sheet = book[name]
        index = [c.value for c in sheet[1]].index(column) + 1
        for row in range(2, sheet.max_row + 1):
            baseline = sheet.cell(row=row, column=index - 1).value  # baseline_gap precedes
            sheet.cell(row=row, column=index, value=value or round(baseline / 2, 2))
    filled = tmp_path / "draft.xlsx"
    book.save(filled)
    summary = import_plan(plan_engine, filled, LA, operator("Ann Analyst"))
    assert (summary.actions, summary.targets, summary.period_label) == (count, count, "2007-2010")
    coverage = la_plan_coverage(plan_engine, LA, EARLY)
    assert coverage.plan["title"] == draft.rows["Plan"][0]["title"]
    assert coverage.uncovered.empty  # every drafted gap now has its action
    assert len(coverage.covered) == count
    assert len(read_plan(filled).targets) == count


def test_plan_template_command_writes_the_draft_or_the_empty_template(
    use_demo_database: str,
    demo_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "draft.xlsx"
    assert main(["plan", "template", "--la", "001", "--period", EARLY, "-o", str(out)]) == 0
    draft = draft_plan(demo_engine, LA, EARLY)
    name = queries.resolve_area(demo_engine, "la", LA)["name"]
    assert capsys.readouterr().out == (
        f"draft plan 2007-2010 for {name} ({LA}): {len(draft.rows['Actions'])} draft actions "
        f"from its gaps of {EARLY} written to {out}\n"
    )
    assert [r["ref"] for r in sheet_rows(out.read_bytes(), "Actions")] == [
        a["ref"] for a in draft.rows["Actions"]
    ]
    empty = tmp_path / "empty.xlsx"
    assert main(["plan", "template", "-o", str(empty)]) == 0
    assert sheet_rows(empty.read_bytes(), "Actions") == []
    assert main(["plan", "template", "--period", EARLY, "-o", str(empty)]) == 2
    assert "--period needs --la" in capsys.readouterr().err
    assert main(["plan", "template", "--la", "999", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "no local authority with code or number '999'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


# --- on real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hampshire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Hampshire's real 2018/19 KS2 performance table and the DfE's KS2 and KS4 files by pupil
    characteristic: gaps for disadvantaged, looked-after and children in need, some figures
    published as withheld, and no plan."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("hampshire"))
    import_file(engine, KS2)
    import_file(engine, TIDY / "ks2_la.csv")
    import_file(engine, TIDY / "ks4_la.csv")
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.mark.realdata
def test_hampshire_2018_19_gets_a_draft_action_for_every_gap_of_its_league(hampshire) -> None:
    rows = assert_drafts_match_the_league(hampshire, HAMPSHIRE, "2018/19")
    assert rows["Plan"][0]["title"] == (
        "Hampshire Children and Young People's Plan 2019-2022 - draft"
    )
    drafted = {(t["indicator"], t["group"]): t["baseline_gap"] for t in rows["Targets"]}
    # KS2 reading, writing and maths at the expected standard, 2018/19: disadvantaged pupils
    # in Hampshire 24.0 points behind the others (the published LA row of the KS2 table).
    assert drafted[("ptrwm_exp", "disadvantaged")] == 24.0
    # Every drafted gap rests on figures published with a value: none withheld or marked.
    withheld = {
        (indicator, group)
        for indicator, group in read(
            hampshire,
            "SELECT indicator_code, group_code FROM observation WHERE area_code = :la "
            "AND period = '2018/19' AND (value IS NULL OR withheld)",
            la=HAMPSHIRE,
        )
    }
    assert ("ptl2basics_94", "child_protection_plan") in withheld  # published as x
    assert withheld.isdisjoint(drafted)
    assert all(isinstance(size, float) for size in drafted.values())
