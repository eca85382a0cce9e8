"""The benchmark behind ``python -m ecm bench``: how fast the store is built and read.

Each run builds the demo at the chosen scale in a fresh database (a temporary SQLite file unless
``--database-url`` names another), then times the reads the pages depend on and the analyses
behind each page, with the time those spend inside the database driver (the page's queries
alone: the floor); with ``--browser`` also each page's full render in Chromium, sessions opened
at once and the app process's peak memory (:mod:`ecm.bench.browser`). Figures are wall clock on
this machine; run it twice and compare like with like.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, event, func, select, text

from ecm.config import ENV_DATABASE_URL
from ecm.demo.build import build_demo
from ecm.demo.parameters import LEVEL_YEARS
from ecm.figures import queries
from ecm.store.engine import make_engine
from ecm.store.models import LocalAuthority, Observation, School

#: Each page the browser part opens, and the analysis behind its server run.
PAGE_ANALYSES = {
    "school": "school profile, whole (in process)",
    "area": "area page (LA overview)",
    "region": "region page (region overview)",
    "gaps": "gap explorer, all schools (ni_73, disadvantaged)",
}


@dataclass
class BenchResult:
    """What one benchmark run measured (seconds unless named otherwise)."""

    scale: str
    database: str
    years: int = LEVEL_YEARS
    build_s: float = 0.0
    database_bytes: int | None = None
    observations: int = 0
    schools: int = 0
    #: Read or analysis -> ``median_ms``, ``p95_ms`` (and for analyses ``queries_ms``: the
    #: median time inside the database driver).
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    #: Page -> ``cold_s``, ``warm_s``, ``p95_s`` (full renders in Chromium, with --browser),
    #: ``server_s`` (the analyses behind it, in process, uncached) and ``queries_s`` (their
    #: time inside the database driver).
    pages: dict[str, dict[str, float | None]] = field(default_factory=dict)
    #: Sessions opened at once (with --browser --sessions N): count, p50_s, p95_s, errors.
    sessions: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float | None = None
    import_rows_per_s: float | None = None

    def as_dict(self) -> dict:
        """Plain data for JSON output."""
        return asdict(self)


def run_benchmark(
    scale: str = "small",
    database_url: str | None = None,
    repeats: int = 50,
    years: int = LEVEL_YEARS,
    browser: bool = False,
    sessions: int = 0,
    import_sample: Path | None = None,
) -> BenchResult:
    """Build the demo at ``scale`` and time the hot reads and the pages' analyses (with
    ``browser``, each page's full render in Chromium and ``sessions`` sessions at once; with
    ``import_sample``, the import of a national-sized file of its shape); returns the
    measurements."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = database_url or f"sqlite:///{path}"
        engine = make_engine(url)
        result = BenchResult(scale=scale, database=engine.dialect.name, years=years)
        started = time.perf_counter()
        summary = build_demo(engine, scale=scale, years=years)
        result.build_s = round(time.perf_counter() - started, 2)
        result.observations = summary.observations
        result.schools = summary.schools
        result.database_bytes = _database_bytes(engine, path if database_url is None else None)
        result.timings = _time_reads(engine, repeats)
        result.timings.update(_time_analysis(engine, url, max(3, repeats // 10)))
        rendered = {}
        if browser:
            from ecm.bench.browser import bench_pages, time_first_renders

            run = time_first_renders(url, bench_pages(engine), sessions=sessions)
            rendered, result.sessions, result.peak_rss_mb = run.pages, run.sessions, run.peak_rss_mb
        result.pages = _pages(result.timings, rendered)
        if import_sample is not None:
            measured = run_import_benchmark(import_sample)
            result.import_rows_per_s = round(measured["figures"] / measured["seconds"])
        engine.dispose()
    return result


def _pages(
    timings: dict[str, dict[str, float]], rendered: dict[str, dict[str, float]]
) -> dict[str, dict[str, float | None]]:
    """Each page: its renders in the browser (when timed) beside its server analysis and that
    analysis's queries, in seconds."""
    pages: dict[str, dict[str, float | None]] = {}
    for page in dict.fromkeys([*rendered, *PAGE_ANALYSES]):
        render = rendered.get(page, {})
        analysis = timings.get(PAGE_ANALYSES.get(page, ""), {})
        pages[page] = {
            "cold_s": render.get("cold_s"),
            "warm_s": render.get("warm_s"),
            "p95_s": render.get("p95_s"),
            "server_s": _seconds(analysis.get("median_ms")),
            "queries_s": _seconds(analysis.get("queries_ms")),
        }
    return pages


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else round(ms / 1000, 3)


def _database_bytes(engine: Engine, path: Path | None) -> int | None:
    """Size of the database: the SQLite file (after a checkpoint), or PostgreSQL's own count."""
    if path is not None:
        with engine.begin() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return path.stat().st_size
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    return None


def _time_reads(engine: Engine, repeats: int) -> dict[str, dict[str, float]]:
    """Median and 95th-percentile milliseconds of each read, over random schools and LAs."""
    rng = np.random.default_rng(1)
    with engine.connect() as connection:
        urns = connection.scalars(select(School.urn)).all()
        las = connection.scalars(select(LocalAuthority.code)).all()
        periods = connection.scalars(
            select(Observation.period).where(Observation.indicator_code == "ni_73").distinct()
        ).all()
    latest = max(periods)

    def school_profile(urn: str) -> None:
        with engine.connect() as connection:
            connection.execute(
                select(Observation).where(
                    Observation.level == "school", Observation.area_code == urn
                )
            ).all()

    def la_profile(code: str) -> None:
        with engine.connect() as connection:
            connection.execute(
                select(Observation).where(Observation.level == "la", Observation.area_code == code)
            ).all()

    def league(_code: str) -> None:
        with engine.connect() as connection:
            connection.execute(
                select(Observation.area_code, Observation.value).where(
                    Observation.indicator_code == "ni_73",
                    Observation.period == latest,
                    Observation.level == "school",
                    Observation.group_code == "disadvantaged",
                )
            ).all()

    def schools_of_la(code: str) -> None:
        queries.load_schools(engine, code)

    def count(_code: str) -> None:
        with engine.connect() as connection:
            connection.scalar(select(func.count()).select_from(School))

    cases: dict[str, tuple[Callable[[str], None], list[str]]] = {
        "school profile (one school's figures)": (school_profile, list(urns)),
        "LA profile (one LA's figures)": (la_profile, list(las)),
        "school league (one indicator, group, year)": (league, list(las)),
        "schools of one LA (register)": (schools_of_la, list(las)),
        "count schools": (count, list(las)),
    }
    return _time_cases(cases, rng, repeats, engine)


def _time_analysis(engine: Engine, url: str, repeats: int) -> dict[str, dict[str, float]]:
    """Gaps for one indicator across every school, and whole profiles (in process and CLI)."""
    import os
    import subprocess
    import sys

    import pandas as pd

    from ecm.places.profile import build_profile
    from ecm.stats.gaps import compute_gaps

    catalogue = queries.load_indicators(engine)
    with engine.connect() as connection:
        latest = connection.scalar(
            select(func.max(Observation.period)).where(Observation.indicator_code == "ni_73")
        )
        frame = pd.read_sql_query(
            select(*queries.FIGURE_FIELDS).where(
                Observation.indicator_code == "ni_73", Observation.period == latest
            ),
            connection,
        )
        schools = dict(connection.execute(select(School.urn, School.la_code)).all())
        urns = connection.scalars(
            select(School.urn).where(School.phase == "primary").order_by(School.urn)
        ).all()
    country = frame.loc[frame["level"] == "england", "area_code"].iloc[0]
    la_of = pd.Series(schools)
    gap_cases = {}
    for label, groups in (
        ("disadvantaged", {"disadvantaged": "not_disadvantaged"}),
        (
            "3 focus groups",
            {"disadvantaged": "not_disadvantaged", "sen": "no_sen", "boys": "girls"},
        ),
    ):
        samples, count = [], 0
        for _ in range(repeats):
            started = time.perf_counter()
            gaps = compute_gaps(frame, catalogue, groups, la_of_school=la_of, national_code=country)
            samples.append((time.perf_counter() - started) * 1000)
            count = int((gaps["level"] == "school").sum())
        gap_cases[f"gaps with intervals, ni_73, all schools, {label} ({count:,})"] = _summary(
            samples
        )
    rng = np.random.default_rng(2)
    profile_samples, profile_queries = [], []
    chosen = [str(u) for u in rng.choice(urns, size=repeats)]
    for urn in chosen:
        with query_time(engine) as spent:
            started = time.perf_counter()
            build_profile(engine, "school", urn)
            profile_samples.append((time.perf_counter() - started) * 1000)
        profile_queries.append(spent[0] * 1000)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ecm", "profile", "--school", chosen[0], "--format", "json"],
        env={**os.environ, ENV_DATABASE_URL: url},
        capture_output=True,
        check=True,
    )
    cli_ms = (time.perf_counter() - started) * 1000
    return {
        **gap_cases,
        **_time_pages(engine, max(2, repeats // 10)),
        "school profile, whole (in process)": {
            **_summary(profile_samples),
            "queries_ms": round(statistics.median(profile_queries), 2),
        },
        "school profile, command line (incl. start-up)": _summary([cli_ms]),
    }


def _time_pages(engine: Engine, repeats: int) -> dict[str, dict[str, float]]:
    """The analyses behind each page's server run (what a warm page computes, uncached):
    the area and region overviews and the national gap explorer at school level."""
    from ecm.packs import make_pack
    from ecm.packs.region import over_time_workbook
    from ecm.places.explorer import explore_gaps
    from ecm.places.overview import area_overview, region_overview

    rng = np.random.default_rng(3)
    with engine.connect() as connection:
        las = connection.scalars(select(LocalAuthority.code)).all()
        regions = connection.scalars(select(LocalAuthority.region_code).distinct()).all()
        urns = connection.scalars(select(School.urn)).all()
    cases = {
        "area page (LA overview)": (lambda code: area_overview(engine, code), las),
        "region page (region overview)": (lambda code: region_overview(engine, code), regions),
        "gap explorer, all schools (ni_73, disadvantaged)": (
            lambda _code: explore_gaps(engine, "ni_73", "disadvantaged", "school"),
            las,
        ),
        # Meeting packs (issue targets on the small demo: LA under 20 s, school under 10 s).
        **{
            f"meeting pack, {noun} (.{fmt})": (
                lambda key, level=level, fmt=fmt: make_pack(engine, level, key, fmt=fmt),
                keys,
            )
            for noun, level, keys in (("school", "school", urns), ("LA", "la", las))
            for fmt in ("pdf", "pptx", "xlsx")
        },
        "region's authorities over time (.xlsx)": (
            lambda code: over_time_workbook(engine, code, dt.date.today()),
            regions,
        ),
    }
    return _time_cases(cases, rng, repeats, engine)


def _time_cases(
    cases: dict[str, tuple[Callable[[str], object], list[str]]],
    rng: np.random.Generator,
    repeats: int,
    engine: Engine,
) -> dict[str, dict[str, float]]:
    """Median and 95th-percentile milliseconds of each case, run on random keys, and the
    median of the time each run spent inside the database driver on ``engine``."""
    timings = {}
    for name, (run, keys) in cases.items():
        samples, in_queries = [], []
        for key in rng.choice(keys, size=repeats):
            with query_time(engine) as spent:
                started = time.perf_counter()
                run(str(key))
                samples.append((time.perf_counter() - started) * 1000)
            in_queries.append(spent[0] * 1000)
        timings[name] = {**_summary(samples), "queries_ms": round(statistics.median(in_queries), 2)}
    return timings


@contextmanager
def query_time(engine: Engine) -> Iterator[list[float]]:
    """A block whose statements on ``engine`` are timed: yields a one-item list holding the
    seconds spent inside the driver's execute so far. PostgreSQL (psycopg) has every row by
    the end of execute; SQLite steps through rows as they are fetched, so there it is a lower
    bound of the queries' time."""
    spent = [0.0]
    key = "ecm_bench_started"

    def before(connection, *_args) -> None:  # noqa: ANN001
        connection.info.setdefault(key, []).append(time.perf_counter())

    def after(connection, *_args) -> None:  # noqa: ANN001
        spent[0] += time.perf_counter() - connection.info[key].pop()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _summary(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "median_ms": round(statistics.median(samples), 2),
        # Nearest rank, rounded up, so that with few samples it is never below the median.
        "p95_ms": round(samples[math.ceil(0.95 * (len(samples) - 1))], 2),
    }


def format_result(result: BenchResult) -> str:
    """A plain-text report of a benchmark run."""
    size = f"{result.database_bytes / 2**20:,.0f} MiB" if result.database_bytes else "unknown"
    lines = [
        f"demo build, scale {result.scale} ({result.years} years) on {result.database}: "
        f"{result.build_s:.1f} s, {result.schools:,} schools, {result.observations:,} figures, "
        f"database {size}",
        f"{'read or analysis':<60} {'median ms':>10} {'p95 ms':>10} {'in db ms':>10}",
    ]
    for name, timing in result.timings.items():
        queries = timing.get("queries_ms")
        lines.append(
            f"{name:<60} {timing['median_ms']:>10.2f} {timing['p95_ms']:>10.2f} "
            f"{'' if queries is None else f'{queries:.2f}':>10}"
        )
    lines.append(
        f"{'page (seconds)':<36} {'cold':>8} {'warm':>8} {'p95':>8} {'server':>8} {'queries':>8}"
    )
    for name, page in result.pages.items():
        cells = [
            "" if page.get(k) is None else f"{page[k]:.2f}"
            for k in ("cold_s", "warm_s", "p95_s", "server_s", "queries_s")
        ]
        lines.append(f"{name:<36} " + " ".join(f"{c:>8}" for c in cells))
    if result.sessions:
        s = result.sessions
        lines.append(
            f"{s['count']} sessions at once: p50 {s['p50_s']} s, p95 {s['p95_s']} s, "
            f"{s['errors']} errors"
        )
    if result.peak_rss_mb is not None:
        lines.append(f"peak memory of the app process: {result.peak_rss_mb:,.0f} MB")
    if result.import_rows_per_s is not None:
        lines.append(f"import: {result.import_rows_per_s:,.0f} figures per second")
    return "\n".join(lines)


def run_import_benchmark(sample: Path, schools: int = 16_000) -> dict[str, float]:
    """Time the import of a national-sized performance-table file made from ``sample``'s shape.

    The sample's school rows (e.g. one LA's KS2 file) are copied until there are ``schools``
    rows, each copy given new URNs and spread over every LA number, so the file has the
    columns, markers and ragged rows of the real thing at national size.
    """
    import csv

    from ecm.importers.geography import la_lookup

    with sample.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [r for r in rows[1:] if r and r[0] in ("1", "2")]
    urn, lea = header.index("URN"), header.index("LEA")
    numbers = list(la_lookup().index)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / sample.name
        # Written row by row, so the benchmark's own copy of the file does not count
        # towards the import's peak memory.
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            for k in range(schools):
                row = list(body[k % len(body)])
                row[urn] = str(200000 + k)
                row[lea] = numbers[k % len(numbers)]
                writer.writerow(row)
        del rows, body
        measured = time_file_import(path)
    return {"rows": schools, "columns": len(header), **measured}


def time_file_import(path: Path) -> dict[str, float]:
    """Time importing one file as it is into a fresh SQLite store (e.g. the LAIT parquet)."""
    import resource

    from ecm.catalogue import load_catalogue, sync_catalogue
    from ecm.importers import import_file
    from ecm.store.engine import session_scope, upgrade_schema

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'import.db'}")
        upgrade_schema(engine)
        with session_scope(engine) as session:
            sync_catalogue(session, load_catalogue())
        started = time.perf_counter()
        outcome = import_file(engine, path)
        seconds = time.perf_counter() - started
        engine.dispose()
    return {
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "figures": outcome.figures,
        "seconds": round(seconds, 2),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }
