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


def test_each_roles_downloads_hold_the_restricted_figures_of_its_remit_only(
    browser: Browser, app_url: str, demo_database_url: str
) -> None:
    """The school page's "Be healthy" figures as CSV, downloaded in the browser by each role,
    for the headteacher's own school and a school in another region (another LA where the
    demo has one region): the restricted survey figure is in the file exactly when the
    account's remit covers the school."""
    import csv
    import io
    from pathlib import Path

    from tests.e2e.helpers import sign_in

    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        own = connection.scalar(select(User.scope_code).where(User.username == "demo-head"))
        la, region = connection.execute(
            select(School.la_code, LocalAuthority.region_code)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(School.urn == own)
        ).one()
        others = connection.execute(
            select(School.urn, LocalAuthority.region_code)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(School.la_code != la, School.phase == "primary")
            .order_by(School.urn)
        ).all()
    engine.dispose()
    other, other_region = next(((u, r) for u, r in others if r != region), others[0])
    officer_sees_other = other_region == region
    expected = {
        ("demo-head", own): True, ("demo-head", other): False,
        ("demo-board", own): True, ("demo-board", other): False,
        ("demo-officer", own): True, ("demo-officer", other): officer_sees_other,
        ("demo-analyst", own): True, ("demo-analyst", other): True,
    }  # fmt: skip
    found = {}
    for user, urn in expected:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            sign_in(context, app_url, user)
            page = context.new_page()
            page.goto(f"{app_url}/school?urn={urn}", timeout=RUN_TIMEOUT_MS)
            expect(page.get_by_role("heading", name="The five outcomes")).to_be_visible(
                timeout=RUN_TIMEOUT_MS
            )
            wait_for_app_run(page)
            # The published figures are there for everyone to download.
            # Each outcome's figures are drawn when its tab is chosen, in a run of their own.
            page.get_by_role("tab", name="Enjoy and achieve").click()
            published = page.locator(".st-key-download_figures_Enjoy-and-achieve button")
            expect(published).to_be_visible(timeout=RUN_TIMEOUT_MS)
            with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
                published.click()
            rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
            assert rows[0][0] == "Indicator" and len(rows) > 1, (user, urn)
            # Be healthy's figures here are all restricted: held back, the outcome has none.
            button = page.locator(".st-key-download_figures_Be-healthy button")
            held_back = page.get_by_text("Not available to your account").first
            tab = page.get_by_role("tab", name="Be healthy")
            if tab.count():
                tab.click()
            expect(button.or_(held_back)).to_be_visible(timeout=RUN_TIMEOUT_MS)
            if not button.count():
                found[user, urn] = False
                continue
            with page.expect_download(timeout=RUN_TIMEOUT_MS) as download:
                button.click()
            text = Path(download.value.path()).read_text("utf-8-sig")
            assert len(list(csv.reader(io.StringIO(text)))) > 1, (user, urn)
            found[user, urn] = PE_AND_SPORT in text
        finally:
            context.close()
    assert found == expected
