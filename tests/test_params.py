"""The address's parameters: each has one rule for its form (ecm.params)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecm.params import PARAMETERS, BadParameter, check_param


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
    # The message is built from the rule alone: a value from outside is never echoed.
    expected = PARAMETERS[name].expected
    assert str(refused.value) == f"The address's '{name}' is not {expected}, so it was left out."


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
