"""Graph assembly: entities, relations and claims as plain triples, and their
provenance as reified statements (in the Turtle) and as one named graph per
document (for the TriG export).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.datatypes import Assertion, Claim, Evidence, Resolution, SourceDoc
from kg.ids import short_hash, slugify
from kg.vocab import KG, KGR, bind_prefixes


def doc_iri(doc_id: str) -> URIRef:
    return KGR[f"doc-{slugify(doc_id) or 'x'}-{short_hash(doc_id, length=6)}"]


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.3f}", datatype=XSD.decimal)


def add_document(graph: Graph, source: SourceDoc) -> None:
    node = doc_iri(source.doc_id)
    graph.add((node, RDF.type, KG.Document))
    graph.add((node, KG.fileName, Literal(source.doc_id)))
    if source.title:
        graph.add((node, DCTERMS.title, Literal(source.title)))
    if source.meta.get("sha256"):
        graph.add((node, KG.sha256, Literal(source.meta["sha256"])))


def add_evidence(graph: Graph, ev: Evidence) -> URIRef:
    node = KGR["ev-" + short_hash(ev.doc_id, str(ev.start_char), str(ev.end_char), ev.rule_id)]
    graph.add((node, RDF.type, KG.Evidence))
    graph.add((node, PROV.wasDerivedFrom, doc_iri(ev.doc_id)))
    graph.add((node, KG.sentence, Literal(ev.sentence)))
    graph.add((node, KG.startChar, Literal(ev.start_char)))
    graph.add((node, KG.endChar, Literal(ev.end_char)))
    graph.add((node, KG.rule, Literal(ev.rule_id)))
    graph.add((node, KG.confidence, _decimal(ev.confidence)))
    return node


def add_assertion(graph: Graph, a: Assertion) -> URIRef:
    s, p, o = URIRef(a.subject), KG[a.predicate], URIRef(a.object)
    stmt = KGR["stmt-" + short_hash(a.subject, a.predicate, a.object, a.polarity, a.modality)]
    plain = a.polarity == "positive" and a.modality != "hedged"
    if plain:
        graph.add((s, p, o))
    if plain:
        kind = RDF.Statement
    else:
        kind = KG.NegatedStatement if a.polarity == "negative" else KG.HedgedStatement
    graph.add((stmt, RDF.type, kind))
    graph.add((stmt, RDF.subject, s))
    graph.add((stmt, RDF.predicate, p))
    graph.add((stmt, RDF.object, o))
    graph.add((stmt, KG.polarity, Literal(a.polarity)))
    graph.add((stmt, KG.modality, Literal(a.modality)))
    graph.add((stmt, KG.confidence, _decimal(a.confidence)))
    for ev in a.evidence:
        graph.add((stmt, KG.evidence, add_evidence(graph, ev)))
    return stmt


def add_claim(graph: Graph, claim: Claim, speaker_label: str) -> None:
    node = URIRef(claim.iri)
    graph.add((node, RDF.type, KG.Claim))
    # The label names neither the text nor the document, so it can never be
    # mistaken for the name of an entity the claim talks about.
    n = claim.evidence.sentence_index + 1
    graph.add((node, RDFS.label, Literal(f"claim by {speaker_label}, sentence {n}")))
    graph.add((node, KG.text, Literal(claim.text)))
    graph.add((node, KG.sentence, Literal(claim.evidence.sentence)))
    graph.add((node, PROV.wasDerivedFrom, doc_iri(claim.evidence.doc_id)))
    if claim.speaker:
        graph.add((node, KG.speaker, URIRef(claim.speaker)))
    graph.add((node, KG.evidence, add_evidence(graph, claim.evidence)))


def build_graph(resolution: Resolution, sources: Iterable[SourceDoc]) -> Graph:
    """The build as one rdflib Graph: entities, plain triples, claims, provenance."""
    graph = bind_prefixes(Graph())
    for source in sources:
        add_document(graph, source)
    labels = {}
    for e in resolution.entities:
        node = URIRef(e.iri)
        labels[e.iri] = e.label
        graph.add((node, RDF.type, KG[e.type]))
        graph.add((node, RDFS.label, Literal(e.label)))
        for alias in e.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        for same in e.sameas:
            graph.add((node, OWL.sameAs, URIRef(same)))
    for claim in resolution.claims:
        add_claim(graph, claim, labels.get(claim.speaker or "", "unknown speaker"))
    for a in resolution.assertions:
        add_assertion(graph, a)
    return graph


def provenance_dataset(resolution: Resolution) -> Dataset:
    """One named graph per document holding the plain triples read from it."""
    ds = Dataset()
    bind_prefixes(ds)
    for a in resolution.assertions:
        if a.polarity != "positive" or a.modality == "hedged":
            continue
        for ev in a.evidence:
            ds.graph(doc_iri(ev.doc_id)).add((URIRef(a.subject), KG[a.predicate], URIRef(a.object)))
    return ds
