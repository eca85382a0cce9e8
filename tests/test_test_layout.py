"""The tests' own layout: shared helpers live in ``tests/helpers.py`` (and, for the browser
tests, ``tests/e2e/helpers.py``), fixtures in ``conftest.py``, and no test module imports
another test module or a ``conftest.py``.

Importing a test module from another imports it a second time under another name (its tests
and fixtures then exist twice), and a helper hidden in a test module is hard to find.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import REPO_ROOT

TESTS = REPO_ROOT / "tests"
#: The only modules of ``tests`` that any module of ``tests`` may import.
ALLOWED = {"tests.helpers", "tests.e2e.helpers"}


def _module_name(path: Path) -> str:
    """``tests/e2e/helpers.py`` -> ``tests.e2e.helpers``."""
    return ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)


def _imported(source: str, module_name: str) -> list[tuple[int, str]]:
    """Each module of ``tests`` that the module ``module_name`` of text ``source`` imports,
    with the line it does so on, at any depth (a function's deferred import counts too).

    Relative imports are resolved against the importing module's package, and
    ``from tests import helpers`` counts as importing ``tests.helpers``.
    """
    tree = ast.parse(source, filename=module_name)
    package = module_name.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module in ("tests", "tests.e2e"):  # from tests import helpers
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return [(line, name) for line, name in found if name == "tests" or name.startswith("tests.")]


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    offences = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in _imported(path.read_text(encoding="utf-8"), _module_name(path))
        if name not in ALLOWED
    ]
    assert offences == [], "\n".join(
        [*offences, "shared functions and constants belong in tests/helpers.py, fixtures in "
         "conftest.py"]
    )  # fmt: skip


def test_the_layout_check_sees_the_imports_it_must_refuse() -> None:
    """The check itself finds each way of importing a test module, and allows the helpers."""
    source = (
        "import tests.test_cli\n"
        "from tests.conftest import DEMO_SEED\n"
        "from tests.e2e.conftest import CHROMIUM\n"
        "from . import conftest\n"
        "from .test_home import FIVE_OUTCOMES\n"
        "from tests import test_importers, helpers\n"
        "from tests.helpers import REAL\n"
        "from tests.e2e.helpers import wait_for_app_run\n"
        "from .helpers import serve_dashboard\n"
        "import pytest\n"
        "def later():\n"
        "    from tests.test_importers import KS2\n"
    )
    names = [name for _, name in _imported(source, "tests.e2e.test_probe")]
    assert [n for n in names if n not in ALLOWED] == [
        "tests.test_cli",
        "tests.conftest",
        "tests.e2e.conftest",
        "tests.e2e.conftest",
        "tests.e2e.test_home",
        "tests.test_importers",
        "tests.test_importers",
    ]
    assert [n for n in names if n in ALLOWED] == [
        "tests.helpers",
        "tests.helpers",
        "tests.e2e.helpers",
        "tests.e2e.helpers",
    ]
