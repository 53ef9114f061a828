"""Resolution: candidates from every document become one node per real entity,
one assertion per (subject, property, object, polarity) with all its evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph
from rdflib.collection import Collection

from kg import vocab
from kg.datatypes import (
    Assertion,
    Claim,
    ClaimCandidate,
    DocExtraction,
    Entity,
    Mention,
    RelationCandidate,
    Resolution,
)
from kg.gazetteer import Gazetteer
from kg.ids import IriMinter, short_hash, slugify
from kg.resources import ontology_file

KG = str(vocab.KG)
KGR = str(vocab.KGR)
ANY = "*"


# ----- the ontology's domains and ranges ---------------------------------------
def _classes(graph: Graph, node) -> set[str]:
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return {str(c) for c in Collection(graph, union)}
    return {str(node)}


@cache
def _schema() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    graph = Graph().parse(ontology_file("kg.ttl"), format="turtle")
    supers: dict[str, set[str]] = defaultdict(set)
    for cls in set(graph.subjects(RDF.type, OWL.Class)):
        todo, seen = [cls], set()
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            todo.extend(graph.objects(c, RDFS.subClassOf))
        supers[str(cls).removeprefix(KG)] = {str(c).removeprefix(KG) for c in seen}
    signature = {}
    for prop in set(graph.subjects(RDF.type, OWL.ObjectProperty)):
        dom = [c for d in graph.objects(prop, RDFS.domain) for c in _classes(graph, d)]
        rng = [c for r in graph.objects(prop, RDFS.range) for c in _classes(graph, r)]
        signature[str(prop).removeprefix(KG)] = ({c.removeprefix(KG) for c in dom} or {ANY},
                                                 {c.removeprefix(KG) for c in rng} or {ANY})
    return dict(supers), signature


def fits(prop: str, subject_type: str, object_type: str) -> bool:
    """Whether the ontology allows ``prop`` between nodes of these classes."""
    supers, signature = _schema()
    domain, rng = signature.get(prop, ({ANY}, {ANY}))
    def ok(cls: str, allowed: set[str]) -> bool:
        return ANY in allowed or bool(supers.get(cls, {cls}) & allowed)
    return ok(subject_type, domain) and ok(object_type, rng)


# ----- entities ------------------------------------------------------------------
def _canonical_key(m: Mention, gaz: Gazetteer) -> str:
    if m.gazetteer_iri:
        return m.gazetteer_iri
    entry = gaz.lookup(m.label)
    return entry.iri if entry else m.key


def resolve_entities(mentions: Iterable[Mention], gaz: Gazetteer) -> dict[str, Entity]:
    """Maps every canonical key to one Entity."""
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        grouped[_canonical_key(m, gaz)].append(m)
    minter = IriMinter(KGR, reserved=set(gaz.entries))
    out = {}
    for key in sorted(grouped):
        ms = grouped[key]
        entry = gaz.entries.get(key)
        if entry:
            iri, kind, label, sameas = entry.iri, entry.type, entry.label, entry.sameas
        else:
            kind = Counter(m.type for m in ms).most_common(1)[0][0]
            label = Counter(m.label for m in ms).most_common(1)[0][0]
            iri, sameas = minter.mint(key, label), ()
        aliases = sorted({m.text for m in ms if m.text != label} |
                         {m.label for m in ms if m.label != label})
        out[key] = Entity(iri, kind, label, tuple(aliases), sameas)
    return out


# ----- assertions and claims ----------------------------------------------------------
def noisy_or(values: Iterable[float]) -> float:
    miss = 1.0
    for v in values:
        miss *= 1.0 - v
    return round(min(0.99, 1.0 - miss), 3)


def _claims(extractions: Iterable[DocExtraction], keys: dict[str, Entity], gaz) -> dict[str, Claim]:
    out = {}
    for ex in extractions:
        numbered = 0
        for c in ex.claims:
            if c.speaker is None:  # a claim is only kept with the one who made it
                continue
            speaker = keys[_canonical_key(c.speaker, gaz)].iri
            numbered += 1
            # the document hash keeps "a b.txt" and "a-b.txt" (or two non-Latin
            # names with one slug) apart, as document IRIs do
            doc = f"{slugify(ex.source.doc_id) or 'x'}-{short_hash(ex.source.doc_id, length=6)}"
            iri = f"{KGR}claim-{doc}-{numbered}"
            out[c.key] = Claim(iri, speaker, c.text, c.evidence)
    return out


def _status(rc: RelationCandidate) -> str:
    if rc.polarity == "negative":
        return "negative"
    return "hedged" if rc.modality == "hedged" else "positive"


def resolve(extractions: list[DocExtraction], gaz: Gazetteer,
            min_confidence: float = 0.0) -> Resolution:
    """Merges the candidates of all documents into entities, claims and assertions."""
    mentions = [m for ex in extractions for m in ex.mentions]
    mentions += [rc.subject for ex in extractions for rc in ex.relations]
    mentions += [rc.obj for ex in extractions for rc in ex.relations if isinstance(rc.obj, Mention)]
    mentions += [c.speaker for ex in extractions for c in ex.claims if c.speaker is not None]
    entities = resolve_entities(mentions, gaz)
    claims = _claims(extractions, entities, gaz)
    grouped: dict[tuple, list[RelationCandidate]] = defaultdict(list)
    for ex in extractions:
        for rc in ex.relations:
            s = entities[_canonical_key(rc.subject, gaz)]
            if isinstance(rc.obj, ClaimCandidate):
                if rc.obj.key not in claims:
                    continue
                o_iri, o_type = claims[rc.obj.key].iri, "Claim"
            else:
                o = entities[_canonical_key(rc.obj, gaz)]
                o_iri, o_type = o.iri, o.type
            if s.iri == o_iri or not fits(rc.predicate, s.type, o_type):
                continue
            grouped[(s.iri, rc.predicate, o_iri, _status(rc))].append(rc)
    assertions = []
    for (s, p, o, status), rcs in sorted(grouped.items()):
        conf = noisy_or(rc.evidence.confidence for rc in rcs)
        if status == "positive" and conf < min_confidence:
            continue
        modality = "planned" if all(rc.modality == "planned" for rc in rcs) else "asserted"
        if status == "hedged":
            modality = "hedged"
        polarity = "negative" if status == "negative" else "positive"
        evidence = tuple(dict.fromkeys(rc.evidence for rc in rcs))
        assertions.append(Assertion(s, p, o, polarity, modality, conf, evidence))
    unique = {e.iri: e for e in entities.values()}
    return Resolution(tuple(sorted(unique.values(), key=lambda e: e.iri)),
                      tuple(assertions), tuple(claims.values()))
