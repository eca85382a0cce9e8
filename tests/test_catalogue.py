"""The indicator catalogue in data/: complete, consistent, and loaded into the store intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecm.catalogue import (
    GROUP_WORDS,
    GROUPS_FILE,
    INDICATORS_FILE,
    UNIT_MULTIPLIERS,
    check_catalogue,
    comparator_phrase,
    group_noun,
    group_title,
    group_words,
    load_catalogue,
    read_rows,
    sync_catalogue,
)
from ecm.config import DATA_DIR
from ecm.errors import DataError
from ecm.store.engine import session_scope, upgrade_schema
from ecm.store.models import Aim, Indicator, Outcome, PupilGroup

FIVE_OUTCOMES = {
    "be_healthy",
    "stay_safe",
    "enjoy_achieve",
    "positive_contribution",
    "economic_wellbeing",
}
DFE_STEMS = (
    "ptrwm_exp",
    "ptread_exp",
    "att8scr",
    "p8mea",
    "perctot",
    "ppersabs10",
    "overall_destper",
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_every_indicator_has_a_definition_outcome_and_polarity(catalogue) -> None:
    lacking = [
        row["code"]
        for row in catalogue.indicators
        if not (row["definition"] and row["outcome"] and row["polarity"])
    ]
    assert lacking == []


def test_at_least_forty_indicators_spread_over_all_five_outcomes(catalogue) -> None:
    assert len(catalogue.indicators) >= 40
    per_outcome = dict.fromkeys(FIVE_OUTCOMES, 0)
    for row in catalogue.indicators:
        per_outcome[row["outcome"]] += 1
    assert set(per_outcome) == FIVE_OUTCOMES
    assert min(per_outcome.values()) >= 5, per_outcome


def test_five_outcomes_with_five_aims_each(catalogue) -> None:
    aims: dict[str, list[str]] = {}
    for row in catalogue.outcomes:
        aims.setdefault(row["outcome_code"], []).append(row["aim_code"])
    assert set(aims) == FIVE_OUTCOMES
    assert all(len(codes) == 5 for codes in aims.values())
    assert catalogue.outcome_titles["economic_wellbeing"] == "Achieve economic well-being"


def test_dfe_measures_use_the_lower_case_column_stem(catalogue) -> None:
    codes = {row["code"] for row in catalogue.indicators}
    assert set(DFE_STEMS) <= codes
    assert catalogue.indicator("ptrwm_exp")["phases"] == "primary"
    assert catalogue.indicator("p8mea")["statistic"] == "mean"


def test_demo_measures_are_catalogued_with_ni_numbers(catalogue) -> None:
    from ecm.demo.parameters import AREA_MEASURES, SCHOOL_MEASURES

    for measure in (*SCHOOL_MEASURES, *AREA_MEASURES):
        row = catalogue.indicator(measure.code)
        if measure.code.startswith("ni_"):
            assert row["ni_number"] == measure.code.removeprefix("ni_")
    assert catalogue.indicator("ni_73")["polarity"] == "higher_is_better"
    assert catalogue.indicator("ni_112")["unit"] == "per 1,000"


def test_units_and_multipliers_agree(catalogue) -> None:
    for row in catalogue.indicators:
        assert float(row["multiplier"]) == UNIT_MULTIPLIERS[row["unit"]], row["code"]


def test_focus_groups_are_paired_with_their_comparators(catalogue) -> None:
    comparators = {row["code"]: row["comparator"] for row in catalogue.groups}
    assert comparators == {
        "all": "",
        "disadvantaged": "not_disadvantaged",
        "not_disadvantaged": "",
        "fsm": "not_fsm",
        "not_fsm": "",
        "sen": "no_sen",
        "no_sen": "",
        "looked_after": "all",
        "boys": "girls",
        "girls": "",
        "lowest_20pc": "other_80pc",
        "other_80pc": "",
        "children_in_need": "all",
        "child_protection_plan": "all",
    }


def test_every_group_has_its_words(catalogue) -> None:
    lacking = [
        (row["code"], column)
        for row in catalogue.groups
        for column in GROUP_WORDS
        if not row[column]
    ]
    assert lacking == []
    assert {row["code"] for row in catalogue.groups} == set(group_words())


def test_groups_read_as_they_always_have() -> None:
    # The words screens show, now read from data/pupil_groups.csv.
    assert group_title("disadvantaged") == "Disadvantaged"
    assert group_title("not_fsm") == "Not FSM"
    assert group_title("child_protection_plan") == "On a protection plan"
    assert comparator_phrase("not_disadvantaged") == "other pupils"
    assert comparator_phrase("no_sen") == "pupils without SEN"
    assert comparator_phrase("all") == "all children"
    assert group_noun("all") == "all pupils"
    assert group_noun("looked_after") == "looked-after children"
    assert group_noun("lowest_20pc") == "the lowest-attaining 20% of children"
    # A code the catalogue does not hold is shown as it is rather than hidden.
    assert (
        group_title("unknown") == comparator_phrase("unknown") == group_noun("unknown") == "unknown"
    )


def test_a_group_without_its_words_is_reported_with_file_line_and_column(
    tmp_path: Path,
) -> None:
    folder = copy_catalogue(tmp_path)
    path = folder / GROUPS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith("disadvantaged,Disadvantaged pupils,Disadvantaged,")
    lines[2] = lines[2].replace(",Disadvantaged,", ",,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalogue(folder)
    assert [str(p) for p in caught.value.problems] == [
        "pupil_groups.csv line 3 column short_title: is empty"
    ]


def copy_catalogue(tmp_path: Path) -> Path:
    for name in ("outcomes.csv", "indicators.csv", "pupil_groups.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_broken_row_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    folder = copy_catalogue(tmp_path)
    path = folder / INDICATORS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    # Break the polarity of the third data row (line 4 of the file).
    lines[3] = lines[3].replace("higher_is_better", "up").replace("lower_is_better", "up")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalogue(folder)
    problems = [p for p in caught.value.problems if p.column == "polarity"]
    assert [(p.file, p.line) for p in problems] == [("indicators.csv", 4)]
    assert "'up' is not one of" in str(problems[0])
    assert str(problems[0]).startswith("indicators.csv line 4 column polarity:")


def test_an_empty_definition_and_a_foreign_aim_are_both_caught(tmp_path: Path) -> None:
    folder = copy_catalogue(tmp_path)
    rows = read_rows(folder / INDICATORS_FILE, ("code",))
    rows[0]["definition"] = ""
    rows[1]["aim"] = "ew_income" if rows[1]["outcome"] != "economic_wellbeing" else "bh_drugs"
    from ecm.catalogue import Catalogue

    original = load_catalogue(folder)
    problems = check_catalogue(Catalogue(original.outcomes, rows, original.groups))
    columns = sorted(p.column for p in problems)
    assert columns == ["aim", "definition"]


def test_a_missing_column_rejects_the_file(tmp_path: Path) -> None:
    folder = copy_catalogue(tmp_path)
    path = folder / INDICATORS_FILE
    text = path.read_text(encoding="utf-8").replace(",polarity,", ",direction,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="indicators.csv line 1 column polarity: column missing"):
        load_catalogue(folder)


def test_sync_writes_the_whole_catalogue_and_is_repeatable(engine, catalogue) -> None:
    upgrade_schema(engine)
    for _ in range(2):
        with session_scope(engine) as session:
            sync_catalogue(session, catalogue)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Outcome)) == 5
        assert session.scalar(select(func.count()).select_from(Aim)) == 25
        assert session.scalar(select(func.count()).select_from(Indicator)) == len(
            catalogue.indicators
        )
        disadvantaged = session.get(PupilGroup, "disadvantaged")
        assert disadvantaged.comparator_code == "not_disadvantaged"
        assert session.get(Indicator, "ni_73").ni_number == 73


def test_group_labels_keep_acronyms_in_a_sentence() -> None:
    from ecm.catalogue import group_label

    assert group_label("disadvantaged") == "disadvantaged"
    assert group_label("fsm") == "FSM"
    assert group_label("all") == "all pupils"
    assert group_label("no_sen") == "no SEN"
