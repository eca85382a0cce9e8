"""The README documents every command and setting the code offers (fails when one is added
without its documentation)."""

from __future__ import annotations

import argparse
import inspect
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


#: What the product is made of: every ECM_* setting named here is the product's.
SOURCES = sorted(
    [*(ROOT / "ecm").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"), ROOT / "dashboard.py"]
)
SETTING = re.compile(r"ECM_[A-Z0-9_]+")


def _settings_named_in_the_product() -> set[str]:
    named = set()
    for path in SOURCES:
        named |= set(SETTING.findall(path.read_text(encoding="utf-8")))
    # ECM_TEST_* settings belong to the test harness (tests/conftest.py, scripts/test), which
    # the product never reads: they are exempt from config.py and the Configuration table.
    return {name for name in named if not name.startswith("ECM_TEST_")}


def _configuration_table() -> str:
    section = README.split("## Configuration", 1)[1]
    return section.split("\n## ", 1)[0]


def test_every_setting_is_declared_in_config_and_in_the_configuration_table() -> None:
    from ecm import config

    declared = set(config.SETTINGS)
    constants = {v for k, v in vars(config).items() if k.startswith("ENV_")}
    assert constants == declared, "each setting is an ENV_ constant listed in config.SETTINGS"
    missing = _settings_named_in_the_product() - declared
    assert missing == set(), f"declare {sorted(missing)} in ecm/config.py"
    rows = set(re.findall(r"^\| `(ECM_[A-Z0-9_]+)` \|", _configuration_table(), re.MULTILINE))
    assert rows == declared, "README.md's Configuration table lists exactly the settings"
    readers = [f for f in vars(config).values() if inspect.isfunction(f)]
    for name in declared:
        # Each has a reader in config.py whose docstring says what it means and its default.
        documented = [f for f in readers if f"``{name}``" in (f.__doc__ or "")]
        assert documented, f"no function of ecm/config.py documents {name}"
        assert all("default" in f.__doc__.lower() for f in documented), name


def test_settings_are_read_only_through_config() -> None:
    config = ROOT / "ecm" / "config.py"
    for path in SOURCES:
        if path == config:
            continue
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        assert not re.search(r"os\.(environ\.get|environ\[|getenv)", text), f"{where} reads"
        # A setting's name in code is config's constant, never the name spelt out again.
        assert not re.search(r"[\"']ECM_[A-Z0-9_]+[\"']", text), f"{where} spells a setting"


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
