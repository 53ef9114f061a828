"""The architecture of ``kg/``, read from the source with ``ast``.

No import cycle among kg modules, no module over 400 lines, no function over
60 lines, at most 12 modules loose at the top of ``kg/``, package
``__init__`` files of the layers that import none of their own submodules,
and a docstring on every module. Each failing check names its offenders.

The first tests check the checker itself on small packages written here, so
that a broken import reader cannot make the real checks pass by finding nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

KG_DIR = Path(__file__).resolve().parents[1] / "kg"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_LOOSE_MODULES = 12
# Layers whose __init__ stays a docstring: importing one submodule does not load its siblings.
QUIET_PACKAGES = ("kg.build", "kg.sparql", "kg.cli", "kg.validate", "kg.evaluation")


@dataclass(frozen=True)
class Module:
    """One source file of the package: its dotted name, path and syntax tree."""

    name: str
    path: Path
    is_package: bool  # an __init__.py: relative imports start from the module itself
    tree: ast.Module
    lines: int


def read_modules(root: Path) -> dict[str, Module]:
    """Every module under the package folder ``root``, by dotted name (``kg.build.graph``)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        source = path.read_text(encoding="utf-8")
        found[".".join(parts)] = Module(".".join(parts), path, is_package,
                                        ast.parse(source, str(path)), len(source.splitlines()))
    return found


def _import_targets(module: Module, node: ast.Import | ast.ImportFrom,
                    known: dict[str, Module]) -> list[str]:
    """The dotted names an import statement loads, relative imports made absolute.

    ``from pkg import sub`` names ``pkg.sub`` when that is a module, else ``pkg``.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.name.split(".")
        if not module.is_package:
            package.pop()
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
    return subs if len(subs) == len(node.names) else [*subs, base]


def _owning_module(name: str, known: dict[str, Module]) -> str | None:
    """The module a dotted name lives in: the longest prefix that is a known module."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Module]) -> nx.DiGraph:
    """Module -> module edges for every import among the given modules.

    Every import statement counts, wherever it is: at the top, inside a function
    (a lazy import) or under ``if TYPE_CHECKING:``.
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module in modules.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _import_targets(module, node, modules):
                    target = _owning_module(name, modules)
                    if target and target != module.name:
                        graph.add_edge(module.name, target)
    return graph


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle for each group of modules that import each other, shortest first.

    A group (a strongly connected component) may hold many cycles; one of them,
    with the group's members, is enough to name the offenders.
    """
    found = []
    for group in nx.strongly_connected_components(graph):
        if len(group) > 1:
            found.append([edge[0] for edge in nx.find_cycle(graph.subgraph(group))])
    return sorted(found, key=lambda cycle: (len(cycle), sorted(cycle)))


def long_functions(modules: dict[str, Module], limit: int) -> list[str]:
    """``module:function (n lines)`` for each function or method longer than ``limit``."""
    found = []
    for module in modules.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append(f"{module.name}:{node.name} ({length} lines)")
    return sorted(found)


def own_submodule_imports(modules: dict[str, Module], package: str) -> list[str]:
    """The submodules of ``package`` that its ``__init__`` imports (lazily or not)."""
    graph = import_graph(modules)
    return sorted(t for t in graph.successors(package) if t.startswith(package + "."))


@cache
def kg_modules() -> dict[str, Module]:
    return read_modules(KG_DIR)


def _write_package(root: Path, files: dict[str, str]) -> dict[str, Module]:
    """Writes ``files`` (path -> source) under ``root`` and reads the package ``pkg`` there."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return read_modules(root / "pkg")


# ----- the checker, on packages written here -------------------------------------------------
@pytest.mark.parametrize(("importer", "source", "target"), [
    ("pkg/a.py", "import pkg.b\n", "pkg.b"),
    ("pkg/a.py", "from pkg.b import thing\n", "pkg.b"),
    ("pkg/a.py", "from pkg import b\n", "pkg.b"),
    ("pkg/a.py", "from pkg import thing\n", "pkg"),
    ("pkg/a.py", "from . import b\n", "pkg.b"),
    ("pkg/a.py", "from .b import thing\n", "pkg.b"),
    ("pkg/sub/c.py", "from ..b import thing\n", "pkg.b"),
    ("pkg/sub/__init__.py", "from .c import thing\n", "pkg.sub.c"),
    ("pkg/sub/__init__.py", "from .. import b\n", "pkg.b"),
    ("pkg/a.py", "def later():\n    from pkg.b import thing\n    return thing\n", "pkg.b"),
    ("pkg/a.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.b\n",
     "pkg.b"),
    ("pkg/a.py", "import pkg.sub.c.thing as t\n", "pkg.sub.c"),
])
def test_layout_checker_reads_every_kind_of_import(tmp_path, importer, source, target):
    files = {"pkg/__init__.py": "thing = 1\n", "pkg/a.py": "", "pkg/b.py": "thing = 1\n",
             "pkg/sub/__init__.py": "", "pkg/sub/c.py": "thing = 1\n"}
    modules = _write_package(tmp_path, {**files, importer: source})
    importer_name = ".".join(Path(importer).with_suffix("").parts).removesuffix(".__init__")
    assert set(import_graph(modules).successors(importer_name)) == {target}


def test_layout_checker_finds_a_cycle_through_a_lazy_import(tmp_path):
    modules = _write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import f\n",
        "pkg/b.py": "def f():\n    from pkg import a\n    return a\n",
        "pkg/c.py": "import json\nimport pkg.a\n",  # imports into the cycle, not part of it
    })
    assert [sorted(cycle) for cycle in cycles(import_graph(modules))] == [["pkg.a", "pkg.b"]]


def test_layout_checker_measures_functions_and_package_imports(tmp_path):
    body = "".join(f"        x{i} = {i}\n" for i in range(60))
    modules = _write_package(tmp_path, {
        "pkg/__init__.py": "def later():\n    from pkg import quiet\n",
        "pkg/quiet.py": f"class K:\n    def method(self):\n{body}",
    })
    assert long_functions(modules, 60) == ["pkg.quiet:method (61 lines)"]
    assert own_submodule_imports(modules, "pkg") == ["pkg.quiet"]


# ----- the rules, on kg/ -------------------------------------------------------------------
def test_layout_reads_the_kg_package():
    modules = kg_modules()
    assert {"kg", "kg.errors", "kg.lexicon", "kg.evaluation.score"} <= set(modules)
    graph = import_graph(modules)
    assert graph.has_edge("kg.evaluation.score", "kg.evaluation.gold")
    assert graph.number_of_edges() > len(modules)


def test_layout_no_import_cycles():
    found = cycles(import_graph(kg_modules()))
    assert not found, "import cycles:\n" + "\n".join(
        "  " + " -> ".join([*cycle, cycle[0]]) for cycle in found)


def test_layout_no_module_too_long():
    long = sorted(f"{m.name} ({m.lines} lines)" for m in kg_modules().values()
                  if m.lines > MAX_MODULE_LINES)
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {', '.join(long)}"


def test_layout_no_function_too_long():
    long = long_functions(kg_modules(), MAX_FUNCTION_LINES)
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


def test_layout_few_loose_modules():
    loose = sorted(m.path.name for m in kg_modules().values() if m.path.parent == KG_DIR)
    assert len(loose) <= MAX_LOOSE_MODULES, (
        f"{len(loose)} modules loose at the top of kg/ (at most {MAX_LOOSE_MODULES}): "
        + ", ".join(loose))


@pytest.mark.parametrize("package", QUIET_PACKAGES)
def test_layout_layer_init_imports_no_submodule(package):
    assert package in kg_modules(), f"{package} is not a package"
    imported = own_submodule_imports(kg_modules(), package)
    assert not imported, f"{package}/__init__.py imports its submodules: {', '.join(imported)}"


def test_layout_every_module_has_a_docstring():
    missing = sorted(m.name for m in kg_modules().values()
                     if not (ast.get_docstring(m.tree) or "").strip())
    assert not missing, f"modules without a docstring: {', '.join(missing)}"
