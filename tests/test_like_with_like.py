"""Like with like: special schools are compared with special schools, never ranked or put in a
funnel with mainstream ones; and the explorer's widest and narrowest lists give tied gaps one
rank and leave out tiny focus groups, saying so.

On the real Hampshire KS2 table for 2018/19 (16 community special schools among its rows,
15 of them with reading, writing and maths figures), 5 special schools had a disadvantaged
gap in reading, writing and maths, and every one of the 5 lay above the funnel's limits: the
issue's "special schools named as the top outliers of a mainstream KS2 funnel". The expected
sets are counted here from the file itself, not by the product.
"""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import Engine

from ecm.importers.geography import ensure_schools
from ecm.places.explorer import MIN_RANKED_PUPILS, GapExploration, explore_gaps, with_ranks
from ecm.places.profile import build_profile
from ecm.store.engine import make_engine
from ecm.store.school_types import (
    ALL_SCHOOLS,
    MAINSTREAM,
    SPECIAL,
    STATE_FUNDED,
    comparison_phase,
    is_special,
    school_set_words,
)
from ecm.views.gaps import (
    RANKED_EACH_END,
    compared_places_caption,
    on_ranked_chart,
    ranked_rows,
    ranking_rule,
)
from tests.helpers import GIAS, KS2, PT, open_app, read

YEAR = "2018/19"
#: The register's (Get Information About Schools) special-school types: its vocabulary, which
#: the real register extract (mainstream schools of LAs 850 and 936) does not use.
REGISTER_SPECIAL_TYPES = (
    "Community special school",
    "Foundation special school",
    "Academy special converter",
    "Academy special sponsor led",
    "Free schools special",
    "Non-maintained special school",
    "Other independent special school",
)


def _rows(path) -> list[dict[str, str]]:  # noqa: ANN001
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- which schools are special (ecm.store.school_types) ----------------------------------------


@pytest.mark.realdata
def test_every_real_nftype_code_is_special_exactly_when_its_row_is_a_special_schools() -> None:
    # KS2 and KS4 tables list special schools under RECTYPE 2, mainstream under 1.
    seen: Counter[tuple[str, bool]] = Counter()
    for path in sorted((PT / "hampshire").glob("*.csv")):
        for row in _rows(path):
            if row["RECTYPE"] in ("1", "2") and row["NFTYPE"].strip():
                assert is_special(None, row["NFTYPE"]) is (row["RECTYPE"] == "2"), (path, row)
                seen[(row["NFTYPE"].strip(), row["RECTYPE"] == "2")] += 1
    special = sorted(code for code, flag in seen if flag)
    mainstream = sorted(code for code, flag in seen if not flag)
    assert special == ["ACCS", "ACS", "CYS", "INDSPEC", "NMSS"]
    assert mainstream == ["AC", "ACC", "CY", "F", "FD", "IND", "VA", "VC"]
    # The field guide's other special codes, and codes spelled out as the store keeps them.
    assert is_special(None, "FDS") and is_special(None, "FS")
    assert is_special(None, "Community special school")
    assert not is_special(None, "Community school")


@pytest.mark.realdata
def test_register_types_special_and_mainstream() -> None:
    rows = _rows(GIAS)
    types = Counter(row["TypeOfEstablishment (name)"] for row in rows)
    assert sorted(types) == [
        "Academy converter",
        "Academy sponsor led",
        "Community school",
        "Foundation school",
        "Free schools",
        "Voluntary aided school",
        "Voluntary controlled school",
    ]
    # Every type in the real extract is a mainstream school's, whatever its phase.
    assert not any(
        is_special(row["PhaseOfEducation (name)"], row["TypeOfEstablishment (name)"])
        for row in rows
    )
    assert all(is_special(None, name) for name in REGISTER_SPECIAL_TYPES)
    # The phase decides too: a special school known only by its phase.
    assert is_special("special", None) and is_special(" Special ", "Community school")
    assert not is_special("primary", None) and not is_special(None, None)


def test_the_phase_a_school_is_compared_within() -> None:
    assert comparison_phase("primary", "CYS") == SPECIAL
    assert comparison_phase("primary", "Community special school") == SPECIAL
    assert comparison_phase("primary", "CY") == "primary"
    assert comparison_phase(None, "Academy converter") is None
    assert comparison_phase("secondary", None) == "secondary"


def test_set_words_name_the_kind() -> None:
    assert school_set_words("primary", STATE_FUNDED, 297, kind=MAINSTREAM) == (
        "297 mainstream state-funded primary schools"
    )
    assert school_set_words("special", STATE_FUNDED, 15, kind=SPECIAL) == (
        "15 state-funded special schools"
    )
    assert school_set_words(None, STATE_FUNDED, 5, kind=SPECIAL) == "5 state-funded special schools"
    assert school_set_words("secondary", ALL_SCHOOLS, 89, kind=MAINSTREAM) == (
        "all 89 mainstream secondary schools (independent schools included)"
    )
    # Without a kind, as before.
    assert school_set_words("primary", STATE_FUNDED, 412) == "412 state-funded primary schools"


def test_a_special_school_a_results_file_calls_primary_is_stored_as_special(
    catalogue_store: Engine,
) -> None:
    schools = pd.DataFrame(
        {
            "urn": ["900001", "900002", "900003"],
            "name": ["A Special", "A Primary", "Known Special"],
            "phase": ["primary", "primary", None],
            "school_type": ["Community special school", "Community school", "FDS"],
        }
    )
    with catalogue_store.begin() as connection:
        ensure_schools(connection, schools)
        # A later file names the known special school's phase after its key stage, no type.
        ensure_schools(connection, pd.DataFrame({"urn": ["900003"], "phase": ["primary"]}))
    rows = read(catalogue_store, "SELECT urn, phase FROM school ORDER BY urn")
    assert [tuple(r) for r in rows] == [
        ("900001", "special"),
        ("900002", "primary"),
        ("900003", "special"),
    ]


# --- the gap explorer on the real KS2 table -----------------------------------------------------


@pytest.fixture(scope="module")
def ks2(real_stores) -> Engine:  # noqa: ANN001
    return make_engine(real_stores.url("ks2_only"))


def _file_schools() -> tuple[set[str], set[str]]:
    """URNs of the KS2 table's mainstream (RECTYPE 1) and special (RECTYPE 2) schools."""
    rows = [r for r in _rows(KS2) if r["URN"].strip().isdigit()]
    return (
        {r["URN"].strip() for r in rows if r["RECTYPE"] == "1"},
        {r["URN"].strip() for r in rows if r["RECTYPE"] == "2"},
    )


@pytest.mark.realdata
def test_a_mainstream_funnel_holds_no_special_school(ks2: Engine) -> None:
    mainstream, special = _file_schools()
    assert len(special) == 16  # one without a reading, writing and maths row
    result = explore_gaps(ks2, "ptrwm_exp", "disadvantaged", "school", YEAR)
    urns = set(result.gaps["area_code"])
    assert urns <= mainstream and not urns & special
    assert result.summary["places"] == 297 and result.summary["with_figures"] == 182
    assert result.summary["other_kind"] == 15
    assert result.places_words == "297 mainstream state-funded primary schools"
    assert compared_places_caption(result).startswith(
        "Among 297 mainstream state-funded primary schools. 15 special schools with this "
        "indicator are compared apart (choose special schools)."
    )
    # The mainstream schools' positions are the same as when the special schools were in: the
    # limits depend only on the national figures and each school's size.
    outliers = result.gaps[result.gaps["position"].isin(["above 99.8%", "above 95%"])]
    assert len(outliers) == 12 and result.summary["above_998"] == 4


@pytest.mark.realdata
def test_special_schools_are_compared_with_special_schools(ks2: Engine) -> None:
    _, special = _file_schools()
    result = explore_gaps(ks2, "ptrwm_exp", "disadvantaged", "school", YEAR, kind=SPECIAL)
    assert set(result.gaps["area_code"]) <= special and result.summary["places"] == 15
    shown = result.gaps[result.gaps["gap"].notna()]
    # The 5 special schools with a gap, each of which a mixed funnel named an outlier.
    assert sorted(shown["area_code"]) == ["116605", "116607", "116635", "131068", "135823"]
    assert set(shown["position"]) == {"above 95%", "above 99.8%"}
    assert result.places_words == "15 state-funded special schools"
    assert "297 mainstream schools with this indicator are compared apart" in (
        compared_places_caption(result)
    )
    # Only two of them have 10 or more disadvantaged pupils; they tie on 71.0 and share rank 1.
    assert result.summary["too_small"] == 3
    assert list(ranked_rows(result)["rank"]) == [1, 1]


@pytest.mark.realdata
def test_a_special_schools_page_compares_it_with_special_schools(ks2: Engine) -> None:
    profile = build_profile(ks2, "school", "116635", YEAR)  # Wolverdene Special School
    assert profile["geography"]["phase"] == SPECIAL
    ranks = {
        o["indicator"]: o["rank"]
        for o in profile["observations"]
        if o["group"] == "all" and o["rank"] is not None
    }
    assert ranks["ptrwm_exp"]["among"] == "among 14 state-funded special schools loaded"
    assert ranks["ptrwm_exp"]["of"] == 14


@pytest.mark.realdata
def test_the_explorer_page_offers_and_names_the_kind(real_stores, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ECM_DATABASE_URL", real_stores.url("ks2_only"))
    params = {"indicator": "ptrwm_exp", "group": "disadvantaged", "level": "school"}
    at = open_app("app_pages/gaps.py", period=YEAR, kind="special", **params)
    assert not at.exception
    assert at.selectbox(key="param_kind").value == SPECIAL
    words = " ".join(c.value for c in at.caption)
    assert "Among 15 state-funded special schools." in words
    assert "Ties share a rank" in words and "(3 left out;" in words
    at = open_app("app_pages/gaps.py", period=YEAR, kind="secondary", **params)
    assert not at.exception
    assert at.selectbox(key="param_kind").value == MAINSTREAM
    assert "Among 297 mainstream state-funded primary schools." in " ".join(
        c.value for c in at.caption
    )


# --- ties and tiny groups in the widest and narrowest lists ------------------------------------


def _exploration(gaps: list[float], sizes: list[float | None]) -> GapExploration:
    places = pd.DataFrame(
        {
            "area_code": [f"p{i}" for i in range(len(gaps))],
            "name": [f"Place {i}" for i in range(len(gaps))],
            "gap": gaps,
            "lower": [g - 1 for g in gaps],
            "upper": [g + 1 for g in gaps],
            "significant": [True] * len(gaps),
            "size": sizes,
        }
    ).sort_values("gap", ascending=False)
    places = with_ranks(places.reset_index(drop=True))
    summary = {
        "too_small": int(places["too_small"].sum()),
        "ranked": int(places["rank"].notna().sum()),
    }
    return GapExploration({}, "f", "c", "la", YEAR, [YEAR], places, summary=summary)


def test_ties_share_a_rank_and_tiny_groups_are_not_ranked() -> None:
    result = _exploration([9.0, 7.04, 7.0, 5.0, 3.0], [20, 30, 12, 9, None])
    gaps = result.gaps
    # 7.04 and 7.0 read the same (7.0): both rank 2; the next is 4. Size 9 is left out;
    # a place without a published size is ranked.
    assert list(gaps["rank"].astype("float").fillna(0)) == [1, 2, 2, 0, 4]
    assert list(gaps["rank_narrow"].astype("float").fillna(0)) == [4, 2, 2, 0, 1]
    assert list(gaps["too_small"]) == [False, False, False, True, False]
    assert result.summary["too_small"] == 1
    assert ranking_rule(result) == (
        f"Ties share a rank, and every place tied at the {RANKED_EACH_END}th widest or "
        f"narrowest gap is shown. Places whose focus group has fewer than {MIN_RANKED_PUPILS} "
        "pupils are left out of the ranking (1 left out; they are in the table of every "
        "place, without a rank)."
    )
    assert list(ranked_rows(result)["label"]) == ["Place 0", "Place 1", "Place 2", "Place 4"]


def test_a_tie_at_the_end_of_a_list_is_shown_whole() -> None:
    # 50 places: the 20th to 22nd widest tie, so 22 widest and 20 narrowest are drawn.
    gaps = [100.0 - i for i in range(19)] + [50.0, 50.0, 50.0] + [float(-i) for i in range(28)]
    result = _exploration(gaps, [40.0] * len(gaps))
    shown = on_ranked_chart(result)
    assert int(shown.sum()) == 42
    assert list(result.gaps.loc[shown, "rank"].head(22)) == [*range(1, 20), 20, 20, 20]
    assert list(ranked_rows(result)["rank"].tail(1)) == [50]


def test_the_migration_marks_stored_special_schools(engine: Engine) -> None:
    from sqlalchemy import text

    from ecm.store.engine import upgrade_schema

    upgrade_schema(engine, "0012")
    with engine.begin() as connection:
        for urn, phase, kind in (
            ("1", "primary", "Community special school"),
            ("2", "primary", "CYS"),
            ("3", "primary", "Community school"),
            ("4", None, None),
        ):
            connection.execute(
                text(
                    "INSERT INTO school (urn, name, phase, school_type, fictional) "
                    "VALUES (:urn, 'School', :phase, :kind, false)"
                ),
                {"urn": urn, "phase": phase, "kind": kind},
            )
    upgrade_schema(engine)
    rows = read(engine, "SELECT urn, phase FROM school ORDER BY urn")
    assert [tuple(r) for r in rows] == [
        ("1", "special"),
        ("2", "special"),
        ("3", "primary"),
        ("4", None),
    ]
