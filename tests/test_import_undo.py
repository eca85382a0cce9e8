"""Undoing an import: a doctored copy of a real KS2 file loaded over the published one, then
undone, puts the published figures back; undoing is for analysts and administrators, is
refused while a later file holds figures that replaced the import's own, and is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecm.access.accounts import Account, add_user
from ecm.access.rights import NotAllowed, operator
from ecm.importers.service import import_files
from ecm.importers.undo import UndoRefused, undo_import
from ecm.store.models import AuditLog, ImportBatch, Observation, ReplacedObservation
from tests.helpers import KS2, TEST_PASSWORD, open_app

pytestmark = pytest.mark.realdata

#: The school the doctored file changes: its maths figures, published as 70% of all pupils
#: and 76% of those not disadvantaged, made 90% and 100% (still adding up, so it loads).
URN = "115853"
DOCTORED = {"PTMAT_EXP": ("70%", "90%"), "PTMAT_EXP_NotFSM6CLA1A": ("76%", "100%")}


def doctored_copy(folder: Path) -> Path:
    """The KS2 file with one school's maths figures changed (:data:`DOCTORED`)."""
    lines = KS2.read_bytes().decode("latin-1").splitlines(keepends=True)
    header = lines[0].split(",")
    for number, line in enumerate(lines):
        cells = line.split(",")
        if cells[header.index("URN")] == URN:
            for name, (published, doctored) in DOCTORED.items():
                assert cells[header.index(name)] == published
                cells[header.index(name)] = doctored
            lines[number] = ",".join(cells)
    folder.mkdir()
    path = folder / KS2.name
    path.write_bytes("".join(lines).encode("latin-1"))
    return path


def school_values(engine) -> dict[tuple[str, str, str], float | None]:  # noqa: ANN001
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Observation.indicator_code,
                Observation.group_code,
                Observation.period,
                Observation.value,
            ).where(Observation.level == "school", Observation.area_code == URN)
        ).all()
    return {(i, g, p): v for i, g, p, v in rows}


def statuses(engine) -> list[str]:  # noqa: ANN001
    with engine.connect() as connection:
        return list(connection.scalars(select(ImportBatch.status).order_by(ImportBatch.id)))


def test_an_import_undone_puts_back_the_figures_it_replaced(
    catalogue_store, tmp_path: Path
) -> None:
    engine = catalogue_store
    published = import_files(engine, [KS2], user="ann").files[0].outcome
    before = school_values(engine)
    doctored = import_files(engine, [doctored_copy(tmp_path / "copy")], user="ann")
    outcome = doctored.files[0].outcome
    after = school_values(engine)
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert changed == {
        ("ptmat_exp", "all", "2018/19"): (70.0, 90.0),
        ("ptmat_exp", "not_disadvantaged", "2018/19"): (76.0, 100.0),
    }
    assert statuses(engine) == ["superseded", "loaded"]

    # The published file cannot be undone under the doctored one; nor by a headteacher.
    with pytest.raises(UndoRefused, match=f"while {KS2.name} \\(import {outcome.batch_id}\\)"):
        undo_import(engine, published.batch_id, operator("ann"))
    head = Account("head", "Head", "headteacher", "school", URN, active=True)
    with pytest.raises(NotAllowed):
        undo_import(engine, outcome.batch_id, head)
    assert school_values(engine) == after

    undone = undo_import(engine, outcome.batch_id, operator("ann"))
    assert (undone.removed, undone.restored) == (outcome.figures, outcome.superseded)
    assert school_values(engine) == before
    assert statuses(engine) == ["loaded", "undone"]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReplacedObservation)) == 0
        audit = connection.execute(
            select(AuditLog.user_name, AuditLog.record_id).where(AuditLog.change == "undo")
        ).all()
    assert audit == [("ann", str(outcome.batch_id))]
    with pytest.raises(UndoRefused, match="it is undone"):
        undo_import(engine, outcome.batch_id, operator("ann"))

    # The doctored file is not "already imported" any more: loaded again, it replaces again.
    again = import_files(engine, [tmp_path / "copy" / KS2.name], user="ann").files[0].outcome
    assert again.status == "loaded" and school_values(engine) == after


def test_the_data_sources_page_undoes_an_import_for_an_analyst_only(
    catalogue_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = catalogue_store
    import_files(engine, [KS2], user="ann")
    before = school_values(engine)
    doctored = import_files(engine, [doctored_copy(tmp_path / "copy")], user="ann")
    batch_id = doctored.files[0].outcome.batch_id
    monkeypatch.setenv("ECM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    add_user(engine, "head", "A Head", "headteacher", URN, TEST_PASSWORD)
    head = open_app("app_pages/data.py", user="head")
    assert not head.exception
    assert not [e for e in head.expander if e.label == "Undo an import"]

    at = open_app("app_pages/data.py", user="analyst")
    assert not at.exception
    undo = next(s for s in at.selectbox if s.label == "Import")
    assert undo.options[0].startswith(f"{KS2.name} (batch {batch_id},")
    assert len(undo.options) == 1  # the published file is superseded: undone after this one
    next(b for b in at.button if b.label == "Undo the import").click()
    at.run()
    assert "Tick the box" in at.error[0].value and school_values(engine) != before
    next(c for c in at.checkbox if c.label.startswith("I have checked")).check()
    next(b for b in at.button if b.label == "Undo the import").click()
    at.run()
    assert not at.exception and not at.error
    assert at.success[0].value.replace("\\", "").startswith(f"Undid the import of {KS2.name}")
    assert school_values(engine) == before


def test_imports_that_cannot_be_put_back_are_refused_and_change_nothing(
    catalogue_store,
) -> None:
    """An import made before the store kept what imports replace, and one that loaded no
    figures (a register or neighbour file changes places), cannot be undone."""
    from sqlalchemy import update

    engine = catalogue_store
    published = import_files(engine, [KS2], user="ann").files[0].outcome
    before = school_values(engine)
    with engine.begin() as connection:
        connection.execute(
            update(ImportBatch)
            .where(ImportBatch.id == published.batch_id)
            .values(keeps_replaced=False)
        )
        no_figures = connection.execute(
            ImportBatch.__table__.insert().values(
                file_name="edubasealldata.csv",
                checksum="0" * 64,
                format="gias",
                imported_by="ann",
                rows_loaded=0,
                rows_rejected=0,
                status="loaded",
                keeps_replaced=True,
            )  # fmt: skip
        ).inserted_primary_key[0]
    with pytest.raises(UndoRefused, match="imported before the store kept"):
        undo_import(engine, published.batch_id, operator("ann"))
    with pytest.raises(UndoRefused, match="it loaded no figures"):
        undo_import(engine, no_figures, operator("ann"))
    assert school_values(engine) == before
    assert statuses(engine) == ["loaded", "loaded"]
