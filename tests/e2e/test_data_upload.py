"""Browser test of importing files on the Data page, on a store of real data (no demo).

An analyst uploads a broken copy of a real Fingertips file: the page lists the problem with
its line and column and nothing is stored. Then the real file: the page says how many figures
were loaded and the import history lists it with its checksum.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from ecm.store.engine import make_engine
from tests.e2e.helpers import serve_dashboard, sign_in
from tests.helpers import NEETS, drop_database, new_database_url

pytestmark = [pytest.mark.e2e, pytest.mark.realdata]

RUN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A dashboard on an empty store that will hold real data only: (app URL, database URL)."""
    url = new_database_url(tmp_path_factory.mktemp("real"))
    try:
        with serve_dashboard(url, ECM_AUTO_DEMO="0") as app:
            yield app, url
    finally:
        drop_database(url)


def figures_in(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT COUNT(*) FROM observation")).scalar_one()
    finally:
        engine.dispose()


def upload(page: Page, path: Path) -> None:
    """Open the import form, choose ``path`` and press Import."""
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    if not page.get_by_role("button", name="Import", exact=True).is_visible():
        page.get_by_text("Import files").click()  # the expander opens (it stays open after)
    dropzone.set_input_files(str(path))
    # The upload finishes before the form is submitted, or the press would send nothing.
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()


def test_an_upload_is_checked_then_loaded_with_its_provenance(
    page: Page,
    real_store: tuple[str, str],
    tmp_path: Path,
    full_page_screenshot: Callable[[Page, str], Path],
) -> None:
    app, database_url = real_store
    rows = list(csv.reader(NEETS.read_text(encoding="utf-8-sig").splitlines()))
    line = next(n for n, row in enumerate(rows, 1) if row[0] == "E92000001")  # England's row
    rows[line - 1][rows[0].index("value")] = "12,5"
    broken = tmp_path / "neets.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    sign_in(page, app)
    page.goto(f"{app}/data", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Data sources")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    upload(page, broken)
    error = page.get_by_text(re.compile("neets.csv was rejected"))
    expect(error).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_text(f"line {line} column value: '12,5' is not a number")).to_be_visible()
    assert figures_in(database_url) == 0

    upload(page, NEETS)
    expect(
        page.get_by_text(re.compile(r"neets.csv: loaded as fingertips: 459 figures"))
    ).to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert figures_in(database_url) == 459
    digest = hashlib.sha256(NEETS.read_bytes()).hexdigest()
    history = page.get_by_test_id("stDataFrame").first
    expect(history).to_be_visible()
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            batch = connection.execute(
                text("SELECT file_name, checksum, imported_by, status FROM import_batch")
            ).all()
    finally:
        engine.dispose()
    # Recorded under the account that uploaded it, not an anonymous "dashboard upload".
    assert batch == [("neets.csv", digest, "demo-admin (dashboard upload)", "loaded")]
    full_page_screenshot(page, "data-upload.png")
