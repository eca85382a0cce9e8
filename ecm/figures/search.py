"""The store's side of the place search: the few schools, and every LA and region, that a
search could be about, narrowed in SQL so that a search stays fast at national scale.

Ranking and typo tolerance are pure and live in :mod:`ecm.places.search`; this module only
decides which rows are worth ranking. Schools are narrowed by their code (URN, LAESTAB) and by
a portable trigram likeness: how many of the query's three-letter pieces the name contains,
counted in SQL (``LIKE``, the same on SQLite and PostgreSQL), best first. A typo changes at
most three of a word's pieces, so the misspelt school keeps most of its count while names that
share nothing drop out. LAs and regions are few (about 150 and 9): all are returned.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
from sqlalchemy import Engine, case, func, literal, or_, select

from ecm.figures.queries import AREA_NAMES, schools_in_areas
from ecm.store.models import LocalAuthority, Region, School

#: Schools ranked after the SQL narrowing; more than a page of results needs, few enough that
#: ranking them in Python takes milliseconds.
SCHOOL_CANDIDATES = 300

#: Words so common in school names that their pieces would count every school alike.
COMMON_WORDS = frozenset(
    "school schools primary junior infant infants academy the and of church england ce cofe "
    "rc high community college nursery federation voluntary controlled aided catholic st "
    "saint mary marys centre special foundation free trust".split()
)

CANDIDATE_COLUMNS = [
    "kind",
    "code",
    "name",
    "laestab",
    "phase",
    "status",
    "closed_on",
    "la_code",
    "la_number",
    "la_name",
    "region_code",
    "region_name",
]


def normalise(text: str) -> str:
    """``text`` as search compares it: accents dropped, lower case, apostrophes removed (so
    ``St Mary's`` and ``st marys`` agree), every other sign a space, spaces single."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    plain = re.sub(r"['’`]", "", plain.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def digits_of(text: str) -> str | None:
    """The digits of a code typed with or without a slash or spaces (``850/2005`` ->
    ``8502005``), or None when ``text`` is not such a code."""
    compact = re.sub(r"[\s/-]", "", text.strip())
    return compact if compact.isdigit() else None


def trigrams(text: str) -> list[str]:
    """The three-letter pieces of the query's words (common words left out unless nothing
    else is left), in order, without repeats."""
    words = normalise(text).split()
    telling = [w for w in words if w not in COMMON_WORDS] or words
    pieces: list[str] = []
    for word in telling:
        for start in range(max(len(word) - 2, 0)):
            piece = word[start : start + 3]
            if piece not in pieces:
                pieces.append(piece)
    return pieces[:24]  # a pasted paragraph should not make a statement of thousands of LIKEs


def _searchable_name():  # noqa: ANN202 (a SQL expression)
    """The school's name in SQL as :func:`normalise` would make it, as far as portable SQL
    goes: lower case without apostrophes."""
    return func.replace(func.lower(School.name), "'", "")


def search_candidates(engine: Engine, text: str, limit: int = SCHOOL_CANDIDATES) -> pd.DataFrame:
    """The places a search for ``text`` could mean (columns :data:`CANDIDATE_COLUMNS`): the
    schools whose URN or LAESTAB is ``text``, and at most ``limit`` schools whose names share
    most of its three-letter pieces (or start with it), with every LA and region."""
    text = text.strip()
    if not normalise(text) and digits_of(text) is None:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    name = _searchable_name()
    wanted = normalise(text)
    score = literal(0)
    if wanted:
        score = score + case((name.like(f"{wanted}%"), 100), else_=0)
    for piece in trigrams(text):
        score = score + case((name.like(f"%{piece}%"), 1), else_=0)
    score = score.label("score")
    schools = schools_in_areas(
        literal("school").label("kind"),
        School.urn.label("code"),
        School.name,
        School.laestab,
        School.phase,
        School.status,
        School.closed_on,
        School.la_code,
    )
    digits = digits_of(text)
    by_code = schools.where(or_(School.urn == digits, School.laestab == digits))
    by_name = schools.add_columns(score).order_by(score.desc(), School.name).limit(limit)
    by_name = by_name.where(score > 0)
    las = select(
        literal("la").label("kind"),
        LocalAuthority.code,
        LocalAuthority.name,
        LocalAuthority.code.label("la_code"),
        *AREA_NAMES,
    ).join(Region, Region.code == LocalAuthority.region_code, isouter=True)
    regions = select(
        literal("region").label("kind"),
        Region.code,
        Region.name,
        Region.code.label("region_code"),
        Region.name.label("region_name"),
    )
    with engine.connect() as connection:
        frames = [
            pd.DataFrame(connection.execute(statement).mappings().all())
            for statement in ((by_code,) if digits else ()) + (by_name, las, regions)
        ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    found = pd.concat(frames, ignore_index=True).reindex(columns=CANDIDATE_COLUMNS)
    return found.drop_duplicates(["kind", "code"]).reset_index(drop=True)
