"""The Plan page's service (``ecm.plan.page``): everything the page shows for an LA and year,
read from the store once, the same as the loaders give one by one."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ecm.figures.plans import load_plan
from ecm.figures.queries import UnknownArea, load_local_authorities
from ecm.plan.loaders import (
    la_plan_coverage,
    load_action_schools,
    load_actions,
    load_partners,
    load_spend,
    load_targets,
)
from ecm.plan.page import plan_page


@pytest.fixture(scope="module")
def la(demo_engine) -> dict:  # noqa: ANN001
    return load_local_authorities(demo_engine).iloc[0].to_dict()


def _same_coverage(one, other) -> None:  # noqa: ANN001
    assert one.period == other.period and one.plan == other.plan
    for name in ("covered", "uncovered", "off_track", "no_target", "by_outcome", "evidence"):
        assert_frame_equal(getattr(one, name), getattr(other, name))


def test_the_page_holds_the_plan_in_force_and_its_parts_as_the_loaders_read_them(
    demo_engine, la
) -> None:
    page = plan_page(demo_engine, la["code"])
    assert page.area["code"] == la["code"] and page.area["name"] == la["name"]
    _same_coverage(page.coverage, la_plan_coverage(demo_engine, la["code"]))
    plan = load_plan(demo_engine, la["code"], page.coverage.period)
    assert plan is not None and page.plan == plan and page.latest_plan == plan
    assert page.coverage.plan == plan
    # The parts, untouched by the coverage computed from them.
    assert_frame_equal(page.actions, load_actions(demo_engine, la["code"], plan["id"]))
    assert_frame_equal(page.targets, load_targets(demo_engine, la["code"], plan["id"]))
    assert_frame_equal(page.spend, load_spend(demo_engine, la["code"], plan["id"]))
    assert_frame_equal(page.schools, load_action_schools(demo_engine, la["code"], plan["id"]))
    assert_frame_equal(page.partners, load_partners())
    assert len(page.actions) > 0 and (page.actions["plan_id"] == plan["id"]).all()


def test_the_la_number_gives_the_same_page(demo_engine, la) -> None:
    by_code = plan_page(demo_engine, la["code"], "2009/10")
    by_number = plan_page(demo_engine, la["old_code"], "2009/10")
    assert by_number.area["code"] == la["code"]
    _same_coverage(by_number.coverage, by_code.coverage)
    assert_frame_equal(by_number.actions, by_code.actions)


def test_a_year_no_plan_ran_reads_no_actions_and_offers_the_latest_plan(demo_engine, la) -> None:
    page = plan_page(demo_engine, la["code"], "2005/06")
    assert page.coverage.period == "2005/06"
    assert page.plan is None and page.coverage.plan is None
    assert page.latest_plan == load_plan(demo_engine, la["code"])
    for frame in (page.actions, page.targets, page.spend, page.schools):
        assert isinstance(frame, pd.DataFrame) and frame.empty
    assert page.coverage.covered.empty and len(page.coverage.uncovered) > 0


def test_an_unknown_authority_is_refused(demo_engine) -> None:
    with pytest.raises(UnknownArea):
        plan_page(demo_engine, "Z99999999")
