"""Signing in and out in the app: the sign-in form, the session each browser keeps in a cookie
(its token; the store keeps only the token's hash: :mod:`ecm.access.sessions`), the account
and remit every run acts for, and the sidebar's "signed in as".

Each run finds its account again from the token, never from anything else in the session: a
value set in the session by hand, or a parameter in the address, cannot make a visitor anyone
else. A browser following a link (a new Streamlit session) resumes from its cookie.

Where the deployment configures an identity provider (an ``[auth]`` section in Streamlit's
secrets: OpenID Connect through ``st.login``), the sign-in page also offers it; a person it
signs in acts as the account linked to their verified email address
(:func:`ecm.access.accounts.sign_in_with_identity`), with a session of ours like any other.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import streamlit as st

from ecm.access import rights
from ecm.access.accounts import Account, list_users, sign_in, sign_in_with_identity
from ecm.access.scope import PUBLIC, Remit, acting_for, current_remit, remit_for
from ecm.access.sessions import COOKIE, end_session, resume_session, start_session
from ecm.catalogue import load_catalogue, restricted_indicators
from ecm.config import database_url
from ecm.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from ecm.ui.store import (
    CACHE_TTL,
    engine,
    engine_for,
    load_la_summary,
    load_region_summary,
    load_school_summary,
    run_version,
)
from ecm.views.markdown import escape_markdown
from ecm.views.missing import not_in_remit

T = TypeVar("T")

#: Session-state keys: the token of this browser session, and a cookie still to be written.
TOKEN_KEY = "ecm_session_token"
_COOKIE_TO_WRITE = "ecm_cookie_to_write"
_MESSAGE = "ecm_sign_in_message"
#: The address the identity provider vouched for that no account here is linked to (asked once).
_IDENTITY_REFUSED = "ecm_identity_refused"

ROLE_WORDS = {
    "headteacher": "Headteacher",
    "board_member": "Children's Trust Board member",
    "go_officer": "Government Office officer",
    "analyst": "Analyst",
    "admin": "Administrator",
}


def current_account() -> Account | None:
    """The account this run acts for: the session's token (set at sign-in) or, in a browser
    session just opened by a link, its cookie's; None when neither names a live session."""
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(COOKIE)
    resumed = resume_session(engine(), token)
    if resumed.account is None:
        st.session_state.pop(TOKEN_KEY, None)
        if resumed.message:
            st.session_state[_MESSAGE] = resumed.message
        return _signed_in_by_provider()
    st.session_state[TOKEN_KEY] = token
    return resumed.account


def _providers() -> list[str]:
    """The identity providers the deployment configured (``[auth]`` in Streamlit's secrets):
    "default" for one set out in ``[auth]`` itself, else each ``[auth.NAME]``; none without."""
    if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
        return []
    section = st.secrets["auth"]
    named = [name for name, value in section.items() if hasattr(value, "items")]
    return named or (["default"] if "client_id" in section else [])


def _provider_user() -> dict:
    """The identity provider's claims about the person in this browser ({} when none)."""
    if not _providers() or not st.user.get("is_logged_in"):
        return {}
    return st.user.to_dict()


def _signed_in_by_provider() -> Account | None:
    """The account linked to the person the identity provider signed in, with a session of
    ours started for it (its cookie written like a password sign-in's); None, with the reason
    kept for the sign-in page, when there is no such person or no linked active account."""
    claims = _provider_user()
    email = str(claims.get("email") or "")
    signing_out = st.session_state.get(_COOKIE_TO_WRITE) == ""
    if not claims or signing_out or st.session_state.get(_IDENTITY_REFUSED) == email:
        return None
    outcome = sign_in_with_identity(engine(), claims)
    if outcome.account is None:
        st.session_state[_IDENTITY_REFUSED] = email
        st.session_state[_MESSAGE] = outcome.message
        return None
    token = start_session(engine(), outcome.account.username)
    st.session_state[TOKEN_KEY] = token
    st.session_state[_COOKIE_TO_WRITE] = token
    return outcome.account


def for_this_viewer(make: Callable[[], T]) -> Callable[[], T]:
    """``make`` (a deferred download's writer, which Streamlit runs later on another thread,
    outside the page's run) made to read figures for the remit of the run that drew it."""
    remit = current_remit()

    def made() -> T:
        with acting_for(remit):
            return make()

    return made


#: The account of the page run under way (set by :func:`reading_for`), so that a page asks the
#: store who is signed in once per run; callbacks run before it is set and ask afresh.
_RUN_ACCOUNT: ContextVar[Account | None] = ContextVar("run_account", default=None)


@contextmanager
def reading_for(account: Account | None) -> Iterator[Remit]:
    """A block (the page's run) acting for ``account``: every figure is read for its remit,
    the places whose restricted figures it may see (``ecm.access.scope``)."""
    remit = PUBLIC if account is None else _remit(database_url(), run_version(), account)
    token = _RUN_ACCOUNT.set(account)
    try:
        with acting_for(remit):
            yield remit
    finally:
        _RUN_ACCOUNT.reset(token)


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _remit(url: str, version: int, account: Account) -> Remit:
    """The remit of ``account`` on the store at ``url``, read once (a region's is every school
    in it); imports clear it with the other cached reads."""
    return remit_for(engine_for(url), account)


def sign_in_form() -> None:
    """The sign-in page: username and password, and why the last attempt or session ended."""
    st.title("Sign in")
    st.write(
        "The ECM outcomes dashboard shows each person the figures of their remit: a school, "
        "a local authority, a region or everything. Ask your administrator for an account."
    )
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        st.warning(escape_markdown(message), icon=":material/lock:")
    if demo := _demo_accounts():
        st.info(
            "This store holds the fictional demo. See it as each audience does: sign in as "
            f"{demo} with the password `{DEMO_PASSWORD}`.",
            icon=":material/science:",
        )
    _provider_buttons()
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        outcome = sign_in(engine(), username.strip().lower(), password)
        if outcome.account is None:
            st.session_state[_MESSAGE] = outcome.message
        else:
            token = start_session(engine(), outcome.account.username)
            st.session_state[TOKEN_KEY] = token
            st.session_state[_COOKIE_TO_WRITE] = token
        st.rerun()


def _provider_buttons() -> None:
    """Sign-in through each configured identity provider; and, for a person it signed in whom
    no account here is linked to, a way to sign out of it and use another account."""
    providers = _providers()
    if _provider_user():
        st.button(
            "Sign out of your organisation's account", on_click=st.logout, key="provider_logout"
        )
        return
    for provider in providers:
        label = "your organisation's account" if provider == "default" else provider
        st.button(
            f"Sign in with {label}",
            on_click=st.login,
            args=(provider,),
            type="primary",
            icon=":material/badge:",
            key=f"provider_login_{provider}",
        )
    if providers:
        st.caption("Or with a username and password of this dashboard:")


def _demo_accounts() -> str:
    """The demo's accounts that this store holds, in words ("" on a store without them)."""
    present = {a.username for a in list_users(engine()) if a.active}
    return ", ".join(
        f"`{username}` ({ROLE_WORDS[role]})"
        for username, _, role in DEMO_ACCOUNTS
        if username in present
    )


def write_cookie() -> None:
    """Give the browser the session's cookie once, after sign-in, so a link opened later (a
    new Streamlit session) is still signed in. It lasts until the browser closes: the store
    ends the session after ``ECM_SESSION_MINUTES`` without use, however long it is used."""
    token = st.session_state.pop(_COOKIE_TO_WRITE, None)
    if token:
        _cookie_script(token)


def _cookie_script(value: str, max_age: int | None = None) -> None:
    # SameSite=Strict: never sent with a request another site starts; Secure over HTTPS. A
    # cookie a script writes cannot be HttpOnly (README says so).
    lasts = "" if max_age is None else f"; max-age={max_age}"
    st.html(
        "<script>document.cookie = "
        f"{json.dumps(f'{COOKIE}={value}; path=/{lasts}; SameSite=Strict')}"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def _sign_out() -> None:
    end_session(engine(), st.session_state.pop(TOKEN_KEY, None) or st.context.cookies.get(COOKIE))
    st.session_state[_MESSAGE] = "You are signed out."
    st.session_state[_COOKIE_TO_WRITE] = ""


def account_panel(account: Account) -> None:
    """The sidebar's line saying who is signed in, with what remit, and Sign out."""
    role = ROLE_WORDS.get(account.role, account.role)
    st.caption(
        escape_markdown(f"Signed in as {account.display_name} ({role}: {_remit_name(account)})")
    )
    st.button("Sign out", icon=":material/logout:", on_click=_sign_out, key="sign_out")


def _remit_name(account: Account) -> str:
    """The place an account's remit covers, by name ("everything" for analysts)."""
    summary = {
        "school": load_school_summary, "la": load_la_summary, "region": load_region_summary,
    }.get(account.scope_level)  # fmt: skip
    found = summary(account.scope_code) if summary else None
    return found["name"] if found else (account.scope_code or "everything")


def clear_cookie_if_signed_out() -> None:
    """After Sign out, tell the browser to forget its cookie, and sign the person out of the
    identity provider too (else it would sign them straight in again)."""
    if st.session_state.get(_COOKIE_TO_WRITE) == "":
        st.session_state.pop(_COOKIE_TO_WRITE)
        _cookie_script("", 0)
        if _provider_user():
            st.logout()


def signed_in() -> Account | None:
    """The signed-in account, for a page or a callback deciding what to offer or allow: the
    account this run found from the session's token or, in a callback (which runs before the
    page), read again from it; never a value put in the session by hand."""
    if (account := _RUN_ACCOUNT.get()) is not None:
        return account
    token = st.session_state.get(TOKEN_KEY)
    return resume_session(engine(), token).account if token else None


def may_import() -> bool:
    """Whether the signed-in account may import data (analysts and administrators)."""
    return rights.may_import(signed_in())


def may_edit_plan(la_code: str) -> bool:
    """Whether the signed-in account may change the LA's plan (its Board, analysts and
    administrators)."""
    return rights.may_edit_plan(signed_in(), la_code)


def remit_note(level: str, code: str, place: str) -> None:
    """Under a place's title, where the signed-in account's remit does not cover the place:
    which restricted figures are held back from it, said plainly rather than left out
    silently."""
    if current_remit().sees(level, code):
        return
    if words := not_in_remit(_restricted_titles(level), place):
        st.caption(escape_markdown(words))


@functools.cache
def _restricted_titles(level: str) -> list[str]:
    """The titles of the restricted indicators that have figures at ``level``."""
    catalogue = load_catalogue()
    restricted = restricted_indicators(catalogue)
    return [
        row["title"] for row in catalogue.indicators
        if row["code"] in restricted and level in row["levels"].split(";")
    ]  # fmt: skip
