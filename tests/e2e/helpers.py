"""Helpers the browser tests share: serving the dashboard, waiting for Streamlit's run to end,
and full-page screenshots.

Browser test modules import from here (and from ``tests/helpers.py``), never from a
``conftest.py`` or from one another; ``tests/e2e/conftest.py`` builds its fixtures from here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import REPO_ROOT, session_token

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

STARTUP_TIMEOUT_S = 60.0
SHUTDOWN_TIMEOUT_S = 10.0
#: How long one script run may take before a test gives up on it (a cold page computes).
RUN_TIMEOUT_MS = 60_000
# Streamlit scrolls inside its main section, not the document, so Playwright's full_page
# screenshot alone only shows the first viewport; the viewport is grown to the content first.
MAIN_SCROLLER = '[data-testid="stMain"]'
MAX_SCREENSHOT_HEIGHT = 12_000

#: True once Streamlit has finished the script run, no element is left stale from a previous
#: run, every element has its code loaded, and every chart has drawn: the rule
#: ``ecm/bench/browser.py`` times pages by, less its check for a page heading (not every state
#: a test waits in has one), plus the skeletons. ``data-test-script-state`` is "initial" until
#: the first run, "running" during a run and "notRunning" after it. Streamlit loads the code
#: of charts and tables only when a page first shows one, and shows a skeleton (``stSkeleton``)
#: in its place meanwhile: a chart is not even in the page until then, so without that check
#: "every chart has drawn" would hold while none has. Plotly then draws its ``.main-svg``.
APP_RUN_ENDED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid^="stSkeleton"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.main-svg')) return false;
  }
  return true;
}"""


def wait_for_app_run(page: Page, timeout_ms: float = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished its script run and the page shows all of it.

    That is: the app says its script is not running, no element is stale (left from the run
    before, or about to be replaced), no element is still a skeleton waiting for its code, and
    every Plotly chart has drawn. A run that a click has
    just asked for may not have started yet when this is called, so after an interaction first
    wait for something the interaction brings (``expect(...).to_be_visible()``), then for the
    run to end.
    """
    page.wait_for_function(APP_RUN_ENDED, timeout=timeout_ms, polling=50)


# --- a real ``streamlit run`` server -----------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_healthy(base_url: str) -> bool:
    """Return True when the Streamlit server at ``base_url`` reports itself healthy."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Ask ``process`` to stop, and kill it if it has not stopped within a few seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serve_dashboard(database_url: str, **env_extra: str) -> Iterator[str]:
    """Serve ``dashboard.py`` on ``database_url`` and yield the app's base URL.

    ``env_extra`` adds environment variables for the server (``ECM_PLAN_EDITING="1"``).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {
        **os.environ,
        "ECM_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    # A file, not a pipe, holds the server's output: a full pipe would block the server.
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )

        def server_output() -> str:
            output.seek(0)
            return output.read().decode(errors="replace")

        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not is_healthy(base_url):
                if process.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {process.returncode} before it was ready:\n"
                        f"{server_output()}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit was not healthy after {STARTUP_TIMEOUT_S:.0f} s:\n"
                        f"{server_output()}",
                        pytrace=False,
                    )
                time.sleep(0.25)
            _STORES[base_url] = database_url
            yield base_url
        finally:
            _STORES.pop(base_url, None)
            stop_process(process)


#: The store each running dashboard serves, by its base URL (for :func:`sign_in`).
_STORES: dict[str, str] = {}


@contextmanager
def serving(database_url: str, *base_urls: str) -> Iterator[None]:
    """A block in which dashboards started otherwise (deploy/start: its processes and nginx)
    are known to serve ``database_url``, so :func:`sign_in` can sign a browser in to them."""
    _STORES.update(dict.fromkeys(base_urls, database_url))
    try:
        yield
    finally:
        for base_url in base_urls:
            _STORES.pop(base_url, None)


def sign_in(target: Page | BrowserContext, url: str, user: str = "demo-admin") -> None:
    """Sign the browser context of ``target`` in to the dashboard serving ``url`` as ``user``
    (a demo account; on a store without it, an administrator of that name is made): its
    session cookie, as the sign-in form leaves it. Cookies do not tell ports apart, so this
    replaces a sign-in to another dashboard on this host."""
    from ecm.access.sessions import COOKIE

    base_url = "/".join(url.split("/")[:3])  # scheme://host:port
    context = target if hasattr(target, "add_cookies") else target.context
    token = session_token(_STORES[base_url], user)
    context.add_cookies([{"name": COOKIE, "value": token, "url": base_url}])


# --- screenshots -------------------------------------------------------------------------------


def content_height(page: Page) -> int:
    """Return the height in pixels of the app's scrolling main section (or of the document)."""
    return int(
        page.evaluate(
            "selector => { const el = document.querySelector(selector);"
            " return el ? el.scrollHeight : document.documentElement.scrollHeight; }",
            MAIN_SCROLLER,
        )
    )


def save_full_page_screenshot(page: Page, path: Path) -> Path:
    """Save a screenshot of the whole app, including what lies below the fold, to ``path``.

    Once the app's run has ended and its charts have drawn, the viewport is made as tall as
    Streamlit's scrolling main section (up to a limit), the picture is taken, and the viewport
    is put back as it was.
    """
    original = page.viewport_size
    try:
        wait_for_app_run(page)
        if original:
            height = min(max(content_height(page), original["height"]), MAX_SCREENSHOT_HEIGHT)
            if height > original["height"]:
                page.set_viewport_size({"width": original["width"], "height": height})
        page.screenshot(path=str(path), full_page=True)
    finally:
        if original:
            page.set_viewport_size(original)
    return path


# --- the Plan page's edit form ---------------------------------------------------------


def open_action(page: Page, store: dict, user: str = "demo-admin") -> None:
    """Open the action ``store["action"]`` of the plan of ``store["la"]`` on the dashboard
    ``store["app"]``, signed in as ``user``."""
    from playwright.sync_api import expect

    sign_in(page, store["app"], user)
    page.goto(
        f"{store['app']}/plan?la={store['la']}&action={store['action']}", timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_role("heading", name="Action", exact=True)).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    wait_for_app_run(page)


def save_status(page: Page, status: str) -> None:
    """Open the edit form, choose a status and save.

    A run that ends meanwhile (on a loaded machine) can close the list or put the form back
    as it was; the app then says nothing changed, nothing was saved, and choosing and saving
    again is safe.
    """
    nothing = page.get_by_text("Nothing changed, so nothing was saved.")
    for _ in range(3):
        if not page.get_by_role("button", name="Save changes").is_visible():
            page.get_by_text("Edit this action").click()
        _choose_status(page, status)
        page.get_by_role("button", name="Save changes").click()
        wait_for_app_run(page)
        if not nothing.is_visible():
            return


def _choose_status(page: Page, status: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    box = page.get_by_role("combobox", name="Status", exact=True)
    option = page.get_by_role("option", name=status, exact=True)
    for attempt in range(3):  # a run that ends meanwhile can close the list: open it again
        box.click()
        box.fill(status)
        try:
            option.click(timeout=10_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            wait_for_app_run(page)
