"""Disclosure control: small figures withheld, and nothing withheld derivable by subtraction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm.disclosure.rules import (
    COMPLEMENTS,
    SUPPRESSED_MARKER,
    DisclosureRules,
    apply_disclosure_control,
    redact,
)

STATISTICS = {"ks2": "proportion", "cla_count": "count"}


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "indicator_code",
        "level",
        "area_code",
        "group_code",
        "period",
        "numerator",
        "denominator",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["value"] = out["numerator"] / out["denominator"] * 100
    return out


def test_primary_rules() -> None:
    result = apply_disclosure_control(
        frame(
            [
                ("ks2", "school", "A", "all", "2009/10", 3, 5),  # denominator under 6
                ("ks2", "school", "B", "all", "2009/10", 6, 6),  # six pupils: shown
                ("ks2", "school", "C", "all", "2009/10", 3, 40),  # three pupils reached it
                ("ks2", "school", "D", "all", "2009/10", 0, 40),  # zero is shown
            ]
        ),
        STATISTICS,
        DisclosureRules(),
    )
    assert result["suppressed"].tolist() == [True, False, True, False]
    assert result["marker"].tolist() == [SUPPRESSED_MARKER, None, SUPPRESSED_MARKER, None]
    assert result.loc[0, ["value", "numerator", "denominator"]].isna().all()
    assert result.loc[1, "value"] == 100.0


def test_counts_of_one_to_five_are_withheld() -> None:
    counts = pd.DataFrame(
        {
            "indicator_code": "cla_count",
            "level": "la",
            "area_code": ["A", "B", "C"],
            "group_code": "all",
            "period": "2010",
            "value": [0.0, 5.0, 6.0],
        }
    )
    result = apply_disclosure_control(counts, STATISTICS, DisclosureRules())
    assert result["suppressed"].tolist() == [False, True, False]


def test_the_complement_of_a_withheld_group_is_withheld_too() -> None:
    result = apply_disclosure_control(
        frame(
            [
                ("ks2", "school", "A", "all", "2009/10", 20, 30),
                ("ks2", "school", "A", "disadvantaged", "2009/10", 2, 4),
                ("ks2", "school", "A", "not_disadvantaged", "2009/10", 18, 26),
                ("ks2", "school", "A", "boys", "2009/10", 10, 15),
                ("ks2", "school", "A", "girls", "2009/10", 10, 15),
            ]
        ),
        STATISTICS,
        DisclosureRules(),
    )
    hidden = dict(zip(result["group_code"], result["suppressed"], strict=True))
    assert hidden == {
        "all": False,
        "disadvantaged": True,
        "not_disadvantaged": True,
        "boys": False,
        "girls": False,
    }


def test_a_group_of_no_pupils_is_shown_and_never_withheld_to_protect_another() -> None:
    """Boys at a girls' school: 0 of 0 is not small (zero is shown) and, its emptiness being
    public, withholding it would protect nothing. So a girls' school's figures all stay shown;
    and where its girls are withheld, the all-pupil figure (the girls again) goes with them."""
    rows = [
        ("ks2", "school", "G", "all", "2009/10", 40, 60),
        ("ks2", "school", "G", "girls", "2009/10", 40, 60),
        ("ks2", "school", "G", "boys", "2009/10", 0, 0),
    ]
    result = apply_disclosure_control(frame(rows), STATISTICS, DisclosureRules())
    assert result["suppressed"].tolist() == [False, False, False]
    assert result.loc[2, ["numerator", "denominator"]].tolist() == [0.0, 0.0]
    girls_withheld = frame(rows)
    girls_withheld.loc[1, ["value", "numerator", "marker"]] = [np.nan, np.nan, "SUPP"]
    result = apply_disclosure_control(girls_withheld, STATISTICS, DisclosureRules(), reasons=True)
    assert result["suppressed"].tolist() == [True, True, False]
    assert result["withheld_reason"].tolist() == ["complement", "publisher", None]


def test_an_empty_school_is_never_the_sibling_that_protects_a_withheld_one() -> None:
    """Boys of an LA's schools: B's lone withheld figure needs another withheld beside it, and
    a girls' school's 0 of 0 would hide nothing, so the smallest school with boys is taken."""
    rows = [
        ("ks2", "school", "A", "boys", "2009/10", 3, 20),
        ("ks2", "school", "G", "boys", "2009/10", 0, 0),
        ("ks2", "school", "C", "boys", "2009/10", 10, 12),
        ("ks2", "school", "D", "boys", "2009/10", 30, 40),
        ("ks2", "la", "L", "boys", "2009/10", 43, 72),
    ]
    parent = pd.Series({"A": "L", "G": "L", "C": "L", "D": "L"})
    result = apply_disclosure_control(frame(rows), STATISTICS, DisclosureRules(), parent)
    assert result["suppressed"].tolist() == [True, False, True, False, False]


def test_a_lone_withheld_school_takes_the_smallest_sibling_with_it() -> None:
    rows = [
        ("ks2", "school", "A", "all", "2009/10", 3, 4),
        ("ks2", "school", "B", "all", "2009/10", 30, 40),
        ("ks2", "school", "C", "all", "2009/10", 10, 12),
        ("ks2", "la", "L", "all", "2009/10", 43, 56),
    ]
    parent = pd.Series({"A": "L", "B": "L", "C": "L"})
    result = apply_disclosure_control(frame(rows), STATISTICS, DisclosureRules(), parent)
    assert dict(zip(result["area_code"], result["suppressed"], strict=True)) == {
        "A": True,
        "B": False,
        "C": True,
        "L": False,
    }


def test_published_markers_survive(monkeypatch) -> None:
    published = frame([("ks2", "school", "A", "all", "2018/19", np.nan, np.nan)])
    published["marker"] = "SUPP"
    result = apply_disclosure_control(published, STATISTICS)
    assert result["marker"].tolist() == ["SUPP"]
    monkeypatch.setenv("ECM_SUPPRESS_BELOW", "11")
    assert DisclosureRules.from_environment() == DisclosureRules(11, 11)


@st.composite
def schools(draw):
    """An LA of 2-6 schools whose groups add up, as in real files."""
    rows = []
    totals: dict[str, list[int]] = {}
    for i in range(draw(st.integers(2, 6))):
        cells = {
            group: (draw(st.integers(0, 12)), draw(st.integers(0, 12)))
            for group in ("disadvantaged", "not_disadvantaged")
        }
        for group, (passed, failed) in cells.items():
            rows.append(("ks2", "school", f"S{i}", group, "2009/10", passed, passed + failed))
        passed = sum(p for p, _ in cells.values())
        pupils = sum(p + f for p, f in cells.values())
        rows.append(("ks2", "school", f"S{i}", "all", "2009/10", passed, pupils))
        for group, (p, f) in [*cells.items(), ("all", (passed, pupils - passed))]:
            totals.setdefault(group, [0, 0])
            totals[group][0] += p
            totals[group][1] += p + f
    for group, (p, n) in totals.items():
        rows.append(("ks2", "la", "L", group, "2009/10", p, n))
    return frame([r for r in rows if r[6] > 0])


@settings(max_examples=150, deadline=None)
@given(data=schools())
def test_nothing_withheld_can_be_recovered_by_subtraction(data) -> None:
    parent = pd.Series("L", index=[f"S{i}" for i in range(6)])
    result = apply_disclosure_control(data, STATISTICS, DisclosureRules(), parent)
    shown = result[~result["suppressed"]]
    hidden = result[result["suppressed"]]
    # 1. Nothing shown rests on a small number.
    assert not ((shown["denominator"] < 6) | shown["numerator"].between(1, 5)).any()
    # 2. A withheld group's complement is withheld too (else all minus it gives it back).
    partner = dict(COMPLEMENTS) | {b: a for a, b in COMPLEMENTS}
    keys = set(zip(hidden["area_code"], hidden["group_code"], strict=True))
    present = set(zip(result["area_code"], result["group_code"], strict=True))
    for area, group in keys:
        if group in partner and (area, partner[group]) in present:
            assert (area, partner[group]) in keys
    # 3. No shown total has exactly one withheld part (else total minus the others gives it back).
    parts = hidden[hidden["level"] == "school"].groupby("group_code").size()
    shown_totals = set(shown.loc[shown["level"] == "la", "group_code"])
    assert not any(count == 1 and group in shown_totals for group, count in parts.items())


def test_a_figure_the_publisher_withheld_protects_its_complement() -> None:
    rows = frame(
        [
            ("ks2", "school", "A", "all", "2018/19", 20, 30),
            ("ks2", "school", "A", "disadvantaged", "2018/19", None, None),
            ("ks2", "school", "A", "not_disadvantaged", "2018/19", 17, 26),
        ]
    )
    rows.loc[1, "marker"] = "SUPP"
    result = apply_disclosure_control(rows, STATISTICS, DisclosureRules())
    assert result["suppressed"].tolist() == [False, True, True]
    assert result["marker"].tolist()[1:] == ["SUPP", SUPPRESSED_MARKER]


def test_sessions_are_not_pupils() -> None:
    absence = frame([("perctot", "school", "A", "disadvantaged", "2009/10", 89, 640)])
    absence["pupils"] = 2.0  # two pupils, 640 possible sessions
    result = apply_disclosure_control(absence, {"perctot": "proportion"}, DisclosureRules())
    assert result["suppressed"].tolist() == [True]


def test_a_withheld_figure_keeps_nothing_its_publisher_said_of_it() -> None:
    from ecm.disclosure.decisions import apply_stored

    figures = frame(
        [
            ("ks2", "la", "A", "all", "2009/10", 3, 5),  # denominator under 6: withheld
            ("ks2", "la", "B", "all", "2009/10", 30, 60),
        ]
    ).assign(published_vs_england=["worse", "similar"])
    decided = apply_disclosure_control(figures, STATISTICS, DisclosureRules())
    assert decided["published_vs_england"].isna().tolist() == [True, False]
    stored = apply_stored(figures.assign(withheld=[True, False], withheld_reason=["small", None]))
    assert stored["published_vs_england"].isna().tolist() == [True, False]
    assert stored["published_vs_england"].iloc[1] == "similar"


def test_stored_and_request_time_decisions_are_redacted_by_one_function() -> None:
    from ecm.disclosure.decisions import apply_stored

    figures = frame(
        [
            ("ks2", "la", "A", "all", "2009/10", 3, 5),  # denominator under 6: withheld
            ("ks2", "la", "B", "all", "2009/10", 30, 60),
            ("ks2", "la", "C", "all", "2009/10", np.nan, np.nan),  # the publisher's own
        ]
    ).assign(marker=[None, None, "SUPP"], published_vs_england=["worse", "similar", None])
    decided = apply_disclosure_control(figures, STATISTICS, DisclosureRules(), reasons=True)
    assert decided["suppressed"].tolist() == [True, False, True]
    assert decided["marker"].isna().tolist() == [False, True, False]
    assert decided.loc[[0, 2], "marker"].tolist() == [SUPPRESSED_MARKER, "SUPP"]
    assert decided["withheld_reason"].tolist() == ["small", None, "publisher"]
    stored = apply_stored(
        figures.assign(withheld=decided["suppressed"], withheld_reason=decided["withheld_reason"])
    )
    pd.testing.assert_frame_equal(stored, decided.drop(columns="withheld_reason"))
    pd.testing.assert_frame_equal(
        redact(figures, decided["suppressed"].to_numpy(), decided["withheld_reason"]), decided
    )


def test_published_figures_are_shown_as_published_and_the_rest_still_protected() -> None:
    rows = frame(
        [
            ("ks2", "school", "A", "all", "2018/19", 20, 30),
            ("ks2", "school", "A", "disadvantaged", "2018/19", 5, 13),  # 5 pupils: published
            ("ks2", "school", "A", "not_disadvantaged", "2018/19", 15, 17),
            ("ks2", "school", "B", "all", "2018/19", 20, 30),
            ("ks2", "school", "B", "disadvantaged", "2018/19", 4, 9),  # not published: ours
            ("ks2", "school", "B", "not_disadvantaged", "2018/19", 16, 21),
        ]
    )
    rows["published"] = [True, True, True, False, False, False]
    result = apply_disclosure_control(rows, STATISTICS, DisclosureRules())
    assert result["suppressed"].tolist() == [False, False, False, False, True, True]
    assert result.loc[1, "value"] == pytest.approx(100 * 5 / 13)
    assert "published" not in result  # an input to the decision, not a figure


@st.composite
def published_schools(draw):
    """The LA of :func:`schools`, each figure published openly or not at random."""
    data = draw(schools())
    data["published"] = draw(st.lists(st.booleans(), min_size=len(data), max_size=len(data)))
    return data


@settings(max_examples=150, deadline=None)
@given(data=published_schools())
def test_only_what_was_not_published_is_withheld_and_it_stays_protected(data) -> None:
    parent = pd.Series("L", index=[f"S{i}" for i in range(6)])
    result = apply_disclosure_control(data, STATISTICS, DisclosureRules(), parent)
    published = data["published"].to_numpy(dtype=bool)
    # 1. A figure released openly is never withheld again.
    assert not result["suppressed"].to_numpy()[published].any()
    # 2. Nothing shown that was not published rests on a small number.
    ours = result[~published & ~result["suppressed"].to_numpy()]
    assert not ((ours["denominator"] < 6) | ours["numerator"].between(1, 5)).any()
    # 3. A withheld group's complement is withheld too, unless it is public already.
    partner = dict(COMPLEMENTS) | {b: a for a, b in COMPLEMENTS}
    state = {
        (a, g): (s, p)
        for a, g, s, p in zip(
            result["area_code"], result["group_code"], result["suppressed"], published, strict=True
        )
    }
    for (area, group), (hidden, _) in state.items():
        other = state.get((area, partner.get(group)))
        if hidden and other is not None:
            assert other[0] or other[1]


@settings(max_examples=200, deadline=None)
@given(data=published_schools())
def test_no_sum_gives_back_a_figure_that_was_withheld_and_not_public(data) -> None:
    """In every sum the figures obey (a school's groups to its all pupils, the schools to the
    LA), a lone withheld term is allowed only where every other term is published, so that it
    was public already; else a shown term could be subtracted to give it back."""
    parent = pd.Series("L", index=[f"S{i}" for i in range(6)])
    result = apply_disclosure_control(data, STATISTICS, DisclosureRules(), parent)
    cell = {
        (a, g): (bool(h), bool(p))
        for a, g, h, p in zip(
            result["area_code"],
            result["group_code"],
            result["suppressed"],
            data["published"].to_numpy(dtype=bool),
            strict=True,
        )
    }
    schools = sorted({a for a, _ in cell if a != "L"})
    sums = [
        [(a, "all"), (a, "disadvantaged"), (a, "not_disadvantaged")] for a in [*schools, "L"]
    ] + [
        [("L", g)] + [(a, g) for a in schools]
        for g in ("all", "disadvantaged", "not_disadvantaged")
    ]
    for terms in sums:
        present = [cell[t] for t in terms if t in cell]
        if len(present) < len(terms):
            continue  # a term with no figure at all: no equation to solve
        withheld = [t for t, (h, _) in zip(terms, present, strict=True) if h]
        if len(withheld) == 1:
            others = [p for t, (h, p) in zip(terms, present, strict=True) if not h]
            assert all(others), f"{withheld[0]} follows from {terms}"
