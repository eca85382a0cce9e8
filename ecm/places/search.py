"""Search for a school, an LA or a region by name or code, forgiving typos.

The store narrows the candidates (:func:`ecm.figures.search.search_candidates`); this module
ranks them, purely. Ranking, in tiers:

1. an exact code: a school's URN or LAESTAB (``850/2005`` or ``8502005``), an LA's ONS code or
   3-digit number, a region's ONS code;
2. a name that starts with the text typed (after :func:`~ecm.figures.search.normalise`);
3. a name that contains it;
4. a name like it (typos): a likeness (:func:`likeness`) of at least :data:`FUZZY_MIN` out
   of 100.

Within a tier: the closer likeness first, then regions, LAs, schools; open schools before
closed ones; then by name. At most ``limit`` results are returned with the count of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz
from sqlalchemy import Engine

from ecm.figures.search import digits_of, normalise, search_candidates

#: Results shown at once.
RESULTS_SHOWN = 20
#: The likeness (0-100) a name must reach to count as a typo of the text: "Balksbry" reaches
#: 94 against "Balksbury Junior School", "Awbrige" 93 against "Awbridge Primary School";
#: "Balksbry" against "Bramley Primary" 53, "Souht East" against "North East" 72.
FUZZY_MIN = 80.0
#: Tiers, best first.
EXACT_CODE, NAME_PREFIX, NAME_CONTAINS, NAME_LIKE = 0, 1, 2, 3
KIND_ORDER = {"region": 0, "la": 1, "school": 2}


@dataclass(frozen=True)
class SearchResults:
    """What a search found: ``matches`` (best first, at most the limit: the candidates'
    columns with ``tier`` and ``score``) and ``more``, how many others matched."""

    matches: pd.DataFrame
    more: int

    @property
    def total(self) -> int:
        """Every place that matched."""
        return len(self.matches) + self.more


def _is_code(row: dict, text: str, digits: str | None) -> bool:
    """Whether ``text`` is one of the place's codes."""
    upper = text.strip().upper()
    if row["kind"] == "school":
        return digits is not None and digits in (row["code"], row["laestab"])
    if row["kind"] == "la":
        number = digits is not None and len(digits) <= 3 and digits.zfill(3) == row["la_number"]
        return upper == str(row["code"]).upper() or number
    return upper == str(row["code"]).upper()


def likeness(wanted: str, name: str) -> float:
    """How like ``name`` the text ``wanted`` is, 0-100 (both normalised): the better of
    RapidFuzz's weighted ratio of the whole strings (which forgives words run together, as
    "warrenmead") and the mean, over the words typed, of each one's best edit-distance ratio
    against any word of the name (which forgives a typo in each word, wherever the word
    stands in the name, without the whole-string ratio's penalty for a long name).

    The weighted ratio looks for the shorter string inside the longer, which is right only
    one way round: the text typed inside a name. A name shorter than the text typed is
    compared whole, so that "Balksbury Junior School" does not find the LA of Bury because
    "bury" is inside it."""
    words, name_words = wanted.split(), name.split()
    by_word = sum(max(fuzz.ratio(w, n) for n in name_words) for w in words) / len(words)
    whole = fuzz.WRatio(wanted, name) if len(wanted) <= len(name) else fuzz.ratio(wanted, name)
    return max(float(whole), by_word)


def tier_and_score(row: dict, text: str) -> tuple[int, float] | None:
    """The place's tier and likeness (0-100) for ``text``, or None when it does not match
    (``row``: a candidate's columns, as a dict)."""
    if _is_code(row, text, digits_of(text)):
        return EXACT_CODE, 100.0
    wanted, name = normalise(text), normalise(row["name"])
    if not wanted or not name:
        return None
    if name.startswith(wanted):
        return NAME_PREFIX, 100.0
    if wanted in name:
        return NAME_CONTAINS, 100.0
    score = likeness(wanted, name)
    return (NAME_LIKE, score) if score >= FUZZY_MIN else None


def rank_places(candidates: pd.DataFrame, text: str, limit: int = RESULTS_SHOWN) -> SearchResults:
    """The candidates that match ``text``, ranked (module docstring), at most ``limit``."""
    rows = []
    # Plain dicts: a pandas row per candidate costs more than the matching itself.
    for row in candidates.to_dict("records"):
        found = tier_and_score(row, text)
        if found is not None:
            rows.append({**row, "tier": found[0], "score": found[1]})
    if not rows:
        return SearchResults(candidates.iloc[0:0].assign(tier=[], score=[]), 0)
    ranked = pd.DataFrame(rows)
    ranked = ranked.assign(
        _kind=ranked["kind"].map(KIND_ORDER),
        _closed=ranked["status"].map(lambda s: isinstance(s, str) and s.startswith("closed")),
        _name=ranked["name"].map(normalise),
    ).sort_values(
        ["tier", "score", "_kind", "_closed", "_name", "code"],
        ascending=[True, False, True, True, True, True],
        kind="stable",
    )
    ranked = ranked.drop(columns=["_kind", "_closed", "_name"]).reset_index(drop=True)
    return SearchResults(ranked.head(limit), max(len(ranked) - limit, 0))


def search_places(engine: Engine, text: str, limit: int = RESULTS_SHOWN) -> SearchResults:
    """Schools, LAs and regions matching ``text`` (name with typos, or code), best first."""
    return rank_places(search_candidates(engine, text), text, limit)
