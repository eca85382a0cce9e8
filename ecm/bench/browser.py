"""The browser part of ``python -m ecm bench --browser``: first full render of each page.

Starts ``streamlit run dashboard.py`` on the bench's store and opens each page by deep link in
Debian's Chromium (driven by Playwright, which cannot download browsers of its own here). A
page counts as rendered when Streamlit has finished the script run, the page's heading is on
screen, no element is left stale from a previous run, and every chart has drawn. Each page is
opened first on a server that has not computed it yet (cold: the page's analysis runs), then
again in fresh browser contexts (warm: the server's caches answer, the browser's are empty).
"""

from __future__ import annotations

import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, select

from ecm.access.sessions import COOKIE
from ecm.config import ENV_AUTO_DEMO, ENV_DATABASE_URL
from ecm.config import ROOT as REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT_S = 60.0
RENDER_TIMEOUT_MS = 120_000
#: True once the page has rendered (see the module docstring).
RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.main-svg')) return false;
  }
  return true;
}"""


def bench_pages(engine: Engine) -> dict[str, str]:
    """The four ways in, by deep link: a school, an LA, a region, the national gap explorer."""
    from ecm.store.models import LocalAuthority, Region, School

    with engine.connect() as connection:
        urn = connection.scalar(select(School.urn).order_by(School.urn).limit(1))
        la = connection.scalar(select(LocalAuthority.code).order_by(LocalAuthority.code).limit(1))
        region = connection.scalar(select(Region.code).order_by(Region.code).limit(1))
    return {
        "school": f"/school?urn={urn}",
        "area": f"/area?la={la}",
        "region": f"/region?code={region}",
        "gaps": "/gaps?indicator=ni_73&group=disadvantaged&level=school",
    }


@dataclass
class BrowserRun:
    """What the browser part measured: each page's renders, the sessions opened at once, and
    the app process's peak memory."""

    #: Page -> ``cold_s`` (first visit since the server started, nothing cached), ``warm_s``
    #: (median of later visits, each a new tab of a browser with the static files cached) and
    #: ``p95_s`` (of those visits).
    pages: dict[str, dict[str, float]] = field(default_factory=dict)
    #: ``count`` sessions opened at once over the pages: ``p50_s``, ``p95_s`` and ``errors``.
    sessions: dict[str, float] = field(default_factory=dict)
    #: The app process's peak resident memory over the run (VmHWM), in MB.
    peak_rss_mb: float | None = None


def time_first_renders(
    database_url: str, pages: dict[str, str], warm_repeats: int = 5, sessions: int = 0
) -> BrowserRun:
    """Seconds from opening each page to its full render: cold (first visit since the server
    started, in a browser with nothing cached), then ``warm_repeats`` later visits, each in a
    new tab of a browser that has the app's static files cached. The
    home page is opened first, so the server's start-up (imports, the store check) is measured
    there and not charged to the first page. Then ``sessions`` sessions are opened at once,
    spread over the pages, and timed to their full renders; last, the process's peak memory."""
    from playwright.sync_api import sync_playwright

    run = BrowserRun()
    with (
        serve(database_url) as (base, process),
        bench_account(database_url) as token,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        cookie = {"name": COOKIE, "value": token, "url": base}

        def render(url: str) -> float:  # a new browser: nothing cached
            return _render(browser, url, cookie)

        # Warm: a new tab in one browser that has been to the app, so that it has the static
        # files (Streamlit's JavaScript and fonts) cached, as a person's browser does; the
        # server's caches answer too.
        warm_context = browser.new_context(viewport={"width": 1400, "height": 1000})
        warm_context.add_cookies([cookie])

        def tab(url: str) -> float:
            return _render_in(warm_context, url)

        try:
            run.pages["home (first page after start-up)"] = {"cold_s": render(base)}
            tab(base)  # the browser fetches the static files once
            for name, path in pages.items():
                cold = render(base + path)
                run.pages[name] = {
                    "cold_s": round(cold, 2),
                    **_warm(tab, base + path, warm_repeats),
                }
            run.pages["home (first page after start-up)"].update(_warm(tab, base, warm_repeats))
            if sessions:
                run.sessions = _at_once(
                    browser, cookie, [base + p for p in pages.values()], sessions
                )
        finally:
            browser.close()
        run.peak_rss_mb = peak_rss_mb(process.pid)
    return run


def _warm(render, url: str, repeats: int) -> dict[str, float]:  # noqa: ANN001
    """The median and 95th percentile (nearest rank) of ``repeats`` warm renders."""
    warm, p95 = median_and_p95([render(url) for _ in range(max(1, repeats))])
    return {"warm_s": warm, "p95_s": p95}


def _at_once(browser, cookie: dict, urls: list[str], count: int) -> dict[str, float]:  # noqa: ANN001
    """Open ``count`` sessions at once (each its own browser context, the pages in turn), and
    time each to its full render: p50, p95 and how many showed an error or never rendered."""
    contexts = []
    try:
        for _ in range(count):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_cookies([cookie])
            contexts.append(context)
        seconds, errors = open_at_once(contexts, urls)
        p50, p95 = median_and_p95(seconds)
        return {"count": count, "p50_s": p50, "p95_s": p95, "errors": errors}
    finally:
        for context in contexts:
            context.close()


def open_at_once(contexts: list, urls: list[str]) -> tuple[list[float], int]:
    """Every context asks for its page (``urls`` in turn) at once; returns each one's seconds
    to its full render and how many showed an error, the sign-in page, or never rendered."""
    opened = []
    for number, context in enumerate(contexts):
        page = context.new_page()
        opened.append((page, time.perf_counter()))
        page.goto(urls[number % len(urls)], wait_until="commit")  # the next asks at once
    seconds, errors = [], 0
    for page, asked in opened:
        try:
            page.wait_for_function(RENDERED, timeout=RENDER_TIMEOUT_MS, polling=50)
            seconds.append(time.perf_counter() - asked)
            shown_error = page.locator('[data-testid="stException"]').count() > 0
            signed_out = page.locator('input[type="password"]').count() > 0
            errors += shown_error or signed_out
        except Exception:  # noqa: BLE001 (a timeout or a crash: the page failed)
            errors += 1
        finally:
            page.close()
    return seconds, errors


def median_and_p95(seconds: list[float]) -> tuple[float | None, float | None]:
    """The median and 95th percentile (nearest rank) of ``seconds``, rounded; None if empty."""
    if not seconds:
        return None, None
    ordered = sorted(seconds)
    p95 = ordered[math.ceil(0.95 * (len(ordered) - 1))]
    return round(statistics.median(ordered), 2), round(p95, 2)


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory so far (Linux's VmHWM), in MB; None where unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _render(browser, url: str, cookie: dict) -> float:  # noqa: ANN001
    """Seconds from asking for ``url`` in a fresh context (nothing cached), signed in by
    ``cookie``, until it has rendered."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([cookie])
    try:
        return _render_in(context, url)
    finally:
        context.close()


def _render_in(context, url: str) -> float:  # noqa: ANN001
    """Seconds from asking for ``url`` in a new tab of ``context`` until it has rendered."""
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(RENDERED, timeout=RENDER_TIMEOUT_MS, polling=50)
        taken = round(time.perf_counter() - started, 2)
        if page.locator('input[type="password"]').count():  # the sign-in page, not the page
            raise RuntimeError(f"the benchmark was asked to sign in at {url}")
        return taken
    finally:
        page.close()


#: The account the benchmark signs in as (an analyst: every page as its users see it at most).
BENCH_USER = "ecm-bench"


@contextmanager
def bench_account(database_url: str) -> Iterator[str]:
    """A signed-in session of a benchmark account made for the run (a random password nobody
    is shown), removed with its session afterwards; yields the session's token."""
    from ecm.access.accounts import add_user
    from ecm.access.sessions import start_session
    from ecm.store.engine import make_engine, session_scope
    from ecm.store.models import SignInSession, User

    engine = make_engine(database_url)

    def remove() -> None:
        with session_scope(engine) as session:
            session.execute(delete(SignInSession).where(SignInSession.username == BENCH_USER))
            session.execute(delete(User).where(User.username == BENCH_USER))

    try:
        remove()
        add_user(engine, BENCH_USER, "Benchmark", "analyst", None, secrets.token_urlsafe(24),
                 by="benchmark")  # fmt: skip
        yield start_session(engine, BENCH_USER)
    finally:
        remove()
        engine.dispose()


@contextmanager
def serve(database_url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the dashboard on ``database_url`` on a free local port; yield its base URL and
    its process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = {**os.environ, ENV_DATABASE_URL: database_url, ENV_AUTO_DEMO: "0"}
    with tempfile.TemporaryFile() as output:  # a file, not a pipe, which could fill and block
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not _healthy(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    log = output.read().decode(errors="replace")
                    raise RuntimeError(f"the dashboard did not start:\n{log}")
                time.sleep(0.2)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
