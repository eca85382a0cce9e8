"""A converted school's figures followed back to the school it replaced.

When a maintained school converts to an academy, the register gives the academy a new URN and
links the two: the academy's ``predecessor`` is the URN it was. DfE's performance tables start
the new URN's series afresh, so a headteacher of a converted school sees one or two years of
history where the school has many; governors, and Ofsted's inspection data summary, read the
school's results across the conversion. Here a school's series is followed back to its
predecessor where the register names exactly one, by a plain ``predecessor`` link (not
"predecessor - amalgamated" or "- split school": a merger or a split is not the same school),
and only:

- for the indicators and pupil groups the school itself has figures for, and
- for years before the school's own first figure of that indicator,

so that the school's own figures are never replaced and a year it has no figure for is never
filled from another school. The predecessor's figures pass the same disclosure control as on
its own page (they are read the same way), and every row keeps the URN it came from
(``from_urn``) so that pages and exports say whose figures they are. One step back only: a
chain of conversions is rare and each step would need the same reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from ecm.figures.queries import load_area_figures, resolve_area
from ecm.periods import period_start
from ecm.store.models import PREDECESSOR, School, SchoolLink

#: The column naming the URN a joined figure came from (missing on the school's own figures).
FROM_URN = "from_urn"


@dataclass(frozen=True)
class Predecessor:
    """The school a converted school replaced, and the years of its figures joined on."""

    urn: str
    name: str
    periods: tuple[str, ...]

    def as_record(self) -> dict:
        return {"urn": self.urn, "name": self.name, "periods": list(self.periods)}


def single_predecessor(engine: Engine, urn: str) -> tuple[str, str] | None:
    """The (URN, name) of the one school the register names as ``urn``'s plain predecessor,
    when it is in the store; None for none, for several, or for a merger or split."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(SchoolLink.linked_urn, SchoolLink.link_type, School.name)
            .join(School, School.urn == SchoolLink.linked_urn, isouter=True)
            .where(SchoolLink.urn == urn)
        ).all()
    predecessors = [r for r in rows if r.link_type.strip().lower().startswith(PREDECESSOR)]
    if len(predecessors) != 1:
        return None
    only = predecessors[0]
    if only.link_type.strip().lower() != PREDECESSOR or only.name is None:
        return None
    return only.linked_urn, only.name


def join_predecessor(
    own: pd.DataFrame, theirs: pd.DataFrame, urn: str, predecessor: str
) -> pd.DataFrame:
    """The predecessor's school rows (``theirs``) that extend the school's own (``own``)
    back in time, relabelled as the school's with ``from_urn`` set: only indicators and groups
    the school has figures for, only years before its own first figure of the indicator."""
    if own.empty or theirs.empty:
        return theirs.iloc[:0].assign(**{FROM_URN: pd.Series(dtype=object)})
    first = own.assign(start=own["period"].map(period_start)).groupby("indicator_code")["start"]
    first_year = first.min()
    held = set(zip(own["indicator_code"], own["group_code"], strict=True))
    keys = zip(theirs["indicator_code"], theirs["group_code"], strict=True)
    earlier = theirs["period"].map(period_start) < theirs["indicator_code"].map(first_year)
    joined = theirs[[key in held for key in keys] & earlier.fillna(False).to_numpy(bool)]
    return joined.assign(area_code=urn, **{FROM_URN: predecessor})


def with_predecessor(
    engine: Engine, figures: pd.DataFrame, area: dict
) -> tuple[pd.DataFrame, Predecessor | None]:
    """``figures`` (a school's, as :func:`ecm.figures.queries.load_area_figures` reads them)
    with its predecessor's earlier figures joined on (:func:`join_predecessor`), read the same
    way, and who the predecessor is (None when nothing was joined)."""
    figures = figures.assign(**{FROM_URN: None})
    found = single_predecessor(engine, area["code"])
    if found is None:
        return figures, None
    urn, name = found
    theirs = load_area_figures(engine, resolve_area(engine, "school", urn))
    theirs = theirs[(theirs["level"] == "school") & (theirs["area_code"] == urn)]
    own = figures[
        (figures["level"] == "school")
        & (figures["area_code"] == area["code"])
        & figures["value"].notna()
    ]
    joined = join_predecessor(own, theirs[theirs["value"].notna()], area["code"], urn)
    if joined.empty:
        return figures, None
    periods = tuple(sorted(joined["period"].unique(), key=period_start))
    return pd.concat([figures, joined], ignore_index=True), Predecessor(urn, name, periods)
