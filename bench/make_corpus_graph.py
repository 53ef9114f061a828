"""A synthetic build graph of a chosen size, shaped like the pipeline's graph.ttl.

Entities (every class, with labels, aliases and Wikidata links), claims with speakers, plain
relation triples of every property with their reified statements, evidence sentences and
documents, following the conventions of notes/contract.md. Degrees are skewed (a few hubs,
many leaves), as in a real corpus. Everything is drawn from a seeded random generator, so a
size and a seed always give the same graph.

Run as a script to write the graph as Turtle::

    .venv/bin/python bench/make_corpus_graph.py --nodes 2000 --edges 5000 --out /tmp/big.ttl
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.vocab import KG, KGR, PROPERTY_FAMILY, WD, bind_prefixes

CLASSES = ("Country", "CountryGroup", "Company", "CompanyGroup", "GovernmentBody",
           "InternationalOrganization", "Organization", "Person", "Product", "Technology",
           "Initiative")
SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vo", "zu", "bel", "dor", "fin", "gar", "hul", "is",
             "jen", "mor", "nax", "pel", "qua", "sor", "tri")
VERBS = {"coerciveRelation": "acted against", "verbalConflictRelation": "criticised",
         "cooperativeRelation": "worked with", "structuralRelation": "is tied to",
         "otherRelation": "dealt with"}


def _name(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
                    for _ in range(rng.randint(1, 2)))


def _documents(graph: Graph, count: int) -> list:
    docs = []
    for n in range(count):
        doc = KGR[f"doc-story-{n:04d}-a1b2c3"]
        graph.add((doc, RDF.type, KG.Document))
        graph.add((doc, KG.fileName, Literal(f"story-{n:04d}.txt")))
        graph.add((doc, DCTERMS.title, Literal(f"Story number {n}")))
        graph.add((doc, KG.sha256, Literal(f"{n:064x}")))
        docs.append(doc)
    return docs


def _entities(graph: Graph, count: int, rng: random.Random) -> list:
    nodes = []
    for n in range(count):
        node, label = KGR[f"entity-{n:05d}"], f"{_name(rng)} {n}"
        graph.add((node, RDF.type, KG[CLASSES[n % len(CLASSES)]]))
        graph.add((node, RDFS.label, Literal(label)))
        for alias in range(rng.choice((0, 0, 1, 2))):
            graph.add((node, SKOS.altLabel, Literal(f"{label} alias {alias}")))
        if rng.random() < 0.3:
            graph.add((node, OWL.sameAs, WD[f"Q{1000 + n}"]))
        nodes.append(node)
    return nodes


def _evidence(graph: Graph, key: str, doc, rng: random.Random, text: str):
    ev = KGR[f"ev-{key}"]
    graph.add((ev, RDF.type, KG.Evidence))
    graph.add((ev, PROV.wasDerivedFrom, doc))
    graph.add((ev, KG.sentence, Literal(f"{text}, the report said on day {rng.randint(1, 300)}.")))
    graph.add((ev, KG.startChar, Literal(0)))
    graph.add((ev, KG.endChar, Literal(len(text))))
    graph.add((ev, KG.rule, Literal(rng.choice(("svo-active", "svo-passive", "nominal")))))
    graph.add((ev, KG.confidence, Literal(f"{rng.uniform(0.5, 0.95):.3f}", datatype=XSD.decimal)))
    return ev


def _relation(graph: Graph, triple: tuple, number: int, docs: list, rng: random.Random) -> None:
    s, prop, o = triple
    graph.add((s, KG[prop], o))
    stmt = KGR[f"stmt-{number:06d}"]
    for p, v in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[prop]),
                 (RDF.object, o), (KG.polarity, Literal("positive")),
                 (KG.modality, Literal(rng.choice(("asserted", "asserted", "planned")))),
                 (KG.confidence, Literal(f"{rng.uniform(0.5, 0.95):.3f}", datatype=XSD.decimal))):
        graph.add((stmt, p, v))
    verb = VERBS[PROPERTY_FAMILY[prop]]
    text = f"{graph.value(s, RDFS.label)} {verb} {graph.value(o, RDFS.label)}"
    for k in range(rng.choice((1, 1, 2, 3))):
        graph.add((stmt, KG.evidence, _evidence(graph, f"{number:06d}-{k}", rng.choice(docs),
                                                rng, text)))


def _claims(graph: Graph, count: int, speakers: list, docs: list, rng: random.Random) -> list:
    claims = []
    for n in range(count):
        claim, speaker, doc = KGR[f"claim-story-{n:05d}"], rng.choice(speakers), rng.choice(docs)
        text = f"the {_name(rng).lower()} network could reach data in {rng.randint(2, 90)} states"
        graph.add((claim, RDF.type, KG.Claim))
        graph.add((claim, RDFS.label, Literal(f"claim by {graph.value(speaker, RDFS.label)}, "
                                              f"sentence {n % 40 + 1}")))
        graph.add((claim, KG.text, Literal(text)))
        graph.add((claim, KG.speaker, speaker))
        graph.add((claim, KG.sentence, Literal(f"A spokesperson said {text}.")))
        graph.add((claim, PROV.wasDerivedFrom, doc))
        claims.append((claim, speaker))
    return claims


def synthetic_graph(nodes: int = 2000, edges: int = 5000, documents: int = 200,
                    seed: int = 1) -> Graph:
    """A build-shaped graph of ``nodes`` entities and claims joined by ``edges`` relations.

    One node in ten is a claim; each claim is stated by its speaker and some are denied.
    """
    rng, graph = random.Random(seed), bind_prefixes(Graph())
    docs = _documents(graph, documents)
    entities = _entities(graph, nodes - nodes // 10, rng)
    claims = _claims(graph, nodes // 10, entities, docs, rng)
    weights = [1.0 / (1 + k) ** 0.8 for k in range(len(entities))]  # a few hubs, many leaves
    props = [p for p in PROPERTY_FAMILY if p not in ("states", "denies")]
    triples: dict[tuple, None] = {}
    for claim, speaker in claims:
        triples[(speaker, "states", claim)] = None
        if rng.random() < 0.4 and len(triples) < edges:
            triples[(rng.choices(entities, weights)[0], "denies", claim)] = None
    while len(triples) < edges:
        s, o = rng.choices(entities, weights, k=2)
        if s != o:
            triples[(s, rng.choice(props), o)] = None
    for number, triple in enumerate(list(triples)[:edges]):
        _relation(graph, triple, number, docs, rng)
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    graph = synthetic_graph(args.nodes, args.edges, args.documents, args.seed)
    graph.serialize(args.out, format="turtle")
    print(f"{args.out}: {len(graph)} triples")


if __name__ == "__main__":
    main()
