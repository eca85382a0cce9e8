"""What each role may change: imports and accounts, and which plans.

Reading is governed by the remit (:mod:`ecm.access.scope`); writing by these rules, which the
pages ask before offering a change and the services that write ask again before writing.
"""

from __future__ import annotations

from ecm.access.accounts import Account

#: Roles that load data and manage the store.
DATA_ROLES = ("analyst", "admin")


class NotAllowed(PermissionError):
    """A change the account may not make; nothing was changed."""


def operator(name: str) -> Account:
    """Whoever runs the command line or calls the library directly: they hold the store
    itself, so they act as its administrator, and their changes are recorded under ``name``."""
    return Account(
        username=name, display_name=name, role="admin", scope_level="all", scope_code=None,
        active=True,
    )  # fmt: skip


def may_import(account: Account | None) -> bool:
    """Whether ``account`` may import data files, or undo an import: analysts and
    administrators only, never a visitor who has not signed in."""
    return account is not None and account.active and account.role in DATA_ROLES


def may_manage_users(account: Account | None) -> bool:
    """Whether ``account`` may add, disable or change accounts: administrators."""
    return account is not None and account.active and account.role == "admin"


def may_edit_plan(account: Account | None, la_code: str) -> bool:
    """Whether ``account`` may change the plan of the LA ``la_code``: its own Board's members,
    and analysts and administrators."""
    if account is None or not account.active:
        return False
    if account.role in DATA_ROLES:
        return True
    return account.role == "board_member" and account.scope_code == la_code


def require(allowed: bool, what: str) -> None:
    """Raise :class:`NotAllowed` saying ``what`` the account may not do, unless ``allowed``."""
    if not allowed:
        raise NotAllowed(f"Your account may not {what}.")
