"""Time to answer, measured: each audience starts on the home page and reaches its answer in at
most three clicks, on the fictional demo and on the store built from every real file.

Every click, and every key pressed to submit (Enter in the search box), counts; typing does
not. Seconds run from the home page loaded to the answer on screen, each step waited for with
``wait_for_app_run``. Each walk prints its clicks and seconds (``pytest -s``), writes them as
JSON to its tmp folder and takes a screenshot of the answer there. The answers are checked by
value against what ecm's own functions read from the same store:

- a headteacher types the school's name in the sidebar search and opens the result: the
  headline names the school's clearest significant gap, and "What the plan does" says what the
  plan does about it;
- a Board chair opens the authority, then its plan: the significant gaps with no action and
  the actions off track (or that no plan was in force);
- a Government Office officer opens the region: its first panel lists the authorities worse
  than England and getting worse.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from ecm.figures.queries import load_local_authorities, resolve_area
from ecm.places.overview import area_overview, region_overview
from ecm.places.profile import build_profile
from ecm.plan.page import plan_page
from ecm.store.engine import make_engine
from ecm.views.region import worse_and_worsening, worst_quarter_and_worsening
from ecm.views.school import headline_gap, plan_actions, plan_panel_words
from tests.e2e.helpers import (
    RUN_TIMEOUT_MS,
    save_full_page_screenshot,
    serve_dashboard,
    sign_in,
    wait_for_app_run,
)
from tests.helpers import school_with_headline_gap

pytestmark = pytest.mark.e2e

MAX_CLICKS = 3
#: The real places: a Hampshire junior school with significant disadvantage gaps in the real
#: KS2 tables, its authority and its region.
REAL_PLACES = {"urn": "115852", "la": "E10000014", "region": "E12000008"}


@dataclass(frozen=True)
class Store:
    """A served dashboard and the places each audience asks about in its store."""

    name: str
    url: str
    database_url: str
    urn: str
    la: str
    region: str


def demo_places(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    try:
        urn = school_with_headline_gap(engine)
        la = resolve_area(engine, "school", urn)["la"]["code"]
        region = load_local_authorities(engine).set_index("code").loc[la, "region_code"]
        return {"urn": urn, "la": la, "region": str(region)}
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=["demo", pytest.param("real", marks=pytest.mark.realdata)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The demo's dashboard, or one on the store of every real file (built once a session)."""
    if request.param == "demo":
        database_url = request.getfixturevalue("demo_database_url")
        url = request.getfixturevalue("app_url")
        yield Store("demo", url, database_url, **demo_places(database_url))
        return
    database_url = request.getfixturevalue("real_stores").url("everything")
    with serve_dashboard(database_url) as url:
        yield Store("real", url, database_url, **REAL_PLACES)


@pytest.fixture
def store_engine(store: Store) -> Iterator:
    eng = make_engine(store.database_url)
    yield eng
    eng.dispose()


class Walk:
    """One audience's way from the home page to its answer: clicks counted, seconds timed."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        sign_in(page, base_url)
        page.goto(base_url, timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=RUN_TIMEOUT_MS)
        wait_for_app_run(page)
        self.clicks = 0
        self.started = time.monotonic()
        self.seconds: float | None = None

    def search(self, text: str) -> None:
        """Type ``text`` in the sidebar search (no click) and press Enter (one)."""
        box = self.page.get_by_role("textbox", name="Search schools, authorities and regions")
        box.fill(text)
        box.press("Enter")
        self.clicks += 1

    def click(self, target: Locator) -> None:
        """Click ``target`` (one click) once it is on screen."""
        expect(target).to_be_visible(timeout=RUN_TIMEOUT_MS)
        target.click()
        self.clicks += 1

    def result(self, name: str, kind: str) -> Locator:
        """The sidebar search's result link for the place named ``name``, described as
        ``kind`` ("school, URN 115852", "local authority", "region E12000008")."""
        label = re.compile(rf"^{re.escape(name)} · {re.escape(kind)}\b")
        return self.page.get_by_test_id("stSidebar").get_by_role("link", name=label)

    def answered(self, answer: Locator) -> None:
        """Stop the clock when ``answer`` is on screen and the run has ended."""
        expect(answer).to_be_visible(timeout=RUN_TIMEOUT_MS)
        wait_for_app_run(self.page)
        self.seconds = time.monotonic() - self.started

    def record(self, audience: str, store: Store, folder: Path) -> None:
        """Print the clicks and seconds, write them as JSON and screenshot the answer."""
        assert self.seconds is not None, "the answer was never reached"
        measured = {
            "audience": audience,
            "store": store.name,
            "clicks": self.clicks,
            "seconds": round(self.seconds, 1),
        }
        print(f"\ntime to answer: {json.dumps(measured)}")
        (folder / "time-to-answer.json").write_text(json.dumps(measured, indent=2) + "\n")
        self.page.screenshot(path=str(folder / f"{audience}-{store.name}-viewport.png"))
        save_full_page_screenshot(self.page, folder / f"{audience}-{store.name}.png")
        assert self.clicks <= MAX_CLICKS, f"{audience}: {self.clicks} clicks, at most {MAX_CLICKS}"


def words(page: Page, text: str) -> Locator:
    """The Markdown block holding ``text`` (the whole sentence, its bold parts included)."""
    return page.get_by_test_id("stMarkdownContainer").filter(has_text=text)


def download_csv(page: Page, key: str) -> pd.DataFrame:
    """The rows of the table whose download button has widget key ``download_<key>``."""
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        page.locator(f".st-key-download_{key} button").click()
    return pd.read_csv(download.value.path(), keep_default_na=False)


def test_a_headteacher_reaches_the_clearest_gap_and_what_the_plan_does(
    page: Page, store: Store, store_engine, tmp_path: Path
) -> None:
    profile = build_profile(store_engine, "school", store.urn)
    gap = headline_gap(profile)
    assert gap is not None, f"school {store.urn} has no significant gap in {profile['period']}"
    actions = plan_actions(profile)
    name = profile["geography"]["name"]

    walk = Walk(page, store.url)
    walk.search(name)  # 1
    walk.click(walk.result(name, f"school, URN {store.urn}"))  # 2
    headline = words(page, "Clearest significant gap for disadvantaged pupils")
    walk.answered(page.get_by_role("heading", name="What the plan does"))
    walk.record("headteacher", store, tmp_path)

    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(headline).to_contain_text(gap["title"])
    # The panel names the plan in force that year, or says none is, as the headline does.
    said = re.sub(r"\\(.)", r"\1", plan_panel_words(profile, actions).replace("**", ""))
    expect(page.get_by_text(said, exact=True)).to_be_visible()
    if not actions.empty:
        shown = download_csv(page, "school_actions")
        assert sorted(shown["Action"]) == sorted(actions["Action"])


def test_a_board_chair_reaches_the_gaps_with_no_action_and_the_actions_off_track(
    page: Page, store: Store, store_engine, tmp_path: Path
) -> None:
    overview = area_overview(store_engine, store.la)
    plan = plan_page(store_engine, store.la)
    name = plan.area["name"]
    uncovered = int((~overview.league["covered"].astype(bool)).sum())

    walk = Walk(page, store.url)
    walk.search(name)  # 1
    walk.click(walk.result(name, "local authority"))  # 2
    league = words(page, "gaps are significant or widening")
    expect(league).to_contain_text(f"{uncovered} have no plan action", timeout=RUN_TIMEOUT_MS)
    if plan.plan is None:
        expect(league).to_contain_text("so no gap is covered")
    walk.click(page.get_by_role("link", name=re.compile("^Open the plan")))  # 3
    if plan.plan is None:  # every gap is uncovered, and no action can be off track
        walk.answered(page.get_by_text(re.compile(r"No plan of this authority|holds no plan")))
    else:
        walk.answered(page.get_by_role("heading", name="Actions off track by the figures"))
    walk.record("board-chair", store, tmp_path)

    coverage = plan.coverage
    if plan.plan is None:
        assert uncovered == len(overview.league)
        return
    expect(words(page, "no action in the plan targets them")).to_contain_text(
        f"{len(coverage.uncovered)} gaps are significant"
    )
    off_track = coverage.off_track["action_id"].nunique()
    if off_track:
        verb = "action is" if off_track == 1 else "actions are"
        expect(words(page, "off track by the figures:")).to_contain_text(
            f"{off_track} {verb} off track"
        )
        shown = download_csv(page, "off_track")
        assert set(shown["Action"]) == set(coverage.off_track["title"])
    else:
        expect(page.get_by_text("No action's target is widening")).to_be_visible()


def test_a_government_office_officer_reaches_the_worse_and_worsening_authorities(
    page: Page, store: Store, store_engine, tmp_path: Path
) -> None:
    overview = region_overview(store_engine, store.region)
    expected = worse_and_worsening(overview.cells)
    name = overview.region["name"]

    walk = Walk(page, store.url)
    walk.search(name)  # 1
    walk.click(walk.result(name, f"region {store.region}"))  # 2
    first = page.get_by_role("heading", name="Worse than England and getting worse")
    if expected.empty:
        walk.answered(page.get_by_text("No authority has a figure both worse than"))
    else:
        walk.answered(words(page, "have figures worse than England and getting worse ("))
    walk.record("government-office", store, tmp_path)

    expect(first).to_be_visible()
    cells = overview.cells
    tiers = [
        (expected, "red_reds", "worse than England and getting worse (", "both worse than"),
        (
            worst_quarter_and_worsening(cells),
            "worst_quarter",
            "in the worst quarter of all authorities and worsening (untested) (",
            "No authority has an untested figure",
        ),
    ]
    for table, key, sentence, none in tiers:  # the tested tier, then the untested one
        if table.empty:
            expect(page.get_by_text(none)).to_be_visible()
            continue
        las = table["Local authority"].nunique()
        expect(words(page, sentence)).to_contain_text(
            f"{las} of {cells['la_code'].nunique()} authorities"
        )
        shown = download_csv(page, key)
        assert set(shown["Local authority"]) == set(table["Local authority"])
        assert len(shown) == len(table)
