"""The shared deployment of deploy/ on loopback: its own PostgreSQL server, two dashboard
processes and nginx in front, started and stopped by deploy/start and deploy/stop. nginx
spreads browsers over both processes and keeps each browser on one; a plan change made
through one process is seen through the other within 5 s; a few sessions at once through
nginx all get their pages, also while a file and a plan import (``python -m ecm load``); a
restart of PostgreSQL leaves the processes serving."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from ecm.demo.build import build_demo
from ecm.plan.edits import load_action
from ecm.store.engine import make_engine
from ecm.store.models import Action, Plan
from tests.e2e.helpers import (
    RUN_TIMEOUT_MS,
    free_port,
    open_action,
    save_status,
    serving,
    sign_in,
    wait_for_app_run,
)
from tests.helpers import REPO_ROOT, private_postgres

pytestmark = pytest.mark.e2e

#: A change through one process is shown through every other within this many seconds.
SEEN_WITHIN_S = 5.0


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[dict]:  # noqa: ANN001
    """deploy/start on a tiny demo in a PostgreSQL server of the test's own."""
    with private_postgres() as (url, restart):
        engine = make_engine(url)
        build_demo(engine, scale="tiny", seed=5)
        with engine.connect() as connection:
            action = connection.scalar(select(func.min(Action.id)))
            la = connection.scalar(
                select(Plan.la_code).join(Action, Action.plan_id == Plan.id)
                .where(Action.id == action)
            )  # fmt: skip
        ports = [free_port(), free_port()]
        listen = f"127.0.0.1:{free_port()}"
        env = {
            **os.environ,
            "ECM_DATABASE_URL": url,
            "ECM_APP_PORTS": " ".join(map(str, ports)),
            "ECM_LISTEN": listen,
            "ECM_RUN_DIR": str(tmp_path_factory.mktemp("deploy")),
            "ECM_PLAN_EDITING": "1",
        }
        started = subprocess.run(
            ["bash", "deploy/start"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        apps = [f"http://127.0.0.1:{p}" for p in ports]
        try:
            assert started.returncode == 0, started.stdout + started.stderr
            with serving(url, *apps, f"http://{listen}"):
                yield {
                    "env": env, "engine": engine, "restart": restart, "la": la,
                    "action": action, "apps": apps, "nginx": f"http://{listen}",
                }  # fmt: skip
        finally:
            subprocess.run(["bash", "deploy/stop"], cwd=REPO_ROOT, env=env, timeout=120)
            engine.dispose()


def upstream_of(url: str, cookie: str | None = None) -> str:
    """The process nginx sent a request to (its X-ECM-Upstream header)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.headers["X-ECM-Upstream"]


def test_nginx_spreads_browsers_over_both_processes_and_keeps_each_on_one(
    deployment: dict,
) -> None:
    health = f"{deployment['nginx']}/healthz"
    seen = {upstream_of(health, f"ecm_route=browser-{n}") for n in range(16)}
    assert seen == {app.removeprefix("http://") for app in deployment["apps"]}
    # One browser's requests all reach one process.
    assert len({upstream_of(health, "ecm_route=browser-1") for _ in range(5)}) == 1
    checked = subprocess.run(
        ["bash", "deploy/health"], cwd=REPO_ROOT, env=deployment["env"], capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.count("ok ") == 4  # two processes, nginx and the store


def test_a_plan_change_through_one_process_is_seen_through_the_other(
    browser: Browser, deployment: dict
) -> None:
    first_app, second_app = deployment["apps"]
    before = load_action(deployment["engine"], deployment["action"])["status"]
    new = next(s for s in ("at risk", "complete", "on track") if s != before.replace("_", " "))
    other = browser.new_context().new_page()
    open_action(other, {**deployment, "app": second_app}, "demo-admin")  # cached there now
    # The action's particulars: "... Reported status: on track ..." (the words in bold).
    reported = other.locator("p", has_text="Reported status:").first
    expect(reported).to_contain_text(f"Reported status: {before.replace('_', ' ')}")

    editor = browser.new_context().new_page()
    open_action(editor, {**deployment, "app": first_app}, "demo-admin")
    save_status(editor, new)
    expect(editor.get_by_text("Action saved.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    saved_at = time.monotonic()
    while True:  # each reload waits for its run to end; none waits a fixed time
        reload_at = time.monotonic()
        other.reload()
        wait_for_app_run(other)
        if f"Reported status: {new}" in reported.inner_text():
            break
        assert reload_at - saved_at < SEEN_WITHIN_S, "the other process still shows the old plan"
    assert reload_at - saved_at <= SEEN_WITHIN_S


def test_sessions_at_once_through_nginx_all_get_their_pages(
    browser: Browser, deployment: dict
) -> None:
    paths = ["/", f"/area?la={deployment['la']}", "/region", "/gaps", "/data", "/indicators"]
    pages = []
    for path in paths:
        context = browser.new_context()
        sign_in(context, deployment["nginx"], "demo-admin")
        pages.append((context.new_page(), path))
    for page, path in pages:  # all asked for at once; the server runs them side by side
        page.goto(deployment["nginx"] + path, wait_until="commit", timeout=RUN_TIMEOUT_MS)
    for page, path in pages:
        wait_for_app_run(page)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        expect(page.get_by_role("heading", level=1).first).to_be_visible()


def test_sessions_keep_getting_their_pages_while_a_file_and_a_plan_import(
    browser: Browser, deployment: dict, tmp_path
) -> None:
    """The bounded load of ``python -m ecm load`` through nginx: six sessions over both
    processes, round after round, while a performance-tables file and the LA's plan (as
    exported) import, each by its own process. No page shows an error, both changes are made,
    and each moves the store's version."""
    from ecm.bench.load import run_load
    from ecm.plan.io import export_plan
    from ecm.store.changes import store_version
    from tests.helpers import KS2

    engine, la = deployment["engine"], deployment["la"]
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(export_plan(engine, la, "xlsx"))
    before = store_version(engine)
    paths = [f"/area?la={la}", "/region", "/gaps", f"/plan?la={la}", "/", "/data"]
    result = run_load(
        deployment["nginx"], deployment["env"]["ECM_DATABASE_URL"], paths, sessions=6,
        rounds=2, changes=[["import", str(KS2)], ["plan", "import", str(plan), "--la", la]],
        browser=browser,
    )  # fmt: skip
    assert [c["exit_status"] for c in result.changes] == [0, 0], result.changes
    assert result.errors == 0
    assert result.rounds_run >= 2 and result.renders == 6 * result.rounds_run
    assert result.p50_s is not None and result.p50_s <= result.p95_s <= result.max_s
    assert store_version(engine) >= before + 2


def test_the_processes_recover_when_postgresql_restarts(browser: Browser, deployment: dict) -> None:
    deployment["restart"]()
    for app in deployment["apps"]:
        context = browser.new_context()
        sign_in(context, app, "demo-admin")
        page = context.new_page()
        page.goto(f"{app}/area?la={deployment['la']}", timeout=RUN_TIMEOUT_MS)
        wait_for_app_run(page)
        assert page.locator('[data-testid="stException"]').count() == 0, app
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
