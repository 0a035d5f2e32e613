"""The package's shape, read with the standard library's `ast`: the folders of catalog/ are its layers,
imports only point down, no import cycle, no import hidden inside a function to dodge one, units small
enough to change safely (no function over 60 lines, no class over 150), and the README's picture of the
folders is the one the code has.

A module goes into the folder of its layer; a new folder needs a place in LAYERS.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "catalog"
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 150

# The folders, lowest first. A module imports modules of its own folder or of the folders before it.
LAYERS = ("core", "records", "present", "build", "mkdocs", "cli")
# The one folder allowed to import below module level: the command line loads a command's module only
# when that command runs, so that `catalog validate` starts without Jinja, MkDocs or WeasyPrint.
LAZY_FOLDERS = ("cli",)
# Only the mkdocs folder knows MkDocs (the engine can then be replaced by changing one folder).
ENGINE = "mkdocs"


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts) or "catalog"


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def folder(module: str) -> str:
    return module.split(".")[0]


def imported_modules(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The catalog modules an import statement loads (`from catalog.core import x` may name a module or a name)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or not node.module:
        raise AssertionError(f"relative import at line {node.lineno}: write `from catalog.x.y import z`")
    else:
        names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
    found = {name.removeprefix("catalog.") for name in names if name.startswith("catalog.")}
    return {name for name in found if name in MODULES and "." in name}  # modules, not the folders' packages


def imports_of(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of a module, with whether it stands at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    return [(node, id(node) in top) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def graph() -> dict[str, set[str]]:
    """Module → the catalog modules it imports, wherever the import stands (a late import is an edge too)."""
    return {name: set().union(*(imported_modules(node) for node, _ in imports_of(path))) - {name}
            for name, path in MODULES.items()}


def test_every_module_is_in_a_layer_folder():
    outside = sorted(name for name in MODULES if name != "catalog" and folder(name) not in LAYERS)
    assert not outside, f"put these modules in one of the folders {LAYERS} (or add a folder to LAYERS): {outside}"
    assert {folder(name) for name in MODULES if "." in name} == set(LAYERS), "a layer folder is empty or missing"


def test_the_package_root_holds_no_code():
    assert not ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body[1:], \
        "catalog/__init__.py is only the docstring: code belongs in a layer folder"


def test_layers_only_point_down():
    upward = [f"{module} imports {target}" for module, targets in graph().items() for target in sorted(targets)
              if "." in module and LAYERS.index(folder(target)) > LAYERS.index(folder(module))]
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
    """An import inside a function is how a cycle hides; every module imports the package at its top,
    except the command line's, which loads a command's module only when that command runs."""
    late = [f"catalog/{path.relative_to(PACKAGE)}:{node.lineno}"
            for name, path in MODULES.items() if folder(name) not in LAZY_FOLDERS
            for node, at_top in imports_of(path) if not at_top and imported_modules(node)]
    assert not late, f"imports of catalog below module level: {late}"


def test_only_the_mkdocs_folder_imports_mkdocs():
    knowing = sorted(name for name, path in MODULES.items() if folder(name) != ENGINE
                     for node, _ in imports_of(path)
                     if any(module == ENGINE or module.startswith(ENGINE + ".")
                            for module in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])))
    assert not knowing, f"modules outside catalog/{ENGINE}/ that import MkDocs: {knowing}"


def test_the_package_imports_no_tool_and_no_test():
    """devtools/ and tests/ serve the package's makers; the published code never depends on them."""
    reaching = sorted(f"{name}: {module}" for name, path in MODULES.items() for node, _ in imports_of(path)
                      for module in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
                      if module.split(".")[0] in ("devtools", "tests", "scripts"))
    assert not reaching, f"catalog modules that import tools or tests: {reaching}"


def test_scripts_and_tests_edit_no_import_path():
    """What tests and scripts share is the importable devtools package, not a sys.path edit."""
    edits = [f"{path.relative_to(REPO)}:{number}" for folder in ("scripts", "tests", "devtools")
             for path in sorted((REPO / folder).rglob("*")) if path.is_file() and (path.suffix == ".py" or path.parent.name == "scripts")
             for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if re.search(r"\bsys\.path\.(insert|append)\(", line)]
    assert not edits, f"sys.path edits: {edits}"


def private_uses(tree: ast.Module) -> list[tuple[int, str]]:
    """A test's reach past a module's public names: a script, another test module, `from m import _x`,
    or `m._x` where m is an imported catalog or devtools module."""
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "scripts" or re.match(r"tests\.\w+\.test_", node.module):
                found.append((node.lineno, node.module))
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("_")]
            if node.module.split(".")[0] in ("catalog", "devtools"):
                modules |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "scripts"]
            modules |= {alias.asname for alias in node.names if alias.asname}
    found += [(node.lineno, f"{node.value.id}.{node.attr}") for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
              and node.attr.startswith("_") and not node.attr.startswith("__")]
    return found


def test_tests_use_only_public_names():
    """Tests check what the package offers: no script, no other test module, no private name."""
    uses = [f"{path.relative_to(REPO)}:{line} {name}" for path in sorted((REPO / "tests").rglob("*.py"))
            for line, name in private_uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert not uses, f"tests that reach past public names: {uses}"
    assert private_uses(ast.parse("from catalog.records import markup\nmarkup._depth('')")), "the check is blind"


def test_the_checks_see_real_imports():
    """The graph is not empty by mistake: known edges of the layering are found."""
    edges = graph()
    assert "records.validate" in edges["records.model"] and "build.pages" in edges["mkdocs.plugin"]
    assert "build.compendium" in edges["cli.compendium"]
    assert "records.suggest" in edges["cli.main"]  # a late import is an edge too


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


# --- the README's picture ---------------------------------------------------------------------------

PICTURE_ROW = re.compile(r"^\|\s*`(\w+)/`\s*\|([^|]*)\|([^|]*)\|", re.MULTILINE)


def readme_picture() -> dict[str, tuple[set[str], set[str]]]:
    """Folder → (its modules, the folders it imports from), as the README's table says."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- layers -->")[1]
    return {name: ({m.strip().strip("`") for m in modules.split(",") if m.strip()},
                   {f.strip().strip("`").rstrip("/") for f in uses.split(",") if f.strip() and f.strip() != "—"})
            for name, modules, uses in PICTURE_ROW.findall(section)}


def test_the_readme_pictures_the_folders_and_their_imports():
    """Each folder's row names exactly its modules and the folders its modules really import from."""
    actual_modules = {layer: {name.split(".", 1)[1] for name in MODULES if folder(name) == layer and "." in name}
                      for layer in LAYERS}
    actual_uses: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for module, targets in graph().items():
        if "." in module:
            actual_uses[folder(module)] |= {folder(target) for target in targets} - {folder(module)}
    picture = readme_picture()
    assert list(picture) == list(LAYERS), "the README's table lists the folders, lowest first"
    for layer in LAYERS:
        assert picture[layer][0] == actual_modules[layer] - {"__init__"}, f"README: the modules of {layer}/"
        assert picture[layer][1] == actual_uses[layer], f"README: the folders {layer}/ imports from"


def loaded_by(*argv: str) -> set[str]:
    """The top-level packages a run of `python -m catalog.cli.main ARGV` imports, from -X importtime."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "catalog.cli.main", *argv],
                            cwd=REPO, capture_output=True, text=True, check=False)
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()
              if line.startswith("import time:") and "|" in line}
    assert "catalog" in loaded and "argparse" in loaded, result.stderr[-2000:]  # the trace is read right
    return loaded


SITE_ENGINE = {"mkdocs", "jinja2", "weasyprint", "material"}
# What only a run needs: validating (jsonschema for an invalid record's messages; Babel for CLDR
# names; regex, nh3 and cmark-gfm for the texts), never the help of any command.
RUN_ONLY = {"jsonschema", "jsonschema_rs", "referencing", "babel", "regex", "nh3", "cmarkgfm"}


def test_the_validate_command_loads_no_site_engine():
    """`catalog validate` (what officials run) imports no MkDocs, Jinja or WeasyPrint."""
    loaded = loaded_by("validate", "--help")
    assert not loaded & SITE_ENGINE, sorted(loaded & SITE_ENGINE)


@pytest.mark.parametrize("command", ["validate", "new", "from-issue", "compendium"])
def test_a_command_s_help_loads_none_of_its_work(command: str):
    """The parser is declared apart from the commands: `catalog COMMAND --help` imports no sub-command's
    module, no validator and no site engine."""
    loaded = loaded_by(command, "--help")
    assert not loaded & (SITE_ENGINE | RUN_ONLY), sorted(loaded & (SITE_ENGINE | RUN_ONLY))


def test_validating_valid_records_loads_no_reference_validator(tmp_path: Path):
    """jsonschema (the reference validator, whose errors become the messages) is imported only when
    jsonschema-rs finds a record invalid; the site engine never."""
    loaded = loaded_by("validate", "practices")
    assert "jsonschema_rs" in loaded and "babel" in loaded  # the validator did run
    assert not loaded & (SITE_ENGINE | {"jsonschema"}), sorted(loaded & (SITE_ENGINE | {"jsonschema"}))
    broken = tmp_path / "pan" / "broken.yml"
    broken.parent.mkdir()
    broken.write_text("id: broken\n", encoding="utf-8")
    assert "jsonschema" in loaded_by("validate", str(broken))  # the messages of an invalid record need it


def test_each_command_names_a_module_of_the_command_line_that_runs_it():
    """COMMANDS is the table main() imports a command's module from: each is a cli module with run(args),
    and the parser declares exactly those commands."""
    from catalog.cli.main import COMMANDS, build_parser

    assert {module.removeprefix("catalog.") for module in COMMANDS.values()} <= set(MODULES)
    assert all(folder(module.removeprefix("catalog.")) == "cli" for module in COMMANDS.values())
    for module in COMMANDS.values():
        assert any(isinstance(node, ast.FunctionDef) and node.name == "run"
                   for node in ast.parse(MODULES[module.removeprefix("catalog.")].read_text(encoding="utf-8")).body), module
    assert "{" + ",".join(COMMANDS) + "}" in build_parser().format_usage()  # argparse lists its sub-commands so
