"""Read functions: the store in, DataFrames out.

Everything a page or an export shows passes through here, so this is where disclosure control
is applied (``ecm.disclosure``) to every figure before anything else sees it; scope (who may see
what) joins it with sign-in. Functions take an engine and plain values, aggregate in SQL, and
never return more rows than the page needs.
"""

from __future__ import annotations

import functools

import pandas as pd
from sqlalchemy import Engine, Select, and_, exists, func, or_, select

from ecm.access.scope import current_remit
from ecm.catalogue import load_catalogue, restricted_indicators
from ecm.store.models import (
    Action,
    Aim,
    ImportBatch,
    Indicator,
    LocalAuthority,
    Observation,
    Outcome,
    Plan,
    PupilGroup,
    Region,
    School,
)
from ecm.store.school_types import STATE_FUNDED, benchmark_band


def _frame(engine: Engine, statement) -> pd.DataFrame:  # noqa: ANN001
    """Run a select and return its rows as a DataFrame."""
    with engine.connect() as connection:
        result = connection.execute(statement)
        columns = list(result.keys())
        # Plain tuples: pandas probes each SQLAlchemy Row for named-tuple attributes, which
        # costs more than the query itself on large reads.
        rows = [tuple(row) for row in result]
        return pd.DataFrame.from_records(rows, columns=columns)


def _figure_frame(engine: Engine, statement) -> pd.DataFrame:  # noqa: ANN001
    """Run a select of plain figure columns (text and numbers, no types needing conversion)
    and take the driver's rows as they are: the fastest path for large reads."""
    with engine.connect() as connection:
        result = connection.execute(statement)
        columns = list(result.keys())
        return pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)


def shown_to_viewer(figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` (after disclosure control, so that what is withheld among the rows left does
    not change) without the restricted rows outside the remit of the viewer the code runs for
    (:func:`ecm.access.scope.current_remit`)."""
    remit = current_remit()
    if remit.everything:
        return figures
    return remit.only_visible(figures, _restricted())


#: A plan target's numbers: for a restricted indicator, the LA's restricted figures (its gap
#: when the plan was written) and the figure it aims for.
TARGET_NUMBERS = ("baseline_gap", "target_gap", "baseline_value", "target_value")


def target_numbers_held_back(la_code: str, indicator_code: str) -> bool:
    """Whether the numbers of an LA plan's target on ``indicator_code`` are held back from the
    viewer the code runs for: a restricted indicator, in a plan of an LA outside their remit.
    The target itself (what the action aims at) stays: the plan is the Board's document."""
    remit = current_remit()
    return (
        not remit.everything and indicator_code in _restricted() and not remit.sees("la", la_code)
    )


def targets_shown_to_viewer(targets: pd.DataFrame, la_code: str) -> pd.DataFrame:
    """An LA plan's ``targets`` (columns ``indicator_code`` and any of :data:`TARGET_NUMBERS`)
    with the numbers held back from this viewer blanked (:func:`target_numbers_held_back`)."""
    if targets.empty or current_remit().everything:
        return targets
    held = targets["indicator_code"].map(lambda code: target_numbers_held_back(la_code, code))
    if not held.any():
        return targets
    shown = targets.copy()
    shown.loc[held.to_numpy(), [c for c in TARGET_NUMBERS if c in shown.columns]] = None
    return shown


@functools.cache
def _restricted() -> frozenset[str]:
    return restricted_indicators(load_catalogue())


def store_is_empty(engine: Engine) -> bool:
    """True when the store holds no geography at all (a fresh install)."""
    with engine.connect() as connection:
        return not connection.scalar(select(exists().where(Region.code.is_not(None))))


def holds_fictional_data(engine: Engine) -> bool:
    """True when any fictional (demo) region is in the store."""
    with engine.connect() as connection:
        return bool(connection.scalar(select(exists().where(Region.fictional.is_(True)))))


def load_outcomes(engine: Engine) -> pd.DataFrame:
    """The five outcomes with their aims, in order: outcome_code, outcome, aim_code, aim, and
    the number of catalogue indicators under the outcome (``indicators``)."""
    counts = (
        select(Indicator.outcome_code, func.count().label("indicators"))
        .group_by(Indicator.outcome_code)
        .subquery()
    )
    statement = (
        select(
            Outcome.code.label("outcome_code"),
            Outcome.title.label("outcome"),
            Aim.code.label("aim_code"),
            Aim.title.label("aim"),
            func.coalesce(counts.c.indicators, 0).label("indicators"),
        )
        .join(Aim, Aim.outcome_code == Outcome.code)
        .join(counts, counts.c.outcome_code == Outcome.code, isouter=True)
        .order_by(Outcome.position, Aim.position)
    )
    return _frame(engine, statement)


def load_indicators(engine: Engine) -> pd.DataFrame:
    """The indicator catalogue with outcome and aim titles, ordered by outcome then title."""
    statement = (
        select(
            Indicator.code,
            Indicator.title,
            Outcome.title.label("outcome"),
            Aim.title.label("aim"),
            Indicator.ni_number,
            Indicator.unit,
            Indicator.multiplier,
            Indicator.statistic,
            Indicator.polarity,
            Indicator.levels,
            Indicator.phases,
            Indicator.period_type,
            Indicator.source,
            Indicator.definition,
            Indicator.outcome_code,
        )
        .join(Outcome, Outcome.code == Indicator.outcome_code)
        .join(Aim, Aim.code == Indicator.aim_code)
        .order_by(Outcome.position, Indicator.title)
    )
    return _frame(engine, statement)


def load_pupil_groups(engine: Engine) -> pd.DataFrame:
    """Pupil groups with their comparators."""
    statement = select(
        PupilGroup.code, PupilGroup.title, PupilGroup.comparator_code, PupilGroup.description
    ).order_by(PupilGroup.code)
    return _frame(engine, statement)


def load_regions(engine: Engine) -> pd.DataFrame:
    """Regions: code, name, fictional."""
    return _frame(engine, select(Region.code, Region.name, Region.fictional).order_by(Region.name))


def load_local_authorities(engine: Engine, region_code: str | None = None) -> pd.DataFrame:
    """Local authorities (optionally of one region): code, old_code, name, region_code."""
    statement = select(
        LocalAuthority.code,
        LocalAuthority.old_code,
        LocalAuthority.name,
        LocalAuthority.region_code,
        LocalAuthority.fictional,
    ).order_by(LocalAuthority.name)
    if region_code:
        statement = statement.where(LocalAuthority.region_code == region_code)
    return _frame(engine, statement)


#: A school's register facts, as lists and summaries show them.
SCHOOL_FACTS = (
    School.urn,
    School.laestab,
    School.name,
    School.phase,
    School.school_type,
    School.status,
    School.number_on_roll,
    School.percent_fsm,
)


def load_schools(engine: Engine, la_code: str) -> pd.DataFrame:
    """The schools of one LA: urn, laestab, name, phase, type, status, roll, % FSM."""
    statement = select(*SCHOOL_FACTS).where(School.la_code == la_code).order_by(School.name)
    return _frame(engine, statement)


#: An LA's number and name and its region's code and name, for selects that join them.
AREA_NAMES = (
    LocalAuthority.old_code.label("la_number"),
    LocalAuthority.name.label("la_name"),
    Region.code.label("region_code"),
    Region.name.label("region_name"),
)


def schools_in_areas(*columns) -> Select:  # noqa: ANN002
    """A select of schools' ``columns`` with :data:`AREA_NAMES`; a school whose LA or region
    is not stored keeps the school and leaves those empty."""
    return (
        select(*columns, *AREA_NAMES)
        .select_from(School)
        .join(LocalAuthority, LocalAuthority.code == School.la_code, isouter=True)
        .join(Region, Region.code == LocalAuthority.region_code, isouter=True)
    )


def school_summary(engine: Engine, urn: str) -> dict | None:
    """One school's register facts with its LA and region names, or None if unknown."""
    statement = schools_in_areas(
        *SCHOOL_FACTS, School.fictional, LocalAuthority.code.label("la_code")
    ).where(School.urn == urn)
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().first()
        if row is None:
            return None
        summary = dict(row)
        summary["figures"] = connection.scalar(
            select(func.count())
            .select_from(Observation)
            .where(Observation.level == "school", Observation.area_code == urn)
        )
    return summary


def la_summary(engine: Engine, la_code: str) -> dict | None:
    """One LA's facts: names, codes, school counts by phase, plan actions, or None."""
    statement = (
        select(
            LocalAuthority.code,
            LocalAuthority.old_code,
            LocalAuthority.name,
            LocalAuthority.fictional,
            Region.code.label("region_code"),
            Region.name.label("region_name"),
        )
        .join(Region, Region.code == LocalAuthority.region_code, isouter=True)
        .where(LocalAuthority.code == la_code)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().first()
        if row is None:
            return None
        summary = dict(row)
        phases = connection.execute(
            select(School.phase, func.count())
            .where(School.la_code == la_code)
            .group_by(School.phase)
        ).all()
        summary["schools_by_phase"] = {phase or "unknown": count for phase, count in phases}
        summary["actions"] = connection.scalar(
            select(func.count())
            .select_from(Action)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.la_code == la_code)
        )
    return summary


def region_summary(engine: Engine, region_code: str) -> dict | None:
    """One region's name, its LAs' count and its schools' count, or None."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(Region.code, Region.name, Region.fictional).where(Region.code == region_code)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        summary = dict(row)
        summary["las"] = connection.scalar(
            select(func.count())
            .select_from(LocalAuthority)
            .where(LocalAuthority.region_code == region_code)
        )
        summary["schools"] = connection.scalar(
            select(func.count())
            .select_from(School)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(LocalAuthority.region_code == region_code)
        )
    return summary


def load_import_batches(engine: Engine) -> pd.DataFrame:
    """The import history, newest first: the provenance of every stored figure."""
    statement = select(
        ImportBatch.id,
        ImportBatch.file_name,
        ImportBatch.format,
        ImportBatch.checksum,
        ImportBatch.imported_by,
        ImportBatch.imported_at,
        ImportBatch.rows_loaded,
        ImportBatch.rows_rejected,
        ImportBatch.status,
        ImportBatch.licence,
        ImportBatch.published,
        ImportBatch.keeps_replaced,
    ).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    return _frame(engine, statement)


def count_observations(engine: Engine) -> pd.DataFrame:
    """Figures held per level: level, figures."""
    statement = (
        select(Observation.level, func.count().label("figures"))
        .group_by(Observation.level)
        .order_by(Observation.level)
    )
    return _frame(engine, statement)


# --- figures for one place, with disclosure control --------------------------------------------

FIGURE_FIELDS = (
    Observation.indicator_code,
    Observation.level,
    Observation.area_code,
    Observation.group_code,
    Observation.period,
    Observation.value,
    Observation.numerator,
    Observation.numerator_low,
    Observation.numerator_high,
    Observation.denominator,
    Observation.lower_ci,
    Observation.upper_ci,
    Observation.marker,
    Observation.pupils,
    Observation.published_vs_england,
    Observation.batch_id,
    Observation.withheld,  # the stored disclosure decision (ecm.disclosure.decisions)
)


class UnknownArea(LookupError):
    """Raised when a school, LA or region code is not in the store."""


def resolve_area(engine: Engine, level: str, code: str) -> dict:
    """The geography of a school (URN), LA (ONS code or 3-digit number) or region (ONS code).

    Returns level, code, name, the LA and region (code and name), the country code, and for a
    school its phase and % FSM. Raises :class:`UnknownArea` with a plain message if not found.
    """
    code = code.strip()
    with engine.connect() as connection:
        if level == "school":
            row = connection.execute(
                select(
                    School.urn,
                    School.name,
                    School.phase,
                    School.percent_fsm,
                    School.la_code,
                    School.fictional,
                    School.state_funded,
                ).where(School.urn == code)
            ).first()
            if row is None:
                raise UnknownArea(f"no school with URN {code!r} in the store")
            area = {"level": "school", "code": row.urn, "name": row.name, "phase": row.phase}
            area["fictional"] = bool(row.fictional)
            area["percent_fsm"] = row.percent_fsm
            # None where the type is not known (counted as state-funded in comparisons).
            area["state_funded"] = row.state_funded
            la_code = row.la_code
        elif level == "la":
            row = connection.execute(
                select(LocalAuthority.code, LocalAuthority.fictional).where(
                    (LocalAuthority.code == code) | (LocalAuthority.old_code == code.zfill(3))
                )
            ).first()
            if row is None:
                raise UnknownArea(f"no local authority with code or number {code!r} in the store")
            la_code = row.code
            area = {"level": "la", "code": la_code, "fictional": bool(row.fictional)}
        elif level == "region":
            la_code = None
            row = connection.execute(
                select(Region.code, Region.fictional).where(Region.code == code)
            ).first()
            if row is None:
                raise UnknownArea(f"no region with code {code!r} in the store")
            area = {"level": "region", "code": row.code, "fictional": bool(row.fictional)}
        else:
            raise ValueError(f"unknown level {level!r}")
        la = None
        region_code = code if level == "region" else None
        if la_code:
            la_row = connection.execute(
                select(LocalAuthority.code, LocalAuthority.name, LocalAuthority.region_code).where(
                    LocalAuthority.code == la_code
                )
            ).first()
            la = {"code": la_row.code, "name": la_row.name}
            region_code = la_row.region_code
        region_row = connection.execute(
            select(Region.code, Region.name, Region.country_code).where(Region.code == region_code)
        ).first()
    region = {"code": region_row.code, "name": region_row.name} if region_row else None
    if level == "la":
        area["name"] = la["name"]
    if level == "region":
        area["name"] = region["name"]
    area["la"] = la if level == "school" else None
    area["region"] = region if level != "region" else None
    area["country_code"] = region_row.country_code if region_row else None
    return area


def _figures(engine: Engine, level: str, area_codes: list[str]) -> pd.DataFrame:
    """Raw figures of the given areas at one level (index lookups, in chunks)."""
    frames = []
    for start in range(0, len(area_codes), 500):
        chunk = area_codes[start : start + 500]
        statement = select(*FIGURE_FIELDS).where(
            Observation.level == level, Observation.area_code.in_(chunk)
        )
        frames.append(_figure_frame(engine, statement))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[c.key for c in FIGURE_FIELDS])
    return pd.concat(frames, ignore_index=True)


def batch_sources(engine: Engine, batch_ids: list[int]) -> dict[int, dict]:
    """Import batch id -> its file name, format, date and licence (provenance of figures)."""
    if not batch_ids:
        return {}
    statement = select(
        ImportBatch.id,
        ImportBatch.file_name,
        ImportBatch.format,
        ImportBatch.imported_at,
        ImportBatch.licence,
    ).where(ImportBatch.id.in_(batch_ids))
    with engine.connect() as connection:
        return {
            row.id: {
                "file": row.file_name,
                "format": row.format,
                "imported": str(row.imported_at)[:10],
                "licence": row.licence,
            }
            for row in connection.execute(statement)
        }


def indicator_statistics(engine: Engine) -> dict[str, str]:
    """Indicator code -> statistic kind (what disclosure control and intervals need)."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Indicator.code, Indicator.statistic)).all())


def load_area_figures(engine: Engine, area: dict, rules=None) -> pd.DataFrame:  # noqa: ANN001
    """Every figure of an area and of the areas it is compared with, after disclosure control.

    For a school: the school, its LA, region and country; for an LA: the LA, its region and
    country; for a region: the region and country. Where the decisions stored after the last
    load are current (:mod:`ecm.disclosure.decisions`), only these areas' rows are read;
    otherwise each level's figures are decided here together with their siblings (the other
    schools of the LA, the other LAs of the region). Either way a figure is withheld or shown
    the same way on every page. Returns only the requested areas' rows, with a ``suppressed``
    column.
    """
    from ecm.disclosure.decisions import (
        all_decided,
        apply_stored,
        decisions_current,
        with_published,
    )
    from ecm.disclosure.rules import apply_disclosure_control

    wanted: list[tuple[str, str]] = [(area["level"], area["code"])]
    if area.get("la"):
        wanted.append(("la", area["la"]["code"]))
    if area.get("region"):
        wanted.append(("region", area["region"]["code"]))
    if area.get("country_code"):
        wanted.append(("england", area["country_code"]))
    if decisions_current(engine, rules):
        figures = _figures_of(engine, wanted)
        if all_decided(figures):
            return shown_to_viewer(apply_stored(figures))
    statistics = indicator_statistics(engine)
    frames = []
    for level, code in wanted:
        family, parent_of = _family(engine, level, code)
        figures = with_published(engine, _figures(engine, level, family).drop(columns="withheld"))
        controlled = apply_disclosure_control(figures, statistics, rules, parent_of)
        frames.append(controlled[controlled["area_code"] == code])
    return shown_to_viewer(pd.concat(frames, ignore_index=True))


def _figures_of(engine: Engine, places: list[tuple[str, str]]) -> pd.DataFrame:
    """Raw figures of a few places, each given as (level, code), in one read."""
    statement = select(*FIGURE_FIELDS).where(
        or_(*(and_(Observation.level == lv, Observation.area_code == c) for lv, c in places))
    )
    return _figure_frame(engine, statement)


def _family(engine: Engine, level: str, code: str) -> tuple[list[str], pd.Series | None]:
    """The area and its siblings under the same parent, with the child -> parent mapping."""
    with engine.connect() as connection:
        if level == "school":
            la, state_funded = connection.execute(
                select(School.la_code, School.state_funded).where(School.urn == code)
            ).first() or (None, None)
            if state_funded is False:
                # An independent school's figures are not part of its LA's (state-funded) ones.
                return [code], None
            urns = connection.scalars(
                select(School.urn).where(School.la_code == la, School.state_funded.is_not(False))
            ).all()
            return list(urns) or [code], pd.Series(la, index=list(urns) or [code])
        if level == "la":
            region = connection.scalar(
                select(LocalAuthority.region_code).where(LocalAuthority.code == code)
            )
            codes = connection.scalars(
                select(LocalAuthority.code).where(LocalAuthority.region_code == region)
            ).all()
            return list(codes) or [code], pd.Series(region, index=list(codes) or [code])
        if level == "region":
            country = connection.scalar(select(Region.country_code).where(Region.code == code))
            codes = connection.scalars(
                select(Region.code).where(Region.country_code == country)
            ).all()
            return list(codes) or [code], pd.Series(country, index=list(codes) or [code])
    return [code], None


def load_school_benchmarks(
    engine: Engine, phase: str, fsm_band: str, periods: list[str], schools: str = STATE_FUNDED
) -> pd.DataFrame:
    """Pooled similar-school counts (``fsm_band`` given) or phase quartiles (``fsm_band`` =
    ``all``) for the periods: indicator_code, group_code, period, schools (pooled, or with a
    value), left_out (not pooled for a missing count), numerator, denominator, q1, median, q3.
    Among the set ``schools`` (``ecm.store.school_types``): state-funded schools, or all
    schools, whose rows are stored only where they differ (``ecm.figures.school_pools``), so
    the state-funded row stands in for a figure the wider set has no row of its own for."""
    from ecm.store.models import SchoolBenchmark as B

    labels = sorted({benchmark_band(fsm_band, STATE_FUNDED), benchmark_band(fsm_band, schools)})
    statement = select(
        B.indicator_code,
        B.group_code,
        B.period,
        B.schools,
        B.left_out,
        B.numerator,
        B.denominator,
        B.q1,
        B.median,
        B.q3,
        B.fsm_band,
    ).where(B.phase == phase, B.fsm_band.in_(labels), B.period.in_(periods))
    frame = _frame(engine, statement)
    chosen = benchmark_band(fsm_band, schools)
    # The chosen set's own row first, then drop the state-funded row it replaces.
    frame = frame.sort_values("fsm_band", key=lambda b: b != chosen, kind="stable")
    frame = frame.drop_duplicates(["indicator_code", "group_code", "period"])
    return frame.drop(columns="fsm_band").reset_index(drop=True)


def load_neighbour_codes(engine: Engine, la_code: str) -> list[str]:
    """An LA's statistical neighbours, closest first."""
    from ecm.store.models import StatisticalNeighbour

    with engine.connect() as connection:
        return list(
            connection.scalars(
                select(StatisticalNeighbour.neighbour_code)
                .where(StatisticalNeighbour.la_code == la_code)
                .order_by(StatisticalNeighbour.rank)
            ).all()
        )


def load_peer_figures(engine: Engine, level: str, periods: list[str]) -> pd.DataFrame:
    """Every LA's (or region's) figures in the periods, after disclosure control: the set an
    area is ranked in and its neighbours are averaged from."""
    from ecm.disclosure.decisions import control

    if level == "la":
        with engine.connect() as connection:
            rows = connection.execute(select(LocalAuthority.code, LocalAuthority.region_code)).all()
    elif level == "region":
        with engine.connect() as connection:
            rows = connection.execute(select(Region.code, Region.country_code)).all()
    else:
        raise ValueError(f"peers are LAs or regions, not {level!r}")
    parent_of = pd.Series(dict(rows))
    figures = _figure_frame(
        engine,
        select(*FIGURE_FIELDS).where(
            Observation.level == level, Observation.period.in_(sorted(periods))
        ),
    )
    figures = figures[figures["area_code"].isin(parent_of.index)]
    return shown_to_viewer(
        control(engine, figures, lambda: indicator_statistics(engine), parent_of)
    )


def plan_targets_statement() -> Select:
    """The select of plan actions that target an indicator and group, by action: plan_id,
    action_id, title, status, lead_partner, scope, indicator_code, group_code, baseline and
    target (filter it by LA, plan or school)."""
    from ecm.store.models import ActionTarget

    return (
        select(
            Plan.id.label("plan_id"),
            Action.id.label("action_id"),
            Action.title,
            Action.status,
            Action.lead_partner,
            Action.scope,
            ActionTarget.indicator_code,
            ActionTarget.group_code,
            ActionTarget.baseline_gap,
            ActionTarget.target_gap,
            ActionTarget.target_period,
        )
        .join(ActionTarget, ActionTarget.action_id == Action.id)
        .join(Plan, Plan.id == Action.plan_id)
        .order_by(Action.id)
    )


def load_plan_targets(
    engine: Engine, la_code: str, urn: str | None = None, plan_id: int | None = None
) -> pd.DataFrame:
    """The LA's plan actions that target an indicator and group: action_id, title, status,
    lead_partner, scope, indicator_code, group_code, baseline and target. With ``urn``, only
    the actions that reach that school: whole-area and locality actions, and school-scoped
    actions that list it. With ``plan_id``, only that plan's (every plan's otherwise)."""
    from ecm.store.models import ActionSchool

    statement = plan_targets_statement().where(Plan.la_code == la_code)
    if urn is not None:
        listed = exists().where(ActionSchool.action_id == Action.id, ActionSchool.urn == urn)
        statement = statement.where((Action.scope != "schools") | listed)
    if plan_id is not None:
        statement = statement.where(Plan.id == plan_id)
    return targets_shown_to_viewer(_frame(engine, statement).drop(columns="plan_id"), la_code)


def load_coverage(engine: Engine) -> pd.DataFrame:
    """How many places have each indicator in each period and level, and how many of those
    figures are markers: indicator_code, level, period, places, markers."""
    statement = (
        select(
            Observation.indicator_code,
            Observation.level,
            Observation.period,
            func.count().label("places"),
            func.count(Observation.marker).label("markers"),
        )
        .group_by(Observation.indicator_code, Observation.level, Observation.period)
        .order_by(Observation.indicator_code, Observation.period, Observation.level)
    )
    return _frame(engine, statement)


def load_register_coverage(engine: Engine) -> pd.DataFrame:
    """Per LA, the real schools the store holds and how many are missing from the register.

    A school a results file names is created from that file's columns; a Get Information About
    Schools import fills in its status. Schools without a status have not been matched to a
    register extract (new, closed or outside the extract): la_code, la_name, schools, in_register,
    missing_from_register.
    """
    registered = func.count(School.status)
    statement = (
        select(
            School.la_code,
            LocalAuthority.name.label("la_name"),
            func.count().label("schools"),
            registered.label("in_register"),
            (func.count() - registered).label("missing_from_register"),
        )
        .join(LocalAuthority, LocalAuthority.code == School.la_code, isouter=True)
        .where(School.fictional.is_(False))
        .group_by(School.la_code, LocalAuthority.name)
        .order_by(LocalAuthority.name)
    )
    return _frame(engine, statement)


def load_reconciliation(engine: Engine, min_count: int = 6) -> pd.DataFrame:
    """School figures added up to their LA against the LA figures the files publish.

    For every indicator, group and period with both: schools, the schools' summed denominator
    and pooled value, the LA's published denominator and value, and the differences. A
    difference of fewer than ``min_count`` pupils is not shown as a number (it would reveal a
    small count) but as "under 6".
    """
    school_totals = (
        select(
            Observation.indicator_code,
            Observation.group_code,
            Observation.period,
            School.la_code,
            func.count().label("schools"),
            func.sum(Observation.numerator).label("school_numerator"),
            func.sum(Observation.denominator).label("school_denominator"),
        )
        .join(School, School.urn == Observation.area_code)
        .where(
            Observation.level == "school",
            Observation.numerator.is_not(None),
            Observation.denominator.is_not(None),
        )
        .group_by(
            Observation.indicator_code, Observation.group_code, Observation.period, School.la_code
        )
    ).subquery()
    la = Observation.__table__.alias("la_row")
    statement = (
        select(
            school_totals,
            LocalAuthority.name.label("la_name"),
            la.c.value.label("la_value"),
            la.c.denominator.label("la_denominator"),
        )
        .join(
            la,
            (la.c.level == "la")
            & (la.c.area_code == school_totals.c.la_code)
            & (la.c.indicator_code == school_totals.c.indicator_code)
            & (la.c.group_code == school_totals.c.group_code)
            & (la.c.period == school_totals.c.period),
        )
        .join(LocalAuthority, LocalAuthority.code == school_totals.c.la_code)
    )
    frame = _frame(engine, statement)
    if frame.empty:
        return frame
    multipliers = frame["indicator_code"].map(
        load_indicators(engine).set_index("code")["multiplier"]
    )
    frame["school_value"] = frame["school_numerator"] / frame["school_denominator"] * multipliers
    frame["value_difference"] = (frame["school_value"] - frame["la_value"]).round(2)
    frame["differs"] = frame["value_difference"].abs() > 1  # more than one unit (point)
    difference = frame["la_denominator"] - frame["school_denominator"]
    frame["pupils_not_in_school_rows"] = difference.where(
        (difference.abs() >= min_count) | (difference == 0)
    ).astype(object)
    frame.loc[frame["pupils_not_in_school_rows"].isna(), "pupils_not_in_school_rows"] = (
        f"under {min_count}"
    )
    return frame.drop(columns=["school_numerator"])
