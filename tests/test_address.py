"""The address is the state: every page names an unknown or malformed value from its address
(cut, escaped) with a way on, never silently shows something else, and writes what it filled
in back to the address without a history entry (AppTest on the demo)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ecm.ui.banners import SEARCH_WAY_ON
from ecm.views.markdown import escape_markdown
from tests.helpers import address, open_app

LONG_URN = "9" * 5000


def page_text(at: AppTest) -> str:
    """Every message and paragraph the run showed, Markdown escapes taken out."""
    parts = [e.body for e in (*at.warning, *at.error, *at.info)]
    parts += [m.value for m in at.markdown] + [t.value for t in at.title]
    return "\n".join(parts).replace("\\", "")


def link_labels(at: AppTest) -> list[str]:
    """The labels of the page's links (st.page_link)."""
    return [e.proto.label for e in at.get("page_link")]


def first_la(engine) -> str:  # noqa: ANN001
    from ecm.figures.queries import load_local_authorities

    return load_local_authorities(engine).iloc[0]["code"]


@pytest.mark.parametrize(
    "page", ["app_pages/school.py", "app_pages/area.py", "app_pages/plan.py", "app_pages/gaps.py"]
)
def test_a_malformed_year_is_named_and_the_latest_is_shown(
    use_demo_database, demo_engine, page: str
) -> None:
    from ecm.figures.queries import load_schools

    la = first_la(demo_engine)
    urn = load_schools(demo_engine, la).iloc[0]["urn"]
    at = open_app(page, la=la, urn=urn, period="zz")
    assert not at.exception, at.exception
    text = page_text(at)
    assert "The address's 'period' “zz” is not an academic year written like 2008/09" in text
    assert "Traceback" not in text and "/ecm/" not in text
    assert address(at)["period"] != "zz"  # the year shown, written back in its place


def test_a_5000_character_urn_is_cut_and_offers_the_search(use_demo_database) -> None:
    at = open_app("app_pages/school.py", urn=LONG_URN)
    assert not at.exception, at.exception
    (warning,) = [w.body for w in at.warning if "'urn'" in w.body]
    shown = warning.replace("\\", "")
    assert "9" * 39 + "…" in shown and "9" * 41 not in shown
    assert len(shown) < 200
    assert SEARCH_WAY_ON in link_labels(at)


def test_an_unknown_urn_is_named_with_a_way_on(use_demo_database) -> None:
    at = open_app("app_pages/school.py", urn="999999")
    assert not at.exception
    assert "No school with URN 999999 is in the store." in page_text(at)
    assert SEARCH_WAY_ON in link_labels(at)


def test_an_unknown_region_is_named_never_replaced_by_another(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import load_regions

    regions = load_regions(demo_engine)
    at = open_app("app_pages/region.py", code="E12999999")
    assert not at.exception
    assert "No region with code E12999999 is in the store." in page_text(at)
    assert [t.value for t in at.title] == ["Region overview"]  # no other region's page
    # The regions there are, as links (their names escaped: never read as Markdown).
    assert {escape_markdown(name) for name in regions["name"]} <= set(link_labels(at))


def test_an_unknown_authority_is_named_on_the_area_and_plan_pages(use_demo_database) -> None:
    for page in ("app_pages/area.py", "app_pages/plan.py"):
        at = open_app(page, la="E10999999")
        assert not at.exception
        assert "No local authority with code E10999999 is in the store." in page_text(at)
        assert SEARCH_WAY_ON in link_labels(at)


def test_the_gap_explorer_names_an_unknown_indicator_and_group(use_demo_database) -> None:
    at = open_app("app_pages/gaps.py", indicator="no_such_measure", group="nobody_at_all")
    assert not at.exception
    text = page_text(at)
    assert "Indicator no_such_measure is not available here; showing" in text
    assert "Focus group nobody_at_all is not available here; showing Disadvantaged" in text
    # The way on: the pickers list what there is.
    assert len(at.selectbox(key="param_indicator").options) > 10


def test_an_unknown_action_is_named_and_the_actions_listed(use_demo_database, demo_engine) -> None:
    at = open_app("app_pages/plan.py", la=first_la(demo_engine), action="99999")
    assert not at.exception
    assert "has no action number 99999; its actions are listed under Actions." in page_text(at)
    assert "Actions" in [h.value for h in at.header]


def test_presentation_yes_is_named(use_demo_database, demo_engine) -> None:
    at = open_app("app_pages/area.py", la=first_la(demo_engine), present="yes")
    assert not at.exception
    assert "The address's 'present' “yes” is not 1 (presentation mode) or 0" in page_text(at)


def link_to(at: AppTest, label_start: str) -> dict[str, str]:
    """The parameters of the first link whose label starts with ``label_start``."""
    from ecm.params import read_address

    (link, *_) = [e.proto for e in at.get("page_link") if e.proto.label.startswith(label_start)]
    return read_address(link.query_string)


def test_the_plan_page_takes_the_year_and_the_area_links_to_it_in_its_year(
    use_demo_database, demo_engine
) -> None:
    la = first_la(demo_engine)
    at = open_app("app_pages/plan.py", la=la, period="2006/07")
    assert not at.exception
    assert at.selectbox(key="param_period").value == "2006/07"
    assert "gaps as of 2006/07" in " ".join(c.value for c in at.caption) or any(
        "in force in 2006/07" in i.body for i in at.info
    )
    area = open_app("app_pages/area.py", la=la, period="2006/07")
    assert link_to(area, "Open the plan") == {"la": la, "period": "2006/07"}


def test_a_school_fills_in_its_year_and_links_to_its_area_in_that_year(
    use_demo_database, demo_engine
) -> None:
    from ecm.figures.queries import load_schools

    urn = load_schools(demo_engine, first_la(demo_engine)).iloc[0]["urn"]
    opened = open_app("app_pages/school.py", urn=urn)
    assert "period" in address(opened)
    assert "period" not in opened.query_params  # filled in place, not a history entry
    at = open_app("app_pages/school.py", urn=urn, period="2006/07")
    assert address(at)["urn"] == urn and address(at)["period"] == "2006/07"
    area = link_to(at, next(e.proto.label for e in at.get("page_link") if "area" in e.proto.label))
    assert area["period"] == "2006/07" and area["la"] == first_la(demo_engine)


def test_a_schools_action_links_open_the_plan_in_the_year_shown(demo_engine) -> None:
    from ecm.params import read_address
    from ecm.places.profile import build_profile
    from ecm.views.school import plan_actions

    for urn in pd.read_sql("SELECT urn FROM action_school", demo_engine)["urn"].head(5):
        profile = build_profile(demo_engine, "school", str(urn), "2007/08")
        links = plan_actions(profile)["Action page"] if profile else []
        for link in links:
            assert read_address(link.split("?", 1)[1])["period"] == "2007/08"
            return
    pytest.fail("no demo school with plan actions in 2007/08")


def linked_periods(at: AppTest) -> dict[str, set[str]]:
    """Every link column of the page's tables: column -> the years its links carry."""
    from ecm.params import read_address

    found: dict[str, set[str]] = {}
    for frame in (d.value for d in at.dataframe):
        for column in frame.columns:
            links = [v for v in frame[column] if isinstance(v, str) and v.startswith("/")]
            if links:
                years = {read_address(v.split("?", 1)[1]).get("period", "") for v in links}
                found.setdefault(column, set()).update(years)
    return found


def test_table_links_carry_the_year_shown(use_demo_database, demo_engine) -> None:
    from ecm.figures.queries import load_regions

    la = first_la(demo_engine)
    area = linked_periods(open_app("app_pages/area.py", la=la, period="2006/07"))
    assert area["Turn the curve"] == {"2006/07"}
    region = load_regions(demo_engine).iloc[0]["code"]
    regional = linked_periods(open_app("app_pages/region.py", code=region, period="2006/07"))
    assert regional["Link"] == {"2006/07"}
    plan = linked_periods(open_app("app_pages/plan.py", la=la, period="2009/10"))
    assert plan["Action page"] == {"2009/10"} and plan["Turn the curve"] == {"2009/10"}


def test_the_plan_page_names_an_unknown_gap_and_what_it_shows_instead(
    use_demo_database, demo_engine
) -> None:
    at = open_app("app_pages/plan.py", la=first_la(demo_engine), gap="no_such:nobody")
    assert not at.exception
    shown = at.selectbox(key="param_gap")
    said = [w.body.replace("\\", "") for w in at.warning if "gap no" in w.body]
    assert said == [
        "The address's gap no_such:nobody names no indicator and pupil group the store holds; "
        f"Turn the curve shows {shown.options[0]} instead, and its picker lists the plan's "
        "gaps and values."
    ]
    assert shown.value != "no_such:nobody" and "no_such:nobody" not in shown.options


@pytest.mark.parametrize("page", ["app_pages/area.py", "app_pages/plan.py"])
def test_a_panel_beyond_the_last_is_named_and_the_last_shown(
    use_demo_database, demo_engine, page: str
) -> None:
    at = open_app(page, la=first_la(demo_engine), period="2009/10", present="1", panel="99")
    assert not at.exception
    (said,) = [w.body for w in at.warning if "panel 99" in w.body]
    count = int(said.split("this page has ")[1].split(" ")[0])
    assert said.startswith(f"The address asks for panel 99, but this page has {count} panels; ")
    assert f"showing panel {count}, " in said
    assert any(f"Panel {count} of {count}" in m.value for m in at.markdown)
    assert address(at)["panel"] == str(count)


@pytest.mark.parametrize(
    ("page", "title"),
    [("app_pages/plan.py", ": Children and Young People's Plan"), ("app_pages/gaps.py", "Gap")],
)
def test_the_plan_and_gap_explorer_take_the_one_line_header_when_presenting(
    use_demo_database, demo_engine, page: str, title: str
) -> None:
    at = open_app(page, la=first_la(demo_engine), present="1")
    assert not at.exception
    assert len(at.title) == 1 and title in at.title[0].value
    # The year sits in the header, its label hidden, as on the place pages.
    year = at.selectbox(key="param_period")
    assert year.proto.label_visibility.value == year.proto.label_visibility.COLLAPSED
    assert [b.label for b in at.button if b.label in ("Previous", "Next", "Leave")] == [
        "Previous",
        "Next",
        "Leave",
    ]
