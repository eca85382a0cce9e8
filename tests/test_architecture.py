"""The layering holds: data flows one way through ``ecm`` (README, "How the code is laid out").

The import graph is built by grimp from the source, function-level imports included, so a
deferred import cannot hide a circle.
"""

from __future__ import annotations

import graphlib

import grimp
import pytest

#: ``ecm``'s packages and modules from the top (what people use) to the bottom (what everything
#: uses). A part may import only parts of lower layers; parts of one layer are independent.
LAYERS = [
    {"ecm.ui", "ecm.cli"},
    {"ecm.bench"},
    {"ecm.packs"},
    {"ecm.demo", "ecm.views"},
    {"ecm.plan"},
    {"ecm.places", "ecm.importers"},
    {"ecm.charts", "ecm.figures"},
    {"ecm.disclosure", "ecm.catalogue", "ecm.access"},
    {"ecm.store", "ecm.stats"},
    {"ecm.params"},
    {"ecm.periods", "ecm.config", "ecm.errors", "ecm.units", "ecm.safe_text"},
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("ecm", include_external_packages=True)


def _part(module: str) -> str:
    """The top-level part of ``ecm`` a module belongs to: ``ecm.plan.io.read`` -> ``ecm.plan``."""
    return ".".join(module.split(".")[:2])


def _own_modules(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.modules if m == "ecm" or m.startswith("ecm."))


def test_every_part_of_ecm_has_a_layer(graph) -> None:
    layered = set().union(*LAYERS)
    parts = {_part(m) for m in _own_modules(graph)} - {"ecm", "ecm.__main__"}
    assert parts - layered == set(), "add the new part of ecm to LAYERS"


def test_no_module_of_ecm_imports_itself_round_a_circle(graph) -> None:
    sorter = graphlib.TopologicalSorter()
    for module in _own_modules(graph):
        imported = graph.find_modules_directly_imported_by(module)
        sorter.add(module, *(m for m in imported if m.startswith("ecm.")))
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_only_the_streamlit_boundary_imports_streamlit(graph) -> None:
    importers = graph.find_modules_that_directly_import("streamlit")
    outside = sorted(m for m in importers if _part(m) != "ecm.ui")
    assert outside == []


def test_each_layer_imports_only_the_layers_below_it(graph) -> None:
    rank = {part: depth for depth, layer in enumerate(LAYERS) for part in layer}
    wrong = []
    for module in _own_modules(graph):
        source = _part(module)
        if source not in rank:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _part(imported)
            if target in rank and target != source and rank[target] <= rank[source]:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_the_contract_catches_a_circle() -> None:
    """The cycle check fails on a circle (so a passing check means something)."""
    sorter = graphlib.TopologicalSorter({"ecm.a": {"ecm.b"}, "ecm.b": {"ecm.a"}})
    with pytest.raises(graphlib.CycleError):
        sorter.prepare()


#: What a page may import from ecm: the Streamlit boundary, what people read, the charts and
#: the settings. Reads, analyses and rules stay below the pages (the design's one-way flow).
PAGE_IMPORTS = ("ecm.ui", "ecm.views", "ecm.charts", "ecm.config")


def test_pages_import_only_the_boundary_views_charts_and_settings() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    wrong = []
    for page in [root / "dashboard.py", *sorted((root / "app_pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ecm":
                names = [f"ecm.{a.name}" for a in node.names]  # from ecm import ui, charts
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                names = []
            for name in names:
                if name.startswith("ecm") and not name.startswith(PAGE_IMPORTS):
                    wrong.append(f"{page.name} imports {name}")
    assert wrong == []
