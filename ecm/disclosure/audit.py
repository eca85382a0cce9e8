"""An audit of the whole system of sums: is any withheld count pinned down by what is shown?

The rules in :mod:`ecm.disclosure.rules` look at one sum at a time. Here every sum the stored
figures obey is put together, per indicator and period, as one linear system, and each withheld
count is tested against all of them at once, as statistical offices' tools do (tau-ARGUS's
audit; GSS, *Disclosure Control Guidance for Tables Produced from Administrative Sources*,
2014, on disclosure by differencing). The sums:

- a group and its complement add up to all pupils (a group with no row counts as zero);
- schools add up to their LA, LAs to their region, regions to the country;
- each similar-school value a school's profile shows: the pooled value ``v`` of the other
  schools of its phase and FSM band, read from ``school_benchmark`` as the profile reads it, is
  the linear equation ``sum(numerators) - v * sum(denominators) = own numerator - v * own
  denominator`` over the pool's members; for the state-funded pools and, where the store
  keeps them, the pools with independent schools too (either can be chosen on a page).

Numerators and denominators are the quantities; a withheld figure not published openly
contributes both as unknowns, every shown figure is known. A group of no pupils (a row whose
denominator is 0: boys at a girls' school) is known even when withheld, both its counts zero:
that it is empty is public from the register, so its zero is never reported as pinned, and a
rule that relied on hiding it would be caught by what it then gives back. A sum enters only
where it holds exactly on the stored figures, since only then could anyone solve with it; a
term whose figure has a row but not this count (a publisher's ``SUPP`` keeps the group's size
but no numerator) is a value no one holds, not a zero, so a sum with such a term does not
enter. A withheld quantity
is *pinned* when the shown equations determine it uniquely: when its unit vector lies in the
row space of the equations restricted to the unknowns, i.e. when every solution of the
homogeneous system leaves it at zero (its row of the null space is zero).

A withheld count the equations do not pin can still be confined by counts never being negative
(``a + b = 1``: each is 0 or 1). For every withheld count of 1 to ``min_count - 1`` not pinned,
:mod:`ecm.disclosure.bounds` finds its least and greatest value by linear programming and
reports it as *disclosed by bounds* when that range holds fewer whole values than the
threshold hides (the rule, and why, is in that module).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.linalg import null_space
from sqlalchemy import Connection, Engine, select

from ecm.config import DEFAULT_SUPPRESS_BELOW
from ecm.disclosure.bounds import bounded, no_bounds, parts, positions
from ecm.disclosure.decisions import published_batches, tree_parents
from ecm.disclosure.rules import COMPLEMENTS, DisclosureRules
from ecm.stats.benchmarks import fsm_band
from ecm.store.models import Indicator, Observation, School, SchoolBenchmark
from ecm.store.school_types import STATE_FUNDED, band_and_set, in_set

#: A similar-school value is shown only with at least this many other schools in the pool
#: (as the school profile shows it).
MIN_OTHER_SCHOOLS = 3
#: How closely a sum must hold on the stored figures to count as an equation.
TOLERANCE = 1e-6
QUANTITIES = ("numerator", "denominator")


@dataclass(frozen=True)
class AuditResult:
    """What the audit found: the withheld quantities pinned, the small counts disclosed by
    bounds, and how many it examined."""

    pinned: pd.DataFrame  # indicator_code, period, level, area_code, group_code, quantity, value
    unknowns: int  # withheld quantities examined
    equations: int  # equations that hold and involve at least one withheld quantity
    bounded: pd.DataFrame  # as pinned, with low and high: small counts confined too narrowly
    sensitive: int  # withheld small counts, not pinned, whose range was computed

    @property
    def disclosed(self) -> bool:
        """Whether anything withheld is pinned or disclosed by bounds."""
        return not (self.pinned.empty and self.bounded.empty)


def audit_store(
    engine: Engine, indicators: list[str] | None = None, pools: bool = True
) -> AuditResult:
    """Audit the stored decisions of ``indicators`` (default: every indicator); with
    ``pools``, the similar-school values count among the shown figures. Small counts are
    those below the threshold the decisions are taken under (``ECM_SUPPRESS_BELOW``)."""
    min_count = DisclosureRules.from_environment().min_count
    with engine.connect() as connection:
        statistics = dict(connection.execute(select(Indicator.code, Indicator.statistic)).all())
        held = connection.scalars(select(Observation.indicator_code).distinct()).all()
        chosen = sorted(set(held) if indicators is None else set(indicators) & set(held))
        parents = tree_parents(connection)
        published = published_batches(connection)
        schools = _schools(connection)
        table = _pool_table(connection) if pools else pd.DataFrame()
        found, bounds, unknowns, equations, sensitive = [], [], 0, 0, 0
        for indicator in chosen:
            figures = _figures(connection, indicator, published)
            for period, block in figures.groupby("period", sort=False):
                pool_rows = (
                    table[(table["indicator_code"] == indicator) & (table["period"] == period)]
                    if pools
                    else table
                )
                result = audit_block(
                    block, parents, schools, pool_rows, statistics.get(indicator), min_count
                )
                found.append(result.pinned)
                bounds.append(result.bounded)
                unknowns += result.unknowns
                equations += result.equations
                sensitive += result.sensitive
    pinned = pd.concat(found, ignore_index=True) if found else _no_pins()
    bounds = [b for b in bounds if not b.empty]
    narrow = pd.concat(bounds, ignore_index=True) if bounds else no_bounds()
    return AuditResult(pinned, unknowns, equations, narrow, sensitive)


def audit_block(
    block: pd.DataFrame,
    parents: pd.Series,
    schools: pd.DataFrame | None = None,
    pools: pd.DataFrame | None = None,
    statistic: str | None = None,
    min_count: int = DEFAULT_SUPPRESS_BELOW,
) -> AuditResult:
    """Audit one indicator and period: ``block`` has ``level, area_code, group_code,
    numerator, denominator, withheld, published`` (and ``indicator_code, period``);
    ``parents`` maps ``level:code`` to the place it adds up into; ``schools`` (urn, phase,
    fsm_band, optionally state_funded) and ``pools`` (rows of ``school_benchmark``) give the
    similar-school values. For a ``statistic`` of ``"proportion"`` a numerator is at most its
    denominator; counts of 1 to ``min_count - 1`` are the small ones bounds must not confine."""
    cells = _cells(block)
    if not cells["unknown"].any():
        return AuditResult(_no_pins(), 0, 0, no_bounds(), 0)
    held = set(zip(block["level"] + ":" + block["area_code"], block["group_code"], strict=True))
    rows = _complement_equations(cells, held) + _tree_equations(cells, parents, held)
    if schools is not None and pools is not None and not pools.empty:
        rows += _pool_equations(cells, schools, pools)
    truth = cells["truth"].to_numpy(float)
    unknown = cells["unknown"].to_numpy(bool)
    kept = []
    for terms in rows:
        index = np.fromiter(terms.keys(), int)
        weight = np.fromiter(terms.values(), float)
        if not unknown[index].any() or np.isnan(truth[index]).any():
            continue
        if abs(float(weight @ truth[index])) <= TOLERANCE * max(1.0, float(abs(weight).sum())):
            kept.append((index, weight))
    pinned, spaces = _pinned(kept, unknown)
    found = cells[pinned].reset_index(drop=True)
    columns = ["indicator_code", "period", "level", "area_code", "group_code", "quantity"]
    found = found.rename(columns={"truth": "value"})[[*columns, "value"]]
    narrow, sensitive = bounded(cells, kept, pinned, spaces, statistic == "proportion", min_count)
    return AuditResult(found, int(unknown.sum()), len(kept), narrow, sensitive)


def _no_pins() -> pd.DataFrame:
    columns = ["indicator_code", "period", "level", "area_code", "group_code", "quantity"]
    return pd.DataFrame(columns=[*columns, "value"])


def _figures(connection: Connection, indicator: str, published: pd.Series) -> pd.DataFrame:
    fields = (
        Observation.indicator_code,
        Observation.period,
        Observation.level,
        Observation.area_code,
        Observation.group_code,
        Observation.numerator,
        Observation.denominator,
        Observation.withheld,
        Observation.batch_id,
    )
    result = connection.execute(select(*fields).where(Observation.indicator_code == indicator))
    frame = pd.DataFrame(result.fetchall(), columns=[f.key for f in fields])
    frame["published"] = frame["batch_id"].map(published).fillna(False).astype(bool)
    frame["withheld"] = pd.to_numeric(frame["withheld"]).fillna(1).astype(bool)
    return frame


def _schools(connection: Connection) -> pd.DataFrame:
    fields = (School.urn, School.phase, School.percent_fsm, School.state_funded)
    rows = connection.execute(select(*fields)).all()
    frame = pd.DataFrame(rows, columns=["urn", "phase", "percent_fsm", "state_funded"])
    return frame.assign(fsm_band=fsm_band(frame["percent_fsm"]).to_numpy())


def _pool_table(connection: Connection) -> pd.DataFrame:
    fields = [c for c in SchoolBenchmark.__table__.columns if c.key not in ("q1", "median", "q3")]
    result = connection.execute(select(*fields))
    return pd.DataFrame(result.fetchall(), columns=[c.key for c in fields])


def _cells(block: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity of each figure: its true value, and whether it is an unknown
    (withheld and not published openly: a publisher's withheld figure has no count stored).
    A group of no pupils is known, its numerator zero: its emptiness is public."""
    empty = pd.to_numeric(block["denominator"], errors="coerce").eq(0)
    parts = []
    for quantity in QUANTITIES:
        truth = pd.to_numeric(block[quantity], errors="coerce").mask(empty, 0.0)
        parts.append(block.assign(quantity=quantity, truth=truth, empty=empty))
    cells = pd.concat(parts, ignore_index=True)
    cells = cells[cells["truth"].notna()].reset_index(drop=True)
    cells["unknown"] = (
        cells["withheld"].astype(bool) & ~cells["published"].astype(bool) & ~cells["empty"]
    )
    cells["place"] = cells["level"] + ":" + cells["area_code"]
    return cells


def _complement_equations(
    cells: pd.DataFrame, held: set[tuple[str, str]]
) -> list[dict[int, float]]:
    """All pupils = group + complement, a group with no row counting as zero; ``held`` is
    every (place, group) with a row. A group with a row but not this count (a publisher's
    withheld figure) is unknown to everyone, not zero: that sum cannot be written."""
    at = positions(cells)
    rows = []
    for place in cells["place"].unique():
        for quantity in QUANTITIES:
            total = at.get((place, "all", quantity))
            if total is None:
                continue
            for pair in COMPLEMENTS:
                present = [at[(place, g, quantity)] for g in pair if (place, g, quantity) in at]
                lacking = [g for g in pair if (place, g) in held and (place, g, quantity) not in at]
                if present and not lacking:
                    rows.append({total: -1.0} | dict.fromkeys(present, 1.0))
    return rows


def _tree_equations(
    cells: pd.DataFrame, parents: pd.Series, held: set[tuple[str, str]]
) -> list[dict[int, float]]:
    """A place's figure = the sum of its parts' figures, where every part with a row (in
    ``held``) has this count: a part without it is unknown to everyone, not zero."""
    frame = cells.assign(index=np.arange(len(cells)), parent=cells["place"].map(parents).to_numpy())
    at = positions(cells)
    rows_under = Counter((parents.get(place), group) for place, group in held)
    rows = []
    parts = frame.dropna(subset=["parent"])
    for (parent, group, quantity), members in parts.groupby(
        ["parent", "group_code", "quantity"], sort=False
    ):
        total = at.get((parent, group, quantity))
        if total is not None and len(members) == rows_under.get((parent, group), 0):
            rows.append({total: -1.0} | dict.fromkeys(members["index"].tolist(), 1.0))
    return rows


def _pool_equations(
    cells: pd.DataFrame, schools: pd.DataFrame, pools: pd.DataFrame
) -> list[dict[int, float]]:
    """One equation per similar-school value shown: each shown school sees the pooled value of
    the other members of its pool. A pool's members are the schools of its phase and band with
    both counts in the pool's set (state-funded schools, or all schools: the band's label says
    which, ``ecm.store.school_types.band_and_set``), among them only those shown when the
    stored pool counts only those. A school outside a state-funded pool (an independent one)
    sees the whole pool's value: one more equation, over every member."""
    school_cells = cells[cells["level"] == "school"]
    if school_cells.empty:
        return []
    wide = school_cells.pivot_table(
        index=["area_code", "group_code"], columns="quantity", values="truth", aggfunc="first"
    ).reindex(columns=list(QUANTITIES))
    wide = wide.dropna().reset_index()
    flags = school_cells.drop_duplicates(["area_code", "group_code"]).set_index(
        ["area_code", "group_code"]
    )["withheld"]
    keys = pd.MultiIndex.from_frame(wide[["area_code", "group_code"]])
    wide["withheld"] = flags.reindex(keys).to_numpy(bool)
    wide = wide.merge(schools, left_on="area_code", right_on="urn")
    # (A school whose funding is not known is taken as state-funded, as the pools take it.)
    flags = wide["state_funded"] if "state_funded" in wide else [None] * len(wide)
    wide["in_state_set"] = [in_set(flag, STATE_FUNDED) for flag in flags]
    at = positions(cells)
    rows = []
    for pool in pools.itertuples(index=False):
        band, school_set = band_and_set(pool.fsm_band)
        in_band = wide[
            (wide["group_code"] == pool.group_code)
            & (wide["phase"] == pool.phase)
            & (wide["fsm_band"] == band)
        ]
        in_pool = in_band["in_state_set"] | (school_set != STATE_FUNDED)
        members = _members(in_band[in_pool], pool)
        if members is None:
            continue
        viewers = [
            (viewer.area_code, viewer.numerator, viewer.denominator)
            for viewer in members[~members["withheld"]].itertuples(index=False)
        ]
        # An outside school with its own figure shown is compared with the whole pool.
        outside = in_band[~in_pool & ~in_band["withheld"]]
        viewers += [(None, 0.0, 0.0)] if not outside.empty else []
        for code, own_numerator, own_denominator in viewers:
            others = pool.schools - (0 if code is None else 1)
            numerator = pool.numerator - own_numerator
            denominator = pool.denominator - own_denominator
            if others < MIN_OTHER_SCHOOLS or not denominator > 0:
                continue
            value = numerator / denominator
            row: dict[int, float] = {}
            for member in members.itertuples(index=False):
                if member.area_code == code:
                    continue
                place = f"school:{member.area_code}"
                row[at[(place, pool.group_code, "numerator")]] = 1.0
                row[at[(place, pool.group_code, "denominator")]] = -value
            if row:
                rows.append(row)
    return rows


def _members(candidates: pd.DataFrame, pool: object) -> pd.DataFrame | None:
    """The schools a stored pool sums over: every candidate, or only the shown ones, whichever
    adds up to the stored counts (None when neither does: the pool is not audited)."""
    for members in (candidates, candidates[~candidates["withheld"]]):
        if (
            len(members) == pool.schools
            and abs(members["numerator"].sum() - (pool.numerator or 0)) <= TOLERANCE
            and abs(members["denominator"].sum() - (pool.denominator or 0)) <= TOLERANCE
        ):
            return members
    return None


def _pinned(
    equations: list[tuple[np.ndarray, np.ndarray]], unknown: np.ndarray
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Per quantity: whether it is an unknown the equations determine uniquely; and per
    connected part of the system, its quantities (indices) and the null space over them
    (every direction the unknowns can move in and still satisfy the equations)."""
    pinned = np.zeros(len(unknown), bool)
    spaces: list[tuple[np.ndarray, np.ndarray]] = []
    if not equations:
        return pinned, spaces
    columns = np.flatnonzero(unknown)
    column_of = np.full(len(unknown), -1)
    column_of[columns] = np.arange(len(columns))
    data, row_ids, col_ids = [], [], []
    for r, (index, weight) in enumerate(equations):
        keep = unknown[index]
        data += weight[keep].tolist()
        row_ids += [r] * int(keep.sum())
        col_ids += column_of[index[keep]].tolist()
    system = sparse.csr_matrix((data, (row_ids, col_ids)), shape=(len(equations), len(columns)))
    # Unknowns in different connected parts of the system share no equation: solve each part
    # on its own, small and dense.
    part_of_row, part_of_column = parts(system)
    for part in np.unique(part_of_row):
        cols = np.flatnonzero(part_of_column == part)
        dense = system[np.flatnonzero(part_of_row == part)][:, cols].toarray()
        basis = null_space(dense)
        free = np.abs(basis).max(axis=1) if basis.size else np.zeros(len(cols))
        pinned[columns[cols[free < 1e-9]]] = True
        spaces.append((columns[cols], basis))
    return pinned, spaces
