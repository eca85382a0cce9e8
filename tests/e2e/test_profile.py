"""Browser test of a shared link: a Board member opens an e-mailed link to their LA's profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ecm.figures.queries import resolve_area

pytestmark = pytest.mark.e2e


def test_a_link_to_an_authority_profile_opens_it_within_the_dashboard(
    page: Page,
    app_url: str,
    demo_engine,
    full_page_screenshot: Callable[[Page, str], Path],
) -> None:
    area = resolve_area(demo_engine, "la", "001")
    page.goto(f"{app_url}/profile?la={area['code']}")
    expect(page.get_by_role("heading", name=area["name"])).to_be_visible(timeout=60_000)
    # The frame is there (navigation of the dashboard, not a bare page) ...
    expect(page.get_by_role("link", name=re.compile("Profile"))).to_be_visible()
    expect(page.get_by_text("Fictional demo data.").first).to_be_visible()
    # ... and so are the gaps with their intervals, and the figures by outcome.
    expect(page.get_by_role("heading", name="Gaps")).to_be_visible()
    expect(page.get_by_role("heading", name="Figures by outcome")).to_be_visible()
    expect(page.get_by_role("tab", name="Enjoy and achieve")).to_be_visible()
    full_page_screenshot(page, "profile-authority.png")
