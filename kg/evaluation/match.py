"""Matching a graph to a gold set: which node is which gold entity, which triple states
which fact.

Names are compared as the shared scorer (``shared/eval/score.py``) compares them,
so that ``kg eval`` and the scorer count the same matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.evaluation.gold import CORE_PROPERTIES, ClaimObject, GoldEntity, GoldFact
from kg.vocab import KG

SYMMETRIC: frozenset[str] = frozenset({"cooperatesWith"})
UNSCORED: frozenset[str] = frozenset({"states"})

Triple = tuple[Any, Any, Any]

_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def spaceless_name_key(text: str) -> str:
    """The key gold names and graph labels are matched by: the shared scorer's ``norm``.

    Case (lowercased), curly quotes, a possessive 's, punctuation, a leading word
    "the" and every space do not count: "The U.S.'s" -> "us", "R U R" -> "rur".

    This is not :func:`kg.gazetteer.normalize_name`, the build's key: that one keeps
    words apart (the build compares names word by word), casefolds ("ß" -> "ss") and
    deletes punctuation rather than reading it as a space ("the-x" keeps its "the").
    Evaluation must count exactly what the shared scorer counts, so it keeps the
    scorer's rules, differences and all.

    Args:
        text: a gold name or a graph label.

    Returns:
        The key (lowercase, no spaces).
    """
    text = re.sub(r"'s\b", "", unicodedata.normalize("NFKC", text).lower().translate(_QUOTES))
    words = re.sub(r"[^\w\s]", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def local_name(term: Any) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``)."""
    return re.split(r"[/#]", str(term).rstrip("/#"))[-1]


@dataclass(frozen=True)
class Edge:
    """A graph triple over core properties (IRIs as strings), with its ends' labels."""

    subject: str
    properties: tuple[str, ...]
    object: str
    subject_label: str
    object_label: str

    def describe(self) -> str:
        """A one-line human form: ``Subject --p--> Object``."""
        return f"{self.subject_label} --{'|'.join(self.properties)}--> {self.object_label}"


class Resolver:
    """Tells which gold entities a graph node stands for, and which nodes are claims."""

    def __init__(self, graph: rdflib.Graph, entities: Iterable[GoldEntity]) -> None:
        self.graph = graph
        self.by_name: dict[str, set[str]] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self.by_qid = {e.wikidata: e.id for e in entities if e.wikidata}
        self._cache: dict[Any, frozenset[str]] = {}
        for entity in entities:
            for name in entity.names:
                if name.startswith("re:"):
                    self.patterns.append((re.compile(name[3:], re.IGNORECASE), entity.id))
                else:
                    self.by_name.setdefault(spaceless_name_key(name), set()).add(entity.id)

    def names(self, node: Any) -> list[str]:
        """The label, preferred-label and alternative-label strings of a node (in this
        order, each sorted, so that the display label does not depend on hashing)."""
        found: list[str] = []
        for predicate in _NAME_PREDICATES:
            values = self.graph.objects(node, predicate)
            found += sorted(str(value) for value in values if isinstance(value, Literal))
        return found

    def label(self, node: Any) -> str:
        """A display name: the first label, else the IRI's last segment."""
        return next(iter(self.names(node)), local_name(node))

    def entities(self, node: Any) -> frozenset[str]:
        """The ids of the gold entities whose names or Wikidata id the node carries."""
        if node not in self._cache:
            found: set[str] = set()
            for name in self.names(node):
                found |= self.by_name.get(spaceless_name_key(name), set())
                found |= {eid for pattern, eid in self.patterns if pattern.search(name)}
            qids = {local_name(same) for same in self.graph.objects(node, OWL.sameAs)}
            found |= {self.by_qid[qid] for qid in qids if qid in self.by_qid}
            self._cache[node] = frozenset(found)
        return self._cache[node]

    def is_claim_with(self, node: Any, keyword: str) -> bool:
        """Whether the node is typed ``Claim`` and its literals contain ``keyword``."""
        if not any(local_name(t) == "Claim" for t in self.graph.objects(node, RDF.type)):
            return False
        text = " ".join(str(o) for o in self.graph.objects(node, None) if isinstance(o, Literal))
        return keyword.lower() in text.lower()


def _core_names(predicate: Any, graphs: tuple[rdflib.Graph, ...]) -> frozenset[str]:
    """The core property names a predicate stands for: its own and its ancestors'."""
    found, seen, todo = set(), set(), [predicate]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            found |= {local_name(current)} & set(CORE_PROPERTIES)
            todo += [parent for g in graphs for parent in g.objects(current, RDFS.subPropertyOf)]
    return frozenset(found)


def scored_triples(graph: rdflib.Graph,
                   schema: rdflib.Graph) -> list[tuple[Triple, tuple[str, ...]]]:
    """Every IRI-to-IRI triple whose predicate stands for a scored property, with the
    names of those properties (``rdfs:subPropertyOf`` read from the schema and the graph)."""
    names_of: dict[Any, tuple[str, ...]] = {}
    found = []
    for s, p, o in graph:
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            if p not in names_of:
                names_of[p] = tuple(sorted(_core_names(p, (schema, graph)) - UNSCORED))
            if names_of[p]:
                found.append(((s, p, o), names_of[p]))
    return found


def edges_of(scored: list[tuple[Triple, tuple[str, ...]]], resolver: Resolver) -> list[Edge]:
    """The scored triples as edges, in the same order."""
    return [Edge(str(s), names, str(o), resolver.label(s), resolver.label(o))
            for (s, _, o), names in scored]


def evidence_docs(graph: rdflib.Graph) -> dict[Triple, frozenset[str]]:
    """The file names of the documents each reified, non-negated triple has evidence in.

    A statement's documents: ``rdf:Statement`` -> ``kg:evidence`` ->
    ``prov:wasDerivedFrom`` -> ``kg:fileName``.
    """
    found: dict[Triple, set[str]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        if str(graph.value(statement, KG.polarity)) == "negative":
            continue
        triple = tuple(graph.value(statement, term) for term in
                       (RDF.subject, RDF.predicate, RDF.object))
        docs = found.setdefault(triple, set())
        for evidence in graph.objects(statement, KG.evidence):
            for doc in graph.objects(evidence, PROV.wasDerivedFrom):
                docs.add(_file_name(graph, doc))
    return {triple: frozenset(docs) for triple, docs in found.items()}


def _file_name(graph: rdflib.Graph, doc: Any) -> str:
    """A document node's file name without folders (else the IRI's last segment)."""
    name = graph.value(doc, KG.fileName)
    return PurePosixPath(str(name)).name if name is not None else local_name(doc)


def states(fact: GoldFact, edge: Edge, resolver: Resolver) -> bool:
    """Whether a graph edge states a gold fact (either way round for symmetric properties)."""
    shared = set(edge.properties) & set(fact.properties)
    if not shared:
        return False
    left = resolver.entities(URIRef(edge.subject))
    if isinstance(fact.object, ClaimObject):
        keyword = fact.object.keyword
        return fact.subject in left and resolver.is_claim_with(URIRef(edge.object), keyword)
    right = resolver.entities(URIRef(edge.object))
    if fact.subject in left and fact.object in right:
        return True
    return bool(shared & SYMMETRIC) and fact.object in left and fact.subject in right


def split_entities(graph: rdflib.Graph, resolver: Resolver) -> dict[str, tuple[str, ...]]:
    """Gold entities that more than one IRI node of the graph stands for, with those IRIs."""
    nodes = {n for n in graph.subjects() if isinstance(n, URIRef)}
    nodes |= {n for n in graph.objects() if isinstance(n, URIRef)}
    owners: dict[str, set[str]] = {}
    for node in nodes:
        for eid in resolver.entities(node):
            owners.setdefault(eid, set()).add(str(node))
    return {eid: tuple(sorted(iris)) for eid, iris in sorted(owners.items()) if len(iris) > 1}
