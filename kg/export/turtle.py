"""Turtle and TriG export that rdflib and raptor (``rapper``) both read.

rdflib's serializers are used as they are, with two repairs so that odd data
still gives a valid document:

* IRIs holding characters that Turtle's IRIREF forbids (space, ``<>"{}|^`\\``,
  control characters) are percent-encoded, and blank node ids that are not
  valid Turtle labels are replaced by fresh ones. Graphs without such terms
  (every graph the pipeline builds) are serialized untouched.
* Raw control characters in literals (legal Turtle, but truncating or
  confusing for other tools) are written as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from kg.export.atomic import atomic_write_text
from kg.vocab import KG, KGR, WD, bind_prefixes

__all__ = ["KG", "KGR", "WD", "bind_prefixes", "trig_text", "turtle_text", "write_trig",
           "write_turtle"]

_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_CONTROL_ESCAPES = {
    code: f"\\u{code:04X}" for code in (*range(0x00, 0x20), 0x7F) if chr(code) not in "\n\r\t"
}


def turtle_text(graph: Graph) -> str:
    """Serializes ``graph`` as Turtle 1.1 text with the contract's prefixes bound."""
    safe = _safe_graph(graph)
    bind_prefixes(safe)
    return _escape_controls(safe.serialize(format="turtle"))


def trig_text(dataset: Dataset) -> str:
    """Serializes ``dataset`` (default graph and named graphs) as TriG text."""
    safe = _safe_dataset(dataset)
    bind_prefixes(safe)
    serializer = TrigSerializer(safe)
    # the store lists its graphs in hash order; sorted, the text is the same in every run
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    buffer = io.BytesIO()
    serializer.serialize(buffer, encoding="utf-8")
    return _escape_controls(buffer.getvalue().decode("utf-8"))


def write_turtle(graph: Graph, path: Path) -> Path:
    """Writes ``graph`` to ``path`` as Turtle, atomically.

    The text is produced completely before the file is touched, so a failing
    serialization leaves any old file at ``path`` as it was.

    Args:
        graph: the graph to write.
        path: the target file; its folder must exist.

    Returns:
        ``path``.
    """
    return atomic_write_text(Path(path), turtle_text(graph))


def write_trig(dataset: Dataset, path: Path) -> Path:
    """Writes ``dataset`` to ``path`` as TriG, atomically.

    Args:
        dataset: the dataset (one named graph per document, say) to write.
        path: the target file; its folder must exist.

    Returns:
        ``path``.
    """
    return atomic_write_text(Path(path), trig_text(dataset))


def _escape_controls(text: str) -> str:
    """Replaces raw control characters by UCHAR escapes.

    After :func:`_safe_graph` a control character can only occur inside a
    string literal, where ``\\uXXXX`` stands for the same character.
    """
    return text.translate(_CONTROL_ESCAPES)


def _needs_repair(term: Node) -> bool:
    if isinstance(term, URIRef):
        return bool(_BAD_IRI_CHAR.search(term))
    if isinstance(term, BNode):
        return not _BNODE_LABEL.fullmatch(term)
    if isinstance(term, Literal) and term.datatype is not None:
        return bool(_BAD_IRI_CHAR.search(term.datatype))
    return False


def _term_fixer() -> Callable[[Node], Node]:
    """A function mapping each term to a valid one (same input, same output)."""
    fresh: dict[BNode, BNode] = {}

    def fix(term: Node) -> Node:
        if not _needs_repair(term):
            return term
        if isinstance(term, URIRef):
            return URIRef(_BAD_IRI_CHAR.sub(lambda m: quote(m.group(), safe=""), term))
        if isinstance(term, BNode):
            return fresh.setdefault(term, BNode())
        datatype = URIRef(_BAD_IRI_CHAR.sub(lambda m: quote(m.group(), safe=""), term.datatype))
        return Literal(str(term), datatype=datatype)

    return fix


def _safe_graph(graph: Graph) -> Graph:
    """``graph`` itself when all its terms serialize validly, else a repaired copy."""
    if not any(_needs_repair(t) for triple in graph for t in triple):
        return graph
    fix, copy = _term_fixer(), Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    for triple in graph:
        copy.add(tuple(fix(t) for t in triple))
    return copy


def _safe_dataset(dataset: Dataset) -> Dataset:
    """``dataset`` itself when all its terms serialize validly, else a repaired copy."""
    quads = list(dataset.quads((None, None, None, None)))
    if not any(_needs_repair(t) for quad in quads for t in quad if t is not None):
        return dataset
    fix, copy = _term_fixer(), Dataset()
    for prefix, namespace in dataset.namespaces():
        copy.bind(prefix, namespace, override=True)
    for s, p, o, g in quads:
        name = g.identifier if isinstance(g, Graph) else g
        default = name in (None, DATASET_DEFAULT_GRAPH_ID)
        target = copy.default_graph if default else copy.graph(fix(name))
        target.add((fix(s), fix(p), fix(o)))
    return copy
