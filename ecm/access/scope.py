"""A viewer's remit: which places' restricted figures they may see.

Published figures (DfE's performance tables, Fingertips) are public already and are shown to
every signed-in user. Figures of an indicator the catalogue marks ``restricted`` (a pupil
survey by school, say: :func:`ecm.catalogue.restricted_indicators`) are shown only for the
places a viewer's remit covers:

- the places inside their scope: a headteacher's school; a Board member's LA and its schools;
  a Government Office officer's region, its LAs and their schools;
- the places their scope sits in (the school's LA, the LA's region, England), whose figures
  are totals over many schools and so the comparators a person needs;
- nothing restricted for a viewer with no account (:data:`PUBLIC`); everything for analysts
  and administrators (:data:`EVERYTHING`).

:meth:`Remit.visible` is applied to rows of figures after disclosure control, so the rows it
removes never change what is withheld among the rows left. The readers of figures
(``ecm.figures``) apply the remit of the viewer they act for (:func:`acting_for`,
:func:`current_remit`): the command line and library calls act for :data:`EVERYTHING`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from ecm.access.accounts import Account
from ecm.store.models import LocalAuthority, School


@dataclass(frozen=True)
class Remit:
    """The places whose restricted figures a viewer may see, by level (codes as stored)."""

    #: Who the remit is for, as a cache key: "everything", "public", "la:E10000014", ...
    name: str = "public"
    everything: bool = False
    schools: frozenset[str] = frozenset()
    las: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    england: bool = False

    def sees(self, level: str, code: str) -> bool:
        """Whether this remit covers the place ``code`` at ``level`` (school, la, region,
        england)."""
        if self.everything:
            return True
        if level == "england":
            return self.england
        return code in {"school": self.schools, "la": self.las, "region": self.regions}.get(
            level, frozenset()
        )

    def visible(self, figures: pd.DataFrame, restricted: Collection[str]) -> pd.Series:
        """For each row of ``figures`` (columns ``indicator_code``, ``level``, ``area_code``),
        whether this remit may see it: every published row, and restricted rows of the places
        it covers."""
        if self.everything or figures.empty:
            return pd.Series(True, index=figures.index)
        published = ~figures["indicator_code"].isin(list(restricted))
        covered = pd.Series(False, index=figures.index)
        for level, codes in (("school", self.schools), ("la", self.las), ("region", self.regions)):
            covered |= (figures["level"] == level) & figures["area_code"].isin(list(codes))
        if self.england:
            covered |= figures["level"] == "england"
        return published | covered

    def only_visible(self, figures: pd.DataFrame, restricted: Collection[str]) -> pd.DataFrame:
        """``figures`` without the rows this remit may not see."""
        return figures[self.visible(figures, restricted)]


#: A visitor who has not signed in: no restricted figure anywhere.
PUBLIC = Remit()
#: Analysts and administrators, and the command line run by whoever runs the store.
EVERYTHING = Remit("everything", everything=True)


def remit_for(engine: Engine, account: Account | None) -> Remit:
    """The remit of ``account`` (:data:`PUBLIC` for none, or an inactive account), read from
    the store's geography: its scope's places and the places that scope sits in."""
    if account is None or not account.active:
        return PUBLIC
    level, code = account.scope_level, account.scope_code
    if level == "all":
        return EVERYTHING
    name = f"{level}:{code}"
    with engine.connect() as connection:
        if level == "school":
            row = connection.execute(
                select(School.la_code, LocalAuthority.region_code)
                .join(LocalAuthority, LocalAuthority.code == School.la_code)
                .where(School.urn == code)
            ).first()
            if row is None:
                return PUBLIC
            return Remit(
                name, schools=frozenset({code}), las=frozenset({row.la_code}),
                regions=frozenset({row.region_code}), england=True,
            )  # fmt: skip
        if level == "la":
            region = connection.scalar(
                select(LocalAuthority.region_code).where(LocalAuthority.code == code)
            )
            if region is None:
                return PUBLIC
            schools = connection.scalars(select(School.urn).where(School.la_code == code))
            return Remit(
                name, schools=frozenset(schools), las=frozenset({code}),
                regions=frozenset({region}), england=True,
            )  # fmt: skip
        las = frozenset(
            connection.scalars(
                select(LocalAuthority.code).where(LocalAuthority.region_code == code)
            )
        )
        if not las:
            return PUBLIC
        schools = connection.scalars(select(School.urn).where(School.la_code.in_(las)))
        return Remit(
            name, schools=frozenset(schools), las=las, regions=frozenset({code}), england=True
        )


_ACTING_FOR: ContextVar[Remit] = ContextVar("remit", default=EVERYTHING)


def current_remit() -> Remit:
    """The remit of the viewer the code running now acts for."""
    return _ACTING_FOR.get()


@contextmanager
def acting_for(remit: Remit) -> Iterator[Remit]:
    """Read figures for a viewer with ``remit`` inside this block (restored after it)."""
    token = _ACTING_FOR.set(remit)
    try:
        yield remit
    finally:
        _ACTING_FOR.reset(token)
