"""The command line, run as a person runs it: ``python -m ecm ...`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from ecm.store import make_engine

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if url:
        env["ECM_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "ecm", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("command", [[], ["init"], ["demo"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: python -m ecm" in result.stdout


def test_init_creates_the_schema_then_reports_it_current(database_url: str) -> None:
    first = run("init", url=database_url)
    assert first.returncode == 0, first.stderr
    assert "schema created at revision 0003" in first.stdout
    assert "indicators" in first.stdout
    second = run("init", url=database_url)
    assert second.returncode == 0
    assert "already current" in second.stdout


def test_demo_builds_the_tiny_demo_and_says_what_it_made(database_url: str) -> None:
    result = run("demo", "--scale", "tiny", url=database_url)
    assert result.returncode == 0, result.stderr
    assert "fictional demo data built (scale tiny, seed 2008): 2 regions, 4 local authorities" in (
        result.stdout
    )
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM local_authority")).scalar() == 4
    engine.dispose()


def test_an_unknown_scale_is_refused_with_a_reason() -> None:
    result = run("demo", "--scale", "galactic")
    assert result.returncode == 2
    assert "invalid choice: 'galactic'" in result.stderr


def test_an_unreachable_database_fails_with_one_line_on_stderr() -> None:
    # Port 1 on the loopback address: nothing listens there, so the connection is refused.
    result = run("init", url="postgresql+psycopg://nobody@127.0.0.1:1/ecm")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
