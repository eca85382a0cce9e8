"""Every page runs without exception on the demo data and shows what it promises (AppTest)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from ecm import units
from ecm.views.markdown import escape_markdown
from tests.helpers import address, open_app, school_with_headline_gap

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "app_pages/home.py",
    "app_pages/profile.py",
    "app_pages/indicators.py",
    "app_pages/data.py",
    "app_pages/school.py",
    "app_pages/area.py",
    "app_pages/region.py",
    "app_pages/gaps.py",
    "app_pages/changes.py",
]
TIMEOUT = 60


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.body for w in at.warning]
    parts += (
        [h.value for h in at.title] + [h.value for h in at.header] + [c.value for c in at.caption]
    )
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_says_the_data_are_fictional(use_demo_database, page: str) -> None:
    at = open_app(page)
    assert not at.exception, at.exception
    assert any("Fictional demo data" in w.body for w in at.warning)


def test_home_explains_the_five_outcomes(use_demo_database) -> None:
    at = open_app()
    assert at.title[0].value == "Every Child Matters outcomes dashboard"
    shown = texts(at)
    for outcome in (
        "Be healthy",
        "Stay safe",
        "Enjoy and achieve",
        "Make a positive contribution",
        "Achieve economic well-being",
    ):
        assert f"#### {outcome}" in shown
    assert "Ready for school" in shown  # an aim under Enjoy and achieve


def test_home_opens_on_the_la_named_in_the_url(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]
    at = open_app(la=la["code"])
    assert not at.exception
    assert at.selectbox(key="pick_la").value == la["code"]
    assert la["name"] in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Plan actions"]) >= 15


def test_a_school_in_the_url_brings_its_authority_and_region(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import resolve_area

    area = resolve_area(demo_engine, "school", "900003")
    at = open_app(urn="900003")
    assert at.selectbox(key="pick_school").value == "900003"
    assert at.selectbox(key="pick_la").value == area["la"]["code"]
    assert at.selectbox(key="pick_region").value == area["region"]["code"]
    assert at.query_params["urn"] == "900003"


def test_picking_a_school_puts_it_in_the_url(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_local_authorities, load_schools

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    school = load_schools(demo_engine, la).iloc[0]
    at = open_app(la=la)
    at.selectbox(key="pick_school").set_value(school["urn"]).run()
    assert not at.exception
    assert at.query_params["urn"] == school["urn"]
    assert school["name"] in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pupils on roll"] == f"{int(school['number_on_roll']):,}"


def test_home_finds_a_school_by_urn_and_sums_up_a_region(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_regions, region_summary

    at = open_app()
    at.sidebar.text_input(key="place_search").set_value("900003").run()
    assert not at.exception
    links = at.sidebar.get("page_link")
    assert len(links) == 1
    assert links[0].proto.page.endswith("school")
    assert links[0].proto.query_string == "urn=900003"
    assert "URN 900003" in links[0].proto.label
    region = load_regions(demo_engine).iloc[0]["code"]
    at = open_app(region=region)
    summary = region_summary(demo_engine, region)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Local authorities"]) == summary["las"]
    assert escape_markdown(summary["name"]) in [s.value for s in at.subheader]


def test_indicator_search_filters_the_catalogue(use_demo_database) -> None:
    at = open_app("app_pages/indicators.py")
    at.text_input(key="indicator_search").set_value("obesity").run()
    table = at.dataframe[0].value
    assert len(table) >= 2
    matches = table["title"].str.lower().str.contains("obes") | table[
        "definition"
    ].str.lower().str.contains("obes")
    assert matches.all()


def test_data_page_lists_the_demo_build_as_a_batch(use_demo_database) -> None:
    at = open_app("app_pages/data.py")
    batches = at.dataframe[0].value
    assert batches["format"].tolist() == ["demo"]
    assert batches["file_name"][0] == "fictional demo: scale tiny, seed 2008, 5 years"
    assert "Fictional demo data" in batches["licence"][0]


def test_profile_page_shows_the_same_figures_as_the_profile_command(
    use_demo_database, demo_engine
) -> None:
    from ecm.places.profile import build_profile
    from ecm.views.profile_tables import screen_tables

    at = open_app("app_pages/profile.py", la="Z10000001")
    assert not at.exception
    assert at.title[0].value == escape_markdown(
        build_profile(demo_engine, "la", "Z10000001")["geography"]["name"]
    )
    expected_figures, expected_gaps = screen_tables(build_profile(demo_engine, "la", "Z10000001"))
    shown_gaps = at.dataframe[0].value
    assert shown_gaps["Size"].tolist() == expected_gaps["Size"].tolist()
    assert shown_gaps["Significant"].iloc[0] == "yes"  # significant gaps come first
    shown = {(r["Indicator"], r["Group"]): r["Value"] for _, r in at.dataframe[1].value.iterrows()}
    first_outcome = expected_figures["Outcome"].iloc[0]
    for _, row in expected_figures[expected_figures["Outcome"] == first_outcome].iterrows():
        assert shown[(row["Indicator"], row["Group"])] == row["Value"]


def test_profile_page_without_a_place_points_home(use_demo_database) -> None:
    at = open_app("app_pages/profile.py")
    assert not at.exception
    assert "Choose a school, local authority or region" in at.info[0].body


def test_profile_page_for_an_unknown_code_says_so(use_demo_database) -> None:
    at = open_app("app_pages/profile.py", urn="123456")
    assert "No school with code 123456" in at.error[0].body


# --- the three ways in and the gap explorer -------------------------------------------------


def test_school_page_states_its_widest_significant_gap_and_the_plan(
    use_demo_database, demo_engine
) -> None:
    from ecm.places.profile import build_profile
    from ecm.views.school import headline_gap, trend_axis_title, trend_heading, trend_opening

    urn = school_with_headline_gap(demo_engine)
    profile = build_profile(demo_engine, "school", urn)
    at = open_app("app_pages/school.py", urn=urn)
    assert not at.exception
    assert at.title[0].value == escape_markdown(profile["geography"]["name"])
    headline = next(m.value for m in at.markdown if "significant gap" in m.value)
    widest = headline_gap(profile)
    assert widest is not None  # this demo school has a significant gap, so all below runs
    assert widest["title"] in headline and f"{widest['gap']:.1f}" in headline
    # One measure, DfE's, never the widest of several; the gap table shows it too.
    assert widest["kind"] == "vs_national" and "other pupils nationally" in headline
    assert [h.value for h in at.header] == [
        "Areas of interest",
        "The five outcomes",
        "Gaps beside the LA and England",
        "Trends: 2005/06 to 2009/10, five years of figures",
        "What the plan does",
    ]
    # The heading names the chosen indicator's years, not every indicator's.
    assert trend_opening(profile, widest, None) == widest["indicator"]
    assert trend_heading(profile, widest["indicator"]) == at.header[3].value
    two = [
        {"indicator": "a", "period": "2018/19"},
        {"indicator": "a", "period": "2019-20"},  # a financial year: counted once with 2019/20
        {"indicator": "a", "period": "2019/20"},
        {"indicator": "b", "period": "2014/15"},
        {"indicator": "b", "period": "2015/16"},
        {"indicator": "b", "period": "2016/17"},
    ]
    assert trend_heading({"series": two}, "a") == (
        "Trends: 2018/19 to 2019/20, two years of figures"
    )
    assert trend_heading({"series": two[:1]}, "a") == "Trends: 2018/19 only, one year of figures"
    assert trend_heading({"series": two}, "c") == "Trends"
    from ecm.views.school import gap_comparison

    shown = next(d.value for d in at.dataframe if "England" in d.value.columns)
    expected = gap_comparison(profile)
    assert list(shown["School"]) == list(expected["School"])
    assert list(shown["LA"]) == list(expected["LA"]) and shown["LA"].str.len().gt(0).any()
    row = shown[(shown["Indicator"] == widest["title"])
                & shown["Gap"].str.startswith("Disadvantaged")].iloc[0]  # fmt: skip
    assert row["School vs national (DfE)"].startswith(f"{widest['gap']:.1f} (")
    axis = trend_axis_title(profile, widest["indicator"])
    assert axis.endswith("(%)") and "dtype" not in axis
    # The trend chart opens on the headline gap's indicator, over the school's five years.
    trend_box = next(s for s in at.selectbox if s.label == "Indicator")
    assert trend_box.value == widest["indicator"]
    caption = next(c.value for c in at.caption if c.value.startswith("Trend chart of"))
    assert "over 5 periods" in caption  # the demo's five years, not a one-year series


def test_area_page_shows_its_gap_league_with_plan_cover(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_local_authorities
    from ecm.places.overview import area_overview

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    overview = area_overview(demo_engine, la)
    at = open_app("app_pages/area.py", la=la)
    assert not at.exception
    assert at.title[0].value == escape_markdown(overview.profile["geography"]["name"])
    uncovered = int((~overview.league["covered"]).sum())
    line = next(m.value for m in at.markdown if "have **no plan action**" in m.value)
    assert f"**{len(overview.league)}** gaps" in line and f"**{uncovered}** have" in line
    league = next(d.value for d in at.dataframe if "Plan action" in d.value.columns)
    assert list(league["Plan action"]) == [
        "yes" if c else "none" for c in overview.league["covered"]
    ]
    assert league["Size"].iloc[0] == pytest.approx(round(overview.league["gap"].iloc[0], 1))
    assert list(league["Unit"]) == [
        {"%": "percentage points", "score": "points"}.get(u, u) for u in overview.league["unit"]
    ]  # percentage gaps are in percentage points, scores in points, others in their own unit
    assert line.endswith(f"the plan in force that year: {escape_markdown(overview.plan['title'])}.")
    # A year before the demo plans began: no plan in force, so no gap is covered.
    early = open_app("app_pages/area.py", la=la, period="2005/06")
    line = next(m.value for m in early.markdown if "have **no plan action**" in m.value)
    assert line.endswith("No plan was in force in 2005/06, so no gap is covered.")
    league = next(d.value for d in early.dataframe if "Plan action" in d.value.columns)
    assert set(league["Plan action"]) == {"none"}


def test_region_page_lists_authorities_worse_and_getting_worse(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import load_regions
    from ecm.places.overview import region_overview

    code = load_regions(demo_engine).iloc[0]["code"]
    overview = region_overview(demo_engine, code)
    at = open_app("app_pages/region.py", code=code)
    assert not at.exception
    assert at.title[0].value == escape_markdown(overview.region["name"])
    cells = overview.cells
    red = cells[(cells["comparison"] == "worse") & (cells["trend"] == "getting worse")]
    if red.empty:
        assert any("No authority has a figure" in m.value for m in at.markdown)
    else:
        table = next(d.value for d in at.dataframe if "Rank" in d.value.columns)
        assert len(table) == len(red)
        assert set(table["Local authority"]) == set(red["la_name"])
    from ecm.places.region_gaps import region_gap_trends

    trends = region_gap_trends(demo_engine, code, "ni_73", "disadvantaged", overview.period)
    gap_table = next(d.value for d in at.dataframe if "Trend of the gap" in d.value.columns)
    assert list(gap_table["Local authority"]) == list(trends.authorities["la_name"])
    widening = int((trends.authorities["trend"] == "widening").sum())
    assert any(f"widening in {widening}** of" in m.value for m in at.markdown)
    brief = next(m.value for m in at.markdown if "priorities brief" in m.value)
    assert "Top concerns" in brief and "Significant gaps with no plan action" in brief


def test_a_year_the_place_has_no_figures_for_says_which_year_is_shown(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import load_regions
    from ecm.places.overview import region_overview

    code = load_regions(demo_engine).iloc[0]["code"]
    shown = region_overview(demo_engine, code).period
    at = open_app("app_pages/region.py", code=code, period="1999/00")
    assert not at.exception
    assert f"Year 1999/00 is not available here; showing {shown}." in texts(at).replace("\\", "")


def test_gap_explorer_ranks_every_authority(use_demo_database, demo_engine) -> None:
    from ecm.places.explorer import explore_gaps

    result = explore_gaps(demo_engine, "ni_73", "disadvantaged", "la")
    at = open_app("app_pages/gaps.py", indicator="ni_73", group="disadvantaged", level="la")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Funnel" in d.value.columns)
    assert list(table["Code"]) == list(result.gaps["area_code"])
    assert table["Gap"].iloc[0] == pytest.approx(round(result.gaps["gap"].iloc[0], 1))
    summary = next(m.value for m in at.markdown if "Nationally the gap is" in m.value)
    assert f"**{result.centre:.1f} percentage points**" in summary
    assert address(at)["level"] == "la" and address(at)["period"] == result.period


def _long_table() -> None:  # an app of its own (AppTest.from_function), drawing one table
    import pandas as pd

    from ecm.ui.presentation import table_with_download

    rows = 2_500
    table_with_download(
        pd.DataFrame({"URN": [str(100000 + n) for n in range(rows)], "Gap": range(rows)}),
        "long",
        "long.csv",
    )


def test_a_table_longer_than_the_grid_shows_its_first_rows_and_says_so() -> None:
    from ecm.ui.presentation import GRID_ROWS

    at = AppTest.from_function(_long_table, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert shown.shape[0] == GRID_ROWS < 2_500
    assert list(shown["URN"].head(2)) == ["100000", "100001"]
    assert at.caption[0].value == (
        f"The first {GRID_ROWS:,} of 2,500 rows, in the table's order: the CSV below has them all."
    )


def test_presentation_mode_shows_one_panel_and_moves_on(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    at = open_app("app_pages/area.py", la=la, present="1")
    assert not at.exception
    assert [h.value for h in at.header] == ["At a glance"]
    assert any("Panel 1 of 7" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Next").click().run()
    assert [h.value for h in at.header] == ["Gaps: widest and widening first"]
    assert at.query_params["panel"] == "2"


def test_presented_tables_are_page_text_in_large_type(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    at = open_app("app_pages/area.py", la=la, present="1", panel="2")
    assert [h.value for h in at.header] == ["Gaps: widest and widening first"]
    assert len(at.table) == 1 and len(at.dataframe) == 0
    shown = at.table[0].value
    assert "Gap" in " ".join(map(str, shown.columns)) and len(shown) > 0
    plain = open_app("app_pages/area.py", la=la)
    assert len(plain.table) == 0
    # Gap sizes read as they do off the projector, at one decimal (never "1.9000").
    sizes = plain.dataframe[0].value["Size"]
    assert shown["Size"].tolist() == units.table_text(sizes.to_frame())["Size"].tolist()
    assert all(re.fullmatch(r"-?[\d,]+\.\d", text) for text in shown["Size"])


def test_leaving_presentation_mode_returns_to_the_whole_page(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    at = open_app("app_pages/area.py", la=la, present="1")
    next(b for b in at.button if b.label == "Leave").click().run()
    assert "present" not in at.query_params
    assert len(at.header) == 7  # every panel again


# --- the address: malformed values are dropped politely, never an exception ------------------

EVERY_PAGE = [*PAGES, "app_pages/plan.py", "app_pages/accessibility.py"]
#: A malformed value for every parameter a page reads from its address.
MALFORMED = {
    "urn": "12x456",
    "la": "**bold**",
    "region": "E12",
    "code": "$$x$$",
    "period": "foo",
    "indicator": "NI 73; drop",
    "group": "[link](http://x)",
    "level": "county",
    "gap": "ni_73",
    "action": "-1",
    "present": "yes",
    "panel": "first",
    "brief": "nobody",
    "gap_group": "nobody",
    "map_indicator": "nothing",
    "trend_indicator": "nothing",
    "outcome": "nothing",
    "phase": "nursery",
}


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_every_page_survives_every_parameter_malformed(use_demo_database, page: str) -> None:
    at = open_app(page, **MALFORMED)
    assert not at.exception, at.exception
    notes = [w.body for w in at.warning if "address" in w.body]
    assert all("**bold**" not in n and "$$" not in n for n in notes)  # never echoed


@pytest.mark.parametrize("page", ["app_pages/area.py", "app_pages/plan.py"])
@pytest.mark.parametrize("period", ["foo", "2008/10", "1999/00", "2008-09"])
def test_a_bad_year_for_a_real_authority_is_dropped_or_says_so(
    use_demo_database, demo_engine, page: str, period: str
) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    at = open_app(page, la=la, period=period, panel="0", present="1")
    assert not at.exception, at.exception
    assert at.title, "the page still shows its authority"
    dropped = any("'period'" in w.body and "academic year" in w.body for w in at.warning)
    assert dropped == (period in ("foo", "2008/10", "2008-09"))


@pytest.mark.parametrize(
    ("page", "place"),
    [("app_pages/school.py", "urn"), ("app_pages/region.py", "code"), ("app_pages/gaps.py", "la")],
)
def test_pages_with_a_real_place_survive_every_other_parameter_malformed(
    use_demo_database, demo_engine, page: str, place: str
) -> None:
    from ecm.figures.queries import load_local_authorities, load_regions, load_schools

    codes = {
        "urn": load_schools(demo_engine, load_local_authorities(demo_engine).iloc[0]["code"]).iloc[
            0
        ]["urn"],
        "code": load_regions(demo_engine).iloc[0]["code"],
        "la": load_local_authorities(demo_engine).iloc[0]["code"],
    }
    at = open_app(page, **{**MALFORMED, place: str(codes[place])})
    assert not at.exception, at.exception


PAGES_WITH_SEARCH = (
    None,
    "app_pages/school.py",
    "app_pages/area.py",
    "app_pages/region.py",
    "app_pages/gaps.py",
    "app_pages/plan.py",
    "app_pages/profile.py",
    "app_pages/indicators.py",
    "app_pages/data.py",
    "app_pages/accessibility.py",
)


@pytest.mark.parametrize("page", PAGES_WITH_SEARCH)
def test_every_page_has_the_search_and_its_results_are_links(
    use_demo_database, demo_engine, page
) -> None:
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]
    at = open_app(page)
    at.sidebar.text_input(key="place_search").set_value(la["code"]).run()
    assert not at.exception
    first = at.sidebar.get("page_link")[0].proto
    # Links carry the year the reader is looking at, if the page has one.
    query = parse_qs(first.query_string)
    assert query["la"] == [la["code"]] and set(query) <= {"la", "period"}
    assert first.page.endswith("area")
    assert first.label.startswith(la["name"])


def test_a_school_with_a_closed_predecessor_says_so(use_demo_database, demo_engine) -> None:
    from sqlalchemy import select

    from ecm.store.models import SchoolLink

    with demo_engine.connect() as connection:
        urn, old = connection.execute(
            select(SchoolLink.urn, SchoolLink.linked_urn).where(
                SchoolLink.link_type == "predecessor"
            )
        ).first()
    at = open_app("app_pages/school.py", urn=urn)
    assert not at.exception
    assert any(m.value.startswith("Formerly") and f"URN {old}" in m.value for m in at.markdown)
    at = open_app("app_pages/school.py", urn=old)
    assert not at.exception
    assert any(
        m.value.startswith("Closed on 31 August 2008; its successor is") for m in at.markdown
    )


# --- one story per screen: the headline, the plan panel, the plan link and the Plan page -----


def plan_link_params(at: AppTest) -> dict[str, str]:
    """The parameters of the school headline's link to the LA's Plan page."""
    from ecm.params import read_address

    (link,) = [e.proto for e in at.get("page_link") if e.proto.page.endswith("plan")]
    return read_address(link.query_string)


def plan_panel_sentence(at: AppTest) -> str:
    """The sentence that opens the school's "What the plan does" panel."""
    headers = [h.value for h in at.header]
    assert headers[-1] == "What the plan does"
    return next(
        m.value for m in at.markdown if "in force in" in m.value and "Clearest" not in m.value
    )


def test_the_school_headline_plan_panel_link_and_plan_page_name_the_same_plan(
    use_demo_database, demo_engine
) -> None:
    from ecm.places.profile import build_profile

    urn = school_with_headline_gap(demo_engine)
    la = build_profile(demo_engine, "school", urn)["geography"]["la"]
    # 2009/10: the LA's 2008-2011 plan is in force; every part names it and the year.
    at = open_app("app_pages/school.py", urn=urn, period="2009/10")
    assert not at.exception
    plan = build_profile(demo_engine, "school", urn, "2009/10")["plan"]
    named = f"{escape_markdown(plan['title'])} ({escape_markdown(plan['period_label'])})"
    headline = next(m.value for m in at.markdown if "Clearest significant gap" in m.value)
    assert escape_markdown(plan["title"]) in headline and "in force in 2009/10" in headline
    assert f"in {named}, in force in 2009/10" in plan_panel_sentence(at)
    link = plan_link_params(at)
    assert link["period"] == "2009/10" and link["la"] == la["code"]
    label = next(e.proto.label for e in at.get("page_link") if e.proto.page.endswith("plan"))
    assert named in label and "in force in 2009/10" in label
    page = open_app("app_pages/plan.py", **link)
    assert not page.exception
    assert any(
        c.value.startswith(f"{escape_markdown(plan['title'])} · ")
        and c.value.endswith("gaps as of 2009/10")
        for c in page.caption
    )
    # 2005/06: no plan is in force; the headline, the panel, the link and the page all say so.
    early = open_app("app_pages/school.py", urn=urn, period="2005/06")
    assert not early.exception
    words = " ".join(m.value for m in early.markdown)
    if "Clearest significant gap" in words:
        assert "**no plan is in force in 2005/06**" in words
    panel = next(m.value for m in early.markdown if m.value.startswith("**No plan of"))
    assert panel.startswith(f"**No plan of {escape_markdown(la['name'])} is in force in 2005/06**")
    assert "No action in the area's plan" not in words
    early_plan = open_app("app_pages/plan.py", la=la["code"], period="2005/06")
    assert any(
        "No plan of this authority was in force in 2005/06" in i.body for i in early_plan.info
    )
