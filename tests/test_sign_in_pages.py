"""Signing in to the app (AppTest): no page without an account, a forged session value counts
for nothing, sessions end after inactivity, and each role sees the restricted figures of its
remit and the writes its role allows, on the fictional demo."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from ecm.access.accounts import NOT_LINKED, WRONG, set_email
from ecm.access.sessions import start_session
from ecm.demo.accounts import DEMO_PASSWORD
from ecm.store.models import LocalAuthority, School, User
from ecm.ui.signin import TOKEN_KEY
from ecm.views.markdown import escape_markdown
from tests.helpers import open_app, signed_in_app

#: The restricted demo indicator's title (NI 57, a school survey: restricted in the catalogue).
PE_AND_SPORT = "Pupils doing 2+ hours a week of high-quality PE and sport"


def _words(at: AppTest) -> str:
    parts = [t.value for t in at.title] + [m.value for m in at.markdown]
    parts += [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [str(df.value.to_dict()) for df in at.dataframe] + [str(t.value) for t in at.table]
    return "\n".join(parts)


def _signed_out_words(at: AppTest) -> str:
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    return _words(at)


def test_signed_out_no_page_runs_and_a_forged_session_value_counts_for_nothing(
    use_demo_database,  # noqa: ANN001
) -> None:
    at = open_app("app_pages/school.py", user=None, urn="900001")
    words = _signed_out_words(at)
    assert "Demo" not in words and "900001" not in words
    # A demo store tells a newcomer how to see it as each audience does.
    demo = at.info[0].value
    assert "`demo-head` (Headteacher)" in demo and f"`{DEMO_PASSWORD}`" in demo
    at = signed_in_app(use_demo_database, None)
    at.session_state[TOKEN_KEY] = "forged-token"
    at.session_state["ecm_account_this_run"] = "demo-admin"
    at.run()
    _signed_out_words(at)


def test_signing_in_with_the_form_and_a_wrong_password_refused(use_demo_database) -> None:  # noqa: ANN001
    at = open_app(user=None)
    at.text_input[0].set_value("demo-board")
    at.text_input[1].set_value("not the password at all")
    at.button[0].click().run()
    assert escape_markdown(WRONG) in _signed_out_words(at)
    at.text_input[0].set_value("demo-board")
    at.text_input[1].set_value(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Every Child Matters outcomes dashboard"
    assert "Signed in as Demo Board Member" in "\n".join(c.value for c in at.sidebar.caption)


def test_a_session_unused_for_longer_than_the_limit_is_signed_out(
    use_demo_database,
    demo_engine,  # noqa: ANN001
) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
    at = signed_in_app(use_demo_database, None)
    at.session_state[TOKEN_KEY] = start_session(demo_engine, "demo-head", now=long_ago)
    at.run()
    assert "signed out after 30 minutes without use" in _signed_out_words(at).replace("\\", "")


@pytest.fixture(scope="module")
def head_and_other(demo_engine) -> tuple[str, str]:  # noqa: ANN001
    """The demo headteacher's school and a school of its phase in another LA of its region."""
    with demo_engine.connect() as connection:
        own = connection.scalar(select(User.scope_code).where(User.username == "demo-head"))
        la, phase, region = connection.execute(
            select(School.la_code, School.phase, LocalAuthority.region_code)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(School.urn == own)
        ).one()
        other = connection.scalar(
            select(School.urn)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(School.la_code != la, School.phase == phase)
            .where(LocalAuthority.region_code == region)
            .order_by(School.urn)
        )
    return own, other


@pytest.mark.parametrize(
    ("user", "sees_own", "sees_other"),
    [
        ("demo-head", True, False),
        ("demo-board", True, False),
        ("demo-officer", True, True),
        ("demo-analyst", True, True),
    ],
)
def test_each_role_sees_restricted_figures_of_its_remit_only(
    use_demo_database,
    head_and_other,
    user: str,
    sees_own: bool,
    sees_other: bool,  # noqa: ANN001
) -> None:
    own, other = head_and_other
    shown = {}
    for urn in (own, other):
        at = open_app("app_pages/school.py", user=user, urn=urn)
        assert not at.exception
        words = _words(at).replace("\\", "")  # as read: Markdown's escapes dropped
        # Published figures reach everyone signed in: the school's page is there either way.
        assert at.title and "Sign in" not in at.title[0].value
        note = "Not available to your account: figures not published by place"
        figures = [line for line in words.splitlines() if not line.startswith(note)]
        shown[urn] = PE_AND_SPORT in "\n".join(figures)
        # Where the figure is held back, the page says so rather than leaving it out silently.
        assert (note in words) != shown[urn]
    assert shown == {own: sees_own, other: sees_other}


@pytest.mark.parametrize(
    ("user", "may"),
    [("demo-head", False), ("demo-board", False), ("demo-analyst", True), ("demo-admin", True)],
)
def test_only_analysts_and_administrators_are_offered_imports(
    use_demo_database,
    user: str,
    may: bool,  # noqa: ANN001
) -> None:
    at = open_app("app_pages/data.py", user=user)
    assert not at.exception
    assert bool([e for e in at.expander if e.label == "Import files"]) == may
    assert ("Importing files is for analysts and administrators." in _words(at)) != may


def test_the_server_limits_uploads_and_keeps_its_forgery_protection() -> None:
    import tomllib

    from tests.helpers import REPO_ROOT

    server = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] == 100 and server["enableXsrfProtection"] is True


#: An identity provider set out as Streamlit's secrets would hold it (never reached here: the
#: provider's answer is given to the app as ``st.user``'s claims).
PROVIDER = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a cookie secret for the test only",
    "client_id": "ecm-dashboard",
    "client_secret": "a client secret for the test only",
    "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration",
}


def _with_provider(url: str, claims: dict) -> AppTest:
    at = signed_in_app(url, None)
    at.secrets["auth"] = PROVIDER
    at.user = claims
    at.run()
    return at


def test_an_identity_provider_signs_in_the_account_linked_to_its_verified_email(
    use_demo_database,
    demo_engine,  # noqa: ANN001
) -> None:
    set_email(demo_engine, "demo-board", "chair@example.gov.uk")
    try:
        offered = _with_provider(use_demo_database, {"is_logged_in": False})
        assert [b.label for b in offered.button][:1] == ["Sign in with your organisation's account"]
        claims = {"is_logged_in": True, "email": "Chair@example.gov.uk", "email_verified": True}
        at = _with_provider(use_demo_database, claims)
        assert not at.exception
        assert at.title[0].value == "Every Child Matters outcomes dashboard"
        assert "Signed in as Demo Board Member" in "\n".join(c.value for c in at.sidebar.caption)
        stranger = _with_provider(
            use_demo_database,
            {"is_logged_in": True, "email": "who@example.org", "email_verified": True},
        )
        words = _signed_out_words(stranger).replace("\\", "")
        assert NOT_LINKED.format(email="who@example.org") in words
        assert [b.label for b in stranger.button][:1] == ["Sign out of your organisation's account"]
    finally:
        set_email(demo_engine, "demo-board", "")


def test_a_plan_outside_the_remit_says_its_restricted_numbers_are_held_back(
    use_demo_database,  # noqa: ANN001
) -> None:
    """demo-board's LA is Z10000001: another LA's plan says what it holds back; its own
    does not."""
    other = open_app("app_pages/plan.py", user="demo-board", la="Z10000002")
    own = open_app("app_pages/plan.py", user="demo-board", la="Z10000001")
    assert not other.exception and not own.exception
    held = [c.value for c in other.caption if c.value.startswith("Not available to your account")]
    assert len(held) == 1 and PE_AND_SPORT in held[0].replace("\\", "")
    assert not [c for c in own.caption if c.value.startswith("Not available to your account")]
