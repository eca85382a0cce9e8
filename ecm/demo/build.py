"""Build the fictional demo database: geography, observations at every level, and plans.

``python -m ecm demo --scale small|national`` calls :func:`build_demo`. The build is
deterministic for a seed, replaces any earlier demo data (and nothing else), and records one
import batch so every demo figure says where it came from: this generator, not a real source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, select, text

from ecm.catalogue import load_catalogue, sync_catalogue
from ecm.demo.accounts import create_demo_accounts, remove_demo_accounts
from ecm.demo.country import simulate_country
from ecm.demo.geography import SCALES
from ecm.demo.links import predecessors
from ecm.demo.parameters import LEVEL_YEARS
from ecm.demo.plans import build_plans
from ecm.disclosure.decisions import (
    decide_tree,
    record_decisions,
    refresh_withholding,
    stored_rules,
)
from ecm.disclosure.rules import DisclosureRules, apply_disclosure_control
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.store.changes import note_store_change
from ecm.store.engine import bulk_insert, loading_into_empty, session_scope, upgrade_schema
from ecm.store.models import (
    OBSERVATION_COLUMNS,
    Action,
    ActionSchool,
    ActionSpend,
    ActionTarget,
    ImportBatch,
    LocalAuthority,
    Observation,
    Plan,
    Priority,
    Region,
    School,
    SchoolLink,
    StatisticalNeighbour,
)

DEFAULT_SEED = 2008
DEMO_FORMAT = "demo"
DEMO_LICENCE = "Fictional demo data: invented for demonstration; describes no real school or area."
GENERATOR_VERSION = "1"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build produced."""

    scale: str
    seed: int
    years: int
    regions: int
    las: int
    schools: int
    observations: int
    actions: int


def build_demo(
    engine: Engine,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    accounts: bool = True,
    years: int = LEVEL_YEARS,
) -> DemoSummary:
    """Create (or replace) the fictional demo data, ``years`` years ending in 2009/10, in the
    store at ``engine``; with ``accounts``, one account per role with the demo password
    (``ecm.demo.accounts``)."""
    report = progress or (lambda _fraction, _message: None)
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    rng = np.random.default_rng(seed)
    report(0.02, "Preparing the database")
    upgrade_schema(engine)
    catalogue = load_catalogue()
    indicators = {row["code"]: row for row in catalogue.indicators}

    report(0.05, "Inventing regions, local authorities and schools")
    country = simulate_country(SCALES[scale], rng, indicators, report, years)
    geography, observations, region_of = (
        country.geography,
        country.observations,
        country.region_of,
    )
    las, schools = geography["local_authority"], geography["school"]

    report(0.65, "Drafting Children and Young People's Plans")
    plan_frames = build_plans(
        las,
        schools,
        _shown_la_values(observations, indicators, region_of),
        {code: row["polarity"] for code, row in indicators.items()},
        rng,
    )

    report(0.68, "Deciding disclosure control over every place")
    rules = DisclosureRules.from_environment()
    observations = _decided(observations, indicators, geography, rules)

    report(0.7, "Writing to the database")
    with session_scope(engine) as session:
        sync_catalogue(session, catalogue)
        remove_demo(session)
        batch = ImportBatch(
            file_name=f"fictional demo: scale {scale}, seed {seed}, {years} years",
            checksum=hashlib.sha256(
                f"demo:{scale}:{seed}:{years}:{GENERATOR_VERSION}".encode()
            ).hexdigest(),
            format=DEMO_FORMAT,
            imported_by="python -m ecm demo",
            rows_loaded=len(observations),
            status="loaded",
            licence=DEMO_LICENCE,
            note="Invented data for demonstration and testing. Not real figures.",
            # The demo stands in for data not published openly, so the threshold applies.
            published=False,
        )
        session.add(batch)
        session.flush()
        connection = session.connection()
        note_store_change(connection, "demo")  # other app processes read afresh
        for table in ("region", "local_authority", "school"):
            bulk_insert(connection, table, geography[table])
        # Closed predecessors with no figures of their own, linked as the register links them.
        old_schools, links = predecessors(geography["school"])
        bulk_insert(connection, "school", old_schools)
        bulk_insert(connection, "school_link", links)
        others_decided = _others_decided(connection, rules)
        observations["batch_id"] = batch.id
        columns = [c for c in OBSERVATION_COLUMNS if c in observations]
        with loading_into_empty(connection, "observation"):
            bulk_insert(connection, "observation", observations[[*columns, *DECIDED_COLUMNS]])
        _insert_plans(session, plan_frames)
        bulk_insert(connection, "statistical_neighbour", statistical_neighbours(las))
        report(0.9, "Recording the disclosure decisions")
        if others_decided:  # the demo's figures were decided before they were written
            record_decisions(connection, rules)
        else:
            refresh_withholding(connection, rules=rules)
        # After the decisions: similar-school pools are summed over shown figures only.
        report(0.95, "Summarising schools for comparisons")
        refresh_school_benchmarks(connection)
        report(0.97, "Finishing")
    _analyse(engine)
    if accounts:
        create_demo_accounts(engine)
    report(1.0, "Demo data ready")
    return DemoSummary(
        scale=scale,
        seed=seed,
        years=years,
        regions=len(geography["region"]),
        las=len(las),
        schools=len(schools),
        observations=len(observations),
        actions=len(plan_frames["action"]),
    )


def statistical_neighbours(las: pd.DataFrame, count: int = 10) -> pd.DataFrame:
    """Each demo LA's ten closest LAs by deprivation score (real neighbour sets use many more
    characteristics; this is enough to exercise neighbour comparisons)."""
    scores = las["deprivation_score"].to_numpy()
    codes = las["code"].to_numpy()
    rows = []
    for i, code in enumerate(codes):
        order = np.argsort(np.abs(scores - scores[i]), kind="stable")
        neighbours = [j for j in order if j != i][: min(count, len(codes) - 1)]
        for rank, j in enumerate(neighbours, start=1):
            rows.append(
                {
                    "la_code": code,
                    "neighbour_code": codes[j],
                    "rank": rank,
                    "source": "fictional demo: closest by deprivation",
                }
            )
    return pd.DataFrame(rows, columns=["la_code", "neighbour_code", "rank", "source"])


def remove_demo(session) -> None:  # noqa: ANN001
    """Delete every fictional record: demo observations, plans, schools, LAs and regions."""
    demo_batches = select(ImportBatch.id).where(ImportBatch.format == DEMO_FORMAT)
    session.execute(delete(Observation).where(Observation.batch_id.in_(demo_batches)))
    session.execute(delete(ImportBatch).where(ImportBatch.format == DEMO_FORMAT))
    fictional_las = select(LocalAuthority.code).where(LocalAuthority.fictional.is_(True))
    plans = select(Plan.id).where(Plan.la_code.in_(fictional_las))
    actions = select(Action.id).where(Action.plan_id.in_(plans))
    for model in (ActionTarget, ActionSpend, ActionSchool):
        session.execute(delete(model).where(model.action_id.in_(actions)))
    session.execute(delete(Action).where(Action.plan_id.in_(plans)))
    session.execute(delete(Priority).where(Priority.plan_id.in_(plans)))
    session.execute(delete(Plan).where(Plan.la_code.in_(fictional_las)))
    fictional_schools = select(School.urn).where(School.fictional.is_(True))
    session.execute(delete(SchoolLink).where(SchoolLink.urn.in_(fictional_schools)))
    session.execute(delete(School).where(School.fictional.is_(True)))
    session.execute(
        delete(StatisticalNeighbour).where(
            StatisticalNeighbour.la_code.in_(fictional_las)
            | StatisticalNeighbour.neighbour_code.in_(fictional_las)
        )
    )
    session.execute(delete(LocalAuthority).where(LocalAuthority.fictional.is_(True)))
    session.execute(delete(Region).where(Region.fictional.is_(True)))
    remove_demo_accounts(session)


def _insert_plans(session, frames: dict[str, pd.DataFrame]) -> None:  # noqa: ANN001
    """Insert the plan tables, offsetting the generated ids past any existing rows."""
    connection = session.connection()
    offsets = {}
    for table, model in (("plan", Plan), ("priority", Priority), ("action", Action)):
        offsets[table] = session.scalar(select(func.coalesce(func.max(model.id), 0)))
    plan, priority, action = (
        frames["plan"].copy(),
        frames["priority"].copy(),
        frames["action"].copy(),
    )
    plan["id"] += offsets["plan"]
    priority["id"] += offsets["priority"]
    priority["plan_id"] += offsets["plan"]
    action["id"] += offsets["action"]
    action["plan_id"] += offsets["plan"]
    action["priority_id"] += offsets["priority"]
    bulk_insert(connection, "plan", plan)
    bulk_insert(connection, "priority", priority)
    bulk_insert(connection, "action", action)
    for table in ("action_target", "action_spend", "action_school"):
        frame = frames[table].copy()
        if frame.empty:
            continue
        frame["action_id"] += offsets["action"]
        if "id" in frame:
            frame = frame.drop(columns="id")
        bulk_insert(connection, table, frame)
    if connection.dialect.name == "postgresql":
        # COPY with explicit ids leaves the sequences behind; move them past the new rows.
        for table in ("plan", "priority", "action"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )


#: Besides the figures' own columns, the demo writes their batch and their disclosure decisions,
#: taken before writing.
DECIDED_COLUMNS = ["batch_id", "withheld", "withheld_reason"]


def _decided(
    observations: pd.DataFrame,
    indicators: dict,
    geography: dict[str, pd.DataFrame],
    rules: DisclosureRules,
) -> pd.DataFrame:
    """The demo's figures with the decisions a load would store (``withheld``,
    ``withheld_reason``), taken over its whole tree here, one indicator at a time, as
    :func:`ecm.disclosure.decisions.refresh_withholding` takes them: deciding 7 million
    figures in memory, then writing them once, is much quicker than writing and then
    updating them."""
    schools, las, regions = (
        geography["school"], geography["local_authority"], geography["region"]
    )  # fmt: skip
    parents = pd.concat(
        [
            pd.Series(("la:" + schools["la_code"]).to_numpy(), index="school:" + schools["urn"]),
            pd.Series(("region:" + las["region_code"]).to_numpy(), index="la:" + las["code"]),
            pd.Series(
                ("england:" + regions["country_code"]).to_numpy(), index="region:" + regions["code"]
            ),
        ]
    )
    statistics = {code: row["statistic"] for code, row in indicators.items()}
    withheld = np.zeros(len(observations), bool)
    reasons = np.full(len(observations), None, object)
    figures = observations.assign(published=False)  # the demo stands in for unpublished data
    for rows in figures.groupby("indicator_code", sort=False).indices.values():
        withheld[rows], reasons[rows] = decide_tree(figures.iloc[rows], statistics, parents, rules)
    return observations.assign(withheld=withheld, withheld_reason=reasons)


def _others_decided(connection, rules: DisclosureRules) -> bool:  # noqa: ANN001
    """Whether every figure in the store besides the demo's carries its decision under
    ``rules`` (true of a store with no other figures), so the demo's own decisions complete
    the store's. Read before writing, which forgets the stored state."""
    if connection.scalar(select(Observation.id).limit(1)) is None:
        return True
    return stored_rules(connection) == rules


def _analyse(engine: Engine) -> None:
    """Refresh the planner's statistics after a bulk load, so index lookups are chosen."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def _shown_la_values(
    observations: pd.DataFrame, indicators: dict, region_of: pd.Series | dict
) -> pd.DataFrame:
    """The LA figures a plan may quote as baselines: those disclosure control shows, so that
    no target repeats a withheld figure."""
    la = observations[observations["level"] == "la"]
    statistic = {code: row["statistic"] for code, row in indicators.items()}
    shown = apply_disclosure_control(la, statistic, parent_of=pd.Series(region_of))
    return shown[~shown["suppressed"]]
