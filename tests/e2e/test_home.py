"""Browser test of the home page, as a visitor sees it in a real Chromium.

It starts the dashboard on the fictional demo data, opens the home page and checks that the
page has finished its first run (the "Every Child Matters" heading is there), that all five
Every Child Matters outcomes are shown, and that the page says its figures are fictional demo
data. A full-page screenshot is kept in ``tests/e2e/artifacts/home.png`` for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

FIVE_OUTCOMES = [
    "Be healthy",
    "Stay safe",
    "Enjoy and achieve",
    "Make a positive contribution",
    "Achieve economic well-being",
]
FIRST_RUN_TIMEOUT_MS = 60_000
MIN_SCREENSHOT_BYTES = 10_000


def test_home_page_shows_five_outcomes(
    page: Page,
    app_url: str,
    artifacts_dir: Path,
    full_page_screenshot: Callable[[Page, str], Path],
) -> None:
    """The home page names the five outcomes and says that its data are fictional."""
    page.goto(app_url)
    heading = page.get_by_role("heading", name=re.compile("Every Child Matters"))
    # The heading appears once the script's first run has rendered, so wait for it first.
    expect(heading.first).to_be_visible(timeout=FIRST_RUN_TIMEOUT_MS)

    # A text can also sit in hidden places (a closed menu, a collapsed sidebar): ask for a
    # visible occurrence.
    for outcome in FIVE_OUTCOMES:
        expect(page.get_by_text(outcome).filter(visible=True).first).to_be_visible()
    demo_notice = page.get_by_text(re.compile("fictional demo data", re.IGNORECASE))
    expect(demo_notice.filter(visible=True).first).to_be_visible()

    screenshot = full_page_screenshot(page, "home.png")
    assert screenshot == artifacts_dir / "home.png"
    assert screenshot.is_file()
    assert screenshot.stat().st_size > MIN_SCREENSHOT_BYTES


def test_choosing_an_authority_shows_it_and_puts_it_in_the_address(
    page: Page, app_url: str, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    """A Board member picks their authority: its card appears and the URL can be bookmarked."""
    page.goto(app_url)
    expect(page.get_by_role("heading", name=re.compile("Every Child Matters")).first).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT_MS
    )
    page.get_by_role("combobox", name=re.compile("Local authority")).click()
    first_option = page.get_by_role("option").first
    name = first_option.inner_text().strip()
    first_option.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("Plan actions")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]la=Z1000\d{4}"))
    full_page_screenshot(page, "home-authority.png")
