"""The school page's lines from the register: closed on a date, its successor, its
predecessors, each linked to that school's page."""

from __future__ import annotations

import streamlit as st

from ecm.config import database_url
from ecm.figures.register import RegisterEntry, school_register
from ecm.ui.address import page_link
from ecm.ui.store import CACHE_TTL, engine_for, run_version
from ecm.views.register import linked_name, register_sentences


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _register(url: str, version: int, urn: str) -> RegisterEntry | None:
    return school_register(engine_for(url), urn)


def register_notes(urn: str) -> None:
    """Say whether the school is closed and which schools the register links it to, with a
    link to each linked school that is in the store."""
    entry = _register(database_url(), run_version(), urn)
    if entry is None:
        return
    for sentence, link in register_sentences(entry):
        st.markdown(sentence)
        if link is not None and link.stored:
            page_link("school", f"Open {linked_name(link)}", urn=link.urn)
