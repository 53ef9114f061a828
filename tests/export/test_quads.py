"""Tests for kg.export.quads: the sorted-lines conversion and the pyoxigraph writers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, SKOS

from kg.export.interchange import jsonld_bytes, jsonld_context, nquads_bytes
from kg.export.quads import UnsuitableGraph, dataset_lines, graph_lines
from kg.export.turtle import trig_bytes, turtle_bytes

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RAPPER = shutil.which("rapper")

# literals the fast path writes itself (no xsd:string type, lower-case tags)
ODD_TEXTS = ['say "no"', "'''x'''", "a\nb\r\nc\tt", "back\\slash \\n",
             "ctl \x00\x01\x08\x0b\x0c\x1b\x7f",
             "\u2028\u2029\x85", "Zürich 北京 \U0001f600", "<b>&amp;</b>", "", " "]


def _triples() -> list[tuple]:
    us, acme, doc, ev = KGR["ruritania"], KGR["acme-corp"], KGR["doc-note-1a2b3c"], KGR["ev-1"]
    triples = [(us, RDF.type, KG.Country), (us, RDFS.label, Literal("Ruritania")),
               (us, SKOS.altLabel, Literal("the Kingdom")), (us, OWL.sameAs, WD.Q123),
               (acme, RDF.type, KG.Company), (acme, RDFS.label, Literal("Acme Corp")),
               (us, KG.bans, acme), (doc, RDF.type, KG.Document),
               (ev, RDF.type, KG.Evidence), (ev, PROV.wasDerivedFrom, doc),
               (ev, KG.startChar, Literal(7)), (ev, KG.endChar, Literal(-12)),
               (ev, KG.confidence, Literal("0.850", datatype=XSD.decimal)),
               (ev, KG.rule, Literal(0.5)), (BNode("b1"), RDFS.label, Literal("blank"))]
    for n, text in enumerate(ODD_TEXTS):
        triples += [(KGR[f"n{n}"], RDFS.label, Literal(text)),
                    (KGR[f"n{n}"], RDFS.comment, Literal(text, lang="en-gb"))]
    return triples


def _graph(reverse: bool = False) -> Graph:
    graph = Graph()
    for triple in reversed(_triples()) if reverse else _triples():
        graph.add(triple)
    return graph


def _dataset(reverse: bool = False) -> Dataset:
    dataset = Dataset()
    rows = [(KGR[f"doc-{n % 3}"], s, p, o) for n, (s, p, o) in enumerate(_triples())
            if not isinstance(s, BNode)]  # parsers rename blank nodes
    for name, s, p, o in reversed(rows) if reverse else rows:
        dataset.graph(name).add((s, p, o))
    dataset.default_graph.add((KGR.x, RDFS.label, Literal("default")))
    return dataset


def _quads(dataset: Dataset) -> set[tuple]:
    return {(s, p, o, g.identifier if isinstance(g, Graph) else g)
            for s, p, o, g in dataset.quads((None, None, None, None))}


def test_quads_output_independent_of_insertion_order() -> None:
    for write in (turtle_bytes, jsonld_bytes):
        assert write(_graph()) == write(_graph(reverse=True))
    assert trig_bytes(_dataset()) == trig_bytes(_dataset(reverse=True))
    assert nquads_bytes(Path("unused"), dataset_lines(_dataset())) == \
        nquads_bytes(Path("unused"), dataset_lines(_dataset(reverse=True)))


def test_quads_output_same_across_hash_seeds(tmp_path: Path) -> None:
    script = ("import sys, hashlib; sys.path.insert(0, sys.argv[1]); import test_quads as t; "
              "print(hashlib.sha256(t.turtle_bytes(t._graph()) + t.jsonld_bytes(t._graph()) "
              "+ t.trig_bytes(t._dataset())).hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)],
                              capture_output=True, text=True, env=env, check=True, timeout=120)
        digests.add(proc.stdout.strip())
    assert len(digests) == 1


def test_quads_turtle_round_trips_and_reads_well() -> None:
    graph_lines(_graph())  # takes the pyoxigraph path
    text = turtle_bytes(_graph()).decode("utf-8")
    assert isomorphic(Graph().parse(data=text, format="turtle"), _graph())
    assert "@prefix kg: <https://w3id.org/kg-geotech/ontology#> ." in text
    assert "kgr:ruritania a kg:Country ;\n" in text and "\n\nkgr:acme-corp a kg:Company ;" in text
    assert text.index("kgr:acme-corp a") < text.index("kgr:ruritania a")


@pytest.mark.skipif(RAPPER is None, reason="rapper (raptor2-utils) is not installed")
def test_quads_turtle_read_by_rapper(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_bytes(turtle_bytes(_graph()))
    proc = subprocess.run([RAPPER, "-q", "-i", "turtle", "-o", "ntriples", path.as_uri()],
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.decode("utf-8").splitlines()) == len(_graph())


def test_quads_trig_and_nquads_round_trip() -> None:
    lines = dataset_lines(_dataset())
    trig = trig_bytes(_dataset(), lines).decode("utf-8")
    assert _quads(Dataset().parse(data=trig, format="trig")) == _quads(_dataset())
    nquads = nquads_bytes(Path("unused"), lines).decode("utf-8")
    assert _quads(Dataset().parse(data=nquads, format="nquads")) == _quads(_dataset())
    assert "\n\nkgr:doc-1 {\n" in trig


def test_quads_jsonld_compact_and_round_trips() -> None:
    document = json.loads(jsonld_bytes(_graph()))
    assert document["@context"] == jsonld_context()
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert list(nodes) == sorted(nodes)
    assert nodes["kgr:ruritania"]["@type"] == "kg:Country"
    assert nodes["kgr:ruritania"]["owl:sameAs"] == {"@id": "wd:Q123"}
    assert nodes["kgr:ev-1"]["kg:startChar"] == 7
    assert nodes["kgr:ev-1"]["kg:endChar"] == -12
    assert nodes["kgr:ev-1"]["kg:confidence"] == {"@type": "xsd:decimal", "@value": "0.850"}
    parsed = Graph().parse(data=jsonld_bytes(_graph()), format="json-ld")
    assert isomorphic(parsed, _graph())


def test_quads_repairs_bad_iris_and_blank_nodes() -> None:
    graph = _graph()
    graph.add((URIRef("https://example.org/a b<c>"), RDFS.label, Literal("spaced")))
    graph.add((BNode("not a label!"), RDFS.label, Literal("odd blank node")))
    graph_lines(graph)  # still the pyoxigraph path
    back = Graph().parse(data=turtle_bytes(graph), format="turtle")
    assert (URIRef("https://example.org/a%20b%3Cc%3E"), RDFS.label, Literal("spaced")) in back
    assert (None, RDFS.label, Literal("odd blank node")) in back


@pytest.mark.parametrize("triple", [
    (KGR.x, RDFS.label, Literal("typed", datatype=XSD.string)),
    (KGR.x, RDFS.label, Literal("tagged", lang="en-GB")),
    (KGR["a.b."], RDFS.label, Literal("needs an escaped local name")),
    (KGR["-start"], RDFS.label, Literal("needs an escaped local name")),
    (URIRef("kg:x"), RDFS.label, Literal("scheme that reads as a prefix")),
    (URIRef("relative"), RDFS.label, Literal("no scheme")),
    (URIRef("http://x/a%zz"), RDFS.label, Literal("bad percent escape")),
])
def test_quads_unsuitable_terms_fall_back_to_rdflib(triple: tuple) -> None:
    graph = _graph()
    graph.add(triple)
    with pytest.raises(UnsuitableGraph):
        graph_lines(graph)
    back = Graph().parse(data=turtle_bytes(graph), format="turtle")
    if triple[0] != URIRef("relative"):  # rdflib itself writes that one relative
        assert isomorphic(back, graph)
    json.loads(jsonld_bytes(graph))  # rdflib's own JSON-LD (loses xsd:string and kg:x, as before)


def test_quads_lone_surrogate_is_refused() -> None:
    graph = _graph()
    graph.add((KGR.x, RDFS.label, Literal("lone \ud800")))
    with pytest.raises(UnsuitableGraph):
        graph_lines(graph)
