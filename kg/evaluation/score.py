"""Measure a built graph against a gold set (``entities.jsonl``, ``gold.jsonl``, ``docs/``).

Precision: the share of the graph's IRI-to-IRI triples over core properties
(the property or an ``rdfs:subPropertyOf`` ancestor) that state a non-negative
gold fact. Recall: the share of required facts some triple states. ``states``
is not scored; ``cooperatesWith`` matches in both directions.

Per story (``by_doc``): a triple belongs to every document its reified
statement's evidence comes from (``rdf:Statement`` -> ``kg:evidence`` ->
``prov:wasDerivedFrom`` -> ``kg:fileName``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.evaluation.gold import ClaimObject, EvalError, GoldEntity, GoldFact, GoldSet, load_gold
from kg.sparql.query import QueryError, load_graph
from kg.vocab import KG, RELATION_PROPERTIES, STRUCTURAL_PROPERTIES

CORE_PROPERTIES: tuple[str, ...] = RELATION_PROPERTIES + STRUCTURAL_PROPERTIES
__all__ = ["DocScore", "EvalError", "EvalReport", "GoldSet", "evaluate", "format_by_doc",
           "format_report", "load_gold", "load_schema", "normalize_name"]
SYMMETRIC: frozenset[str] = frozenset({"cooperatesWith"})
UNSCORED: frozenset[str] = frozenset({"states"})

_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


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


class PropertyScore(NamedTuple):
    """Precision, recall (0.0 when undefined) and number of required facts of a property."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class DocScore:
    """The figures of one story of the gold set.

    Attributes:
        doc: the document's file name.
        required: the story's required facts; found: how many of them a triple states.
        emitted: the scored triples with evidence in the story; correct: how many
            of them state a non-negative fact of the story.
        precision, recall, f1: from these counts (0.0 when undefined).
    """

    doc: str
    required: int
    found: int
    emitted: int
    correct: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, doc: str, required: int, found: int, emitted: int, correct: int) -> DocScore:
        """A row from its four counts, with precision, recall and F1 worked out."""
        precision = correct / emitted if emitted else 0.0
        recall = found / required if required else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(doc, required, found, emitted, correct, precision, recall, f1)


@dataclass(frozen=True)
class EvalReport:
    """The result of measuring a graph against a gold set.

    Attributes:
        precision, recall, f1: the overall figures.
        counts: required, required_found, system_triples, system_correct,
            negatives_asserted, split_entities, graph_triples.
        per_property: core property -> (precision, recall, support), for the
            properties that occur in the graph or in the required facts.
        missed: required facts no triple states; unmatched: core triples that
            state no non-negative fact; negatives: negative facts the graph asserts.
        splits: gold entity id -> the IRIs of the several nodes it became.
        by_doc: one row per story of the gold set, when asked for (else None).
    """

    precision: float
    recall: float
    f1: float
    counts: dict[str, int]
    per_property: dict[str, PropertyScore]
    missed: tuple[GoldFact, ...]
    unmatched: tuple[Edge, ...]
    negatives: tuple[GoldFact, ...]
    splits: dict[str, tuple[str, ...]]
    by_doc: tuple[DocScore, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready values (per-property figures as objects; ``by_doc``
        only when the report has per-story rows)."""
        data = asdict(self)
        data["per_property"] = {k: v._asdict() for k, v in self.per_property.items()}
        if self.by_doc is None:
            del data["by_doc"]
        return data


def load_schema(path: Path) -> rdflib.Graph:
    """Reads an ontology file, or every RDF file under an ontology folder, into one graph.

    Raises:
        EvalError: the path is missing or a file does not parse.
    """
    path = Path(path)
    if not path.exists():
        raise EvalError(f"{path}: no such ontology file or folder")
    files = [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in _RDF_SUFFIXES)
    schema = rdflib.Graph()
    for file in files:
        try:
            schema += _flatten(load_graph(file))
        except QueryError as exc:
            raise EvalError(str(exc)) from exc
    return schema


def _flatten(graph: rdflib.Graph) -> rdflib.Graph:
    """A plain graph: the triples of every named graph when given a dataset."""
    if not isinstance(graph, rdflib.ConjunctiveGraph):
        return graph
    flat = rdflib.Graph()
    flat += (quad[:3] for quad in graph.quads((None, None, None, None)))
    return flat


def normalize_name(text: str) -> str:
    """The form names are compared in: case, curly quotes, a possessive 's,
    punctuation, spacing and a leading "the" do not count ("The U.S.'s" -> "us")."""
    text = re.sub(r"'s\b", "", unicodedata.normalize("NFKC", text).lower().translate(_QUOTES))
    words = re.sub(r"[^\w\s]", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def _local_name(term: Any) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``)."""
    return re.split(r"[/#]", str(term).rstrip("/#"))[-1]


class _Resolver:
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
                    self.by_name.setdefault(normalize_name(name), set()).add(entity.id)

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
        return next(iter(self.names(node)), _local_name(node))

    def entities(self, node: Any) -> frozenset[str]:
        """The ids of the gold entities whose names or Wikidata id the node carries."""
        if node not in self._cache:
            found: set[str] = set()
            for name in self.names(node):
                found |= self.by_name.get(normalize_name(name), set())
                found |= {eid for pattern, eid in self.patterns if pattern.search(name)}
            qids = {_local_name(same) for same in self.graph.objects(node, OWL.sameAs)}
            found |= {self.by_qid[qid] for qid in qids if qid in self.by_qid}
            self._cache[node] = frozenset(found)
        return self._cache[node]

    def is_claim_with(self, node: Any, keyword: str) -> bool:
        """Whether the node is typed ``Claim`` and its literals contain ``keyword``."""
        if not any(_local_name(t) == "Claim" for t in self.graph.objects(node, RDF.type)):
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
            found |= {_local_name(current)} & set(CORE_PROPERTIES)
            todo += [parent for g in graphs for parent in g.objects(current, RDFS.subPropertyOf)]
    return frozenset(found)


Triple = tuple[Any, Any, Any]


def _scored(graph: rdflib.Graph, schema: rdflib.Graph) -> list[tuple[Triple, tuple[str, ...]]]:
    """Every IRI-to-IRI triple whose predicate stands for a scored property, with the
    names of those properties."""
    names_of: dict[Any, tuple[str, ...]] = {}
    found = []
    for s, p, o in graph:
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            if p not in names_of:
                names_of[p] = tuple(sorted(_core_names(p, (schema, graph)) - UNSCORED))
            if names_of[p]:
                found.append(((s, p, o), names_of[p]))
    return found


def _edges(scored: list[tuple[Triple, tuple[str, ...]]], resolver: _Resolver) -> list[Edge]:
    """The scored triples as edges, in the same order."""
    return [Edge(str(s), names, str(o), resolver.label(s), resolver.label(o))
            for (s, _, o), names in scored]


def _origins(graph: rdflib.Graph) -> dict[Triple, frozenset[str]]:
    """The file names of the documents each reified, non-negated triple has evidence in."""
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
    return PurePosixPath(str(name)).name if name is not None else _local_name(doc)


def _states(fact: GoldFact, edge: Edge, resolver: _Resolver) -> bool:
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


def evaluate(graph: rdflib.Graph, gold: GoldSet, schema: rdflib.Graph | None = None,
             by_doc: bool = False) -> EvalReport:
    """Measures a graph against a gold set.

    Args:
        graph: the built graph (a dataset counts as the union of its graphs).
        gold: the evaluation set, from :func:`load_gold`.
        schema: the ontology, for ``rdfs:subPropertyOf`` (the graph's own count too).
        by_doc: also work out one row per story (``gold.docs`` and the facts' documents).

    Returns:
        Precision, recall, F1, the per-property table and the itemized errors
        (and ``by_doc`` rows when asked for).
    """
    graph = _flatten(graph)
    resolver = _Resolver(graph, gold.entities)
    triples = _scored(graph, schema if schema is not None else rdflib.Graph())
    edges = _edges(triples, resolver)
    scored = [f for f in gold.facts if not set(f.properties) <= UNSCORED]
    positives = [f for f in scored if not f.negative]
    required = [f for f in positives if f.required]
    found = {id(f) for f in required if any(_states(f, e, resolver) for e in edges)}
    correct = {id(e) for e in edges if any(_states(f, e, resolver) for f in positives)}
    asserted = [f for f in scored if f.negative and any(_states(f, e, resolver) for e in edges)]
    report = _report(edges, correct, required, found, asserted, _splits(graph, resolver),
                     len(graph))
    if not by_doc:
        return report
    origins = _origins(graph)
    placed = [(edge, origins.get(triple, frozenset()))
              for edge, (triple, _) in zip(edges, triples, strict=True)]
    documents = sorted(set(gold.docs) | {f.doc for f in gold.facts})
    rows = tuple(_doc_score(doc, placed, positives, found, resolver) for doc in documents)
    return replace(report, by_doc=rows)


def _doc_score(doc: str, placed: list[tuple[Edge, frozenset[str]]], positives: list[GoldFact],
               found: set[int], resolver: _Resolver) -> DocScore:
    """The row of one story: its required facts found (by any triple), and the triples
    with evidence in it that state one of its non-negative facts."""
    facts = [f for f in positives if f.doc == doc]
    required = [f for f in facts if f.required]
    emitted = [edge for edge, docs in placed if doc in docs]
    correct = sum(any(_states(f, edge, resolver) for f in facts) for edge in emitted)
    hits = sum(id(f) in found for f in required)
    return DocScore.of(doc, len(required), hits, len(emitted), correct)


def _report(edges: list[Edge], correct: set[int], required: list[GoldFact], found: set[int],
            asserted: list[GoldFact], splits: dict[str, tuple[str, ...]], size: int) -> EvalReport:
    """Assembles the figures and the itemized errors (``correct`` and ``found`` hold ids)."""
    precision = len(correct) / len(edges) if edges else 0.0
    recall = len(found) / len(required) if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    counts = {"required": len(required), "required_found": len(found),
              "system_triples": len(edges), "system_correct": len(correct),
              "negatives_asserted": len(asserted), "split_entities": len(splits),
              "graph_triples": size}
    return EvalReport(
        precision, recall, f1, counts, _per_property(edges, correct, required, found),
        missed=tuple(f for f in required if id(f) not in found),
        unmatched=tuple(sorted((e for e in edges if id(e) not in correct), key=Edge.describe)),
        negatives=tuple(asserted), splits=splits,
    )


def _per_property(edges: list[Edge], correct: set[int], required: list[GoldFact],
                  found: set[int]) -> dict[str, PropertyScore]:
    """Precision over the edges carrying each property, recall over the facts listing it."""
    table = {}
    for name in CORE_PROPERTIES:
        mine = [id(e) in correct for e in edges if name in e.properties]
        theirs = [id(f) in found for f in required if name in f.properties]
        if mine or theirs:
            table[name] = PropertyScore(sum(mine) / len(mine) if mine else 0.0,
                                        sum(theirs) / len(theirs) if theirs else 0.0, len(theirs))
    return table


def _splits(graph: rdflib.Graph, resolver: _Resolver) -> dict[str, tuple[str, ...]]:
    """Gold entities that more than one IRI node of the graph stands for."""
    nodes = {n for n in graph.subjects() if isinstance(n, URIRef)}
    nodes |= {n for n in graph.objects() if isinstance(n, URIRef)}
    owners: dict[str, set[str]] = {}
    for node in nodes:
        for eid in resolver.entities(node):
            owners.setdefault(eid, set()).add(str(node))
    return {eid: tuple(sorted(iris)) for eid, iris in sorted(owners.items()) if len(iris) > 1}


def format_report(report: EvalReport, show: bool = False) -> str:
    """Renders a report as text: figures, the per-property table, negatives and splits.

    ``show`` also lists every missed fact and every unmatched triple.
    """
    c = report.counts
    lines = [
        # rounded to four places first, as the shared scorer does, so that the
        # two print the same three decimals
        f"precision {round(report.precision, 4):.3f}  recall {round(report.recall, 4):.3f}  "
        f"F1 {round(report.f1, 4):.3f}",
        f"required facts found {c['required_found']}/{c['required']}; "
        f"system triples correct {c['system_correct']}/{c['system_triples']}; "
        f"negatives asserted {c['negatives_asserted']}; split entities {c['split_entities']}",
        "", f"{'property':<20}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for name, (precision, recall, support) in report.per_property.items():
        shown = f"{recall:.3f}" if support else "-"
        lines.append(f"{name:<20}{precision:>10.3f}{shown:>8}{support:>9}")
    sections = [("negatives asserted", [f.describe() for f in report.negatives]),
                ("split entities", [f"{eid}: {', '.join(n)}" for eid, n in report.splits.items()])]
    if show:
        sections[:0] = [("missed", [f.describe() for f in report.missed]),
                        ("unmatched", [e.describe() for e in report.unmatched])]
    for title, items in sections:
        if items or show:
            lines += ["", f"## {title} ({len(items)})", *(f"  {item}" for item in items)]
    return "\n".join(lines) + "\n"


def format_by_doc(report: EvalReport) -> str:
    """Renders the per-story rows as a table, with a line of column sums ("" without rows).

    A triple with evidence in two stories counts in both rows, so ``emitted`` may add
    up to more than the report's system triples.
    """
    if report.by_doc is None:
        return ""
    rows = list(report.by_doc)
    width = max([len("doc"), len("all stories"), *(len(row.doc) for row in rows)]) + 2
    lines = [f"{'doc':<{width}}{'required':>9}{'found':>7}{'emitted':>9}{'correct':>9}"
             f"{'P':>7}{'R':>7}{'F1':>7}"]
    sums = [sum(getattr(row, key) for row in rows)
            for key in ("required", "found", "emitted", "correct")]
    for row in [*rows, DocScore.of("all stories", *sums)]:
        lines.append(f"{row.doc:<{width}}{row.required:>9}{row.found:>7}{row.emitted:>9}"
                     f"{row.correct:>9}{row.precision:>7.3f}{row.recall:>7.3f}{row.f1:>7.3f}")
    return "\n".join(lines) + "\n"
