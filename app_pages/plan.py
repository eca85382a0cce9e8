"""Children and Young People's Plan (one LA): for the Children's Trust Board. Which significant
gaps have no action, which actions are not turning their curve, who spends what; and, for
those allowed, the plan updated in the app with a full history."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.charts import plan_charts
from ecm.config import plan_editing_allowed
from ecm.store.models import action_status_words
from ecm.ui.plan_files import draw_plan_files
from ecm.ui.plan_forms import draw_action_panel, draw_new_action
from ecm.views.plan import (
    action_filters,
    action_table,
    coverage_rows,
    covered_table,
    curve_choices,
    curve_frames,
    curve_summary,
    curve_table,
    filter_actions,
    glance_summary,
    off_track_table,
    spend_frame,
    uncovered_table,
)

presenting = ui.presentation_mode()
la = ui.la_param("Children and Young People's Plan")

data = ui.load_plan_page(la, ui.query_param("period"))
if data is None:
    st.title("Children and Young People's Plan")
    st.error(f"No local authority with code {la} is in the store.")
    st.stop()
area, plan, coverage = data["area"], data["plan"], data["coverage"]
code = area["code"]
editing = plan_editing_allowed() and not presenting
st.title(f"{area['name']}: Children and Young People's Plan")
ui.fictional_banner(licence_line=True)
if message := st.session_state.pop("plan_message", None):
    st.success(message)
if plan is None:
    latest = data["latest_plan"]
    st.info(
        (
            f"No plan of this authority was in force in {coverage.period}; its latest is "
            f"{latest['title']} ({latest['start_date']:%b %Y} to {latest['end_date']:%b %Y})."
            if latest
            else "The store holds no plan for this authority."
        )
        + " Download the template, fill it in and import it below (or with "
        "`python -m ecm plan import FILE --la CODE`)."
    )
    draw_plan_files(code, latest, editing)
    st.stop()
st.caption(
    f"{plan['title']} · {plan['status']} · {plan['start_date']:%d %b %Y} to "
    f"{plan['end_date']:%d %b %Y} · gaps as of {coverage.period}"
)
ui.page_link("area", f"{area['name']}: area overview", la=code)
if region := area.get("region"):
    ui.page_link("region", f"{region['name']}: the region's authorities side by side",
                 code=region["code"])  # fmt: skip

outcomes = dict(
    zip(coverage.by_outcome["outcome_code"], coverage.by_outcome["outcome"], strict=False)
)
catalogue = ui.load_indicators()
titles = dict(zip(catalogue["code"], catalogue["title"], strict=True))
units = dict(zip(catalogue["code"], catalogue["unit"], strict=True))
actions, targets, spend = data["actions"], data["targets"], data["spend"]
stem = f"{code}-plan"


def draw_glance() -> None:
    st.markdown(glance_summary(coverage))
    rows = coverage_rows(coverage)
    ui.chart(
        plan_charts.coverage_chart(rows, presentation=presenting),
        plan_charts.describe_coverage_chart(rows),
        rows,
        "plan_coverage",
        f"{stem}-coverage.csv",
    )


def draw_uncovered() -> None:
    table = uncovered_table(coverage, code, units)
    if table.empty:
        st.write("Every significant or widening gap has at least one action.")
        return
    st.markdown(
        f"**{len(table)}** gaps are significant (the focus group worse off) or widening, and "
        "**no action in the plan targets them**. Widest first."
    )
    ui.table_with_download(table, "uncovered", f"{stem}-uncovered-gaps.csv", ("Turn the curve",))


def draw_off_track() -> None:
    table = off_track_table(coverage, code, titles)
    if table.empty:
        st.write("No action's target is widening or significantly behind its path.")
        return
    on_track = [action_status_words(s) for s in ("on_track", "complete")]
    reported = int(table["Reported status"].isin(on_track).sum())
    st.markdown(
        f"**{table['Action'].nunique()}** actions are off track by the figures: their target is "
        "widening or getting worse, or significantly behind the straight path from baseline to "
        f"target. **{reported}** of them are reported on track or complete."
    )
    ui.table_with_download(
        table, "off_track", f"{stem}-off-track.csv", ("Action page", "Turn the curve")
    )


def draw_covered() -> None:
    table = covered_table(coverage, code, units)
    if table.empty:
        st.write("No significant or widening gap has an action yet.")
        return
    st.caption(
        "Spend is each action's total over all partners and years; an action on two gaps "
        "counts for both."
    )
    ui.table_with_download(table, "covered", f"{stem}-covered-gaps.csv", ("Turn the curve",))


def draw_actions() -> None:
    table = action_table(actions, spend, coverage, outcomes, code)
    if table.empty:
        st.write("The plan has no actions yet.")
    else:
        columns = st.columns(4)
        chosen = {
            name: column.multiselect(name, options, key=f"filter_{name}")
            for column, (name, options) in zip(columns, action_filters(table).items(), strict=True)
        }
        shown = filter_actions(table, chosen)
        st.caption(f"{len(shown)} of {len(table)} actions.")
        ui.table_with_download(shown, "actions", f"{stem}-actions.csv", ("Action page",))
    if editing:
        draw_new_action(plan, outcomes, data["partners"])


def draw_spend() -> None:
    cells = spend_frame(actions, spend, outcomes)
    if cells.empty:
        st.write("The plan records no spend.")
    else:
        years = sorted(spend["financial_year"].unique())
        st.caption(
            f"Spend of every partner on the plan's actions, by the action's outcome, all "
            f"financial years ({years[0]} to {years[-1]})."
        )
        ui.chart(
            plan_charts.spend_matrix_chart(cells, presentation=presenting),
            plan_charts.describe_spend_matrix(cells),
            cells,
            "plan_spend",
            f"{stem}-spend.csv",
        )
    missing = coverage.partners_without_actions
    if not missing.empty:
        st.markdown("**Partners with no part in any action:** " + ", ".join(missing["name"]) + ".")


def draw_curve() -> None:
    choices = curve_choices(coverage, targets, titles, ui.query_param("gap"))
    if not choices:
        st.write("No gap or target to draw.")
        return
    key = ui.select_param("Gap or value", choices, "gap")
    indicator, group = key.split(":", 1)
    ui.definition(indicator)
    curve = ui.load_turn_the_curve(code, indicator, group, coverage.period)
    if curve.history.empty:
        st.write("The store holds no figures for this gap in this authority.")
        return
    measure = "gap" if group != "all" else "value"
    unit = catalogue.set_index("code")["unit"].get(indicator, "")
    y_title = f"{'Gap' if measure == 'gap' else 'Value'} ({'points' if unit == '%' else unit})"
    st.markdown(curve_summary(curve, measure))
    history, forecast, path = curve_frames(curve)
    ui.chart(
        plan_charts.turn_the_curve_chart(
            history, forecast, path, curve.target, y_title, presentation=presenting
        ),
        plan_charts.describe_turn_the_curve(history, forecast, curve.target, y_title),
        curve_table(curve),
        "turn_the_curve",
        f"{stem}-{indicator}-{group}-curve.csv",
    )
    if curve.actions.empty:
        st.markdown("**No action in the plan targets it.**")
    else:
        st.markdown("**Actions on it**")
        shown = action_table(
            actions[actions["action_id"].isin(curve.actions["action_id"])],
            spend,
            coverage,
            outcomes,
            code,
        )
        ui.table_with_download(shown, "curve_actions", f"{stem}-{indicator}-actions.csv",
                               ("Action page",))  # fmt: skip


def draw_chosen_action() -> None:
    draw_action_panel(code, int(action_id), data, titles, outcomes, editing)


def draw_files() -> None:
    draw_plan_files(code, plan, editing)


action_id = ui.query_param("action")
panels = [
    ("At a glance", draw_glance),
    ("Gaps with no action", draw_uncovered),
    ("Actions off track by the figures", draw_off_track),
    ("Gaps and the actions on them", draw_covered),
    ("Turn the curve", draw_curve),
    ("Actions", draw_actions),
    ("Who spends what", draw_spend),
]
if action_id and action_id.isdigit() and int(action_id) in set(actions["action_id"]):
    # An action chosen by a link comes first.
    panels.insert(0, ("Action", draw_chosen_action))
elif ui.query_param("gap"):
    panels.insert(0, panels.pop(4))
if not presenting:
    panels.append(("Plan file", draw_files))
ui.panels(panels, presenting)
