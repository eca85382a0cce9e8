"""The Plan page's plan file section: the template, the plan on screen as a workbook or CSV,
and (for those allowed) a plan imported all or nothing; for an LA with no plan in force, the
template pre-filled with its gaps."""

from __future__ import annotations

import streamlit as st

from ecm.access.rights import NotAllowed
from ecm.errors import DataError
from ecm.ui import engine, forget_cached_reads
from ecm.ui.editor import SIGNED_OUT, recorded_as
from ecm.ui.signin import for_this_viewer
from ecm.views.markdown import escape_markdown
from ecm.views.plan import PLAN_START_LABEL, plan_start_file_name, plan_start_words


def draw_plan_start(la_code: str, period: str) -> None:
    """For an LA with no plan in force: one click to the template pre-filled with its gaps of
    ``period`` as draft actions, and a sentence on what it holds."""
    from ecm.plan import io as plan_io

    store = engine()
    st.download_button(
        PLAN_START_LABEL,
        for_this_viewer(lambda: plan_io.plan_template_for(store, la_code, period)),  # when pressed
        file_name=plan_start_file_name(la_code, period),
        key="download_plan_start",
        type="primary",
        on_click="ignore",  # see draw_plan_files: a rerun on click can drop the file
    )
    st.caption(plan_start_words(period))


def draw_plan_files(la_code: str, plan: dict | None, editing: bool) -> None:
    """Download the plan (workbook or CSV) and the template; import a plan when allowed."""
    from ecm.plan import io as plan_io

    # Every download here is deferred and does not rerun the page (on_click="ignore"): a rerun
    # started by the click can drop the deferred file before the browser has fetched it, and
    # the download then never starts.
    left, middle, right = st.columns(3)
    left.download_button(
        "Template with instructions (.xlsx)",
        plan_io.plan_template,  # written when pressed (deferred)
        file_name="cypp-template.xlsx",
        key="download_template",
        on_click="ignore",
    )
    if plan is not None:
        # The plan on screen (the one in force in the year shown), written when the button
        # is pressed (deferred), not on every run of the page.
        store, period = engine(), plan["period_label"]
        stem = f"{la_code}-plan-{period}"
        middle.download_button(
            "This plan (.xlsx)",
            for_this_viewer(lambda: plan_io.export_plan(store, la_code, "xlsx", period)),
            file_name=f"{stem}.xlsx",
            key="download_plan_xlsx",
            on_click="ignore",
        )
        right.download_button(
            "This plan (.csv)",
            for_this_viewer(lambda: plan_io.export_plan(store, la_code, "csv", period)),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="download_plan_csv",
            on_click="ignore",
        )
    if not editing:
        st.caption(
            "Importing a plan is for the authority's Board, analysts and administrators, where "
            "the deployment allows plan changes (ECM_PLAN_EDITING)."
        )
        return
    upload = st.file_uploader(
        "Import a plan (all or nothing, over this authority's plan for the same period: "
        "actions with a ref the plan has are updated and keep their notes and history, new "
        "refs are added, actions left out are removed; the plan as it was is kept in the "
        "audit log)",
        type=["xlsx", "csv"],
        key="plan_upload",
    )
    editor = recorded_as()
    if upload is not None and st.button("Import the plan", key="import_plan"):
        if editor is None:
            st.error(SIGNED_OUT)
            return
        try:  # the import checks again that the account may change this plan
            summary = plan_io.import_plan(
                engine(), upload.getvalue(), la_code, editor, file_name=upload.name
            )
        except NotAllowed as refused:
            st.error(escape_markdown(str(refused)))
            return
        except DataError as error:
            st.error(f"{escape_markdown(upload.name)} was not imported; nothing changed.")
            st.markdown("\n".join(f"- {escape_markdown(p)}" for p in error.problems))
            return
        forget_cached_reads()
        st.session_state["plan_message"] = (
            summary.describe()[0].upper() + summary.describe()[1:] + "."
        )
        st.rerun()
