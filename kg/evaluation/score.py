"""Measure a built graph against a gold set (``entities.jsonl``, ``gold.jsonl``, ``docs/``).

Precision: the share of the graph's IRI-to-IRI triples over core properties
(the property or an ``rdfs:subPropertyOf`` ancestor) that state a non-negative
gold fact. Recall: the share of required facts some triple states. ``states``
is not scored; ``cooperatesWith`` matches in both directions.

Per story (``by_doc``): a triple belongs to every document its reified
statement's evidence comes from (``rdf:Statement`` -> ``kg:evidence`` ->
``prov:wasDerivedFrom`` -> ``kg:fileName``).

This module is the entry point (what ``kg eval`` calls); the matching rules are in
:mod:`kg.evaluation.match`, the figures and their text form in
:mod:`kg.evaluation.report`, reading a gold set in :mod:`kg.evaluation.gold`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import rdflib

from kg.evaluation.gold import CORE_PROPERTIES, EvalError, GoldFact, GoldSet, load_gold
from kg.evaluation.match import (
    SYMMETRIC,
    UNSCORED,
    Edge,
    Resolver,
    edges_of,
    evidence_docs,
    scored_triples,
    spaceless_name_key,
    split_entities,
    states,
)
from kg.evaluation.report import (
    DocScore,
    EvalReport,
    PropertyScore,
    build_report,
    format_by_doc,
    format_report,
)
from kg.sparql.query import QueryError, load_graph

__all__ = ["CORE_PROPERTIES", "SYMMETRIC", "UNSCORED", "DocScore", "Edge", "EvalError",
           "EvalReport", "GoldSet", "PropertyScore", "evaluate", "format_by_doc",
           "format_report", "load_gold", "load_schema", "spaceless_name_key"]

_RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl")


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
    resolver = Resolver(graph, gold.entities)
    triples = scored_triples(graph, schema if schema is not None else rdflib.Graph())
    edges = edges_of(triples, resolver)
    scored = [f for f in gold.facts if not set(f.properties) <= UNSCORED]
    positives = [f for f in scored if not f.negative]
    required = [f for f in positives if f.required]
    found = {id(f) for f in required if any(states(f, e, resolver) for e in edges)}
    correct = {id(e) for e in edges if any(states(f, e, resolver) for f in positives)}
    asserted = [f for f in scored if f.negative and any(states(f, e, resolver) for e in edges)]
    report = build_report(edges, correct, required, found, asserted,
                          split_entities(graph, resolver), len(graph))
    if not by_doc:
        return report
    origins = evidence_docs(graph)
    placed = [(edge, origins.get(triple, frozenset()))
              for edge, (triple, _) in zip(edges, triples, strict=True)]
    documents = sorted(set(gold.docs) | {f.doc for f in gold.facts})
    rows = tuple(_doc_score(doc, placed, positives, found, resolver) for doc in documents)
    return replace(report, by_doc=rows)


def _doc_score(doc: str, placed: list[tuple[Edge, frozenset[str]]], positives: list[GoldFact],
               found: set[int], resolver: Resolver) -> DocScore:
    """The row of one story: its required facts found (by any triple), and the triples
    with evidence in it that state one of its non-negative facts."""
    facts = [f for f in positives if f.doc == doc]
    required = [f for f in facts if f.required]
    emitted = [edge for edge, docs in placed if doc in docs]
    correct = sum(any(states(f, edge, resolver) for f in facts) for edge in emitted)
    hits = sum(id(f) in found for f in required)
    return DocScore.of(doc, len(required), hits, len(emitted), correct)
