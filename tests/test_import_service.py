"""The import service the command line and the upload share: files in turn, all or nothing per
file, each result heard as it comes, similar schools rebuilt once at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ecm.importers import service
from ecm.importers.service import import_files
from tests.helpers import KS2, NEETS

pytestmark = pytest.mark.realdata


@pytest.fixture
def refreshes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every rebuild of similar schools, as an event (the rebuild still runs)."""
    events: list[str] = []
    real = service.refresh_school_benchmarks

    def counted(connection) -> int:  # noqa: ANN001
        events.append("refresh")
        return real(connection)

    monkeypatch.setattr(service, "refresh_school_benchmarks", counted)
    return events


def count(engine, sql: str) -> int:  # noqa: ANN001
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_files_load_in_turn_and_similar_schools_are_rebuilt_once_after_the_last(
    catalogue_store, refreshes, tmp_path: Path
) -> None:
    broken = tmp_path / "2018-2019_850_ks2final.csv"
    broken.write_text("URN,RECTYPE\n", encoding="utf-8")
    events = refreshes

    def progress(path: Path):  # noqa: ANN202
        return lambda fraction, _message: events.append(f"{path.name} {fraction:.2f}")

    run = import_files(
        catalogue_store,
        [KS2, broken, str(NEETS)],
        user="someone",
        progress=progress,
        on_result=lambda result: events.append(f"{result.path.name} done"),
    )
    assert [r.path.name for r in run.files] == [KS2.name, broken.name, NEETS.name]
    assert [r.rejected for r in run.files] == [False, True, False]
    assert run.rejected == 1 and run.benchmarks_refreshed
    assert [r.outcome.format for r in run.files if r.outcome] == ["ks2", "fingertips"]
    assert "the file has a header but no rows" in str(run.files[1].error)
    # Each file's result is heard before the next file starts; the rebuild comes once, last.
    done = [e for e in events if e.endswith("done") or e == "refresh"]
    assert done == [f"{KS2.name} done", f"{broken.name} done", f"{NEETS.name} done", "refresh"]
    assert events.index(f"{KS2.name} done") < events.index(f"{NEETS.name} 0.05")
    assert (
        count(catalogue_store, "SELECT COUNT(*) FROM school_benchmark WHERE period = '2018/19'") > 0
    )
    users = count(
        catalogue_store, "SELECT COUNT(*) FROM import_batch WHERE imported_by = 'someone'"
    )
    assert users == 2


def test_no_rebuild_without_school_figures_written(catalogue_store, refreshes) -> None:
    dry = import_files(catalogue_store, [KS2], dry_run=True)
    assert dry.files[0].outcome.status.startswith("checked") and not dry.benchmarks_refreshed
    local = import_files(catalogue_store, [NEETS])
    assert local.files[0].outcome.status == "loaded" and not local.benchmarks_refreshed
    assert refreshes == []
    assert count(catalogue_store, "SELECT COUNT(*) FROM school_benchmark") == 0


def test_a_file_imported_again_adds_nothing_and_rebuilds_nothing(
    catalogue_store, refreshes
) -> None:
    import_files(catalogue_store, [KS2])
    again = import_files(catalogue_store, [KS2])
    assert again.files[0].outcome.status == "already imported"
    assert not again.benchmarks_refreshed and refreshes == ["refresh"]


def test_a_folder_is_read_provisional_then_revised_then_final(tmp_path: Path) -> None:
    from ecm.importers.service import files_in

    for name in ("2018-2019_850_ks2final.csv", "2018-2019_850_ks2provisional.csv", "a.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "2017-2018_revised.csv").write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in files_in([tmp_path])] == [
        "2018-2019_850_ks2provisional.csv",
        "2018-2019_850_ks2final.csv",
        "a.csv",
        "sub/2017-2018_revised.csv",
    ]
