"""Turtle and TriG export that rdflib and raptor (``rapper``) both read.

Graphs are written by pyoxigraph from sorted N-Triples lines (see :mod:`kg.export.quads`):
prefixes declared, subjects grouped and in IRI order, a blank line between subjects, the same
bytes in every run. Graphs holding a term that path cannot write exactly are written by
rdflib's serializers, as before. Both paths give a valid document for odd data:

* IRIs holding characters that Turtle's IRIREF forbids (space, ``<>"{}|^`\\``,
  control characters) are percent-encoded, and blank node ids that are not
  valid Turtle labels are replaced by fresh ones. Graphs without such terms
  (every graph the pipeline builds) are serialized untouched.
* Raw control characters in literals (legal Turtle, but truncating or
  confusing for other tools) are written as escapes.
"""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.trig import TrigSerializer

from kg.atomic import atomic_write_bytes
from kg.export import quads as fast
from kg.export.quads import Lines, needs_repair, term_fixer
from kg.vocab import KG, KGR, WD, bind_prefixes

__all__ = ["KG", "KGR", "WD", "bind_prefixes", "trig_bytes", "trig_text", "turtle_bytes",
           "turtle_text", "write_trig", "write_turtle"]

_CONTROL_ESCAPES = {
    code: f"\\u{code:04X}" for code in (*range(0x00, 0x20), 0x7F) if chr(code) not in "\n\r\t"
}


def turtle_bytes(graph: Graph, lines: Lines | None = None) -> bytes:
    """``graph`` as Turtle 1.1 (UTF-8) with the contract's prefixes bound.

    Args:
        graph: the graph to write.
        lines: ``graph`` already converted by :func:`kg.export.quads.try_graph_lines`.
    """
    lines = lines or fast.try_graph_lines(graph)
    if lines is not None:
        return fast.turtle_bytes(lines)
    return _rdflib_turtle(graph).encode("utf-8")


def trig_bytes(dataset: Dataset, lines: Lines | None = None) -> bytes:
    """``dataset`` (default graph and named graphs, in IRI order) as TriG (UTF-8).

    Args:
        dataset: the dataset to write.
        lines: ``dataset`` already converted by :func:`kg.export.quads.try_dataset_lines`.
    """
    lines = lines or fast.try_dataset_lines(dataset)
    if lines is not None:
        return fast.trig_bytes(lines)
    return _rdflib_trig(dataset).encode("utf-8")


def turtle_text(graph: Graph) -> str:
    """Serializes ``graph`` as Turtle 1.1 text with the contract's prefixes bound."""
    return turtle_bytes(graph).decode("utf-8")


def trig_text(dataset: Dataset) -> str:
    """Serializes ``dataset`` (default graph and named graphs) as TriG text."""
    return trig_bytes(dataset).decode("utf-8")


def _rdflib_turtle(graph: Graph) -> str:
    safe = _safe_graph(graph)
    bind_prefixes(safe)
    return _escape_controls(safe.serialize(format="turtle"))


def _rdflib_trig(dataset: Dataset) -> str:
    safe = _safe_dataset(dataset)
    bind_prefixes(safe)
    serializer = TrigSerializer(safe)
    # the store lists its graphs in hash order; sorted, the text is the same in every run
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    buffer = io.BytesIO()
    serializer.serialize(buffer, encoding="utf-8")
    return _escape_controls(buffer.getvalue().decode("utf-8"))


def write_turtle(graph: Graph, path: Path, lines: Lines | None = None) -> Path:
    """Writes ``graph`` to ``path`` as Turtle, atomically.

    The text is produced completely before the file is touched, so a failing
    serialization leaves any old file at ``path`` as it was.

    Args:
        graph: the graph to write.
        path: the target file; its folder must exist.
        lines: ``graph`` already converted (see :func:`turtle_bytes`).

    Returns:
        ``path``.
    """
    return atomic_write_bytes(Path(path), turtle_bytes(graph, lines))


def write_trig(dataset: Dataset, path: Path, lines: Lines | None = None) -> Path:
    """Writes ``dataset`` to ``path`` as TriG, atomically.

    Args:
        dataset: the dataset (one named graph per document, say) to write.
        path: the target file; its folder must exist.
        lines: ``dataset`` already converted (see :func:`trig_bytes`).

    Returns:
        ``path``.
    """
    return atomic_write_bytes(Path(path), trig_bytes(dataset, lines))


def _escape_controls(text: str) -> str:
    """Replaces raw control characters by UCHAR escapes.

    After :func:`_safe_graph` a control character can only occur inside a
    string literal, where ``\\uXXXX`` stands for the same character.
    """
    return text.translate(_CONTROL_ESCAPES)


def _safe_graph(graph: Graph) -> Graph:
    """``graph`` itself when all its terms serialize validly, else a repaired copy."""
    if not any(needs_repair(t) for triple in graph for t in triple):
        return graph
    fix, copy = term_fixer(), Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    for triple in graph:
        copy.add(tuple(fix(t) for t in triple))
    return copy


def _safe_dataset(dataset: Dataset) -> Dataset:
    """``dataset`` itself when all its terms serialize validly, else a repaired copy."""
    quads = list(dataset.quads((None, None, None, None)))
    if not any(needs_repair(t) for quad in quads for t in quad if t is not None):
        return dataset
    fix, copy = term_fixer(), Dataset()
    for prefix, namespace in dataset.namespaces():
        copy.bind(prefix, namespace, override=True)
    for s, p, o, g in quads:
        name = g.identifier if isinstance(g, Graph) else g
        default = name in (None, DATASET_DEFAULT_GRAPH_ID)
        target = copy.default_graph if default else copy.graph(fix(name))
        target.add((fix(s), fix(p), fix(o)))
    return copy
