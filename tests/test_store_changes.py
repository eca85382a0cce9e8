"""The store's version (``ecm.store.changes``): every import, undo and plan change moves it in
its own transaction; sign-ins and account changes, which no page's figures rest on, do not; a
file refused or already imported leaves it as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ecm.access.accounts import add_user, sign_in
from ecm.access.rights import operator
from ecm.importers.service import import_files
from ecm.importers.undo import undo_import
from ecm.store.changes import store_version
from tests.helpers import KS2, TEST_PASSWORD

pytestmark = pytest.mark.realdata


def test_imports_and_undo_move_the_version_and_sign_ins_do_not(
    catalogue_store,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    engine = catalogue_store
    start = store_version(engine)
    add_user(engine, "ann", "Ann Analyst", "analyst", None, TEST_PASSWORD)
    assert sign_in(engine, "ann", TEST_PASSWORD).account is not None
    assert sign_in(engine, "ann", "not the password").account is None
    assert store_version(engine) == start

    loaded = import_files(engine, [KS2], user="ann").files[0].outcome
    after_import = store_version(engine)
    assert after_import > start
    again = import_files(engine, [KS2], user="ann").files[0].outcome
    assert again.status == "already imported" and store_version(engine) == after_import
    broken = tmp_path / "broken.csv"
    broken.write_text("URN,PTMAT_EXP\n1,not a figure\n", encoding="utf-8")
    import_files(engine, [broken], user="ann")
    assert store_version(engine) == after_import  # refused: nothing changed

    undo_import(engine, loaded.batch_id, operator("ann"))
    assert store_version(engine) > after_import


def test_a_change_committed_after_a_later_one_still_moves_the_version(engine) -> None:
    """Ids are taken at insert time: an import holding id 1 may commit after an edit that took
    id 2. What the store looks like then (a lower id arriving after a higher one) must be a
    new version."""
    from sqlalchemy import insert

    from ecm.store.engine import upgrade_schema
    from ecm.store.models import StoreChange

    upgrade_schema(engine)
    start = store_version(engine)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(insert(StoreChange).values(id=1_000_002, changed_at=now, kind="plan"))
    edited = store_version(engine)
    with engine.begin() as connection:
        connection.execute(insert(StoreChange).values(id=1_000_001, changed_at=now, kind="import"))
    assert start < edited < store_version(engine)


def _reads_a_title_while_another_process_changes_it() -> None:
    """An app of its own (AppTest.from_function): reads the catalogue (cached), and on the run
    the test asks for, has "another process" rename an indicator after that read."""
    import streamlit as st
    from sqlalchemy import text

    from ecm import ui
    from ecm.store.changes import note_store_change
    from ecm.ui.store import run_version

    ui.follow_store_changes()
    st.session_state.setdefault("versions", []).append(run_version())
    titles = ui.load_indicators().set_index("code")["title"]
    st.text(titles["ni_73"])
    if st.session_state.pop("rename", False):
        with ui.engine().begin() as connection:
            connection.execute(text("UPDATE indicator SET title = 'Renamed' WHERE code = 'ni_73'"))
            note_store_change(connection, "catalogue")
    ui.rerun_if_store_changed()


def test_a_run_that_straddles_a_change_runs_again_and_shows_only_the_new_store(
    catalogue_store, monkeypatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.helpers import APP_TIMEOUT_S

    monkeypatch.setenv("ECM_DATABASE_URL", catalogue_store.url.render_as_string(False))
    at = AppTest.from_function(
        _reads_a_title_while_another_process_changes_it, default_timeout=APP_TIMEOUT_S
    ).run()
    assert not at.exception, at.exception
    original = at.text[0].value
    (first,) = at.session_state["versions"]
    at.session_state["rename"] = True
    at.run()
    assert not at.exception, at.exception
    # The run that read the old title ran again as of the new version, within the same
    # second: the page left on screen holds the new title only.
    assert at.session_state["versions"][1:] == [first, first + 1]
    assert [t.value for t in at.text] == ["Renamed"] and original != "Renamed"
