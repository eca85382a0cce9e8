"""Meeting packs as Excel workbooks, on the fictional demo: each level's sheets, the figures
and gaps exactly as the profile gives them, the plan's actions, the definitions; the viewer's
remit honoured; the same file twice on the same day; the command line writes whole files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from ecm.access.scope import EVERYTHING, Remit, acting_for
from ecm.figures.queries import UnknownArea
from ecm.packs.workbook import workbook_pack
from ecm.places.profile import build_profile
from ecm.plan.loaders import la_plan_coverage
from ecm.store.models import LocalAuthority, Region, School
from tests.helpers import run

DAY = dt.date(2026, 12, 7)
PE_AND_SPORT = "Pupils doing 2+ hours a week of high-quality PE and sport"


def sheet_rows(content: bytes, name: str) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def places(demo_engine) -> dict[str, str]:  # noqa: ANN001
    with demo_engine.connect() as connection:
        la = connection.scalar(select(LocalAuthority.code).order_by(LocalAuthority.code))
        school = connection.scalar(
            select(School.urn).where(School.la_code == la).order_by(School.urn)
        )
        region = connection.scalar(select(Region.code).order_by(Region.code))
    return {"la": la, "school": school, "region": region}


def test_an_authoritys_pack_holds_its_figures_gaps_plan_and_definitions(
    demo_engine,
    places,  # noqa: ANN001
) -> None:
    pack = workbook_pack(demo_engine, "la", places["la"], today=DAY)
    assert pack.sheets == (
        "About", "Figures", "Gaps", "Plan coverage", "Off track", "Definitions",
    )  # fmt: skip
    profile = build_profile(demo_engine, "la", places["la"])
    about = {row["Item"]: row["Detail"] for row in sheet_rows(pack.content, "About")}
    assert about["Place"] == profile["geography"]["name"]
    assert (about["Year"], about["Made on"]) == (profile["period"], "2026-12-07")
    assert "invented" in about["Fictional"]
    assert about["Source 1"].startswith("fictional demo")
    # Every gap as the profile gives it, at its published precision.
    gaps = sheet_rows(pack.content, "Gaps")
    assert len(gaps) == len(profile["gaps"])
    first = profile["gaps"][0]
    assert (gaps[0]["Indicator"], gaps[0]["Focus group"]) == (
        first["indicator"],
        first["focus_group"],
    )
    assert gaps[0]["Gap"] == pytest.approx(first["gap"], abs=0.05)
    # The year as the pages write it, in every sheet.
    years = {row["Year"] for row in gaps} | {r["Year"] for r in sheet_rows(pack.content, "Figures")}
    assert years == {profile["period"]}
    # The plan's actions on its gaps, by title, and the gaps no action targets.
    coverage = la_plan_coverage(demo_engine, places["la"], profile["period"])
    covered = sheet_rows(pack.content, "Plan coverage")
    assert len(covered) == len(coverage.covered) + len(coverage.uncovered)
    assert sum(row["Covered"] == "no action" for row in covered) == len(coverage.uncovered)
    definitions = {row["Indicator"] for row in sheet_rows(pack.content, "Definitions")}
    assert definitions == {row["Indicator"] for row in sheet_rows(pack.content, "Figures")}


def test_a_pack_is_the_same_file_when_made_again_the_same_day(demo_engine, places) -> None:  # noqa: ANN001
    for level in ("school", "la", "region"):
        first = workbook_pack(demo_engine, level, places[level], today=DAY)
        again = workbook_pack(demo_engine, level, places[level], today=DAY)
        assert first.content == again.content, level
        assert first.file_name.startswith(places[level]) and first.sheets[0] == "About"
    later = workbook_pack(demo_engine, "school", places["school"], today=DAY + dt.timedelta(1))
    assert later.content != first.content  # the date made differs, and only it


def test_a_pack_reads_for_the_viewers_remit_as_the_screen_does(demo_engine, places) -> None:  # noqa: ANN001
    school = places["school"]
    other = Remit("school:other", schools=frozenset({"999999"}), england=True)
    seen = {}
    for name, remit in (("own", EVERYTHING), ("other", other)):
        with acting_for(remit):
            pack = workbook_pack(demo_engine, "school", school, today=DAY)
        titles = {row["Title"] for row in sheet_rows(pack.content, "Figures")}
        about = {row["Item"]: row["Detail"] for row in sheet_rows(pack.content, "About")}
        seen[name] = (PE_AND_SPORT in titles, about["Read for"].startswith("every place"))
    assert seen == {"own": (True, True), "other": (False, False)}


def test_the_pack_command_writes_a_whole_file_or_none(
    demo_database_url,
    demo_engine,
    places,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    output = tmp_path / "pack.xlsx"
    made = run("pack", "--la", places["la"], "--output", str(output), url=demo_database_url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"wrote {output} (About, Figures, Gaps, Plan coverage")
    assert openpyxl.load_workbook(output).sheetnames[0] == "About"
    missing = tmp_path / "none.xlsx"
    refused = run("pack", "--la", "Z99999999", "--output", str(missing), url=demo_database_url)
    assert refused.returncode == 2 and "no local authority" in refused.stderr
    assert list(tmp_path.iterdir()) == [output]
    with pytest.raises(UnknownArea):
        workbook_pack(demo_engine, "school", "1")
