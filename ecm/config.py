"""Settings read from the environment, with the defaults a newcomer needs."""

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


def database_url() -> str:
    """The SQLAlchemy URL of the store: ``ECM_DATABASE_URL`` if set, else ``data/ecm.db``."""
    url = os.environ.get("ECM_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def plan_editing_allowed() -> bool:
    """Whether the app may change plans: ``ECM_PLAN_EDITING`` (``1`` yes, ``0`` no).

    By default editing is on for a SQLite file (one analyst's own copy) and off for a shared
    server database, where anyone who can open the page could otherwise change the plan: until
    people sign in, a shared deployment must opt in knowingly.
    """
    setting = os.environ.get("ECM_PLAN_EDITING", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    return database_url().startswith("sqlite")
