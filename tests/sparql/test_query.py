"""Tests for kg.sparql.query and kg.sparql.formats: loading graphs, running SPARQL,
SPARQL 1.1 result formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, Namespace, URIRef

from kg.sparql.engine import run_query
from kg.sparql.formats import format_result
from kg.sparql.query import QueryError, load_graph, read_query

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")

SELECT_BANS = """
PREFIX kg: <https://w3id.org/kg-geotech/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?label ?target WHERE {
  ?actor kg:bans ?target .
  OPTIONAL { ?actor rdfs:label ?label }
} ORDER BY ?target
"""


@pytest.fixture
def graph() -> rdflib.Graph:
    """A tiny graph: two bans, a labelled country, a number and a blank node."""
    g = rdflib.Graph()
    g.bind("kg", KG)
    g.bind("kgr", KGR)
    g.add((KGR["ruritania"], rdflib.RDF.type, KG.Country))
    g.add((KGR["ruritania"], rdflib.RDFS.label, Literal("Ruritania", lang="en")))
    g.add((KGR["ruritania"], KG.bans, KGR["acme-phones"]))
    g.add((KGR["borduria"], KG.bans, KGR["zeta-routers"]))
    g.add((KGR["acme-phones"], KG.confidence, Literal("0.75", datatype=rdflib.XSD.decimal)))
    g.add((KGR["acme-phones"], KG.evidence, BNode("ev1")))
    return g


def test_query_select_rows_and_unbound(graph: rdflib.Graph) -> None:
    result = run_query(graph, SELECT_BANS)
    assert result.kind == "SELECT"
    assert result.vars == ["actor", "label", "target"]
    assert result.rows == [
        (KGR["ruritania"], Literal("Ruritania", lang="en"), KGR["acme-phones"]),
        (KGR["borduria"], None, KGR["zeta-routers"]),
    ]


def test_query_json_is_sparql_results_json(graph: rdflib.Graph) -> None:
    document = json.loads(format_result(run_query(graph, SELECT_BANS), "json"))
    assert document["head"] == {"vars": ["actor", "label", "target"]}
    first, second = document["results"]["bindings"]
    assert first["actor"] == {"type": "uri", "value": str(KGR["ruritania"])}
    assert first["label"] == {"type": "literal", "value": "Ruritania", "xml:lang": "en"}
    assert "label" not in second  # unbound variables are left out of a binding


def test_query_json_datatype_and_bnode(graph: rdflib.Graph) -> None:
    sparql = "SELECT ?c ?e WHERE { ?s kg:confidence ?c ; kg:evidence ?e }"
    binding = json.loads(format_result(run_query(graph, sparql), "json"))["results"]["bindings"][0]
    assert binding["c"] == {"type": "literal", "value": "0.75", "datatype": str(rdflib.XSD.decimal)}
    assert binding["e"]["type"] == "bnode"


def test_query_csv_plain_values(graph: rdflib.Graph) -> None:
    text = format_result(run_query(graph, SELECT_BANS), "csv")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["actor", "label", "target"]
    assert rows[1] == [str(KGR["ruritania"]), "Ruritania", str(KGR["acme-phones"])]
    assert rows[2] == [str(KGR["borduria"]), "", str(KGR["zeta-routers"])]


def test_query_tsv_ntriples_terms(graph: rdflib.Graph) -> None:
    lines = format_result(run_query(graph, SELECT_BANS), "tsv").splitlines()
    assert lines[0] == "?actor\t?label\t?target"
    assert lines[1].split("\t") == [
        f"<{KGR['ruritania']}>",
        '"Ruritania"@en',
        f"<{KGR['acme-phones']}>",
    ]
    assert lines[2].split("\t")[1] == ""


def test_query_tsv_typed_literal(graph: rdflib.Graph) -> None:
    text = format_result(run_query(graph, "SELECT ?c WHERE { ?s kg:confidence ?c }"), "tsv")
    assert text.splitlines()[1] == f'"0.75"^^<{rdflib.XSD.decimal}>'


@given(st.text())
def test_query_formats_keep_any_literal_text(value: str) -> None:
    g = rdflib.Graph()
    g.add((KGR["x"], rdflib.RDFS.label, Literal(value)))
    result = run_query(g, "SELECT ?v WHERE { ?s ?p ?v }")
    tsv_lines = format_result(result, "tsv").split("\n")
    assert len(tsv_lines) == 3 and "\t" not in tsv_lines[1]  # header, one row, final newline
    binding = json.loads(format_result(result, "json"))["results"]["bindings"][0]
    assert binding["v"]["value"] == value
    assert list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))[1] == [value]


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("ASK { ?s kg:bans ?o }", True),
        ("ASK { ?s kg:sues ?o }", False),
    ],
)
def test_query_ask(graph: rdflib.Graph, sparql: str, expected: bool) -> None:
    result = run_query(graph, sparql)
    assert result.boolean is expected
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": expected}
    assert format_result(result, "table").strip() == ("yes" if expected else "no")


def test_query_construct_returns_graph(graph: rdflib.Graph) -> None:
    result = run_query(graph, "CONSTRUCT { ?o kg:bannedBy ?s } WHERE { ?s kg:bans ?o }")
    assert result.kind == "CONSTRUCT" and len(result.graph) == 2
    rows = format_result(result, "tsv").splitlines()
    assert rows[0] == "?subject\t?predicate\t?object" and len(rows) == 3


def test_query_table_uses_prefixed_names(graph: rdflib.Graph) -> None:
    text = format_result(run_query(graph, SELECT_BANS), "table")
    assert "kgr:ruritania" in text and "Ruritania@en" in text
    assert "2 results" in text
    assert "https://w3id.org" not in text


@pytest.mark.parametrize(
    "sparql",
    [
        "SELEC ?x WHERE { ?x ?p ?o }",
        "SELECT ?x\nWHERE { ?x ?p ?o .\n  FILTER( }",
        "SELECT ?x WHERE { ?x nope:p ?o }",
    ],
)
def test_query_malformed_is_one_line_error(graph: rdflib.Graph, sparql: str) -> None:
    with pytest.raises(QueryError) as info:
        run_query(graph, sparql)
    message = str(info.value)
    assert message and "\n" not in message


def test_query_malformed_points_at_line(graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match=r"line 3, column \d+"):
        run_query(graph, "SELECT ?x\nWHERE { ?x ?p ?o .\n  FILTER( }")


def test_query_unknown_format(graph: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match="unknown format"):
        format_result(run_query(graph, SELECT_BANS), "xml")


def test_query_read_query_file_and_text(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# which?\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(str(path)).startswith("# which?")
    assert read_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no such query file"):
        read_query(str(tmp_path / "missing.rq"))


def test_query_bundled_query_runs(graph: rdflib.Graph) -> None:
    result = run_query(graph, read_query("who-bans-whom.rq"))
    assert len(result.rows) == 2 and "actor" in result.vars


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq", ".jsonld"])
def test_query_load_graph_by_suffix(graph: rdflib.Graph, tmp_path: Path, suffix: str) -> None:
    fmt = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}
    path = tmp_path / f"g{suffix}"
    dataset = rdflib.Dataset()
    named = dataset.graph(URIRef("urn:x-test:g"))
    for triple in graph:
        named.add(triple)
    source = dataset if suffix in {".trig", ".nq"} else graph
    source.serialize(path, format=fmt[suffix], encoding="utf-8")
    loaded = load_graph(path)
    assert run_query(loaded, "ASK { ?s <https://w3id.org/kg-geotech/ontology#bans> ?o }").boolean


def test_query_load_graph_folder(graph: rdflib.Graph, tmp_path: Path) -> None:
    graph.serialize(tmp_path / "graph.ttl", format="turtle")
    assert len(load_graph(tmp_path)) == len(graph)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.ttl", None, "no such file"),
        ("bad.ttl", "this is { not turtle", "cannot parse"),
        ("graph.xyz", "", "unknown RDF file suffix"),
    ],
)
def test_query_load_graph_errors(tmp_path: Path, name: str, content: str | None, reason: str):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(QueryError, match=reason) as info:
        load_graph(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)
