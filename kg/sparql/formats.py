"""Content negotiation and serialization for the SPARQL endpoint of ``kg serve``.

SELECT and ASK answers become a :class:`kg.sparql.query.QueryResult` written by
:func:`kg.sparql.query.format_result` (JSON, CSV, TSV) or by :func:`xml_results`
(the SPARQL Query Results XML format). CONSTRUCT and DESCRIBE answers are
written by pyoxigraph as Turtle, N-Triples, JSON-LD or RDF/XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib import BNode, Literal
from rdflib.term import Node

from kg.sparql.query import QueryResult, format_result
from kg.sparql.store import PREFIXES, to_rdflib

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XML_NS = "http://www.w3.org/XML/1998/namespace"

# media type -> (format name, Content-Type sent back); the first entry is the default.
RESULT_TYPES: dict[str, tuple[str, str]] = {
    "application/sparql-results+json": ("json", "application/sparql-results+json"),
    "application/json": ("json", "application/sparql-results+json"),
    "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
    "application/xml": ("xml", "application/sparql-results+xml"),
    "text/xml": ("xml", "application/sparql-results+xml"),
    "text/csv": ("csv", "text/csv"),
    "text/tab-separated-values": ("tsv", "text/tab-separated-values"),
}
GRAPH_TYPES: dict[str, tuple[str, str]] = {
    "text/turtle": ("turtle", "text/turtle"),
    "application/x-turtle": ("turtle", "text/turtle"),
    "application/n-triples": ("ntriples", "application/n-triples"),
    "text/plain": ("ntriples", "application/n-triples"),
    "application/ld+json": ("jsonld", "application/ld+json"),
    "application/rdf+xml": ("rdfxml", "application/rdf+xml"),
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class NotAcceptable(Exception):
    """No media type the client accepts fits the kind of answer (HTTP 406)."""


@dataclass(frozen=True)
class Rendered:
    """A serialized answer: body, Content-Type and whether rows were cut off."""

    body: bytes
    content_type: str
    truncated: bool = False


def parse_accept(header: str | None) -> list[str]:
    """The media ranges of an ``Accept`` header, best first (q=0 ranges dropped)."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        media, *params = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            specificity = 2 - media.count("*")
            ranges.append((-quality, -specificity, position, media.lower()))
    return [media for *_, media in sorted(ranges)] or ["*/*"]


def negotiate(accept: str | None, offers: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Picks (format name, Content-Type) from ``offers`` for an ``Accept`` header.

    Raises:
        NotAcceptable: no offer matches any accepted media range.
    """
    for media in parse_accept(accept):
        if media in offers:
            return offers[media]
        major, _, minor = media.partition("/")
        if minor == "*":
            for answer in offers.values():
                if major == "*" or answer[1].startswith(major + "/"):
                    return answer
    kinds = ", ".join(dict.fromkeys(content for _, content in offers.values()))
    raise NotAcceptable(
        f"none of the accepted media types can carry this answer (offered: {kinds})"
    )


def render(answer, accept: str | None, max_results: int) -> Rendered:
    """Serializes a pyoxigraph answer, keeping at most ``max_results`` rows or triples."""
    if isinstance(answer, ox.QueryBoolean):
        fmt, content_type = negotiate(accept, RESULT_TYPES)
        return Rendered(_results_text(QueryResult("ASK", boolean=bool(answer)), fmt), content_type)
    if isinstance(answer, ox.QuerySolutions):
        fmt, content_type = negotiate(accept, RESULT_TYPES)
        names = [variable.value for variable in answer.variables]
        rows = list(islice(answer, max_results + 1))
        result = QueryResult("SELECT", names, [_row(row, len(names)) for row in rows[:max_results]])
        return Rendered(_results_text(result, fmt), content_type, len(rows) > max_results)
    fmt, content_type = negotiate(accept, GRAPH_TYPES)
    triples = list(islice(answer, max_results + 1))
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    body = ox.serialize(triples[:max_results], format=_RDF_FORMATS[fmt], prefixes=prefixes)
    return Rendered(body or b"", content_type, len(triples) > max_results)


def _results_text(result: QueryResult, fmt: str) -> bytes:
    text = xml_results(result) if fmt == "xml" else format_result(result, fmt)
    return text.encode("utf-8")


def _row(solution: ox.QuerySolution, width: int) -> tuple[Node | None, ...]:
    return tuple(to_rdflib(solution[index]) for index in range(width))


def xml_results(result: QueryResult) -> str:
    """The SPARQL Query Results XML Format document for a SELECT or ASK result."""
    root = ET.Element("sparql", xmlns=SPARQL_RESULTS_NS)
    head = ET.SubElement(root, "head")
    if result.boolean is not None:
        ET.SubElement(root, "boolean").text = "true" if result.boolean else "false"
    else:
        for name in result.vars:
            ET.SubElement(head, "variable", name=name)
        results = ET.SubElement(root, "results")
        for row in result.rows:
            _xml_row(ET.SubElement(results, "result"), result.vars, row)
    # ElementTree leaves CR as it is in text, and XML parsers would turn it into LF.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _xml_row(element: ET.Element, names: list[str], row: tuple[Node | None, ...]) -> None:
    for name, term in zip(names, row, strict=True):
        if term is None:
            continue
        binding = ET.SubElement(element, "binding", name=name)
        if isinstance(term, Literal):
            literal = ET.SubElement(binding, "literal")
            if term.language:
                literal.set(f"{{{_XML_NS}}}lang", term.language)
            elif term.datatype is not None:
                literal.set("datatype", str(term.datatype))
            literal.text = _xml_safe(str(term))
        else:
            kind = "bnode" if isinstance(term, BNode) else "uri"
            ET.SubElement(binding, kind).text = _xml_safe(str(term))


def _xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
