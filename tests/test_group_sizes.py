"""Boys' and girls' KS2 figures carry their eligible pupils (BELIG, GELIG), so they get Wilson
intervals; Progress 8 figures carry the pupils included in the measure (P8PUP...)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
from scipy.stats import binomtest
from sqlalchemy import Engine

from ecm.places.profile import build_profile
from ecm.store.engine import make_engine
from tests.helpers import KS2, KS4, build_real_store, drop_database

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = build_real_store(tmp_path_factory.mktemp("sizes"), (KS2, KS4))
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_database(url)


def raw_row(path, urn: str) -> dict[str, str]:  # noqa: ANN001
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["URN"].strip() == urn)


def figure(profile: dict, indicator: str, group: str) -> dict:
    return next(
        o for o in profile["observations"] if o["indicator"] == indicator and o["group"] == group
    )


def test_a_boys_ks2_figure_has_the_wilson_interval_of_its_eligible_boys(store: Engine) -> None:
    raw = raw_row(KS2, "115851")
    boys, percent = int(raw["BELIG"]), float(raw["PTRWM_EXP_B"].rstrip("%"))
    assert (boys, percent) == (32, 66.0)
    reached = round(percent * boys / 100)  # 21 of 32: the only count that rounds to 66%
    expected = binomtest(reached, boys).proportion_ci(0.95, method="wilson")
    boys_figure = figure(build_profile(store, "school", "115851", "2018/19"), "ptrwm_exp", "boys")
    assert boys_figure["pupils"] == boys
    assert boys_figure["lower"] == pytest.approx(100 * expected.low, abs=1e-3)
    assert boys_figure["upper"] == pytest.approx(100 * expected.high, abs=1e-3)


def test_progress_8_counts_the_pupils_in_the_measure(store: Engine) -> None:
    raw = raw_row(KS4, "116234")
    profile = build_profile(store, "school", "116234", "2017/18")
    for group, column in (
        ("all", "P8PUP"),
        ("disadvantaged", "P8PUP_FSM6CLA1A"),
        ("boys", "P8PUP_BOYS"),
        ("girls", "P8PUP_GIRLS"),
    ):
        p8 = figure(profile, "p8mea", group)
        assert p8["pupils"] == float(raw[column]), group
        # The published limits are kept, not replaced.
        assert p8["lower"] == float(raw[column.replace("P8PUP", "P8CILOW")])
