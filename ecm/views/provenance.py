"""What a chart carried away from its page says about itself: the place, the year, the source
files with their licences, and the day it was downloaded (as FingertipsNext's image exports do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Most source files a footer names; the rest are counted.
MOST_SOURCES = 3
PRODUCT = "ECM outcomes dashboard"
FICTIONAL = "Fictional demo data: invented places and figures, no real place."


@dataclass(frozen=True)
class Provenance:
    """Where a page's figures come from: its place, year and sources, as far as it knows."""

    place: str | None = None
    period: str | None = None
    sources: tuple[dict, ...] = field(default_factory=tuple)
    fictional: bool = False


def chart_footer(provenance: Provenance, today: dt.date) -> list[str]:
    """The footer's lines: "Osierholt · 2009/10", the sources with their licences (at most
    ``MOST_SOURCES`` files), and "ECM outcomes dashboard · downloaded 2026-12-07"."""
    lines = []
    where = " · ".join(part for part in (provenance.place, provenance.period) if part)
    if where:
        lines.append(where)
    licences = sorted({s["licence"] for s in provenance.sources if s.get("licence")})
    if provenance.fictional and not licences:  # the demo's licence says so itself
        lines.append(FICTIONAL)
    files = sorted({s["file"] for s in provenance.sources})
    if files:
        more = len(files) - MOST_SOURCES
        named = ", ".join(files[:MOST_SOURCES]) + (f" and {more} more" if more > 0 else "")
        lines.append(f"Source{'s' if len(files) > 1 else ''}: {named}")
    lines.extend(licences)
    lines.append(f"{PRODUCT} · downloaded {today.isoformat()}")
    return lines
