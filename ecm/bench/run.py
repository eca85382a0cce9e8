"""The benchmark behind ``python -m ecm bench``: how fast the store is built and read.

Each run builds the demo at the chosen scale in a fresh database (a temporary SQLite file unless
``--database-url`` names another), then times the reads the pages depend on; with ``--browser``
also each page's first full render in Chromium (:mod:`ecm.bench.browser`). Figures are wall
clock on this machine; run it twice and compare like with like.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, func, select, text

from ecm.config import ENV_DATABASE_URL
from ecm.demo.build import build_demo
from ecm.figures import queries
from ecm.store.engine import make_engine
from ecm.store.models import LocalAuthority, Observation, School


@dataclass
class BenchResult:
    """What one benchmark run measured (seconds unless named otherwise)."""

    scale: str
    database: str
    build_seconds: float = 0.0
    database_bytes: int | None = None
    observations: int = 0
    schools: int = 0
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    #: Page -> seconds to first full render in the browser, ``cold_s`` and ``warm_s``.
    browser: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain data for JSON output."""
        return asdict(self)


def run_benchmark(
    scale: str = "small", database_url: str | None = None, repeats: int = 50, browser: bool = False
) -> BenchResult:
    """Build the demo at ``scale`` and time the hot reads (and, with ``browser``, each page's
    first full render in Chromium); returns the measurements."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = database_url or f"sqlite:///{path}"
        engine = make_engine(url)
        result = BenchResult(scale=scale, database=engine.dialect.name)
        started = time.perf_counter()
        summary = build_demo(engine, scale=scale)
        result.build_seconds = round(time.perf_counter() - started, 2)
        result.observations = summary.observations
        result.schools = summary.schools
        result.database_bytes = _database_bytes(engine, path if database_url is None else None)
        result.timings = _time_reads(engine, repeats)
        result.timings.update(_time_analysis(engine, url, max(3, repeats // 10)))
        if browser:
            from ecm.bench.browser import bench_pages, time_first_renders

            result.browser = time_first_renders(url, bench_pages(engine))
        engine.dispose()
    return result


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
    return _time_cases(cases, rng, repeats)


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
    profile_samples = []
    chosen = [str(u) for u in rng.choice(urns, size=repeats)]
    for urn in chosen:
        started = time.perf_counter()
        build_profile(engine, "school", urn)
        profile_samples.append((time.perf_counter() - started) * 1000)
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
        "school profile, whole (in process)": _summary(profile_samples),
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
    return _time_cases(cases, rng, repeats)


def _time_cases(
    cases: dict[str, tuple[Callable[[str], object], list[str]]],
    rng: np.random.Generator,
    repeats: int,
) -> dict[str, dict[str, float]]:
    """Median and 95th-percentile milliseconds of each case, run on random keys."""
    timings = {}
    for name, (run, keys) in cases.items():
        samples = []
        for key in rng.choice(keys, size=repeats):
            started = time.perf_counter()
            run(str(key))
            samples.append((time.perf_counter() - started) * 1000)
        timings[name] = _summary(samples)
    return timings


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
        f"demo build, scale {result.scale} on {result.database}: {result.build_seconds:.1f} s, "
        f"{result.schools:,} schools, {result.observations:,} figures, database {size}",
        f"{'read':<60} {'median ms':>10} {'p95 ms':>10}",
    ]
    for name, timing in result.timings.items():
        lines.append(f"{name:<60} {timing['median_ms']:>10.2f} {timing['p95_ms']:>10.2f}")
    if result.browser:
        lines.append(f"{'first full render in Chromium':<60} {'cold s':>10} {'warm s':>10}")
        for name, timing in result.browser.items():
            lines.append(f"{name:<60} {timing['cold_s']:>10.2f} {timing['warm_s']:>10.2f}")
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
