"""Fixtures shared by every test level: fresh databases and a database holding the tiny demo.

Tests run against SQLite files by default. When ``ECM_TEST_DATABASE_URL`` names a PostgreSQL
database (``scripts/test`` starts a private server and sets it), every fixture database is a new
database created on that server instead, so the whole suite runs on both engines unchanged.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ecm.demo.build import build_demo
from ecm.store.engine import make_engine

SERVER_URL = os.environ.get("ECM_TEST_DATABASE_URL", "").strip()
DEMO_SEED = 2008


def on_postgres() -> bool:
    """True when the suite runs against the PostgreSQL server of ``ECM_TEST_DATABASE_URL``."""
    return SERVER_URL.startswith("postgresql")


def new_database_url(folder: Path) -> str:
    """The URL of a brand-new, empty database (a new file, or a new database on the server)."""
    if not on_postgres():
        return f"sqlite:///{folder / f'ecm-{uuid.uuid4().hex[:8]}.db'}"
    name = f"ecm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Remove a database made by :func:`new_database_url` on the server (files go with tmp)."""
    if not on_postgres():
        return
    name = make_url(url).database
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database for one test."""
    url = new_database_url(tmp_path)
    yield url
    drop_database(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database for one test."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the tiny fictional demo, built once for the whole session.

    Tests must treat it as read-only.
    """
    url = new_database_url(tmp_path_factory.mktemp("demo"))
    eng = make_engine(url)
    build_demo(eng, scale="tiny", seed=DEMO_SEED)
    eng.dispose()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def demo_engine(demo_database_url: str) -> Iterator[Engine]:
    """An engine on the shared demo database (read-only)."""
    eng = make_engine(demo_database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def use_demo_database(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the application (``ECM_DATABASE_URL``) at the shared demo database."""
    monkeypatch.setenv("ECM_DATABASE_URL", demo_database_url)
    return demo_database_url
