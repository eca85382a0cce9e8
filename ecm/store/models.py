"""The store's tables, as SQLAlchemy 2 declarative models.

The schema itself is created and upgraded by the Alembic migrations in ``ecm/store/migrations``;
these models are their mirror and what the code reads and writes through. Column and index
choices are made for the two hot paths: one area's profile (``level, area_code``) and one
indicator's league across areas (``indicator_code, period, level, group_code``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: An auto-incrementing key that is 64-bit on PostgreSQL and SQLite's ROWID alias on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

LEVELS = ("school", "la", "region", "england")
POLARITIES = ("higher_is_better", "lower_is_better", "neither")
STATISTICS = ("proportion", "rate", "mean", "count")
#: Every status an action can have, with the words people read it in, in the order forms and
#: filters list them: the one list (the table's CHECK, plan files, forms and screens use it).
ACTION_STATUS_WORDS = {
    "not_started": "not started",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "complete": "complete",
}
ACTION_STATUSES = tuple(ACTION_STATUS_WORDS)


def action_status_words(status: str) -> str:
    """How people read an action's status ("on track"); a code not in the list as it is."""
    return ACTION_STATUS_WORDS.get(status, status)


ROLES = ("headteacher", "board_member", "go_officer", "analyst")


class Base(DeclarativeBase):
    """Declarative base of every table."""


# --- geography ----------------------------------------------------------------------------------


class Region(Base):
    """A Government Office region (ONS E12 code), or a fictional one in the demo."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(9))
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)


class LocalAuthority(Base):
    """An upper-tier local authority with children's services responsibilities."""

    __tablename__ = "local_authority"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)  # ONS code, e.g. E10000014
    old_code: Mapped[str | None] = mapped_column(String(3), unique=True)  # DfE number, e.g. 850
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    deprivation_score: Mapped[float | None] = mapped_column(Float)
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)


class StatisticalNeighbour(Base):
    """One of an LA's children's services statistical neighbours, closest first."""

    __tablename__ = "statistical_neighbour"

    la_code: Mapped[str] = mapped_column(ForeignKey("local_authority.code"), primary_key=True)
    neighbour_code: Mapped[str] = mapped_column(
        ForeignKey("local_authority.code"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))


class School(Base):
    """A school, keyed by its URN."""

    __tablename__ = "school"

    urn: Mapped[str] = mapped_column(String(8), primary_key=True)
    laestab: Mapped[str | None] = mapped_column(String(7), index=True)
    name: Mapped[str] = mapped_column(String(200))
    la_code: Mapped[str | None] = mapped_column(ForeignKey("local_authority.code"), index=True)
    phase: Mapped[str | None] = mapped_column(String(30))  # primary, secondary, special, ...
    school_type: Mapped[str | None] = mapped_column(String(100))
    # From the type (ecm.store.school_types): comparisons among schools leave out independent
    # and non-maintained special schools, as DfE's do; None where the type is not known.
    state_funded: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(String(30))  # open, closed, proposed to close
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # the register's close date
    number_on_roll: Mapped[int | None] = mapped_column(Integer)
    percent_fsm: Mapped[float | None] = mapped_column(Float)
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)


#: The register's words for a link, kept as GIAS writes them ("Successor", "Predecessor -
#: amalgamated", ...); a link's direction is read from the first word.
SUCCESSOR, PREDECESSOR = "successor", "predecessor"


class SchoolLink(Base):
    """A link the register states between a school and another URN: the school's successor
    (the URN it became) or predecessor (the URN it was). The linked URN need not be stored."""

    __tablename__ = "school_link"

    urn: Mapped[str] = mapped_column(String(8), primary_key=True)
    linked_urn: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)
    link_type: Mapped[str] = mapped_column(String(40))


# --- indicator catalogue --------------------------------------------------------------------------


class Outcome(Base):
    """One of the five Every Child Matters outcomes."""

    __tablename__ = "outcome"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class Aim(Base):
    """One of the 25 aims under the five outcomes."""

    __tablename__ = "aim"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    outcome_code: Mapped[str] = mapped_column(ForeignKey("outcome.code"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class Indicator(Base):
    """A measure in the catalogue (``data/indicators.csv``)."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint(
            "polarity IN ('higher_is_better', 'lower_is_better', 'neither')",
            name="ck_indicator_polarity",
        ),
        CheckConstraint(
            "statistic IN ('proportion', 'rate', 'mean', 'count')", name="ck_indicator_statistic"
        ),
    )

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    outcome_code: Mapped[str] = mapped_column(ForeignKey("outcome.code"), index=True)
    aim_code: Mapped[str] = mapped_column(ForeignKey("aim.code"))
    ni_number: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    multiplier: Mapped[float] = mapped_column(Float)
    statistic: Mapped[str] = mapped_column(String(12))
    polarity: Mapped[str] = mapped_column(String(20))
    levels: Mapped[str] = mapped_column(String(40))  # "school;la;region;england"
    phases: Mapped[str | None] = mapped_column(String(40))
    period_type: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)


class PupilGroup(Base):
    """A pupil group; focus groups name the comparator their gap is measured against."""

    __tablename__ = "pupil_group"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    comparator_code: Mapped[str | None] = mapped_column(ForeignKey("pupil_group.code"))
    description: Mapped[str] = mapped_column(Text)


# --- observations and provenance ----------------------------------------------------------------


class ImportBatch(Base):
    """One file (or one demo build) loaded into the store: the provenance of every number."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(300))
    checksum: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the file's bytes
    format: Mapped[str] = mapped_column(String(40))
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))  # loaded, rejected, superseded
    licence: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    # Released openly by its publisher (real files): its figures keep the publisher's own
    # suppression and are not withheld again; False for data not published (the demo).
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The figures this import replaced were kept (``replaced_observation``), so it can be
    # undone; False for imports made before the store kept them.
    keeps_replaced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


#: The columns a load writes for each figure (the key and ``id`` aside, what an import sets).
OBSERVATION_COLUMNS = (
    "indicator_code",
    "level",
    "area_code",
    "group_code",
    "period",
    "value",
    "numerator",
    "numerator_low",
    "numerator_high",
    "denominator",
    "lower_ci",
    "upper_ci",
    "marker",
    "pupils",
    "published_vs_england",
)


class FigureValues:
    """A figure's value and what it rests on, as an import loads it (a stored figure's, and a
    replaced figure's kept for undoing the import that replaced it)."""

    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    # Where the numerator was derived from a rounded percentage and its denominator (DfE
    # performance tables), the least and greatest whole numerators that percentage allows;
    # NULL where the numerator was published as a count. Comparisons are called significant
    # only if they hold at both ends (ecm.stats.rounding).
    numerator_low: Mapped[float | None] = mapped_column(Float)
    numerator_high: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    lower_ci: Mapped[float | None] = mapped_column(Float)
    upper_ci: Mapped[float | None] = mapped_column(Float)
    marker: Mapped[str | None] = mapped_column(String(12))  # SUPP, c, x, ... as published
    # Pupils the figure rests on, where the denominator counts something else (absence is
    # sessions missed out of possible sessions); disclosure control tests pupils, not sessions.
    pupils: Mapped[float | None] = mapped_column(Float)
    # The publisher's own test against England, where it publishes one (Fingertips): better,
    # similar, worse, higher or lower; used when the figure has no interval to test it by.
    published_vs_england: Mapped[str | None] = mapped_column(String(12))


class Observation(FigureValues, Base):
    """One published or computed figure: an indicator for one area, group and period."""

    __tablename__ = "observation"
    __table_args__ = (
        # Profile lookups (one school's or one LA's figures) read this index's prefix.
        UniqueConstraint(
            "level", "area_code", "indicator_code", "group_code", "period", name="uq_observation"
        ),
        # League tables and gap explorers: one indicator and period across all areas of a level.
        Index("ix_observation_indicator", "indicator_code", "period", "level", "group_code"),
        CheckConstraint(
            "level IN ('school', 'la', 'region', 'england')", name="ck_observation_level"
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    level: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(12))
    group_code: Mapped[str] = mapped_column(ForeignKey("pupil_group.code"))
    period: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    # Disclosure control decided over the whole store after each load (ecm.disclosure.decisions):
    # True withheld, False shown, NULL not decided yet; the reason is a key of
    # ecm.disclosure.rules.WITHHELD_REASONS.
    withheld: Mapped[bool | None] = mapped_column(Boolean)
    withheld_reason: Mapped[str | None] = mapped_column(String(12))


class ReplacedObservation(FigureValues, Base):
    """A figure an import replaced, kept so that the import can be undone: the figure as it
    stood (its own batch kept) and the batch that replaced it (``replaced_by``)."""

    __tablename__ = "replaced_observation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    replaced_by: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(12))
    group_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))


class DisclosureState(Base):
    """The thresholds the stored ``observation.withheld`` decisions were taken under (one
    row, or none when they have not been taken); reads trust the stored decisions only while
    these equal the thresholds in force (``ECM_SUPPRESS_BELOW``)."""

    __tablename__ = "disclosure_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    min_count: Mapped[int] = mapped_column(Integer)
    min_denominator: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SchoolBenchmark(Base):
    """Derived figures for comparing one school with others, refreshed after every load.

    Rows with ``fsm_band`` = ``all`` hold the quartiles of the phase's state-funded school
    values (for bottom-quartile flags and LAIT-style bands); rows with a band label hold the
    pooled counts of the state-funded schools of that phase and FSM band whose numerator and
    denominator are both known ("similar schools").
    """

    __tablename__ = "school_benchmark"

    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), primary_key=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("pupil_group.code"), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    phase: Mapped[str] = mapped_column(String(30), primary_key=True)
    fsm_band: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Schools the row rests on: for a pool, those with both counts known; for quartiles, those
    # with a value. ``left_out``: schools of the pool whose counts were withheld by their
    # publisher (or not published), so not pooled.
    schools: Mapped[int] = mapped_column(Integer)
    left_out: Mapped[int | None] = mapped_column(Integer)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    q1: Mapped[float | None] = mapped_column(Float)
    median: Mapped[float | None] = mapped_column(Float)
    q3: Mapped[float | None] = mapped_column(Float)


# --- Children and Young People's Plans ---------------------------------------------------------


class Plan(Base):
    """A Children and Young People's Plan: one per LA and period."""

    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("la_code", "period_label", name="uq_plan_la_period"),
        # Ids are never reused (audit rows name their record by id): migration 0007.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authority.code"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    period_label: Mapped[str] = mapped_column(String(20))  # e.g. 2008-2011
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # draft, agreed


class Priority(Base):
    """A priority of a plan, under one of the five outcomes."""

    __tablename__ = "priority"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    outcome_code: Mapped[str] = mapped_column(ForeignKey("outcome.code"))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Action(Base):
    """An action in a plan, with its lead partner, status and scope."""

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s}'" for s in ACTION_STATUSES)),
            name="ck_action_status",
        ),
        # Ids are never reused (audit rows name their record by id): migration 0007.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"))
    # The action's ref in its plan file (A1, A2, ... or the plan's own labels): a re-import
    # updates the action with the same ref in place, so its notes and history stay.
    ref: Mapped[str | None] = mapped_column(String(40))
    outcome_code: Mapped[str] = mapped_column(ForeignKey("outcome.code"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    lead_partner: Mapped[str] = mapped_column(String(100))
    contributing_partners: Mapped[str | None] = mapped_column(Text)  # semicolon-separated
    status: Mapped[str] = mapped_column(String(12))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(12), default="whole_area")  # locality, schools
    scope_detail: Mapped[str | None] = mapped_column(String(200))
    # Optimistic locking: a save must name the version it read (issue: the edit conflict).
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(100))


class ActionSchool(Base):
    """A school within an action's scope."""

    __tablename__ = "action_school"

    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), primary_key=True)
    urn: Mapped[str] = mapped_column(ForeignKey("school.urn"), primary_key=True)


class ActionTarget(Base):
    """The indicator and group an action aims to move, with baseline and target gap."""

    __tablename__ = "action_target"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    group_code: Mapped[str] = mapped_column(ForeignKey("pupil_group.code"))
    baseline_period: Mapped[str | None] = mapped_column(String(20))
    # A target on a focus group's gap (signed: positive = the group is worse off) or, for the
    # ``all`` group, on the value itself; the other pair stays empty.
    baseline_gap: Mapped[float | None] = mapped_column(Float)
    target_gap: Mapped[float | None] = mapped_column(Float)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_period: Mapped[str | None] = mapped_column(String(20))


class ActionSpend(Base):
    """One partner's spend on an action in one financial year (pounds)."""

    __tablename__ = "action_spend"
    __table_args__ = (
        UniqueConstraint("action_id", "partner", "financial_year", name="uq_action_spend"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    partner: Mapped[str] = mapped_column(String(100))
    financial_year: Mapped[str] = mapped_column(String(7))  # 2008-09
    amount: Mapped[float] = mapped_column(Numeric(12, 2))


class ActionNote(Base):
    """A dated progress note on an action, written by a named person."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text)


class AuditLog(Base):
    """Who changed what, when, with the record before and after (JSON text)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    user_name: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(40))
    change: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class StoreChange(Base):
    """One change to the store's figures, catalogue or plans (an import, an undo, a plan edit
    or import, the demo built): its newest id is the store's version, which every app process
    reads to know when what it cached is out of date (``ecm.store.changes``)."""

    __tablename__ = "store_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(40))


# --- people ---------------------------------------------------------------------------------------


class User(Base):
    """A person who signs in, with a role and the geography they may see (``ecm.access``).

    ``password_hash`` is an Argon2id hash (never the password); ``failed_attempts`` counts
    failed sign-ins since the last good one, and ``locked_until`` holds the account shut after
    too many."""

    __tablename__ = "app_user"
    __table_args__ = (Index("ix_app_user_email", "email", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    # The address an identity provider (OpenID Connect, ``st.login``) vouches for, lower-case:
    # the person signing in that way acts as this account.
    email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    scope_level: Mapped[str] = mapped_column(String(10))  # school, la, region, all
    scope_code: Mapped[str | None] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_sign_in: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SignInSession(Base):
    """A browser's signed-in session: the SHA-256 of the token its cookie holds (never the
    token), whose account it is, and when it was last used (sessions end after inactivity:
    ``ecm.access.sessions``). In the store, so every app process knows it."""

    __tablename__ = "sign_in_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
