"""Tests for the pieces of `kg serve` that need no server: query checks, Accept, XML results."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from rdflib import BNode, Literal, URIRef

from kg.sparql.formats import GRAPH_TYPES, RESULT_TYPES, NotAcceptable, negotiate, xml_results
from kg.sparql.result import QueryResult
from kg.sparql.serve import check_query

NS = "{http://www.w3.org/2005/sparql-results#}"
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_serve_check_query_refuses_service(query: str) -> None:
    refusal = check_query(query)
    assert refusal is not None and refusal.status == 400
    assert check_query(query, allow_service=True) is None


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service ex:SERVICE "SERVICE" }',
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <x>",
    "SELECT * WHERE { ?s service:p _:service }",
    "SELECT * WHERE { ?s ?p '''a SERVICE\nin a long string''' }",
])
def test_serve_check_query_lets_the_word_pass_elsewhere(query: str) -> None:
    assert check_query(query) is None


@pytest.mark.parametrize("query, word", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("PREFIX ex: <urn:ex:>\n# a comment\ndelete where { ?s ?p ?o }", "DELETE"),
    ("BASE <http://example.org/> LOAD <data.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <urn:g>", "DROP"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
])
def test_serve_check_query_refuses_updates(query: str, word: str) -> None:
    refusal = check_query(query)
    assert refusal is not None and refusal.status == 403
    assert word.encode() in refusal.body and refusal.body.count(b"\n") == 1


@pytest.mark.parametrize("accept, offers, expected", [
    (None, RESULT_TYPES, "json"),
    ("*/*", RESULT_TYPES, "json"),
    ("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "xml"),
    ("text/*", RESULT_TYPES, "csv"),
    ("application/json", RESULT_TYPES, "json"),
    ("text/tab-separated-values;q=0.9, text/csv;q=0.1", RESULT_TYPES, "tsv"),
    ("text/csv;q=0, */*;q=0.1", RESULT_TYPES, "json"),
    (None, GRAPH_TYPES, "turtle"),
    ("application/n-triples", GRAPH_TYPES, "ntriples"),
    ("application/sparql-results+json, application/ld+json;q=0.5", GRAPH_TYPES, "jsonld"),
])
def test_serve_negotiate_picks_the_best_offer(accept, offers, expected: str) -> None:
    assert negotiate(accept, offers)[0] == expected


@pytest.mark.parametrize("accept, offers", [
    ("text/turtle", RESULT_TYPES), ("application/sparql-results+json", GRAPH_TYPES),
    ("image/*", RESULT_TYPES),
])
def test_serve_negotiate_refuses_what_cannot_be_given(accept: str, offers) -> None:
    with pytest.raises(NotAcceptable):
        negotiate(accept, offers)


def test_serve_xml_results_escape_and_round_trip() -> None:
    nasty = 'a "quoted" <tag> & \'apostrophe\'\r\nsecond line'
    rows = [
        (URIRef("http://example.org/a?b=1&c=2"), Literal(nasty, lang="en-GB")),
        (BNode("b0"), Literal("7", datatype=INTEGER)),
        (None, Literal("bell\x07 here")),
    ]
    root = ET.fromstring(xml_results(QueryResult("SELECT", ["x", "y"], rows)))
    assert [v.get("name") for v in root.iter(f"{NS}variable")] == ["x", "y"]
    results = list(root.iter(f"{NS}result"))
    first = {b.get("name"): b[0] for b in results[0]}
    assert first["x"].tag == f"{NS}uri" and first["x"].text == "http://example.org/a?b=1&c=2"
    assert first["y"].text == nasty
    assert first["y"].get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    second = {b.get("name"): b[0] for b in results[1]}
    assert second["x"].tag == f"{NS}bnode" and second["y"].get("datatype") == str(INTEGER)
    third = {b.get("name"): b[0] for b in results[2]}
    assert set(third) == {"y"} and third["y"].text == "bell\ufffd here"


def test_serve_xml_results_ask() -> None:
    root = ET.fromstring(xml_results(QueryResult("ASK", boolean=False)))
    assert root.find(f"{NS}head") is not None and root.find(f"{NS}boolean").text == "false"
