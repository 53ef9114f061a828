"""Tests for kg.export.interchange: N-Quads, JSON-LD and GraphML exports, and owl:sameAs in all."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export.interchange import graphml_bytes, jsonld_context, property_graph
from kg.sparql.engine import run_query
from kg.sparql.store import open_store

CORPUS = Path(__file__).resolve().parent.parent / "data" / "query_corpus"
KG = rdflib.Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = rdflib.Namespace("https://w3id.org/kg-geotech/resource/")
WD = rdflib.Namespace("http://www.wikidata.org/entity/")
NEW_OUTPUTS = {"nquads": "provenance.nq", "jsonld": "graph.jsonld",
               "graphml": "graph.graphml", "store": "graph.oxigraph"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The query corpus built once for this module: (build folder, BuildResult)."""
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    out = tmp_path_factory.mktemp("interchange-corpus")
    return out, build(BuildOptions([CORPUS], out))


@pytest.fixture(scope="module")
def corpus_build(built) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def turtle(corpus_build: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(corpus_build / "graph.ttl")


def _quads(path: Path, fmt: str) -> set[tuple[str, ...]]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=fmt)
    return {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in dataset.quads() if g is not None}


def test_interchange_build_lists_new_outputs(built) -> None:
    out, result = built
    for name, file_name in NEW_OUTPUTS.items():
        assert result.stats.outputs[name] == str(out / file_name)
        assert (out / file_name).exists()


def test_interchange_nquads_same_quads_as_trig(corpus_build: Path) -> None:
    from_nq = _quads(corpus_build / "provenance.nq", "nquads")
    assert from_nq and from_nq == _quads(corpus_build / "provenance.trig", "trig")
    assert len({quad[3] for quad in from_nq}) == 4  # one named graph per document


def test_interchange_jsonld_isomorphic_to_turtle(corpus_build: Path, turtle) -> None:
    from_jsonld = rdflib.Graph().parse(corpus_build / "graph.jsonld", format="json-ld")
    assert len(from_jsonld) == len(turtle)
    assert isomorphic(from_jsonld, turtle)


def test_interchange_jsonld_is_compact_with_project_context(corpus_build: Path) -> None:
    document = json.loads((corpus_build / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == jsonld_context()
    assert {"kg", "kgr", "wd"} <= set(document["@context"])
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids) and "kgr:huawei" in ids
    huawei = next(node for node in document["@graph"] if node["@id"] == "kgr:huawei")
    assert huawei["owl:sameAs"] == {"@id": "wd:Q160120"}


def test_interchange_graphml_counts_and_known_edge(corpus_build: Path, turtle) -> None:
    network = nx.read_graphml(corpus_build / "graph.graphml", force_multigraph=True)
    typed = run_query(turtle, """SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
        ?n a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
        FILTER(?class NOT IN (kg:Document, kg:Evidence, kg:NegatedStatement,
                              kg:HedgedStatement)) }""").rows[0][0]
    relations = sum(1 for _ in turtle.triples((None, None, None))
                    if _[1] in {KG[p] for p in _relation_names()})
    assert network.number_of_nodes() == int(typed)
    assert network.number_of_edges() == relations
    edges = network.get_edge_data(str(KGR["canada"]), str(KGR["wechat"]))
    (ban,) = edges.values()
    assert ban["property"] == "bans" and ban["family"] == "coerciveRelation"
    assert isinstance(ban["confidence"], float) and 0.5 <= ban["confidence"] <= 1.0


def _relation_names() -> list[str]:
    from kg.vocab import RELATION_PROPERTIES, STRUCTURAL_PROPERTIES

    return [*RELATION_PROPERTIES, *STRUCTURAL_PROPERTIES]


def test_interchange_graphml_nodes_for_gephi(corpus_build: Path) -> None:
    network = nx.read_graphml(corpus_build / "graph.graphml", force_multigraph=True)
    huawei = network.nodes[str(KGR["huawei"])]
    assert huawei["label"] == "Huawei" and huawei["class"] == "Company"
    assert huawei["wikidata"] == "Q160120"
    claims = [n for n, data in network.nodes(data=True) if data["class"] == "Claim"]
    assert len(claims) == 3 and all(network.nodes[c]["text"] for c in claims)
    values = [v for _, data in network.nodes(data=True) for v in data.values()]
    values += [v for *_, data in network.edges(data=True) for v in data.values()]
    assert all(isinstance(v, str | float) for v in values)


def test_interchange_graphml_keeps_odd_text_valid() -> None:
    graph = rdflib.Graph()
    graph.add((KGR["x"], rdflib.RDF.type, KG.Company))
    graph.add((KGR["x"], rdflib.RDFS.label, rdflib.Literal("bell\x07 & <tag>")))
    graph.add((KGR["x"], KG.bans, KGR["y"]))
    assert property_graph(graph).nodes[str(KGR["y"])]["label"] == "y"  # untyped end: its local name
    parsed = nx.parse_graphml(graphml_bytes(graph), force_multigraph=True)
    assert parsed.nodes[str(KGR["x"])]["label"] == "bell\ufffd & <tag>"
    assert "confidence" not in parsed.edges[str(KGR["x"]), str(KGR["y"]), "bans"]


# ----- owl:sameAs everywhere ------------------------------------------------------------
def _same_as(graph: rdflib.Graph) -> set[tuple[str, str]]:
    return {(str(s), str(o)) for s, o in graph.subject_objects(rdflib.OWL.sameAs)
            if str(o).startswith(str(WD))}


def test_interchange_same_as_in_every_output(seed_build: Path) -> None:
    expected = _same_as(rdflib.Graph().parse(seed_build / "graph.ttl"))
    assert len(expected) >= 5 and (str(KGR["united-states"]), str(WD["Q30"])) in expected
    store_rows = run_query(open_store(seed_build),
                           "SELECT ?s ?o WHERE { ?s owl:sameAs ?o }").rows
    assert {(str(s), str(o)) for s, o in store_rows} == expected
    jsonld = rdflib.Graph().parse(seed_build / "graph.jsonld", format="json-ld")
    assert _same_as(jsonld) == expected
    network = nx.read_graphml(seed_build / "graph.graphml")
    in_graphml = {(node, str(WD[data["wikidata"]])) for node, data in network.nodes(data=True)
                  if "wikidata" in data}
    assert expected <= in_graphml
