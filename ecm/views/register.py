"""A school's register status and links, and the search's results, in words people read.

Names come from data, so every one is escaped (:func:`ecm.views.markdown.escape_markdown`)
before it goes into Markdown: a school called ``*Sure Start*`` shows as written.
"""

from __future__ import annotations

import datetime as dt

from ecm import units
from ecm.figures.register import LinkedSchool, RegisterEntry
from ecm.store.models import SUCCESSOR
from ecm.views.markdown import escape_markdown


def long_date(day: dt.date | str | None) -> str | None:
    """``2020-11-30`` as "30 November 2020" (None stays None)."""
    if day is None or day != day:  # None or NaN
        return None
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day} {day:%B %Y}"


def status_words(status: str | None, closed_on: dt.date | str | None) -> str:
    """A school's status as the register gives it: "open", "closed on 30 November 2020",
    "open, but proposed to close", or "status not known"."""
    if not status or status != status:
        return "status not known"
    closed = long_date(closed_on)
    if status.startswith("closed") and closed:
        return f"closed on {closed}"
    return status


def _opening(words: str) -> str:
    """``words`` with a capital first letter (the rest as it is, unlike ``str.capitalize``),
    escaped: the status comes from data."""
    return escape_markdown(words[:1].upper() + words[1:])


def linked_name(link: LinkedSchool) -> str:
    """The linked school's name and URN (escaped), or its URN alone when it is not stored."""
    if link.name:
        return f"{escape_markdown(link.name)} (URN {link.urn})"
    return f"URN {link.urn} (not in the store)"


def register_sentences(entry: RegisterEntry) -> list[tuple[str, LinkedSchool | None]]:
    """The sentences (Markdown, names escaped) the school page shows about the school's
    register entry, each with the linked school it names (to link to), or None:
    "Closed on 30 November 2020; its successor is Awbridge Primary School (URN 148213).",
    "Formerly Awbridge Primary School (URN 115856)."; nothing for an open school without
    links."""
    sentences: list[tuple[str, LinkedSchool | None]] = []
    successors = [link for link in entry.links if link.direction == SUCCESSOR]
    predecessors = [link for link in entry.links if link.direction != SUCCESSOR]
    status = status_words(entry.status, entry.closed_on)
    closed = (entry.status or "").startswith("closed")
    if closed and successors:
        for number, link in enumerate(successors):
            opening = f"{_opening(status)}; its successor is" if number == 0 else "Also"
            sentences.append((f"{opening} {linked_name(link)}.", link))
    elif closed:
        sentences.append((f"{_opening(status)}; the register names no successor.", None))
    elif successors:  # open but already linked onward (proposed to close, say)
        for link in successors:
            sentence = f"{_opening(status)}; its successor is {linked_name(link)}."
            sentences.append((sentence, link))
    for link in predecessors:
        sentences.append((f"Formerly {linked_name(link)}.", link))
    return sentences


def school_tiles(school: dict) -> list[tuple[str, str]]:
    """The Home page's tiles of a school's register facts: (label, value as written)."""
    return [
        ("Pupils on roll", units.count(school["number_on_roll"])),
        ("Eligible for free school meals", units.percent(school["percent_fsm"])),
        ("Figures held", units.count(school["figures"])),
    ]
