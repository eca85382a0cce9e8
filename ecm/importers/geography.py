"""The real geography an import names: LAs by their DfE number, their regions, and schools.

``data/local_authorities.csv`` lists every LA in England with its DfE number, ONS code, name
and Government Office region (from DfE open data). A file that names an LA creates it, with its
region, if the store does not have it yet; schools are created from a file's own columns and
enriched by later files (a register import fills in what a results file lacks).
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from sqlalchemy import Connection, select

from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.store.engine import bulk_insert
from ecm.store.models import LocalAuthority, Region, School
from ecm.store.school_types import SPECIAL, is_special, is_state_funded

LA_LOOKUP_FILE = DATA_DIR / "local_authorities.csv"
ALIASES_FILE = DATA_DIR / "ons_code_aliases.csv"
SCHOOL_FIELDS = (
    "laestab",
    "name",
    "la_code",
    "phase",
    "school_type",
    "state_funded",
    "status",
    "number_on_roll",
    "percent_fsm",
    "closed_on",
)


@cache
def la_lookup() -> pd.DataFrame:
    """Every English LA: old_code (index), ons_code, name, region_code, region_name."""
    return pd.read_csv(LA_LOOKUP_FILE, dtype=str).set_index("old_code")


@cache
def la_numbers_by_ons_code() -> dict[str, tuple[str, str]]:
    """ONS code -> (DfE LA number, current ONS code), former codes included.

    Where a county council became a unitary authority covering the same area, its figures
    published under the former code (in ``data/ons_code_aliases.csv``) continue the series of
    the current code. Areas that were split or merged have no alias: their old figures do not
    describe any current authority.
    """
    lookup = {code: (old, code) for old, code in la_lookup()["ons_code"].items()}
    aliases = pd.read_csv(ALIASES_FILE, dtype=str)
    for former, current in zip(aliases["former_code"], aliases["ons_code"], strict=True):
        lookup[former] = lookup[current]
    return lookup


@cache
def _ons_codes() -> dict[str, str]:
    return la_lookup()["ons_code"].to_dict()


def ons_code(old_code: str) -> str | None:
    """The ONS code of an LA number such as 850 (None if unknown)."""
    return _ons_codes().get(str(old_code).strip().zfill(3))


def ensure_las(
    connection: Connection, old_codes: set[str], region_codes: set[str] | None = None
) -> None:
    """Create the named LAs and regions (and the LAs' regions) where the store lacks them."""
    lookup = la_lookup()
    wanted = lookup.loc[sorted(c for c in old_codes if c in lookup.index)]
    named_regions = lookup[lookup["region_code"].isin(region_codes or set())]
    have_regions = set(connection.scalars(select(Region.code)).all())
    regions = pd.concat([wanted, named_regions]).drop_duplicates("region_code")
    new_regions = regions[~regions["region_code"].isin(have_regions)]
    bulk_insert(
        connection,
        "region",
        pd.DataFrame(
            {
                "code": new_regions["region_code"],
                "name": new_regions["region_name"],
                "country_code": ENGLAND_CODE,
                "fictional": False,
            }
        ),
    )
    if wanted.empty:
        return
    have_las = set(connection.scalars(select(LocalAuthority.code)).all())
    new_las = wanted[~wanted["ons_code"].isin(have_las)]
    bulk_insert(
        connection,
        "local_authority",
        pd.DataFrame(
            {
                "code": new_las["ons_code"],
                "old_code": new_las.index,
                "name": new_las["name"],
                "region_code": new_las["region_code"],
                "fictional": False,
            }
        ),
    )


#: URNs per read of the schools already known, well under every driver's parameter limit.
URN_CHUNK = 5_000


def ensure_schools(connection: Connection, schools: pd.DataFrame) -> None:
    """Create new schools and fill in missing facts of known ones (never blanking a fact)."""
    if schools.empty:
        return
    schools = schools.drop_duplicates("urn", keep="last")
    if "school_type" in schools:
        # Kept with the school so that every comparison can leave independent schools out.
        schools = schools.assign(state_funded=schools["school_type"].map(is_state_funded))
    urns = list(schools["urn"])
    # Read in chunks: a national file names more schools than PostgreSQL takes bound
    # parameters in one statement (65,535).
    existing = pd.concat(
        [
            pd.read_sql_query(
                select(School.urn, *[getattr(School, f) for f in SCHOOL_FIELDS]).where(
                    School.urn.in_(urns[start : start + URN_CHUNK])
                ),
                connection,
            )
            for start in range(0, len(urns), URN_CHUNK)
        ],
        ignore_index=True,
    )
    schools = _special_phase(schools, existing)
    new = schools[~schools["urn"].isin(existing["urn"])].copy()
    if not new.empty:
        # A results file without names (census, absence) still creates the school; a register
        # import fills the name in later.
        names = new["name"] if "name" in new else pd.Series(None, index=new.index)
        new["name"] = names.fillna("School URN " + new["urn"].astype(str))
        frame = new.reindex(columns=["urn", *SCHOOL_FIELDS])
        frame["fictional"] = False
        bulk_insert(connection, "school", frame)
    known = schools[schools["urn"].isin(existing["urn"])]
    for row in known.to_dict("records"):
        values = {f: row[f] for f in SCHOOL_FIELDS if f in row and not pd.isna(row[f])}
        if values:
            connection.execute(School.__table__.update().where(School.urn == row["urn"]), values)


def _special_phase(schools: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """``schools`` with a special school's phase "special", whatever phase its file gave it
    (``ecm.store.school_types.is_special``: a results file can name a special school's phase
    after its key stage), judged by its type here or the type already known; so every
    comparison by phase (similar schools, quartiles, the explorer) keeps it apart."""
    if "phase" not in schools:
        return schools
    known = dict(zip(existing["urn"], existing["school_type"], strict=True))
    given = schools["school_type"] if "school_type" in schools else pd.Series(None, schools.index)
    types = [
        t if isinstance(t, str) and t.strip() else known.get(u)
        for u, t in zip(schools["urn"], given, strict=True)
    ]
    special = [
        is_special(p if isinstance(p, str) else None, t if isinstance(t, str) else None)
        for p, t in zip(schools["phase"], types, strict=True)
    ]
    return schools.assign(phase=schools["phase"].where(~pd.Series(special, schools.index), SPECIAL))
