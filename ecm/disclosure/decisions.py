"""Disclosure decisions kept with the figures: taken once over the whole store after each load.

:mod:`ecm.disclosure.rules` decides what to withhold in a frame of figures. Taken at request time,
one school's page has to read every school of its LA (the sibling rule), and each level is
decided with its own siblings only. Here the decisions are taken over the whole tree at once -
every school, LA, region and the country, one indicator at a time (no rule crosses
indicators) - after every load, and stored on each figure (``observation.withheld`` and
``withheld_reason``) with the thresholds they were taken under (``disclosure_state``). A page
then reads only the rows it shows.

Reads trust the stored decisions only while they are current: taken, and under the thresholds
in force (``ECM_SUPPRESS_BELOW``). Writing figures without deciding them removes the state row
(:func:`ecm.store.engine.bulk_insert`), so "current" always means every figure is decided. When they
are not current every read decides at request time, level by level, as before; a load or
``python -m ecm init`` takes them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, case, insert, select, update

from ecm.disclosure.rules import DisclosureRules, apply_disclosure_control, redact
from ecm.store.engine import forget_decisions
from ecm.store.models import (
    DisclosureState,
    ImportBatch,
    Indicator,
    LocalAuthority,
    Observation,
    Region,
    School,
)

CHUNK = 900  # ids per UPDATE, well under every driver's limit of bound parameters
#: What a tree decision reads of each figure.
_DECISION_FIELDS = (
    Observation.id,
    Observation.indicator_code,
    Observation.level,
    Observation.area_code,
    Observation.group_code,
    Observation.period,
    Observation.value,
    Observation.numerator,
    Observation.denominator,
    Observation.marker,
    Observation.pupils,
    Observation.batch_id,
    Observation.withheld,
    Observation.withheld_reason,
)


def stored_rules(connection: Connection) -> DisclosureRules | None:
    """The thresholds the stored decisions were taken under, or None if none are stored."""
    row = connection.execute(
        select(DisclosureState.min_count, DisclosureState.min_denominator)
    ).first()
    return DisclosureRules(int(row.min_count), int(row.min_denominator)) if row else None


def decisions_current(engine: Engine, rules: DisclosureRules | None = None) -> bool:
    """Whether every figure's stored decision stands under ``rules`` (default: in force)."""
    rules = rules or DisclosureRules.from_environment()
    with engine.connect() as connection:
        return stored_rules(connection) == rules


def ensure_withholding(engine: Engine, rules: DisclosureRules | None = None) -> bool:
    """Take the decisions over the whole store unless they are current; True when it did."""
    rules = rules or DisclosureRules.from_environment()
    if decisions_current(engine, rules):
        return False
    with engine.begin() as connection:
        refresh_withholding(connection, rules=rules)
    return True


def refresh_withholding(
    connection: Connection,
    indicators: Iterable[str] | None = None,
    rules: DisclosureRules | None = None,
) -> int:
    """Decide disclosure control over the whole tree for ``indicators`` (default: every
    indicator) and store it, in the caller's transaction; returns how many figures are
    withheld among them.

    Deciding only some indicators is right only where every other indicator's stored
    decisions stand under ``rules``: the caller checks :func:`stored_rules` before it writes
    (writing figures forgets them), as :func:`ecm.importers.writer.write_parsed` does.
    """
    rules = rules or DisclosureRules.from_environment()
    held = set(connection.scalars(select(Observation.indicator_code).distinct()).all())
    chosen = sorted(held if indicators is None else set(indicators) & held)
    statistics = dict(connection.execute(select(Indicator.code, Indicator.statistic)).all())
    parents = tree_parents(connection)
    withheld = 0
    for indicator in chosen:
        withheld += _decide(connection, indicator, statistics, parents, rules)
    record_decisions(connection, rules)
    return withheld


def record_decisions(connection: Connection, rules: DisclosureRules) -> None:
    """Record, in the caller's transaction, that every figure in the store now carries its
    decision under ``rules`` (so reads trust them)."""
    forget_decisions(connection)
    connection.execute(
        insert(DisclosureState).values(
            id=1,
            min_count=rules.min_count,
            min_denominator=rules.min_denominator,
            decided_at=dt.datetime.now(dt.UTC),
        )
    )


def decide_tree(
    figures: pd.DataFrame,
    statistics: dict[str, str],
    parents: pd.Series,
    rules: DisclosureRules,
) -> tuple[np.ndarray, np.ndarray]:
    """Decide one indicator's figures at every level together: (withheld, reason) per row.

    ``figures`` holds each figure's ``level``, its place's own ``area_code``, ``published``
    (whether its file was released openly) and its values; ``parents`` is
    :func:`tree_parents`' map of ``level:code`` keys.
    """
    tree = figures.assign(area_code=figures["level"] + ":" + figures["area_code"])
    decided = apply_disclosure_control(tree, statistics, rules, parents, reasons=True)
    return decided["suppressed"].to_numpy(bool), decided["withheld_reason"].to_numpy(object)


def tree_parents(connection: Connection) -> pd.Series:
    """Every place, keyed ``level:code``, -> the place its figures add up into (school -> LA
    -> region -> country), None where it has none. Keys carry the level, since codes of
    different levels may clash."""
    pairs = []
    for child, parent, child_level, parent_level in (
        (School.urn, School.la_code, "school", "la"),
        (LocalAuthority.code, LocalAuthority.region_code, "la", "region"),
        (Region.code, Region.country_code, "region", "england"),
    ):
        statement = select(child, parent)
        if child_level == "school":
            # An LA's published figures are the sum of its state-funded schools only (DfE's LA
            # rows leave independent schools out), so an independent school adds into nothing.
            statement = select(child, case((School.state_funded.is_(False), None), else_=parent))
        rows = connection.execute(statement).all()
        pairs += [(f"{child_level}:{c}", f"{parent_level}:{p}" if p else None) for c, p in rows]
    return pd.Series(dict(pairs), dtype=object)


def _decide(
    connection: Connection,
    indicator: str,
    statistics: dict[str, str],
    parents: pd.Series,
    rules: DisclosureRules,
) -> int:
    """Decide one indicator's figures at every level together and write what changed."""
    result = connection.execute(
        select(*_DECISION_FIELDS).where(Observation.indicator_code == indicator)
    )
    figures = pd.DataFrame.from_records(
        result.cursor.fetchall(), columns=[c.key for c in _DECISION_FIELDS]
    )
    if figures.empty:
        return 0
    stored = figures["withheld"]
    if stored.isna().any():
        # Undecided figures (new, or a store from before decisions were stored) start as
        # shown in one statement, so only the withheld ones are written one by one below.
        connection.execute(
            update(Observation)
            .where(Observation.indicator_code == indicator, Observation.withheld.is_(None))
            .values(withheld=False, withheld_reason=None)
        )
    stored = pd.to_numeric(stored).fillna(0).astype(bool).to_numpy()
    published = figures["batch_id"].map(published_batches(connection))
    hidden, reason = decide_tree(figures.assign(published=published), statistics, parents, rules)
    ids = figures["id"].to_numpy()
    old_reason = figures["withheld_reason"].fillna("").to_numpy(object)
    changed_reason = pd.Series(reason).fillna("").to_numpy(object) != old_reason
    to_hide = hidden & (~stored | changed_reason)
    for why in pd.unique(reason[to_hide]):
        _update(connection, ids[to_hide & (reason == why)], True, why)
    _update(connection, ids[~hidden & stored], False, None)
    return int(hidden.sum())


def published_batches(connection: Connection) -> pd.Series:
    """Import batch id -> whether its file was released openly by its publisher."""
    rows = connection.execute(select(ImportBatch.id, ImportBatch.published)).all()
    return pd.Series(dict(rows), dtype=bool)


def _update(connection: Connection, ids: np.ndarray, withheld: bool, reason: str | None) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = [int(i) for i in ids[start : start + CHUNK]]
        connection.execute(
            update(Observation)
            .where(Observation.id.in_(chunk))
            .values(withheld=withheld, withheld_reason=reason)
        )


# --- reading ------------------------------------------------------------------------------------


def apply_stored(figures: pd.DataFrame) -> pd.DataFrame:
    """Apply the stored decisions to figures read with their ``withheld`` column, through the
    same :func:`ecm.disclosure.rules.redact` as decisions taken at request time (``suppressed``,
    marker ``c`` where withheld and not already marked, figure columns emptied)."""
    # A figure read without a decision is withheld: never show what no rule has looked at.
    hidden = pd.to_numeric(figures["withheld"]).fillna(1).astype(bool).to_numpy()
    return redact(figures.drop(columns=["withheld", "withheld_reason"], errors="ignore"), hidden)


def all_decided(figures: pd.DataFrame) -> bool:
    """Whether every figure read carries a stored decision."""
    return "withheld" in figures and bool(figures["withheld"].notna().all())


def control(
    engine: Engine,
    figures: pd.DataFrame,
    statistics: Callable[[], dict[str, str]],
    parent_of: pd.Series | Callable[[], pd.Series] | None = None,
    rules: DisclosureRules | None = None,
) -> pd.DataFrame:
    """Figures after disclosure control: the stored decisions when they are current and every
    figure read has one; else decided here among the frame's siblings (``parent_of``, or a
    callable giving it, read only when needed)."""
    if all_decided(figures) and decisions_current(engine, rules):
        return apply_stored(figures)
    if callable(parent_of):
        parent_of = parent_of()
    figures = figures.drop(columns=["withheld", "withheld_reason"], errors="ignore")
    return apply_disclosure_control(with_published(engine, figures), statistics(), rules, parent_of)


def with_published(engine: Engine, figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` (with their ``batch_id``) with a ``published`` column: whether each came
    from a file its publisher released openly, for a decision taken at request time."""
    with engine.connect() as connection:
        return figures.assign(published=figures["batch_id"].map(published_batches(connection)))
