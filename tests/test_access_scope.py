"""A viewer's remit (ecm.access.scope): which places' restricted figures each role may see, read
from the store's geography; the catalogue's published/restricted mark, checked like every
other column."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ecm.access.accounts import Account
from ecm.access.scope import EVERYTHING, PUBLIC, Remit, remit_for
from ecm.catalogue import check_catalogue, load_catalogue, restricted_indicators
from ecm.store.models import LocalAuthority, School


def _account(role: str, level: str, code: str | None, active: bool = True) -> Account:
    return Account("someone", "Some One", role, level, code, active)


@pytest.fixture(scope="module")
def two_las(demo_engine):  # noqa: ANN001, ANN201
    """Two LAs of one demo region, with a school of each."""
    with demo_engine.connect() as connection:
        first = connection.execute(select(LocalAuthority).order_by(LocalAuthority.code)).first()
        other = connection.execute(
            select(LocalAuthority)
            .where(LocalAuthority.region_code == first.region_code)
            .where(LocalAuthority.code != first.code)
        ).first()
        school = connection.scalar(select(School.urn).where(School.la_code == first.code))
        elsewhere = connection.scalar(select(School.urn).where(School.la_code == other.code))
    return first, other, school, elsewhere


def test_the_catalogue_marks_the_school_surveys_restricted() -> None:
    catalogue = load_catalogue()
    assert restricted_indicators(catalogue) == {"ni_52", "ni_57"}
    catalogue.indicators[0]["access"] = "secret"
    problems = check_catalogue(catalogue)
    assert [(p.file, p.column) for p in problems] == [("indicators.csv", "access")]
    assert "'secret' is not one of ('published', 'restricted')" in str(problems[0])


def test_each_role_sees_its_scope_and_the_places_its_scope_sits_in(demo_engine, two_las) -> None:  # noqa: ANN001
    la, other, school, elsewhere = two_las
    head = remit_for(demo_engine, _account("headteacher", "school", school))
    assert head.sees("school", school) and not head.sees("school", elsewhere)
    assert head.sees("la", la.code) and not head.sees("la", other.code)
    assert head.sees("region", la.region_code) and head.sees("england", "E92000001")

    board = remit_for(demo_engine, _account("board_member", "la", la.code))
    assert board.sees("school", school) and not board.sees("school", elsewhere)
    assert board.las == {la.code} and board.regions == {la.region_code}
    assert (head.name, board.name) == (f"school:{school}", f"la:{la.code}")

    officer = remit_for(demo_engine, _account("go_officer", "region", la.region_code))
    assert officer.sees("school", school) and officer.sees("school", elsewhere)
    assert {la.code, other.code} <= officer.las and officer.regions == {la.region_code}
    # Each remit is named for what it covers: the loaders' caches are keyed by it.
    assert officer.name == f"region:{la.region_code}"

    assert remit_for(demo_engine, _account("analyst", "all", None)) == EVERYTHING
    # No account, a disabled one, or a scope the store no longer holds: nothing restricted.
    assert remit_for(demo_engine, None) == PUBLIC
    assert remit_for(demo_engine, _account("board_member", "la", la.code, active=False)) == PUBLIC
    assert remit_for(demo_engine, _account("headteacher", "school", "999999")) == PUBLIC


FIGURES = pd.DataFrame(
    {
        "indicator_code": ["ni_57", "ni_57", "ni_57", "ni_57", "ni_73", "ni_57"],
        "level": ["school", "school", "la", "la", "school", "england"],
        "area_code": ["100001", "100002", "Z1", "Z2", "100002", "E92000001"],
    }
)


def test_restricted_rows_outside_the_remit_are_dropped_and_published_rows_kept() -> None:
    head = Remit(
        "school:100001", schools=frozenset({"100001"}), las=frozenset({"Z1"}), england=True
    )
    kept = head.only_visible(FIGURES, {"ni_57"})
    assert list(kept.index) == [0, 2, 4, 5]
    assert list(PUBLIC.only_visible(FIGURES, {"ni_57"}).index) == [4]
    assert list(EVERYTHING.only_visible(FIGURES, {"ni_57"}).index) == list(range(6))


codes = st.sampled_from(["100001", "100002", "Z1", "Z2", "R1", "E92000001"])
rows = st.lists(
    st.tuples(
        st.sampled_from(["ni_57", "ni_73"]),
        st.sampled_from(["school", "la", "region", "england"]),
        codes,
    ),
    max_size=30,
)
remits = st.builds(
    Remit,
    schools=st.frozensets(codes),
    las=st.frozensets(codes),
    regions=st.frozensets(codes),
    england=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(rows=rows, remit=remits)
def test_a_remit_shows_every_published_row_and_exactly_the_restricted_rows_it_covers(
    rows: list[tuple[str, str, str]], remit: Remit
) -> None:
    figures = pd.DataFrame(rows, columns=["indicator_code", "level", "area_code"])
    shown = remit.visible(figures, {"ni_57"})
    for (indicator, level, code), visible in zip(rows, shown, strict=True):
        assert visible == (indicator != "ni_57" or remit.sees(level, code))


def _indicators(profile: dict) -> set[str]:
    return set(pd.DataFrame(profile["observations"])["indicator"])


def test_the_figure_readers_show_restricted_figures_only_inside_the_viewers_remit(
    demo_engine,
    two_las,  # noqa: ANN001
) -> None:
    from ecm.access.scope import acting_for
    from ecm.figures.many_places import load_level_figures
    from ecm.places.profile import build_profile

    la, other, school, elsewhere = two_las
    head = remit_for(demo_engine, _account("headteacher", "school", school))
    everything = build_profile(demo_engine, "school", elsewhere, None)
    assert {"ni_52", "ni_57"} <= _indicators(everything)  # the command line sees it all
    periods = {everything["period"]}
    with acting_for(head):
        own = build_profile(demo_engine, "school", school, None)
        theirs = build_profile(demo_engine, "school", elsewhere, None)
        schools = load_level_figures(demo_engine, "ni_57", "school", periods, ["all"])
        las = load_level_figures(demo_engine, "ni_57", "la", periods, ["all"])
        published = load_level_figures(demo_engine, "ni_73", "school", periods, ["all"])
    assert {"ni_52", "ni_57"} <= _indicators(own)
    # Another school: its published figures, none of its restricted ones.
    assert _indicators(theirs) == _indicators(everything) - {"ni_52", "ni_57"}
    # Across many places: the school's own restricted figure and its LA's, no other place's.
    assert set(schools["area_code"]) == {school} and set(las["area_code"]) == {la.code}
    assert published["area_code"].nunique() > 10


def test_a_plans_targets_on_restricted_figures_keep_their_numbers_within_the_remit(
    demo_engine,  # noqa: ANN001
) -> None:
    """A target on NI 57 (restricted) in Z10000001's plan: its baseline is that LA's restricted
    figure, so a viewer whose remit is another LA reads the target without its numbers, on
    the page's reader and in the plan file; published targets keep theirs."""
    from ecm.access.scope import acting_for
    from ecm.plan.io.export import plan_rows
    from ecm.plan.loaders import load_targets

    outsider = Remit("la:Z10000002", las=frozenset({"Z10000002"}), england=True)
    board = Remit("la:Z10000001", las=frozenset({"Z10000001"}), england=True)
    numbers = ["baseline_value", "target_value", "baseline_gap", "target_gap"]
    seen = {}
    for name, remit in (("outsider", outsider), ("board", board), ("analyst", EVERYTHING)):
        with acting_for(remit):
            targets = load_targets(demo_engine, "Z10000001")
            rows = plan_rows(demo_engine, "Z10000001")["Targets"]
        restricted = targets[targets["indicator_code"] == "ni_57"]
        published = targets[targets["indicator_code"] != "ni_57"]
        seen[name] = (
            restricted[numbers].notna().to_numpy().any(),
            [r["baseline_value"] for r in rows if r["indicator"] == "ni_57"],
        )
        assert len(restricted) == 1 and published[numbers].notna().to_numpy().any()
    assert seen == {
        "outsider": (False, [None]),
        "board": (True, [90.9]),
        "analyst": (True, [90.9]),
    }
