"""Register links in the fictional demo: some demo schools are the successors of closed
predecessors (a conversion, as the real register records them), so the school page's "Formerly
..." and "Closed on ...; its successor is ..." lines and the search's status show on the demo.

Deterministic (no random draws), so the rest of the demo is the same with or without them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

#: One school in this many (in URN order) has a closed predecessor.
EVERY = 40
#: The predecessors' close date: the summer before the demo's fourth year.
CLOSED_ON = dt.date(2008, 8, 31)


def predecessors(schools: pd.DataFrame, every: int = EVERY) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Closed predecessor schools (the demo's school columns, new URNs after the highest) for
    every ``every``-th school, and the links both ways (urn, linked_urn, link_type)."""
    ordered = schools.sort_values("urn")
    chosen = ordered.iloc[every - 1 :: every]
    first = int(ordered["urn"].astype(int).max()) + 1
    old = chosen.copy()
    old["urn"] = [str(first + i) for i in range(len(chosen))]
    old["status"] = "closed"
    old["closed_on"] = CLOSED_ON
    for column in ("laestab", "number_on_roll", "percent_fsm"):
        if column in old:
            old[column] = None
    links = pd.concat(
        [
            pd.DataFrame(
                {
                    "urn": old["urn"].values,
                    "linked_urn": chosen["urn"].values,
                    "link_type": "successor",
                }
            ),
            pd.DataFrame(
                {
                    "urn": chosen["urn"].values,
                    "linked_urn": old["urn"].values,
                    "link_type": "predecessor",
                }
            ),
        ],
        ignore_index=True,
    )
    return old.reset_index(drop=True), links
