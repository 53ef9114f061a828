"""Measure a built graph against a hand-annotated gold set.

A gold set is a folder with ``entities.jsonl`` (who is who, by name, regular
expression or Wikidata id), ``gold.jsonl`` (the facts a careful reader takes
from the stories) and ``docs/`` (the stories). The measures are:

- precision: the share of the graph's core-property triples between two IRIs
  that state a non-negative gold fact (required or optional);
- recall: the share of required gold facts that some graph triple states;
- per core property, the same two figures and the number of required facts;
- the gold negatives the graph asserts, and gold entities split over nodes.

A triple counts under a core property when its predicate is that property or
has it as an ``rdfs:subPropertyOf`` ancestor (from the schema or the graph).
``states`` is not scored; ``cooperatesWith`` matches in both directions.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.vocab import RELATION_PROPERTIES, STRUCTURAL_PROPERTIES

CORE_PROPERTIES: tuple[str, ...] = RELATION_PROPERTIES + STRUCTURAL_PROPERTIES
SYMMETRIC: frozenset[str] = frozenset({"cooperatesWith"})
UNSCORED: frozenset[str] = frozenset({"states"})

_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_RDF_SUFFIXES = {
    ".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".nq": "nquads", ".trig": "trig",
    ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml",
}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class EvalError(Exception):
    """A gold set or schema that is missing or malformed (one-line message)."""


@dataclass(frozen=True)
class GoldEntity:
    """One annotated entity: the names and the Wikidata id that identify it."""

    id: str
    type: str
    names: tuple[str, ...]
    wikidata: str | None = None


@dataclass(frozen=True)
class ClaimObject:
    """A fact's object that is a claim whose text contains ``keyword``."""

    keyword: str


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact of ``gold.jsonl`` (``line`` is its line number)."""

    doc: str
    subject: str
    properties: tuple[str, ...]
    object: str | ClaimObject
    required: bool = False
    negative: bool = False
    evidence: str = ""
    line: int = 0

    def describe(self) -> str:
        """A one-line human form: ``doc: S p|q O  <- evidence``."""
        obj = self.object if isinstance(self.object, str) else f"claim:{self.object.keyword!r}"
        text = f"{self.doc}: {self.subject} {'|'.join(self.properties)} {obj}"
        return f"{text}  <- {self.evidence}" if self.evidence else text

    def to_json(self) -> dict[str, Any]:
        """The fact in the ``gold.jsonl`` format."""
        obj = self.object if isinstance(self.object, str) else {"claim": self.object.keyword}
        return {"doc": self.doc, "s": self.subject, "p": list(self.properties), "o": obj,
                "required": self.required, "neg": self.negative, "evidence": self.evidence}


@dataclass(frozen=True)
class GoldSet:
    """The entities and facts of one evaluation set."""

    entities: tuple[GoldEntity, ...]
    facts: tuple[GoldFact, ...]


@dataclass(frozen=True)
class Edge:
    """A graph triple over core properties, with display labels for its ends."""

    subject: URIRef
    properties: frozenset[str]
    object: URIRef
    subject_label: str = ""
    object_label: str = ""

    def describe(self) -> str:
        """A one-line human form: ``Subject --p--> Object``."""
        names = "|".join(sorted(self.properties))
        return f"{self.subject_label} --{names}--> {self.object_label}"


class PropertyScore(NamedTuple):
    """Precision and recall of one core property, and its number of required facts."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    """The result of measuring a graph against a gold set.

    Attributes:
        precision: correct core triples / all core triples of the graph.
        recall: required facts found / required facts.
        f1: harmonic mean of precision and recall.
        counts: required, required_found, system_triples, system_correct,
            negatives_asserted, split_entities, graph_triples.
        per_property: core property name -> (precision, recall, support).
        missed: the required facts no triple states.
        unmatched: the core triples that state no non-negative gold fact.
        negatives: the negative facts the graph asserts as plain triples.
        splits: gold entity id -> the IRIs of the several nodes it became.
    """

    precision: float
    recall: float
    f1: float
    counts: dict[str, int] = field(default_factory=dict)
    per_property: dict[str, PropertyScore] = field(default_factory=dict)
    missed: tuple[GoldFact, ...] = ()
    unmatched: tuple[Edge, ...] = ()
    negatives: tuple[GoldFact, ...] = ()
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON values (figures rounded to 4 decimals)."""
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), **self.counts,
            "per_property": {name: {"precision": round(s.precision, 4),
                                    "recall": round(s.recall, 4), "support": s.support}
                             for name, s in self.per_property.items()},
            "missed": [fact.to_json() for fact in self.missed],
            "unmatched": [{"subject": str(e.subject), "subject_label": e.subject_label,
                           "properties": sorted(e.properties), "object": str(e.object),
                           "object_label": e.object_label} for e in self.unmatched],
            "negatives": [fact.to_json() for fact in self.negatives],
            "splits": {eid: list(nodes) for eid, nodes in self.splits.items()},
        }


# --- reading a gold set -----------------------------------------------------------------


def load_gold(directory: Path) -> GoldSet:
    """Reads ``entities.jsonl`` and ``gold.jsonl`` of an evaluation set folder.

    Raises:
        EvalError: a missing file, a line that is not JSON or lacks a field, an
            invalid regular expression, or a fact naming an unknown entity,
            property or document.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise EvalError(f"{directory}: no such gold set folder")
    entities = [_entity(row, path, n) for path, n, row in _jsonl(directory / "entities.jsonl")]
    known = {entity.id for entity in entities}
    docs_dir = directory / "docs"
    docs = {p.name for p in docs_dir.iterdir()} if docs_dir.is_dir() else None
    facts = [_fact(row, path, n, known, docs) for path, n, row in _jsonl(directory / "gold.jsonl")]
    return GoldSet(tuple(entities), tuple(facts))


def _jsonl(path: Path) -> Iterator[tuple[Path, int, dict]]:
    """Yields (path, line number, object) for each non-blank line of a JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}: line {number}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise EvalError(f"{path}: line {number}: expected a JSON object")
        yield path, number, row


def _field(row: dict, key: str, kind: type | tuple[type, ...], where: str, default=None):
    """Returns ``row[key]`` after checking its type; ``default`` when absent and allowed."""
    if key not in row and default is not None:
        return default
    value = row.get(key)
    if not isinstance(value, kind):
        raise EvalError(f"{where}: field {key!r} is missing or has the wrong type")
    return value


def _entity(row: dict, path: Path, number: int) -> GoldEntity:
    where = f"{path}: line {number}"
    names = _field(row, "names", list, where)
    if not all(isinstance(name, str) for name in names):
        raise EvalError(f"{where}: every name must be a string")
    for name in names:
        if name.startswith("re:"):
            try:
                re.compile(name[3:])
            except re.error as exc:
                raise EvalError(f"{where}: bad regular expression {name!r}: {exc}") from exc
    wikidata = row.get("wikidata")
    if wikidata is not None and not isinstance(wikidata, str):
        raise EvalError(f"{where}: field 'wikidata' must be a string")
    return GoldEntity(_field(row, "id", str, where), _field(row, "type", str, where, ""),
                      tuple(names), wikidata or None)


def _fact(row: dict, path: Path, number: int, known: set[str], docs: set[str] | None) -> GoldFact:
    where = f"{path}: line {number}"
    doc, subject = _field(row, "doc", str, where), _field(row, "s", str, where)
    properties = _field(row, "p", list, where)
    obj = _fact_object(_field(row, "o", (str, dict), where), where)
    unknown = [p for p in properties if p not in CORE_PROPERTIES]
    if not properties or unknown:
        raise EvalError(f"{where}: 'p' must list core properties (got {properties!r})")
    for ref in (subject, obj):
        if isinstance(ref, str) and ref not in known:
            raise EvalError(f"{where}: unknown entity {ref!r} (not in entities.jsonl)")
    if docs is not None and doc not in docs:
        raise EvalError(f"{where}: document {doc!r} is not in docs/")
    return GoldFact(doc, subject, tuple(properties), obj,
                    required=_field(row, "required", bool, where, False),
                    negative=_field(row, "neg", bool, where, False),
                    evidence=_field(row, "evidence", str, where, ""), line=number)


def _fact_object(value: str | dict, where: str) -> str | ClaimObject:
    if isinstance(value, str):
        return value
    if set(value) != {"claim"} or not isinstance(value["claim"], str):
        raise EvalError(f"{where}: 'o' must be an entity id or {{\"claim\": KEYWORD}}")
    return ClaimObject(value["claim"])


def load_schema(path: Path) -> rdflib.Graph:
    """Reads an ontology file, or every RDF file under an ontology folder, into one graph.

    Raises:
        EvalError: the path is missing or a file does not parse.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _RDF_SUFFIXES)
    elif path.is_file():
        files = [path]
    else:
        raise EvalError(f"{path}: no such ontology file or folder")
    schema = rdflib.Graph()
    for file in files:
        try:
            schema += _flatten(_parse(file))
        except Exception as exc:  # rdflib's parsers raise many unrelated types
            raise EvalError(f"{file}: cannot parse: {' '.join(str(exc).split())}") from exc
    return schema


def _parse(file: Path) -> rdflib.Graph:
    fmt = _RDF_SUFFIXES.get(file.suffix.lower(), "turtle")
    graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
    return graph.parse(file, format=fmt)


def _flatten(graph: rdflib.Graph) -> rdflib.Graph:
    """The triples of every named graph of a dataset in one plain graph."""
    if not isinstance(graph, rdflib.ConjunctiveGraph):
        return graph
    flat = rdflib.Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


# --- matching graph nodes to gold entities ----------------------------------------------


def normalize_name(text: str) -> str:
    """The comparison form of a name: case, quotes, possessive 's, punctuation,
    spacing and a leading "the" do not count ("The U.S.'s" -> "us")."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    text = re.sub(r"'s\b", "", text)
    words = re.sub(r"[^\w\s]", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def _local_name(term: Any) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``)."""
    return re.split(r"[/#]", str(term).rstrip("/#"))[-1]


class _Resolver:
    """Answers which gold entities a graph node stands for, and whether it is a claim."""

    def __init__(self, graph: rdflib.Graph, entities: Iterable[GoldEntity]) -> None:
        self.graph = graph
        self.by_name: dict[str, set[str]] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self.by_qid: dict[str, str] = {}
        for entity in entities:
            self._index(entity)
        self._cache: dict[Any, frozenset[str]] = {}

    def _index(self, entity: GoldEntity) -> None:
        for name in entity.names:
            if name.startswith("re:"):
                self.patterns.append((re.compile(name[3:], re.IGNORECASE), entity.id))
            else:
                self.by_name.setdefault(normalize_name(name), set()).add(entity.id)
        if entity.wikidata:
            self.by_qid[entity.wikidata] = entity.id

    def names(self, node: Any) -> list[str]:
        """The label, preferred-label and alternative-label strings of a node."""
        return [str(value) for predicate in _NAME_PREDICATES
                for value in self.graph.objects(node, predicate) if isinstance(value, Literal)]

    def entities(self, node: Any) -> frozenset[str]:
        """The ids of the gold entities whose names or Wikidata id the node carries."""
        if node not in self._cache:
            found: set[str] = set()
            for name in self.names(node):
                found |= self.by_name.get(normalize_name(name), set())
                found |= {eid for pattern, eid in self.patterns if pattern.search(name)}
            for same in self.graph.objects(node, OWL.sameAs):
                if _local_name(same) in self.by_qid:
                    found.add(self.by_qid[_local_name(same)])
            self._cache[node] = frozenset(found)
        return self._cache[node]

    def is_claim_with(self, node: Any, keyword: str) -> bool:
        """Whether the node is typed ``Claim`` and its literals contain ``keyword``."""
        if not any(_local_name(t) == "Claim" for t in self.graph.objects(node, RDF.type)):
            return False
        text = " ".join(str(o) for o in self.graph.objects(node, None) if isinstance(o, Literal))
        return keyword.lower() in text.lower()

    def label(self, node: Any) -> str:
        names = self.names(node)
        return names[0] if names else _local_name(node)


def _core_names(predicate: URIRef, parents: rdflib.Graph, extra: rdflib.Graph) -> frozenset[str]:
    """The core property names a predicate stands for: its own and its ancestors'."""
    found, seen, todo = set(), set(), [predicate]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if _local_name(current) in CORE_PROPERTIES:
            found.add(_local_name(current))
        for source in (parents, extra):
            todo.extend(source.objects(current, RDFS.subPropertyOf))
    return frozenset(found)


def _edges(graph: rdflib.Graph, schema: rdflib.Graph, resolver: _Resolver) -> list[Edge]:
    """Every IRI-to-IRI triple of the graph whose predicate stands for a scored property."""
    names_of: dict[Any, frozenset[str]] = {}
    edges = []
    for s, p, o in graph:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
            continue
        if p not in names_of:
            names_of[p] = _core_names(p, schema, graph) - UNSCORED
        if names_of[p]:
            edges.append(Edge(s, names_of[p], o, resolver.label(s), resolver.label(o)))
    return edges


def _states(fact: GoldFact, edge: Edge, resolver: _Resolver) -> bool:
    """Whether a graph edge states a gold fact (both ways for symmetric properties)."""
    shared = edge.properties.intersection(fact.properties)
    if not shared:
        return False
    if isinstance(fact.object, ClaimObject):
        return (fact.subject in resolver.entities(edge.subject)
                and resolver.is_claim_with(edge.object, fact.object.keyword))
    forward = (fact.subject in resolver.entities(edge.subject)
               and fact.object in resolver.entities(edge.object))
    backward = bool(shared & SYMMETRIC) and (
        fact.object in resolver.entities(edge.subject)
        and fact.subject in resolver.entities(edge.object))
    return forward or backward


# --- scoring ----------------------------------------------------------------------------


def evaluate(graph: rdflib.Graph, gold: GoldSet, schema: rdflib.Graph | None = None) -> EvalReport:
    """Measures a graph against a gold set.

    Args:
        graph: the built graph (a dataset is read as the union of its graphs).
        gold: the evaluation set, from :func:`load_gold`.
        schema: the ontology, for ``rdfs:subPropertyOf``; the graph's own
            ``rdfs:subPropertyOf`` triples are used as well.

    Returns:
        Precision, recall, F1, per-property figures and the itemized errors.
    """
    graph = _flatten(graph)
    resolver = _Resolver(graph, gold.entities)
    edges = _edges(graph, schema if schema is not None else rdflib.Graph(), resolver)
    scored = [f for f in gold.facts if not set(f.properties) <= UNSCORED]
    positives = [f for f in scored if not f.negative]
    required = [f for f in positives if f.required]
    found = {id(f) for f in required if any(_states(f, e, resolver) for e in edges)}
    correct = {id(e) for e in edges if any(_states(f, e, resolver) for f in positives)}
    asserted = [f for f in scored if f.negative and any(_states(f, e, resolver) for e in edges)]
    precision = len(correct) / len(edges) if edges else 0.0
    recall = len(found) / len(required) if required else 0.0
    splits = _splits(graph, resolver)
    counts = {
        "required": len(required), "required_found": len(found), "system_triples": len(edges),
        "system_correct": len(correct), "negatives_asserted": len(asserted),
        "split_entities": len(splits), "graph_triples": len(graph),
    }
    unmatched = sorted((e for e in edges if id(e) not in correct), key=Edge.describe)
    return EvalReport(
        precision, recall, _f1(precision, recall), counts,
        _per_property(edges, correct, required, found),
        missed=tuple(f for f in required if id(f) not in found),
        unmatched=tuple(unmatched), negatives=tuple(asserted), splits=splits,
    )


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _per_property(edges: list[Edge], correct: set[int], required: list[GoldFact],
                  found: set[int]) -> dict[str, PropertyScore]:
    """Precision over the edges carrying each property, recall over the facts listing it."""
    table = {}
    for name in CORE_PROPERTIES:
        mine = [e for e in edges if name in e.properties]
        theirs = [f for f in required if name in f.properties]
        if not mine and not theirs:
            continue
        hits = sum(id(e) in correct for e in mine)
        recalled = sum(id(f) in found for f in theirs)
        table[name] = PropertyScore(hits / len(mine) if mine else 0.0,
                                    recalled / len(theirs) if theirs else 0.0, len(theirs))
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


# --- report -----------------------------------------------------------------------------


def format_report(report: EvalReport, show: bool = False) -> str:
    """Renders a report for people: figures, the per-property table, the errors.

    Args:
        report: the result of :func:`evaluate`.
        show: also list every missed fact and every unmatched triple.

    Returns:
        The text, ending with a newline. Negatives the graph asserts and split
        entities are always listed.
    """
    c = report.counts
    lines = [
        f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}",
        f"required facts found {c['required_found']}/{c['required']}; "
        f"system triples correct {c['system_correct']}/{c['system_triples']}; "
        f"negatives asserted {c['negatives_asserted']}; split entities {c['split_entities']}",
        "",
        f"{'property':<20} {'precision':>9} {'recall':>7} {'support':>7}",
    ]
    for name, score in report.per_property.items():
        lines.append(f"{name:<20} {score.precision:>9.3f} {score.recall:>7.3f} {score.support:>7}")
    sections = [("negatives asserted", [f.describe() for f in report.negatives]),
                ("split entities", [f"{eid}: {', '.join(n)}" for eid, n in report.splits.items()])]
    if show:
        sections = [("missed", [f.describe() for f in report.missed]),
                    ("unmatched", [e.describe() for e in report.unmatched])] + sections
    for title, items in sections:
        if items or show:
            lines += ["", f"## {title} ({len(items)})", *(f"  {item}" for item in items)]
    return "\n".join(lines) + "\n"
