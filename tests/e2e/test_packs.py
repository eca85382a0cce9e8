"""The meeting pack downloaded from an authority's page in a real browser: one click each, a
PDF and a workbook that open, named for the place and year, with the authority's name on
their covers; and a chart downloaded as an image carrying its place, sources and date."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.helpers import RUN_TIMEOUT_MS, wait_for_app_run


def _download(page: Page, label: str) -> tuple[str, bytes]:
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible(timeout=RUN_TIMEOUT_MS)
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
        button.click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def test_a_board_secretary_downloads_the_authoritys_pack_in_one_click(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/area?la=Z10000001", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Meeting pack (PDF)")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    wait_for_app_run(page)
    place = page.get_by_role("heading", level=1).first.inner_text()

    name, content = _download(page, "Meeting pack (PDF)")
    assert name.startswith("Z10000001-") and name.endswith("-pack.pdf")
    pdf = PdfReader(io.BytesIO(content))
    cover = pdf.pages[0].extract_text()
    assert cover.startswith(place) and "Local authority Z10000001" in cover
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Actions off track" in text and f"Page {len(pdf.pages)} of {len(pdf.pages)}" in text

    name, content = _download(page, "Meeting pack (Excel)")
    assert name.startswith("Z10000001-") and name.endswith("-pack.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[:3] == ["About", "Figures", "Gaps"]
    assert "Plan coverage" in workbook.sheetnames
    assert workbook["About"]["B2"].value == place


def test_a_headteacher_downloads_a_chart_as_svg_with_its_provenance(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/school?urn=900001", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_text("View as table").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_app_run(page)
    place = page.get_by_role("heading", level=1).first.inner_text()
    page.get_by_text("View as table").first.click()  # the panel is drawn when opened
    expect(page.get_by_role("button", name="Download as SVG").first).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    wait_for_app_run(page)  # the run that drew it has ended: its buttons are live
    name, content = _download(page, "Download as SVG")
    assert name.startswith("900001-") and name.endswith(".svg")
    text = "".join(ElementTree.fromstring(content).itertext())
    assert f"{place} · " in text and "Fictional demo data" in text
    assert "ECM outcomes dashboard · downloaded " in text


def test_an_officer_downloads_the_regions_briefs_as_one_document(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/region?code=Z12000001", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Priorities briefs (PDF)")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    wait_for_app_run(page)
    region = page.get_by_role("heading", level=1).first.inner_text()
    name, content = _download(page, "Priorities briefs (PDF)")
    assert name.startswith("Z12000001-") and name.endswith("-priorities-briefs.pdf")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]
    assert pages[0].startswith(f"Priorities meeting briefs: {region}")
    assert len(pages) > 2 and all(": priorities brief, " in p for p in pages[1:])
