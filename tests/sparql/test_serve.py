"""Tests for `kg serve`: answers, formats and refusals of the SPARQL endpoint (a subprocess)."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from serve_helpers import (
    ASK_BANS,
    ROOT,
    count_triples,
    fetch,
    post_form,
    rows_json,
    running_server,
)
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kg.sparql.engine import run_query
from kg.sparql.store import open_store

RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
BUNDLED = sorted(p.name for p in (ROOT / "queries").glob("*.rq"))
CONSTRUCT_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?actor kg:bans ?target . ?actor rdfs:label ?name }
WHERE { ?actor kg:bans ?target . ?actor rdfs:label ?name }
"""
INSERT = "INSERT DATA { <urn:test:x> <urn:test:says> <urn:test:hello> }"


@pytest.fixture(scope="module")
def server(seed_build: Path, tmp_path_factory) -> Iterator[tuple[str, object]]:
    """`kg serve` on the seed build with its default settings (any free port)."""
    with running_server(seed_build, tmp_path_factory.mktemp("serve")) as running:
        yield running


@pytest.fixture(scope="module")
def endpoint(server) -> str:
    return server[0] + "/sparql"


# ----- the answers a stock client gets ------------------------------------------------------
def _client_rows(endpoint: str, query: str) -> Counter:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    document = client.query().convert()
    return Counter(
        tuple(_json_key(binding.get(name)) for name in document["head"]["vars"])
        for binding in document["results"]["bindings"]
    )


def _json_key(term: dict | None) -> tuple:
    if term is None:
        return ()
    if term["type"] == "bnode":
        return ("bnode",)
    return (term["type"], term["value"], term.get("xml:lang") or term.get("datatype"))


def _term_key(term) -> tuple:
    if term is None:
        return ()
    if isinstance(term, rdflib.BNode):
        return ("bnode",)
    if isinstance(term, rdflib.Literal):
        extra = term.language or (str(term.datatype) if term.datatype else None)
        return ("literal", str(term), extra)
    return ("uri", str(term), None)


def _expected(seed_build: Path, query: str):
    return run_query(open_store(seed_build), query)


@pytest.mark.parametrize("name", BUNDLED)
def test_serve_bundled_queries_match_kg_query(endpoint: str, seed_build: Path, name: str) -> None:
    query = (ROOT / "queries" / name).read_text(encoding="utf-8")
    expected = _expected(seed_build, query)
    if expected.kind == "SELECT":
        assert _client_rows(endpoint, query) == Counter(
            tuple(_term_key(term) for term in row) for row in expected.rows)
    elif expected.kind == "ASK":
        document = json.loads(fetch(endpoint, query)[2])
        assert document["boolean"] is expected.boolean
    else:
        status, _, body = fetch(endpoint, query, headers={"Accept": "text/turtle"})
        assert status == 200
        assert isomorphic(rdflib.Graph().parse(data=body, format="turtle"), expected.graph)


def test_serve_who_bans_whom_is_bundled_and_not_empty(endpoint: str) -> None:
    assert "who-bans-whom.rq" in BUNDLED
    rows = _client_rows(endpoint, (ROOT / "queries" / "who-bans-whom.rq").read_text())
    assert sum(rows.values()) > 0


def test_serve_ask_matches_kg_query(endpoint: str, seed_build: Path) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(ASK_BANS)
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    assert _expected(seed_build, ASK_BANS).boolean is True


def test_serve_construct_matches_kg_query(endpoint: str, seed_build: Path) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT_LABELS)
    client.setReturnFormat(TURTLE)
    served = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(served) > 0
    assert isomorphic(served, _expected(seed_build, CONSTRUCT_LABELS).graph)


@pytest.mark.parametrize("accept, parse", [
    ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("text/turtle", "turtle"),
])
def test_serve_construct_formats_by_accept(endpoint: str, accept: str, parse: str) -> None:
    status, headers, body = fetch(endpoint, CONSTRUCT_LABELS, headers={"Accept": accept})
    assert status == 200 and headers["content-type"] == accept
    assert len(rdflib.Graph().parse(data=body, format=parse)) > 0


# ----- result formats -----------------------------------------------------------------------
SELECT_LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"


def _rows_xml(body: bytes) -> list[tuple[str, ...]]:
    root = ET.fromstring(body)
    assert root.tag == f"{RESULTS_NS}sparql"
    names = [v.get("name") for v in root.iter(f"{RESULTS_NS}variable")]
    rows = []
    for result in root.iter(f"{RESULTS_NS}result"):
        values = {b.get("name"): b[0].text or "" for b in result.iter(f"{RESULTS_NS}binding")}
        rows.append(tuple(values.get(n, "") for n in names))
    return rows


def _rows_csv(body: bytes) -> list[tuple[str, ...]]:
    return [tuple(row) for row in csv.reader(io.StringIO(body.decode()))][1:]


def _rows_tsv(body: bytes) -> list[tuple[str, ...]]:
    lines = body.decode().split("\n")[1:]
    return [tuple(_tsv_value(cell) for cell in line.split("\t")) for line in lines if line]


def _tsv_value(cell: str) -> str:
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    match = re.fullmatch(r'"(.*)"(?:@[\w-]+|\^\^<[^>]*>)?', cell, re.DOTALL)
    if match is None:
        return cell
    escapes = {"\\n": "\n", "\\r": "\r", "\\t": "\t", '\\"': '"', "\\\\": "\\"}
    return re.sub(r'\\[nrt"\\]', lambda m: escapes[m.group()], match.group(1))


@pytest.mark.parametrize("accept, content_type, parse", [
    ("application/sparql-results+json", "application/sparql-results+json", rows_json),
    ("application/sparql-results+xml", "application/sparql-results+xml", _rows_xml),
    ("text/csv", "text/csv", _rows_csv),
    ("text/tab-separated-values", "text/tab-separated-values", _rows_tsv),
    (None, "application/sparql-results+json", rows_json),
    ("text/html, */*;q=0.1", "application/sparql-results+json", rows_json),
])
def test_serve_result_formats_agree(endpoint: str, accept, content_type, parse) -> None:
    reference = rows_json(fetch(endpoint, SELECT_LABELS)[2])
    status, headers, body = fetch(endpoint, SELECT_LABELS,
                                  headers={"Accept": accept} if accept else {})
    assert status == 200
    assert headers["content-type"] == content_type
    assert len(reference) > 10 and parse(body) == reference


def test_serve_xml_ask_answer(endpoint: str) -> None:
    accept = {"Accept": "application/sparql-results+xml"}
    status, _, body = fetch(endpoint, ASK_BANS, headers=accept)
    assert status == 200
    assert ET.fromstring(body).find(f"{RESULTS_NS}boolean").text == "true"


def test_serve_post_forms_give_the_same_answer(endpoint: str) -> None:
    by_get = fetch(endpoint, SELECT_LABELS)[2]
    by_form = post_form(endpoint, query=SELECT_LABELS)
    direct = fetch(endpoint, data=SELECT_LABELS.encode(),
                   headers={"Content-Type": "application/sparql-query"})
    assert by_form[0] == direct[0] == 200
    assert rows_json(by_form[2]) == rows_json(direct[2]) == rows_json(by_get)


def test_serve_unacceptable_media_type_is_406(endpoint: str) -> None:
    status, _, body = fetch(endpoint, SELECT_LABELS, headers={"Accept": "image/png"})
    assert status == 406 and body.count(b"\n") == 1


# ----- read-only, no federation, bad input --------------------------------------------------
def test_serve_refuses_updates_and_changes_nothing(endpoint: str) -> None:
    before = count_triples(endpoint)
    attempts = [
        post_form(endpoint, update=INSERT),
        fetch(endpoint, data=INSERT.encode(),
              headers={"Content-Type": "application/sparql-update"}),
        post_form(endpoint, query=INSERT),
        fetch(endpoint, INSERT),
        post_form(endpoint, query="PREFIX ex: <urn:ex:> # comment\nCLEAR ALL"),
        post_form(endpoint, query="LOAD <file:///etc/passwd>"),
    ]
    for status, _, body in attempts:
        assert 400 <= status < 500, body
        assert body.count(b"\n") == 1
    assert count_triples(endpoint) == before > 0
    assert json.loads(fetch(endpoint, "ASK { <urn:test:x> ?p ?o }")[2])["boolean"] is False


def test_serve_refuses_updates_from_a_stock_client(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery(INSERT)
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403


def test_serve_refuses_service_by_default(endpoint: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = fetch(endpoint, query)
    assert status == 400 and b"SERVICE" in body and body.count(b"\n") == 1


@pytest.mark.parametrize(
    "query", ["SELECT * WHERE { ?s ?p }", "SELEKT ?s", "ASK { ?s unknown:p ?o }"]
)
def test_serve_malformed_query_is_400_one_line(endpoint: str, query: str) -> None:
    status, headers, body = fetch(endpoint, query)
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert body.count(b"\n") == 1 and body.startswith(b"malformed query")


@pytest.mark.parametrize("request_kind", ["no query", "two queries", "bad content type"])
def test_serve_bad_protocol_requests_are_4xx(endpoint: str, request_kind: str) -> None:
    status = {
        "no query": lambda: fetch(endpoint),
        "two queries": lambda: fetch(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D"),
        "bad content type": lambda: fetch(endpoint, data=b"ASK {}",
                                          headers={"Content-Type": "text/plain"}),
    }[request_kind]()[0]
    assert 400 <= status < 500


def test_serve_root_is_the_html_explorer(server, seed_build: Path) -> None:
    status, headers, body = fetch(server[0] + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body == (seed_build / "graph.html").read_bytes()
    assert fetch(server[0] + "/graph.ttl")[0] == 404
    assert fetch(server[0] + "/../etc/passwd")[0] == 404
