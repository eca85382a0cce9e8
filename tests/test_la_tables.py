"""DfE LA release tables (2010-2011 headerless tables, UD tables) and the 2019 outcomes files.

Values are checked against the raw rows of the real files; malformed variants made from them
must be rejected with file, line and column, and leave the store exactly as it was.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

import pytest

from ecm.config import ENGLAND_CODE
from ecm.errors import DataError
from ecm.importers import detect_format, import_file
from ecm.importers.reader import read_table
from tests.helpers import REAL, drop_database, fingerprint, fresh_engine, read

pytestmark = pytest.mark.realdata

LA = REAL / "la-releases"
OUT = LA / "cla-outcomes"
PLACE = LA / "cla-placements"
HAMPSHIRE = "E10000014"
KS2_2011 = OUT / "2011_underlying" / "KS2_Attainment_2011_LA.csv"
KS2_2017 = OUT / "2017_underlying" / "SFR20_2018_Table2_KS2_UD.csv"
EXCL_2010 = OUT / "2010_underlying" / "Exclusions_Final_V2.csv"
KS1_2010 = OUT / "2010_underlying" / "KS1_Final_V2.csv"
KS1_2011 = OUT / "2011_underlying" / "KS1_Attainment_2011_LA.csv"
KS1_2019 = OUT / "2019_underlying" / "2019_CLA_outcomes_KS1_UD.csv"
FSM = OUT / "Post_2016_files" / "fsm_la.csv"
SCHOOL_TYPE = OUT / "Post_2016_files" / "school_type_la.csv"
CEA_2017 = PLACE / "2017" / "SFR50_CEA2017.csv"
CLA_2017 = PLACE / "2017" / "SFR50_CLA2017.csv"
MISSING_2017 = PLACE / "2017" / "SFR50_Missing_2017.csv"
SERIES = PLACE / "post_2017_updated25" / "data" / "cla_time_series_1994_2024.csv"
IMD = LA / "contextual" / "imd19.csv"
RUC = LA / "contextual" / "RUC11_LAD11_ENv2.csv"
#: Every la-releases file that maps, with its format and figure count.
LOADED = {
    OUT / "2010_underlying" / "Absence2009_10.csv": ("la_table", 161),
    OUT / "2010_underlying" / "Absence_Final_V2.csv": ("la_table", 157),
    OUT / "2010_underlying" / "KS2_Final_V2.csv": ("la_table", 477),
    OUT / "2010_underlying" / "KS4_Final_V2.csv": ("la_table", 161),
    OUT / "2011_underlying" / "Absence_LA.csv": ("la_table", 643),
    OUT / "2011_underlying" / "Exclusions_LA.csv": ("la_table", 644),
    OUT / "2011_underlying" / "KS2_Attainment_2007-2011_LA.csv": ("la_table", 2391),
    KS2_2011: ("la_table", 480),
    OUT / "2011_underlying" / "KS4_Attainment_2007-2011_LA.csv": ("la_table", 805),
    OUT / "2011_underlying" / "KS4_Attainment_2011_LA.csv": ("la_table", 161),
    OUT / "2011_underlying" / "OC2.csv": ("la_table", 803),
    OUT / "2011_underlying" / "SEN_2011_LA.csv": ("la_table", 161),
    KS2_2017: ("la_table", 972),
    OUT / "2017_underlying" / "SFR20_2018_Table3_KS4_UD.csv": ("la_table", 486),
    OUT / "2017_underlying" / "SFR20_2018_Table4_SEN_UD.csv": ("la_table", 162),
    OUT / "2017_underlying" / "SFR20_2018_Table5_Absence_UD.csv": ("la_table", 324),
    OUT / "2017_underlying" / "SFR20_2018_Table6_Exclusions_UD.csv": ("la_table", 162),
    OUT / "Post_2016_files" / "SFR50_OC22017.csv": ("la_table", 805),
    PLACE / "2010" / "SFR27_2010_March.csv": ("la_table", 324),
    PLACE / "2014" / "SFR36_CLA2014.csv": ("la_table", 322),
    PLACE / "2017" / "SFR50_CareLeavers19to212017.csv": ("la_table", 644),
    EXCL_2010: ("la_table", 157),
    KS1_2010: ("la_table", 470),
    OUT / "2010_underlying" / "OC2_Final_V2.csv": ("la_table", 644),
    OUT / "2010_underlying" / "SEN_Final_V2.csv": ("la_table", 161),
    KS1_2011: ("la_table", 474),
    PLACE / "2010" / "SFR27_2010_Ceased.csv": ("la_table", 161),
    PLACE / "2010" / "SFR27_2010_Started.csv": ("la_table", 162),
    PLACE / "2014" / "SFR36_ADM2014.csv": ("la_table", 161),
    PLACE / "2014" / "SFR36_ADP2014.csv": ("la_table", 161),
    PLACE / "2014" / "SFR36_CEA2014.csv": ("la_table", 161),
    PLACE / "2014" / "SFR36_FormerCareLeavers2014.csv": ("la_table", 322),
    PLACE / "2017" / "SFR50_ADM2017.csv": ("la_table", 161),
    CEA_2017: ("la_table", 161),
    CLA_2017: ("la_table", 162),
    PLACE / "2017" / "SFR50_CareLeavers17182017.csv": ("la_table", 322),
    MISSING_2017: ("la_table", 161),
    IMD: ("la_table", 302),
    RUC: ("la_table", 123),
    OUT / "2019_underlying" / "2019_CLA_outcomes_KS2_UD1.csv": ("tidy", 948),
    OUT / "2019_underlying" / "2019_CLA_outcomes_KS4_UD1.csv": ("tidy", 474),
    OUT / "2019_underlying" / "2019_CLA_outcomes_SEN_UD.csv": ("tidy", 158),
    OUT / "2019_underlying" / "2019_CLA_outcomes_absence_UD.csv": ("tidy", 312),
    OUT / "2019_underlying" / "2019_CLA_outcomes_exclusions_UD.csv": ("tidy", 158),
    OUT / "Post_2016_files" / "sen_la.csv": ("tidy", 2874),
    KS1_2019: ("tidy", 3),
    FSM: ("tidy", 1916),
    SCHOOL_TYPE: ("tidy", 2861),
    SERIES: ("tidy", 31),
}
#: Known tables deliberately left unmapped, with the reason their rejection gives.
NOT_MAPPED = {PLACE / "2010" / "OSR23_2010_UD.csv": "self-evaluation scores"}


def raw_rows(path: Path) -> list[list[str]]:
    """The file's rows as csv gives them (header first), without the byte-order mark."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def raw_row(path: Path, code: str) -> dict[str, str]:
    """The row whose first place code (LA number or geog_c) is ``code``, by header name."""
    rows = raw_rows(path)
    header = [" ".join(h.split()) for h in rows[0]]
    place = header.index("geog_c") if "geog_c" in header else 0
    row = next(r for r in rows[1:] if r and r[place].strip() == code)
    return dict(zip(header, row, strict=False))


def number(text: str) -> float:
    return float(text.replace(",", ""))


def figure(engine, indicator: str, area: str, period: str, group: str = "looked_after"):
    rows = read(
        engine,
        "SELECT value, numerator, denominator, marker FROM observation WHERE indicator_code = "
        ":i AND area_code = :a AND period = :p AND group_code = :g",
        i=indicator,
        a=area,
        p=period,
        g=group,
    )
    assert len(rows) == 1, (indicator, area, period, group, rows)
    return rows[0]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A store holding every la-releases file that maps."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("la_tables"))
    outcomes = {path: import_file(engine, path) for path in LOADED}
    yield engine, outcomes
    engine.dispose()
    drop_database(url)


def test_every_la_release_that_maps_imports(loaded) -> None:
    _, outcomes = loaded
    for path, (fmt, figures) in LOADED.items():
        outcome = outcomes[path]
        assert (outcome.status, outcome.format, outcome.figures) == ("loaded", fmt, figures), path


def test_ks2_2011_hampshire_is_computed_from_the_raw_counts(loaded) -> None:
    engine, _ = loaded
    raw = raw_row(KS2_2011, "850")
    eligible = number(raw["Number KS2 children as returned on SSDA903"])
    for indicator, column in (
        ("ni_99", "Number of children achieving level 4 in English"),
        ("ni_100", "Number of children achieving level 4 in Maths"),
        ("ni_73", "Number of children achieving level 4 in both English and maths"),
    ):
        achieved = number(raw[column])
        value, numerator, denominator, marker = figure(engine, indicator, HAMPSHIRE, "2010/11")
        assert (numerator, denominator, marker) == (achieved, eligible, None)
        assert value == pytest.approx(100 * achieved / eligible)
    # Regions by name, spelled "Yorks & the Humber " in this file.
    raw = raw_row(KS2_2011, "YH")
    value, numerator, denominator, _ = figure(engine, "ni_99", "E12000003", "2010/11")
    assert (numerator, denominator) == (
        number(raw["Number of children achieving level 4 in English"]),
        number(raw["Number KS2 children as returned on SSDA903"]),
    )


def test_the_2010_tables_use_participating_pupils_and_read_thousands(tmp_path) -> None:
    # On its own: the 2007-2011 series of the next release revises these 2009/10 figures.
    url, engine = fresh_engine(tmp_path)
    try:
        path = OUT / "2010_underlying" / "KS2_Final_V2.csv"
        import_file(engine, path)
        import_file(engine, OUT / "2010_underlying" / "KS4_Final_V2.csv")
        england = next(r for r in raw_rows(path) if len(r) > 1 and r[1].strip() == "England")
        assert england[15] == "1,790"  # participating: the 2010 boycott left many untested
        value, numerator, denominator, _ = figure(engine, "ni_100", ENGLAND_CODE, "2009/10")
        assert (numerator, denominator) == (number(england[17]), 1790.0)
        assert value == pytest.approx(100 * number(england[17]) / 1790)
        # KS4 2009/10: 5+ A*-C including English and maths over those returned on SSDA903.
        value, numerator, denominator, _ = figure(engine, "ni_101", ENGLAND_CODE, "2009/10")
        assert (numerator, denominator) == (590.0, 5090.0)
    finally:
        engine.dispose()
        drop_database(url)


def test_series_markers_means_rates_and_sums(loaded) -> None:
    engine, _ = loaded
    # Exclusions 2006/07: Hampshire's permanent exclusions are suppressed ("x").
    raw = raw_row(OUT / "2011_underlying" / "Exclusions_LA.csv", "850")
    assert raw["Number permanently excluded 2007"] == "x"
    assert figure(engine, "ni_114", HAMPSHIRE, "2006/07") == (
        None,
        None,
        number(raw["Number eligible for full-time schooling 2007"]),
        "x",
    )
    # SDQ 2010-11: a mean (total score over children with a score); no numerator is stored.
    value, numerator, denominator, _ = figure(engine, "ni_58", ENGLAND_CODE, "2010-11", "all")
    assert (numerator, denominator) == (None, 23867.0)
    assert value == pytest.approx(331648 / 23867)
    # Children looked after per 10,000 under-18s at 31 March 2010.
    raw = raw_row(PLACE / "2010" / "SFR27_2010_March.csv", "850")
    value, numerator, denominator, _ = figure(engine, "cla_rate", HAMPSHIRE, "2010", "all")
    assert (numerator, denominator) == (number(raw["MarTotal_2010"]), number(raw["Mid2009Pop0-17"]))
    assert value == pytest.approx(10000 * numerator / denominator)
    # Three or more placements, 2013-14.
    raw = raw_row(PLACE / "2014" / "SFR36_CLA2014.csv", "850")
    value, numerator, denominator, _ = figure(engine, "ni_62", HAMPSHIRE, "2013-14", "all")
    assert (numerator, denominator) == (number(raw["CLA_3Pla"]), number(raw["CLA_Mar2014"]))
    # Care leavers at 19 in education, employment or training: three columns summed.
    raw = raw_row(PLACE / "2017" / "SFR50_CareLeavers19to212017.csv", "999")
    in_eet = sum(number(raw[c]) for c in ("CL_Act_HE19", "CL_Act_OE19", "CL_Act_TE19"))
    value, numerator, denominator, _ = figure(engine, "ni_148", ENGLAND_CODE, "2016-17", "all")
    assert (numerator, denominator) == (in_eet, number(raw["CL_All_19"]))


def test_ud_tables_keep_the_published_figures(loaded) -> None:
    engine, _ = loaded
    raw = raw_row(KS2_2017, "937")  # Warwickshire
    value, numerator, denominator, _ = figure(engine, "ptrwm_exp", "E10000031", "2016/17")
    assert value == pytest.approx(number(raw["Exp_KS2_stand_RWM_%"]))
    assert (numerator, denominator) == (
        number(raw["Exp_KS2_stand_RWM"]),
        number(raw["Elig_KS2_RWM"]),
    )
    # Inner and Outer London carry London's ONS code in these files: they are skipped.
    value, *_ = figure(engine, "ptrwm_exp", "E12000007", "2016/17")
    assert value == number(raw_row(KS2_2017, "G")["Exp_KS2_stand_RWM_%"])
    raw = raw_row(OUT / "Post_2016_files" / "SFR50_OC22017.csv", "999")
    assert figure(engine, "ni_58", ENGLAND_CODE, "2016-17", "all")[0] == number(
        raw["OC2_SDQaverage"]
    )


def test_the_2019_outcomes_and_sen_tidy_files_map_to_looked_after_children(loaded) -> None:
    engine, _ = loaded
    # KS2 2018/19, England, reading, writing and maths (characteristic "Looked after children").
    rows = raw_rows(OUT / "2019_underlying" / "2019_CLA_outcomes_KS2_UD1.csv")
    header = rows[0]
    england = next(
        dict(zip(header, r, strict=True))
        for r in rows[1:]
        if r[2] == "National" and r[11] == "Reading, writing and mathematics"
    )
    assert figure(engine, "ptrwm_exp", ENGLAND_CODE, "2018/19")[:3] == (
        number(england["percent_achieving"]),
        number(england["number_achieving"]),
        number(england["number_eligible"]),
    )
    # KS4: the columns themselves are about looked-after children; "." is a marker.
    assert figure(engine, "att8scr", ENGLAND_CODE, "2018/19")[0] == 19.2
    assert figure(engine, "ptl2basics_94", "E09000001", "2018/19") == (None, None, 0.0, ".")
    # SEN support of children looked after 12 months, from sen_la.csv.
    assert figure(engine, "psenelk", ENGLAND_CODE, "2016/17")[0] is not None


def tidy_row(path: Path, **wanted: str) -> dict[str, str]:
    """The one row of a tidy file whose columns have the wanted values."""
    rows = raw_rows(path)
    found = [
        dict(zip(rows[0], r, strict=True))
        for r in rows[1:]
        if all(dict(zip(rows[0], r, strict=True))[k] == v for k, v in wanted.items())
    ]
    assert len(found) == 1, (path.name, wanted, found)
    return found[0]


def test_ks1_attainment_of_looked_after_children(loaded) -> None:
    engine, _ = loaded
    raw = raw_row(KS1_2011, "850")
    eligible = number(raw["Number KS1 children as returned on SSDA903"])
    value, numerator, denominator, _ = figure(engine, "ks1_read_l2", HAMPSHIRE, "2010/11")
    assert (numerator, denominator) == (
        number(raw["Number of children achieving level 2 in Reading"]),
        eligible,
    )
    assert value == pytest.approx(100 * numerator / eligible)
    # 2009/10 from the 2010 table: England's rounded counts (720 of 1,400 at level 2 in writing).
    value, numerator, denominator, _ = figure(engine, "ks1_writ_l2", ENGLAND_CODE, "2009/10")
    assert (numerator, denominator) == (720.0, 1400.0)
    assert value == pytest.approx(100 * 720 / 1400)
    # Surrey's 2010 maths cell (7 of 6) contradicts its own denominator: no figure, no rejection.
    assert raw_row(KS1_2010, "936")["Number of children achieving level 2 in maths"] == "7"
    assert (
        read(
            engine,
            "SELECT value FROM observation WHERE indicator_code = 'ks1_mat_l2' "
            "AND area_code = 'E10000030' AND period = '2009/10'",
        )
        == []
    )
    assert figure(engine, "ks1_mat_l2", "E10000030", "2010/11")[3] is None  # 2011 is sound
    # 2018/19 expected standard (England only): the published percentage over those eligible.
    raw = tidy_row(
        KS1_2019,
        characteristic="Looked after children",
        ks1_assessment_measure="English Reading",
        gender="Total",
    )
    assert figure(engine, "ks1_read_exp", ENGLAND_CODE, "2018/19")[:3] == (
        number(raw["percent_achieving"]),
        None,
        number(raw["number_eligible"]),
    )


def test_health_offending_exclusions_and_sen_of_looked_after_children(loaded) -> None:
    engine, _ = loaded
    raw = raw_row(OUT / "2011_underlying" / "OC2.csv", "850")
    value, numerator, denominator, _ = figure(engine, "cla_offending", HAMPSHIRE, "2010-11", "all")
    assert (numerator, denominator) == (
        number(raw["Number of children looked after with cautions or conviction"]),
        number(
            raw[
                "Number of children looked after continuously for 12 months aged 10 or over at "
                "31 March"
            ]
        ),
    )
    assert value == pytest.approx(100 * numerator / denominator)
    value, numerator, denominator, _ = figure(
        engine, "cla_immunisations", ENGLAND_CODE, "2009-10", "all"
    )
    raw = raw_row(OUT / "2010_underlying" / "OC2_Final_V2.csv", "")  # England has no number
    assert (numerator, denominator) == (
        number(raw["Number of children who immunisations were up to date"]),
        number(raw["Number of children looked after continuously for 12 months at 31 March 2010"]),
    )
    raw = raw_row(OUT / "Post_2016_files" / "SFR50_OC22017.csv", "999")
    value, *_ = figure(engine, "cla_dental_check", ENGLAND_CODE, "2016-17", "all")
    assert value == pytest.approx(100 * number(raw["OC2_teethcheck"]) / number(raw["OC2_12mths"]))
    # Fixed-period exclusions 2008/09 (2010 release): primary, secondary and special summed.
    value, numerator, denominator, _ = figure(engine, "suspension_rate", ENGLAND_CODE, "2008/09")
    assert (numerator, denominator) == (840 + 5930 + 1800, 8700 + 13320 + 3520)
    # SEN support (School Action and Action Plus) in 2009/10: a suppressed part suppresses it.
    assert figure(engine, "psenelk", ENGLAND_CODE, "2009/10")[3] == "x"


def test_children_starting_leaving_and_missing_from_care(loaded) -> None:
    engine, _ = loaded
    assert figure(engine, "cla_starts", ENGLAND_CODE, "2009-10", "all")[0] == 27800
    # Hampshire's count at 31 March 2017 (England's comes from the later, revised series).
    count = number(raw_row(CLA_2017, "850")["CLA_Mar2017"])
    assert figure(engine, "cla_count", HAMPSHIRE, "2017", "all")[0] == count
    # Adopted, % of children ceasing care: the two adoption routes summed.
    raw = raw_row(CEA_2017, "850")
    value, numerator, denominator, _ = figure(engine, "cla_adopted", HAMPSHIRE, "2016-17", "all")
    assert (numerator, denominator) == (
        number(raw["CEA_Adop1"]) + number(raw["CEA_Adop2"]),
        number(raw["CLA_cease2017"]),
    )
    # 2013-14: ADP2014 and CEA2014 agree (England 5,050 adopted of 30,430 ceasing).
    assert figure(engine, "cla_adopted", ENGLAND_CODE, "2013-14", "all")[1:3] == (5050, 30430)
    # Missing: children with a missing incident over all looked after during the year, the
    # denominator read from SFR50_CLA2017.csv beside the missing table.
    for code, area in (("999", ENGLAND_CODE), ("850", HAMPSHIRE)):
        missing = number(raw_row(MISSING_2017, code)["Miss_Miss_DuringYear"])
        during = number(raw_row(CLA_2017, code)["CLA_2017"])
        value, numerator, denominator, _ = figure(engine, "cla_missing", area, "2016-17", "all")
        assert (numerator, denominator) == (missing, during)
        assert value == pytest.approx(100 * missing / during)
    assert round(figure(engine, "cla_missing", ENGLAND_CODE, "2016-17", "all")[0]) == 10  # LAIT
    # Care leavers aged 17-18 in suitable accommodation.
    raw = raw_row(PLACE / "2017" / "SFR50_CareLeavers17182017.csv", "850")
    assert figure(engine, "cl_acc_1718", HAMPSHIRE, "2016-17", "all")[1:3] == (
        number(raw["CL_Acc_SUIT17&18"]),
        number(raw["CL_All_17&18"]),
    )
    # Children looked after at 31 March 2024, England, from the 1994-2024 series.
    raw = tidy_row(SERIES, time_period="2024", population_count="Children looked after at 31 March")
    assert figure(engine, "cla_count", ENGLAND_CODE, "2024", "all")[0] == number(raw["number"])


def test_fsm_and_special_schools_of_children_in_need(loaded) -> None:
    engine, _ = loaded
    raw = tidy_row(FSM, time_period="202122", geographic_level="National",
                   social_care_group="CINO at 31 March")  # fmt: skip
    assert figure(engine, "fsm_eligible", ENGLAND_CODE, "2021/22", "children_in_need")[:3] == (
        number(raw["pt_FSM_eligible"]),
        number(raw["t_FSM_eligible"]),
        number(raw["t_pupils"]),
    )
    looked_after = "CLA 12 months at 31 March"
    raw = tidy_row(SCHOOL_TYPE, time_period="202122", geographic_level="Local authority",
                   new_la_code=HAMPSHIRE, social_care_group=looked_after)  # fmt: skip
    value, numerator, denominator, _ = figure(engine, "special_school_pupils", HAMPSHIRE, "2021/22")
    assert (numerator, denominator) == (number(raw["t_special"]), number(raw["t_pupils"]))
    assert value == pytest.approx(100 * numerator / denominator)


def test_deprivation_and_rurality_by_ons_code(loaded) -> None:
    engine, _ = loaded
    assert detect_format(read_table(IMD)).name == "la_table"
    # Hampshire: IMD 2019 average score 12.693; 0.84% of its LSOAs in the most deprived 10%.
    assert figure(engine, "imd_score", HAMPSHIRE, "2019", "all")[0] == pytest.approx(12.693)
    assert figure(engine, "imd_lsoa_10pc", HAMPSHIRE, "2019", "all")[0] == pytest.approx(0.84)
    # Hartlepool (a unitary: its district code is its LA code): rural 3,173 of 92,028 (3.4%).
    value, numerator, denominator, _ = figure(
        engine, "rural_population", "E06000001", "2011", "all"
    )
    assert (numerator, denominator) == (3173, 92028)
    assert round(value, 1) == 3.4
    # Shire districts (E07) are below the education authority level: none is stored.
    assert read(engine, "SELECT COUNT(*) FROM observation WHERE area_code LIKE 'E07%'") == [(0,)]


@pytest.mark.parametrize("path", list(NOT_MAPPED), ids=lambda p: p.name)
def test_tables_without_an_outcome_measure_are_rejected_with_the_reason(tmp_path, path) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        assert detect_format(read_table(path)).name == "la_table"
        with pytest.raises(DataError, match=f"line 1: not mapped on purpose: .*{NOT_MAPPED[path]}"):
            import_file(engine, path)
    finally:
        engine.dispose()
        drop_database(url)


def test_a_tidy_file_with_nothing_that_maps_is_rejected(tmp_path) -> None:
    path = tmp_path / FSM.name
    path.write_bytes(FSM.read_bytes().replace(b"pt_FSM_eligible", b"pt_unknown", 1))
    url, engine = fresh_engine(tmp_path)
    try:
        with pytest.raises(DataError, match="no measure column of this file is in data/mappings"):
            import_file(engine, path)
    finally:
        engine.dispose()
        drop_database(url)


def test_a_missing_from_care_table_without_its_denominator_file_says_which(tmp_path) -> None:
    path = tmp_path / MISSING_2017.name
    path.write_bytes(MISSING_2017.read_bytes())
    url, engine = fresh_engine(tmp_path)
    try:
        with pytest.raises(DataError, match="denominator is published in SFR50_CLA2017.csv"):
            import_file(engine, path)
    finally:
        engine.dispose()
        drop_database(url)


def test_other_formats_keep_their_files() -> None:
    for path in (OUT / "Post_2016_files" / "ks2_la.csv", REAL / "fingertips-tidy" / "neets.csv"):
        assert detect_format(read_table(path)).name != "la_table"


# --- malformed variants ---------------------------------------------------------------------


def rewrite(path: Path, edit) -> bytes:  # noqa: ANN001
    """The file's rows after ``edit(rows)`` (rows include the header), written back as CSV."""
    rows = raw_rows(path)
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def line_of(path: Path, code: str) -> int:
    """The line number of the row whose first place code is ``code``."""
    rows = raw_rows(path)
    place = rows[0].index("geog_c") if "geog_c" in rows[0] else 0
    return next(i for i, r in enumerate(rows) if r and r[place].strip() == code) + 1


def set_value(path: Path, code: str, column: str, value: str) -> bytes:
    def edit(rows: list[list[str]]) -> None:
        names = [" ".join(h.split()) for h in rows[0]]
        rows[line_of(path, code) - 1][names.index(column)] = value

    return rewrite(path, edit)


ENGLISH = "Number of children achieving level 4 in English"
ELIGIBLE = "Number KS2 children as returned on SSDA903"
UNKNOWN = "Number of pupils in care"  # a long name, as these tables have, that nothing maps


@functools.cache
def lines() -> dict[str, int]:
    """The lines the messages name: Hampshire's row of the 2011 table and Warwickshire's of
    the 2017 one. Read when a test runs, not when the module is collected, so that without the
    real files the tests fail with the ``realdata`` message instead of collection breaking."""
    hants = line_of(KS2_2011, "850")
    return {"hants": hants, "hants_next": hants + 1, "warwickshire": line_of(KS2_2017, "937")}


#: Messages name lines as ``{hants}``, ``{hants_next}`` and ``{warwickshire}`` (see ``lines``).
VARIANTS = [
    # (id, source, content, message)
    ("bad-number", KS2_2011, lambda: set_value(KS2_2011, "850", ENGLISH, "12,5"),
     f"line {{hants}} column {ENGLISH}: '12,5' is not a number"),
    ("duplicate-la", KS2_2011,
     lambda: rewrite(KS2_2011, lambda r: r.insert(lines()["hants"], list(r[lines()["hants"] - 1]))),
     "line {hants_next} column LA Number: Hampshire appears twice (first on line {hants})"),
    ("numerator-above-denominator", KS2_2011, lambda: set_value(KS2_2011, "850", ENGLISH, "99"),
     f"line {{hants}} column {ENGLISH}: 99 is more than its denominator 35"),
    ("negative-count", KS2_2011, lambda: set_value(KS2_2011, "850", ELIGIBLE, "-35"),
     f"line {{hants}} column {ELIGIBLE}: negative count -35"),
    ("header-only", KS2_2011, lambda: rewrite(KS2_2011, lambda r: r.__delitem__(slice(1, None))),
     "line 2: the file has a header but no rows"),
    ("unmapped-header", KS2_2011,
     lambda: rewrite(KS2_2011, lambda r: r[0].__setitem__(slice(2, 6), [UNKNOWN] * 4)),
     "line 1: no column of this file is in data/mappings/la_tables.csv"),
    ("ud-bad-number", KS2_2017, lambda: set_value(KS2_2017, "937", "Exp_KS2_stand_RWM_%", "4O"),
     "line {warwickshire} column Exp_KS2_stand_RWM_%: '4O' is not a number"),
    ("ud-percent-over-100", KS2_2017,
     lambda: set_value(KS2_2017, "937", "Exp_KS2_stand_RWM_%", "142.9"),
     "line {warwickshire} column Exp_KS2_stand_RWM_%: 142.9% is outside 0-100%"),
    ("ud-duplicate-la", KS2_2017,
     lambda: rewrite(KS2_2017, lambda r: r.append(list(r[lines()["warwickshire"] - 1]))),
     "column geog_c: Warwickshire appears twice"),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store holding one real LA table, for rejections to leave untouched."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("la_store"))
    import_file(engine, PLACE / "2010" / "SFR27_2010_March.csv")
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.mark.parametrize(("source", "maker", "message"), [v[1:] for v in VARIANTS],
                         ids=[v[0] for v in VARIANTS])  # fmt: skip
def test_malformed_variants_are_rejected_and_change_nothing(
    store, tmp_path, source, maker, message
) -> None:
    message = message.format(**lines())
    path = tmp_path / source.name
    path.write_bytes(maker())
    before = fingerprint(store)
    with pytest.raises(DataError) as caught:
        import_file(store, path, period="2010/11")
    assert str(caught.value).startswith(source.name), str(caught.value)
    assert message in str(caught.value), str(caught.value)
    assert fingerprint(store) == before


def test_a_2010_table_outside_its_folder_needs_a_year(store, tmp_path) -> None:
    path = tmp_path / "KS2_Final_V2.csv"
    path.write_bytes((OUT / "2010_underlying" / "KS2_Final_V2.csv").read_bytes())
    before = fingerprint(store)
    with pytest.raises(DataError, match="cannot tell the year"):
        import_file(store, path)
    assert fingerprint(store) == before
    # Given the year, the same file imports as 2009/10.
    outcome = import_file(store, path, period="2009/10", dry_run=True)
    assert (outcome.status, outcome.figures) == ("checked", 477)
