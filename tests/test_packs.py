"""Meeting packs as Excel workbooks, PDFs and slides, on the fictional demo: each level's
sheets, pages and slides, the figures and gaps exactly as the profile gives them, the plan's
actions, the definitions; the viewer's remit and disclosure control honoured; the same file
twice on the same day; the command line writes whole files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import select

from ecm import units
from ecm.access.scope import EVERYTHING, Remit, acting_for
from ecm.figures.queries import UnknownArea
from ecm.packs import make_pack
from ecm.packs.content import OUTCOMES
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
    pack = make_pack(demo_engine, "la", places["la"], today=DAY)
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
        first = make_pack(demo_engine, level, places[level], today=DAY)
        again = make_pack(demo_engine, level, places[level], today=DAY)
        assert first.content == again.content, level
        assert first.file_name.startswith(places[level]) and first.sheets[0] == "About"
    later = make_pack(demo_engine, "school", places["school"], today=DAY + dt.timedelta(1))
    assert later.content != first.content  # the date made differs, and only it


def test_a_pack_reads_for_the_viewers_remit_as_the_screen_does(demo_engine, places) -> None:  # noqa: ANN001
    school = places["school"]
    other = Remit("school:other", schools=frozenset({"999999"}), england=True)
    seen = {}
    for name, remit in (("own", EVERYTHING), ("other", other)):
        with acting_for(remit):
            pack = make_pack(demo_engine, "school", school, today=DAY)
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
    assert made.stdout.startswith(f"wrote {output}: Excel (About, Figures, Gaps, Plan coverage")
    assert openpyxl.load_workbook(output).sheetnames[0] == "About"
    missing = tmp_path / "none.xlsx"
    refused = run("pack", "--la", "Z99999999", "--output", str(missing), url=demo_database_url)
    assert refused.returncode == 2 and "no local authority" in refused.stderr
    assert list(tmp_path.iterdir()) == [output]
    with pytest.raises(UnknownArea):
        make_pack(demo_engine, "school", "1")


# --- PDF and PowerPoint ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents(demo_engine, places) -> dict[tuple[str, str], bytes]:  # noqa: ANN001
    """Each level's PDF and PowerPoint pack, made once."""
    return {
        (level, fmt): make_pack(demo_engine, level, places[level], fmt=fmt, today=DAY).content
        for level in ("school", "la", "region")
        for fmt in ("pdf", "pptx")
    }


def pdf_text(content: bytes) -> tuple[list[str], str]:
    """The PDF's pages' text, and all of it with its lines joined by spaces (a table cell's
    words wrap over lines)."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return pages, " ".join(" ".join(pages).split())


def test_each_levels_pdf_names_the_place_its_gaps_and_the_plans_actions(
    demo_engine,
    places,
    documents,  # noqa: ANN001
) -> None:
    for level in ("school", "la", "region"):
        profile = build_profile(demo_engine, level, places[level])
        pages, text = pdf_text(documents[(level, "pdf")])
        name = profile["geography"]["name"]
        assert pages[0].startswith(name), level
        assert f"Made on {DAY.isoformat()}" in text and f"Year {profile['period']}" in text
        assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
        for outcome in OUTCOMES:
            assert outcome in text, (level, outcome)
        # A known gap, with its interval, at its published precision.
        gap = next(g for g in profile["gaps"] if g["significant"] is True)
        unit = {o["indicator"]: o["unit"] for o in profile["observations"]}[gap["indicator"]]
        span = units.interval(gap["lower"], gap["upper"], unit)
        shown = f"{units.gap_text(gap['gap'], unit)} ({span})"
        assert shown in text, (level, shown)
    # An authority's pack: the plan's off-track actions by title, and the annex.
    coverage = la_plan_coverage(demo_engine, places["la"])
    _, text = pdf_text(documents[("la", "pdf")])
    assert not coverage.off_track.empty
    for title in coverage.off_track["title"]:
        assert title in text
    assert "Annex: definitions" in text and "Under-18 conception rate" in text
    assert "invented" in text  # the demo says it is fictional


def test_each_levels_slides_have_a_slide_per_outcome_and_the_gaps(documents) -> None:  # noqa: ANN001
    for level in ("school", "la", "region"):
        deck = Presentation(io.BytesIO(documents[(level, "pptx")]))
        titles = [slide.shapes.title.text for slide in deck.slides]
        plan = ["The plan: coverage of the gaps", "Actions off track"] if level == "la" else []
        assert titles[1:] == [
            "The five outcomes at a glance", *OUTCOMES, "Gaps between groups", *plan,
            "Areas of interest", "Sources",
        ], level  # fmt: skip
        pictures = [
            shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13
        ]
        # Every chart carries its text alternative.
        assert pictures and all(p._element.nvPicPr.cNvPr.get("descr") for p in pictures)


def test_pdf_and_slides_are_the_same_file_when_made_again_the_same_day(
    demo_engine,
    places,
    documents,  # noqa: ANN001
) -> None:
    for fmt in ("pdf", "pptx"):
        again = make_pack(demo_engine, "la", places["la"], fmt=fmt, today=DAY).content
        assert again == documents[("la", fmt)], fmt


def test_a_pdf_reads_for_the_viewers_remit_and_withholds_small_numbers(
    demo_engine,
    places,
    documents,  # noqa: ANN001
) -> None:
    school = places["school"]
    other = Remit("school:other", schools=frozenset({"999999"}), england=True)
    with acting_for(other):
        outside = make_pack(demo_engine, "school", school, fmt="pdf", today=DAY).content
    _, own_text = pdf_text(documents[("school", "pdf")])
    _, other_text = pdf_text(outside)
    assert PE_AND_SPORT in own_text and "Read for every place" in own_text
    assert PE_AND_SPORT not in other_text and "Read for the remit school:other" in other_text
    # A gap disclosure control withheld is said to be withheld, with no figure.
    profile = build_profile(demo_engine, "school", school)
    withheld = [g for g in profile["gaps"] if g["suppressed"]]
    assert withheld and all(g["gap"] is None for g in withheld)
    assert own_text.count("withheld (small numbers)") == len(withheld)


def test_the_pack_command_takes_its_format_from_the_file_name(
    demo_database_url,
    places,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    output = tmp_path / "board.pptx"
    made = run("pack", "--la", places["la"], "--output", str(output), url=demo_database_url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"wrote {output}: PowerPoint"
    assert Presentation(str(output)).slides[1].shapes.title.text == "The five outcomes at a glance"
