"""The address's parameters: each has one rule for its form (ecm.params)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecm.params import (
    PARAMETERS,
    BadParameter,
    address_query,
    carried_link,
    carried_params,
    check_param,
    cut,
    read_address,
)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("urn", "116208"),
        ("urn", "900001"),
        ("la", "E10000014"),
        ("la", "850"),
        ("la", "Z10000001"),
        ("code", "E12000008"),
        ("period", "2008/09"),
        ("period", "1999/00"),
        ("indicator", "ni_73"),
        ("group", "not_disadvantaged"),
        ("level", "school"),
        ("gap", "ni_73:fsm"),
        ("action", "12"),
        ("present", "1"),
        ("panel", "3"),
    ],
)
def test_well_formed_values_pass_unchanged(name: str, value: str) -> None:
    assert check_param(name, value) == value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("urn", "12345"),
        ("urn", "1234567"),
        ("la", "E1000001"),
        ("la", "85"),
        ("code", "850"),
        ("period", "foo"),
        ("period", "2008/10"),
        ("period", "2009"),
        ("indicator", "NI 73"),
        ("group", "**bold**"),
        ("level", "county"),
        ("gap", "ni_73"),
        ("action", "0"),
        ("action", "-1"),
        ("present", "yes"),
        ("panel", "0"),
    ],
)
def test_malformed_values_are_refused_with_what_they_should_be(name: str, value: str) -> None:
    with pytest.raises(BadParameter) as refused:
        check_param(name, value)
    assert refused.value.name == name
    # The message names the value (cut; the page escapes it) and what it should be.
    expected = PARAMETERS[name].expected
    assert str(refused.value) == (
        f"The address's '{name}' “{value}” is not {expected}, so it was left out."
    )


def test_missing_values_and_parameters_without_a_rule_pass() -> None:
    assert check_param("period", None) is None
    assert check_param("period", "") is None
    assert check_param("map_indicator", "anything") == "anything"  # pickers check their options


@given(st.text(max_size=40))
def test_a_value_is_either_returned_as_it_is_or_refused(value: str) -> None:
    for name in PARAMETERS:
        try:
            assert check_param(name, value) in (value, None)
        except BadParameter as refused:
            assert refused.name == name


# --- building addresses: pure, so any selection round-trips ----------------------------------

_names = st.sampled_from(sorted(PARAMETERS))
_values = st.text(min_size=1, max_size=60).filter(lambda v: "\x00" not in v)


@given(st.dictionaries(_names, _values, max_size=8))
def test_any_selection_round_trips_through_the_address(selection: dict[str, str]) -> None:
    assert read_address(address_query(selection)) == selection
    assert read_address("?" + address_query(selection)) == selection


def test_empty_values_are_left_out_of_the_address() -> None:
    assert address_query({"la": "E10000014", "period": None, "urn": ""}) == "la=E10000014"


@given(st.text(max_size=6000))
def test_a_value_is_cut_to_forty_characters_with_an_ellipsis(value: str) -> None:
    shown = cut(value)
    assert len(shown) <= 40
    assert shown == value or (shown.endswith("…") and value.startswith(shown[:-1]))


def test_the_refusal_names_the_value_cut() -> None:
    with pytest.raises(BadParameter) as refused:
        check_param("urn", "9" * 5000)
    assert "“" + "9" * 39 + "…”" in str(refused.value)


def test_links_carry_the_year_and_presentation_unless_they_name_their_own() -> None:
    current = {"urn": "116208", "period": "2007/08", "present": "1", "panel": "3"}
    assert carried_params(current, la="E10000014") == {
        "la": "E10000014",
        "period": "2007/08",
        "present": "1",
    }
    assert carried_params(current, la="850", period="2009/10")["period"] == "2009/10"
    assert "period" not in carried_params(current, la="850", period="")


def test_a_table_link_carries_the_year_unless_it_names_one() -> None:
    current = {"period": "2006/07", "present": None, "urn": "116208"}
    assert carried_link("/area?la=E10000014", current) == "/area?la=E10000014&period=2006%2F07"
    # A link that names its own year keeps it (a school's actions: the year shown there).
    assert carried_link("/plan?la=850&action=3&period=2009/10", current) == (
        "/plan?la=850&action=3&period=2009%2F10"
    )
    assert carried_link("/region?code=E12000008", {}) == "/region?code=E12000008"
    assert carried_link("https://example.org/x", current) == "https://example.org/x"
