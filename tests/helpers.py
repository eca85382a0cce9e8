"""Plain functions and constants that several test modules share.

Test modules import from here (``from tests.helpers import ...``), never from one another or
from a ``conftest.py``: a test module imported by another is collected and imported twice under
two names, and its fixtures and constants drift apart. Fixtures live in ``tests/conftest.py``,
which imports what it needs from here too. Browser helpers are in ``tests/e2e/helpers.py``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ecm.catalogue import load_catalogue, sync_catalogue
from ecm.errors import DataError
from ecm.importers import import_file
from ecm.store.engine import make_engine, session_scope, upgrade_schema

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

#: The repository root (the command line and the app run from here).
REPO_ROOT = Path(__file__).resolve().parents[1]

# --- the real published files ------------------------------------------------------------------

#: Real published files (DfE, Fingertips, Open Government Licence), kept beside the repository
#: rather than in it. Tests that read them carry the ``realdata`` marker.
REAL = REPO_ROOT.parent / "shared" / "realdata"
PT = REAL / "performance-tables"
KS2 = PT / "hampshire" / "2018-2019_850_ks2final.csv"
KS4 = PT / "hampshire" / "2017-2018_850_ks4final.csv"
NEETS = REAL / "fingertips-tidy" / "neets.csv"
#: DfE tidy open data: the looked-after children's outcomes files.
TIDY = REAL / "la-releases" / "cla-outcomes" / "Post_2016_files"
GIAS = REAL / "gias" / "20220420_gias.csv"
LAIT = REAL / "lait"

#: Stores built from subsets of the real files, as a user who loads only some of them has: each
#: page must render on every one of them and say in words what is missing. Each value lists the
#: files (or folders) handed to the product's own import service.
REAL_SUBSETS: dict[str, tuple[Path, ...]] = {
    # One school performance table, with no register: schools known only from that table.
    "ks2_only": (KS2,),
    # The register of schools and one KS2 table (the TypeError on /area came from this).
    "register_and_ks2": (GIAS, KS2),
    # LA-level figures for every authority, and their statistical neighbours; no schools.
    "lait_and_neighbours": (
        LAIT / "bds_long_0.parquet",
        LAIT / "lait_data_dictionary.csv",
        LAIT / "sn_may_2025.xlsx",
    ),
    # One Fingertips tidy series, nothing else.
    "one_fingertips_file": (REAL / "fingertips-tidy" / "excess_weight_year6.csv",),
    # Everything in the folder (about 40 s to import): the browser tests' store too.
    "everything": (REAL,),
}


def realdata_missing_message() -> str | None:
    """Why the real-data tests cannot run, or None when the folder is there."""
    if REAL.is_dir():
        return None
    return (
        f"the real published data folder is missing: these tests read it from {REAL} "
        "(the folder 'shared/realdata' beside the repository, not inside it). Put the real "
        "files there, or leave these tests out with -m 'not realdata'."
    )


# --- databases ---------------------------------------------------------------------------------

#: A PostgreSQL server to make test databases on (``scripts/test`` sets it); SQLite if empty.
SERVER_URL = os.environ.get("ECM_TEST_DATABASE_URL", "").strip()
#: The seed of the shared tiny demo database (``demo_database_url`` in ``tests/conftest.py``).
DEMO_SEED = 2008
#: The tables an import writes, which a rejected import must leave exactly as they were.
IMPORT_TABLES = ("region", "local_authority", "school", "observation", "import_batch")


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


def fresh_engine(folder: Path) -> tuple[str, Engine]:
    """A new database with the current schema and the catalogue: its URL and an engine on it.

    The caller disposes of the engine and drops the database (:func:`drop_database`).
    """
    url = new_database_url(folder)
    engine = make_engine(url)
    upgrade_schema(engine)
    with session_scope(engine) as session:
        sync_catalogue(session, load_catalogue())
    return url, engine


def build_real_store(folder: Path, paths: tuple[Path, ...]) -> str:
    """A new store holding ``paths`` (files or folders of the real data), imported as
    ``python -m ecm import`` imports them: through the import service, each file all or
    nothing, similar schools rebuilt once at the end. Returns the store's URL.

    A rejected file is allowed only where the real folder holds one on purpose (see
    ``tests/test_every_real_file.py``); anything else rejected fails the build, naming it.
    """
    from ecm.importers.service import files_in, import_files

    url, engine = fresh_engine(folder)
    try:
        run = import_files(engine, files_in(paths))
    finally:
        engine.dispose()
    rejected = [r for r in run.files if r.rejected and r.path.name != "OSR23_2010_UD.csv"]
    assert not rejected, [f"{r.path.name}: {r.error}" for r in rejected]
    return url


def fingerprint(engine: Engine) -> dict[str, str]:
    """Row count and a checksum of every row of the tables an import writes."""
    prints = {}
    with engine.connect() as connection:
        for table in IMPORT_TABLES:
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            prints[table] = f"{len(rows)}:{digest}"
    return prints


def read(engine: Engine, sql: str, **params: Any) -> list[Any]:
    """The rows of one SQL query, with named parameters."""
    with engine.connect() as connection:
        return connection.execute(text(sql), params).all()


# --- the command line --------------------------------------------------------------------------


def run(
    *args: str, url: str | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ecm ARGS`` as a person would (on the store ``url`` if given, with
    ``input`` on standard input, else none)."""
    env = {**os.environ}
    if url:
        env["ECM_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "ecm", *args],
        cwd=REPO_ROOT,
        env=env,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_rejected(
    engine: Engine, tmp_path: Path, name: str, content: bytes, message: str, **kwargs: Any
) -> str:
    """Import ``content`` saved as ``name``: it must be refused with ``message``, the refusal
    must start with the file's name, and the store must be unchanged. Returns the refusal."""
    path = tmp_path / name
    path.write_bytes(content)
    before = fingerprint(engine)
    with pytest.raises(DataError) as caught:
        import_file(engine, path, **kwargs)
    assert message in str(caught.value), str(caught.value)
    assert str(caught.value).startswith(name)
    assert fingerprint(engine) == before
    return str(caught.value)


def school_with_headline_gap(engine: Engine) -> str:
    """The URN of the first demo school (in URN order) whose page has a headline gap: a
    significant disadvantage gap. Absence gaps, on sessions, are never tested, so not every
    demo school has one."""
    from ecm.figures.queries import load_local_authorities, load_schools
    from ecm.places.profile import build_profile
    from ecm.views.school import headline_gap

    for la in load_local_authorities(engine)["code"]:
        for urn in sorted(load_schools(engine, la)["urn"]):
            if headline_gap(build_profile(engine, "school", urn)) is not None:
                return str(urn)
    raise AssertionError("no demo school has a significant disadvantage gap")


#: How long one AppTest script run may take (a cold page computes).
APP_TIMEOUT_S = 60


#: The password of the accounts tests create where a store has none of its own.
TEST_PASSWORD = "a test password, long enough"


def session_token(database_url: str, username: str = "demo-admin") -> str:
    """A signed-in session of ``username`` on the store at ``database_url`` (the demo's
    accounts; on a store without that account, e.g. one built from the real files, an
    administrator of that name is created first): the token a browser's cookie would hold."""
    from ecm.access.accounts import add_user, list_users
    from ecm.access.sessions import start_session

    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        if username not in {a.username for a in list_users(engine)}:
            add_user(engine, username, "Test Administrator", "admin", None, TEST_PASSWORD)
        return start_session(engine, username)
    finally:
        engine.dispose()


def signed_in_app(database_url: str, user: str | None = "demo-admin") -> AppTest:
    """The app as a browser signed in as ``user`` would open it (``None``: signed out)."""
    from streamlit.testing.v1 import AppTest

    from ecm.ui.signin import TOKEN_KEY

    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=APP_TIMEOUT_S)
    if user is not None:
        at.session_state[TOKEN_KEY] = session_token(database_url, user)
    return at


def open_app(page: str | None = None, user: str | None = "demo-admin", **params: str) -> AppTest:
    """Run the app as a browser signed in as ``user`` opening ``page`` (default: home) with
    ``params`` in the URL, on the store ``ECM_DATABASE_URL`` names."""
    from ecm.config import database_url

    at = signed_in_app(database_url(), user)
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(str(REPO_ROOT / page))
    at.run()
    return at


#: The selection a page filled in to the browser's address in place (ecm.ui.address.replace_script).
_ADDRESS_FILL = re.compile(r"const fill = (\{.*?\});")


def address(at: AppTest) -> dict[str, str]:
    """The browser's address after ``at``'s run: the query parameters the run wrote (as a
    person's choices) with the selection it filled in without a history entry."""
    import json

    shown = {
        name: str(value[-1] if isinstance(value, list) else value)
        for name, value in at.query_params.items()
    }
    for element in at.get("html"):
        found = _ADDRESS_FILL.search(element.proto.body)
        if found:
            shown.update(json.loads(found.group(1)))
    return shown


@contextmanager
def private_postgres() -> Iterator[tuple[str, Callable[[], None]]]:
    """A throwaway PostgreSQL server of its own on loopback, for tests of the shared
    deployment: the URL of an empty database on it, and a function that restarts the server
    (what a database restart does to the app). Debian's packages under /usr/lib/postgresql;
    as root, the server runs as the postgres user (it refuses to run as root)."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert binaries, "no PostgreSQL under /usr/lib/postgresql: run scripts/setup --system"
    bin_dir = binaries[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="ecm-pg-"))
    data = folder / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def pg_ctl(*args: str) -> None:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-w", "-D", str(data), "-l",
             str(folder / "log"), *args],
            check=True, cwd=folder, capture_output=True,
        )  # fmt: skip

    subprocess.run(
        [*as_postgres, str(bin_dir / "initdb"), "-A", "trust", "-E", "UTF8",
         "--locale=C.UTF-8", "-U", "postgres", "-D", str(data)],
        check=True, cwd=folder, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c fsync=off -c listen_addresses=127.0.0.1"
    pg_ctl("-o", options, "start")
    try:
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
             "ecm"],
            check=True, capture_output=True,
        )  # fmt: skip
        yield (
            f"postgresql+psycopg://postgres@127.0.0.1:{port}/ecm",
            lambda: pg_ctl("-o", options, "-m", "fast", "restart"),
        )
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            cwd=folder, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
