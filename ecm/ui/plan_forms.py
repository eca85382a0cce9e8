"""The Plan page's Streamlit parts that change the plan: an action's page with its edit form,
progress notes, targets and history; a new action (the plan file: :mod:`ecm.ui.plan_files`).

Every save goes through ``ecm.plan.edits`` (a version check and the audit log) or
``ecm.plan.io`` (all or nothing); caches that show the plan are cleared after each change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ecm.access.accounts import Account
from ecm.access.rights import NotAllowed
from ecm.catalogue import group_label, group_title
from ecm.plan import edits as plan_edits
from ecm.store.models import ACTION_STATUS_WORDS
from ecm.ui import engine, forget_cached_reads, link_column, table_with_download
from ecm.ui.address import with_carried_links
from ecm.ui.editor import SIGNED_OUT, recorded_as
from ecm.ui.signin import signed_in
from ecm.views.markdown import escape_markdown
from ecm.views.plan_action import detail_lines, history_table, target_table

if TYPE_CHECKING:
    from ecm.plan.page import PlanPage

SCOPE_CHOICES = {"whole_area": "Whole area", "locality": "A locality", "schools": "Listed schools"}


def draw_action_panel(
    la_code: str,
    action_id: int,
    page: PlanPage,
    titles: dict[str, str],
    outcomes: dict[str, str],
    editing: bool,
) -> None:
    """One action: particulars, the gaps it targets, the schools in scope, progress notes,
    history, and (for those allowed) the edit, note and target forms."""
    action = plan_edits.load_action(engine(), action_id)
    if action is None:
        st.error(f"There is no action {action_id}.")
        return
    spend = page.spend[page.spend["action_id"] == action_id]
    schools = page.schools[page.schools["action_id"] == action_id]
    targets = page.targets[page.targets["action_id"] == action_id]
    st.subheader(escape_markdown(action["title"]))
    st.caption(escape_markdown(outcomes.get(action["outcome_code"], action["outcome_code"])))
    if action.get("description"):
        st.markdown(escape_markdown(action["description"]))
    st.markdown(detail_lines(action, schools, spend, page.coverage.evidence))
    st.markdown("**Gaps and values it targets**")
    table = target_table(targets, titles, la_code)
    if table.empty:
        st.write("No measurable target.")
    else:
        table_with_download(table, f"targets_{action_id}", f"action-{action_id}-targets.csv",
                            ("Turn the curve",))  # fmt: skip
    if not schools.empty:
        st.markdown("**Schools in scope**")
        shown = pd.DataFrame(
            {
                "School": schools["name"],
                "Phase": schools["phase"],
                "Link": [f"/school?urn={u}" for u in schools["urn"]],
            }
        )
        st.dataframe(
            with_carried_links(shown, ("Link",)),
            hide_index=True,
            column_config={"Link": link_column()},
        )
    notes = plan_edits.load_notes(engine(), action_id)
    st.markdown("**Progress notes**")
    if notes.empty:
        st.write("No progress notes yet.")
    for note in notes.to_dict("records"):
        st.markdown(
            f"*{pd.Timestamp(note['written_at']):%d %b %Y}, {escape_markdown(note['author'])}:* "
            f"{escape_markdown(note['note'])}"
        )
    if editing:
        _edit_forms(action, titles, page.partners, outcomes, targets)
    with st.expander("History of this action", icon=":material/history:"):
        history = history_table(plan_edits.action_history(engine(), action_id))
        if history.empty:
            st.write("No change has been made in the app since the plan was loaded.")
        else:
            st.dataframe(history, hide_index=True, width="stretch")
        if action.get("updated_by"):
            st.caption(
                f"Last saved by {escape_markdown(action['updated_by'])} "
                f"(version {action['version']})."
            )


def _edit_forms(
    action: dict,
    titles: dict[str, str],
    partners: pd.DataFrame,
    outcomes: dict[str, str],
    targets: pd.DataFrame,
) -> None:
    """The forms that change an action, each saved under the signed-in account."""
    action_id = action["id"]
    editor = recorded_as()
    with st.expander("Edit this action", icon=":material/edit:"):
        _action_form(action, partners, outcomes)
    with st.expander("Add a progress note", icon=":material/note_add:"):
        with st.form(f"note_{action_id}", clear_on_submit=True):
            text = st.text_area("Progress note", key=f"note_text_{action_id}", max_chars=4000)
            if st.form_submit_button("Save the note"):
                _apply(
                    lambda: plan_edits.add_note(engine(), action_id, text, editor),
                    "Note saved.",
                    editor,
                )
    with st.expander("Link a gap or value", icon=":material/link:"):
        _target_form(action_id, titles, editor)
    if not targets.empty:
        with st.expander("Remove a target", icon=":material/link_off:"):
            _unlink_form(action_id, targets, titles, editor)


def _apply(change, done: str, editor: Account | None) -> None:  # noqa: ANN001
    """Run a change to the plan for ``editor`` (the service checks that they may make it); on
    success clear the caches and say so, else show why nothing changed."""
    if editor is None:
        st.error(SIGNED_OUT)
        return
    try:
        change()
    except (plan_edits.EditError, NotAllowed) as error:
        st.error(escape_markdown(str(error)))
        return
    forget_cached_reads()
    st.session_state["plan_message"] = done
    st.rerun()


def _form_version(action: dict) -> int:
    """The version the edit form shows and a save will name.

    The stored version, except while a refused save waits for its editor: then the form keeps
    the version they started from, and their typing (its widgets are keyed by that version).
    A form drawn afresh always shows the stored action, so what is submitted is what was seen.
    """
    key = f"opened_version_{action['id']}"
    if key not in st.session_state or not st.session_state.get(f"conflict_{action['id']}"):
        st.session_state[key] = action["version"]
    return st.session_state[key]


def _widget(action_id: int, version: int, field: str) -> str:
    return f"edit_{action_id}_v{version}_{field}"


def _save_from_form(action_id: int, version: int) -> None:
    """ "Save changes": runs before the page is drawn again, with the submitted values and the
    version the form showed, so a save from an out-of-date form is refused, never applied."""
    state = st.session_state
    editor = signed_in()  # read afresh from the session: a callback runs before the page
    if editor is None:
        state[f"edit_error_{action_id}"] = SIGNED_OUT
        return
    value = {f: state[_widget(action_id, version, f)] for f in FORM_FIELDS}
    fields = {
        **value,
        "contributing_partners": ";".join(value["contributing_partners"]) or None,
    }
    try:
        saved = plan_edits.save_action(engine(), action_id, fields, version, editor)
    except plan_edits.EditConflict as conflict:
        state[f"conflict_{action_id}"] = str(conflict)
        return
    except (plan_edits.EditError, NotAllowed) as error:
        state[f"edit_error_{action_id}"] = str(error)
        return
    forget_cached_reads()
    state["plan_message"] = (
        "Action saved." if saved != version else "Nothing changed, so nothing was saved."
    )


FORM_FIELDS = ("title", "description", "outcome_code", "lead_partner", "contributing_partners",
               "status", "start_date", "due_date", "scope", "scope_detail")  # fmt: skip


def _action_form(action: dict, partners: pd.DataFrame, outcomes: dict[str, str]) -> None:
    """Edit the action's fields; a save names the version the form showed."""
    action_id = action["id"]
    version = _form_version(action)
    names = list(dict.fromkeys([*partners["name"], action["lead_partner"]]))
    contributing = [p for p in (action.get("contributing_partners") or "").split(";") if p]
    if error := st.session_state.pop(f"edit_error_{action_id}", None):
        st.error(error)
    if conflict := st.session_state.get(f"conflict_{action_id}"):
        st.error(conflict)
        if st.button("Load their version", key=f"reload_{action_id}"):
            del st.session_state[f"conflict_{action_id}"]
            st.rerun()

    def key(field: str) -> str:
        return _widget(action_id, version, field)

    def choice(label: str, options: dict[str, str], field: str) -> None:
        """A drop-down of ``options`` (stored value -> words) opened on the action's value."""
        values = list(options)
        st.selectbox(label, values, index=values.index(action[field]),
                     format_func=options.get, key=key(field))  # fmt: skip

    with st.form(f"edit_{action_id}"):
        st.text_input("Title", action["title"], key=key("title"), max_chars=300)
        st.text_area("Description", action.get("description") or "", key=key("description"))
        choice("Outcome", outcomes, "outcome_code")
        choice("Lead partner", {n: n for n in names}, "lead_partner")
        st.multiselect(
            "Contributing partners",
            list(dict.fromkeys([*partners["name"], *contributing])),
            default=contributing,
            key=key("contributing_partners"),
        )
        choice("Status", ACTION_STATUS_WORDS, "status")
        st.date_input("Start", action.get("start_date"), format="DD/MM/YYYY", key=key("start_date"))
        st.date_input("Due", action.get("due_date"), format="DD/MM/YYYY", key=key("due_date"))
        choice("Scope", SCOPE_CHOICES, "scope")
        st.text_input(
            "Scope detail (e.g. the locality)",
            action.get("scope_detail") or "",
            key=key("scope_detail"),
            max_chars=200,
        )
        st.form_submit_button(
            "Save changes", type="primary", on_click=_save_from_form, args=(action_id, version)
        )


def _target_form(action_id: int, titles: dict[str, str], editor: Account | None) -> None:
    """Link the action to a gap (indicator and focus group) or to a value (all pupils)."""
    with st.form(f"target_{action_id}", clear_on_submit=True):
        indicator = st.selectbox(
            "Indicator", sorted(titles, key=titles.get), format_func=lambda c: titles[c]
        )
        group = st.selectbox(
            "Pupil group (all pupils: a target on the value itself)",
            ["disadvantaged", "fsm", "sen", "boys", "looked_after", "all"],
            format_func=group_title,
        )
        left, right = st.columns(2)
        baseline_period = left.text_input("Baseline year", placeholder="2007/08")
        baseline = left.number_input("Baseline (gap or value)", value=None, format="%.1f")
        target_period = right.text_input("Target year", placeholder="2010/11")
        target = right.number_input("Target (gap or value)", value=None, format="%.1f")
        saved = st.form_submit_button("Link")
    if not saved:
        return
    gap = group != "all"
    fields = {
        "indicator_code": indicator,
        "group_code": group,
        "baseline_period": baseline_period.strip() or None,
        "target_period": target_period.strip() or None,
        "baseline_gap": baseline if gap else None,
        "target_gap": target if gap else None,
        "baseline_value": None if gap else baseline,
        "target_value": None if gap else target,
    }
    _apply(
        lambda: plan_edits.link_target(engine(), action_id, fields, editor),
        "Target linked.",
        editor,
    )


def _unlink_form(
    action_id: int, targets: pd.DataFrame, titles: dict[str, str], editor: Account | None
) -> None:
    """Remove one of the action's targets (the history keeps it as it was)."""
    words = {
        int(t["target_id"]): f"{titles.get(t['indicator_code'], t['indicator_code'])} "
        f"({group_label(t['group_code'])})"
        for t in targets.to_dict("records")
    }
    with st.form(f"unlink_{action_id}"):
        target_id = st.selectbox("Target", list(words), format_func=words.get)
        removed = st.form_submit_button("Remove the target")
    if removed:
        _apply(
            lambda: plan_edits.unlink_target(engine(), action_id, target_id, editor),
            "Target removed.",
            editor,
        )


def draw_new_action(plan: dict, outcomes: dict[str, str], partners: pd.DataFrame) -> None:
    """A form that adds an action to the plan (its values stay if it is refused)."""
    with st.expander("Add an action", icon=":material/add:"):
        editor = recorded_as()
        with st.form("new_action"):
            title = st.text_input("Title", max_chars=300)
            outcome = st.selectbox("Outcome", list(outcomes), format_func=outcomes.get)
            lead = st.selectbox("Lead partner", list(partners["name"]))
            status = st.selectbox(
                "Status", list(ACTION_STATUS_WORDS), format_func=ACTION_STATUS_WORDS.get
            )
            start = st.date_input("Start", plan["start_date"], format="DD/MM/YYYY")
            due = st.date_input("Due", plan["end_date"], format="DD/MM/YYYY")
            saved = st.form_submit_button("Add the action")
        if saved:
            fields = {
                "title": title,
                "outcome_code": outcome,
                "lead_partner": lead,
                "status": status,
                "start_date": start,
                "due_date": due,
            }
            _apply(
                lambda: plan_edits.create_action(engine(), plan["id"], fields, editor),
                "Action added.",
                editor,
            )
