"""``python -m ecm load``: a bounded load on a running dashboard, while the store changes.

Opens ``sessions`` browser sessions (Playwright contexts in Debian's Chromium, signed in as a
benchmark account made for the run) on a dashboard already serving, usually nginx in front
of several processes (``deploy/``). In each round every session asks for its page at once,
and each is timed to its full render (as ``ecm.bench.browser`` defines it). There are at
least ``rounds`` rounds, and more while the changes asked for still run, one after another
as other clients would make them: ``python -m ecm import FILE`` and ``python -m ecm plan
import FILE --la CODE``, each its own process. The result is the renders' p50 and p95, how
many pages showed an error or never rendered, and how each change went.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ecm.access.sessions import COOKIE
from ecm.bench.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    bench_account,
    median_and_p95,
    open_at_once,
)
from ecm.config import ENV_DATABASE_URL
from ecm.config import ROOT as REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: Seconds a change may take before the load gives up on it.
CHANGE_TIMEOUT_S = 1800


@dataclass
class LoadResult:
    """What a load run measured (seconds)."""

    sessions: int
    rounds: int
    rounds_run: int = 0
    renders: int = 0
    p50_s: float | None = None
    p95_s: float | None = None
    max_s: float | None = None
    #: Pages that showed an error or did not render within the timeout.
    errors: int = 0
    seconds: float = 0.0
    #: Each change made during the load: its command, seconds taken and exit status.
    changes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for JSON output."""
        return asdict(self)


def run_load(
    base: str,
    database_url: str,
    paths: list[str],
    sessions: int,
    rounds: int,
    changes: list[list[str]] | None = None,
    browser: Browser | None = None,
) -> LoadResult:
    """Run the load on the dashboard at ``base`` (its store at ``database_url``): ``sessions``
    sessions over ``paths`` in turn, ``rounds`` times, while each of ``changes`` (arguments of
    ``python -m ecm``) runs in turn; in ``browser`` (default: a Chromium of its own)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                return run_load(base, database_url, paths, sessions, rounds, changes, own)
            finally:
                own.close()
    result = LoadResult(sessions=sessions, rounds=rounds)
    worker = _ChangeRunner(changes or [], database_url)
    started = time.perf_counter()
    seconds: list[float] = []
    with bench_account(database_url) as token:
        cookie = {"name": COOKIE, "value": token, "url": base}
        contexts = []
        try:
            for _ in range(sessions):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_cookies([cookie])
                contexts.append(context)
            worker.start()
            # At least ``rounds`` rounds, and more while a change is still running, so that
            # every change is made under load.
            while result.rounds_run < rounds or worker.is_alive():
                taken, errors = open_at_once(contexts, [base + p for p in paths])
                seconds += taken
                result.errors += errors
                result.rounds_run += 1
            worker.join()
        finally:
            for context in contexts:
                context.close()
    result.seconds = round(time.perf_counter() - started, 1)
    result.changes = worker.results
    result.renders = len(seconds)
    result.p50_s, result.p95_s = median_and_p95(seconds)
    result.max_s = round(max(seconds), 2) if seconds else None
    return result


class _ChangeRunner(threading.Thread):
    """Runs the changes one after another, each as its own ``python -m ecm`` process."""

    def __init__(self, changes: list[list[str]], database_url: str) -> None:
        super().__init__(daemon=True)
        self.changes, self.database_url = changes, database_url
        self.results: list[dict] = []

    def run(self) -> None:
        env = {**os.environ, ENV_DATABASE_URL: self.database_url}
        for arguments in self.changes:
            started = time.perf_counter()
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "ecm", *arguments], cwd=REPO_ROOT, env=env,
                    capture_output=True, text=True, timeout=CHANGE_TIMEOUT_S,
                )  # fmt: skip
                status, output = done.returncode, done.stdout + done.stderr
            except subprocess.TimeoutExpired:
                status, output = None, f"stopped after {CHANGE_TIMEOUT_S} s"
            self.results.append(
                {
                    "command": " ".join(arguments),
                    "seconds": round(time.perf_counter() - started, 1),
                    "exit_status": status,  # None: it did not finish in time
                    "output": output.strip()[-500:],
                }
            )
