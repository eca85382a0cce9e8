"""Settings read from the environment, with the defaults a newcomer needs.

Every ``ECM_*`` environment setting is declared here, by a name constant and a typed function
that reads it, and read only through these functions; each is documented in README.md's
Configuration table (a test holds both).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: ``data/`` and ``dashboard.py`` live here.
ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_PATH = DATA_DIR / "ecm.db"

#: ONS code of England, used for real data; the fictional demo uses its own country code so that
#: invented figures can never be mistaken for, or mixed with, figures about the real England.
ENGLAND_CODE = "E92000001"
DEMO_ENGLAND_CODE = "Z92000001"

#: The names of the environment settings.
ENV_DATABASE_URL = "ECM_DATABASE_URL"
ENV_AUTO_DEMO = "ECM_AUTO_DEMO"
ENV_PLAN_EDITING = "ECM_PLAN_EDITING"
ENV_SUPPRESS_BELOW = "ECM_SUPPRESS_BELOW"
ENV_SESSION_MINUTES = "ECM_SESSION_MINUTES"
#: Every environment setting the product reads.
SETTINGS = (
    ENV_DATABASE_URL, ENV_AUTO_DEMO, ENV_PLAN_EDITING, ENV_SUPPRESS_BELOW, ENV_SESSION_MINUTES,
)  # fmt: skip

#: The fewest pupils a shown figure may rest on when ``ECM_SUPPRESS_BELOW`` is not set.
DEFAULT_SUPPRESS_BELOW = 6


def _setting(name: str) -> str:
    """The setting's value without surrounding spaces; empty when it is not set."""
    return os.environ.get(name, "").strip()


def database_url() -> str:
    """The SQLAlchemy URL of the store: ``ECM_DATABASE_URL`` (any SQLAlchemy URL, e.g. a shared
    PostgreSQL server's); by default the SQLite file ``data/ecm.db``."""
    url = _setting(ENV_DATABASE_URL)
    if url:
        return url
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def auto_demo() -> bool:
    """Whether the app fills an empty store with the small demo on its first start:
    ``ECM_AUTO_DEMO`` (``0`` no; by default yes)."""
    return os.environ.get(ENV_AUTO_DEMO, "1") != "0"


def plan_editing_allowed() -> bool:
    """Whether the app may change plans: ``ECM_PLAN_EDITING`` (``1`` yes, ``0`` no).

    By default editing is on for a SQLite file (one analyst's own copy) and off for a shared
    server database, which opts in knowingly. Where it is on, only the accounts allowed to
    change a plan are offered changes (``ecm.access.rights``).
    """
    setting = _setting(ENV_PLAN_EDITING)
    if setting in ("0", "1"):
        return setting == "1"
    return database_url().startswith("sqlite")


def suppress_below() -> int:
    """The threshold of disclosure control: ``ECM_SUPPRESS_BELOW``, a whole number of pupils of
    at least 1 (default 6); a figure resting on fewer pupils is withheld. ValueError when the
    setting is not such a number."""
    return _whole_number(ENV_SUPPRESS_BELOW, DEFAULT_SUPPRESS_BELOW)


def _whole_number(name: str, default: int) -> int:
    """The setting ``name`` as a whole number of at least 1 (``default`` when not set);
    ValueError when it is not such a number."""
    raw = _setting(name)
    if not raw:
        return default
    number = int(raw)
    if number < 1:
        raise ValueError(f"{name} must be a whole number of at least 1")
    return number


#: Minutes without use after which a signed-in session ends, when ``ECM_SESSION_MINUTES`` is not
#: set (NCSC's guidance leaves it to the risk; half an hour suits a shared meeting-room laptop).
DEFAULT_SESSION_MINUTES = 30


def session_minutes() -> int:
    """Minutes without use after which a browser is signed out: ``ECM_SESSION_MINUTES``, a
    whole number of at least 1 (default 30). ValueError when the setting is not such a
    number."""
    return _whole_number(ENV_SESSION_MINUTES, DEFAULT_SESSION_MINUTES)
