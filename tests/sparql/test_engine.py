"""Tests for kg.sparql.engine: one interface over pyoxigraph and rdflib that gives the same
answers, bindings, limits, refusals and errors with either engine."""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef, Variable

from kg.rdfio import GraphReadError
from kg.sparql.engine import (
    ENGINES,
    OxigraphEngine,
    QueryDataset,
    RdflibEngine,
    engine_for,
    open_engine,
    run_query,
)
from kg.sparql.formats import format_result
from kg.sparql.policy import ReadOnlyPolicy, RefusalKind
from kg.sparql.result import (
    InvalidRequest,
    MalformedQuery,
    QueryError,
    QueryFailed,
    QueryRefused,
)
from kg.sparql.terms import TripleTerm, nt_term, to_oxigraph, to_rdflib
from kg.vocab import KG, KGR, PREFIXES

# Full IRIs and no @prefix lines: the project prefixes must come from the engine.
TURTLE = f"""\
<{KGR}ruritania> <{KG}bans> <{KGR}acme> , <{KGR}zeta> .
<{KGR}borduria> <{KG}bans> <{KGR}acme> .
<{KGR}ruritania> <http://www.w3.org/2000/01/rdf-schema#label> "Ruritania"@en .
<{KGR}borduria> <http://www.w3.org/2000/01/rdf-schema#label> "Borduria" .
<{KGR}acme> <{KG}confidence> "0.75"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<{KGR}acme> <{KG}text> "a \\"quoted\\"\\nline\\tand tab" .
<{KGR}zeta> <{KG}evidence> _:ev1 .
"""
SAME_ANSWERS = [
    "SELECT ?a ?t WHERE { ?a kg:bans ?t } ORDER BY ?a ?t",
    "SELECT ?s ?label WHERE { ?s kg:bans ?t OPTIONAL { ?s rdfs:label ?label } }"
    " GROUP BY ?s ?label ORDER BY ?s",
    "SELECT ?s ?v WHERE { ?s kg:confidence|kg:text ?v } ORDER BY ?s ?v",
    "SELECT ?a (COUNT(?t) AS ?n) WHERE { ?a kg:bans ?t } GROUP BY ?a ORDER BY ?a",
    "PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:nothing ?y }",
    "ASK { kgr:ruritania kg:bans kgr:zeta }",
    "ASK { kgr:zeta kg:bans kgr:ruritania }",
]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("engine") / "graph.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    return path


@pytest.fixture(params=ENGINES)
def engine(request, graph_file: Path):
    """Each engine over the same graph file."""
    return open_engine(graph_file, request.param)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----- the same answers ------------------------------------------------------------------
@pytest.mark.parametrize("sparql", SAME_ANSWERS)
def test_engine_both_engines_give_the_same_answer(graph_file: Path, sparql: str) -> None:
    by_store = open_engine(graph_file, "oxigraph").run(sparql)
    by_rdflib = open_engine(graph_file, "rdflib").run(sparql)
    assert by_store.kind == by_rdflib.kind
    assert (by_store.vars, by_store.rows, by_store.boolean) == (
        by_rdflib.vars, by_rdflib.rows, by_rdflib.boolean)
    for fmt in ("csv", "tsv", "json"):
        assert format_result(by_store, fmt) == format_result(by_rdflib, fmt)


def test_engine_select_answer_in_rdflib_terms(engine) -> None:
    result = engine.run("SELECT ?a ?t WHERE { ?a kg:bans ?t } ORDER BY ?a ?t")
    assert result.kind == "SELECT" and result.vars == ["a", "t"] and not result.truncated
    assert result.rows == [(KGR.borduria, KGR.acme), (KGR.ruritania, KGR.acme),
                           (KGR.ruritania, KGR.zeta)]


def test_engine_construct_gives_the_same_triples(graph_file: Path) -> None:
    sparql = "CONSTRUCT { ?t kg:opposes ?a } WHERE { ?a kg:bans ?t }"
    answers = [open_engine(graph_file, name).run(sparql) for name in ENGINES]
    assert {a.kind for a in answers} == {"CONSTRUCT"}
    expected = {(KGR.acme, KG.opposes, KGR.ruritania), (KGR.zeta, KG.opposes, KGR.ruritania),
                (KGR.acme, KG.opposes, KGR.borduria)}
    assert all(set(a.triples) == expected == set(a.graph) for a in answers)
    assert format_result(answers[0], "tsv") == format_result(answers[1], "tsv")


def test_engine_construct_graph_binds_the_project_prefixes(graph_file: Path) -> None:
    result = open_engine(graph_file, "oxigraph").run("CONSTRUCT WHERE { ?s kg:bans ?o }")
    assert dict(result.graph.namespaces())["kgr"] == URIRef(PREFIXES["kgr"])
    assert "kgr:ruritania kg:bans" in result.graph.serialize(format="turtle")


@pytest.mark.parametrize(("sparql", "kind"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# not a SELECT\nDESCRIBE kgr:acme", "DESCRIBE"),
])
def test_engine_start_tells_the_kind_before_reading(engine, sparql: str, kind: str) -> None:
    answer = engine.start(sparql)
    assert answer.kind == kind
    assert answer.collect().kind == kind


# ----- bindings --------------------------------------------------------------------------
@pytest.mark.parametrize(("sparql", "bindings", "rows"), [
    ("SELECT ?l WHERE { VALUES ?e { kgr:ruritania } ?e rdfs:label ?l }", {},
     [(Literal("Ruritania", lang="en"),)]),
    ("SELECT ?l WHERE { VALUES ?e { kgr:ruritania } ?e rdfs:label ?l }",
     {"e": KGR.borduria}, [(Literal("Borduria"),)]),
    ("SELECT ?a ?t WHERE { ?a kg:bans ?t } ORDER BY ?t", {"a": KGR.borduria},
     [(KGR.borduria, KGR.acme)]),
    ("SELECT ?t WHERE { ?a kg:bans ?t } ORDER BY ?t", {"a": KGR.ruritania},
     [(KGR.acme,), (KGR.zeta,)]),
    ("SELECT ?s WHERE { ?s kg:confidence ?c }",
     {"c": Literal("0.75", datatype=rdflib.XSD.decimal)}, [(KGR.acme,)]),
])
def test_engine_bindings(engine, sparql: str, bindings: dict, rows: list) -> None:
    assert engine.run(sparql, bindings).rows == rows


def test_engine_blank_node_cannot_go_into_values(engine) -> None:
    with pytest.raises(QueryError, match="blank node"):
        engine.run("SELECT ?l WHERE { VALUES ?e { kgr:acme } ?e rdfs:label ?l }", {"e": BNode()})


def test_engine_oxigraph_blank_node_only_for_a_selected_variable(graph_file: Path) -> None:
    engine = open_engine(graph_file, "oxigraph")
    with pytest.raises(QueryError, match="only to a SELECTed variable"):
        engine.run("SELECT ?t WHERE { ?a kg:bans ?t }", {"a": BNode()})


# ----- limits ----------------------------------------------------------------------------
def test_engine_limit_cuts_rows_and_says_so(engine) -> None:
    sparql = "SELECT ?a ?t WHERE { ?a kg:bans ?t } ORDER BY ?a ?t"
    cut = engine.run(sparql, limit=2)
    assert cut.truncated and cut.rows == engine.run(sparql).rows[:2]
    assert not engine.run(sparql, limit=3).truncated


def test_engine_limit_cuts_triples(engine) -> None:
    cut = engine.run("CONSTRUCT WHERE { ?a kg:bans ?t }", limit=1)
    assert cut.truncated and len(cut.triples) == 1 and len(cut.graph) == 1
    whole = engine.run("CONSTRUCT WHERE { ?a kg:bans ?t }", limit=3)
    assert not whole.truncated and len(whole.triples) == 3


# ----- the read-only policy --------------------------------------------------------------
@pytest.mark.parametrize(("sparql", "kind"), [
    ("INSERT DATA { kgr:a kg:bans kgr:b }", RefusalKind.UPDATE),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", RefusalKind.SERVICE),
])
def test_engine_refuses_what_the_policy_refuses(engine, sparql: str, kind) -> None:
    with pytest.raises(QueryRefused) as info:
        engine.run(sparql)
    assert info.value.refusal.kind is kind
    assert str(info.value) == ReadOnlyPolicy().check(sparql).message


def test_engine_without_policy_still_runs_no_update(engine) -> None:
    with pytest.raises(MalformedQuery):
        engine.run("INSERT DATA { kgr:a kg:bans kgr:b }", policy=None)
    assert not engine.run("ASK { kgr:a kg:bans kgr:b }").boolean


def test_engine_allowed_service_is_tried(engine) -> None:
    remote = f"http://127.0.0.1:{_closed_port()}/sparql"
    sparql = f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryFailed, match="^query failed: ") as info:
        engine.run(sparql, policy=ReadOnlyPolicy(allow_service=True))
    assert "\n" not in str(info.value)


# ----- errors ----------------------------------------------------------------------------
def test_engine_malformed_query_names_line_and_column(engine) -> None:
    with pytest.raises(MalformedQuery, match=r"^malformed SPARQL at line 2, column \d+") as info:
        engine.run("SELECT ?x\nWHERE { ?x ?p }")
    assert "\n" not in str(info.value) and info.value.reason and "\n" not in info.value.reason


def test_engine_open_errors(tmp_path: Path) -> None:
    for name in ENGINES:
        with pytest.raises(GraphReadError, match="no such file"):
            open_engine(tmp_path / "missing.ttl", name)
    with pytest.raises(ValueError, match="unknown engine"):
        open_engine(tmp_path, "jena")


# ----- datasets --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_graphs(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("datasets") / "provenance.trig"
    path.write_text(f"<urn:g1> {{ <{KGR}a> <{KG}bans> <{KGR}b> }}\n"
                    f"<urn:g2> {{ <{KGR}c> <{KG}bans> <{KGR}d> }}\n", encoding="utf-8")
    return path


def test_engine_dataset_chooses_the_graphs(two_graphs: Path) -> None:
    engine = open_engine(two_graphs, "oxigraph")
    subjects = "SELECT ?s WHERE { ?s kg:bans ?o } ORDER BY ?s"
    assert engine.run(subjects).rows == [(KGR.a,), (KGR.c,)]  # the union of the graphs
    assert engine.run(subjects, dataset=QueryDataset(("urn:g2",))).rows == [(KGR.c,)]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert engine.run(graphs, dataset=QueryDataset(named_graphs=("urn:g1",))).rows == [
        (URIRef("urn:g1"),)]


def test_engine_dataset_errors(two_graphs: Path) -> None:
    with pytest.raises(InvalidRequest) as info:
        open_engine(two_graphs, "oxigraph").start("ASK {}", dataset=QueryDataset(("not an iri",)))
    assert info.value.reason
    with pytest.raises(InvalidRequest, match="rdflib engine"):
        open_engine(two_graphs, "rdflib").run("ASK {}", dataset=QueryDataset(("urn:g1",)))


# ----- choosing an engine, terms ---------------------------------------------------------
def test_engine_for_a_store_or_a_graph(graph_file: Path) -> None:
    store = ox.Store()
    store.load(path=str(graph_file), format=ox.RdfFormat.TURTLE)
    graph = rdflib.Graph().parse(graph_file)
    assert isinstance(engine_for(store), OxigraphEngine)
    assert isinstance(engine_for(graph), RdflibEngine)
    ask = "ASK { kgr:borduria kg:bans kgr:acme }"
    assert run_query(store, ask).boolean is run_query(graph, ask).boolean is True


def test_engine_triple_terms_survive_the_round_trip() -> None:
    store = ox.Store()
    triple = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("x"))
    store.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    result = OxigraphEngine(store).run("CONSTRUCT { ?s ?p <<( ?s ?p ?o )>> } WHERE { ?s ?p ?o }")
    (subject, predicate, term), = result.triples
    assert isinstance(term, TripleTerm) and to_oxigraph(term) == triple
    assert str(term) == str(triple)  # shown as its N-Triples text


@pytest.mark.parametrize("term", [
    URIRef("http://e/a"), BNode("b1"), Literal("plain"), Literal("hi", lang="en"),
    Literal("0.5", datatype=rdflib.XSD.decimal), Literal("7", datatype=rdflib.XSD.integer),
])
def test_engine_terms_round_trip(term) -> None:
    assert to_rdflib(to_oxigraph(term)) == term


def test_engine_term_conversion_edges() -> None:
    assert to_rdflib(None) is None and nt_term(None) == ""
    assert to_rdflib(ox.Literal("s", datatype=ox.NamedNode(str(rdflib.XSD.string)))) == Literal("s")
    assert nt_term(Literal('a "b"\n\\')) == '"a \\"b\\"\\n\\\\"'
    assert nt_term(Literal("1", datatype=rdflib.XSD.integer)) == f'"1"^^<{rdflib.XSD.integer}>'
    with pytest.raises(TypeError):
        to_oxigraph(Variable("x"))
