"""Tests for kg.sparql.policy: what kg query and kg serve refuse, and how each reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.app import app
from kg.sparql.policy import Audience, ReadOnlyPolicy, Refusal, RefusalKind
from kg.sparql.serve import check_query

COMMAND = ReadOnlyPolicy()
ENDPOINT = ReadOnlyPolicy(audience=Audience.ENDPOINT)
REMOTE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
UPDATES = [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
    ("delete where { ?s ?p ?o }", "DELETE"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://b/>\nCLEAR ALL", "CLEAR"),
    ("# a comment first\nDROP GRAPH <http://g>", "DROP"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("\\u0049NSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
]


@pytest.mark.parametrize(("query", "word"), UPDATES)
def test_policy_refuses_updates(query: str, word: str) -> None:
    assert COMMAND.check(query) == Refusal(
        RefusalKind.UPDATE, "kg query is read-only: SPARQL updates are refused")
    assert ENDPOINT.check(query) == Refusal(
        RefusalKind.UPDATE, f"read-only endpoint: SPARQL updates ({word}) are refused")
    # allowing SERVICE allows no update
    assert ReadOnlyPolicy(allow_service=True).check(query).kind is RefusalKind.UPDATE


@pytest.mark.parametrize("query", [
    REMOTE,
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_policy_refuses_service_unless_allowed(query: str) -> None:
    assert COMMAND.check(query) == Refusal(
        RefusalKind.SERVICE,
        "SERVICE (a federated query) fetches from the network; add --allow-service to run it")
    assert ENDPOINT.check(query) == Refusal(
        RefusalKind.SERVICE, "SERVICE (federated query) is not allowed on this endpoint")
    assert ReadOnlyPolicy(allow_service=True).check(query) is None
    assert ReadOnlyPolicy(True, Audience.ENDPOINT).check(query) is None


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service ex:SERVICE "SERVICE" }',
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <x>",
    "SELECT * WHERE { ?s ?p '''a SERVICE\nin a long string''' }",
    'SELECT * WHERE { ?s ?p "INSERT DATA" }',
    "ASK { ?s ?p ?o }",
    "PREFIX insert: <http://example.org/> SELECT * WHERE { ?s insert:p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/a>",
])
def test_policy_lets_queries_through(query: str) -> None:
    assert COMMAND.check(query) is None and ENDPOINT.check(query) is None


def test_policy_refuse_update_without_a_keyword() -> None:
    assert ENDPOINT.refuse_update() == Refusal(
        RefusalKind.UPDATE, "read-only endpoint: SPARQL updates are refused")
    assert COMMAND.refuse_update("INSERT").message == (
        "kg query is read-only: SPARQL updates are refused")


@pytest.mark.parametrize(("query", "status"), [(UPDATES[0][0], 403), (REMOTE, 400)])
def test_policy_endpoint_maps_a_refusal_to_its_status(query: str, status: int) -> None:
    reply = check_query(query)
    assert reply.status == status
    assert reply.body == (ENDPOINT.check(query).message + "\n").encode("utf-8")
    assert reply.content_type.startswith("text/plain")


@pytest.fixture
def tiny_graph(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    path.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("query", [UPDATES[0][0], UPDATES[2][0], REMOTE])
def test_policy_message_is_what_kg_query_prints(tiny_graph: Path, engine: str,
                                                query: str) -> None:
    result = CliRunner().invoke(app, ["query", query, "--graph", str(tiny_graph),
                                      "--engine", engine])
    assert result.exit_code == 1
    assert result.output == f"kg: {COMMAND.check(query).message}\n"
    assert tiny_graph.read_text(encoding="utf-8").count("\n") == 1  # nothing was changed


def test_policy_workers_refuse_too(tiny_graph: Path) -> None:
    # A job that reached a worker without the server's check is refused the same way.
    from kg.sparql.engine import open_engine
    from kg.sparql.workers import Job, execute

    engine = open_engine(tiny_graph, "oxigraph")
    service = execute(engine, Job(REMOTE, None, 10))
    assert (service.status, service.body) == (
        400, b"SERVICE (federated query) is not allowed on this endpoint\n")
    update = execute(engine, Job("CLEAR ALL", None, 10, allow_service=True))
    assert (update.status, update.body) == (
        403, b"read-only endpoint: SPARQL updates (CLEAR) are refused\n")
    assert execute(engine, Job("ASK { ?s ?p ?o }", None, 10)).status == 200
