"""Signing in through the form in a real browser: the page asked for opens once signed in, a
link opened later (a new Streamlit session) is still signed in through the session cookie, a
headteacher sees its own school's restricted survey figure and not another school's, and
Sign out ends the session."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from ecm.demo.accounts import DEMO_PASSWORD
from ecm.store.engine import make_engine
from ecm.store.models import LocalAuthority, School, User
from tests.e2e.helpers import RUN_TIMEOUT_MS, wait_for_app_run

PE_AND_SPORT = "Pupils doing 2+ hours a week of high-quality PE and sport"


def test_a_headteacher_signs_in_stays_signed_in_across_links_and_signs_out(
    browser: Browser, app_url: str, demo_database_url: str
) -> None:
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        own = connection.scalar(select(User.scope_code).where(User.username == "demo-head"))
        la = connection.scalar(select(School.la_code).where(School.urn == own))
        other = connection.scalar(
            select(School.urn)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(School.la_code != la, School.phase == "primary")
            .order_by(School.urn)
        )
    engine.dispose()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/school?urn={own}", timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible(
            timeout=RUN_TIMEOUT_MS
        )
        wait_for_app_run(page)
        page.get_by_label("Username").fill("demo-head")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # The school asked for opens, with its restricted survey figure.
        expect(page.get_by_text(PE_AND_SPORT).first).to_be_visible(timeout=RUN_TIMEOUT_MS)
        wait_for_app_run(page)
        expect(page.get_by_text("Signed in as Demo Headteacher")).to_be_visible()
        assert any(c["name"] == "ecm_session" for c in context.cookies())

        # A new page load is a new Streamlit session: the cookie keeps it signed in.
        page.goto(f"{app_url}/school?urn={other}", timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_text("Signed in as Demo Headteacher")).to_be_visible(
            timeout=RUN_TIMEOUT_MS
        )
        wait_for_app_run(page)
        # Its restricted figure is named only in the line saying it is held back.
        held_back = page.get_by_text(PE_AND_SPORT)
        expect(held_back).to_have_count(1)
        expect(held_back).to_contain_text("Not available to your account")

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible(
            timeout=RUN_TIMEOUT_MS
        )
        wait_for_app_run(page)
        page.goto(f"{app_url}/school?urn={own}", timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible(
            timeout=RUN_TIMEOUT_MS
        )
    finally:
        context.close()
