"""The command line, run as a person runs it: ``python -m ecm ...`` in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ecm.store.engine import head_revision, make_engine
from tests.helpers import DEMO_SEED, KS2, NEETS, PT, REAL, run


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["audit"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: python -m ecm" in result.stdout


def test_init_creates_the_schema_then_reports_it_current(database_url: str) -> None:
    first = run("init", url=database_url)
    assert first.returncode == 0, first.stderr
    assert f"schema created at revision {head_revision()}" in first.stdout
    assert "indicators" in first.stdout
    second = run("init", url=database_url)
    assert second.returncode == 0
    assert "already current" in second.stdout


def test_demo_builds_the_tiny_demo_and_says_what_it_made(database_url: str) -> None:
    result = run("demo", "--scale", "tiny", url=database_url)
    assert result.returncode == 0, result.stderr
    assert (
        "fictional demo data built (scale tiny, seed 2008, 5 years): 2 regions, 4 local authorities"
        in (result.stdout)
    )
    assert "demo accounts, one per role: demo-head, demo-board, demo-officer, demo-analyst, " in (
        result.stdout
    )
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM local_authority")).scalar() == 4
    engine.dispose()


def test_an_unknown_scale_is_refused_with_a_reason() -> None:
    result = run("demo", "--scale", "galactic")
    assert result.returncode == 2
    assert "invalid choice: 'galactic'" in result.stderr


def test_an_unreachable_database_fails_with_one_line_on_stderr() -> None:
    # Port 1 on the loopback address: nothing listens there, so the connection is refused.
    result = run("init", url="postgresql+psycopg://nobody@127.0.0.1:1/ecm")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")


@pytest.mark.realdata
def test_import_takes_many_files_and_rebuilds_similar_schools_once(database_url: str) -> None:
    ks2 = KS2
    gias = REAL / "gias" / "20220420_gias.csv"
    guide = PT / "meta" / "2018-2019" / "ks2_meta.csv"
    result = run("import", str(gias), str(ks2), str(guide), url=database_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "20220420_gias.csv: loaded as gias: 0 figures (1,096 schools registered or updated; "
        "502 with predecessor or successor links)",
        "2018-2019_850_ks2final.csv: loaded as ks2: 8,756 figures",
        "ks2_meta.csv: field guide, nothing to load (documents 318 columns; 27 of the 27 KS2 "
        "columns that data/mappings/performance_tables.csv maps are documented)",
    ]
    engine = make_engine(database_url)
    with engine.connect() as connection:
        benchmarks = connection.execute(
            text("SELECT COUNT(*) FROM school_benchmark WHERE period = '2018/19'")
        ).scalar()
    engine.dispose()
    assert benchmarks > 0  # rebuilt after the last file, though no file rebuilt it itself
    again = run("import", str(ks2), url=database_url)
    assert again.stdout.strip() == "2018-2019_850_ks2final.csv: already imported as ks2: 0 figures"


@pytest.mark.realdata
def test_a_rejected_file_is_reported_and_the_others_still_load(
    database_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "2018-2019_850_ks2final.csv"
    broken.write_text("URN,RECTYPE\n", encoding="utf-8")
    result = run("import", str(broken), str(NEETS), url=database_url)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: 2018-2019_850_ks2final.csv line 2: the file has a header but no rows",
        "error: 1 of 2 files rejected",
    ]
    assert result.stdout.startswith("neets.csv: loaded as fingertips: 459 figures")


@pytest.mark.realdata
def test_import_walks_a_folder_and_reports_each_file(database_url: str, tmp_path) -> None:
    import shutil

    folder = tmp_path / "our area"
    (folder / "register").mkdir(parents=True)
    shutil.copy(KS2, folder / KS2.name)
    shutil.copy(REAL / "gias" / "20220420_gias.csv", folder / "register" / "20220420_gias.csv")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "notes.txt").write_text("not data")
    result = run("import", str(folder), url=database_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2018-2019_850_ks2final.csv: loaded as ks2: 8,756 figures",
        "20220420_gias.csv: loaded as gias: 0 figures (1,096 schools registered or updated; "
        "502 with predecessor or successor links)",
    ]
    missing = run("import", str(tmp_path / "nowhere"), url=database_url)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"


def test_audit_pins_a_count_a_tampered_decision_gives_back_and_exits_1(
    database_url: str,
) -> None:
    """One indicator of the demo, whose decisions leave no small count pinned or confined
    (exit 0); then one school's decision is undone by hand, as a store decided under an older
    rule would be, and the audit names the count its sibling now gives back (exit 1). (One
    indicator: the audit of a whole store takes minutes.)"""
    from ecm.demo.build import build_demo

    engine = make_engine(database_url)
    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    sound = run("audit", "--database-url", database_url, "--indicator", "ni_72")
    assert sound.returncode == 0, sound.stderr
    assert sound.stdout.splitlines() == [
        "3,788 withheld counts examined against 2,150 equations; 0 pinned; 1,501 small counts "
        "bounded, 0 of them too narrowly"
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE observation SET withheld = false WHERE id = (SELECT MIN(id) FROM "
                "observation WHERE indicator_code = 'ni_72' AND level = 'school' "
                "AND withheld_reason = 'sibling')"
            )
        )
    engine.dispose()
    leaky = run("audit", "--database-url", database_url, "--indicator", "ni_72")
    assert leaky.returncode == 1, leaky.stderr
    lines = leaky.stdout.splitlines()
    assert lines[0] == (
        "3,786 withheld counts examined against 2,150 equations; 4 pinned; 1,499 small counts "
        "bounded, 0 of them too narrowly"
    )
    assert [line.split()[1:] for line in lines[2:]] == [
        ["2005/06", "school", "900048", "all", "numerator", "5.0", "pinned", "NaN", "NaN"],
        ["2005/06", "school", "900048", "not_disadvantaged", "numerator", "5.0", "pinned",
         "NaN", "NaN"],
        ["2005/06", "school", "900048", "all", "denominator", "10.0", "pinned", "NaN", "NaN"],
        ["2005/06", "school", "900048", "not_disadvantaged", "denominator", "10.0", "pinned",
         "NaN", "NaN"],
    ]  # fmt: skip


def test_audit_of_a_store_with_nothing_withheld_exits_0(catalogue_store, tmp_path) -> None:
    url = catalogue_store.url.render_as_string(hide_password=False)
    result = run("audit", "--database-url", url, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "unknowns": 0, "equations": 0, "sensitive": 0, "pinned": 0, "bounded": 0,
        "disclosed": [],
    }  # fmt: skip


def test_audit_refuses_bad_options_with_status_2(demo_database_url: str) -> None:
    unknown = run("audit", "--database-url", demo_database_url, "--indicator", "no_such")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "error: --indicator: no indicator no_such"
    bad = run("audit", "--format", "xml")
    assert bad.returncode == 2 and "invalid choice: 'xml'" in bad.stderr
