"""Published figures are shown as published (real DfE KS2 2018/19, Hampshire).

A figure its publisher released openly is public already, so the dashboard's own threshold
does not withhold it again; the publisher's own suppression stays, and nothing the dashboard
derives (a gap) gives a withheld figure back. METHODOLOGY.md, "Disclosure control".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from ecm.importers import import_file
from ecm.places.profile import build_profile
from tests.helpers import KS2, drop_database, fresh_engine

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def ks2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url, engine = fresh_engine(tmp_path_factory.mktemp("published"))
    import_file(engine, KS2)
    yield engine
    engine.dispose()
    drop_database(url)


def _figure(profile: dict, indicator: str, group: str) -> dict:
    [figure] = [
        o for o in profile["observations"] if o["indicator"] == indicator and o["group"] == group
    ]
    return figure


def _gaps(profile: dict, indicator: str, group: str) -> list[dict]:
    return [g for g in profile["gaps"] if g["indicator"] == indicator and g["focus_group"] == group]


def test_a_published_figure_resting_on_five_pupils_is_shown_as_published(ks2) -> None:
    # Balksbury Junior School: 5 of its 15 disadvantaged pupils (33%) reached the expected
    # standard, as the performance tables publish; the threshold of 6 once withheld it.
    profile = build_profile(ks2, "school", "115852", "2018/19")
    figure = _figure(profile, "ptrwm_exp", "disadvantaged")
    assert figure["value"] == 33.0 and not figure["suppressed"]
    assert (figure["numerator"], figure["denominator"]) == (5, 15)
    gaps = _gaps(profile, "ptrwm_exp", "disadvantaged")
    assert gaps and all(g["gap"] is not None for g in gaps)  # the headline gap is back


def test_a_figure_the_publisher_suppressed_stays_suppressed_and_no_gap_gives_it_back(ks2) -> None:
    # Awbridge Primary School: DfE suppressed both groups (3 disadvantaged pupils); the school's
    # all-pupil 61% stays, and no gap is worked out from the withheld groups.
    profile = build_profile(ks2, "school", "115856", "2018/19")
    for group in ("disadvantaged", "not_disadvantaged"):
        figure = _figure(profile, "ptrwm_exp", group)
        assert figure["value"] is None and figure["suppressed"]
        assert figure["marker"] == "SUPP"
    assert _figure(profile, "ptrwm_exp", "all")["value"] == 61.0
    assert all(g["gap"] is None for g in _gaps(profile, "ptrwm_exp", "disadvantaged"))


def test_decided_now_and_stored_decisions_agree_on_published_figures(ks2, monkeypatch) -> None:
    from ecm.disclosure import decisions

    stored = build_profile(ks2, "school", "115852", "2018/19")["observations"]
    monkeypatch.setattr(decisions, "decisions_current", lambda *_a, **_k: False)
    decided_now = build_profile(ks2, "school", "115852", "2018/19")["observations"]
    assert decided_now == stored


def test_a_file_marked_not_published_openly_has_its_small_numbers_withheld(tmp_path) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        outcome = import_file(engine, KS2, restricted=True)
        assert outcome.notes[-1] == "not published openly: small numbers withheld"
        profile = build_profile(engine, "school", "115852", "2018/19")
        figure = _figure(profile, "ptrwm_exp", "disadvantaged")  # 5 of 15 pupils
        assert figure["value"] is None and figure["suppressed"] and figure["marker"] == "c"
        assert all(g["gap"] is None for g in _gaps(profile, "ptrwm_exp", "disadvantaged"))
    finally:
        engine.dispose()
        drop_database(url)
