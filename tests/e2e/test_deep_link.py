"""A link opened as a server's very first visit shows the dashboard's own navigation and the
page it names, with the place from its address (CONTRIBUTING.md: why the pages live in
app_pages/, not pages/, where Streamlit's folder navigation would take that first visit)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from ecm.figures.queries import load_local_authorities, load_schools
from ecm.store.engine import make_engine
from tests.e2e.helpers import serve_dashboard, sign_in, wait_for_app_run

pytestmark = pytest.mark.e2e


def test_a_deep_link_opened_cold_shows_our_navigation_and_the_page(
    browser: Browser, demo_database_url: str
) -> None:
    engine = make_engine(demo_database_url)
    la = load_local_authorities(engine).iloc[0]["code"]
    school = load_schools(engine, la).iloc[0]
    engine.dispose()
    with serve_dashboard(demo_database_url) as app:  # a server nobody has visited yet
        page = browser.new_page()
        sign_in(page, app)
        try:
            page.goto(f"{app}/school?urn={school['urn']}")
            heading = page.get_by_role("heading", level=1, name=school["name"])
            expect(heading).to_be_visible(timeout=60_000)
            wait_for_app_run(page)
            navigation = page.locator('[data-testid="stSidebarNav"]')
            for title in ("Home", "School", "Gap explorer", "Data sources", "Accessibility"):
                expect(navigation.get_by_role("link", name=title, exact=True)).to_be_visible()
            assert page.get_by_text("Page not found").count() == 0
            assert f"urn={school['urn']}" in page.url
        finally:
            page.close()
