"""rdflib graphs and datasets as sorted N-Triples/N-Quads lines, and fast writers built on them.

pyoxigraph writes Turtle, TriG and N-Quads many times faster than rdflib. A graph (or a
dataset) is converted once, in one pass, into sorted N-Triples lines (:class:`Lines`); the
Turtle, TriG, N-Quads and store writers hand those lines to pyoxigraph (parsing them is how
pyoxigraph validates every term), and the JSON-LD writer uses the compact rows made in the
same pass. Sorted lines make the output the same, byte for byte, in every run.

The conversion repairs what Turtle cannot hold (IRIs with forbidden characters are
percent-encoded, blank node ids that are not valid labels are replaced) and refuses, with
:class:`UnsuitableGraph`, any term that pyoxigraph would reject or write in a form that
rdflib or raptor read back differently: IRIs pyoxigraph finds invalid (relative ones, bad
percent escapes), prefixed names that would need ``\\``-escapes (rdflib cannot parse them),
literals typed ``xsd:string`` (rdflib tells them from plain ones), language tags with capitals
(pyoxigraph writes them in lower case, rdflib compares them as written) and lone surrogates. The
callers fall back to rdflib's serializers for such graphs; the pipeline's graphs never need it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.vocab import PREFIXES

__all__ = ["Lines", "UnsuitableGraph", "dataset_lines", "graph_lines", "jsonld_bytes",
           "nquads_bytes", "trig_bytes", "try_dataset_lines", "try_graph_lines", "turtle_bytes"]

SORTED_PREFIXES: dict[str, str] = dict(sorted(PREFIXES.items()))
"""The project prefixes for the Turtle and TriG headers (pyoxigraph writes them in its own
fixed order, the same in every run)."""

BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# local names that pyoxigraph writes without escapes and that rdflib and raptor both read
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
_BY_LENGTH = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
_BLOCK_END = re.compile(rb"( \.|\})\n(?=[^\n}@])")
_INTEGER = re.compile(r"-?[1-9][0-9]{0,14}|0")  # written as a JSON number, read back the same
_RDF_TYPE = f"<{RDF.type}>"
_XSD_INTEGER = str(XSD.integer)
_XSD_STRING = str(XSD.string)


class UnsuitableGraph(ValueError):
    """A term that the pyoxigraph writers cannot write so that rdflib reads it back the same."""


# ----- repairs ---------------------------------------------------------------------------
def needs_repair(term: Node) -> bool:
    """Whether ``term`` cannot be written as valid Turtle as it is."""
    if isinstance(term, URIRef):
        return bool(BAD_IRI_CHAR.search(term))
    if isinstance(term, BNode):
        return not BNODE_LABEL.fullmatch(term)
    if isinstance(term, Literal) and term.datatype is not None:
        return bool(BAD_IRI_CHAR.search(term.datatype))
    return False


def _encode_iri(iri: str) -> URIRef:
    return URIRef(BAD_IRI_CHAR.sub(lambda m: quote(m.group(), safe=""), iri))


def term_fixer() -> Callable[[Node], Node]:
    """A function mapping each term to a valid one (same input, same output)."""
    fresh: dict[BNode, BNode] = {}

    def fix(term: Node) -> Node:
        if not needs_repair(term):
            return term
        if isinstance(term, URIRef):
            return _encode_iri(term)
        if isinstance(term, BNode):
            return fresh.setdefault(term, BNode())
        return Literal(str(term), datatype=_encode_iri(term.datatype))

    return fix


# ----- conversion ------------------------------------------------------------------------
@dataclass(frozen=True)
class Lines:
    """A graph or dataset as sorted, distinct N-Triples (N-Quads) lines.

    Attributes:
        data: the lines, UTF-8 encoded; every term in them is valid for pyoxigraph.
        rows: for a graph, one ``(line, subject id, key, value)`` row per line: the line and
            its triple in compact JSON-LD terms (``key`` is ``@type`` for rdf:type with an
            IRI object).
    """

    data: bytes
    rows: tuple[tuple[str, str, str, object], ...] = ()


def _compact(iri: str) -> str:
    """``iri`` as a compact JSON-LD IRI (``kgr:x``) when a project prefix covers it."""
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if not _PLAIN_LOCAL.fullmatch(local):
                raise UnsuitableGraph(f"prefixed name would need escapes: {iri}")
            return f"{prefix}:{local}" if local else iri
    if iri.partition(":")[0] in PREFIXES:  # a scheme that reads as a prefix
        raise UnsuitableGraph(f"IRI looks like a prefixed name: {iri}")
    return iri


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


class _Converter:
    """Turns rdflib terms into N-Triples text and compact JSON-LD values, repairing them.

    IRIs (repaired, then checked by pyoxigraph) and language tags are worked out once each;
    any term that cannot be written exactly raises :class:`UnsuitableGraph`.
    """

    def __init__(self) -> None:
        self.fix = term_fixer()
        self.iris: dict[str, tuple[str, str, dict]] = {}
        self.tags: set[str] = set()

    def iri(self, iri: str) -> tuple[str, str, dict]:
        """(N-Triples form, compact JSON-LD form, JSON-LD reference) of an IRI."""
        found = self.iris.get(iri)
        if found is None:
            fixed = str(_encode_iri(iri)) if BAD_IRI_CHAR.search(iri) else iri
            ox.NamedNode(fixed)  # ValueError when pyoxigraph finds the IRI invalid
            compact = _compact(fixed)
            found = self.iris[iri] = (f"<{fixed}>", compact, {"@id": compact})
        return found

    def node(self, term: Node) -> tuple[str, str, dict]:
        """(N-Triples form, JSON-LD id, JSON-LD reference) of an IRI or blank node."""
        if type(term) is URIRef:
            return self.iri(str.__str__(term))
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, BNode):
            label = f"_:{self.fix(term)}"
            return label, label, {"@id": label}
        raise UnsuitableGraph(f"not an IRI or blank node: {term!r}")

    def value(self, term: Node) -> tuple[str, object]:
        """(N-Triples form, compact JSON-LD value) of an object."""
        if not isinstance(term, Literal):
            text, _, reference = self.node(term)
            return text, reference
        lexical, language, datatype = str(term), term.language, term.datatype
        quoted = f'"{_escape(lexical)}"'
        if language:
            if language not in self.tags:
                if language != language.lower():  # pyoxigraph writes tags in lower case
                    raise UnsuitableGraph(f"language tag not in lower case: {language}")
                ox.Literal("", language=language)  # ValueError for an invalid tag
                self.tags.add(language)
            return f"{quoted}@{language}", {"@language": language, "@value": lexical}
        if datatype is None:
            return quoted, lexical
        datatype = str(datatype)
        if datatype == _XSD_STRING:
            raise UnsuitableGraph("xsd:string-typed literal (rdflib reads it back untyped)")
        text, compact, _ = self.iri(datatype)
        if datatype == _XSD_INTEGER and _INTEGER.fullmatch(lexical):
            return f"{quoted}^^{text}", int(lexical)
        return f"{quoted}^^{text}", {"@type": compact, "@value": lexical}


def _checked(convert: Callable[[], Lines]) -> Lines:
    """Runs a conversion, turning pyoxigraph's refusals into :class:`UnsuitableGraph`."""
    try:
        return convert()
    except UnsuitableGraph:
        raise
    except (ValueError, TypeError) as exc:  # invalid IRI or tag, lone surrogate
        raise UnsuitableGraph(str(exc)) from exc


def graph_lines(graph: Graph) -> Lines:
    """The triples of ``graph`` as sorted N-Triples lines and JSON-LD rows.

    Raises:
        UnsuitableGraph: a term needs rdflib's serializers (see the module docstring).
    """
    def convert() -> Lines:
        terms, rows = _Converter(), []
        for s, p, o in graph:
            (s_text, s_id, _), (p_text, p_key, _) = terms.node(s), terms.node(p)
            o_text, o_value = terms.value(o)
            if not isinstance(p, URIRef):
                raise UnsuitableGraph(f"predicate is not an IRI: {p!r}")
            if p_text == _RDF_TYPE and o_text.startswith("<"):
                p_key, o_value = "@type", o_value["@id"]
            rows.append((f"{s_text} {p_text} {o_text} .\n", s_id, p_key, o_value))
        rows.sort(key=itemgetter(0))
        rows = [row for n, row in enumerate(rows) if n == 0 or rows[n - 1][0] != row[0]]
        return Lines("".join(row[0] for row in rows).encode("utf-8"), tuple(rows))

    return _checked(convert)


def dataset_lines(dataset: Dataset) -> Lines:
    """The quads of ``dataset`` as N-Quads lines, by graph (default graph first), then line.

    Raises:
        UnsuitableGraph: a term needs rdflib's serializers.
    """
    def convert() -> Lines:
        terms, rows = _Converter(), set()
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            graph = "" if name in (None, DATASET_DEFAULT_GRAPH_ID) else terms.node(name)[0]
            triple = f"{terms.node(s)[0]} {terms.node(p)[0]} {terms.value(o)[0]}"
            rows.add((graph, f"{triple} {graph} .\n" if graph else f"{triple} .\n"))
        return Lines("".join(line for _, line in sorted(rows)).encode("utf-8"))

    return _checked(convert)


def try_graph_lines(graph: Graph) -> Lines | None:
    """:func:`graph_lines`, or None when the graph needs rdflib's serializers."""
    try:
        return graph_lines(graph)
    except UnsuitableGraph:
        return None


def try_dataset_lines(dataset: Dataset) -> Lines | None:
    """:func:`dataset_lines`, or None when the dataset needs rdflib's serializers."""
    try:
        return dataset_lines(dataset)
    except UnsuitableGraph:
        return None


# ----- serialization ---------------------------------------------------------------------
def _spaced(data: bytes) -> bytes:
    """A blank line after the prefixes, between subjects and between graphs.

    pyoxigraph escapes line breaks inside literals, so every newline in its output ends a
    line of syntax: `` .`` ends a subject's statements and ``}`` a graph.
    """
    return _BLOCK_END.sub(rb"\1\n\n", data)


def _rewrite(lines: Lines, source: ox.RdfFormat, target: ox.RdfFormat, **options) -> bytes:
    try:
        return ox.serialize(ox.parse(lines.data, format=source), format=target, **options)
    except SyntaxError as exc:  # not expected: every term was checked
        raise UnsuitableGraph(str(exc)) from exc


def turtle_bytes(lines: Lines) -> bytes:
    """A graph's lines as Turtle with the project prefixes, subjects in order."""
    return _spaced(_rewrite(lines, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE,
                            prefixes=SORTED_PREFIXES))


def trig_bytes(lines: Lines) -> bytes:
    """A dataset's lines as TriG with the project prefixes, graphs in order."""
    return _spaced(_rewrite(lines, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG,
                            prefixes=SORTED_PREFIXES))


def nquads_bytes(lines: Lines) -> bytes:
    """A dataset's lines as canonical N-Quads (control characters escaped)."""
    return _rewrite(lines, ox.RdfFormat.N_QUADS, ox.RdfFormat.N_QUADS)


def jsonld_bytes(lines: Lines, context: dict[str, str]) -> bytes:
    """A graph's rows as compact JSON-LD: ``@context``, then one node a line, sorted by ``@id``.

    Each node holds ``@id``, ``@type`` and its properties by name; a single value is
    written bare, several as a list.
    """
    nodes = []
    for subject, rows in groupby(lines.rows, key=itemgetter(1)):
        values: dict[str, list] = {}
        for _, _, key, value in rows:
            values.setdefault(key, []).append(value)
        node: dict[str, object] = {"@id": subject}
        for key in sorted(values, key=lambda k: (k != "@type", k)):
            node[key] = values[key][0] if len(values[key]) == 1 else values[key]
        nodes.append((subject, json.dumps(node, ensure_ascii=False)))
    nodes.sort(key=itemgetter(0))
    head = json.dumps({"@context": context}, indent=1, ensure_ascii=False)[:-2]
    body = ",\n  ".join(text for _, text in nodes)
    return f'{head},\n "@graph": [\n  {body}\n ]\n}}\n'.encode()
