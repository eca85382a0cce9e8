"""The benchmark runs end to end and reports every measurement (values, not timings)."""

from __future__ import annotations

import json

import pytest

from ecm.bench.run import format_result, run_benchmark
from tests.helpers import KS2, new_database_url, on_postgres, run


def test_bench_builds_the_demo_and_times_every_read(tmp_path) -> None:
    url = new_database_url(tmp_path) if on_postgres() else None
    result = run_benchmark("tiny", url, repeats=5)
    assert result.scale == "tiny"
    assert result.schools > 100 and result.observations > 10_000
    assert result.database_bytes and result.database_bytes > 1_000_000
    assert {
        "school profile (one school's figures)",
        "LA profile (one LA's figures)",
        "school league (one indicator, group, year)",
        "schools of one LA (register)",
        "count schools",
        "school profile, whole (in process)",
        "school profile, command line (incl. start-up)",
        "meeting pack, school (.xlsx)",
        "meeting pack, LA (.xlsx)",
    } <= set(result.timings)
    gap_case = next(name for name in result.timings if "3 focus groups" in name)
    # Three kinds of gap for three focus groups in every primary school that has the groups.
    assert int(gap_case.split("(")[1].rstrip(")").replace(",", "")) > 100
    assert all(
        t["median_ms"] >= 0 and t["p95_ms"] >= t["median_ms"] for t in result.timings.values()
    )
    # Each page's server analysis beside its queries alone (no browser: no renders).
    assert set(result.pages) == {"school", "area", "region", "gaps"}
    for page in result.pages.values():
        assert page["cold_s"] is None and page["warm_s"] is None
        assert 0 < page["queries_s"] <= page["server_s"]
    assert result.years == 5 and result.build_s > 0
    report = format_result(result)
    assert report.startswith("demo build, scale tiny (5 years) on ")
    assert "school profile" in report


@pytest.mark.realdata
def test_import_benchmark_builds_a_file_of_the_sample_shape() -> None:
    from ecm.bench.run import run_import_benchmark

    measured = run_import_benchmark(KS2, schools=400)
    assert measured["rows"] == 400 and measured["columns"] == 318
    assert measured["figures"] > 400 * 10
    assert measured["seconds"] > 0 and measured["peak_memory_mib"] > 0


@pytest.mark.e2e
def test_the_browser_option_times_each_page_cold_and_warm(demo_database_url, demo_engine) -> None:
    from ecm.bench.browser import bench_pages, time_first_renders
    from ecm.bench.run import BenchResult

    pages = bench_pages(demo_engine)
    assert set(pages) == {"school", "area", "region", "gaps"}
    run = time_first_renders(demo_database_url, pages, warm_repeats=2, sessions=3)
    assert list(run.pages) == ["home (first page after start-up)", *pages]
    assert all(set(t) == {"cold_s", "warm_s", "p95_s"} for t in run.pages.values())
    assert all(0 < s < 120 for t in run.pages.values() for s in t.values())
    assert all(t["p95_s"] >= t["warm_s"] for t in run.pages.values())
    assert run.sessions["count"] == 3 and run.sessions["errors"] == 0
    assert run.sessions["p95_s"] >= run.sessions["p50_s"] > 0
    assert run.peak_rss_mb is not None and run.peak_rss_mb > 50  # a Streamlit process
    report = format_result(
        BenchResult("tiny", "sqlite", pages={"gaps": run.pages["gaps"]}, sessions=run.sessions,
                    peak_rss_mb=run.peak_rss_mb)
    )  # fmt: skip
    assert "3 sessions at once" in report and "peak memory of the app process" in report


@pytest.mark.e2e
def test_the_bench_command_writes_its_measurements_as_json(tmp_path) -> None:  # noqa: ANN001
    output = tmp_path / "bench.json"
    made = run("bench", "--scale", "tiny", "--repeats", "3", "--browser", "--sessions", "2",
               "--json", str(output))  # fmt: skip
    assert made.returncode == 0, made.stderr
    measured = json.loads(output.read_text(encoding="utf-8"))
    assert {"scale", "years", "database", "pages", "build_s", "peak_rss_mb",
            "import_rows_per_s", "sessions"} <= set(measured)  # fmt: skip
    assert (measured["scale"], measured["years"], measured["database"]) == ("tiny", 5, "sqlite")
    assert set(measured["pages"]["area"]) == {"cold_s", "warm_s", "p95_s", "server_s", "queries_s"}
    assert all(isinstance(v, float) for v in measured["pages"]["area"].values())
    assert measured["sessions"]["count"] == 2 and measured["peak_rss_mb"] > 0
