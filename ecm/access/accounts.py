"""Accounts in the store: each person's role, the place their remit covers, and a password
hash; signing in, with lock-out after repeated failures.

Roles and their scopes (the remit a role's account is tied to):

- ``headteacher``: one school (its URN);
- ``board_member``: one local authority (its ONS code);
- ``go_officer``: one region (its ONS code);
- ``analyst`` and ``admin``: everything (no scope code).

A deployment with an identity provider (OpenID Connect through Streamlit's ``st.login``) links
an account to the email address the provider vouches for (:func:`set_email`); a person signed
in there acts as that account (:func:`sign_in_with_identity`), with the same role and remit.

Passwords are hashed with Argon2id (``argon2-cffi``'s defaults, RFC 9106's recommended
parameters), never stored, logged or shown. An account is locked for :data:`LOCK_MINUTES` after
:data:`MAX_FAILURES` failed sign-ins in a row; every sign-in, failed sign-in and change to an
account is written to the audit log (``audit_log``, table ``app_user``) without its hash.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select

from ecm.store.audit import write_audit
from ecm.store.engine import session_scope
from ecm.store.models import AuditLog, LocalAuthority, Region, School, SignInSession, User

#: Each role and the level of place its scope names ("all": no scope code).
ROLE_SCOPES = {
    "headteacher": "school",
    "board_member": "la",
    "go_officer": "region",
    "analyst": "all",
    "admin": "all",
}
ROLES = tuple(ROLE_SCOPES)
#: Failed sign-ins in a row that lock an account, and for how long.
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: Passwords shorter than this are refused (NCSC: length over complexity).
MIN_PASSWORD_LENGTH = 12
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
#: An email address as far as linking needs: one '@', no spaces, a dot in the domain.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts refused, in words a person can act on; nothing changed."""


@dataclass(frozen=True)
class Account:
    """An account as the application sees it: never its password hash."""

    username: str
    display_name: str
    role: str
    scope_level: str
    scope_code: str | None
    active: bool
    #: The address an identity provider signs the person in with (:func:`set_email`).
    email: str | None = None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account when it succeeded, else why not (in words a
    person can be shown: never whether the username exists)."""

    account: Account | None
    message: str


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (refused when shorter than the minimum)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters are needed")
    return _HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _account(user: User) -> Account:
    return Account(
        user.username, user.display_name, user.role, user.scope_level, user.scope_code,
        bool(user.active), user.email,
    )  # fmt: skip


def account_named(session, username: str) -> Account | None:  # noqa: ANN001
    """The account ``username`` in an open store session, or None."""
    user = session.scalar(select(User).where(User.username == username))
    return None if user is None else _account(user)


def _end_sessions(session, username: str) -> None:  # noqa: ANN001
    """Sign every browser of ``username`` out (``ecm.access.sessions``)."""
    session.execute(delete(SignInSession).where(SignInSession.username == username))


def _record(  # noqa: ANN001 (an open store session)
    session, record_id: str, change: str, by: str, what: dict, at: dt.datetime | None = None
) -> None:
    """An audit entry for the account ``record_id`` (``what``: never the hash)."""
    write_audit(
        session.connection(), by[:100], "app_user", record_id[:40], change, after=what, at=at
    )


def _scope(session, role: str, scope_code: str | None) -> tuple[str, str | None]:  # noqa: ANN001
    """The scope level and code for ``role``, the code checked against the store."""
    if role not in ROLE_SCOPES:
        raise AccountError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    level = ROLE_SCOPES[role]
    if level == "all":
        if scope_code:
            raise AccountError(f"scope: {role} accounts see everything, so take no scope")
        return level, None
    if not scope_code:
        raise AccountError(f"scope: {role} accounts need the {_LEVEL_WORDS[level]} they cover")
    column = _LEVEL_KEYS[level]
    if session.scalar(select(column).where(column == scope_code)) is None:
        raise AccountError(f"scope: no {_LEVEL_WORDS[level]} {scope_code!r} in the store")
    return level, scope_code


_LEVEL_WORDS = {"school": "school (URN)", "la": "local authority (ONS code)", "region": "region"}
_LEVEL_KEYS = {"school": School.urn, "la": LocalAuthority.code, "region": Region.code}


def _user(session, username: str) -> User:  # noqa: ANN001
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"user: no account {username!r}")
    return user


def add_user(
    engine: Engine,
    username: str,
    display_name: str,
    role: str,
    scope_code: str | None,
    password: str,
    by: str = "command line",
    email: str | None = None,
) -> Account:
    """Create an account (linked to ``email``, when given: :func:`set_email`); refuses a taken
    or malformed username or address, an unknown role, a scope the store does not hold, or a
    short password, changing nothing."""
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "username: 2 to 40 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if not display_name.strip():
        raise AccountError("name: the person's name is needed")
    address = _email_address(email or "")
    password_hash = hash_password(password)
    with session_scope(engine) as session:
        level, code = _scope(session, role, scope_code)
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError(f"username: {username!r} is taken")
        _check_email_free(session, address, username)
        user = User(
            username=username,
            email=address,
            display_name=display_name.strip(),
            password_hash=password_hash,
            role=role,
            scope_level=level,
            scope_code=code,
            active=True,
            failed_attempts=0,
        )
        session.add(user)
        _record(session, user.username, "insert", by, {"role": role, "scope": code, "active": True})
        return _account(user)


def list_users(engine: Engine) -> list[Account]:
    """Every account, by username."""
    with session_scope(engine) as session:
        return [_account(u) for u in session.scalars(select(User).order_by(User.username))]


def set_active(engine: Engine, username: str, active: bool, by: str = "command line") -> Account:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    with session_scope(engine) as session:
        user = _user(session, username)
        user.active = active
        user.failed_attempts, user.locked_until = 0, None
        if not active:
            _end_sessions(session, user.username)
        _record(session, user.username, "update", by, {"active": active})
        return _account(user)


def set_email(engine: Engine, username: str, email: str, by: str = "command line") -> Account:
    """Link an account to the email address an identity provider signs its person in with
    (stored lower-case; "" unlinks it). An address links one account at most."""
    address = _email_address(email)
    with session_scope(engine) as session:
        user = _user(session, username)
        _check_email_free(session, address, user.username)
        user.email = address
        _record(session, user.username, "update", by, {"email": address})
        return _account(user)


def _email_address(email: str) -> str | None:
    """``email`` as stored (lower-case; None for ""), refused when it is not an address."""
    address = email.strip().lower() or None
    if address is not None and (len(address) > 254 or not EMAIL_PATTERN.match(address)):
        raise AccountError(f"email: {email!r} is not an email address")
    return address


def _check_email_free(session, address: str | None, username: str) -> None:  # noqa: ANN001
    """Refuse ``address`` when another account than ``username`` is linked to it."""
    taken = session.scalar(select(User.username).where(User.email == address))
    if address is not None and taken not in (None, username):
        raise AccountError(f"email: {address} is linked to {taken!r} already")


def reset_password(
    engine: Engine, username: str, password: str, by: str = "command line"
) -> Account:
    """Give an account a new password, which also unlocks it."""
    password_hash = hash_password(password)
    with session_scope(engine) as session:
        user = _user(session, username)
        user.password_hash = password_hash
        user.failed_attempts, user.locked_until = 0, None
        _end_sessions(session, user.username)  # whoever knew the old password is signed out
        _record(session, user.username, "update", by, {"password": "reset"})
        return _account(user)


def set_role(
    engine: Engine, username: str, role: str, scope_code: str | None, by: str = "command line"
) -> Account:
    """Change an account's role and the scope that goes with it."""
    with session_scope(engine) as session:
        user = _user(session, username)
        user.scope_level, user.scope_code = _scope(session, role, scope_code)
        user.role = role
        _record(session, user.username, "update", by, {"role": role, "scope": user.scope_code})
        return _account(user)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as UTC-aware (SQLite gives back naive times)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


#: What a refused sign-in says: the same whether the username or the password was wrong.
WRONG = "The username or password is not right."


def sign_in(engine: Engine, username: str, password: str, now: dt.datetime | None = None) -> SignIn:
    """Check a username and password. A good one on an active, unlocked account signs in and
    clears the failures; a wrong one counts a failure, and the :data:`MAX_FAILURES`-th in a row
    locks the account for :data:`LOCK_MINUTES` (even the right password is then refused until
    the lock ends). Every attempt on an account is written to the audit log."""
    now = now or dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            # Hash anyway, so that a missing account takes as long as a wrong password; and
            # lock it as an account would be, so that the lock tells nobody it is missing.
            password_matches(_dummy_hash(), password)
            if (until := _unknown_locked_until(session, username, now)) is not None:
                _record(session, username, "sign-in", username, {"outcome": "refused: locked"}, now)
                return SignIn(None, _locked_words(until, now))
            _record(
                session, username, "sign-in", username,
                {"outcome": "failed: no such account"}, now,
            )  # fmt: skip
            return SignIn(None, WRONG)
        locked = _aware(user.locked_until)
        if locked is not None and locked > now:
            _record(
                session, user.username, "sign-in", username, {"outcome": "refused: locked"}, now
            )
            return SignIn(None, _locked_words(locked, now))
        if not password_matches(user.password_hash, password):
            user.failed_attempts = (user.failed_attempts or 0) + 1
            outcome = "failed"
            if user.failed_attempts >= MAX_FAILURES:
                user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_attempts = 0
                outcome = "failed: locked"
            _record(session, user.username, "sign-in", username, {"outcome": outcome}, now)
            return SignIn(None, WRONG)
        if not user.active:
            _record(
                session, user.username, "sign-in", username, {"outcome": "refused: disabled"}, now
            )
            return SignIn(None, "This account is disabled; ask an administrator.")
        user.failed_attempts, user.locked_until, user.last_sign_in = 0, None, now
        _record(session, user.username, "sign-in", username, {"outcome": "signed in"}, now)
        return SignIn(_account(user), "Signed in.")


def _locked_words(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (
        f"This account is locked after {MAX_FAILURES} failed sign-ins; try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''} or ask an administrator."
    )


def _unknown_locked_until(session, username: str, now: dt.datetime) -> dt.datetime | None:  # noqa: ANN001
    """For a username no account has: when the lock an account would be under ends (None
    when it would not be), found by replaying the name's sign-ins in the audit log with an
    account's rules: failures in a row at any pace, the :data:`MAX_FAILURES`-th locking for
    :data:`LOCK_MINUTES` and starting the count again."""
    recent = session.execute(
        select(AuditLog.changed_at, AuditLog.after)
        .where(
            AuditLog.table_name == "app_user",
            AuditLog.record_id == username[:40],
            AuditLog.change == "sign-in",
        )
        .order_by(AuditLog.id.desc())
        .limit(20 * MAX_FAILURES)
    ).all()
    failures, until = 0, None
    for at, after in reversed(recent):
        if json.loads(after or "{}").get("outcome", "").startswith("failed"):
            failures += 1
            if failures >= MAX_FAILURES:
                failures, until = 0, _aware(at) + dt.timedelta(minutes=LOCK_MINUTES)
    return until if until is not None and until > now else None


#: What a person signed in by the identity provider is told when no account is linked to them.
NOT_LINKED = (
    "Your organisation signed you in as {email}, but no account of this dashboard is linked "
    "to that address. Ask an administrator to link it (python -m ecm users set-email)."
)


def sign_in_with_identity(
    engine: Engine, claims: Mapping[str, object], now: dt.datetime | None = None
) -> SignIn:
    """Sign in the person an identity provider vouches for (``claims``: ``st.user``'s OpenID
    Connect claims) as the active account linked to their verified email address. An address
    the provider does not say it verified (``email_verified``), an address no account is
    linked to, and a disabled account are refused; every attempt is written to the audit
    log."""
    now = now or dt.datetime.now(dt.UTC)
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        return SignIn(None, "Your organisation's sign-in gave no email address to match.")
    with session_scope(engine) as session:
        # Only an address the provider says it verified: one a person can set to anything
        # (some providers send no such claim) would let them act as whoever it names.
        if claims.get("email_verified") not in (True, "true"):
            _record(session, email, "sign-in", email, {"outcome": "refused: email not verified"})
            return SignIn(None, f"Your organisation has not verified {email}; ask them.")
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            _record(session, email, "sign-in", email, {"outcome": "failed: no linked account"})
            return SignIn(None, NOT_LINKED.format(email=email))
        if not user.active:
            _record(session, user.username, "sign-in", email, {"outcome": "refused: disabled"})
            return SignIn(None, "This account is disabled; ask an administrator.")
        user.failed_attempts, user.locked_until, user.last_sign_in = 0, None, now
        _record(
            session, user.username, "sign-in", email,
            {"outcome": "signed in", "by": "identity provider"},
        )  # fmt: skip
        return SignIn(_account(user), "Signed in.")


@cache
def _dummy_hash() -> str:
    """A hash no password is checked against for real (made once, when first needed)."""
    return _HASHER.hash("not any account's password")
