"""One account per role on the fictional demo, so that a newcomer can see the dashboard as each
audience sees it. Their password is printed in README.md: demo accounts are for a demo store
only, and are replaced with it."""

from __future__ import annotations

from sqlalchemy import Engine, delete, or_, select

from ecm.access.accounts import add_user
from ecm.store.engine import session_scope
from ecm.store.models import LocalAuthority, School, SignInSession, User

#: The demo accounts' password (README.md lists the accounts).
DEMO_PASSWORD = "ecm-demo-password"
#: Username, name and role of each demo account.
DEMO_ACCOUNTS = (
    ("demo-head", "Demo Headteacher", "headteacher"),
    ("demo-board", "Demo Board Member", "board_member"),
    ("demo-officer", "Demo Government Office Officer", "go_officer"),
    ("demo-analyst", "Demo Analyst", "analyst"),
    ("demo-admin", "Demo Administrator", "admin"),
)


def create_demo_accounts(engine: Engine) -> dict[str, str | None]:
    """(Re)create the demo accounts: the headteacher of the first fictional LA's first school,
    a member of that LA's Board, an officer of its region, an analyst and an administrator.
    Returns each username's scope."""
    with session_scope(engine) as session:
        la = session.execute(
            select(LocalAuthority.code, LocalAuthority.region_code)
            .where(LocalAuthority.fictional.is_(True))
            .order_by(LocalAuthority.code)
        ).first()
        urn = session.scalar(
            select(School.urn)
            .where(School.la_code == la.code)
            .where(or_(School.status.is_(None), School.status != "closed"))
            .order_by(School.urn)
        )
        remove_demo_accounts(session)
    scopes = {
        "headteacher": urn, "board_member": la.code, "go_officer": la.region_code,
        "analyst": None, "admin": None,
    }  # fmt: skip
    for username, name, role in DEMO_ACCOUNTS:
        add_user(engine, username, name, role, scopes[role], DEMO_PASSWORD, by="demo build")
    return {username: scopes[role] for username, _, role in DEMO_ACCOUNTS}


def remove_demo_accounts(session) -> None:  # noqa: ANN001
    """Delete the demo accounts and their browsers' sessions (with the demo's data)."""
    names = [username for username, _, _ in DEMO_ACCOUNTS]
    session.execute(delete(SignInSession).where(SignInSession.username.in_(names)))
    session.execute(delete(User).where(User.username.in_(names)))
