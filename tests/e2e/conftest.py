"""Fixtures for the browser tests: a real ``streamlit run`` server and Debian's Chromium.

Helpers the tests call themselves (serving a dashboard of their own, waiting for a script run
to end) are in ``tests/e2e/helpers.py``.

The server is started once for all browser tests on a free port, with ``ECM_DATABASE_URL``
pointing at the demo database that ``tests/conftest.py`` builds. Playwright drives
``/usr/bin/chromium`` because it cannot download browsers of its own here.

The server and the browser are package-scoped (this folder is a package), so both stop as
soon as the last browser test is done: while Playwright's sync API is running it leaves an
asyncio event loop marked as running in the main thread, which would break any later test
that calls ``asyncio.run``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ecm.bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import save_full_page_screenshot, serve_dashboard, sign_in

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="package")
def app_url(demo_database_url: str) -> Iterator[str]:
    """The dashboard on the fictional demo database, for all browser tests that read it."""
    with serve_dashboard(demo_database_url) as url:
        yield url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Launch Debian's headless Chromium once for all the browser tests."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """Give each test a fresh browser context (no shared cookies or storage) and its page,
    signed in to the demo dashboard as its administrator (a test on another dashboard signs in
    there with :func:`tests.e2e.helpers.sign_in`)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    sign_in(context, app_url)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Return the folder for screenshots taken by the browser tests (not committed)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def full_page_screenshot(artifacts_dir: Path) -> Callable[[Page, str], Path]:
    """Return a function that saves a full-page screenshot named ``name`` in ``artifacts_dir``."""

    def take(page: Page, name: str) -> Path:
        return save_full_page_screenshot(page, artifacts_dir / name)

    return take
