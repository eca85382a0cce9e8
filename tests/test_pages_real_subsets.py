"""Every page, for every kind of place, renders on stores built from subsets of the real files
(one performance table; the register and one table; LAIT and neighbours; one Fingertips
series; everything), with no exception, and says in words what is missing (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import REAL_SUBSETS, signed_in_app

pytestmark = pytest.mark.realdata

ROOT = Path(__file__).resolve().parents[1]
#: Every page of the app's navigation (dashboard.py).
PAGES = [
    "home",
    "school",
    "area",
    "region",
    "gaps",
    "plan",
    "profile",
    "indicators",
    "data",
    "accessibility",
]
#: Real places: Balksbury Junior School (Hampshire), Hampshire, the South East; and none (the
#: page's default).
PLACES = {
    "none": {},
    "school": {"urn": "115852"},
    "la": {"la": "E10000014", "period": "2018/19"},
    "region": {"region": "E12000008", "code": "E12000008", "period": "2018/19"},
}


def open_page(url: str, page: str, params: dict[str, str]) -> AppTest:
    """Run the app on the store ``url`` as a browser opening ``page`` with ``params``."""
    at = signed_in_app(url)
    at.default_timeout = 120
    at.query_params.update(params)
    at.switch_page(str(ROOT / "app_pages" / f"{page}.py"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECM_DATABASE_URL", url)
        at.run()
    return at


def words(at: AppTest) -> str:
    """Everything the page says in words: text, notes, warnings and errors."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [b.body for kind in (at.info, at.warning, at.error) for b in kind]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("subset", list(REAL_SUBSETS))
def test_every_page_renders_for_every_place_on_a_subset_of_the_real_files(
    real_stores, subset: str, page: str
) -> None:
    url = real_stores.url(subset)
    for kind, params in PLACES.items():
        at = open_page(url, page, params)
        assert not at.exception, (kind, [e.message for e in at.exception])
        assert not any("Fictional demo data" in w.body for w in at.warning), kind


#: Where a piece is missing, the page says so where it would have been drawn:
#: (subset, page, place, a sentence it must show).
MISSING = [
    # Hampshire's KS2 table alone: no neighbour set, no other authority to compare with.
    ("ks2_only", "area", "la", "No statistical neighbours' figures: the store holds no"),
    ("ks2_only", "area", "la", "No figures to compare with all authorities: the store holds"),
    # LAIT alone: LA figures but no school.
    ("lait_and_neighbours", "area", "la", "The store holds no schools in Hampshire"),
    ("lait_and_neighbours", "area", "la", "No school gaps to plot: the store holds no school"),
    ("lait_and_neighbours", "school", "school", "No school with URN 115852 is in the store."),
    # One Fingertips series: Hampshire is not among its areas; no KS2 figures to explore.
    ("one_fingertips_file", "area", "la", "No local authority with code E10000014"),
    ("one_fingertips_file", "gaps", "none", "The store holds no national figures for this"),
    # The register and one table: no plan, and no figures held for the region itself.
    ("register_and_ks2", "plan", "la", "the store holds none for it."),
    ("register_and_ks2", "profile", "region", "The store holds no figures for this place yet."),
]


@pytest.mark.parametrize(("subset", "page", "place", "sentence"), MISSING)
def test_a_missing_piece_is_said_in_words(
    real_stores, subset: str, page: str, place: str, sentence: str
) -> None:
    at = open_page(real_stores.url(subset), page, PLACES[place])
    assert not at.exception, [e.message for e in at.exception]
    assert sentence in words(at)


def test_the_gap_explorer_opens_on_the_schools_of_the_authority_in_its_address(
    real_stores,
) -> None:
    at = open_page(real_stores.url("register_and_ks2"), "gaps", {"la": "E10000014"})
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="param_level").value == "school"
    assert at.selectbox(key="param_within_region").value == "E12000008"
    assert at.selectbox(key="param_within_la").value == "E10000014"
    unknown = open_page(real_stores.url("register_and_ks2"), "gaps", {"la": "E10000999"})
    assert "The authority in the address is not in the store" in words(unknown)
    assert unknown.selectbox(key="param_level").value == "la"


def test_balksbury_headline_plan_panel_and_link_agree_that_no_plan_is_in_force(
    real_stores,
) -> None:
    """Balksbury Junior School (Hampshire, 2018/19): the headline says no plan is in force, so
    the plan panel and the plan link say the same, naming the year; the trends heading names
    the three years the chosen indicator's chart shows."""
    from ecm.params import read_address

    at = open_page(real_stores.url("everything"), "school", PLACES["school"])
    assert not at.exception
    said = words(at)
    assert "Plan: **no plan is in force in 2018/19**." in said
    assert "**No plan of Hampshire is in force in 2018/19**, so no action targets" in said
    assert "No action in the area's plan" not in said
    (link,) = [e.proto for e in at.get("page_link") if e.proto.page.endswith("plan")]
    assert link.label == (
        "What the plan does about this gap: no plan of Hampshire is in force in 2018/19"
    )
    assert read_address(link.query_string)["period"] == "2018/19"
    headers = [h.value for h in at.header]
    assert "Trends: 2016/17 to 2018/19, three years of figures" in headers
    assert not any(h.startswith("Trends over") for h in headers)
    plan = open_page(real_stores.url("everything"), "plan", read_address(link.query_string))
    assert any("in force in 2018/19" in i.body for i in plan.info)
