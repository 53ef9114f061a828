"""Tests for kg.sparql.store: the on-disk pyoxigraph store beside graph.ttl, and SPARQL over it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from kg.rdfio import GraphReadError
from kg.sparql.engine import run_query
from kg.sparql.query import QueryError, parse_binding
from kg.sparql.rewrite import apply_values_bindings
from kg.sparql.store import (
    STAMP_NAME,
    STORE_NAME,
    file_sha256,
    load_store,
    open_store,
    write_store,
)
from kg.sparql.terms import to_oxigraph, to_rdflib

CORPUS = Path(__file__).parent.parent / "data" / "query_corpus"
KGR = rdflib.Namespace("https://w3id.org/kg-geotech/resource/")
KG = rdflib.Namespace("https://w3id.org/kg-geotech/ontology#")
NUMBERS = {rdflib.XSD.decimal, rdflib.XSD.double, rdflib.XSD.integer}
BANS = "SELECT ?actor ?target WHERE { ?actor kg:bans ?target } ORDER BY ?actor ?target"


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> Path:
    """The query corpus built once for this module (read-only)."""
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    out = tmp_path_factory.mktemp("store-corpus")
    build(BuildOptions([CORPUS], out))
    return out


@pytest.fixture
def build_copy(corpus_build: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus build that a test may change."""
    return Path(shutil.copytree(corpus_build, tmp_path / "build"))


def _key(term) -> str:
    """A term as text, numbers by value (the store writes decimals canonically: 0.80 -> 0.8)."""
    if isinstance(term, Literal) and term.datatype in NUMBERS:
        return f"{term.datatype}:{float(term)}"
    return term.n3()


def _default_triples(store: ox.Store) -> set[tuple[str, ...]]:
    quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return {tuple(_key(to_rdflib(t)) for t in (q.subject, q.predicate, q.object)) for q in quads}


def _bans(source) -> list[tuple[str, str]]:
    return [(str(a), str(t)) for a, t in run_query(source, BANS).rows]


def test_store_default_graph_is_graph_ttl(corpus_build: Path) -> None:
    store = open_store(corpus_build)
    turtle = rdflib.Graph().parse(corpus_build / "graph.ttl")
    assert _default_triples(store) == {tuple(_key(t) for t in triple) for triple in turtle}


def test_store_named_graphs_are_provenance(corpus_build: Path) -> None:
    store = open_store(corpus_build)
    trig = rdflib.Dataset().parse(corpus_build / "provenance.trig", format="trig")
    expected = {(str(s), str(p), str(o), str(g)) for s, p, o, g in trig.quads() if g is not None}
    named = {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
             for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert named == expected and len({g for *_, g in named}) == 4  # one graph per document


def test_store_stamp_records_graph_sha256(corpus_build: Path) -> None:
    stamp = json.loads((corpus_build / STORE_NAME / STAMP_NAME).read_text(encoding="utf-8"))
    assert stamp["graph_sha256"] == file_sha256(corpus_build / "graph.ttl")
    assert stamp["graph_file"] == "graph.ttl"


@pytest.mark.parametrize("where", ["", "graph.ttl", STORE_NAME])
def test_store_open_on_disk_read_only(corpus_build: Path, where: str) -> None:
    store = open_store(corpus_build / where)
    assert ("https://w3id.org/kg-geotech/resource/canada",
            "https://w3id.org/kg-geotech/resource/wechat") in _bans(store)
    with pytest.raises(RuntimeError, match="read-write"):  # proves it is the on-disk store
        store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c")))


def test_store_stale_store_falls_back_to_the_file(build_copy: Path) -> None:
    graph_file = build_copy / "graph.ttl"
    extra = f"\n<{KGR['brazil']}> <{KG.bans}> <{KGR['tiktok']}> .\n"
    graph_file.write_text(graph_file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    store = open_store(build_copy)
    assert (str(KGR["brazil"]), str(KGR["tiktok"])) in _bans(store)
    store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c")))  # memory
    stale = ox.Store.read_only(str(build_copy / STORE_NAME))
    assert (str(KGR["brazil"]), str(KGR["tiktok"])) not in _bans(stale)


def test_store_folder_alone_still_opens(build_copy: Path) -> None:
    (build_copy / "graph.ttl").unlink()
    assert _bans(open_store(build_copy / STORE_NAME))
    with pytest.raises(GraphReadError, match="no such file"):
        open_store(build_copy)


def test_store_survives_rebuild(build_copy: Path) -> None:
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    before = open_store(build_copy)
    expected = _bans(before)
    build(BuildOptions([CORPUS], build_copy))
    assert _bans(before) == expected  # a store opened before the rebuild still answers
    after = open_store(build_copy)
    with pytest.raises(RuntimeError):
        after.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c")))
    assert _bans(after) == expected
    assert sorted(p.name for p in build_copy.iterdir() if STORE_NAME in p.name) == [STORE_NAME]


def test_store_write_removes_stale_temp_folders(build_copy: Path) -> None:
    killed = build_copy / f".{STORE_NAME}.0badc0de.tmp"
    killed.mkdir()
    (killed / "000001.sst").write_bytes(b"half written")
    write_store(build_copy, quads_file=build_copy / "provenance.nq")
    assert not killed.exists()
    assert _bans(open_store(build_copy))


def test_store_failed_write_keeps_previous_store(build_copy: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:x:a> <urn:x:b> .", encoding="utf-8")
    expected = _bans(open_store(build_copy / STORE_NAME))
    with pytest.raises(SyntaxError):
        write_store(build_copy, graph_file=broken)
    assert _bans(open_store(build_copy / STORE_NAME)) == expected
    assert [p.name for p in build_copy.iterdir() if p.name.startswith(f".{STORE_NAME}")] == []


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.ttl", None, "no such file"),
        ("bad.ttl", "this is { not turtle", "cannot parse"),
        ("graph.xyz", "", "unknown RDF file suffix"),
    ],
)
def test_store_unreadable_is_one_line(tmp_path: Path, name: str, content: str | None,
                                      reason: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphReadError, match=reason) as info:
        open_store(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["provenance.nq", "provenance.trig", "graph.jsonld"])
def test_store_loads_other_formats(corpus_build: Path, name: str) -> None:
    store = open_store(corpus_build / name)  # quad files: default graph = union of graphs
    assert (str(KGR["canada"]), str(KGR["wechat"])) in _bans(store)


def test_store_quad_file_keeps_named_graphs(corpus_build: Path) -> None:
    store = load_store(corpus_build / "provenance.nq")
    assert len(list(store.named_graphs())) == 4


# ----- run_query over a store -----------------------------------------------------------
@pytest.mark.parametrize(
    ("sparql", "where"),
    [
        ("SELEC ?x WHERE { ?x ?p ?o }", "line 1, column"),
        ("SELECT ?x\nWHERE { ?x ?p ?o .\n  FILTER( }", "line 3, column 12"),
        ("SELECT ?x WHERE { ?x nope:p ?o }", "line 1, column 28: unknown prefix"),
    ],
)
def test_store_malformed_query_names_line_and_column(corpus_build: Path, sparql: str,
                                                      where: str) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL at " + where) as info:
        run_query(open_store(corpus_build), sparql)
    assert "\n" not in str(info.value)


def test_store_query_kinds(corpus_build: Path) -> None:
    store = open_store(corpus_build)
    assert run_query(store, "ASK { kgr:canada kg:bans kgr:wechat }").boolean is True
    built = run_query(store, "CONSTRUCT { ?o kg:bannedBy ?s } WHERE { ?s kg:bans ?o }")
    assert built.kind == "CONSTRUCT" and (KGR["wechat"], KG.bannedBy, KGR["canada"]) in built.graph
    described = run_query(store, "# a DESCRIBE query\nDESCRIBE kgr:tencent")
    assert described.kind == "DESCRIBE"
    assert (KGR["tencent"], KG.owns, KGR["wechat"]) in described.graph


def test_store_query_substitutes_bindings(corpus_build: Path) -> None:
    store = open_store(corpus_build)
    sparql = "SELECT ?actor ?target WHERE { ?actor ?p ?target }"
    rows = run_query(store, sparql, {"p": KG.owns, "actor": KGR["tencent"]}).rows
    assert rows == [(KGR["tencent"], KGR["wechat"])]


@pytest.mark.parametrize("engine", ["store", "rdflib"])
def test_store_binding_replaces_values_default(corpus_build: Path, engine: str) -> None:
    source = open_store(corpus_build) if engine == "store" else rdflib.Graph().parse(
        corpus_build / "graph.ttl")
    sparql = "SELECT ?label WHERE { VALUES ?e { kgr:canada } ?e rdfs:label ?label }"
    assert run_query(source, sparql).rows == [(Literal("Canada"),)]
    assert run_query(source, sparql, {"e": KGR["poland"]}).rows == [(Literal("Poland"),)]


def test_store_values_binding_rejects_blank_node() -> None:
    with pytest.raises(QueryError, match="blank node"):
        apply_values_bindings("SELECT * { VALUES ?e { UNDEF } }", {"e": BNode()})


@pytest.mark.parametrize(
    ("text", "name", "term"),
    [
        ("entity=kgr:huawei", "entity", KGR["huawei"]),
        ("?item=wd:Q30", "item", URIRef("http://www.wikidata.org/entity/Q30")),
        ("p=<http://example.org/p>", "p", URIRef("http://example.org/p")),
        ("file=story.txt", "file", Literal("story.txt")),
        ('text="two words"', "text", Literal("two words")),
        ("n=42", "n", Literal("42", datatype=rdflib.XSD.integer)),
        ("x=unknown:thing", "x", Literal("unknown:thing")),
    ],
)
def test_store_parse_binding(text: str, name: str, term) -> None:
    assert parse_binding(text) == (name, term)


@pytest.mark.parametrize("text", ["noequals", "1bad=x", "empty="])
def test_store_parse_binding_errors(text: str) -> None:
    with pytest.raises(QueryError, match="--bind"):
        parse_binding(text)


@pytest.mark.parametrize(
    "term",
    [KGR["x"], BNode("b1"), Literal("plain"), Literal("hello", lang="en"),
     Literal("0.5", datatype=rdflib.XSD.decimal), Literal("7", datatype=rdflib.XSD.integer)],
)
def test_store_term_round_trip(term) -> None:
    assert to_rdflib(to_oxigraph(term)) == term


def _all_quads(folder: Path) -> set[str]:
    store = ox.Store.read_only(str(folder / STORE_NAME))
    return {str(quad) for quad in store}


def test_store_written_from_memory_equals_store_from_files(build_copy: Path) -> None:
    write_store(build_copy, quads_file=build_copy / "provenance.nq")
    from_files = _all_quads(build_copy)
    graph_data = ox.serialize(ox.parse(path=str(build_copy / "graph.ttl")),
                              format=ox.RdfFormat.N_TRIPLES)
    quads_data = (build_copy / "provenance.nq").read_bytes()
    quads_data += b'<urn:x:s> <urn:x:p> "default graph, left out" .\n'
    write_store(build_copy, build_copy / "graph.ttl", graph_data=graph_data,
                quads_data=quads_data)
    assert _all_quads(build_copy) == from_files and from_files
    stamp = json.loads((build_copy / STORE_NAME / STAMP_NAME).read_text(encoding="utf-8"))
    assert stamp["graph_sha256"] == file_sha256(build_copy / "graph.ttl")
