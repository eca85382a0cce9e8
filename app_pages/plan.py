"""Children and Young People's Plan (one LA): for the Children's Trust Board. Which significant
gaps have no action, which actions are not turning their curve, who spends what; and, for
those allowed, the plan updated in the app with a full history."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.config import plan_editing_allowed
from ecm.ui.plan_files import draw_plan_files, draw_plan_start
from ecm.ui.plan_sections import PlanScreen, plan_panels
from ecm.views.markdown import escape_markdown, shown_value
from ecm.views.plan import no_plan_words, plan_caption

presenting = ui.presentation_mode()
la = ui.la_param("Children and Young People's Plan")

page = ui.load_plan_page(la, ui.query_param("period"))
if page is None:
    st.title("Children and Young People's Plan")
    ui.not_found(f"No local authority with code {shown_value(la)} is in the store.")
area, code = page.area, page.area["code"]
# Its own Board's members, analysts and administrators change a plan, where the deployment
# allows changes at all (ECM_PLAN_EDITING).
editing = plan_editing_allowed() and ui.may_edit_plan(code) and not presenting
# When presenting, the one-line header of the place pages, holding the year.
bar = ui.page_heading(f"{area['name']}: Children and Young People's Plan")
# The year of the gaps, and so the plan in force then (a link from an older year keeps it).
profile = ui.load_profile("la", code, page.coverage.period)
periods = (profile or {}).get("available_periods") or [page.coverage.period]
with bar.pickers if bar else st.container():
    period = ui.select_param(
        "Year (gaps, and the plan in force then)",
        {p: p for p in reversed(periods)},
        "period",
        page.coverage.period,
        label_visibility="collapsed" if bar else "visible",
    )
if period != page.coverage.period:  # a year with no figures: the picker's, read again
    page = ui.load_plan_page(la, period)
ui.note_provenance(
    place=area["name"],
    period=page.coverage.period,
    sources=tuple((profile or {}).get("sources", ())),
    fictional=bool((profile or {}).get("geography", {}).get("fictional")),
)
if message := st.session_state.pop("plan_message", None):
    st.success(message)
if page.plan is None:
    st.info(no_plan_words(page.latest_plan, page.coverage.period))
    draw_plan_start(code, page.coverage.period)
    draw_plan_files(code, page.latest_plan, editing)
    st.stop()
st.caption(plan_caption(page.plan, page.coverage.period))
ui.remit_note("la", code, area["name"])  # restricted gaps and target numbers held back
ui.page_link("area", f"{escape_markdown(area['name'])}: area overview", la=code)
if region := area.get("region"):
    ui.page_link("region", f"{escape_markdown(region['name'])}: the region's authorities "
                 "side by side", code=region["code"])  # fmt: skip

screen = PlanScreen(page, ui.load_indicators(), presenting, editing)
ui.panels(plan_panels(screen), presenting, bar)
