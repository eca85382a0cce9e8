"""The meeting pack downloaded from an authority's page in a real browser: one click, a
workbook that opens, named for the place and year, with the authority's name on its cover."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.e2e.helpers import RUN_TIMEOUT_MS, wait_for_app_run


def test_a_board_secretary_downloads_the_authoritys_pack_in_one_click(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/area?la=Z10000001", timeout=RUN_TIMEOUT_MS)
    button = page.get_by_role("button", name="Meeting pack (.xlsx)")
    expect(button).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_app_run(page)
    place = page.get_by_role("heading", level=1).first.inner_text()
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        button.click()
    assert download.value.suggested_filename.startswith("Z10000001-")
    assert download.value.suggested_filename.endswith("-pack.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[:3] == ["About", "Figures", "Gaps"]
    assert "Plan coverage" in workbook.sheetnames
    assert workbook["About"]["B2"].value == place
