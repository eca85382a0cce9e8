"""The Plan page's panels as Streamlit lays them out: the glance, the gap tables, the actions,
spend and turn the curve. The words and tables come from :mod:`ecm.views.plan`; the forms that
change the plan from :mod:`ecm.ui.plan_forms` and :mod:`ecm.ui.plan_files`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from ecm.charts import plan_charts
from ecm.ui.address import query_param, select_param
from ecm.ui.banners import definition
from ecm.ui.loaders import load_turn_the_curve
from ecm.ui.plan_files import draw_plan_files
from ecm.ui.plan_forms import draw_action_panel, draw_new_action
from ecm.ui.presentation import chart, table_with_download
from ecm.ui.store import load_pupil_groups
from ecm.views.markdown import escape_markdown, shown_value
from ecm.views.plan import (
    ACTION_PANEL,
    FILES_PANEL,
    action_filters,
    action_table,
    chosen_action,
    coverage_rows,
    covered_table,
    filter_actions,
    glance_summary,
    idle_partners_words,
    off_track_table,
    off_track_words,
    outcome_titles,
    panel_order,
    spend_frame,
    spend_words,
    uncovered_table,
    uncovered_words,
)
from ecm.views.turn_the_curve import (
    curve_choices,
    curve_frames,
    curve_measure,
    curve_summary,
    curve_table,
    known_gap,
    unknown_gap_words,
)

if TYPE_CHECKING:
    import pandas as pd

    from ecm.plan.page import PlanPage


@dataclass(frozen=True)
class PlanScreen:
    """The Plan page as drawn now: the LA's plan and gaps, the catalogue's words, and how the
    page is shown (on the meeting-room screen; with the forms that change the plan)."""

    page: PlanPage
    catalogue: pd.DataFrame  # code, title, unit, ...
    presenting: bool
    editing: bool

    @property
    def code(self) -> str:
        return self.page.area["code"]

    @property
    def stem(self) -> str:
        """The start of every download's file name."""
        return f"{self.code}-plan"

    @property
    def titles(self) -> dict[str, str]:
        return dict(zip(self.catalogue["code"], self.catalogue["title"], strict=True))

    @property
    def units(self) -> dict[str, str]:
        return dict(zip(self.catalogue["code"], self.catalogue["unit"], strict=True))

    @property
    def outcomes(self) -> dict[str, str]:
        return outcome_titles(self.page.coverage)


def plan_panels(screen: PlanScreen) -> list[tuple[str, Callable[[], None]]]:
    """The panels to draw, in order (:func:`ecm.views.plan.panel_order`), each with what draws
    it: a link to an action or a gap opens on it."""
    asked = query_param("action")
    action = chosen_action(asked, screen.page.actions)
    if asked and action is None:  # named, never silently dropped; the Actions panel lists them
        st.warning(
            f"The plan in force in {escape_markdown(screen.page.coverage.period)} has no action "
            f"number {shown_value(asked)}; its actions are listed under Actions.",
            icon=":material/link_off:",
        )
    # A gap the store does not know is named, with what Turn the curve shows instead.
    asked_gap = query_param("gap")
    gap = known_gap(asked_gap, screen.titles, {*load_pupil_groups()["code"]})
    page = screen.page
    choices = curve_choices(page.coverage, page.targets, screen.titles, gap)
    if asked_gap and gap is None:
        st.warning(unknown_gap_words(asked_gap, choices), icon=":material/link_off:")
    draw: dict[str, Callable[[], None]] = {
        "At a glance": lambda: draw_glance(screen),
        "Gaps with no action": lambda: draw_uncovered(screen),
        "Actions off track by the figures": lambda: draw_off_track(screen),
        "Gaps and the actions on them": lambda: draw_covered(screen),
        "Turn the curve": lambda: draw_curve(screen, choices),
        "Actions": lambda: draw_actions(screen),
        "Who spends what": lambda: draw_spend(screen),
        ACTION_PANEL: lambda: draw_action_panel(
            screen.code, action, screen.page, screen.titles, screen.outcomes, screen.editing
        ),
        FILES_PANEL: lambda: draw_plan_files(screen.code, screen.page.plan, screen.editing),
    }
    return [(name, draw[name]) for name in panel_order(action, gap, screen.presenting)]


def draw_glance(screen: PlanScreen) -> None:
    """The three numbers a Board asks first, and the coverage chart by outcome."""
    coverage = screen.page.coverage
    st.markdown(glance_summary(coverage))
    rows = coverage_rows(coverage)
    chart(
        plan_charts.coverage_chart(rows, presentation=screen.presenting),
        plan_charts.describe_coverage_chart(rows),
        rows,
        "plan_coverage",
        f"{screen.stem}-coverage.csv",
    )


def draw_uncovered(screen: PlanScreen) -> None:
    """Significant or widening gaps no action targets."""
    table = uncovered_table(screen.page.coverage, screen.code, screen.units)
    if table.empty:
        st.write("Every significant or widening gap has at least one action.")
        return
    st.markdown(uncovered_words(table))
    table_with_download(
        table, "uncovered", f"{screen.stem}-uncovered-gaps.csv", ("Turn the curve",)
    )


def draw_off_track(screen: PlanScreen) -> None:
    """Actions the figures say are off track, whatever their reported status."""
    table = off_track_table(screen.page.coverage, screen.code, screen.titles)
    if table.empty:
        st.write("No action's target is widening or significantly behind its path.")
        return
    st.markdown(off_track_words(table))
    table_with_download(
        table, "off_track", f"{screen.stem}-off-track.csv", ("Action page", "Turn the curve")
    )


def draw_covered(screen: PlanScreen) -> None:
    """Significant or widening gaps with the actions on them."""
    table = covered_table(screen.page.coverage, screen.code, screen.units)
    if table.empty:
        st.write("No significant or widening gap has an action yet.")
        return
    st.caption(
        "Spend is each action's total over all partners and years; an action on two gaps "
        "counts for both."
    )
    table_with_download(table, "covered", f"{screen.stem}-covered-gaps.csv", ("Turn the curve",))


def draw_actions(screen: PlanScreen) -> None:
    """Every action, filtered by outcome, partner, status and what the figures say; for those
    allowed, a form that adds one."""
    page = screen.page
    table = action_table(page.actions, page.spend, page.coverage, screen.outcomes, screen.code)
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
        table_with_download(shown, "actions", f"{screen.stem}-actions.csv", ("Action page",))
    if screen.editing:
        draw_new_action(page.plan, screen.outcomes, page.partners)


def draw_spend(screen: PlanScreen) -> None:
    """Who spends what, by partner and outcome, and the partners with no part."""
    page = screen.page
    cells = spend_frame(page.actions, page.spend, screen.outcomes)
    if cells.empty:
        st.write("The plan records no spend.")
    else:
        st.caption(spend_words(page.spend))
        chart(
            plan_charts.spend_matrix_chart(cells, presentation=screen.presenting),
            plan_charts.describe_spend_matrix(cells),
            cells,
            "plan_spend",
            f"{screen.stem}-spend.csv",
        )
    if idle := idle_partners_words(page.coverage):
        st.markdown(idle)


def draw_curve(screen: PlanScreen, choices: dict[str, str]) -> None:
    """The turn-the-curve picture of the gap or value chosen (by a link or the picker) among
    ``choices`` (:func:`ecm.views.turn_the_curve.curve_choices`), with the actions on it."""
    page = screen.page
    if not choices:
        st.write("No gap or target to draw.")
        return
    # An unknown gap in the address is named once, above the panels (plan_panels).
    key = select_param("Gap or value", choices, "gap", name_unavailable=False)
    indicator, group = key.split(":", 1)
    definition(indicator)
    curve = load_turn_the_curve(screen.code, indicator, group, page.coverage.period)
    if curve.history.empty:
        st.write("The store holds no figures for this gap in this authority.")
        return
    measure, y_title = curve_measure(group, screen.units.get(indicator, ""))
    st.markdown(curve_summary(curve, measure))
    history, forecast, path = curve_frames(curve)
    stem = f"{screen.stem}-{indicator}"
    chart(
        plan_charts.turn_the_curve_chart(
            history, forecast, path, curve.target, y_title, presentation=screen.presenting
        ),
        plan_charts.describe_turn_the_curve(history, forecast, curve.target, y_title),
        curve_table(curve),
        "turn_the_curve",
        f"{stem}-{group}-curve.csv",
    )
    if curve.actions.empty:
        st.markdown("**No action in the plan targets it.**")
        return
    st.markdown("**Actions on it**")
    mine = page.actions[page.actions["action_id"].isin(curve.actions["action_id"])]
    shown = action_table(mine, page.spend, page.coverage, screen.outcomes, screen.code)
    table_with_download(shown, "curve_actions", f"{stem}-actions.csv", ("Action page",))
