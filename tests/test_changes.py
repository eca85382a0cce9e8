"""What changed between two years: the comparison on made-up profiles (each kind of change
exactly), and the page on the demo (AppTest)."""

from __future__ import annotations

import pandas as pd

from ecm.plan.coverage import PlanCoverage
from ecm.views.changes import changes_summary, compare_years
from tests.helpers import open_app


def gap(indicator: str, focus: str, gap: float, significant: object, trend: str) -> dict:
    return {
        "indicator": indicator, "focus_group": focus, "comparator_group": f"not_{focus}",
        "kind": "within", "gap": gap, "lower": gap - 2, "upper": gap + 2,
        "significant": significant, "trend": trend, "suppressed": False,
    }  # fmt: skip


def figure(indicator: str, value: float, word: str | None) -> dict:
    return {
        "indicator": indicator, "title": indicator.upper(), "unit": "%", "group": "all",
        "value": value, "marker": None, "benchmarks": {"england": word} if word else {},
        "comparator_values": {"england": 50.0},
    }  # fmt: skip


def profile(period: str, gaps: list[dict], figures: list[dict]) -> dict:
    # The gaps' indicators have figures too (neither worse nor better): their titles, units.
    figures = figures + [figure(g["indicator"], 60.0, None) for g in gaps]
    return {"period": period, "gaps": gaps, "observations": figures}


def coverage(period: str, off_track: list[tuple[int, str]]) -> PlanCoverage:
    frame = pd.DataFrame(
        [{"action_id": i, "title": t, "lead_partner": "Schools", "reason": "behind its path"}
         for i, t in off_track],
        columns=["action_id", "title", "lead_partner", "reason"],
    )  # fmt: skip
    empty = pd.DataFrame()
    return PlanCoverage(period, empty, empty, frame, empty, empty, empty, empty, empty)


def test_each_kind_of_change_is_found_and_nothing_else() -> None:
    before = profile(
        "2008/09",
        [gap("a", "fsm", 3.0, False, "no clear change"),  # becomes significant
         gap("b", "fsm", 9.0, True, "no clear change"),  # closes
         gap("c", "fsm", 9.0, True, "widening"),  # stays: no change
         gap("d", "fsm", 4.0, None, "no clear change")],  # starts widening
        [figure("x", 40.0, "similar"), figure("y", 30.0, "worse"), figure("z", 20.0, "worse")],
    )  # fmt: skip
    after = profile(
        "2009/10",
        [gap("a", "fsm", 8.0, True, "no clear change"),
         gap("b", "fsm", 1.0, False, "narrowing"),
         gap("c", "fsm", 9.5, True, "widening"),
         gap("d", "fsm", 6.0, None, "widening")],
        [figure("x", 35.0, "worse"), figure("y", 45.0, "similar"), figure("z", 21.0, "worse")],
    )  # fmt: skip
    changes = compare_years(
        before, after,
        coverage("2008/09", [(1, "Breakfast clubs"), (2, "Mentoring")]),
        coverage("2009/10", [(2, "Mentoring"), (3, "Youth offer")]),
    )  # fmt: skip
    assert list(changes.newly_significant["Indicator"]) == ["A"]
    assert list(changes.newly_significant["Then"]) == ["3.0 percentage points (1.0 to 5.0)"]
    assert list(changes.closed["Indicator"]) == ["B"]
    assert list(changes.newly_widening["Indicator"]) == ["D"]
    assert list(changes.newly_worse["Indicator"]) == ["X"]
    assert list(changes.newly_worse["Then"]) == ["40.0%, similar"]
    assert list(changes.no_longer_worse["Indicator"]) == ["Y"]
    assert list(changes.no_longer_worse["Now"]) == ["45.0%, similar"]
    assert list(changes.newly_off_track["Action"]) == ["Youth offer"]
    assert list(changes.back_on_track["Action"]) == ["Breakfast clubs"]
    assert changes_summary(changes) == (
        "From 2008/09 to 2009/10: 1 gap newly significant, 1 newly widening and 1 closed; "
        "1 figure newly worse than England and 1 no longer worse; 1 action newly off track "
        "and 1 back on track."
    )
    # The same year twice: nothing moved.
    same = compare_years(after, after)
    assert all(count == 0 for count in same.counts().values())


def test_the_page_compares_an_authoritys_latest_year_with_the_year_before(
    use_demo_database,  # noqa: ANN001
) -> None:
    at = open_app("app_pages/changes.py", la="Z10000001")
    assert not at.exception, at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("From "))
    assert summary.startswith("From 2008/09 to 2009/10: ")
    headings = [h.value for h in at.subheader]
    assert headings[0] == "Gaps newly significant" and "Actions newly off track" in headings
    school = open_app("app_pages/changes.py", urn="900001")
    assert not school.exception, school.exception
    assert not any(h.value.startswith("Actions") for h in school.subheader)
    assert "action" not in next(m.value for m in school.markdown if m.value.startswith("From "))
