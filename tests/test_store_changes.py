"""The store's version (``ecm.store.changes``): every import, undo and plan change moves it in
its own transaction; sign-ins and account changes, which no page's figures rest on, do not; a
file refused or already imported leaves it as it was."""

from __future__ import annotations

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
