"""Check a graph against the project's SHACL shapes and report the violations.

The ontology (``ontology/kg.ttl``) is mixed into the data graph the way
pySHACL's ``ont_graph`` option does it, so ``sh:targetClass`` and ``sh:class``
follow ``rdfs:subClassOf`` without running a reasoner. To keep big builds fast
this is done on a view of the data graph rather than a copy, and nested
property shapes are given their node shape's targets (see
:mod:`kg.validate.fast`); the results are those of the plain pySHACL call
(:func:`validate_plain`). Parsed and rewritten graphs are cached per file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyshacl
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from kg.datatypes import ValidationReport, ValidationResult
from kg.rdfio import RDF_FORMATS, GraphReadError, quiet_rdflib, read_rdf
from kg.resources import ontology_file
from kg.validate.fast import (
    flatten_property_shapes,
    restore_source_shapes,
    source_shape_texts,
    with_ontology,
)
from kg.vocab import bind_prefixes

__all__ = [
    "GraphReadError",
    "RDF_FORMATS",
    "format_report",
    "read_graph",
    "validate",
    "validate_file",
    "validate_plain",
]

@cache
def _parsed(path: str) -> Graph:
    """Parses a Turtle file once per process (shapes and ontology)."""
    return Graph().parse(path, format="turtle")


@cache
def _flattened(path: str) -> tuple[Graph, dict[str, str]]:
    """The shapes file with nested property shapes flattened, and how to name them as written."""
    flat = flatten_property_shapes(_parsed(path))
    return flat, source_shape_texts(_parsed(path), flat)


def _shape_paths(shapes_path, ontology_path) -> tuple[str, str]:
    shapes = Path(shapes_path) if shapes_path else ontology_file("shapes.ttl")
    ontology = Path(ontology_path) if ontology_path else ontology_file("kg.ttl")
    return str(shapes.resolve()), str(ontology.resolve())


def _as_graph(graph: Graph) -> Graph:
    """Flattens a dataset (all named graphs and the default graph) into one graph."""
    if not isinstance(graph, ConjunctiveGraph | Dataset):
        return graph
    flat = Graph()
    with quiet_rdflib():
        for s, p, o, _ctx in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
    return flat


def validate(graph: Graph, shapes_path=None, ontology_path=None) -> ValidationReport:
    """Validates a graph against the SHACL shapes, with the ontology mixed in.

    Gives the same report as :func:`validate_plain`, several times faster on
    big graphs; the graph is not changed.

    Args:
        graph: the data graph (a Dataset is validated as the union of its graphs).
        shapes_path: SHACL file; defaults to ``ontology/shapes.ttl``.
        ontology_path: OWL file mixed in as pySHACL's ``ont_graph`` would; defaults
            to ``ontology/kg.ttl``.

    Returns:
        The report: ``conforms``, the results sorted by focus node, path and
        message, and pySHACL's own text report in ``text``.
    """
    shapes, ontology = _shape_paths(shapes_path, ontology_path)
    flat, shape_texts = _flattened(shapes)
    data = with_ontology(_as_graph(graph), _parsed(ontology))
    conforms, results_graph, text = _pyshacl(data, flat, None, inplace=True)
    text = restore_source_shapes(text, shape_texts)
    return _report((conforms, results_graph, text), _parsed(shapes))


def validate_plain(graph: Graph, shapes_path=None, ontology_path=None) -> ValidationReport:
    """Like :func:`validate`, by a plain pySHACL call (``ont_graph``, original shapes).

    The reference that :func:`validate` must agree with; slow on big graphs.
    """
    shapes, ontology = _shape_paths(shapes_path, ontology_path)
    outcome = _pyshacl(_as_graph(graph), _parsed(shapes), _parsed(ontology), inplace=False)
    return _report(outcome, _parsed(shapes))


def _pyshacl(data: Graph, shapes: Graph, ontology: Graph | None, inplace: bool):
    return pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        inplace=inplace,
        advanced=False,
        allow_warnings=True,  # sh:Warning results are reported but do not fail a build
    )


def _report(outcome, shapes: Graph) -> ValidationReport:
    """Plain, sorted, de-duplicated results from pySHACL's (conforms, graph, text)."""
    conforms, results_graph, text = outcome
    unique = {  # two constraints of one shape can yield identical plain results
        _result(results_graph, node, shapes)
        for node in results_graph.subjects(RDF.type, SH.ValidationResult)
    }
    results = sorted(
        unique,
        key=lambda r: (r.focus_node, r.path, r.message, r.value, r.severity),
    )
    return ValidationReport(conforms=bool(conforms), results=tuple(results), text=text)


def _result(report: Graph, node: Node, shapes: Graph) -> ValidationResult:
    """Converts one sh:ValidationResult node into plain values."""
    path = report.value(node, SH.resultPath)
    source = report.value(node, SH.sourceShape)
    if path is None and source is not None:  # node-level constraint: name the shape's property
        path = shapes.value(source, SH.targetSubjectsOf)
    severity = report.value(node, SH.resultSeverity)
    messages = sorted({str(m) for m in report.objects(node, SH.resultMessage)})
    value = report.value(node, SH.value)
    return ValidationResult(
        focus_node=_term_text(report.value(node, SH.focusNode)),
        path=_path_text(report, path),
        message=" / ".join(messages),
        severity=_local_name(severity) if severity is not None else "Violation",
        value=_term_text(value),
    )


def _term_text(term: Node | None) -> str:
    """IRIs as plain strings, literals in N3 with compact datatypes, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3(_namespaces())
    return term.n3() if isinstance(term, BNode) else str(term)


def _path_text(report: Graph, path: Node | None) -> str:
    """A SHACL property path as text: an IRI, ``^p`` (inverse) or ``p1/p2`` (sequence)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(report, inverse)
    if report.value(path, RDF.first) is not None:
        return "/".join(_path_text(report, step) for step in Collection(report, path))
    return path.n3()


def _local_name(iri: Node) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def read_graph(path: str | Path) -> Graph:
    """Reads an RDF file (see :func:`kg.rdfio.read_rdf`) as one plain graph.

    Raises:
        GraphReadError: the file is missing, has an unknown suffix or does not parse.
    """
    return _as_graph(read_rdf(path))


def validate_file(path: str | Path) -> ValidationReport:
    """Reads a graph file (.ttl .trig .nt .nq .jsonld, or a build folder) and validates it.

    Raises:
        GraphReadError: the file cannot be read or parsed.
    """
    return validate(read_graph(path))


def format_report(report: ValidationReport) -> str:
    """A readable report: one block per offending node, one line per violated property.

    Example::

        Does not conform: 2 violations on 1 node.

        kgr:claim-1
          kg:speaker  a claim needs at least one speaker (who made it).
          kg:bans     the subject (who bans) must be a kg:Actor or a kg:Initiative.
    """
    if report.conforms and not report.results:
        return "Conforms: the graph satisfies every SHACL shape."
    nodes = _group_by_focus(report.results)
    verdict = "Conforms with findings" if report.conforms else "Does not conform"
    counts = f"{_plural(len(report.results), 'violation')} on {_plural(len(nodes), 'node')}"
    lines = [f"{verdict}: {counts}.", ""]
    for focus, results in nodes.items():
        lines.append(_compact(focus))
        width = max(len(_compact(r.path) or "-") for r in results)
        lines.extend(_result_line(r, width) for r in results)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _group_by_focus(results: Iterable[ValidationResult]) -> dict[str, list[ValidationResult]]:
    groups: dict[str, list[ValidationResult]] = {}
    for result in results:
        groups.setdefault(result.focus_node, []).append(result)
    return groups


def _result_line(result: ValidationResult, width: int) -> str:
    """``  <property>  <message> [value: ...] [(Warning)]`` without repeating the property."""
    prop = _compact(result.path) or "-"
    message = result.message
    if message.startswith(prop + ":"):
        message = message[len(prop) + 1 :].strip()
    line = f"  {prop.ljust(width)}  {message}"
    if result.value and result.value != result.focus_node:
        line += f" [value: {_compact(result.value)}]"
    if result.severity != "Violation":
        line += f" ({result.severity})"
    return line


def _compact(text: str) -> str:
    """Shortens an IRI with the project prefixes; other text is returned unchanged."""
    if not text.startswith(("http://", "https://", "urn:")):
        return text
    best = ""
    for prefix, namespace in _namespaces().namespaces():
        if text.startswith(str(namespace)) and len(str(namespace)) > len(best):
            best, short = str(namespace), f"{prefix}:{text[len(str(namespace)):]}"
    return short if best else f"<{text}>"


@cache
def _namespaces() -> NamespaceManager:
    """The project prefixes only (no rdflib defaults), for compact display."""
    return bind_prefixes(Graph(bind_namespaces="none")).namespace_manager


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
