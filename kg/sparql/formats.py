"""Every way a query's answer is written: the formats of ``kg query`` and the
content-negotiated formats of the ``kg serve`` endpoint.

SELECT and ASK answers follow the W3C SPARQL 1.1 Query Results formats: ``json``
(Query Results JSON), ``csv`` and ``tsv`` (CSV/TSV) and ``xml`` (Query Results XML,
endpoint only). ``table`` is for people: an aligned table with compact prefixed
names. CONSTRUCT and DESCRIBE answers are Turtle or JSON-LD (rdflib) for
``kg query``, and Turtle, N-Triples, JSON-LD or RDF/XML (pyoxigraph) at the endpoint.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Literal
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.errors import KgError
from kg.sparql.result import QueryError, QueryResult
from kg.sparql.terms import nt_term, to_oxigraph
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from kg.sparql.engine import Answer

FORMATS = ("table", "csv", "tsv", "json")
"""The output formats of ``kg query``."""

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_GRAPH_VARS = ["subject", "predicate", "object"]

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


# ----- kg query --------------------------------------------------------------------------
def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Renders a result as "table", "csv", "tsv" or "json" text.

    Raises:
        QueryError: ``fmt`` is none of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if result.triples is not None:
        return _format_graph(result, fmt)
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}[fmt](result)


def _format_graph(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE: Turtle for people, JSON-LD, or subject/predicate/object rows."""
    graph = result.graph
    if fmt == "table":
        return graph.serialize(format="turtle")
    if fmt == "json":
        return graph.serialize(format="json-ld", indent=2)
    triples = QueryResult("SELECT", list(_GRAPH_VARS), sorted(graph), namespaces=result.namespaces)
    return _csv(triples) if fmt == "csv" else _tsv(triples)


def _json(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    bindings = [
        {name: _json_term(term) for name, term in zip(result.vars, row, strict=True)
         if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quoting as needed
    if result.boolean is not None:
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_csv_term(term) for term in row])
    return buffer.getvalue()


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv(result: QueryResult) -> str:
    if result.boolean is not None:
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{name}" for name in result.vars)]
    lines += ["\t".join(nt_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _table(result: QueryResult) -> str:
    # rich is imported here: only people's tables need it, not the endpoint's workers.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if result.boolean is not None:
        return "yes\n" if result.boolean else "no\n"
    table = Table(*result.vars, show_lines=False, header_style="bold")
    for row in result.rows:
        table.add_row(*(Text(_compact(term, result.namespaces)) for term in row))
    console = Console(file=io.StringIO(), width=160, color_system=None, soft_wrap=False)
    console.print(table)
    count = len(result.rows)
    console.print(f"{count} result{'' if count == 1 else 's'}", markup=False)
    return console.file.getvalue()


def _compact(term: Node | None, namespaces: NamespaceManager | None) -> str:
    """A short human form: prefixed names for IRIs, the plain value for literals."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return f"{term}@{term.language}" if term.language else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if namespaces is not None:
        return namespaces.normalizeUri(term)
    return f"<{term}>"


# ----- the endpoint ----------------------------------------------------------------------
class NotAcceptable(KgError):
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


def render(answer: Answer, accept: str | None, max_results: int) -> Rendered:
    """Serializes a started query's answer, keeping at most ``max_results`` rows or triples.

    The media type is chosen before the answer is read, so a client that accepts
    nothing suitable costs no evaluation.

    Raises:
        NotAcceptable: no accepted media type can carry this kind of answer.
        QueryError: the query failed while its answer was read.
    """
    offers = RESULT_TYPES if answer.kind in ("SELECT", "ASK") else GRAPH_TYPES
    fmt, content_type = negotiate(accept, offers)
    result = answer.collect(max_results)
    if result.triples is not None:
        prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
        triples = [ox.Triple(*(to_oxigraph(term) for term in triple))
                   for triple in result.triples]
        body = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes) or b""
    elif fmt == "xml":
        body = xml_results(result).encode("utf-8")
    else:
        body = format_result(result, fmt).encode("utf-8")
    return Rendered(body, content_type, result.truncated)


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
