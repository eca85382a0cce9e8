"""The Plan page's Streamlit parts that change the plan: an action's page with its edit form,
progress notes, targets and history; a new action; the plan file in and out.

Every save goes through ``ecm.plan_edits`` (a version check and the audit log) or
``ecm.plan_io`` (all or nothing); caches that show the plan are cleared after each change.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecm import plan_edits
from ecm.errors import DataError
from ecm.plan_views import STATUS_WORDS, detail_lines, history_table, target_table
from ecm.profile_tables import GROUP_TITLES
from ecm.ui import engine, link_column, plan_changed, table_with_download

SCOPE_CHOICES = {"whole_area": "Whole area", "locality": "A locality", "schools": "Listed schools"}


EDITOR_NAME = "editor_name"


def _keep_editor_name(widget_key: str) -> None:
    st.session_state[EDITOR_NAME] = st.session_state[widget_key].strip()


def _editor_name(where: str) -> str | None:
    """The name edits are recorded under: asked once, then offered by every form.

    It is kept under a key of its own, not the widget's, because Streamlit forgets a widget's
    value after any run that does not draw it (an expander's forms, another action's page).
    """
    widget_key = f"{EDITOR_NAME}_{where}"
    # Each box's callback has already kept a change made in it before this run began.
    st.session_state[widget_key] = st.session_state.get(EDITOR_NAME, "")
    st.text_input(
        "Your name, for the plan's history",
        key=widget_key,
        max_chars=100,
        on_change=_keep_editor_name,
        args=(widget_key,),
        help="Every change is recorded with this name, the time, and the record before and after.",
    )
    name = st.session_state[widget_key].strip() or None
    if name:
        st.caption(f"Changes are recorded as {name}.")
    return name


def draw_action_panel(
    la_code: str,
    action_id: int,
    data: dict,
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
    spend = data["spend"][data["spend"]["action_id"] == action_id]
    schools = data["schools"][data["schools"]["action_id"] == action_id]
    targets = data["targets"][data["targets"]["action_id"] == action_id]
    st.subheader(action["title"])
    st.caption(outcomes.get(action["outcome_code"], action["outcome_code"]))
    if action.get("description"):
        st.write(action["description"])
    st.markdown(detail_lines(action, schools, spend, data["coverage"].evidence))
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
        st.dataframe(shown, hide_index=True, column_config={"Link": link_column()})
    notes = plan_edits.load_notes(engine(), action_id)
    st.markdown("**Progress notes**")
    if notes.empty:
        st.write("No progress notes yet.")
    for note in notes.to_dict("records"):
        st.markdown(
            f"*{pd.Timestamp(note['written_at']):%d %b %Y}, {note['author']}:* {note['note']}"
        )
    if editing:
        _edit_forms(action, titles, data["partners"])
    with st.expander("History of this action", icon=":material/history:"):
        history = history_table(plan_edits.action_history(engine(), action_id))
        if history.empty:
            st.write("No change has been made in the app since the plan was loaded.")
        else:
            st.dataframe(history, hide_index=True, width="stretch")
        if action.get("updated_by"):
            st.caption(f"Last saved by {action['updated_by']} (version {action['version']}).")


def _edit_forms(action: dict, titles: dict[str, str], partners: pd.DataFrame) -> None:
    """The forms that change an action, each saved with the editor's name."""
    action_id = action["id"]
    name = _editor_name("action")
    with st.expander("Edit this action", icon=":material/edit:"):
        _action_form(action, partners)
    with st.expander("Add a progress note", icon=":material/note_add:"):
        with st.form(f"note_{action_id}", clear_on_submit=True):
            text = st.text_area("Progress note", key=f"note_text_{action_id}", max_chars=4000)
            if st.form_submit_button("Save the note") and _named(name):
                _apply(lambda: plan_edits.add_note(engine(), action_id, text, name), "Note saved.")
    with st.expander("Link a gap or value", icon=":material/link:"):
        _target_form(action_id, titles, name)


def _named(name: str | None) -> bool:
    if not name:
        st.error("Write your name above first: every change is recorded with it.")
    return bool(name)


def _apply(change, done: str) -> None:  # noqa: ANN001
    """Run a change; on success clear the caches and say so, else show why nothing changed."""
    try:
        change()
    except plan_edits.EditError as error:
        st.error(str(error))
        return
    plan_changed()
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
    name = (state.get(f"{EDITOR_NAME}_action") or "").strip()
    if not name:
        state[f"edit_error_{action_id}"] = (
            "Write your name above first: every change is recorded with it."
        )
        return
    value = {f: state[_widget(action_id, version, f)] for f in FORM_FIELDS}
    fields = {
        **value,
        "contributing_partners": ";".join(value["contributing_partners"]) or None,
    }
    try:
        saved = plan_edits.save_action(engine(), action_id, fields, version, name)
    except plan_edits.EditConflict as conflict:
        state[f"conflict_{action_id}"] = str(conflict)
        return
    except plan_edits.EditError as error:
        state[f"edit_error_{action_id}"] = str(error)
        return
    plan_changed()
    state["plan_message"] = (
        "Action saved." if saved != version else "Nothing changed, so nothing was saved."
    )


FORM_FIELDS = ("title", "description", "lead_partner", "contributing_partners", "status",
               "start_date", "due_date", "scope", "scope_detail")  # fmt: skip


def _action_form(action: dict, partners: pd.DataFrame) -> None:
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

    with st.form(f"edit_{action_id}"):
        st.text_input("Title", action["title"], key=key("title"), max_chars=300)
        st.text_area("Description", action.get("description") or "", key=key("description"))
        st.selectbox(
            "Lead partner",
            names,
            index=names.index(action["lead_partner"]),
            key=key("lead_partner"),
        )
        st.multiselect(
            "Contributing partners",
            list(dict.fromkeys([*partners["name"], *contributing])),
            default=contributing,
            key=key("contributing_partners"),
        )
        st.selectbox(
            "Status",
            list(STATUS_WORDS),
            index=list(STATUS_WORDS).index(action["status"]),
            format_func=STATUS_WORDS.get,
            key=key("status"),
        )
        st.date_input("Start", action.get("start_date"), format="DD/MM/YYYY", key=key("start_date"))
        st.date_input("Due", action.get("due_date"), format="DD/MM/YYYY", key=key("due_date"))
        st.selectbox(
            "Scope",
            list(SCOPE_CHOICES),
            index=list(SCOPE_CHOICES).index(action["scope"]),
            format_func=SCOPE_CHOICES.get,
            key=key("scope"),
        )
        st.text_input(
            "Scope detail (e.g. the locality)",
            action.get("scope_detail") or "",
            key=key("scope_detail"),
            max_chars=200,
        )
        st.form_submit_button(
            "Save changes", type="primary", on_click=_save_from_form, args=(action_id, version)
        )


def _target_form(action_id: int, titles: dict[str, str], name: str | None) -> None:
    """Link the action to a gap (indicator and focus group) or to a value (all pupils)."""
    with st.form(f"target_{action_id}", clear_on_submit=True):
        indicator = st.selectbox(
            "Indicator", sorted(titles, key=titles.get), format_func=lambda c: titles[c]
        )
        group = st.selectbox(
            "Pupil group (all pupils: a target on the value itself)",
            ["disadvantaged", "fsm", "sen", "boys", "looked_after", "all"],
            format_func=lambda g: GROUP_TITLES.get(g, g),
        )
        left, right = st.columns(2)
        baseline_period = left.text_input("Baseline year", placeholder="2007/08")
        baseline = left.number_input("Baseline (gap or value)", value=None, format="%.1f")
        target_period = right.text_input("Target year", placeholder="2010/11")
        target = right.number_input("Target (gap or value)", value=None, format="%.1f")
        saved = st.form_submit_button("Link")
    if not saved or not _named(name):
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
    _apply(lambda: plan_edits.link_target(engine(), action_id, fields, name), "Target linked.")


def draw_new_action(plan: dict, outcomes: dict[str, str], partners: pd.DataFrame) -> None:
    """A form that adds an action to the plan (its values stay if it is refused)."""
    with st.expander("Add an action", icon=":material/add:"):
        name = _editor_name("new") or ""
        with st.form("new_action"):
            title = st.text_input("Title", max_chars=300)
            outcome = st.selectbox("Outcome", list(outcomes), format_func=outcomes.get)
            lead = st.selectbox("Lead partner", list(partners["name"]))
            status = st.selectbox("Status", list(STATUS_WORDS), format_func=STATUS_WORDS.get)
            start = st.date_input("Start", plan["start_date"], format="DD/MM/YYYY")
            due = st.date_input("Due", plan["end_date"], format="DD/MM/YYYY")
            saved = st.form_submit_button("Add the action")
        if saved and _named(name.strip()):
            fields = {
                "title": title,
                "outcome_code": outcome,
                "lead_partner": lead,
                "status": status,
                "start_date": start,
                "due_date": due,
            }
            _apply(
                lambda: plan_edits.create_action(engine(), plan["id"], fields, name.strip()),
                "Action added.",
            )


def draw_plan_files(la_code: str, plan: dict | None, editing: bool) -> None:
    """Download the plan (workbook or CSV) and the template; import a plan when allowed."""
    from ecm import plan_io

    left, middle, right = st.columns(3)
    left.download_button(
        "Template with instructions (.xlsx)",
        plan_io.plan_template(),
        file_name="cypp-template.xlsx",
        key="download_template",
    )
    if plan is not None:
        middle.download_button(
            "This plan (.xlsx)",
            plan_io.export_plan(engine(), la_code, "xlsx"),
            file_name=f"{la_code}-plan.xlsx",
            key="download_plan_xlsx",
        )
        right.download_button(
            "This plan (.csv)",
            plan_io.export_plan(engine(), la_code, "csv"),
            file_name=f"{la_code}-plan.csv",
            mime="text/csv",
            key="download_plan_csv",
        )
    if not editing:
        st.caption("Importing a plan is switched off here (ECM_PLAN_EDITING).")
        return
    upload = st.file_uploader(
        "Import a plan (all or nothing, over this authority's plan for the same period: "
        "actions with a ref the plan has are updated and keep their notes and history, new "
        "refs are added, actions left out are removed; the plan as it was is kept in the "
        "audit log)",
        type=["xlsx", "csv"],
        key="plan_upload",
    )
    name = _editor_name("import") or ""
    if upload is not None and st.button("Import the plan", key="import_plan") and _named(name):
        try:
            summary = plan_io.import_plan(
                engine(), upload.getvalue(), la_code, name.strip(), file_name=upload.name
            )
        except DataError as error:
            st.error(f"{upload.name} was not imported; nothing changed.")
            st.markdown("\n".join(f"- {problem}" for problem in error.problems))
            return
        plan_changed()
        st.session_state["plan_message"] = (
            summary.describe()[0].upper() + summary.describe()[1:] + "."
        )
        st.rerun()
