"""Importers on the real published files, and on malformed variants made from them.

Every variant must be rejected with a message naming the file (and line and column where there
is one), and must leave the store exactly as it was.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ecm.errors import DataError
from ecm.importers import import_file
from tests.helpers import (
    KS2,
    KS4,
    NEETS,
    PT,
    REAL,
    REPO_ROOT,
    TIDY,
    assert_rejected,
    drop_database,
    fingerprint,
    fresh_engine,
    read,
    run,
)

pytestmark = pytest.mark.realdata

CENSUS = PT / "england-2018-19" / "england_census.csv"
ABSENCE = PT / "england-2018-19" / "england_abs.csv"
DESTINATIONS = PT / "england-2018-19" / "england_ks4-pupdest.csv"
GIAS = REAL / "gias" / "20220420_gias.csv"


# --- the real files ------------------------------------------------------------------------


def test_every_school_file_imports_with_values_as_published(tmp_path) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        outcomes = [
            import_file(engine, path) for path in (GIAS, *sorted((PT / "hampshire").glob("*.csv")))
        ]
        outcomes += [import_file(engine, path) for path in (CENSUS, ABSENCE, DESTINATIONS)]
        assert [o.status for o in outcomes] == ["loaded"] * len(outcomes)
        assert [o.format for o in outcomes] == [
            "gias", "ks2", "ks4", "ks2", "ks4", "ks2", "census", "absence", "destinations",
        ]  # fmt: skip
        # Hampshire KS2 2018-19, LA row: 3,263 disadvantaged pupils, 49% vs 73%.
        la = {
            g: (v, n, d)
            for g, v, n, d in read(
                engine,
                "SELECT group_code, value, numerator, denominator FROM observation "
                "WHERE level = 'la' AND area_code = 'E10000014' AND period = '2018/19' "
                "AND indicator_code = 'ptrwm_exp'",
            )
        }
        assert la["disadvantaged"] == (49.0, round(0.49 * 3263), 3263.0)
        assert la["not_disadvantaged"][0] == 73.0 and la["all"][2] == 14855
        # A school row, as in the raw file: Anstey Junior School 63% of 60, disadvantaged 61% of 18.
        school = {
            g: (v, d)
            for g, v, d in read(
                engine,
                "SELECT group_code, value, denominator FROM observation WHERE level = 'school' "
                "AND area_code = '115851' AND period = '2018/19' AND indicator_code = 'ptrwm_exp'",
            )
        }
        assert school["all"] == (63.0, 60.0) and school["disadvantaged"] == (61.0, 18.0)
        # Markers survive: Treloar School's disadvantaged Attainment 8 is published as NP.
        assert read(
            engine,
            "SELECT marker FROM observation WHERE area_code = '116636' AND indicator_code = "
            "'att8scr' AND group_code = 'disadvantaged' AND period = '2017/18'",
        ) == [("NP",)]
        # Progress 8 keeps its published interval.
        assert read(
            engine,
            "SELECT value, lower_ci, upper_ci FROM observation WHERE area_code = '137315' "
            "AND indicator_code = 'p8mea' AND group_code = 'all' AND period = '2017/18'",
        ) == [(0.02, -0.23, 0.26)]
        # The census names schools all over England: their LAs exist, from the lookup.
        assert read(engine, "SELECT COUNT(*) FROM local_authority")[0][0] >= 150
        assert read(engine, "SELECT name, phase FROM school WHERE urn = '115851'") == [
            ("Anstey Junior School", "primary")
        ]
        # Reconciliation: Hampshire's schools add up to within a point of its published KS2 rows.
        from ecm.figures.queries import load_reconciliation

        rec = load_reconciliation(engine)
        ks2 = rec[(rec["indicator_code"] == "ptrwm_exp") & (rec["la_code"] == "E10000014")]
        # Three years of all pupils, disadvantaged, other, boys and girls (the last two with
        # their own eligible pupils, BELIG and GELIG).
        assert len(ks2) == 15 and (ks2["value_difference"].abs() <= 1.1).all()
        assert set(ks2["group_code"]) == {
            "all",
            "disadvantaged",
            "not_disadvantaged",
            "boys",
            "girls",
        }
        # Absence for the first row of the file: PERCTOT 2.6, PPERSABS10 3.4 for URN 100000.
        assert sorted(
            read(
                engine,
                "SELECT indicator_code, value FROM observation WHERE area_code = '100000' "
                "AND indicator_code IN ('perctot', 'ppersabs10')",
            )
        ) == [("perctot", 2.6), ("ppersabs10", 3.4)]
    finally:
        engine.dispose()
        drop_database(url)


def test_every_fingertips_series_imports(tmp_path) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        for path in sorted((REAL / "fingertips-tidy").glob("*.csv")):
            outcome = import_file(engine, path)
            assert outcome.status == "loaded" and outcome.figures > 100, path.name
        # neets.csv: Hartlepool (E06000001) 2016 is in the file; England too.
        rows = read(
            engine,
            "SELECT level, value FROM observation WHERE indicator_code = 'neet_16_17' "
            "AND area_code IN ('E92000001') ORDER BY period",
        )
        assert rows and all(level == "england" for level, _ in rows)
        raw = NEETS.read_text(encoding="utf-8").splitlines()
        hartlepool = next(
            line for line in raw if line.startswith("E06000001,") and ",2016," in line
        )
        published = float(hartlepool.split(",")[3])
        assert read(
            engine,
            "SELECT value FROM observation WHERE indicator_code = 'neet_16_17' "
            "AND area_code = 'E06000001' AND period = '2016'",
        ) == [(published,)]
        # North Yorkshire's figures under its former county code continue the unitary's series.
        former = next(line for line in raw if line.startswith("E10000023,") and ",2016," in line)
        assert read(
            engine,
            "SELECT value FROM observation WHERE indicator_code = 'neet_16_17' "
            "AND area_code = 'E06000065' AND period = '2016'",
        ) == [(float(former.split(",")[3]),)]
        assert read(engine, "SELECT COUNT(*) FROM observation WHERE area_code = 'E10000023'") == [
            (0,)
        ]
        # Fingertips' own test against England is kept with each figure, England's left out.
        assert read(
            engine,
            "SELECT published_vs_england FROM observation WHERE indicator_code = 'neet_16_17' "
            "AND area_code = 'E06000001' AND period = '2016'",
        ) == [(hartlepool.split(",")[-1].strip().lower(),)]
        assert read(
            engine,
            "SELECT COUNT(*) FROM observation WHERE level = 'england' "
            "AND published_vs_england IS NOT NULL",
        ) == [(0,)]
        words = read(engine, "SELECT DISTINCT published_vs_england FROM observation")
        assert {w for (w,) in words} == {None, "better", "similar", "worse"}
    finally:
        engine.dispose()
        drop_database(url)


def test_importing_the_same_file_twice_adds_nothing(ks2_store) -> None:
    before = fingerprint(ks2_store)
    outcome = import_file(ks2_store, KS2)
    assert outcome.status == "already imported" and outcome.figures == 0
    assert fingerprint(ks2_store) == before


def test_a_newer_file_for_the_same_period_supersedes_the_older_figures(tmp_path, ks2_store) -> None:
    changed = tmp_path / "2018-2019_850_ks2final.csv"
    raw = KS2.read_bytes().replace(b"Anstey Junior School,", b"Anstey Junior School,", 1)
    lines = raw.split(b"\n")
    header = lines[0].decode("utf-8-sig").split(",")
    position = header.index("PTRWM_EXP")
    fields = lines[1].decode().split(",")
    # 63% -> 64%: still within the rounding of the school's two groups (61% of 18, 64% of 42).
    fields[position] = "64%"
    lines[1] = ",".join(fields).encode()
    changed.write_bytes(b"\n".join(lines))
    url, engine = fresh_engine(tmp_path)
    try:
        import_file(engine, KS2)
        outcome = import_file(engine, changed)
        assert outcome.status == "loaded" and outcome.superseded == outcome.figures
        assert read(
            engine,
            "SELECT value FROM observation WHERE area_code = '115851' AND indicator_code = "
            "'ptrwm_exp' AND group_code = 'all' AND period = '2018/19'",
        ) == [(64.0,)]
        history = read(engine, "SELECT status FROM import_batch ORDER BY id")
        assert history == [("superseded",), ("loaded",)]
    finally:
        engine.dispose()
        drop_database(url)


def test_crlf_lf_bom_or_not_import_the_same(tmp_path) -> None:
    raw = KS4.read_bytes()
    plain = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    variants = {
        "lf-bom.csv": b"\xef\xbb\xbf" + plain,
        "lf.csv": plain,
        "crlf.csv": plain.replace(b"\n", b"\r\n"),
    }
    results = []
    for name, content in variants.items():
        path = tmp_path / f"2017-2018_850_ks4final-{name}"
        path.write_bytes(content)
        url, engine = fresh_engine(tmp_path / name)
        try:
            import_file(engine, path)
            results.append(
                read(
                    engine,
                    "SELECT indicator_code, area_code, group_code, value FROM observation "
                    "ORDER BY 1, 2, 3",
                )
            )
        finally:
            engine.dispose()
            drop_database(url)
    assert results[0] == results[1] == results[2] and len(results[0]) > 1000


# --- malformed variants ---------------------------------------------------------------------


def header_and_rows(path: Path) -> tuple[str, list[str]]:
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    return lines[0], lines[1:]


def set_cell(path: Path, row: int, column: str, value: str) -> bytes:
    header, rows = header_and_rows(path)
    names = header.split(",")
    fields = rows[row].split(",")
    fields[names.index(column)] = value
    rows[row] = ",".join(fields)
    return ("\n".join([header, *rows]) + "\n").encode()


def last_cell(path: Path, row: int, value: str) -> bytes:
    """The file with the last cell of data row ``row`` replaced (rows with quoted commas)."""
    header, rows = header_and_rows(path)
    rows[row] = rows[row].rsplit(",", 1)[0] + "," + value
    return ("\n".join([header, *rows]) + "\n").encode()


def whole(path: Path) -> bytes:
    return path.read_bytes()


SOURCES = {
    "ks2": KS2,
    "ks4": KS4,
    "census": CENSUS,
    "absence": ABSENCE,
    "gias": GIAS,
    "neets": NEETS,
}
COMMON = {
    "empty": (lambda p: b"", "the file is empty"),
    "blank lines": (lambda p: b"\n\n  \n", "the file is empty"),
    "header only": (lambda p: whole(p).split(b"\n")[0] + b"\n", "header but no rows"),
    "utf-16": (lambda p: whole(p).decode("utf-8-sig").encode("utf-16"), "not UTF-8"),
    "binary": (lambda p: bytes(range(256)) * 40, "not UTF-8"),
    "semicolons": (lambda p: whole(p).replace(b",", b";"), "';' between fields"),
    "cut off": (lambda p: whole(p)[: len(whole(p)) // 2].rstrip(b"\r\n")[:-3], "cut off"),
}
COMMON_CASES = [
    pytest.param(source, maker, message, id=f"{source}-{name}")
    for source in SOURCES
    for name, (maker, message) in COMMON.items()
]


@pytest.mark.parametrize(("source", "maker", "message"), COMMON_CASES)
def test_structurally_broken_files_are_rejected(
    ks2_store, tmp_path, source, maker, message
) -> None:
    path = SOURCES[source]
    assert_rejected(ks2_store, tmp_path, f"2018-2019_{path.name}", maker(path), message)


SPECIFIC = [
    # (id, source, builder, message)
    (
        "comma-decimal",
        ABSENCE,
        lambda: set_cell(ABSENCE, 4099, "PERCTOT", '"12,5"'),
        "line 4,101 column PERCTOT: '12,5' is not a number",
    ),
    (
        "text-in-number",
        KS2,
        lambda: set_cell(KS2, 0, "PTRWM_EXP", "sixty"),
        "line 2 column PTRWM_EXP: 'sixty' is not a number",
    ),
    (
        "percent-over-100",
        KS2,
        lambda: set_cell(KS2, 2, "PTRWM_EXP_FSM6CLA1A", "163%"),
        "line 4 column PTRWM_EXP_FSM6CLA1A: 163% is outside 0-100%",
    ),
    (
        "group-larger-than-its-cohort",
        KS2,
        lambda: set_cell(KS2, 2, "TFSM6CLA1A", "999"),
        "line 4 column TFSM6CLA1A: disadvantaged cohort of 999 is larger than the ",
    ),
    (
        "negative-count",
        KS2,
        lambda: set_cell(KS2, 0, "TELIG", "-5"),
        "column TELIG: negative count -5",
    ),
    (
        "numerator-above-denominator",
        CENSUS,
        lambda: set_cell(CENSUS, 0, "NUMFSMEVER", "9999"),
        "line 2 column NUMFSMEVER: 9999 is more than its denominator 285",
    ),
    (
        "unknown-la",
        KS2,
        lambda: set_cell(KS2, 5, "LEA", "999"),
        "line 7 column LEA: '999' is not an LA number",
    ),
    (
        "bad-urn",
        KS2,
        lambda: set_cell(KS2, 1, "URN", "ABC123"),
        "line 3 column URN: 'ABC123' is not a URN",
    ),
    (
        "unknown-header",
        KS2,
        lambda: whole(KS2).replace(b"PTRWM_EXP,", b"WHATEVER,", 1),
        "not a recognised format",
    ),
    (
        "cp1252",
        KS2,
        lambda: whole(KS2).replace(b"Anstey", b"Anst\xe9y", 1),
        "not UTF-8 text (byte 0xe9)",
    ),
    ("unclosed-quote", KS2, lambda: whole(KS2) + b'1,"unterminated,850\n', "cut off or malformed"),
    (
        "gias-fsm-over-100",
        GIAS,
        lambda: set_cell(GIAS, 0, '"PercentageFSM"', "120"),
        "is outside 0-100%",
    ),
    (
        "gias-bad-la",
        GIAS,
        lambda: set_cell(GIAS, 0, '"LA (code)"', "999"),
        "'999' is not an LA number",
    ),
    (
        "fingertips-unknown-indicator",
        NEETS,
        lambda: whole(NEETS).replace(b"(NEET)", b"(NEETS)", 1),
        "is not in data/mappings/fingertips.csv",
    ),
    (
        "fingertips-bad-value",
        NEETS,
        lambda: set_cell(NEETS, 5, "value", "n/a"),
        "'n/a' is not a number",
    ),
    (
        "fingertips-bad-comparison",
        NEETS,
        lambda: last_cell(NEETS, 5, "Much the same"),
        "line 7 column significance: 'Much the same' is not a comparison with England",
    ),
]


@pytest.mark.parametrize(
    ("source", "builder", "message"),
    [pytest.param(s, b, m, id=i) for i, s, b, m in SPECIFIC],
)
def test_bad_values_are_rejected_with_line_and_column(
    ks2_store, tmp_path, source, builder, message
) -> None:
    assert_rejected(ks2_store, tmp_path, f"2018-2019_{source.name}", builder(), message)


@pytest.mark.parametrize(
    ("source", "row"),
    [(KS2, 2), (GIAS, 2), (NEETS, 40), (CENSUS, 2)],
    ids=["ks2", "gias", "neets", "census"],
)
def test_duplicate_rows_are_rejected(ks2_store, tmp_path, source, row) -> None:
    header, rows = header_and_rows(source)
    content = ("\n".join([header, *rows[:50], rows[row], *rows[50:]]) + "\n").encode()
    assert_rejected(ks2_store, tmp_path, f"2018-2019_{source.name}", content, "appears twice")


def test_a_file_without_a_year_needs_one(ks2_store, tmp_path) -> None:
    assert_rejected(
        ks2_store, tmp_path, "ks2.csv", whole(KS2), "cannot tell the year from the file name"
    )


def test_the_wrong_format_is_refused(ks2_store, tmp_path) -> None:
    assert_rejected(
        ks2_store,
        tmp_path,
        "2018-2019_ks2.csv",
        whole(KS2),
        "is not that of the gias format",
        format_name="gias",
    )


def test_a_50_mb_file_with_one_bad_row_at_the_end_changes_nothing(ks2_store, tmp_path) -> None:
    header, rows = header_and_rows(CENSUS)
    rows = [row for row in rows if row.split(",")[0].isdigit()]  # schools, not national rows
    body = "\n".join(rows)
    copies = 50 * 2**20 // len(body) + 1
    # Many copies of the census rows with fresh URNs, then one negative pupil count at the end.
    lines = [header]
    for copy in range(copies):
        for row in rows:
            fields = row.split(",")
            fields[0] = str(200000 + copy * 100000 + int(fields[0]) % 100000)
            lines.append(",".join(fields))
    last = lines[-1].split(",")
    last[header.split(",").index("NUMFSMEVER")] = "99999"
    lines[-1] = ",".join(last)
    content = ("\n".join(lines) + "\n").encode()
    assert len(content) > 50 * 2**20
    assert_rejected(
        ks2_store, tmp_path, "2018-2019_census.csv", content, "is more than its denominator"
    )


# --- statistical neighbours workbooks ---------------------------------------------------------

SN_2025 = REAL / "lait" / "sn_may_2025.xlsx"
SN_2021 = REAL / "lait" / "sn_april_2021.xlsx"


def test_neighbour_workbooks_import_and_replace_the_sets(tmp_path) -> None:
    import pandas as pd

    url, engine = fresh_engine(tmp_path)
    try:
        first = import_file(engine, SN_2021)
        second = import_file(engine, SN_2025)
        assert (first.status, second.status) == ("loaded", "loaded")
        raw = pd.read_excel(SN_2025, header=None, dtype=str)
        header = raw.index[raw[0] == "LA num"][0]
        hampshire = raw[raw[0] == "850"].iloc[0]
        expected = [hampshire[list(raw.iloc[header]).index(f"SN{k}")] for k in (1, 2, 3)]
        stored = read(
            engine,
            "SELECT l.old_code, n.source FROM statistical_neighbour n JOIN local_authority l "
            "ON l.code = n.neighbour_code WHERE n.la_code = 'E10000014' ORDER BY n.rank LIMIT 3",
        )
        assert [code for code, _ in stored] == expected
        assert {source for _, source in stored} == {"sn_may_2025.xlsx"}
        # New authorities published with "-" for neighbours simply have none in 2021's file.
        assert read(engine, "SELECT COUNT(*) FROM statistical_neighbour")[0][0] > 1400
    finally:
        engine.dispose()
        drop_database(url)


def edited_workbook(tmp_path: Path, name: str, row: int, column: int, value) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(SN_2025)
    book.active.cell(row=row, column=column, value=value)
    path = tmp_path / name
    book.save(path)
    return path


def test_broken_neighbour_workbooks_are_rejected(ks2_store, tmp_path) -> None:
    cases = [
        (tmp_path / "csv.xlsx", "not an Excel workbook"),
        (edited_workbook(tmp_path, "noheader.xlsx", 3, 1, "Authority"), "no sheet has an 'LA num'"),
        (edited_workbook(tmp_path, "badla.xlsx", 5, 6, "999"), "line 5 column SN1: '999'"),
    ]
    (tmp_path / "csv.xlsx").write_bytes(KS2.read_bytes())
    for path, message in cases:
        before = fingerprint(ks2_store)
        with pytest.raises(DataError, match=message):
            import_file(ks2_store, path)
        assert fingerprint(ks2_store) == before


#: The child process of the kill test: the command line's ``import``, with the writer's test hook
#: set to say "about to commit" on file descriptor ``argv[1]`` and then wait to be killed.
KILLED_BEFORE_COMMIT = """
import os, sys, time
from ecm.importers import writer
from ecm.cli.main import main

def about_to_commit() -> None:
    os.write(int(sys.argv[1]), b"about to commit")
    time.sleep(600)  # held inside the open transaction until the test kills the process

writer.before_commit = about_to_commit
raise SystemExit(main(["import", sys.argv[2]]))
"""


def test_an_import_killed_before_its_commit_leaves_nothing_and_a_finished_one_all(
    tmp_path,
) -> None:
    """Kill the import at the last moment before its commit, with every figure written in its
    transaction: the store holds exactly what it held before. Let it finish: the store holds
    the whole file. Never part of it.

    The child process tells the test through a pipe when it is about to commit (the writer's
    ``before_commit`` hook), so the kill lands there every time, not at a guessed moment.
    """
    import os
    import select
    import signal
    import subprocess
    import sys
    import tempfile

    header, rows = header_and_rows(CENSUS)
    rows = [row for row in rows if row.split(",")[0].isdigit()]
    lines = [header]
    for copy in range(3):
        for row in rows:
            fields = row.split(",")
            fields[0] = str(300000 + copy * 100000 + int(fields[0]) % 100000)
            lines.append(",".join(fields))
    big = tmp_path / "2018-2019_census_big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # Killed just before the commit: nothing of the file is stored.
    url, engine = fresh_engine(tmp_path / "killed")
    try:
        import_file(engine, KS2)
        before = fingerprint(engine)
        signal_read, signal_write = os.pipe()
        # A file, not a pipe, takes the child's messages: a full pipe would block the child.
        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(
                    [sys.executable, "-c", KILLED_BEFORE_COMMIT, str(signal_write), str(big)],
                    cwd=REPO_ROOT,
                    env={**os.environ, "ECM_DATABASE_URL": url},
                    pass_fds=(signal_write,),
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                )
                # Only the child holds the pipe's write end now: if it ends without writing,
                # the read below returns b"" at once instead of waiting for ever.
                os.close(signal_write)
                try:
                    # A deadline, in case the child hangs before its commit without ending.
                    ready, _, _ = select.select([signal_read], [], [], 300)
                    said = os.read(signal_read, 64) if ready else b""
                    if said != b"about to commit":
                        process.kill()
                        process.wait()
                        errors.seek(0)
                        pytest.fail(f"the import never reached its commit:\n{errors.read()!r}")
                    process.send_signal(signal.SIGKILL)
                    assert process.wait(timeout=60) == -signal.SIGKILL
                finally:
                    if process.poll() is None:
                        process.kill()
                        process.wait()
            finally:
                os.close(signal_read)
        assert fingerprint(engine) == before
        assert [name for (name,) in read(engine, "SELECT file_name FROM import_batch")] == [
            KS2.name
        ]
    finally:
        engine.dispose()
        drop_database(url)

    # Left to finish: the whole file, its batch recorded and every figure it promised there.
    url, engine = fresh_engine(tmp_path / "finished")
    try:
        import_file(engine, KS2)
        result = run("import", str(big), url=url)
        assert result.returncode == 0, result.stderr
        name, promised = read(
            engine, "SELECT file_name, rows_loaded FROM import_batch ORDER BY id"
        )[-1]
        stored = read(
            engine,
            "SELECT COUNT(*) FROM observation o JOIN import_batch b ON b.id = o.batch_id "
            "WHERE b.file_name = :name",
            name=name,
        )[0][0]
        assert name == big.name and stored == promised and promised > 0
    finally:
        engine.dispose()
        drop_database(url)


# --- DfE tidy open data ----------------------------------------------------------------------

CLA_RATES = (
    REAL / "la-releases" / "cla-placements" / "post_2017_updated25" / "data"
    / "cla_number_and_rate_per_10k_children.csv"
)  # fmt: skip


def test_tidy_open_data_files_import_with_groups_from_their_filters(tmp_path) -> None:
    import csv

    url, engine = fresh_engine(tmp_path)
    try:
        files = ["ks2_la", "ks4_la", "absence_six_half_terms_la"]
        files.append("permanent_exclusions_and_suspensions_la")
        for path in [*(TIDY / f"{name}.csv" for name in files), CLA_RATES]:
            outcome = import_file(engine, path)
            assert outcome.status == "loaded" and outcome.format == "tidy", path.name
        with (TIDY / "ks2_la.csv").open(encoding="utf-8-sig") as handle:
            raw = next(
                r
                for r in csv.DictReader(handle)
                if r["new_la_code"] == "E10000014"
                and r["time_period"] == "201819"
                and r["social_care_group"] == "CLA 12 months at 31 March"
            )
        stored = read(
            engine,
            "SELECT value, numerator, denominator FROM observation WHERE area_code = 'E10000014' "
            "AND indicator_code = 'ptrwm_exp' AND group_code = 'looked_after' "
            "AND period = '2018/19'",
        )
        assert stored == [
            (
                float(raw["pt_rwm_met_expected_standard"]),
                float(raw["t_rwm_met_expected_standard"]),
                float(raw["t_rwm_eligible_pupils"]),
            )
        ]
        # Absence keeps the pupils behind the sessions; CLA rates come as published.
        absence = read(
            engine,
            "SELECT pupils, denominator FROM observation WHERE indicator_code = 'perctot' "
            "AND level = 'england' AND group_code = 'children_in_need' AND period = '2018/19'",
        )
        assert absence and absence[0][0] < absence[0][1]
        assert (
            read(
                engine,
                "SELECT COUNT(*) FROM observation "
                "WHERE indicator_code = 'cla_rate' AND level = 'la'",
            )[0][0]
            > 700
        )
    finally:
        engine.dispose()
        drop_database(url)


def test_broken_tidy_files_are_rejected(ks2_store, tmp_path) -> None:
    header, rows = header_and_rows(TIDY / "ks2_la.csv")
    names = header.split(",")
    fields = rows[3].split(",")
    fields[names.index("pt_rwm_met_expected_standard")] = "45.5.5"
    bad_value = "\n".join([header, *rows[:3], ",".join(fields), *rows[4:]]) + "\n"
    assert_rejected(
        ks2_store,
        tmp_path,
        "ks2_la.csv",
        bad_value.encode(),
        "line 5 column pt_rwm_met_expected_standard: '45.5.5' is not a number",
    )
    duplicate = "\n".join([header, *rows[:10], rows[5], *rows[10:]]) + "\n"
    assert_rejected(ks2_store, tmp_path, "ks2_dup.csv", duplicate.encode(), "appears twice")
    unmapped = header.replace("pt_", "px_").replace("avg_", "mean_")
    assert_rejected(
        ks2_store,
        tmp_path,
        "ks2_unmapped.csv",
        ("\n".join([unmapped, *rows]) + "\n").encode(),
        "no measure column",
    )


def test_figures_without_intervals_are_compared_by_the_publishers_test(tmp_path) -> None:
    """Fingertips' excess weight comes without counts or intervals but with its own test
    against England: the region page compares each authority by it (lower is better)."""
    from ecm.figures.queries import resolve_area
    from ecm.places.overview import region_overview

    url, engine = fresh_engine(tmp_path)
    try:
        path = REAL / "fingertips-tidy" / "excess_weight_reception.csv"
        assert import_file(engine, path).status == "loaded"
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        england = {r["period"]: float(r["value"]) for r in rows if r["area_code"] == "E92000001"}
        wanted = {"Better": "better", "Similar": "similar", "Worse": "worse"}
        checked = 0
        for row in rows:
            if row["period"] != "2016/17" or row["significance"] not in wanted:
                continue
            try:
                la = resolve_area(engine, "la", row["area_code"])
            except LookupError:
                continue  # a district or a former code the store does not hold as such
            cells = region_overview(engine, la["region"]["code"], "2016/17").cells
            cell = cells[(cells["la_code"] == la["code"])
                         & (cells["indicator"] == "excess_weight_reception")].iloc[0]  # fmt: skip
            assert cell["comparison"] == wanted[row["significance"]], row
            # The publisher's word says "differs"; lower is better, so above England is worse.
            if cell["comparison"] != "similar":
                assert (cell["comparison"] == "worse") == (float(row["value"]) > england["2016/17"])
            checked += 1
            if checked == 6:
                break
        assert checked == 6
    finally:
        engine.dispose()
        drop_database(url)


def test_similar_at_998_is_not_read_as_similar_at_95(tmp_path) -> None:
    """An indicator Fingertips tests at 99.8%: its "better 99.8%" differs at 95% too and is
    kept; its "similar" (not different at 99.8%) may differ at 95%, so it is not kept."""
    header, rows = header_and_rows(NEETS)
    hartlepool = next(i for i, r in enumerate(rows) if r.startswith("E06000001,") and ",2016," in r)
    darlington = next(i for i, r in enumerate(rows) if r.startswith("E06000005,") and ",2016," in r)
    for i, word in ((hartlepool, "Better 99.8%"), (darlington, "Similar")):
        rows[i] = rows[i].rsplit(",", 1)[0] + "," + word
    path = tmp_path / "neets.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    url, engine = fresh_engine(tmp_path)
    try:
        assert import_file(engine, path).status == "loaded"
        query = (
            "SELECT area_code, published_vs_england FROM observation WHERE period = '2016' "
            "AND area_code IN ('E06000001', 'E06000005') ORDER BY area_code"
        )
        assert read(engine, query) == [("E06000001", "better"), ("E06000005", None)]
    finally:
        engine.dispose()
        drop_database(url)
