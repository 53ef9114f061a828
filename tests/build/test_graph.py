"""Tests for kg.build.graph: plain triples, reified provenance, claims, documents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.build.graph import build_graph, doc_iri, provenance_dataset
from kg.datatypes import Assertion, Claim, Entity, Evidence, Resolution, SourceDoc
from kg.validate.shacl import format_report, validate
from kg.vocab import KG, KGR

# rdflib's XSD namespace warns when pytest probes it for attributes; spell the two out.
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
SHA = "ab" * 32
FREEDONIA = Entity(str(KGR["freedonia"]), "Country", "Freedonia", ("Republic of Freedonia",),
                   ("http://www.wikidata.org/entity/Q4242",))
ACME = Entity(str(KGR["acme-networks"]), "Company", "Acme Networks", ("Acme",))
ZPHONE = Entity(str(KGR["zphone"]), "Product", "ZPhone")
PACT = Entity(str(KGR["open-wires-pact"]), "Initiative", "Open Wires Pact")

SENTENCE = "Freedonia banned the ZPhone on Monday."
EV_BAN = Evidence("a.txt", 12, 49, SENTENCE, "verb:ban", 0.85, 1)
EV_PRESS = Evidence("a.txt", 60, 90, "Freedonia never pressed Acme.", "verb:press", 0.7, 2)
EV_SANCTION = Evidence("b.txt", 5, 40, "Freedonia may sanction Acme.", "verb:sanction", 0.6, 0)
EV_JOIN = Evidence("b.txt", 50, 80, "Freedonia will join the pact.", "verb:join", 0.7, 1)
EV_CLAIM = Evidence("b.txt", 100, 150, "Freedonia said the phones leak data.", "claim:say", 0.75, 2)
EV_DENY = Evidence("b.txt", 151, 170, "Acme denies that.", "deny:claim", 0.8, 3)
CLAIM_TEXT = "the phones leak data"
CLAIM = Claim(str(KGR["claim-b-txt-1"]), FREEDONIA.iri, CLAIM_TEXT, EV_CLAIM)


def _a(s: Entity, p: str, o: str, polarity="positive", modality="asserted", conf=0.8, ev=()):
    return Assertion(s.iri, p, o, polarity, modality, conf, tuple(ev))


ASSERTIONS = (
    _a(FREEDONIA, "bans", ZPHONE.iri, conf=0.85, ev=[EV_BAN]),
    _a(FREEDONIA, "pressures", ACME.iri, polarity="negative", conf=0.7, ev=[EV_PRESS]),
    _a(FREEDONIA, "sanctions", ACME.iri, modality="hedged", conf=0.6, ev=[EV_SANCTION]),
    _a(FREEDONIA, "joins", PACT.iri, modality="planned", conf=0.7, ev=[EV_JOIN]),
    _a(FREEDONIA, "states", CLAIM.iri, conf=0.75, ev=[EV_CLAIM]),
    _a(ACME, "denies", CLAIM.iri, ev=[EV_DENY]),
)
RESOLUTION = Resolution((FREEDONIA, ACME, ZPHONE, PACT), ASSERTIONS, (CLAIM,))
SOURCES = (
    SourceDoc("a.txt", "text a", title="Freedonia Bans Phone", meta={"sha256": SHA}),
    SourceDoc("b.txt", "text b", title="Acme Under Pressure", meta={"sha256": "cd" * 32}),
)


@pytest.fixture(scope="module")
def graph():
    return build_graph(RESOLUTION, SOURCES)


def _u(entity_or_iri) -> URIRef:
    return URIRef(getattr(entity_or_iri, "iri", entity_or_iri))


def _statements(graph, s, p, o) -> list[URIRef]:
    return sorted(st for st in graph.subjects(RDF.subject, _u(s))
                  if (st, RDF.predicate, KG[p]) in graph and (st, RDF.object, _u(o)) in graph)


@pytest.mark.parametrize(("s", "p", "o"), [
    (FREEDONIA, "bans", ZPHONE),
    (FREEDONIA, "joins", PACT),  # planned but not hedged: still a plain triple
    (FREEDONIA, "states", CLAIM),
    (ACME, "denies", CLAIM),
])
def test_graph_positive_is_plain_triple(graph, s, p, o):
    assert (_u(s), KG[p], _u(o)) in graph
    (stmt,) = _statements(graph, s, p, o)
    assert (stmt, RDF.type, RDF.Statement) in graph
    assert (stmt, KG.polarity, Literal("positive")) in graph


@pytest.mark.parametrize(("p", "kind", "polarity", "modality"), [
    ("pressures", KG.NegatedStatement, "negative", "asserted"),
    ("sanctions", KG.HedgedStatement, "positive", "hedged"),
])
def test_graph_negated_and_hedged_not_plain(graph, p, kind, polarity, modality):
    assert (_u(FREEDONIA), KG[p], _u(ACME)) not in graph
    (stmt,) = _statements(graph, FREEDONIA, p, ACME)
    assert set(graph.objects(stmt, RDF.type)) == {kind}
    assert graph.value(stmt, KG.polarity) == Literal(polarity)
    assert graph.value(stmt, KG.modality) == Literal(modality)
    assert graph.value(stmt, KG.evidence) is not None


def test_graph_reified_statement_evidence(graph):
    (stmt,) = _statements(graph, FREEDONIA, "bans", ZPHONE)
    confidence = graph.value(stmt, KG.confidence)
    assert confidence.datatype == XSD_DECIMAL and confidence.toPython() == Decimal("0.85")
    assert graph.value(stmt, KG.modality) == Literal("asserted")
    ev = graph.value(stmt, KG.evidence)
    assert (ev, RDF.type, KG.Evidence) in graph
    assert graph.value(ev, KG.sentence) == Literal(SENTENCE)
    assert graph.value(ev, KG.startChar) == Literal(12, datatype=XSD_INTEGER)
    assert graph.value(ev, KG.endChar) == Literal(49, datatype=XSD_INTEGER)
    assert graph.value(ev, KG.rule) == Literal("verb:ban")
    assert graph.value(ev, KG.confidence) == Literal("0.850", datatype=XSD_DECIMAL)
    doc = graph.value(ev, PROV.wasDerivedFrom)
    assert doc == doc_iri("a.txt")
    assert (doc, RDF.type, KG.Document) in graph


def test_graph_statement_with_two_evidences():
    ev2 = Evidence("b.txt", 0, 10, "Freedonia outlawed the ZPhone.", "verb:outlaw", 0.8)
    a = _a(FREEDONIA, "bans", ZPHONE.iri, conf=0.97, ev=[EV_BAN, ev2])
    g = build_graph(Resolution((FREEDONIA, ZPHONE), (a,), ()), SOURCES)
    (stmt,) = _statements(g, FREEDONIA, "bans", ZPHONE)
    docs = {g.value(ev, PROV.wasDerivedFrom) for ev in g.objects(stmt, KG.evidence)}
    assert docs == {doc_iri("a.txt"), doc_iri("b.txt")}


def test_graph_entities(graph):
    node = _u(FREEDONIA)
    assert (node, RDF.type, KG.Country) in graph
    assert list(graph.objects(node, RDFS.label)) == [Literal("Freedonia")]
    assert set(graph.objects(node, SKOS.altLabel)) == {Literal("Republic of Freedonia")}
    assert (node, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q4242")) in graph


def test_graph_claim(graph):
    node = _u(CLAIM)
    assert (node, RDF.type, KG.Claim) in graph
    assert graph.value(node, KG.text) == Literal(CLAIM_TEXT)
    assert graph.value(node, KG.speaker) == _u(FREEDONIA)
    assert graph.value(node, KG.sentence) == Literal(EV_CLAIM.sentence)
    assert graph.value(node, PROV.wasDerivedFrom) == doc_iri("b.txt")
    label = str(graph.value(node, RDFS.label))
    assert "Freedonia" in label
    assert CLAIM_TEXT not in label and "phones" not in label


def test_graph_documents_have_no_label(graph):
    docs = set(graph.subjects(RDF.type, KG.Document))
    assert docs == {doc_iri("a.txt"), doc_iri("b.txt")}
    for doc in docs:
        assert graph.value(doc, RDFS.label) is None
    a = doc_iri("a.txt")
    assert graph.value(a, DCTERMS.title) == Literal("Freedonia Bans Phone")
    assert graph.value(a, KG.fileName) == Literal("a.txt")
    assert graph.value(a, KG.sha256) == Literal(SHA)


def test_graph_no_label_on_provenance_nodes(graph):
    for kind in (KG.Evidence, RDF.Statement, KG.NegatedStatement, KG.HedgedStatement):
        for node in graph.subjects(RDF.type, kind):
            assert graph.value(node, RDFS.label) is None, node


def test_graph_validates(graph):
    report = validate(graph)
    assert report.conforms, format_report(report)


def test_graph_doc_iri_distinct_and_stable():
    assert doc_iri("a.txt") == doc_iri("a.txt")
    # same slug, different names: the hash keeps them apart
    assert doc_iri("a.txt") != doc_iri("a-txt")


def _named_graphs(ds) -> dict:
    return {g.identifier: g for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)
            and g.identifier.startswith(str(KGR))}


def test_graph_provenance_one_named_graph_per_document():
    named = _named_graphs(provenance_dataset(RESOLUTION))
    assert set(named) == {doc_iri("a.txt"), doc_iri("b.txt")}
    a, b = named[doc_iri("a.txt")], named[doc_iri("b.txt")]
    assert set(a) == {(_u(FREEDONIA), KG.bans, _u(ZPHONE))}
    assert (_u(FREEDONIA), KG.joins, _u(PACT)) in b
    assert (_u(ACME), KG.denies, _u(CLAIM)) in b


def test_graph_provenance_leaves_out_negated_and_hedged():
    triples = {t for g in _named_graphs(provenance_dataset(RESOLUTION)).values() for t in g}
    assert (_u(FREEDONIA), KG.pressures, _u(ACME)) not in triples
    assert (_u(FREEDONIA), KG.sanctions, _u(ACME)) not in triples
