"""The one Streamlit boundary: cached loaders, shared banners, pickers and query-parameter sync.

Pages call these helpers and the rest of ``ecm``; nothing else in the package imports streamlit.
Engines are cached as resources (one pool per process); DataFrames are cached as data, keyed by
the database URL (never by the engine, which is not hashable data).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from ecm.config import database_url
from ecm.figures import queries
from ecm.store.engine import make_engine, schema_is_current, upgrade_schema

CACHE_TTL = 600  # seconds; imports clear the caches explicitly
OUTCOME_ICONS = {
    "be_healthy": ":material/favorite:",
    "stay_safe": ":material/shield:",
    "enjoy_achieve": ":material/school:",
    "positive_contribution": ":material/groups:",
    "economic_wellbeing": ":material/work:",
}


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """The shared engine of the configured store."""
    return _engine_for(database_url())


@st.cache_resource(show_spinner=False)
def _store_checks(url: str) -> dict[str, bool]:
    """Per process and store: whether the start-up checks have passed (so each rerun of the
    app does not reload the migration scripts and query the store again)."""
    return {"ready": False}


def ensure_store() -> None:
    """On first start, create the schema and build the small demo, showing progress.

    Builds only when the store is empty, so imported real data is never touched; set
    ``ECM_AUTO_DEMO=0`` to start with an empty store instead. Runs once per process.
    """
    checks = _store_checks(database_url())
    if checks["ready"]:
        return
    _prepare_store()
    checks["ready"] = True


def _prepare_store() -> None:
    eng = engine()
    if not schema_is_current(eng):
        from ecm.figures.school_pools import ensure_school_benchmarks

        upgrade_schema(eng)
        ensure_school_benchmarks(eng)
    from ecm.disclosure.decisions import decisions_current, ensure_withholding

    if not decisions_current(eng):  # a store from before they were stored, or a new threshold
        with st.spinner("Deciding disclosure control over every figure…"):
            ensure_withholding(eng)
    if os.environ.get("ECM_AUTO_DEMO", "1") == "0" or not queries.store_is_empty(eng):
        return
    from ecm.demo.build import build_demo

    with st.status("First start: building the fictional demo data…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        summary = build_demo(eng, scale="small", progress=progress)
        status.update(
            label=f"Fictional demo data ready: {summary.schools:,} schools in {summary.las} "
            "local authorities",
            state="complete",
            expanded=False,
        )
    st.cache_data.clear()


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _load(url: str, name: str, *args: object) -> pd.DataFrame:
    """Run ``queries.<name>`` on the store at ``url``; the name is part of the cache key."""
    return getattr(queries, name)(_engine_for(url), *args)


def _cached(name: str) -> Callable[..., pd.DataFrame]:
    """A cached version of the ``queries`` function ``name`` that needs no engine."""

    def call(*args: object) -> pd.DataFrame:
        return _load(database_url(), name, *args)

    call.__name__ = name
    call.__doc__ = getattr(queries, name).__doc__
    return call


load_outcomes = _cached("load_outcomes")
load_indicators = _cached("load_indicators")
load_pupil_groups = _cached("load_pupil_groups")
load_regions = _cached("load_regions")
load_local_authorities = _cached("load_local_authorities")
load_schools = _cached("load_schools")
load_import_batches = _cached("load_import_batches")
count_observations = _cached("count_observations")
load_coverage = _cached("load_coverage")
load_reconciliation = _cached("load_reconciliation")
load_register_coverage = _cached("load_register_coverage")


def fictional_banner(licence_line: bool = False) -> None:
    """Say plainly, on every page, when the figures are invented; with ``licence_line``, a
    page of real figures says under what licence they are published instead."""
    if queries.holds_fictional_data(engine()):
        st.warning(
            "**Fictional demo data.** Every region, authority, school, figure and plan shown "
            "here is invented for demonstration and describes no real place.",
            icon=":material/science:",
        )
    elif licence_line:
        batches = load_import_batches()
        licences = sorted({x for x in batches.get("licence", []) if isinstance(x, str) and x})
        if licences:
            st.caption(
                " ".join(licences) + ". Each figure's source file is listed on Data sources."
            )


def holds_fictional_data() -> bool:
    """Whether the store holds the fictional demo (its pages open on demo indicators)."""
    return queries.holds_fictional_data(engine())


def definition(code: str) -> None:
    """An indicator's definition and source, one click away."""
    indicators = load_indicators().set_index("code")
    if code not in indicators.index:
        return
    row = indicators.loc[code]
    with st.popover("Definition", icon=":material/info:"):
        st.markdown(f"**{row['title']}**\n\n{row.get('definition', '')}")
        if isinstance(row.get("source"), str):
            st.caption(f"Source: {row['source']}")


def source_banner(fictional: bool, sources: list[dict]) -> None:
    """For a place: the fictional-data warning, or the real sources and their licences."""
    if fictional:
        st.warning(
            "**Fictional demo data.** This place and every figure shown for it are invented for "
            "demonstration and describe no real place.",
            icon=":material/science:",
        )
        return
    files = ", ".join(sorted({s["file"] for s in sources})) or "none"
    licences = sorted({s["licence"] for s in sources if s.get("licence")})
    st.caption(f"Sources: {files}. " + " ".join(licences))


def place_heading(profile: dict | None, missing: str, empty: str) -> None:
    """Title a place's page with its name and sources, or stop the page with ``missing``
    (unknown code) or ``empty`` (no figures held)."""
    if profile is None:
        st.error(missing)
        st.stop()
    geography = profile["geography"]
    st.title(geography["name"])
    source_banner(geography["fictional"], profile["sources"])
    if not profile["observations"]:
        st.info(empty)
        st.stop()


def query_param(name: str) -> str | None:
    """A query parameter's value, or None."""
    value = st.query_params.get(name)
    return value or None


def set_query_params(**values: str | None) -> None:
    """Put the selection in the URL (dropping empty values) so the view can be bookmarked."""
    for name, value in values.items():
        if value:
            st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def select_by_code(
    label: str,
    options: pd.DataFrame,
    param: str,
    *,
    key: str,
    placeholder: str,
) -> str | None:
    """A selectbox over ``options`` (code, name) that reads and writes query param ``param``."""
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    current = query_param(param)
    index = codes.index(current) if current in codes else None
    chosen = st.selectbox(
        label,
        codes,
        index=index,
        format_func=lambda code: names.get(code, code),
        placeholder=placeholder,
        key=key,
    )
    return chosen


@st.cache_data(ttl=CACHE_TTL, max_entries=128, show_spinner="Computing the profile…")
def _profile(url: str, level: str, code: str, period: str | None) -> dict | None:
    from ecm.figures.queries import UnknownArea
    from ecm.places.profile import build_profile

    try:
        return build_profile(_engine_for(url), level, code, period)
    except UnknownArea:
        return None


def load_profile(level: str, code: str, period: str | None) -> dict | None:
    """The cached profile of a place (None when the code is unknown); a period that is not an
    academic year such as 2008/09 is ignored (the latest year is shown)."""
    from ecm.periods import is_academic_year

    if period and not is_academic_year(period):
        period = None
    return _profile(database_url(), level, code, period)


def complete_selection() -> None:
    """Fill in the LA and region of a school (or the region of an LA) named in the URL, so a
    link to ``?urn=...`` alone opens with the whole selection."""
    from ecm.figures.queries import UnknownArea, resolve_area

    urn, la = query_param("urn"), query_param("la")
    try:
        if urn and not la:
            area = resolve_area(engine(), "school", urn)
            set_query_params(
                la=(area["la"] or {}).get("code"), region=(area["region"] or {}).get("code")
            )
        elif la and not query_param("region"):
            area = resolve_area(engine(), "la", la)
            set_query_params(region=(area["region"] or {}).get("code"))
    except UnknownArea:
        pass  # the pickers drop what they cannot find


def profile_link(label: str, **place: str) -> None:
    """A link to the Profile page for a place (``urn=``, ``la=`` or ``region=``)."""
    st.page_link(
        "app_pages/profile.py", label=label, icon=":material/insights:", query_params=place
    )


def selected_place() -> tuple[str, str] | None:
    """The place in the URL: ``urn`` (school) before ``la`` before ``region``."""
    for param, level in (("urn", "school"), ("la", "la"), ("region", "region")):
        value = query_param(param)
        if value:
            return level, value
    return None


#: Longest table shown as large page text in presentation mode.
PRESENTED_ROWS = 40


def table_with_download(
    frame: pd.DataFrame, key: str, file_name: str, links: tuple[str, ...] = ()
) -> None:
    """A table with a CSV download of exactly what it shows; ``links`` names its columns of
    URLs, shown as "Open" links. When presenting, short tables are written as page text, so they
    take the projector's large type (the interactive grid draws on a canvas at a fixed size),
    without their link columns."""
    if query_param("present") == "1" and len(frame) <= PRESENTED_ROWS:
        st.table(frame.drop(columns=list(links)), hide_index=True)
    else:
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            key=f"table_{key}",
            # Each link says where it goes, not just "Open" (WCAG 2.4.4, link purpose).
            column_config={column: link_column(column, column) for column in links},
        )
    st.download_button(
        "Download as CSV",
        # Written when the button is pressed (deferred), not on every run of the page.
        lambda: frame.to_csv(index=False).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        key=f"download_{key}",
    )


def import_uploads(files: list, user: str = "dashboard upload") -> None:  # noqa: ANN001
    """Import uploaded files in turn with the command line's code, showing progress and every
    problem of a rejected file; similar-school comparisons are refreshed once at the end."""
    import tempfile
    from pathlib import Path

    from ecm.errors import DataError
    from ecm.figures.school_pools import refresh_school_benchmarks
    from ecm.importers import import_file
    from ecm.importers.writer import describe_outcome

    schools_loaded = False
    with tempfile.TemporaryDirectory() as folder:
        for upload in files:
            # The file keeps its own name: the format and year are read from it.
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            bar = st.progress(0.0, text=f"Importing {path.name}…")

            def progress(fraction: float, message: str, bar=bar) -> None:  # noqa: ANN001
                bar.progress(min(max(fraction, 0.0), 1.0), text=message)

            try:
                outcome = import_file(
                    engine(), path, user=user, progress=progress, refresh_benchmarks=False
                )
            except DataError as error:
                bar.empty()
                shown = "\n".join(f"- {problem}" for problem in error.problems[:20])
                more = len(error.problems) - 20
                st.error(
                    f"**{path.name} was rejected; nothing from it was stored.**\n\n{shown}"
                    + (f"\n- … and {more:,} more" if more > 0 else "")
                )
                continue
            bar.empty()
            schools_loaded |= outcome.status == "loaded" and outcome.has_schools
            st.success(describe_outcome(outcome))
    if schools_loaded:
        with engine().begin() as connection:
            refresh_school_benchmarks(connection)
    st.cache_data.clear()


# --- overviews and the gap explorer (cached per store, place and period) ----------------------


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the area overview…")
def _area(url: str, la: str, period: str | None):  # noqa: ANN202
    from ecm.figures.queries import UnknownArea
    from ecm.places.overview import area_overview

    try:
        return area_overview(_engine_for(url), la, period)
    except UnknownArea:
        return None


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner="Computing the region overview…")
def _region(url: str, code: str, period: str | None):  # noqa: ANN202
    from ecm.figures.queries import UnknownArea
    from ecm.places.overview import region_overview

    try:
        return region_overview(_engine_for(url), code, period)
    except UnknownArea:
        return None


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the gaps…")
def _gaps(url: str, indicator: str, group: str, level: str, period, within):  # noqa: ANN001, ANN202
    from ecm.places.explorer import explore_gaps

    return explore_gaps(_engine_for(url), indicator, group, level, period, within)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the gap trends…")
def _region_gaps(url: str, code: str, indicator: str, group: str, period: str | None):  # noqa: ANN202
    from ecm.places.region_gaps import region_gap_trends

    return region_gap_trends(_engine_for(url), code, indicator, group, period)


def load_region_gap_trends(code: str, indicator: str, group: str, period: str | None):  # noqa: ANN201
    """The cached gap trends of a region's authorities for one indicator and focus group."""
    return _region_gaps(database_url(), code, indicator, group, period)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner="Reading the plan…")
def _plan(url: str, la: str, period: str | None) -> dict | None:
    from ecm.figures import plans
    from ecm.figures.queries import UnknownArea, resolve_area
    from ecm.plan import loaders as plan_queries

    engine = _engine_for(url)
    try:
        area = resolve_area(engine, "la", la)
    except UnknownArea:
        return None
    code = area["code"]
    coverage = plan_queries.la_plan_coverage(engine, code, period)
    # The plan in force in the year the coverage is for, and only its actions.
    plan = plans.load_plan(engine, code, coverage.period)
    plan_id = plan["id"] if plan else plan_queries.NO_PLAN
    return {
        "area": area,
        "plan": plan,
        "latest_plan": plan or plans.load_plan(engine, code),
        "actions": plan_queries.load_actions(engine, code, plan_id),
        "targets": plan_queries.load_targets(engine, code, plan_id),
        "spend": plan_queries.load_spend(engine, code, plan_id),
        "schools": plan_queries.load_action_schools(engine, code, plan_id),
        "partners": plan_queries.load_partners(),
        "coverage": coverage,
    }


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Drawing the curve…")
def _curve(url: str, la: str, indicator: str, group: str, period: str | None):  # noqa: ANN202
    from ecm.plan.loaders import gap_turn_the_curve

    return gap_turn_the_curve(_engine_for(url), la, indicator, group, period)


def load_plan_page(la: str, period: str | None) -> dict | None:
    """The cached plan of an LA with its coverage (None for an unknown LA code)."""
    return _plan(database_url(), la, period)


def load_turn_the_curve(la: str, indicator: str, group: str, period: str | None):  # noqa: ANN201
    """The cached turn-the-curve picture of one of an LA's gaps (or values) up to a year."""
    return _curve(database_url(), la, indicator, group, period)


def plan_changed() -> None:
    """Forget every cached result that shows the plan, after an edit or an import."""
    for cached in (_plan, _curve, _area, _region, _profile):
        cached.clear()


def load_area_overview(la: str, period: str | None):  # noqa: ANN201
    """The cached area overview of an LA (None for an unknown code)."""
    return _area(database_url(), la, period)


def load_region_overview(code: str, period: str | None):  # noqa: ANN201
    """The cached region overview (None for an unknown code)."""
    return _region(database_url(), code, period)


def load_gap_exploration(indicator: str, group: str, level: str, period, within):  # noqa: ANN001, ANN201
    """The cached gap explorer result."""
    return _gaps(database_url(), indicator, group, level, period, within)


# --- charts with their tables, presentation mode ----------------------------------------------


def chart(figure, alt: str, table: pd.DataFrame, key: str, file_name: str) -> None:  # noqa: ANN001
    """A chart with its text alternative, and "view as table" with a CSV of exactly what it
    shows, so nothing rests on seeing the chart."""
    from ecm.charts import PLOTLY_CONFIG

    st.plotly_chart(figure, key=f"chart_{key}", alt=alt, config=PLOTLY_CONFIG)
    st.caption(alt)
    with st.expander("View as table", icon=":material/table:"):
        table_with_download(table, key, file_name)


PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMain"] { font-size: 1.45rem; color: #000; background: #fff; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.2rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.45rem; line-height: 1.5; }
[data-testid="stMain"] a { color: #003078; text-decoration: underline; }
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td { font-size: 1.35rem; padding: 0.5rem 0.75rem; }
</style>
"""


def presentation_mode() -> bool:
    """Presentation mode (``?present=1`` or the toggle): large type, high contrast, no sidebar,
    one panel at a time, for the meeting-room projector."""
    on = query_param("present") == "1"
    # The toggle follows the address (a link or "Leave" may have changed it since last run).
    st.session_state["present_toggle"] = on
    with st.sidebar:
        st.toggle("Presentation mode", key="present_toggle", on_change=_presentation_toggled)
    if on:
        st.html(PRESENTATION_CSS)
        st.button(
            "Leave presentation mode",
            icon=":material/close:",
            shortcut="Esc",
            on_click=_leave_presentation,
        )
    return on


def _presentation_toggled() -> None:
    set_query_params(present="1" if st.session_state["present_toggle"] else None, panel=None)


def _leave_presentation() -> None:
    set_query_params(present=None, panel=None)


def panels(items: list[tuple[str, Callable[[], None]]], presenting: bool) -> None:
    """Show each (title, draw) panel in turn; when presenting, one at a time with Previous and
    Next (the left and right arrow keys)."""
    if not presenting:
        for title, draw in items:
            st.header(title)
            draw()
        return
    try:
        index = min(max(int(query_param("panel") or 1), 1), len(items)) - 1
    except ValueError:
        index = 0
    title, draw = items[index]
    back, where, forward = st.columns([1, 2, 1])
    if back.button("Previous", icon=":material/arrow_back:", shortcut="Left", disabled=index == 0):
        set_query_params(panel=str(index))
        st.rerun()
    where.markdown(f"**Panel {index + 1} of {len(items)}** · ← and → move between panels")
    if forward.button(
        "Next", icon=":material/arrow_forward:", shortcut="Right", disabled=index == len(items) - 1
    ):
        set_query_params(panel=str(index + 2))
        st.rerun()
    st.header(title)
    draw()


def page_link(page: str, label: str, **params: str) -> None:
    """A link to another page carrying the selection (and presentation mode) in its URL."""
    if query_param("present") == "1":
        params = {**params, "present": "1"}
    st.page_link(f"app_pages/{page}.py", label=label, query_params=params)


def select_param(
    label: str, options: dict[str, str], param: str, default: str | None = None, **kwargs: object
) -> str:
    """A selectbox over ``options`` (value -> label) kept in query parameter ``param``."""
    values = list(options)
    current = query_param(param)
    chosen = current if current in options else (default if default in options else values[0])
    value = st.selectbox(
        label,
        values,
        index=values.index(chosen),
        format_func=lambda v: options.get(v, v),
        key=f"param_{param}",
        **kwargs,
    )
    set_query_params(**{param: value})
    return value


def la_param(title: str) -> str:
    """The LA in the address (``?la=``), or, when there is none, the page's title and a picker
    of every LA that puts the choice in the address; stops the page on an empty store."""
    la = query_param("la")
    if la:
        return la
    st.title(title)
    fictional_banner()
    las = load_local_authorities(None)
    if las.empty:
        st.info("The store holds no local authorities yet.")
        st.stop()
    return select_param("Local authority", dict(zip(las["code"], las["name"], strict=True)), "la")


def link_column(label: str = "Open", display: str = "Open") -> st.column_config.LinkColumn:
    """A table column of links to a page (the URL carries the selection)."""
    return st.column_config.LinkColumn(label, display_text=display, width="small")


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def _distribution(url: str, level: str, period: str, phase: str | None) -> pd.DataFrame:
    from ecm.figures import many_places
    from ecm.periods import period_aliases

    if level == "la":
        return many_places.load_la_distribution(_engine_for(url), period_aliases(period))
    return many_places.load_school_distribution(_engine_for(url), phase, period_aliases(period))


def load_la_distribution(period: str) -> pd.DataFrame:
    """Every indicator's spread across all LAs in the period (for spine charts)."""
    return _distribution(database_url(), "la", period, None)


def load_school_distribution(phase: str, period: str) -> pd.DataFrame:
    """Every indicator's spread across all schools of a phase in the period."""
    return _distribution(database_url(), "school", period, phase)
