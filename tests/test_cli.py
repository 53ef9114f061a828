"""Tests for the ``kg`` command line, run in-process through typer's CliRunner."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg import __version__
from kg.cli.app import app
from kg.datatypes import (
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_OUT,
    BuildOptions,
    BuildResult,
    BuildStats,
    ValidationReport,
)

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(typer.main.get_command(app).commands)

PREFIXES = """\
@prefix kg: <https://w3id.org/kg-geotech/ontology#> .
@prefix kgr: <https://w3id.org/kg-geotech/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

SMALL_GRAPH = (
    PREFIXES
    + """
kgr:ruritania a kg:Country ; rdfs:label "Ruritania" .
kgr:acme a kg:Company ; rdfs:label "Acme Phones" .
kgr:ruritania kg:bans kgr:acme .
"""
)

# Several things any reasonable shapes file rejects: an unlabelled, untyped
# relation end, a literal where an entity belongs, a claim without text.
VIOLATING_GRAPH = (
    PREFIXES
    + """
kgr:nowhere a kg:Country .
kgr:nowhere kg:bans "a plain string" .
kgr:claim-x a kg:Claim .
"""
)

runner = CliRunner()


@pytest.fixture
def small_graph(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    path.write_text(SMALL_GRAPH, encoding="utf-8")
    return path


@pytest.fixture
def pipeline():
    """kg.build.pipeline, for the tests that replace its build."""
    return importlib.import_module("kg.build.pipeline")


@pytest.fixture
def validation():
    """kg.validate.shacl, for the tests that replace its checks."""
    return importlib.import_module("kg.validate.shacl")


def test_cli_no_args_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    assert all(name in result.output for name in COMMANDS)


def test_cli_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"kg {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_for_every_command(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.split()) > 10


def test_cli_commands_are_the_documented_set() -> None:
    assert COMMANDS == ["build", "eval", "push", "query", "serve", "validate", "watch"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_command_documented_in_readme(command: str) -> None:
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing"
    assert re.search(rf"\bkg {command}\b", readme.read_text(encoding="utf-8")), command


def test_cli_query_table(small_graph: Path) -> None:
    sparql = "SELECT ?a ?b WHERE { ?a kg:bans ?b }"
    result = runner.invoke(app, ["query", sparql, "--graph", str(small_graph)])
    assert result.exit_code == 0, result.output
    assert "kgr:ruritania" in result.output and "kgr:acme" in result.output


def test_cli_query_json_from_folder(small_graph: Path) -> None:
    args = ["query", "SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l", "-f", "json"]
    result = runner.invoke(app, [*args, "--graph", str(small_graph.parent)])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["l"]["value"] for b in bindings] == ["Acme Phones", "Ruritania"]


def test_cli_query_rq_file_csv(small_graph: Path, tmp_path: Path) -> None:
    rq = tmp_path / "labels.rq"
    rq.write_text("# Which labels?\nSELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l\n")
    result = runner.invoke(app, ["query", str(rq), "--graph", str(small_graph), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["l", "Acme Phones", "Ruritania"]


def test_cli_query_bundled_example(small_graph: Path) -> None:
    args = ["query", "who-bans-whom.rq", "--graph", str(small_graph), "-f", "tsv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Ruritania" in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["SELEC ?x WHERE { ?x ?p ?o }"], 1),
        (["SELECT * WHERE { ?s ?p ?o }", "--format", "xml"], 2),
    ],
)
def test_cli_query_bad_input(small_graph: Path, args: list[str], code: int) -> None:
    result = runner.invoke(app, ["query", *args, "--graph", str(small_graph)])
    assert result.exit_code == code
    assert "Traceback" not in result.output


def test_cli_query_missing_graph(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "ASK {}", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr


def test_cli_validate_conforming(validation, small_graph: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_graph)])
    assert result.exit_code == 0, result.output


def test_cli_validate_violating(validation, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(VIOLATING_GRAPH, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip()


@pytest.mark.parametrize(("name", "content"), [("broken.ttl", "not { turtle"), ("none.ttl", None)])
def test_cli_validate_unreadable(validation, tmp_path: Path, name: str, content: str | None):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.stderr.strip()


def test_cli_build_real_pipeline(pipeline, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text(
        "Ruritania bans phones\n\nThe government of Ruritania banned Acme Phones on Monday. "
        "Acme Phones denied that its handsets send data abroad.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "graph.ttl").is_file()
    assert "documents" in result.stdout


def test_cli_build_missing_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "nothing-here")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_build_error_is_one_line(pipeline, monkeypatch, tmp_path: Path) -> None:
    def failing(options):
        raise pipeline.BuildError("no documents\nfound in sources")

    monkeypatch.setattr(pipeline, "build", failing)
    result = runner.invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "kg: build failed: no documents found in sources"


@pytest.mark.parametrize(
    ("warnings", "violations", "strict", "code"),
    [
        ([], 0, True, 0),
        (["odd sentence skipped"], 0, False, 0),
        (["odd sentence skipped"], 0, True, 1),
        ([], 3, True, 1),
    ],
)
def test_cli_build_strict(pipeline, monkeypatch, tmp_path, warnings, violations, strict, code):
    stats = BuildStats(documents=1, entities=2, violations=violations, warnings=list(warnings))
    stats.outputs["graph"] = str(tmp_path / "o" / "graph.ttl")
    seen = {}

    def fake(options):
        seen["options"] = options
        return BuildResult(
            graph=None, report=ValidationReport(conforms=not violations), stats=stats
        )

    monkeypatch.setattr(pipeline, "build", fake)
    args = ["build", str(tmp_path), "--out", str(tmp_path / "o"), "--min-confidence", "0.5"]
    result = runner.invoke(app, args + (["--strict"] if strict else []))
    assert result.exit_code == code, result.output
    assert seen["options"] == BuildOptions((tmp_path,), tmp_path / "o", min_confidence=0.5)
    assert all(f"warning: {w}" in result.stderr for w in warnings)
    assert "graph.ttl" in result.stdout


def test_cli_build_passes_one_options_object(pipeline, monkeypatch, tmp_path):
    seen = []

    def fake(options):
        seen.append(options)
        return BuildResult(graph=None, report=ValidationReport(conforms=True), stats=BuildStats())

    monkeypatch.setattr(pipeline, "build", fake)
    assert runner.invoke(app, ["build", str(tmp_path)]).exit_code == 0
    args = ["build", str(tmp_path), "--out", str(tmp_path / "o"), "--min-confidence", "0.25",
            "--lock-timeout", "5", "-j", "2", "--no-cache", "--cache-dir", str(tmp_path / "c")]
    assert runner.invoke(app, args).exit_code == 0
    assert seen == [BuildOptions((tmp_path,)),
                    BuildOptions((tmp_path,), tmp_path / "o", 0.25, 5.0, 2, False, tmp_path / "c")]


@pytest.mark.parametrize("command", ["build", "watch"])
def test_cli_build_defaults_are_the_build_options_defaults(command):
    params = {p.name: p.default for p in typer.main.get_command(app).commands[command].params}
    assert params["min_confidence"] == DEFAULT_MIN_CONFIDENCE == BuildOptions().min_confidence
    assert Path(params["out"]) == DEFAULT_OUT == BuildOptions().out
    if command == "build":
        assert params["lock_timeout"] == DEFAULT_LOCK_TIMEOUT == BuildOptions().lock_timeout
        assert params["jobs"] == BuildOptions().jobs


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_cli_query_refuses_service_unless_allowed(seed_build, engine: str) -> None:
    remote = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = runner.invoke(app, ["query", remote, "--graph", str(seed_build),
                                 "--engine", engine])
    assert result.exit_code == 1
    assert "--allow-service" in result.output and "Traceback" not in result.output


def test_cli_query_service_word_inside_a_string_is_not_refused(seed_build) -> None:
    text = 'SELECT ?t WHERE { ?c kg:text ?t FILTER(CONTAINS(?t, "SERVICE")) }'
    result = runner.invoke(app, ["query", text, "--graph", str(seed_build), "-f", "csv"])
    assert result.exit_code == 0, result.output


def test_cli_query_refuses_updates_and_leaves_the_store(seed_build) -> None:
    from kg.sparql.store import open_store

    before = len(open_store(seed_build))
    result = runner.invoke(app, ["query", "INSERT DATA { kgr:x kg:bans kgr:y }",
                                 "--graph", str(seed_build)])
    assert result.exit_code == 1 and "read-only" in result.output
    assert len(open_store(seed_build)) == before
