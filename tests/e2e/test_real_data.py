"""Browser tests of the three audiences' questions on a store built from all the real files
(DfE performance tables and LA releases, LAIT, Fingertips; ``../shared/realdata``): a
headteacher's published figure and gap, a Board's gaps with no plan action, a Government
Office's heat map and its authorities worse than England and getting worse."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import RUN_TIMEOUT_MS, serve_dashboard, sign_in, wait_for_app_run

pytestmark = [pytest.mark.e2e, pytest.mark.realdata]


@pytest.fixture(scope="module")
def real_url(real_stores) -> Iterator[str]:
    """The dashboard on the store holding every real file (built once per session)."""
    with serve_dashboard(real_stores.url("everything")) as url:
        yield url


def open_page(page: Page, url: str, heading: str) -> None:
    """Open ``url``, wait for its first-level ``heading`` and for the app's run to end."""
    sign_in(page, url)
    page.goto(url, timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_app_run(page)


def test_a_headteacher_sees_the_published_disadvantaged_figure_and_the_gap_headline(
    page: Page, real_url: str, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    # Balksbury Junior School, 2018/19: 5 of its 15 disadvantaged pupils (33%) reached the
    # expected standard in reading, writing and maths, as the performance tables publish.
    open_page(page, f"{real_url}/school?urn=115852&period=2018/19", "Balksbury Junior School")
    expect(page.get_by_text("Clearest significant gap for disadvantaged pupils")).to_be_visible()
    expect(page.get_by_text("Fictional demo data.")).to_have_count(0)
    # The figures table draws on a canvas: read what it shows from its own CSV download.
    tab = page.get_by_role("tabpanel", name="Enjoy and achieve")
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        tab.get_by_role("button", name="Download as CSV").last.click()
    shown = pd.read_csv(download.value.path())
    [rwm] = shown[
        (shown["Indicator"] == "KS2 expected standard in reading, writing and maths")
        & (shown["Group"] == "Disadvantaged")
        & (shown["Period"] == "2018/19")
    ].to_dict("records")
    assert (rwm["Value"], rwm["Pupils"]) == (33.0, 15)
    wait_for_app_run(page)
    full_page_screenshot(page, "real-school-balksbury.png")


def test_a_board_member_sees_the_gap_league_with_no_plan_action(
    page: Page, real_url: str, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    open_page(page, f"{real_url}/area?la=E10000014&period=2018/19", "Hampshire")
    expect(page.get_by_role("heading", name="Gaps: widest and widening first")).to_be_visible()
    summary = page.get_by_text(re.compile(r"gaps are significant or widening"))
    expect(summary).to_contain_text("no plan action")
    expect(summary).to_contain_text("No plan was in force in 2018/19")
    full_page_screenshot(page, "real-area-hampshire.png")


def test_a_government_office_officer_sees_the_heat_map_and_the_worse_and_worsening(
    page: Page, real_url: str, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    open_page(page, f"{real_url}/region?code=E12000008&period=2018/19", "South East")
    expect(page.get_by_role("heading", name="Worse than England and getting worse")).to_be_visible()
    expect(page.get_by_role("heading", name="Authorities against England")).to_be_visible()
    heat = page.get_by_test_id("stPlotlyChart").first
    expect(heat.locator(".main-svg").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Heat map of \d+ local authorities"))).to_be_visible()
    full_page_screenshot(page, "real-region-south-east.png")
