"""Browser tests of the three ways in, the gap explorer, presentation mode, downloads and an
accessibility scan, in real Chromium on the fictional demo.

Each audience's question is answered from the home page in at most three choices or clicks:
a headteacher's widest significant disadvantage gap and what the plan does about it, a Board
chair's significant gaps with no action, and a Government Office officer's authorities worse
than England and getting worse.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ecm.figures.queries import load_local_authorities, load_regions, resolve_area
from ecm.places.overview import area_overview
from ecm.plan.loaders import la_plan_coverage
from ecm.store.engine import make_engine
from tests.e2e.helpers import wait_for_app_run

pytestmark = pytest.mark.e2e

RUN_MS = 60_000
REPO = Path(__file__).resolve().parents[2]
AXE = REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "school": "/school?urn=900003",
    "area": "/area?la={la}",
    "region": "/region?code={region}",
    "gaps": "/gaps?indicator=ni_73&group=disadvantaged&level=la",
    "profile": "/profile?la={la}",
    "plan": "/plan?la={la}",
    "indicators": "/indicators",
    "data": "/data",
    "accessibility": "/accessibility",
}


@pytest.fixture(scope="module")
def demo(demo_database_url: str) -> dict:
    engine = make_engine(demo_database_url)
    la = load_local_authorities(engine).iloc[0]
    places = {
        "la": la["code"],
        "la_name": la["name"],
        "region": load_regions(engine).iloc[0]["code"],
        "school": resolve_area(engine, "school", "900003"),
        "overview": area_overview(engine, la["code"]),
        "coverage": la_plan_coverage(engine, la["code"]),
    }
    engine.dispose()
    return places


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (one choice)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)  # long lists are virtual: typing brings the option into view
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_run(page)


def test_a_headteacher_reaches_the_widest_gap_and_the_plan_in_three_steps(
    page: Page, app_url: str, demo: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    school = demo["school"]
    page.goto(f"{app_url}/?la={school['la']['code']}", timeout=RUN_MS)
    wait_for_app_run(page)
    choose(page, "School", school["name"])  # 1
    page.get_by_role("link", name="Open the school's profile").click()  # 2
    expect(page.get_by_role("heading", name=school["name"], level=1)).to_be_visible(timeout=RUN_MS)
    headline = page.get_by_text(re.compile("significant gap for disadvantaged pupils|No gap for"))
    expect(headline.first).to_be_visible(timeout=RUN_MS)
    expect(
        page.get_by_text(re.compile(r"Plan: |is significant this year|can be shown this year"))
    ).to_be_visible()
    full_page_screenshot(page, "school.png")
    # From the gap to the plan: its turn-the-curve picture and the actions on it, or none.
    page.get_by_role("link", name=re.compile("plan does about this gap")).click()  # 3
    expect(page.get_by_role("heading", name="Turn the curve").first).to_be_visible(timeout=RUN_MS)
    assert "gap=" in page.url
    expect(
        page.get_by_text(re.compile("Actions on it|No action in the plan targets it")).first
    ).to_be_visible(timeout=RUN_MS)
    wait_for_app_run(page)
    full_page_screenshot(page, "plan-curve.png")


def test_a_board_chair_sees_the_gaps_with_no_action(
    page: Page, app_url: str, demo: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    overview = demo["overview"]
    uncovered = int((~overview.league["covered"]).sum())
    page.goto(app_url, timeout=RUN_MS)
    wait_for_app_run(page)
    choose(page, "Local authority", demo["la_name"])  # 1 (its region fills in)
    page.get_by_role("link", name=re.compile("Open the area overview")).click()  # 2
    line = page.get_by_text(re.compile("have no plan action"))
    expect(line).to_be_visible(timeout=RUN_MS)
    expect(line).to_contain_text(f"{uncovered} have no plan action")
    full_page_screenshot(page, "area.png")


def test_a_board_chair_opens_the_plan_on_its_uncovered_gaps(
    page: Page, app_url: str, demo: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    coverage = demo["coverage"]
    page.goto(app_url, timeout=RUN_MS)
    wait_for_app_run(page)
    choose(page, "Local authority", demo["la_name"])  # 1
    page.get_by_role("link", name=re.compile("Open the plan")).click()  # 2
    expect(page.get_by_role("heading", name="Gaps with no action")).to_be_visible(timeout=RUN_MS)
    expect(page.get_by_text(re.compile(r"have none"))).to_contain_text(
        f"{len(coverage.uncovered)} have none"
    )
    wait_for_app_run(page)
    full_page_screenshot(page, "plan.png")


def test_a_government_office_officer_sees_worse_and_worsening_authorities(
    page: Page, app_url: str, demo: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(app_url, timeout=RUN_MS)
    wait_for_app_run(page)
    choose(page, "Region", "Northmarch (fictional)")  # 1
    page.get_by_role("link", name=re.compile("Open the region overview")).click()  # 2
    expect(page.get_by_role("heading", name="Worse than England and getting worse")).to_be_visible(
        timeout=RUN_MS
    )
    expect(
        page.get_by_text(
            re.compile(
                r"authorities have figures worse than England"
                r"|No authority has a figure both worse than England"
            )
        )
    ).to_be_visible()
    full_page_screenshot(page, "region.png")


def test_presentation_mode_moves_between_panels_with_the_keyboard(
    page: Page, app_url: str, demo: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{app_url}/area?la={demo['la']}&present=1", timeout=RUN_MS)
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible(timeout=RUN_MS)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    wait_for_app_run(page)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Gaps: widest and widening first")).to_be_visible(
        timeout=RUN_MS
    )
    assert "panel=2" in page.url
    full_page_screenshot(page, "area-presentation.png")
    wait_for_app_run(page)
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible(timeout=RUN_MS)


def test_the_gap_league_downloads_as_the_csv_it_shows(page: Page, app_url: str, demo: dict) -> None:
    overview = demo["overview"]
    page.goto(f"{app_url}/area?la={demo['la']}", timeout=RUN_MS)
    expect(page.get_by_role("heading", name="Gaps: widest and widening first")).to_be_visible(
        timeout=RUN_MS
    )
    wait_for_app_run(page)
    # The league's own button (its widget key), not the grid toolbar's or another table's.
    button = page.locator(".st-key-download_league button")
    expect(button).to_be_visible(timeout=RUN_MS)
    with page.expect_download(timeout=RUN_MS) as download:
        button.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert len(rows) == len(overview.league)
    assert float(rows[0]["Size"]) == pytest.approx(round(overview.league["gap"].iloc[0], 1))
    assert [r["Plan action"] for r in rows] == [
        "yes" if c else "none" for c in overview.league["covered"]
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_by_deep_link_and_passes_an_accessibility_scan(
    page: Page,
    app_url: str,
    demo: dict,
    name: str,
    full_page_screenshot: Callable[[Page, str], Path],
) -> None:
    page.goto(app_url + PAGES[name].format(**demo), timeout=RUN_MS)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=RUN_MS)
    wait_for_app_run(page)  # the run has ended and its charts have drawn
    full_page_screenshot(page, f"page-{name}.png")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
