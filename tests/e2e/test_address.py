"""The address is the state, in Chromium: a school opened for an older year links to its area
in that year, and one Back press returns to the school as it was (same URN, same year),
because a page writes the selection it fills in without adding a history entry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from ecm.figures.queries import load_local_authorities, load_schools, resolve_area
from ecm.store.engine import make_engine
from tests.e2e.helpers import sign_in, wait_for_app_run

pytestmark = pytest.mark.e2e

YEAR = "2007/08"  # an older year of the demo's five (2005/06 to 2009/10)


def address_of(page: Page) -> dict[str, str]:
    """The query parameters of the page's address, one value each."""
    return {name: values[-1] for name, values in parse_qs(urlparse(page.url).query).items()}


def test_school_to_area_and_back_keeps_the_school_and_its_year(
    page: Page, app_url: str, demo_database_url: str
) -> None:
    engine = make_engine(demo_database_url)
    la = load_local_authorities(engine).iloc[0]["code"]
    school = load_schools(engine, la).iloc[0]
    la_name = resolve_area(engine, "la", la)["name"]
    engine.dispose()

    page.goto(f"{app_url}/school?urn={school['urn']}&period={YEAR}")
    expect(page.get_by_role("heading", level=1, name=school["name"])).to_be_visible(timeout=60_000)
    wait_for_app_run(page)
    entries = page.evaluate("history.length")
    assert address_of(page)["period"] == YEAR

    page.get_by_role("link", name=f"{la_name}: area overview and plan coverage").click()
    expect(page.get_by_role("heading", level=1, name=la_name)).to_be_visible(timeout=60_000)
    wait_for_app_run(page)
    area = address_of(page)
    assert urlparse(page.url).path.endswith("/area")
    assert area["la"] == la and area["period"] == YEAR  # the area opened in the school's year
    # The link is one history entry; what the area page filled in added none.
    assert page.evaluate("history.length") == entries + 1

    page.go_back()  # once
    expect(page.get_by_role("heading", level=1, name=school["name"])).to_be_visible(timeout=60_000)
    wait_for_app_run(page)
    back = address_of(page)
    assert urlparse(page.url).path.endswith("/school")
    assert back["urn"] == school["urn"] and back["period"] == YEAR
    assert page.get_by_text("Choose a school").count() == 0


def test_a_filled_in_year_adds_no_history_entry(
    browser: Browser, app_url: str, demo_database_url: str
) -> None:
    engine = make_engine(demo_database_url)
    school = load_schools(engine, load_local_authorities(engine).iloc[0]["code"]).iloc[0]
    engine.dispose()

    def history_after_opening(query: str) -> tuple[int, dict[str, str]]:
        tab = browser.new_page()
        sign_in(tab, app_url)
        try:
            tab.goto(f"{app_url}/school?{query}")
            heading = tab.get_by_role("heading", level=1, name=school["name"])
            expect(heading).to_be_visible(timeout=60_000)
            wait_for_app_run(tab)
            return tab.evaluate("history.length"), address_of(tab)
        finally:
            tab.close()

    entries, filled = history_after_opening(f"urn={school['urn']}")
    assert filled["period"] == "2009/10"  # the latest year, written into the address
    whole, _ = history_after_opening(urlencode(filled))  # an address that needs nothing filled
    assert entries == whole


def test_a_late_fill_in_never_takes_back_what_the_reader_set(
    page: Page, app_url: str, demo_database_url: str
) -> None:
    """A run's script that fills in panel 1 arriving after the reader pressed Next (panel 2)
    leaves panel 2; where the address is still as the run read it, the fill-in is written."""
    from ecm.ui.address import replace_script

    engine = make_engine(demo_database_url)
    la = load_local_authorities(engine).iloc[0]["code"]
    engine.dispose()
    page.goto(f"{app_url}/area?la={la}&present=1&panel=2")
    wait_for_app_run(page)
    late = replace_script({"la": la, "present": "1"}, {"panel": "1", "period": "2009/10"})
    body = late.removeprefix("<script>").removesuffix("</script>")
    page.evaluate(f"history.replaceState(null, '', '?la={la}&present=1&panel=2')")
    page.evaluate(body)
    assert address_of(page) == {"la": la, "present": "1", "panel": "2"}
    page.evaluate(f"history.replaceState(null, '', '?la={la}&present=1')")
    page.evaluate(body)
    assert address_of(page) == {"la": la, "present": "1", "panel": "1", "period": "2009/10"}
