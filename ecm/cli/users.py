"""``python -m ecm users ...``: add, list, disable and enable accounts, reset a password, change
a role, link an account to the email address an identity provider signs its person in with.
Passwords are read from a prompt (asked twice) or, with ``--password-stdin``, from the first
line of standard input; never from the arguments, which other users of the machine can read in
its process list and which shells keep in their history."""

from __future__ import annotations

import argparse
import getpass
import sys

from ecm.access.accounts import AccountError


def add_users_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``users add|list|disable|enable|reset-password|set-role`` to the command line."""
    users = commands.add_parser(
        "users",
        help="manage the accounts that sign in to the dashboard",
        description="Manage accounts. Roles: headteacher (scope: a school's URN), "
        "board_member (an LA's ONS code), go_officer (a region's ONS code), analyst and admin "
        "(everything, no scope).",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="USERS_COMMAND")

    add = actions.add_parser("add", help="create an account")
    add.add_argument("username", help="2-40 lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--name", required=True, help="the person's name, as pages show it")
    add.add_argument("--role", required=True, help="headteacher, board_member, go_officer, ...")
    add.add_argument("--scope", metavar="CODE", help="the URN, LA or region the role covers")
    add.add_argument("--email", help="the address an identity provider signs the person in with")
    _password_option(add)
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="list the accounts (never their passwords)")
    listing.set_defaults(handler=run_list)

    for name, active in (("disable", False), ("enable", True)):
        change = actions.add_parser(name, help=f"{name} an account")
        change.add_argument("username")
        change.set_defaults(handler=run_set_active, active=active)

    reset = actions.add_parser("reset-password", help="give an account a new password")
    reset.add_argument("username")
    _password_option(reset)
    reset.set_defaults(handler=run_reset_password)

    role = actions.add_parser("set-role", help="change an account's role and scope")
    role.add_argument("username")
    role.add_argument("--role", required=True)
    role.add_argument("--scope", metavar="CODE")
    role.set_defaults(handler=run_set_role)

    email = actions.add_parser(
        "set-email",
        help="link an account to the email address your identity provider (st.login) signs "
        "its person in with ('' unlinks it)",
    )
    email.add_argument("username")
    email.add_argument("email")
    email.set_defaults(handler=run_set_email)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of a prompt",
    )


def _read_password(args: argparse.Namespace) -> str:
    """The new password, from standard input or a prompt asked twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("password: no terminal to ask on; pipe it in with --password-stdin")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise AccountError("password: the two entries differ")
    return first


def _describe(account) -> str:  # noqa: ANN001
    scope = account.scope_code or "everything"
    email = f", signs in as {account.email}" if account.email else ""
    state = "" if account.active else " (disabled)"
    return (
        f"{account.username}: {account.display_name}, {account.role}, scope {scope}{email}{state}"
    )


def _engine():  # noqa: ANN202
    from ecm.store.engine import make_engine, upgrade_schema

    engine = make_engine()
    upgrade_schema(engine)
    return engine


def _run(action) -> int:  # noqa: ANN001
    """Run ``action``; a refusal is one line on standard error and exit status 2."""
    try:
        print(action())
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def run_add(args: argparse.Namespace) -> int:
    """``users add``."""
    from ecm.access.accounts import add_user

    def add() -> str:
        password = _read_password(args)
        account = add_user(
            _engine(), args.username, args.name, args.role, args.scope, password,
            email=args.email,
        )  # fmt: skip
        return f"added {_describe(account)}"

    return _run(add)


def run_list(args: argparse.Namespace) -> int:
    """``users list``: one line per account."""
    from ecm.access.accounts import list_users

    accounts = list_users(_engine())
    print("\n".join(_describe(a) for a in accounts) if accounts else "no accounts")
    return 0


def run_set_active(args: argparse.Namespace) -> int:
    """``users disable`` and ``users enable``."""
    from ecm.access.accounts import set_active

    word = "enabled" if args.active else "disabled"
    return _run(lambda: f"{word} " + _describe(set_active(_engine(), args.username, args.active)))


def run_reset_password(args: argparse.Namespace) -> int:
    """``users reset-password``."""
    from ecm.access.accounts import reset_password

    return _run(
        lambda: (
            "new password for "
            + _describe(reset_password(_engine(), args.username, _read_password(args)))
        )
    )


def run_set_role(args: argparse.Namespace) -> int:
    """``users set-role``."""
    from ecm.access.accounts import set_role

    return _run(
        lambda: "changed " + _describe(set_role(_engine(), args.username, args.role, args.scope))
    )


def run_set_email(args: argparse.Namespace) -> int:
    """``users set-email``."""
    from ecm.access.accounts import set_email

    return _run(lambda: "linked " + _describe(set_email(_engine(), args.username, args.email)))
