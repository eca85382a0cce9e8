"""The refs that name plan actions in their files."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ecm.plan.refs import next_ref, refs_in_order


def test_a_new_ref_follows_the_highest_numbered_one() -> None:
    assert next_ref([]) == "A1"
    assert next_ref(["A1", "A7", None, "KS2-a", "A03"]) == "A8"
    assert next_ref(["Reading", "B2"]) == "A1"


def test_stored_refs_are_kept_and_missing_or_repeated_ones_are_given_new() -> None:
    assert refs_in_order([(5, "A2"), (6, None), (7, "KS2"), (8, "A2")]) == {
        5: "A2",
        6: "A3",
        7: "KS2",
        8: "A4",
    }


@given(st.lists(st.one_of(st.none(), st.sampled_from(["A1", "A2", "A10", "X", ""])), max_size=12))
def test_every_action_gets_a_ref_no_other_holds(stored: list[str | None]) -> None:
    refs = refs_in_order(list(enumerate(stored)))
    assert list(refs) == list(range(len(stored)))
    assert len(set(refs.values())) == len(stored)
    for action_id, ref in enumerate(stored):
        if ref and ref not in stored[:action_id]:
            assert refs[action_id] == ref
