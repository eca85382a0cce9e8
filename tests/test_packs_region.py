"""A region's files for a priorities meeting, on the fictional demo: every authority's brief as
one PDF (and one alone), and the authorities x indicators over the years with ranks and bands
as one workbook; the viewer's remit honoured; the same file twice on the same day."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ecm import units
from ecm.access.scope import EVERYTHING, PUBLIC, acting_for
from ecm.packs.region import YEAR_COLUMNS, briefs_pdf, over_time_workbook
from ecm.places.overview import region_overview
from ecm.store.models import Region
from tests.helpers import run

DAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def region(demo_engine) -> str:  # noqa: ANN001
    with demo_engine.connect() as connection:
        return connection.scalar(select(Region.code).order_by(Region.code))


def pages_of(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_briefs_are_one_page_per_authority_after_a_cover(demo_engine, region) -> None:  # noqa: ANN001
    overview = region_overview(demo_engine, region)
    pages = pages_of(briefs_pdf(overview, DAY))
    names = sorted(brief["la_name"] for brief in overview.briefs.values())
    assert len(pages) == 1 + len(names) >= 3
    assert pages[0].startswith(f"Priorities meeting briefs: {overview.region['name']}")
    assert all(name in pages[0] for name in names)
    for page, name in zip(pages[1:], names, strict=True):
        assert page.startswith(f"{name}: priorities brief, {overview.period}")
    # Each authority's off-track actions are on its own page.
    for brief in overview.briefs.values():
        page = next(p for p in pages[1:] if p.startswith(brief["la_name"] + ":"))
        for action in brief["off_track_actions"]:
            assert action["title"] in page
    assert briefs_pdf(overview, DAY) == briefs_pdf(overview, DAY)


def test_one_authoritys_brief_alone(demo_engine, region) -> None:  # noqa: ANN001
    overview = region_overview(demo_engine, region)
    code, brief = next(iter(overview.briefs.items()))
    pages = pages_of(briefs_pdf(overview, DAY, only=code))
    others = [b["la_name"] for c, b in overview.briefs.items() if c != code]
    assert pages[0].startswith(f"{brief['la_name']}: priorities brief")
    assert not any(f"{name}: priorities brief" in " ".join(pages) for name in others)


def test_the_workbook_holds_each_authoritys_figure_rank_and_band_each_year(
    demo_engine,
    region,  # noqa: ANN001
) -> None:
    content, sheets = over_time_workbook(demo_engine, region, DAY)
    assert sheets[0] == "About" and sheets[-1] == "Definitions" and "NI 112" in sheets
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(book["NI 112"].iter_rows(values_only=True))
    overview = region_overview(demo_engine, region)
    assert rows[0][:2] == ("LA code", "Authority")
    assert rows[0][2:] == tuple(f"{p} {c}" for p in overview.periods for c in YEAR_COLUMNS)
    # A known cell: an authority's latest figure at its published precision, its rank, band.
    cell = overview.cells[overview.cells["indicator"] == "ni_112"].iloc[0]
    row = next(r for r in rows[1:] if r[0] == cell["la_code"])
    at = rows[0].index(f"{overview.period} figure")
    assert row[at] == float(units.number(cell["value"], cell["unit"], None, "ni_112"))
    assert row[at + 1 : at + 4] == (
        f"{int(cell['rank'])} of {int(cell['of'])}", cell["band"], cell["comparison"],
    )  # fmt: skip
    assert len(rows) - 1 == overview.cells["la_code"].nunique()
    assert over_time_workbook(demo_engine, region, DAY)[0] == content


def test_the_workbook_reads_for_the_viewers_remit(demo_engine, region) -> None:  # noqa: ANN001
    seen = {}
    for name, remit in (("everything", EVERYTHING), ("public", PUBLIC)):
        with acting_for(remit):
            seen[name] = set(over_time_workbook(demo_engine, region, DAY)[1])
    assert {"NI 52", "NI 57"} <= seen["everything"]  # restricted survey figures
    assert not {"NI 52", "NI 57"} & seen["public"]
    assert seen["everything"] - seen["public"] == {"NI 52", "NI 57"}


def test_the_command_writes_a_regions_briefs_and_refuses_them_for_an_authority(
    demo_database_url,
    region,
    tmp_path,  # noqa: ANN001
) -> None:
    output = tmp_path / "briefs.pdf"
    made = run("pack", "--region", region, "--kind", "briefs", "--output", str(output),
               url=demo_database_url)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"wrote {output}: priorities briefs of ")
    assert pages_of(output.read_bytes())[0].startswith("Priorities meeting briefs")
    refused = run("pack", "--la", "Z10000001", "--kind", "briefs", "--output",
                  str(tmp_path / "no.pdf"), url=demo_database_url)  # fmt: skip
    assert refused.returncode == 2 and "give --region" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefs.pdf"]
