"""The Plan page (AppTest): coverage as the analysis computes it, links that open the right
panel first, and editing with its history and the refusal of a second save; a year with no
plan in force offers a plan started from the area's gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from ecm.access.accounts import set_role
from ecm.access.rights import operator
from ecm.config import database_url
from ecm.demo.build import build_demo
from ecm.figures.queries import load_local_authorities, resolve_area
from ecm.plan.edits import action_history, load_action, load_notes
from ecm.plan.loaders import gap_turn_the_curve, la_plan_coverage
from ecm.store.engine import session_scope
from ecm.store.models import Action, LocalAuthority
from ecm.ui.signin import TOKEN_KEY
from ecm.views.markdown import escape_markdown
from ecm.views.turn_the_curve import curve_table
from tests.helpers import session_token, signed_in_app

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def open_plan(user: str = "demo-admin", **params: str) -> AppTest:
    at = signed_in_app(database_url(), user)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(str(ROOT / "app_pages/plan.py"))
    at.run()
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture
def first_la(demo_engine) -> str:  # noqa: ANN001
    return load_local_authorities(demo_engine).iloc[0]["code"]


def test_the_plan_page_shows_the_coverage_the_analysis_computes(
    use_demo_database, demo_engine, first_la
) -> None:
    coverage = la_plan_coverage(demo_engine, first_la)
    at = open_plan(la=first_la)
    assert not at.exception
    assert at.title[0].value.endswith(": Children and Young People's Plan")
    assert [h.value for h in at.header][:3] == [
        "At a glance",
        "Gaps with no action",
        "Actions off track by the figures",
    ]
    text = markdown(at)
    concern = len(coverage.covered) + len(coverage.uncovered)
    assert f"**{concern}** gaps are significant or widening in {coverage.period}" in text
    assert f"**{len(coverage.uncovered)} have none**" in text
    uncovered = next(d.value for d in at.dataframe if "Turn the curve" in d.value.columns
                     and "Significant" in d.value.columns)  # fmt: skip
    assert len(uncovered) == len(coverage.uncovered)
    assert sorted(uncovered["Size"]) == sorted(coverage.uncovered["gap"].round(1))
    # Percentage gaps first (widest in points), then gaps in other units.
    units = list(uncovered["Unit"])
    assert units == sorted(units, key=lambda u: u != "percentage points")
    points = uncovered[uncovered["Unit"] == "percentage points"]["Size"]
    assert list(points) == sorted(points, reverse=True)
    actions = next(d.value for d in at.dataframe if "The figures say" in d.value.columns)
    off = set(coverage.off_track["title"])
    shown_off = set(actions.loc[actions["The figures say"] == "off track", "Action"])
    assert shown_off == off
    # Links to the area and the region it sits in, carrying their codes.
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    area = resolve_area(demo_engine, "la", first_la)
    assert links[f"{escape_markdown(area['name'])}: area overview"] == "area"
    region = escape_markdown(area["region"]["name"])
    assert links[f"{region}: the region's authorities side by side"] == "region"


def test_a_gap_link_opens_on_its_turn_the_curve_picture(
    use_demo_database, demo_engine, first_la
) -> None:
    coverage = la_plan_coverage(demo_engine, first_la)
    target = coverage.evidence.dropna(subset=["target"]).iloc[0]
    gap = f"{target['indicator_code']}:{target['group_code']}"
    curve = gap_turn_the_curve(demo_engine, first_la, *gap.split(":"))
    at = open_plan(la=first_la, gap=gap)
    assert not at.exception
    assert at.header[0].value == "Turn the curve"
    assert f"Target: **{curve.target['value']:.1f}** by {curve.target['period']}" in markdown(at)
    chart = next(c for c in at.get("plotly_chart") if "chart_turn_the_curve" in c.proto.id)
    assert '"name":"Actual"' in chart.proto.spec
    assert '"name":"Target"' in chart.proto.spec
    # The chart's table keeps its figures as numbers: a line with no interval (the path, the
    # target) has none there, not text mixed into a column of numbers.
    table = curve_table(curve)
    assert list(table.dtypes[["value", "lower", "upper"]]) == [float, float, float]
    path = table[table["line"] == "path to target"]
    assert not path.empty and path["lower"].isna().all() and path["value"].notna().all()


def test_an_unknown_authority_is_named(use_demo_database) -> None:
    at = open_plan(la="Z99999999")
    assert not at.exception
    assert "No local authority with code Z99999999" in at.error[0].value


@pytest.fixture
def writable_store(engine, monkeypatch):  # noqa: ANN001, ANN201
    """A store of its own holding the tiny demo, for tests that change the plan."""
    build_demo(engine, scale="tiny", seed=11)
    monkeypatch.setenv("ECM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ECM_PLAN_EDITING", "1")
    return engine


def _first_action(engine) -> tuple[str, int]:  # noqa: ANN001
    from ecm.store.models import Plan

    with engine.connect() as connection:
        action_id = connection.scalar(select(func.min(Action.id)))
        la = connection.scalar(
            select(Plan.la_code)
            .join(Action, Action.plan_id == Plan.id)
            .where(Action.id == action_id)
        )
    return la, action_id


def _save_status(at: AppTest, action_id: int, status_words: str) -> AppTest:
    form_status = next(s for s in at.selectbox if s.label == "Status")
    form_status.set_value(
        {"on track": "on_track", "off track": "off_track", "at risk": "at_risk"}[status_words]
    )
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    return at


def test_an_edit_is_saved_under_the_signed_in_account_and_shows_in_the_history(
    writable_store,  # noqa: ANN001
) -> None:
    la, action_id = _first_action(writable_store)
    at = open_plan(user="demo-analyst", la=la, action=str(action_id))
    assert not at.exception
    assert at.header[0].value == "Action"
    before = load_action(writable_store, action_id)
    new = "off track" if before["status"] != "off_track" else "at risk"
    _save_status(at, action_id, new)
    assert not at.exception
    saved = load_action(writable_store, action_id)
    assert saved["version"] == 2 and saved["updated_by"] == "demo-analyst"
    assert saved["status"] == new.replace(" ", "_")
    assert at.success[0].value == "Action saved."
    history = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert list(history["Who"]) == ["demo-analyst"]
    assert history.iloc[0]["After"] == f"status: {new}"


def test_every_form_says_changes_are_recorded_under_the_account_and_asks_no_name(
    writable_store,  # noqa: ANN001
) -> None:
    la, action_id = _first_action(writable_store)
    at = open_plan(user="demo-admin", la=la, action=str(action_id))
    assert not [box for box in at.text_input if "name" in box.label.lower()]
    recorded = [
        c.value.replace("\\", "") for c in at.caption
        if c.value.startswith("Changes are recorded as")
    ]  # fmt: skip
    assert (
        recorded
        == [
            "Changes are recorded as Demo Administrator (demo-admin), with the time and the "
            "record before and after."
        ]
        * 3
    )


def test_the_second_of_two_people_editing_one_action_is_refused(writable_store) -> None:
    la, action_id = _first_action(writable_store)
    before = load_action(writable_store, action_id)["status"]
    theirs, mine = [
        s for s in ("at risk", "off track", "on track") if s != before.replace("_", " ")
    ][:2]
    first = open_plan(user="demo-admin", la=la, action=str(action_id))
    second = open_plan(user="demo-analyst", la=la, action=str(action_id))
    _save_status(first, action_id, theirs)
    assert load_action(writable_store, action_id)["status"] == theirs.replace(" ", "_")
    _save_status(second, action_id, mine)
    assert not second.exception
    message = second.error[0].value
    assert "Not saved: demo-admin changed this action" in message
    assert f"status: {before.replace('_', ' ')} → {theirs}" in message
    stored = load_action(writable_store, action_id)
    assert (stored["status"], stored["version"]) == (theirs.replace(" ", "_"), 2)
    assert list(action_history(writable_store, action_id)["user_name"]) == ["demo-admin"]
    # Loading their version lets the second person save on top of it.
    next(b for b in second.button if b.label == "Load their version").click()
    second.run()
    _save_status(second, action_id, mine)
    assert load_action(writable_store, action_id)["status"] == mine.replace(" ", "_")


def test_a_form_drawn_after_anothers_save_shows_it_and_saves_on_top(writable_store) -> None:
    from ecm.plan.edits import save_action

    la, action_id = _first_action(writable_store)
    at = open_plan(la=la, action=str(action_id))
    save_action(writable_store, action_id, {"title": "Renamed by Bob"}, 1, operator("Bob"))
    at.run()  # any later run draws the form afresh from the stored action
    assert next(t for t in at.text_input if t.label == "Title").value == "Renamed by Bob"
    before = load_action(writable_store, action_id)["status"]
    mine = "at risk" if before != "at_risk" else "off track"
    _save_status(at, action_id, mine)
    assert not at.error
    stored = load_action(writable_store, action_id)
    assert (stored["title"], stored["status"], stored["version"]) == (
        "Renamed by Bob",
        mine.replace(" ", "_"),
        3,
    )


def test_a_progress_note_is_saved_under_the_account_and_appears(writable_store) -> None:
    la, action_id = _first_action(writable_store)
    set_role(writable_store, "demo-board", "board_member", la)
    at = open_plan(user="demo-board", la=la, action=str(action_id))
    at.text_area(key=f"note_text_{action_id}").set_value("Twelve schools signed up.")
    next(b for b in at.button if b.label == "Save the note").click()
    at.run()
    assert not at.error
    notes = [m.value.replace("\\", "") for m in at.markdown]
    assert any("demo-board:* Twelve schools signed up." in note for note in notes)


def test_presentation_mode_and_shared_stores_offer_no_editing(writable_store, monkeypatch) -> None:
    la, action_id = _first_action(writable_store)
    at = open_plan(la=la, action=str(action_id), present="1")
    assert not at.exception
    assert not [b for b in at.button if b.label == "Save changes"]
    monkeypatch.setenv("ECM_PLAN_EDITING", "0")
    at = open_plan(la=la, action=str(action_id))
    assert not [b for b in at.button if b.label == "Save changes"]
    assert any("(ECM_PLAN_EDITING)" in c.value for c in at.caption)


def test_only_the_authoritys_board_analysts_and_administrators_may_change_its_plan(
    writable_store,  # noqa: ANN001
) -> None:
    la, action_id = _first_action(writable_store)
    with session_scope(writable_store) as session:
        other = session.scalar(select(LocalAuthority.code).where(LocalAuthority.code != la))
    set_role(writable_store, "demo-board", "board_member", la)
    allowed = {}
    for user in ("demo-board", "demo-head", "demo-officer", "demo-analyst", "demo-admin"):
        at = open_plan(user=user, la=la, action=str(action_id))
        assert not at.exception
        allowed[user] = bool([b for b in at.button if b.label == "Save changes"])
    assert allowed == {
        "demo-board": True, "demo-head": False, "demo-officer": False,
        "demo-analyst": True, "demo-admin": True,
    }  # fmt: skip
    # A Board member of another authority reads this plan but cannot change it.
    set_role(writable_store, "demo-board", "board_member", other)
    at = open_plan(user="demo-board", la=la, action=str(action_id))
    assert not [b for b in at.button if b.label == "Save changes"]
    assert any("Board" in c.value for c in at.caption)


def test_a_write_is_asked_again_for_the_account_signed_in_when_it_is_made(
    writable_store,  # noqa: ANN001
) -> None:
    """Forms drawn for an administrator, submitted once the session is a headteacher's (a
    session value changed by hand, say), change nothing: the save's own check refuses it."""
    la, action_id = _first_action(writable_store)
    at = open_plan(la=la, action=str(action_id))
    notes = len(load_notes(writable_store, action_id))
    next(s for s in at.selectbox if s.label == "Status").set_value("at_risk")
    at.text_area(key=f"note_text_{action_id}").set_value("Not my plan.")
    at.session_state[TOKEN_KEY] = session_token(database_url(), "demo-head")
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    assert load_action(writable_store, action_id)["version"] == 1
    assert len(load_notes(writable_store, action_id)) == notes
    assert not [b for b in at.button if b.label in ("Save changes", "Save the note")]


def test_a_link_to_any_gap_draws_that_gap_never_another(
    use_demo_database, demo_engine, first_la
) -> None:
    coverage = la_plan_coverage(demo_engine, first_la)
    concern = set(
        zip(coverage.covered["indicator_code"], coverage.covered["focus_group"], strict=True)
    ) | set(
        zip(coverage.uncovered["indicator_code"], coverage.uncovered["focus_group"], strict=True)
    )
    other = next(
        f"{i}:{g}"
        for i in ("ni_73", "ni_75", "ni_93", "ni_94", "ni_87")
        for g in ("disadvantaged", "boys", "sen")
        if (i, g) not in concern
    )
    at = open_plan(la=first_la, gap=other)
    assert not at.exception
    assert at.query_params["gap"] == other
    assert next(s for s in at.selectbox if s.label == "Gap or value").value == other


def test_an_actions_outcome_can_be_changed_and_a_target_removed(writable_store) -> None:
    from ecm.store.models import ActionTarget

    with writable_store.connect() as connection:
        action_id, target_id = connection.execute(
            select(ActionTarget.action_id, ActionTarget.id).order_by(ActionTarget.id).limit(1)
        ).one()
    la = load_plan_la(writable_store, action_id)
    before = load_action(writable_store, action_id)
    other = "stay_safe" if before["outcome_code"] != "stay_safe" else "be_healthy"
    at = open_plan(user="demo-analyst", la=la, action=str(action_id))
    next(s for s in at.selectbox if s.label == "Outcome").set_value(other)
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    assert not at.exception and at.success[0].value == "Action saved."
    assert load_action(writable_store, action_id)["outcome_code"] == other
    next(s for s in at.selectbox if s.label == "Target").set_value(target_id)
    next(b for b in at.button if b.label == "Remove the target").click()
    at.run()
    assert not at.exception and at.success[0].value == "Target removed."
    with writable_store.connect() as connection:
        assert (
            connection.scalar(select(ActionTarget.id).where(ActionTarget.id == target_id)) is None
        )
    history = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert list(history["Who"]) == ["demo-analyst", "demo-analyst"]


def load_plan_la(engine, action_id: int) -> str:  # noqa: ANN001
    from ecm.store.models import Plan

    with engine.connect() as connection:
        return connection.scalar(
            select(Plan.la_code)
            .join(Action, Action.plan_id == Plan.id)
            .where(Action.id == action_id)
        )


def test_a_change_to_the_plan_refreshes_the_authoritys_summary_on_the_home_page(
    writable_store,
) -> None:
    """The home page's card of an LA counts its plan's actions: a cached summary is forgotten
    after a change to the plan, as the Plan page's own results are."""
    from ecm import ui
    from ecm.figures.plans import load_plan
    from ecm.plan.edits import create_action

    la, _ = _first_action(writable_store)
    before = ui.load_la_summary(la)["actions"]
    plan = load_plan(writable_store, la)
    fields = {"title": "Breakfast clubs", "outcome_code": "be_healthy",
              "lead_partner": "Primary Care Trust", "status": "not_started",
              "start_date": plan["start_date"], "due_date": plan["end_date"]}  # fmt: skip
    create_action(writable_store, plan["id"], fields, operator("Ann Analyst"))
    assert ui.load_la_summary(la)["actions"] == before  # still the cached count
    ui.forget_cached_reads()  # what every edit on the Plan page calls
    assert ui.load_la_summary(la)["actions"] == before + 1


def test_an_authority_with_no_plan_in_force_is_offered_a_plan_started_from_its_gaps(
    use_demo_database, demo_engine, first_la
) -> None:
    # The demo's plans start in 2008: in 2006/07 no plan was in force.
    at = open_plan(la=first_la, period="2006/07")
    assert not at.exception
    (notice,) = at.info
    assert notice.value.startswith("No plan of this authority was in force in 2006/07")
    assert "Start from this area's gaps" in notice.value
    start = at.download_button(key="download_plan_start")
    assert start.label == "Start a plan from this area's gaps (.xlsx)"
    caption = next(c.value for c in at.caption if c.value.startswith("The plan template, pre"))
    assert "for each gap of 2006/07 that is significant or widening" in caption
    assert "Add each action's lead partner, dates and target gap, then import it." in caption
    # The empty template is still offered beside it.
    assert "download_template" in [b.key for b in at.download_button]
    # With a plan in force the page shows the plan, and no draft to start from.
    with_plan = open_plan(la=first_la)
    assert not with_plan.exception and not with_plan.info
    keys = [b.key for b in with_plan.download_button]
    assert "download_plan_start" not in keys and "download_plan_xlsx" in keys
