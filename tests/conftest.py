"""Fixtures shared by every test level: fresh databases, a database holding the tiny demo, and
a store holding one real file; and the check that the real published files are there.

Plain helper functions and constants are in ``tests/helpers.py``: test modules import those,
never this file.

Tests run against SQLite files by default. When ``ECM_TEST_DATABASE_URL`` names a PostgreSQL
database (``scripts/test`` starts a private server and sets it), every fixture database is a new
database created on that server instead, so the whole suite runs on both engines unchanged.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ecm.demo.build import build_demo
from ecm.importers import import_file
from ecm.store.engine import make_engine
from tests.helpers import (
    DEMO_SEED,
    KS2,
    REAL_SUBSETS,
    build_real_store,
    drop_database,
    fresh_engine,
    new_database_url,
    realdata_missing_message,
)

# --- the real published files ------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a ``realdata`` test at once, saying where the folder must be, when it is missing.

    A failure, not a skip: in CI a skipped test counts as a failure anyway, and a clear message
    beats a ``FileNotFoundError`` from deep inside an importer. ``tryfirst`` runs this before
    the test's fixtures, some of which already read the files.
    """
    if item.get_closest_marker("realdata") and (message := realdata_missing_message()):
        pytest.fail(message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, object, object]:
    """Explain a module that cannot even be collected because the real data are missing.

    Some real-data modules read a file while they are imported (to build their parameters),
    so without the folder they fail before any test exists to carry the marker.
    """
    report = yield
    message = realdata_missing_message()
    if message and isinstance(report, pytest.CollectReport) and report.failed:
        report.longrepr = f"{message}\n\n{report.longrepr}"
    return report


@pytest.fixture(scope="module")
def ks2_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A store holding one real KS2 file, for rejection tests to leave untouched.

    Module-scoped: each module gets its own; tests must not change it.
    """
    url, engine = fresh_engine(tmp_path_factory.mktemp("ks2_store"))
    import_file(engine, KS2)
    yield engine
    engine.dispose()
    drop_database(url)


class RealStores:
    """Stores built from subsets of the real files (``REAL_SUBSETS``), each built the first
    time a test asks for it and then shared by the whole session (read-only)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._urls: dict[str, str] = {}

    def url(self, subset: str) -> str:
        """The URL of the store holding ``subset`` of the real files, built if need be."""
        if subset not in self._urls:
            folder = self._factory.mktemp(f"real_{subset}")
            self._urls[subset] = build_real_store(folder, REAL_SUBSETS[subset])
        return self._urls[subset]

    def drop_all(self) -> None:
        """Remove every store built (PostgreSQL databases; SQLite files go with tmp)."""
        for url in self._urls.values():
            drop_database(url)


@pytest.fixture(scope="session")
def real_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealStores]:
    """Stores built from subsets of the real files, shared by the session: unit, page and
    browser tests read the same ones, so "everything" (about 40 s) is imported once."""
    stores = RealStores(tmp_path_factory)
    yield stores
    stores.drop_all()


@pytest.fixture
def catalogue_store(tmp_path: Path) -> Iterator[Engine]:
    """A store with its schema and the indicator catalogue, and no figures, for one test."""
    url, engine = fresh_engine(tmp_path)
    yield engine
    engine.dispose()
    drop_database(url)


# --- empty databases and the demo --------------------------------------------------------------


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
