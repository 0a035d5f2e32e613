"""The package's shape, read with the standard library's `ast`: layers that only point one way, no import
cycle, no import hidden inside a function to dodge one, and units small enough to change safely
(no function over 60 lines, no class over 150).

A module added to catalog/ needs a place in LAYERS (the layer says what it may import).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "catalog"
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 150

# Lowest first. A module imports modules of its own layer or of the layers below, never above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leaves", ("catalog", "languages", "paths", "datafiles", "vocabularies", "i18n", "problems", "schema",
                "yaml_diagnosis", "publisher", "suggest", "geo", "characters", "figures", "markup")),
    ("records", ("loader", "findings", "schema_errors", "rules", "structure", "validate", "model", "history", "related")),
    ("views", ("views",)),
    ("render", ("render", "jsonld", "fields_doc", "maps")),
    ("site", ("site", "exports", "search", "form", "preview", "compendium", "compendium_book", "compendium_pdf", "map_blocks")),
    ("commands", ("new", "issue_form", "cli")),
    ("plugin", ("plugin",)),
)
LAYER_OF = {module: index for index, (_, modules) in enumerate(LAYERS) for module in modules}


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts) or "catalog"


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The catalog modules an import statement loads (`from catalog import x` may name a module or a name)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or not node.module:
        raise AssertionError(f"relative import at line {node.lineno}: write `from catalog.x import y`")
    else:
        names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
    found = set()
    for name in names:
        if name == "catalog" or name.startswith("catalog."):
            local = name.removeprefix("catalog.") if name != "catalog" else "catalog"
            if local in MODULES:
                found.add(local)
    # `from catalog.x import y` loads x; `from catalog import x` loads x when x is a module, else catalog.
    if isinstance(node, ast.ImportFrom) and node.module != "catalog":
        found.discard("catalog")
    if isinstance(node, ast.ImportFrom) and node.module == "catalog" and len(found) > 1:
        found.discard("catalog")
    return found


def graph() -> dict[str, set[str]]:
    """Module → the catalog modules it imports, wherever the import stands (a late import is an edge too)."""
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges[name] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges[name] |= imported_modules(node) - {name}
    return edges


def test_every_module_has_a_layer():
    missing = sorted(set(MODULES) - set(LAYER_OF))
    assert not missing, f"give these modules a layer in tests/unit/test_architecture.py LAYERS: {missing}"


def test_layers_only_point_down():
    upward = [
        f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {target} ({LAYERS[LAYER_OF[target]][0]})"
        for module, targets in graph().items() for target in sorted(targets)
        if module in LAYER_OF and target in LAYER_OF and LAYER_OF[target] > LAYER_OF[module]
    ]
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_no_import_cycle():
    edges = graph()
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(cycle) for cycle in cycles)


def test_no_import_of_the_package_below_module_level():
    """An import inside a function is how a cycle hides; every module imports the package at its top."""
    late = []
    for path in MODULES.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top and imported_modules(node):
                late.append(f"catalog/{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not late, f"imports of catalog below module level: {late}"


def test_the_checks_see_real_imports():
    """The graph is not empty by mistake: known edges of the layering are found."""
    edges = graph()
    assert "validate" in edges["model"] and "languages" in edges["catalog"] and "site" in edges["plugin"]


def _units(kind: type) -> list[tuple[str, int]]:
    found = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, kind):
                found.append((f"catalog/{path.relative_to(PACKAGE)}:{node.lineno} {node.name}",
                              node.end_lineno - node.lineno + 1))
    return found


@pytest.mark.parametrize(("kind", "limit"), [((ast.FunctionDef, ast.AsyncFunctionDef), MAX_FUNCTION_LINES),
                                             (ast.ClassDef, MAX_CLASS_LINES)], ids=["function", "class"])
def test_units_are_small(kind: type, limit: int):
    units = _units(kind)
    assert units, "no unit found: the walk is broken"
    too_long = [f"{where} ({lines} lines)" for where, lines in units if lines > limit]
    assert not too_long, f"over {limit} lines: {too_long}"
