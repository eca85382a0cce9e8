"""The sidebar search, as a headteacher uses it: type the school's name with a typo on the
home page, reach its result link with the keyboard (Tab), open it (Enter), land on the school's
page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ecm.figures.queries import load_local_authorities, load_schools
from ecm.store.engine import make_engine
from tests.e2e.helpers import wait_for_app_run

pytestmark = pytest.mark.e2e

FIRST_RUN_TIMEOUT_MS = 60_000
MOST_TABS = 15


def _with_a_typo(name: str) -> str:
    """The name with one letter of its longest word left out ("Ashcombe" -> "Ashcmbe")."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return " ".join(words)


def test_a_misspelt_school_name_is_found_and_opened_with_the_keyboard(
    page: Page, app_url: str, demo_database_url: str
) -> None:
    engine = make_engine(demo_database_url)
    la = load_local_authorities(engine).iloc[0]["code"]
    school = load_schools(engine, la).iloc[0]
    engine.dispose()
    typed = _with_a_typo(school["name"])
    assert typed != school["name"]

    page.goto(app_url)
    expect(page.get_by_role("heading", name=re.compile("Every Child Matters")).first).to_be_visible(
        timeout=FIRST_RUN_TIMEOUT_MS
    )
    wait_for_app_run(page)
    box = page.get_by_role("textbox", name=re.compile("Search schools, authorities"))
    box.fill(typed)
    box.press("Enter")
    result = page.get_by_role("link", name=re.compile(f"URN {school['urn']}"))
    expect(result).to_be_visible()
    wait_for_app_run(page)

    box.focus()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.href || ''")
        if f"urn={school['urn']}" in focused:
            break
    else:
        pytest.fail(f"the result link for URN {school['urn']} was not reached with Tab")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/school\?urn={school['urn']}"))
    heading = page.get_by_role("heading", level=1, name=school["name"])
    expect(heading).to_be_visible(timeout=FIRST_RUN_TIMEOUT_MS)
