"""Tests for notebooks/explore.ipynb: stored without outputs, runs cleanly on the seed build."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def _text(cell) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        parts.append(output.get("data", {}).get("text/html", ""))
    return "".join(parts)


def _cell_with(notebook, code: str):
    """The first code cell whose source contains ``code``."""
    return next(c for c in notebook.cells if c.cell_type == "code" and code in c.source)


def test_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_matches_its_generator() -> None:
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("make_explore", ROOT / "notebooks" / "make_explore.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.source for c in stored.cells] == [c.source for c in module.build_notebook().cells]


@pytest.fixture(scope="module")
def executed(seed_build: Path):
    """The notebook after running every cell on the seed build (KG_BUILD)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_BUILD", str(seed_build))
        client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()
    return notebook


def test_notebook_runs_without_errors(executed, seed_build: Path) -> None:
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    assert f"build: {seed_build.resolve()}" in _text(executed.cells[1])


def test_notebook_runs_the_bundled_queries(executed) -> None:
    text = _text(_cell_with(executed, "queries_dir().glob"))
    for path in sorted((ROOT / "queries").glob("*.rq")):
        assert f"== {path.name}" in text
    assert "<table>" in text and "kgr:" in text


def test_notebook_ranks_actors_by_centrality(executed) -> None:
    lines = _text(_cell_with(executed, "nx.betweenness_centrality")).splitlines()
    assert lines[0].split() == ["actor", "relations", "degree", "betweenness"]
    assert "United States" in "\n".join(lines[1:4])  # the seed's most connected actor


def test_notebook_finds_communities_and_draws(executed) -> None:
    communities = _text(_cell_with(executed, "greedy_modularity_communities(simple)"))
    assert communities.startswith("community 1 (") and "community 2 (" in communities
    drawing = _cell_with(executed, "savefig")
    assert any("image/png" in o.get("data", {}) for o in drawing.outputs)
    assert "drawn:" in _text(drawing)
