"""Signed-in browser sessions: a random token in the browser's cookie, its SHA-256 in the store
(``sign_in_session``), ended by signing out, after ``ECM_SESSION_MINUTES`` without use, or
:data:`LONGEST_HOURS` after signing in however much it is used (a token copied from a shared
machine stops working by the next day). Starting a session clears away the ended ones.

The store, not one process's memory, holds them, so a browser stays signed in whichever app
process serves it, and a session ended (or an account disabled) ends everywhere. Only the
token's hash is kept: a copy of the store gives nobody a way in. Each use re-reads the account,
so a role changed or an account disabled takes effect at the next page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete

from ecm.access.accounts import Account, account_named
from ecm.config import session_minutes
from ecm.store.engine import session_scope
from ecm.store.models import SignInSession

#: The browser cookie that carries a session's token.
COOKIE = "ecm_session"
#: A session's last use is written again only after this long, so that every page opened
#: does not write to the store.
TOUCH_SECONDS = 60
#: The longest a session lasts from signing in, in use or not.
LONGEST_HOURS = 12


@dataclass(frozen=True)
class Resumed:
    """A session looked up: its account when it still stands, else why not ("" when there
    was no session to resume)."""

    account: Account | None
    message: str = ""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as UTC-aware (SQLite gives back naive times)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def start_session(engine: Engine, username: str, now: dt.datetime | None = None) -> str:
    """A new session for ``username`` (already signed in); returns the token for the cookie."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        # Sessions that ended without a Sign out (a browser closed) go, so the table holds
        # only the live ones.
        session.execute(
            delete(SignInSession).where(
                (SignInSession.last_seen < now - dt.timedelta(minutes=session_minutes()))
                | (SignInSession.created_at < now - dt.timedelta(hours=LONGEST_HOURS))
            )
        )
        session.add(
            SignInSession(token_hash=_hash(token), username=username, created_at=now, last_seen=now)
        )
    return token


def resume_session(engine: Engine, token: str | None, now: dt.datetime | None = None) -> Resumed:
    """The account of the session ``token`` names, when it was used within the last
    ``ECM_SESSION_MINUTES`` and its account is still active; an expired session is ended and
    says so."""
    if not isinstance(token, str) or not token:
        return Resumed(None)
    now = now or dt.datetime.now(dt.UTC)
    idle = dt.timedelta(minutes=session_minutes())
    with session_scope(engine) as session:
        found = session.get(SignInSession, _hash(token))
        if found is None:
            return Resumed(None)
        if now - _aware(found.last_seen) > idle:
            session.delete(found)
            minutes = session_minutes()
            return Resumed(
                None,
                f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} "
                "without use. Sign in again to go on.",
            )
        if now - _aware(found.created_at) > dt.timedelta(hours=LONGEST_HOURS):
            session.delete(found)
            return Resumed(
                None,
                f"You were signed out {LONGEST_HOURS} hours after signing in. Sign in again "
                "to go on.",
            )
        account = account_named(session, found.username)
        if account is None or not account.active:
            session.delete(found)
            return Resumed(None, "This account is disabled; ask an administrator.")
        if (now - _aware(found.last_seen)).total_seconds() >= TOUCH_SECONDS:
            found.last_seen = now
        return Resumed(account)


def end_session(engine: Engine, token: object) -> None:
    """Sign the session ``token`` out (nothing when there is none)."""
    if isinstance(token, str) and token:
        with session_scope(engine) as session:
            session.execute(delete(SignInSession).where(SignInSession.token_hash == _hash(token)))
