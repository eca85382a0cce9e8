"""A school's place in the register: open or closed (with the date), and the schools the
register links it to, its predecessors (the URNs it was) and successors (the URN it became).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from ecm.store.models import PREDECESSOR, SUCCESSOR, School, SchoolLink


@dataclass(frozen=True)
class LinkedSchool:
    """A school the register links to: ``direction`` is ``successor`` or ``predecessor``;
    ``link_type`` the register's words ("successor - amalgamated"); name, status and close
    date when the linked school is in the store (``stored``), else None."""

    urn: str
    direction: str
    link_type: str
    name: str | None
    status: str | None
    closed_on: dt.date | None
    stored: bool


@dataclass(frozen=True)
class RegisterEntry:
    """One school's status, close date and links (successors first, then predecessors)."""

    urn: str
    name: str
    status: str | None
    closed_on: dt.date | None
    links: tuple[LinkedSchool, ...]


def _direction(link_type: str) -> str | None:
    """``successor`` or ``predecessor`` from the register's words, else None (a link such as
    "merged - change in age range" names no direction)."""
    first = link_type.strip().lower()
    for direction in (SUCCESSOR, PREDECESSOR):
        if first.startswith(direction):
            return direction
    return None


def school_register(engine: Engine, urn: str) -> RegisterEntry | None:
    """The school's register entry with its links, or None when the URN is not stored."""
    with engine.connect() as connection:
        school = connection.execute(
            select(School.urn, School.name, School.status, School.closed_on).where(
                School.urn == urn
            )
        ).first()
        if school is None:
            return None
        rows = connection.execute(
            select(
                SchoolLink.linked_urn,
                SchoolLink.link_type,
                School.name,
                School.status,
                School.closed_on,
                School.urn.label("stored_urn"),
            )
            .join(School, School.urn == SchoolLink.linked_urn, isouter=True)
            .where(SchoolLink.urn == urn)
            .order_by(SchoolLink.linked_urn)
        ).all()
    links = [
        LinkedSchool(
            urn=row.linked_urn,
            direction=direction,
            link_type=row.link_type,
            name=row.name,
            status=row.status,
            closed_on=row.closed_on,
            stored=row.stored_urn is not None,
        )
        for row in rows
        if (direction := _direction(row.link_type)) is not None
    ]
    links.sort(key=lambda link: (link.direction != SUCCESSOR, link.urn))
    return RegisterEntry(school.urn, school.name, school.status, school.closed_on, tuple(links))
