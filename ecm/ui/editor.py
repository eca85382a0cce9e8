"""Who is changing the plan: the signed-in account, whose username every change is recorded
under (the services that write check again that it may: :mod:`ecm.plan.edits`)."""

from __future__ import annotations

import streamlit as st

from ecm.access.accounts import Account
from ecm.ui.signin import signed_in
from ecm.views.markdown import escape_markdown

#: Said when a change is attempted after the session ended (in another tab, or idle too long).
SIGNED_OUT = "Your session has ended: sign in again to make this change; nothing was saved."


def recorded_as() -> Account | None:
    """The signed-in account, after a line saying what the plan's history will record."""
    account = signed_in()
    if account is not None:
        st.caption(
            escape_markdown(
                f"Changes are recorded as {account.display_name} ({account.username}), with "
                "the time and the record before and after."
            )
        )
    return account
