"""The LAIT long file (parquet): values as published, periods in the catalogue's style, gaps
filled without replacing source figures, and broken copies rejected with the store unchanged."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecm.errors import DataError
from ecm.importers import import_file
from ecm.importers.geography import la_lookup
from ecm.importers.lait import mapping, period_label
from tests.helpers import REAL, TIDY, drop_database, fingerprint, fresh_engine, read

LAIT = REAL / "lait" / "bds_long_0.parquet"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_parquet(LAIT)


def published(raw: pd.DataFrame, item: str, place: str, years: str) -> str:
    """The text LAIT publishes for one item, place and year."""
    rows = raw[
        (raw["Short Desc"] == item) & (raw["LA and Regions"] == place) & (raw["Years"] == years)
    ]
    assert len(rows) == 1, (item, place, years)
    return rows["Values"].iloc[0]


@pytest.mark.parametrize(
    ("years", "period_type", "label"),
    [
        ("2019", "academic_year", "2018/19"),
        ("2019", "financial_year", "2018-19"),
        ("2019", "snapshot_march", "2019"),
        ("2019", "calendar_year", "2019"),
        ("2015/16", "academic_year", "2015/16"),
        ("2022-23 (OT)", "financial_year", "2022-23"),
        ("2022-23", "academic_year", "2022/23"),
        ("2024 (Rev)", "academic_year", "2023/24"),
        ("2000/01", "financial_year", "2000-01"),
        ("1999/00", "academic_year", "1999/00"),
        ("2014-16", "calendar_year", None),  # a pooled three-year figure, not one year
        ("2013/14-15/16", "academic_year", None),
        ("0", "academic_year", None),
    ],
)
def test_lait_years_take_the_catalogue_style(years, period_type, label) -> None:
    assert period_label(years, period_type) == label


@pytest.mark.realdata
def test_the_lait_file_loads_every_mapped_item_as_published(tmp_path, raw) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        outcome = import_file(engine, LAIT)
        assert (outcome.status, outcome.format) == ("loaded", "lait")
        items = raw[raw["Short Desc"].isin(list(mapping()))]
        # Every mapped row is stored except those for places the dashboard does not hold
        # (inner and outer London, authorities that no longer exist) and blank cells.
        assert 0.95 * len(items) < outcome.figures <= len(items)
        stored = {
            row[0]: row[1]
            for row in read(
                engine,
                "SELECT indicator_code || '|' || group_code || '|' || level || '|' || area_code "
                "|| '|' || period, value FROM observation",
            )
        }
        # KS2 disadvantaged pupils in Hampshire: LAIT's 2019 is the 2018/19 academic year, the
        # year the performance tables publish 49% for (see the reconciliation test).
        assert stored["ptrwm_exp|disadvantaged|la|E10000014|2018/19"] == 49.0
        assert stored["ptrwm_exp|disadvantaged|la|E10000014|2018/19"] == float(
            published(raw, "DAP_NEW_KS2_RWM", "Hampshire", "2019")
        )
        # Children looked after at 31 March 2024 keep their snapshot year; England and a region.
        assert stored["cla_rate|all|england|E92000001|2024"] == float(
            published(raw, "LAC", "England", "2024")
        )
        assert stored["cla_rate|all|region|E12000001|2024"] == float(
            published(raw, "LAC", "North East", "2024")
        )
        # Scientific notation as published (permanent exclusions, % of pupils).
        assert stored["ni_114|all|la|E10000014|2022/23"] == pytest.approx(0.06747)
        # Financial years take a hyphen; "-" is a marker, not a number.
        markers = dict(
            read(
                engine,
                "SELECT period, marker FROM observation WHERE indicator_code = 'ni_53' "
                "AND area_code = 'E10000014'",
            )
        )
        assert markers["2015-16"] == "-" and markers["2018-19"] is None
        batch = read(engine, "SELECT format, rows_loaded, note FROM import_batch")[0]
        assert batch[:2] == ("lait", outcome.figures)
        assert "items not mapped to indicators" in batch[2]
        # England's first-time entrants row is published ten times too large (1976 for 2019,
        # regions 172 to 274): each year of it is left out and named; its regions are kept.
        assert published(raw, "FirstYJS", "England", "2019") == "1976"
        youth = {k: v for k, v in stored.items() if k.startswith("ni_111|all|")}
        assert not [k for k in youth if "|england|" in k]
        assert youth["ni_111|all|region|E12000008|2018-19"] == 172.0
        assert batch[2].count("lies outside its parts' range") == 9
        assert (
            "left out row 78,189 (ni_111 E92000001 2018-19): 1976 lies outside its parts' range "
            "(172 to 274), which an average cannot" in batch[2]
        )
        # LAs are created with their regions from the lookup.
        numbers = {f"{int(n):03d}" for n in items["LA Number"] if n < 970}
        expected = {la_lookup().loc[n, "ons_code"] for n in numbers & set(la_lookup().index)}
        assert {code for (code,) in read(engine, "SELECT code FROM local_authority")} == expected
    finally:
        engine.dispose()
        drop_database(url)


@pytest.mark.realdata
def test_lait_fills_gaps_but_never_replaces_a_source_figure(tmp_path, raw) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        import_file(engine, TIDY / "ks2_la.csv")
        query = (
            "SELECT o.value, o.denominator, b.format FROM observation o "
            "JOIN import_batch b ON b.id = o.batch_id WHERE o.area_code = 'E10000014' "
            "AND o.indicator_code = 'ptrwm_exp' AND o.group_code = 'looked_after' "
            "AND o.period = :period"
        )
        source = read(engine, query, period="2018/19")
        assert source[0][1] is not None and source[0][2] == "tidy"
        outcome = import_file(engine, LAIT)
        assert any("kept" in note and "source files" in note for note in outcome.notes)
        assert read(engine, query, period="2018/19") == source  # counts kept, not replaced
        filled = read(engine, query, period="2023/24")  # a year the tidy file lacks
        assert filled == [
            (float(published(raw, "LAC_KS2_ExpStd_RWM", "Hampshire", "2024")), None, "lait")
        ]
    finally:
        engine.dispose()
        drop_database(url)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


def variant(raw: pd.DataFrame, item: str, place: str, years: str, **changes) -> pd.DataFrame:
    """A copy of the file with one row's cells changed; returns it and the row number."""
    frame = raw.copy()
    index = frame.index[
        (frame["Short Desc"] == item)
        & (frame["LA and Regions"] == place)
        & (frame["Years"] == years)
    ][0]
    for column, value in changes.items():
        frame.loc[index, column.replace("_", " ")] = value
    return frame, index + 1


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url, engine = fresh_engine(tmp_path_factory.mktemp("lait"))
    import_file(engine, TIDY / "ks2_la.csv")
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.mark.realdata
def test_broken_lait_files_are_rejected_and_change_nothing(store, tmp_path, raw) -> None:
    bad_value, row = variant(raw, "LAC", "Hampshire", "2024", Values="6O")
    over_100, row_100 = variant(raw, "DAP_NEW_KS2_RWM", "Hampshire", "2019", Values="149")
    bad_year, row_year = variant(raw, "LAC", "Hampshire", "2024", Years="24")
    duplicate = pd.concat([raw, raw.iloc[[int(raw.index[raw["Short Desc"] == "LAC"][0])]]])
    cases = [
        (parquet_bytes(bad_value), f"line {row:,} column Values: '6O' is not a number"),
        (parquet_bytes(over_100), f"line {row_100:,} column Values: 149% is outside 0-100%"),
        (parquet_bytes(bad_year), f"line {row_year:,} column Years: '24' is not a year"),
        (parquet_bytes(duplicate.reset_index(drop=True)), "appears twice"),
        (parquet_bytes(raw.drop(columns=["LA Number"])), "column LA Number: not a LAIT long file"),
        (parquet_bytes(raw[~raw["Short Desc"].isin(list(mapping()))]), "no item of this file"),
        (b"PAR1 this is not really a parquet file", "not a parquet file"),
    ]
    for content, message in cases:
        path = tmp_path / "bds_long_0.parquet"
        path.write_bytes(content)
        before = fingerprint(store)
        with pytest.raises(DataError) as caught:
            import_file(store, path)
        assert message in str(caught.value), str(caught.value)
        assert str(caught.value).startswith("bds_long_0.parquet")
        assert fingerprint(store) == before
    # A parquet file is not one of the CSV formats.
    with pytest.raises(DataError, match="this file is not tidy"):
        import_file(store, LAIT, format_name="tidy")


@pytest.mark.realdata
def test_the_funnel_holds_only_the_authorities_with_group_sizes(tmp_path) -> None:
    """LAIT publishes the disadvantaged KS2 figure of every LA without counts; Hampshire's own
    performance table gives its counts, so Hampshire alone is placed in the funnel."""
    from ecm.places.explorer import explore_gaps

    url, engine = fresh_engine(tmp_path)
    try:
        import_file(engine, LAIT)
        import_file(
            engine, REAL / "performance-tables" / "hampshire" / "2018-2019_850_ks2final.csv"
        )
        result = explore_gaps(engine, "ptrwm_exp", "disadvantaged", "la", "2018/19")
        assert result.summary["with_figures"] > 100 and result.summary["with_sizes"] == 1
        placed = result.gaps[result.gaps["position"].notna()]
        assert list(placed["area_code"]) == ["E10000014"] and not result.limits.empty
    finally:
        engine.dispose()
        drop_database(url)
