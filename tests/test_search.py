"""The place search: ranking and typo tolerance (pure, on candidates made here), and the
search over real stores (the real register and the fictional demo), with its results' words
and addresses."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm.figures.search import digits_of, normalise, search_candidates, trigrams
from ecm.places.search import (
    EXACT_CODE,
    NAME_LIKE,
    NAME_PREFIX,
    rank_places,
    search_places,
)
from ecm.views.search import more_line, result_address, result_label


def _school(urn: str, name: str, laestab: str, status: str = "open", closed=None) -> dict:
    return {
        "kind": "school",
        "code": urn,
        "name": name,
        "laestab": laestab,
        "phase": "primary",
        "status": status,
        "closed_on": closed,
        "la_code": "E10000014",
        "la_number": "850",
        "la_name": "Hampshire",
        "region_code": "E12000008",
        "region_name": "South East",
    }


CANDIDATES = pd.DataFrame(
    [
        _school("115852", "Balksbury Junior School", "8502101"),
        _school("116063", "Balksbury Infant School", "8502102"),
        _school("115851", "Anstey Junior School", "8502005"),
        _school("124938", "Warren Mead Junior School", "8502300", "closed", "2014-03-31"),
        _school("140810", "Warren Mead Junior School", "8502301"),
        _school("115999", "Hampshire Hospital School", "8507000"),
        {
            "kind": "la",
            "code": "E10000014",
            "name": "Hampshire",
            "la_code": "E10000014",
            "la_number": "850",
            "la_name": "Hampshire",
            "region_code": "E12000008",
            "region_name": "South East",
        },
        {"kind": "region", "code": "E12000008", "name": "South East"},
        {"kind": "region", "code": "E12000009", "name": "South West"},
    ]
)


def _codes(text: str) -> list[str]:
    return list(rank_places(CANDIDATES, text).matches["code"])


def test_a_typo_in_a_school_name_still_finds_it() -> None:
    found = rank_places(CANDIDATES, "Balksbry").matches
    assert set(found["code"]) == {"115852", "116063"}
    assert set(found["tier"]) == {NAME_LIKE}
    assert (found["score"] > 90).all()


def test_urn_and_laestab_with_or_without_the_slash_find_the_school_first() -> None:
    for text in ("115851", "850/2005", "8502005", " 850/2005 "):
        found = rank_places(CANDIDATES, text).matches
        assert found.iloc[0]["code"] == "115851"
        assert found.iloc[0]["tier"] == EXACT_CODE


def test_la_by_name_code_and_number_and_region_by_code() -> None:
    assert _codes("E10000014")[0] == "E10000014"
    assert _codes("850")[0] == "E10000014"
    assert _codes("e12000008") == ["E12000008"]
    # The authority's name: the LA first, then the school whose name contains it.
    assert _codes("Hampshire") == ["E10000014", "115999"]
    assert _codes("Hampshre")[0] == "E10000014"


def test_ranking_exact_code_then_prefix_then_like() -> None:
    found = rank_places(CANDIDATES, "South East").matches
    assert list(found["code"])[0] == "E12000008"
    assert list(found["tier"])[0] == NAME_PREFIX
    # An open school comes before the closed one of the same name.
    assert _codes("Warren Mead") == ["140810", "124938"]


def test_the_list_is_capped_and_says_how_many_more_matched() -> None:
    results = rank_places(CANDIDATES, "school", limit=2)
    assert len(results.matches) == 2
    assert results.more == 4
    assert more_line(results) == "4 more places matched: type more of the name, or a code."
    assert more_line(rank_places(CANDIDATES, "Anstey")) is None


def test_a_short_name_inside_the_text_typed_is_not_a_match() -> None:
    bury = {"kind": "la", "code": "E08000002", "name": "Bury", "la_number": "351"}
    with_bury = pd.concat([CANDIDATES, pd.DataFrame([bury])], ignore_index=True)
    assert "E08000002" not in set(rank_places(with_bury, "Balksbury Junior School").matches["code"])
    assert "E08000002" not in set(rank_places(with_bury, "Balksbury").matches["code"])
    assert list(rank_places(with_bury, "Bury").matches["code"])[:1] == ["E08000002"]
    assert list(rank_places(with_bury, "Burry").matches["code"]) == ["E08000002"]


def test_nothing_matches_unrelated_text() -> None:
    assert rank_places(CANDIDATES, "Zebedee").matches.empty
    assert rank_places(CANDIDATES, "   ").matches.empty


def test_normalise_and_codes() -> None:
    assert normalise("St Mary's C of E  (Aided)") == "st marys c of e aided"
    assert normalise("Ecole Élan") == "ecole elan"
    assert digits_of("850/2005") == digits_of("8502005") == "8502005"
    assert digits_of("Balksbury") is None
    assert trigrams("Balksbury Junior School") == ["bal", "alk", "lks", "ksb", "sbu", "bur", "ury"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(CANDIDATES[CANDIDATES["kind"] == "school"]["name"])), st.data())
def test_one_changed_letter_in_a_long_word_still_finds_the_school(name: str, data) -> None:
    """A single-letter typo in the name's first word (of six letters or more) keeps the
    school among the results."""
    word = name.split()[0]
    if len(word) < 6:
        return
    position = data.draw(st.integers(1, len(word) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    typo = word[:position] + letter + word[position + 1 :]
    found = rank_places(CANDIDATES, typo).matches
    assert name in set(found["name"])


@given(st.text(max_size=40))
@settings(max_examples=80, deadline=None)
def test_any_text_gives_a_ranked_list_without_failing(text: str) -> None:
    results = rank_places(CANDIDATES, text)
    assert list(results.matches["tier"]) == sorted(results.matches["tier"])
    assert results.more >= 0


def test_result_words_and_addresses() -> None:
    closed = rank_places(CANDIDATES, "124938").matches.to_dict("records")[0]
    assert result_label(closed) == (
        "Warren Mead Junior School · school, URN 124938, primary, Hampshire, "
        "closed on 31 March 2014"
    )
    assert result_address(closed) == ("school", {"urn": "124938"})
    la = rank_places(CANDIDATES, "E10000014").matches.to_dict("records")[0]
    assert result_label(la) == "Hampshire · local authority 850, South East"
    assert result_address(la) == ("area", {"la": "E10000014"})
    region = rank_places(CANDIDATES, "E12000008").matches.to_dict("records")[0]
    assert result_address(region) == ("region", {"code": "E12000008"})


def test_names_from_data_are_escaped_in_labels() -> None:
    odd = pd.DataFrame([_school("100001", "*Sure Start* [x](http://e.vil)", "8509999")])
    label = result_label(rank_places(odd, "100001").matches.to_dict("records")[0])
    assert label.startswith(r"\*Sure Start\* \[x\]\(http\:")


@pytest.mark.realdata
def test_search_on_the_real_register(real_stores) -> None:
    from ecm.store.engine import make_engine

    engine = make_engine(real_stores.url("register_and_ks2"))
    try:
        balksbury = search_places(engine, "Balksbry").matches
        assert {"115852", "116063"} <= set(balksbury["code"])
        assert search_places(engine, "850/2005").matches.iloc[0]["code"] == "115855"
        mead = search_places(engine, "Warren Mead Junior").matches
        rows = mead[mead["name"] == "Warren Mead Junior School"]
        assert list(rows["code"]) == ["140810", "124938"]
        assert list(rows["status"]) == ["open", "closed"]
        assert str(rows.iloc[1]["closed_on"]) == "2014-03-31"
        assert search_places(engine, "Hampshire").matches.iloc[0]["code"] == "E10000014"
        # SQL keeps the candidates few: a name's pieces, not the whole register.
        assert len(search_candidates(engine, "Balksbry").query("kind == 'school'")) < 300
    finally:
        engine.dispose()
