"""The README documents every command and setting the code offers (fails when one is added
without its documentation)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ecm.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in commands.choices:
        assert f"| `{name}" in README, f"command {name!r} is not documented in README.md"


def test_every_environment_variable_is_in_the_readme() -> None:
    used = set()
    for path in (ROOT / "ecm").rglob("*.py"):
        used |= set(re.findall(r"ECM_[A-Z_]+", path.read_text(encoding="utf-8")))
    for name in sorted(used - {"ECM_TEST_DATABASE_URL"}):
        assert f"`{name}`" in README, f"{name} is not documented in README.md"


def test_every_column_of_the_pupil_groups_is_in_the_readme() -> None:
    from ecm.catalogue import GROUP_COLUMNS

    header = (ROOT / "data" / "pupil_groups.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(GROUP_COLUMNS)
    for column in GROUP_COLUMNS:
        assert f"`{column}`" in README, f"pupil_groups.csv column {column} is not in README.md"


def test_the_two_newcomer_commands_exist() -> None:
    assert "bash scripts/run" in README and "bash scripts/test" in README
    assert (ROOT / "scripts" / "run").is_file() and (ROOT / "scripts" / "test").is_file()
    assert (
        "bash scripts/test" in (ROOT / ".ci" / "run").read_text()
        or "scripts/test" in (ROOT / ".ci" / "run").read_text()
    )


def test_no_pages_folder_beside_the_entry_point() -> None:
    # Streamlit runs a folder named pages/ as old-style navigation when a link opens a page
    # directly, skipping dashboard.py: bookmarks and e-mailed links would lose the frame.
    assert not (ROOT / "pages").exists()
    assert (ROOT / "app_pages" / "home.py").is_file()
