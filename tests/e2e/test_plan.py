"""Browser tests of the Plan page on a store of its own (the tiny demo): two Board members edit
the same action in two browsers and the second save is refused with the first one's change;
the action's history names who changed what; the plan downloads as the CSV it holds; a year
with no plan in force offers one click to a plan started from the area's gaps."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from ecm.demo.build import build_demo
from ecm.plan.edits import load_action
from ecm.store.engine import make_engine
from ecm.store.models import Action, Plan
from tests.e2e.helpers import open_action, save_status, serve_dashboard, sign_in, wait_for_app_run
from tests.helpers import drop_database, new_database_url

pytestmark = pytest.mark.e2e

RUN_MS = 60_000


@pytest.fixture(scope="module")
def plan_store(tmp_path_factory) -> Iterator[dict]:
    """A dashboard on a writable tiny demo with editing on: app URL, database URL, an action."""
    url = new_database_url(tmp_path_factory.mktemp("plan"))
    engine = make_engine(url)
    build_demo(engine, scale="tiny", seed=5)
    with engine.connect() as connection:
        action_id = connection.scalar(select(func.min(Action.id)))
        la = connection.scalar(
            select(Plan.la_code)
            .join(Action, Action.plan_id == Plan.id)
            .where(Action.id == action_id)
        )
        actions = connection.scalar(
            select(func.count()).select_from(Action).join(Plan).where(Plan.la_code == la)
        )
    try:
        with serve_dashboard(url, ECM_PLAN_EDITING="1") as app:
            yield {"app": app, "engine": engine, "la": la, "action": action_id,
                   "actions": actions}  # fmt: skip
    finally:
        engine.dispose()
        drop_database(url)


def test_the_second_of_two_editors_is_refused_and_sees_the_first_change(
    browser: Browser, plan_store: dict, full_page_screenshot: Callable[[Page, str], Path]
) -> None:
    first_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    second_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        before = load_action(plan_store["engine"], plan_store["action"])["status"]
        shown = before.replace("_", " ")
        theirs, mine = [s for s in ("at risk", "complete", "on track") if s != shown][:2]
        first, second = first_context.new_page(), second_context.new_page()
        open_action(first, plan_store, "demo-admin")
        open_action(second, plan_store, "demo-analyst")  # both forms now show version 1
        save_status(first, theirs)
        expect(first.get_by_text("Action saved.")).to_be_visible(timeout=RUN_MS)
        save_status(second, mine)
        refusal = second.get_by_text(re.compile("Not saved: demo-admin changed this action"))
        expect(refusal).to_be_visible(timeout=RUN_MS)
        expect(refusal).to_contain_text(f"→ {theirs}")
        full_page_screenshot(second, "plan-edit-conflict.png")
        stored = load_action(plan_store["engine"], plan_store["action"])
        assert (stored["status"], stored["version"], stored["updated_by"]) == (
            theirs.replace(" ", "_"),
            2,
            "demo-admin",
        )
        # The first editor's history names the change.
        first.get_by_text("History of this action").click()
        expect(first.get_by_text(f"status: {theirs}").first).to_be_visible(timeout=RUN_MS)
    finally:
        first_context.close()
        second_context.close()


def test_the_plan_downloads_as_a_csv_of_its_actions(page: Page, plan_store: dict) -> None:
    sign_in(page, plan_store["app"])
    page.goto(f"{plan_store['app']}/plan?la={plan_store['la']}", timeout=RUN_MS)
    expect(page.get_by_role("heading", name="Plan file")).to_be_visible(timeout=RUN_MS)
    wait_for_app_run(page)
    button = page.locator(".st-key-download_plan_csv button")
    with page.expect_download(timeout=RUN_MS) as download:
        button.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    actions = [r for r in rows if r.get("record") == "action"]
    assert len(actions) == plan_store["actions"]
    # The plan on screen (the one in force in the year shown), named by its period.
    (plan,) = [r for r in rows if r.get("record") == "plan"]
    assert download.value.suggested_filename == f"{plan_store['la']}-plan-{plan['period']}.csv"
    expect(page.get_by_text(f"{plan['title']} · ")).to_be_visible()


def test_an_authority_without_a_plan_downloads_one_started_from_its_gaps(
    page: Page, plan_store: dict
) -> None:
    from openpyxl import load_workbook

    from ecm.plan.io import draft_plan

    # The demo's plans start in 2008: in 2005/06 none was in force.
    la, year = plan_store["la"], "2005/06"
    sign_in(page, plan_store["app"])
    page.goto(f"{plan_store['app']}/plan?la={la}&period={year}", timeout=RUN_MS)
    expect(page.get_by_text(f"No plan of this authority was in force in {year}")).to_be_visible(
        timeout=RUN_MS
    )
    wait_for_app_run(page)
    button = page.locator(".st-key-download_plan_start button")
    expect(button).to_have_text("Start a plan from this area's gaps (.xlsx)")
    with page.expect_download(timeout=RUN_MS) as download:
        button.click()
    assert download.value.suggested_filename == f"{la}-draft-plan-from-2005-06-gaps.xlsx"
    workbook = Path(download.value.path()).read_bytes()  # saved without its extension
    sheet = load_workbook(io.BytesIO(workbook))["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    titles = [dict(zip(rows[0], row, strict=True))["title"] for row in rows[1:]]
    draft = draft_plan(plan_store["engine"], la, year)
    assert titles == [action["title"] for action in draft.rows["Actions"]]
    assert len(titles) > 0


def test_a_broken_plan_file_is_refused_with_its_row_and_a_good_one_replaces_the_plan(
    page: Page,
    plan_store: dict,
    tmp_path: Path,
    full_page_screenshot: Callable[[Page, str], Path],
) -> None:
    from openpyxl import load_workbook

    from ecm.plan.io import export_plan

    good = tmp_path / "plan.xlsx"
    good.write_bytes(export_plan(plan_store["engine"], plan_store["la"], "xlsx"))
    workbook = load_workbook(good)
    sheet = workbook["Actions"]
    status = [c.column for c in sheet[1] if c.value == "status"][0]
    sheet.cell(row=2, column=status, value="finished")
    broken = tmp_path / "broken-plan.xlsx"
    workbook.save(broken)
    before = load_action(plan_store["engine"], plan_store["action"])

    sign_in(page, plan_store["app"])
    page.goto(f"{plan_store['app']}/plan?la={plan_store['la']}", timeout=RUN_MS)
    expect(page.get_by_role("heading", name="Plan file")).to_be_visible(timeout=RUN_MS)
    wait_for_app_run(page)
    importer = page.locator(".st-key-plan_upload")
    importer.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(broken))
    expect(page.get_by_role("button", name=f"Remove {broken.name}")).to_be_visible()
    page.get_by_role("button", name="Import the plan").click()
    wait_for_app_run(page)
    expect(page.get_by_text(f"{broken.name} was not imported; nothing changed.")).to_be_visible(
        timeout=RUN_MS
    )
    expect(
        page.get_by_text(re.compile(r"sheet Actions line 2 column status")).first
    ).to_be_visible()
    full_page_screenshot(page, "plan-import-refused.png")
    assert load_action(plan_store["engine"], plan_store["action"]) == before

    page.get_by_role("button", name=f"Remove {broken.name}").click()
    # The removal reruns the page: the next file goes into the uploader that run draws.
    expect(page.get_by_role("button", name=f"Remove {broken.name}")).to_have_count(0)
    wait_for_app_run(page)
    importer.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    expect(page.get_by_role("button", name=f"Remove {good.name}")).to_be_visible()
    page.get_by_role("button", name="Import the plan").click()
    wait_for_app_run(page)
    expect(page.get_by_text(re.compile(r"imported from plan\.xlsx: \d+ actions"))).to_be_visible(
        timeout=RUN_MS
    )
