"""Who is editing the plan: the name every change in the app is recorded under, asked once
and offered by every form (until people sign in, the name is as given)."""

from __future__ import annotations

import streamlit as st

from ecm.views.markdown import escape_markdown

EDITOR_NAME = "editor_name"


def _keep_editor_name(widget_key: str) -> None:
    st.session_state[EDITOR_NAME] = st.session_state[widget_key].strip()


def editor_name(where: str) -> str | None:
    """The name edits are recorded under: asked once, then offered by every form.

    It is kept under a key of its own, not the widget's, because Streamlit forgets a widget's
    value after any run that does not draw it (an expander's forms, another action's page).
    """
    widget_key = f"{EDITOR_NAME}_{where}"
    # Each box's callback has already kept a change made in it before this run began.
    st.session_state[widget_key] = st.session_state.get(EDITOR_NAME, "")
    st.text_input(
        "Your name, for the plan's history",
        key=widget_key,
        max_chars=100,
        on_change=_keep_editor_name,
        args=(widget_key,),
        help="Every change is recorded with this name, the time, and the record before and after.",
    )
    name = st.session_state[widget_key].strip() or None
    if name:
        st.caption(f"Changes are recorded as {escape_markdown(name)}.")
    return name


def named(name: str | None) -> bool:
    """Whether a name was given; says what to do when not."""
    if not name:
        st.error("Write your name above first: every change is recorded with it.")
    return bool(name)
