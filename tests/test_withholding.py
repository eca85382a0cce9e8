"""Disclosure decisions stored with the figures: taken over the whole tree, kept current, and
read the same way as decisions taken at request time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from ecm.disclosure.decisions import decisions_current, ensure_withholding, stored_rules
from ecm.disclosure.rules import COMPLEMENTS, DisclosureRules, apply_disclosure_control, redact
from ecm.figures import many_places, queries
from ecm.store.engine import bulk_insert, forget_decisions, session_scope
from ecm.store.models import Observation
from tests.helpers import DEMO_SEED, KS2, KS4, drop_database, fresh_engine

STATISTICS = {"ks2": "proportion"}


# --- the whole tree at once ----------------------------------------------------------------


COLUMNS = ["indicator_code", "level", "area_code", "group_code", "period", "numerator",
           "denominator"]  # fmt: skip


def figures(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    return frame


@st.composite
def trees(draw):
    """A country of one region of 2-3 LAs of 1-4 schools, whose groups and places add up.

    Codes carry their level (``school:S01``), as the stored decisions key them."""
    parent: dict[str, str] = {"region:R": "england:E"}
    cells: dict[tuple[str, str, str], tuple[int, int]] = {}
    for la in range(draw(st.integers(2, 3))):
        parent[f"la:L{la}"] = "region:R"
        for school in range(draw(st.integers(1, 4))):
            code = f"school:S{la}{school}"
            parent[code] = f"la:L{la}"
            both = [0, 0]
            for group in ("disadvantaged", "not_disadvantaged"):
                passed, failed = draw(st.integers(0, 12)), draw(st.integers(0, 12))
                cells[("school", code, group)] = (passed, passed + failed)
                both = [both[0] + passed, both[1] + passed + failed]
            cells[("school", code, "all")] = (both[0], both[1])
    for level, up in (("school", "la"), ("la", "region"), ("region", "england")):
        for (lv, code, group), (p, n) in list(cells.items()):
            if lv == level:
                old = cells.get((up, parent[code], group), (0, 0))
                cells[(up, parent[code], group)] = (old[0] + p, old[1] + n)
    rows = [
        ("ks2", level, code, group, "2009/10", p, n)
        for (level, code, group), (p, n) in cells.items()
        if n > 0
    ]
    return figures(rows), pd.Series(parent)


def equations(frame: pd.DataFrame, parent: pd.Series) -> list[list[int]]:
    """Every sum the figures obey, as row positions: [total, part, part, ...]."""
    places = zip(frame["area_code"], frame["group_code"], strict=True)
    position = {place: i for i, place in enumerate(places)}
    sums = []
    for area in frame["area_code"].unique():  # all pupils = a group + its complement
        for a, b in COMPLEMENTS:
            if {(area, "all"), (area, a), (area, b)} <= position.keys():
                sums.append([position[(area, "all")], position[(area, a)], position[(area, b)]])
    for group in frame["group_code"].unique():  # an area = the sum of its places
        for total in parent.unique():
            parts = [
                position[(c, group)]
                for c in parent.index[parent == total]
                if (c, group) in position
            ]
            if (total, group) in position and parts:
                sums.append([position[(total, group)], *parts])
    return sums


@settings(max_examples=200, deadline=None)
@given(data=trees())
def test_across_levels_no_withheld_figure_is_one_subtraction_away(data) -> None:
    frame, parent = data
    result = apply_disclosure_control(frame, STATISTICS, DisclosureRules(), parent, reasons=True)
    hidden = result["suppressed"].to_numpy()
    shown = result[~hidden]
    assert not ((shown["denominator"] < 6) | shown["numerator"].between(1, 5)).any()
    # Every sum (school groups, schools in an LA, LAs in the region, the region in the
    # country) has no withheld term or at least two.
    for terms in equations(frame, parent):
        assert hidden[terms].sum() != 1, result.iloc[terms]
        # Where the total is shown, the withheld terms do not add up to a small number, which
        # would confine each of them (counts are never negative).
        total, *parts = terms
        withheld = [t for t in parts if hidden[t]]
        if not hidden[total] and withheld:
            for column in ("numerator", "denominator"):
                assert not 1 <= frame[column].iloc[withheld].sum() <= 5, result.iloc[terms]
    # The decisions do not depend on the order the figures were read in.
    backwards = apply_disclosure_control(frame.iloc[::-1], STATISTICS, DisclosureRules(), parent)
    assert (backwards["suppressed"].iloc[::-1].to_numpy() == hidden).all()
    # Every withheld figure says which rule withheld it.
    assert result.loc[hidden, "withheld_reason"].isin(["small", "complement", "sibling"]).all()
    assert result.loc[~hidden, "withheld_reason"].isna().all()


def test_a_withheld_total_is_never_left_with_its_parts_all_shown() -> None:
    frame = figures(
        [
            ("ks2", "school", "school:A", "all", "2009/10", 30, 40),
            ("ks2", "school", "school:B", "all", "2009/10", 10, 12),
            ("ks2", "la", "la:L", "all", "2009/10", 3, 52),  # three pupils reached it
        ]
    )
    parent = pd.Series({"school:A": "la:L", "school:B": "la:L"})
    result = apply_disclosure_control(frame, STATISTICS, DisclosureRules(), parent, reasons=True)
    # A and B would add up to L: the smaller goes with it, and then, being withheld alone
    # among the schools, takes the other with it (the rule for parts does not look up).
    assert result["suppressed"].tolist() == [True, True, True]
    assert result["withheld_reason"].tolist() == ["sibling", "sibling", "small"]


def test_withheld_places_that_add_up_to_a_small_number_take_the_next_smallest_with_them() -> None:
    frame = figures(
        [
            ("ks2", "school", "school:A", "all", "2009/10", 0, 3),  # three pupils
            ("ks2", "school", "school:B", "all", "2009/10", 1, 9),  # one pupil reached it
            ("ks2", "school", "school:C", "all", "2009/10", 0, 10),
            ("ks2", "school", "school:D", "all", "2009/10", 30, 40),
            ("ks2", "school", "school:E", "all", "2009/10", 35, 50),
            ("ks2", "la", "la:L", "all", "2009/10", 66, 112),
        ]
    )
    parent = pd.Series({f"school:{c}": "la:L" for c in "ABCDE"})
    result = apply_disclosure_control(frame, STATISTICS, DisclosureRules(), parent, reasons=True)
    # A and B withheld together would add up to 1 of 12 (the LA less C, D and E), so B is 0 or
    # 1: C joins them (1 of 22, still small), then D (31 of 62). E and the LA stay shown.
    assert result["suppressed"].tolist() == [True, True, True, True, False, False]
    assert result["withheld_reason"].tolist() == [
        "small",
        "small",
        "sibling",
        "sibling",
        None,
        None,
    ]


def test_a_withheld_all_pupil_figure_takes_its_groups_with_it() -> None:
    frame = figures(
        [
            ("ks2", "school", "A", "all", "2009/10", 20, 30),
            ("ks2", "school", "A", "boys", "2009/10", 10, 15),
            ("ks2", "school", "A", "girls", "2009/10", 10, 15),
            ("ks2", "school", "B", "all", "2009/10", 2, 40),  # two pupils reached it
            ("ks2", "la", "L", "all", "2009/10", 22, 70),
        ]
    )
    parent = pd.Series({"A": "L", "B": "L"})
    result = apply_disclosure_control(frame, STATISTICS, DisclosureRules(), parent)
    # A's all-pupil figure goes to protect B; boys + girls would give it back, so they go too.
    assert result["suppressed"].tolist() == [True, True, True, True, False]


def test_a_group_with_no_row_has_no_pupils_so_its_complement_equals_all_pupils() -> None:
    """No SEN row: the school has no SEN pupils, so its no-SEN figure is its all-pupil figure.
    With the all-pupil figure withheld to protect a sibling, showing no-SEN would give it back;
    and a withheld no-SEN figure would be given back by the all-pupil one."""
    frame = figures(
        [
            ("ks2", "school", "A", "all", "2009/10", 6, 7),
            ("ks2", "school", "A", "no_sen", "2009/10", 6, 7),
            ("ks2", "school", "B", "all", "2009/10", 2, 40),  # two pupils reached it
            ("ks2", "la", "L", "all", "2009/10", 8, 47),
            ("ks2", "school", "C", "all", "2009/10", 30, 40),
            ("ks2", "school", "C", "girls", "2009/10", 3, 20),  # a girls' school: no boys row
        ]
    )
    parent = pd.Series({"A": "L", "B": "L", "C": "M"})
    result = apply_disclosure_control(frame, STATISTICS, DisclosureRules(), parent, reasons=True)
    assert result["suppressed"].tolist() == [True, True, True, False, True, True]
    why = result["withheld_reason"].tolist()
    assert (why[1], why[4]) == ("complement", "complement")


def test_no_group_in_the_demo_is_shown_alone_under_a_withheld_all_pupil_figure(
    demo_engine,
) -> None:
    """Every demo case of a group whose complement has no row (a school with no SEN pupils:
    no-SEN then equals all pupils) under a withheld all-pupil figure: the group is withheld
    with it."""
    pairs = pd.DataFrame(COMPLEMENTS, columns=["group_code", "partner"])
    pairs = pd.concat(
        [pairs, pairs.rename(columns={"group_code": "partner", "partner": "group_code"})]
    )
    with demo_engine.connect() as connection:
        rows = pd.read_sql(
            text(
                "SELECT indicator_code, level, area_code, period, group_code, withheld "
                "FROM observation"
            ),
            connection,
        )
    keys = ["indicator_code", "level", "area_code", "period"]
    withheld_all = rows[(rows["group_code"] == "all") & rows["withheld"].astype(bool)][keys]
    groups = rows.merge(pairs, on="group_code").merge(withheld_all, on=keys)
    held = rows[[*keys, "group_code"]].rename(columns={"group_code": "partner"})
    alone = groups.merge(held.assign(_held=True), on=[*keys, "partner"], how="left")
    alone = alone[alone["_held"].isna()]
    shown = alone[~alone["withheld"].astype(bool)]
    assert len(alone) > 0  # the case is there to be tested
    assert shown.empty, shown.head().to_string()
    # One such case read back whole: all pupils withheld, the lone group withheld with it,
    # and no row for its complement (a school with no SEN pupils, say).
    first = alone.iloc[0]
    same = (rows[keys] == first[keys]).all(axis=1)
    case = rows[same].set_index("group_code")["withheld"]
    assert bool(case["all"]) and bool(case[first["group_code"]])
    assert first["partner"] not in case


# --- stored in the store -------------------------------------------------------------------


def test_the_demo_is_decided_under_the_thresholds_in_force(demo_engine) -> None:
    assert decisions_current(demo_engine)
    with demo_engine.connect() as connection:
        assert stored_rules(connection) == DisclosureRules()
        undecided = connection.scalar(
            select(Observation.id).where(Observation.withheld.is_(None)).limit(1)
        )
    assert undecided is None


def _request_time(engine, area: dict) -> pd.DataFrame:
    """A place's figures decided at request time, as when the decisions are not current."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ecm.disclosure.decisions.decisions_current", lambda *_a, **_k: False)
        return queries.load_area_figures(engine, area)


def test_stored_decisions_withhold_everything_request_time_control_does(demo_engine) -> None:
    with demo_engine.connect() as connection:
        urns = connection.execute(text("SELECT urn FROM school ORDER BY urn LIMIT 40")).scalars()
        urns = list(urns)
    key = ["indicator_code", "level", "area_code", "group_code", "period"]
    compared = 0
    for urn in urns[::4]:
        area = queries.resolve_area(demo_engine, "school", urn)
        stored = queries.load_area_figures(demo_engine, area).set_index(key).sort_index()
        decided_here = _request_time(demo_engine, area).set_index(key).sort_index()
        assert stored.index.equals(decided_here.index)
        # Whole-tree decisions can only add to the level-by-level ones.
        assert not (decided_here["suppressed"] & ~stored["suppressed"]).any()
        shown = ~stored["suppressed"]
        pd.testing.assert_frame_equal(
            stored.loc[shown, ["value", "numerator", "denominator", "marker"]],
            decided_here.loc[shown, ["value", "numerator", "denominator", "marker"]],
        )
        # Beyond that, the two frames are one: same columns, types, markers and blanks.
        pd.testing.assert_frame_equal(stored, redact(decided_here, stored["suppressed"]))
        compared += int(stored["suppressed"].sum())
    assert compared > 0


def _decided_at_request_time(read):  # noqa: ANN001, ANN202
    """What ``read()`` gives when the stored decisions are not current."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ecm.disclosure.decisions.decisions_current", lambda *_a, **_k: False)
        return read()


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    key = ["indicator_code", "level", "area_code", "group_code", "period"]
    return frame.sort_values(key).reset_index(drop=True)


def test_a_whole_las_schools_read_the_same_stored_or_decided_at_request_time(
    demo_engine,
) -> None:
    with demo_engine.connect() as connection:
        las = list(connection.execute(text("SELECT code FROM local_authority")).scalars())
        periods = set(connection.execute(text("SELECT DISTINCT period FROM observation")).scalars())
    withheld = 0
    for la in las:

        def read(la: str = la) -> pd.DataFrame:
            return many_places.load_school_figures_of_la(demo_engine, la, periods)

        stored = _in_order(read())
        pd.testing.assert_frame_equal(stored, _in_order(_decided_at_request_time(read)))
        withheld += int(stored["suppressed"].sum())
    assert len(las) > 1 and withheld > 0


def test_la_figures_read_the_same_stored_or_decided_at_request_time(demo_engine) -> None:
    with demo_engine.connect() as connection:
        las = list(connection.execute(text("SELECT code FROM local_authority")).scalars())

    def read() -> pd.DataFrame:
        return many_places.load_la_figures(demo_engine, las)

    stored = _in_order(read())
    decided_here = _in_order(_decided_at_request_time(read))
    assert stored["suppressed"].sum() > 0
    # Decided over the whole tree, the stored decisions also see the regions and the country,
    # so they can only add to those taken among the LAs of each region; nothing else differs.
    assert not (decided_here["suppressed"] & ~stored["suppressed"]).any()
    pd.testing.assert_frame_equal(stored, redact(decided_here, stored["suppressed"]))


def test_a_new_threshold_falls_back_to_request_time_until_decided_again(
    engine, monkeypatch
) -> None:
    from ecm.demo.build import build_demo

    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    area = queries.resolve_area(engine, "school", _some_urn(engine))
    at_six = queries.load_area_figures(engine, area)["suppressed"].sum()
    monkeypatch.setenv("ECM_SUPPRESS_BELOW", "11")
    assert not decisions_current(engine)
    fallback = queries.load_area_figures(engine, area)
    assert fallback["suppressed"].sum() > at_six
    assert ensure_withholding(engine)
    assert decisions_current(engine)
    with engine.connect() as connection:
        assert stored_rules(connection) == DisclosureRules(11, 11)
    stored = queries.load_area_figures(engine, area)
    assert stored["suppressed"].sum() >= fallback["suppressed"].sum()
    assert not ensure_withholding(engine)  # current: nothing to do


def test_figures_written_without_deciding_are_never_trusted(engine) -> None:
    from ecm.demo.build import build_demo

    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    with session_scope(engine) as session:
        connection = session.connection()
        row = (
            connection.execute(
                select(Observation.__table__).where(Observation.level == "la").limit(1)
            )
            .mappings()
            .first()
        )
        copy = pd.DataFrame([dict(row)]).drop(columns=["id", "withheld", "withheld_reason"])
        connection.execute(Observation.__table__.delete().where(Observation.id == row["id"]))
        bulk_insert(connection, "observation", copy)
    assert not decisions_current(engine)
    assert ensure_withholding(engine)
    with engine.connect() as connection:
        assert (
            connection.scalar(
                select(Observation.withheld).where(
                    Observation.level == row["level"],
                    Observation.area_code == row["area_code"],
                    Observation.indicator_code == row["indicator_code"],
                    Observation.group_code == row["group_code"],
                    Observation.period == row["period"],
                )
            )
            is not None
        )


def test_deciding_again_changes_only_what_changed(engine) -> None:
    from ecm.demo.build import build_demo

    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    with engine.connect() as connection:
        before = connection.execute(
            select(Observation.id, Observation.withheld, Observation.withheld_reason).order_by(
                Observation.id
            )
        ).all()
    with engine.begin() as connection:
        # Tamper with one decision; deciding again puts it back.
        connection.execute(
            update(Observation).where(Observation.id == before[0].id).values(withheld=None)
        )
        forget_decisions(connection)
    assert ensure_withholding(engine)
    with engine.connect() as connection:
        after = connection.execute(
            select(Observation.id, Observation.withheld, Observation.withheld_reason).order_by(
                Observation.id
            )
        ).all()
    assert after == before
    withheld = np.array([bool(r.withheld) for r in after])
    assert 0 < withheld.mean() < 1


def _some_urn(engine) -> str:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT urn FROM school ORDER BY urn LIMIT 1"))


@pytest.mark.realdata
def test_an_import_decides_its_own_indicators_and_leaves_the_rest(tmp_path, monkeypatch) -> None:
    from ecm.disclosure import decisions as withholding
    from ecm.importers import import_file

    url, engine = fresh_engine(tmp_path)
    try:
        import_file(engine, KS2)  # the first file: new LA and region, so everything
        assert decisions_current(engine)
        decided: list[str] = []
        real = withholding._decide

        def counted(connection, indicator, *rest):  # noqa: ANN001, ANN002, ANN202
            decided.append(indicator)
            return real(connection, indicator, *rest)

        monkeypatch.setattr(withholding, "_decide", counted)
        import_file(engine, KS4)  # the same LA: only the KS4 indicators
        with engine.connect() as connection:
            ks4 = set(
                connection.scalars(
                    text(
                        "SELECT DISTINCT o.indicator_code FROM observation o "
                        "JOIN import_batch b ON b.id = o.batch_id WHERE b.format = 'ks4'"
                    )
                )
            )
            undecided = connection.scalar(
                select(Observation.id).where(Observation.withheld.is_(None)).limit(1)
            )
        assert set(decided) == ks4 and ks4
        assert undecided is None and decisions_current(engine)
    finally:
        engine.dispose()
        drop_database(url)
