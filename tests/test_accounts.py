"""Accounts in the store: Argon2id hashes, roles tied to the place they cover, lock-out after
repeated failures, every sign-in and change in the audit log, and the ``users`` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from ecm.access.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    NOT_LINKED,
    WRONG,
    AccountError,
    add_user,
    hash_password,
    list_users,
    password_matches,
    reset_password,
    set_active,
    set_email,
    set_role,
    sign_in,
    sign_in_with_identity,
)
from ecm.store.engine import session_scope
from ecm.store.models import AuditLog, LocalAuthority, Region, School, User
from tests.helpers import run

PASSWORD = "correct horse battery"
NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def places(catalogue_store):  # noqa: ANN001, ANN201
    """A store with one region, LA and school for scopes to name (fictional codes)."""
    with session_scope(catalogue_store) as session:
        session.add(Region(code="Z99000001", name="Demo Region", country_code="Z92000001"))
        session.flush()
        session.add(LocalAuthority(code="Z10000001", name="Demo LA", region_code="Z99000001"))
        session.flush()
        session.add(School(urn="900001", name="Demo Primary", la_code="Z10000001"))
    return catalogue_store


def _audit(engine) -> list[tuple[str, str, dict]]:  # noqa: ANN001
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.record_id, AuditLog.change, AuditLog.after).order_by(AuditLog.id)
        ).all()
    return [(r.record_id, r.change, json.loads(r.after)) for r in rows]


def test_a_password_is_kept_only_as_an_argon2id_hash() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert hash_password(PASSWORD) != hashed  # salted
    assert password_matches(hashed, PASSWORD)
    assert not password_matches(hashed, PASSWORD + "!")
    assert not password_matches("not a hash", PASSWORD)
    with pytest.raises(AccountError, match="at least 12 characters"):
        hash_password("short")


def test_each_role_is_tied_to_the_place_it_covers(places) -> None:  # noqa: ANN001
    head = add_user(places, "head", "Pat Head", "headteacher", "900001", PASSWORD)
    board = add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    officer = add_user(places, "go", "Lee Officer", "go_officer", "Z99000001", PASSWORD)
    analyst = add_user(places, "ana", "Ana Lyst", "analyst", None, PASSWORD)
    assert [(a.role, a.scope_level, a.scope_code) for a in (head, board, officer, analyst)] == [
        ("headteacher", "school", "900001"),
        ("board_member", "la", "Z10000001"),
        ("go_officer", "region", "Z99000001"),
        ("analyst", "all", None),
    ]
    assert [a.username for a in list_users(places)] == ["ana", "chair", "go", "head"]


@pytest.mark.parametrize(
    ("username", "role", "scope", "password", "message"),
    [
        ("Bad Name", "analyst", None, PASSWORD, "username: 2 to 40 characters"),
        ("x", "analyst", None, PASSWORD, "username: 2 to 40 characters"),
        ("ok", "superuser", None, PASSWORD, "role: 'superuser' is not one of headteacher"),
        ("ok", "headteacher", None, PASSWORD, "scope: headteacher accounts need the school (URN)"),
        ("ok", "headteacher", "123456", PASSWORD, "scope: no school (URN) '123456' in the store"),
        ("ok", "board_member", "900001", PASSWORD, "scope: no local authority (ONS code)"),
        ("ok", "analyst", "Z10000001", PASSWORD, "scope: analyst accounts see everything"),
        ("ok", "analyst", None, "too short", "password: at least 12 characters"),
        ("taken", "analyst", None, PASSWORD, "username: 'taken' is taken"),
    ],
)
def test_a_refused_account_says_why_and_changes_nothing(
    places, username: str, role: str, scope: str | None, password: str, message: str
) -> None:  # noqa: ANN001
    add_user(places, "taken", "Already Here", "analyst", None, PASSWORD)
    before = _audit(places)
    with pytest.raises(AccountError) as refused:
        add_user(places, username, "Some One", role, scope, password)
    assert str(refused.value).startswith(message)
    with places.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 1
    assert _audit(places) == before


def test_repeated_failures_lock_the_account_until_the_lock_ends(places) -> None:  # noqa: ANN001
    add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    for attempt in range(MAX_FAILURES):
        refused = sign_in(places, "chair", "wrong password!", now=NOON)
        assert refused.account is None and refused.message == WRONG, attempt
    # Locked: even the right password is refused, and the message says for how long.
    locked = sign_in(places, "chair", PASSWORD, now=NOON + dt.timedelta(minutes=1))
    assert locked.account is None
    assert locked.message == (
        f"This account is locked after {MAX_FAILURES} failed sign-ins; try again in "
        f"{LOCK_MINUTES - 1} minutes or ask an administrator."
    )
    later = sign_in(places, "chair", PASSWORD, now=NOON + dt.timedelta(minutes=LOCK_MINUTES))
    assert later.account is not None and later.account.scope_code == "Z10000001"
    outcomes = [after["outcome"] for record, change, after in _audit(places) if change == "sign-in"]
    assert outcomes == ["failed"] * (MAX_FAILURES - 1) + [
        "failed: locked",
        "refused: locked",
        "signed in",
    ]
    with places.connect() as connection:
        user = connection.execute(select(User).where(User.username == "chair")).one()
    assert user.failed_attempts == 0 and user.locked_until is None
    assert user.last_sign_in is not None


def test_an_unknown_name_and_a_wrong_password_read_the_same_and_are_both_logged(
    places,
) -> None:  # noqa: ANN001
    add_user(places, "head", "Pat Head", "headteacher", "900001", PASSWORD)
    assert sign_in(places, "nobody", PASSWORD, now=NOON).message == WRONG
    assert sign_in(places, "head", "not the password", now=NOON).message == WRONG
    assert _audit(places)[1:] == [
        ("nobody", "sign-in", {"outcome": "failed: no such account"}),
        ("head", "sign-in", {"outcome": "failed"}),
    ]


def test_disabling_resetting_and_changing_a_role_are_audited_without_the_hash(
    places,
) -> None:  # noqa: ANN001
    add_user(places, "head", "Pat Head", "headteacher", "900001", PASSWORD)
    set_active(places, "head", False, by="admin")
    assert sign_in(places, "head", PASSWORD, now=NOON).message == (
        "This account is disabled; ask an administrator."
    )
    set_active(places, "head", True, by="admin")
    reset_password(places, "head", "a brand new passphrase", by="admin")
    assert sign_in(places, "head", PASSWORD, now=NOON).account is None
    assert sign_in(places, "head", "a brand new passphrase", now=NOON).account is not None
    changed = set_role(places, "head", "board_member", "Z10000001", by="admin")
    assert (changed.role, changed.scope_level, changed.scope_code) == (
        "board_member", "la", "Z10000001",
    )  # fmt: skip
    with pytest.raises(AccountError, match="user: no account 'ghost'"):
        set_active(places, "ghost", False)
    changes = [(change, after) for _, change, after in _audit(places) if change != "sign-in"]
    assert changes == [
        ("insert", {"active": True, "role": "headteacher", "scope": "900001"}),
        ("update", {"active": False}),
        ("update", {"active": True}),
        ("update", {"password": "reset"}),
        ("update", {"role": "board_member", "scope": "Z10000001"}),
    ]
    with places.connect() as connection:
        logged = " ".join(connection.scalars(select(AuditLog.after)).all())
        hashed = connection.scalar(select(User.password_hash))
    assert hashed not in logged and "passphrase" not in logged


def test_the_users_command_never_takes_a_password_from_its_arguments(places) -> None:  # noqa: ANN001
    url = places.url.render_as_string(hide_password=False)

    def users(*args: str, password: str | None = None):  # noqa: ANN202
        return run("users", *args, url=url, input=password)

    added = users(
        "add", "chair", "--name", "Sam Chair", "--role", "board_member", "--scope", "Z10000001",
        "--password-stdin", password=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added chair: Sam Chair, board_member, scope Z10000001"
    no_prompt = users("add", "ana", "--name", "Ana", "--role", "analyst", password="")
    assert no_prompt.returncode == 2
    assert no_prompt.stderr.strip() == (
        "error: password: no terminal to ask on; pipe it in with --password-stdin"
    )
    in_arguments = users("add", "ana", "--name", "Ana", "--role", "analyst", "--password", "x")
    assert in_arguments.returncode == 2 and "unrecognized arguments" in in_arguments.stderr
    bad_scope = users("set-role", "chair", "--role", "go_officer", "--scope", "Z10000001")
    assert bad_scope.returncode == 2
    assert bad_scope.stderr.strip() == "error: scope: no region 'Z10000001' in the store"
    assert users("disable", "chair").stdout.strip() == (
        "disabled chair: Sam Chair, board_member, scope Z10000001 (disabled)"
    )
    reset = users("reset-password", "chair", "--password-stdin", password="another long one\n")
    assert reset.returncode == 0, reset.stderr
    listed = users("list")
    assert listed.stdout.splitlines() == [
        "chair: Sam Chair, board_member, scope Z10000001 (disabled)"
    ]
    for result in (added, reset, listed):
        assert PASSWORD not in result.stdout + result.stderr
        assert "argon2" not in result.stdout + result.stderr
    assert sign_in(places, "chair", "another long one", now=NOON).message == (
        "This account is disabled; ask an administrator."
    )
    linked = users("set-email", "chair", "Sam.Chair@Example.gov.uk")
    assert linked.stdout.strip() == (
        "linked chair: Sam Chair, board_member, scope Z10000001, signs in as "
        "sam.chair@example.gov.uk (disabled)"
    )
    not_email = users("add", "ana", "--name", "Ana", "--role", "analyst", "--email", "ana",
                      "--password-stdin", password=PASSWORD + "\n")  # fmt: skip
    assert not_email.returncode == 2
    assert not_email.stderr.strip() == "error: email: 'ana' is not an email address"
    assert [a.username for a in list_users(places)] == ["chair"]


def test_a_session_stands_while_used_and_ends_after_the_idle_limit(places, monkeypatch) -> None:  # noqa: ANN001
    from ecm.access.sessions import end_session, resume_session, start_session
    from ecm.store.models import SignInSession

    add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    token = start_session(places, "chair", now=NOON)
    with places.connect() as connection:
        stored = connection.scalar(select(SignInSession.token_hash))
    assert token not in stored and len(stored) == 64  # only the token's SHA-256 is kept
    later = NOON + dt.timedelta(minutes=29)
    assert resume_session(places, token, now=later).account.username == "chair"
    # Used at 12:29, so 12:58 is still within half an hour of the last use.
    assert resume_session(places, token, now=later + dt.timedelta(minutes=29)).account
    monkeypatch.setenv("ECM_SESSION_MINUTES", "5")
    gone = resume_session(places, token, now=later + dt.timedelta(minutes=40))
    assert gone.account is None and "after 5 minutes without use" in gone.message
    assert resume_session(places, token, now=later).account is None  # ended for good
    assert resume_session(places, "forged", now=NOON).account is None
    assert resume_session(places, None).account is None
    # Signing out, a reset password and a disabled account end the browsers' sessions.
    for end in (
        lambda t: end_session(places, t),
        lambda t: reset_password(places, "chair", PASSWORD + "!"),
        lambda t: set_active(places, "chair", False),
    ):
        token = start_session(places, "chair")
        end(token)
        assert resume_session(places, token).account is None


def test_a_session_ends_twelve_hours_after_sign_in_and_ended_ones_are_cleared(places) -> None:  # noqa: ANN001
    from ecm.access.sessions import LONGEST_HOURS, resume_session, start_session
    from ecm.store.models import SignInSession

    add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    token = start_session(places, "chair", now=NOON)
    moment = NOON
    while moment < NOON + dt.timedelta(hours=LONGEST_HOURS) - dt.timedelta(minutes=20):
        moment += dt.timedelta(minutes=20)  # in use all day, never idle for long
        assert resume_session(places, token, now=moment).account is not None, moment
    ended = resume_session(places, token, now=NOON + dt.timedelta(hours=LONGEST_HOURS, minutes=1))
    assert ended.account is None and ended.message.startswith("You were signed out 12 hours")
    # Sessions left behind (browsers closed without Sign out) go when another one starts.
    start_session(places, "chair", now=NOON)
    start_session(places, "chair", now=NOON + dt.timedelta(minutes=10))
    start_session(places, "chair", now=NOON + dt.timedelta(hours=2))
    with places.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(SignInSession)) == 1


def test_a_username_no_account_has_is_locked_out_the_same_way(places) -> None:  # noqa: ANN001
    """Lock-out tells nobody whether a username exists: after as many failures, a missing
    account reads exactly as a locked one, for as long."""
    add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    said = {}
    for name in ("chair", "nobody"):
        for _ in range(MAX_FAILURES):
            sign_in(places, name, "wrong password!", now=NOON)
        said[name] = [
            sign_in(places, name, "wrong password!", now=NOON + dt.timedelta(minutes=m)).message
            for m in (1, 2, LOCK_MINUTES + 1)
        ]
    assert said["nobody"] == said["chair"]
    assert said["chair"][0].startswith("This account is locked") and said["chair"][2] == WRONG
    # Failures count in a row at any pace, for a missing name as for an account.
    add_user(places, "clerk", "Jo Clerk", "board_member", "Z10000001", PASSWORD)
    later = NOON + dt.timedelta(hours=2)
    for name in ("clerk", "nobody-else"):
        for hour in range(MAX_FAILURES - 1):
            sign_in(places, name, "wrong password!", now=later + dt.timedelta(hours=hour))
        last = later + dt.timedelta(hours=MAX_FAILURES)
        sign_in(places, name, "wrong password!", now=last)
        said[name] = sign_in(places, name, "wrong!", now=last + dt.timedelta(minutes=1)).message
    assert said["nobody-else"] == said["clerk"] and said["clerk"].startswith("This account is")


def test_an_identity_providers_verified_email_signs_in_its_linked_account(
    places,
) -> None:  # noqa: ANN001
    add_user(places, "chair", "Sam Chair", "board_member", "Z10000001", PASSWORD)
    assert set_email(places, "chair", " Sam.Chair@Example.gov.uk ").username == "chair"
    verified = {"email_verified": True}
    signed = sign_in_with_identity(places, {"email": "sam.chair@example.gov.uk", **verified})
    assert signed.account is not None and signed.account.scope_code == "Z10000001"
    assert sign_in_with_identity(places, {"email": "SAM.CHAIR@example.gov.uk", **verified}).account
    # An address the provider does not say it verified is refused, whatever else it says.
    for unsure in ({"email_verified": False}, {}, {"email_verified": "false"}):
        unverified = sign_in_with_identity(places, {"email": "sam.chair@example.gov.uk", **unsure})
        assert unverified.account is None and "not verified" in unverified.message
    stranger = sign_in_with_identity(places, {"email": "who@example.org", **verified})
    assert stranger.message == NOT_LINKED.format(email="who@example.org")
    assert sign_in_with_identity(places, {}).account is None
    set_active(places, "chair", False)
    assert (
        "disabled"
        in sign_in_with_identity(places, {"email": "sam.chair@example.gov.uk", **verified}).message
    )
    # One address links one account; a malformed one is refused.
    add_user(places, "other", "Other Person", "analyst", None, PASSWORD)
    with pytest.raises(AccountError, match="linked to 'chair' already"):
        set_email(places, "other", "sam.chair@example.gov.uk")
    with pytest.raises(AccountError, match="not an email address"):
        set_email(places, "other", "not an address")
    outcomes = [after["outcome"] for _, change, after in _audit(places) if change == "sign-in"]
    assert outcomes == [
        "signed in", "signed in", *["refused: email not verified"] * 3,
        "failed: no linked account", "refused: disabled",
    ]  # fmt: skip
