"""Interchange exports of a build: N-Quads, JSON-LD and GraphML.

* ``provenance.nq``: the quads of ``provenance.trig`` (one named graph per
  document) as N-Quads, one quad a line, for tools that read no TriG.
* ``graph.jsonld``: the triples of ``graph.ttl`` as compact JSON-LD whose
  ``@context`` declares the project prefixes (kg, kgr, wd, rdfs, ...), one node a
  line, written from the converted lines of :mod:`kg.export.quads` (rdflib's
  serializer for graphs that conversion refuses).
* ``graph.graphml``: a property graph for Gephi, yEd or networkx: entities and
  claims are nodes (label, class, wikidata), relations are edges (property,
  family, confidence). Attribute values are strings or floats only.

Each file is written atomically (see :mod:`kg.atomic`).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.atomic import atomic_write_bytes
from kg.export import quads as fast
from kg.export.quads import Lines
from kg.vocab import KG, PREFIXES, PROPERTY_FAMILY, RELATION_PROPERTIES, STRUCTURAL_PROPERTIES, WD

_KG_NS = str(KG._NS)
_PROPERTIES = {KG[name]: name for name in (*RELATION_PROPERTIES, *STRUCTURAL_PROPERTIES)}
_NOT_NODES = {KG.Document, KG.Evidence, KG.NegatedStatement, KG.HedgedStatement}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# ----- N-Quads ---------------------------------------------------------------------------
def nquads_bytes(trig_file: Path, lines: Lines | None = None) -> bytes:
    """The quads of a TriG file as N-Quads (UTF-8), in the file's order.

    Args:
        trig_file: the TriG file, read only when ``lines`` is not given.
        lines: the same quads already converted (:func:`kg.export.quads.try_dataset_lines`).
    """
    if lines is not None:
        return fast.nquads_bytes(lines)
    quads = ox.parse(path=str(trig_file), format=ox.RdfFormat.TRIG)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def write_nquads(trig_file: Path, path: Path, lines: Lines | None = None) -> Path:
    """Writes the quads of ``trig_file`` (or ``lines``) to ``path`` as N-Quads, atomically.

    Returns:
        ``path``.

    Raises:
        SyntaxError: ``trig_file`` does not parse.
    """
    return atomic_write_bytes(Path(path), nquads_bytes(Path(trig_file), lines))


# ----- JSON-LD ---------------------------------------------------------------------------
def jsonld_context() -> dict[str, str]:
    """The ``@context`` of the JSON-LD export: prefix -> namespace IRI."""
    return dict(sorted(PREFIXES.items()))


def jsonld_bytes(graph: Graph, lines: Lines | None = None) -> bytes:
    """``graph`` as compact JSON-LD (UTF-8), its nodes sorted by ``@id`` (stable across runs).

    Args:
        graph: the graph to write.
        lines: ``graph`` already converted by :func:`kg.export.quads.try_graph_lines`.
    """
    lines = lines or fast.try_graph_lines(graph)
    if lines is not None:
        return fast.jsonld_bytes(lines, jsonld_context())
    return _rdflib_jsonld(graph).encode("utf-8")


def _rdflib_jsonld(graph: Graph) -> str:
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    document = json.loads(text)
    if isinstance(document.get("@graph"), list):
        document["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write_jsonld(graph: Graph, path: Path, lines: Lines | None = None) -> Path:
    """Writes ``graph`` to ``path`` as compact JSON-LD, atomically.

    Returns:
        ``path``.
    """
    return atomic_write_bytes(Path(path), jsonld_bytes(graph, lines))


# ----- GraphML ---------------------------------------------------------------------------
def property_graph(graph: Graph) -> nx.MultiDiGraph:
    """Entities and claims as nodes, relation triples as edges.

    Node attributes: ``label``, ``class`` (local name of the kg: class),
    ``wikidata`` (Q-id from owl:sameAs, when there is one), ``text`` (claims).
    Edge attributes: ``property`` and ``label`` (local name), ``family`` (its
    super-property) and ``confidence`` (float, from the reified statement).
    Node ids are the IRIs (characters XML cannot hold replaced); edge keys are the property names.
    """
    network = nx.MultiDiGraph()
    for node, kind in graph.subject_objects(RDF.type):
        if isinstance(node, URIRef) and str(kind).startswith(_KG_NS) and kind not in _NOT_NODES:
            _add_node(network, graph, node)
    confidence = _confidences(graph)
    for prop, name in _PROPERTIES.items():
        for subject, obj in graph.subject_objects(prop):
            if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
                continue
            for end in (subject, obj):
                if _xml_safe(end) not in network:
                    _add_node(network, graph, end)
            attributes = {"property": name, "label": name, "family": PROPERTY_FAMILY[name]}
            if (subject, prop, obj) in confidence:
                attributes["confidence"] = confidence[subject, prop, obj]
            network.add_edge(_xml_safe(subject), _xml_safe(obj), key=name, **attributes)
    return network


def _add_node(network: nx.MultiDiGraph, graph: Graph, node: URIRef) -> None:
    classes = sorted(str(k)[len(_KG_NS):] for k in graph.objects(node, RDF.type)
                     if str(k).startswith(_KG_NS))
    label = graph.value(node, RDFS.label)
    attributes = {"label": _xml_safe(label) if label is not None else _local_name(node),
                  "class": " ".join(classes), "iri": _xml_safe(node)}
    wikidata = sorted(str(same)[len(str(WD)):] for same in graph.objects(node, OWL.sameAs)
                      if str(same).startswith(str(WD)))
    if wikidata:
        attributes["wikidata"] = " ".join(wikidata)
    text = graph.value(node, KG.text)
    if text is not None:
        attributes["text"] = _xml_safe(text)
    network.add_node(_xml_safe(node), **attributes)


def _xml_safe(value: object) -> str:
    """``str(value)`` without the characters XML 1.0 cannot hold (as U+FFFD)."""
    return _NOT_XML.sub("\ufffd", str(value))


def _confidences(graph: Graph) -> dict[tuple, float]:
    """(subject, property, object) -> confidence of its plain (rdf:Statement) reification."""
    out = {}
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        triple = tuple(graph.value(stmt, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        value = graph.value(stmt, KG.confidence)
        if None not in triple and isinstance(value, Literal):
            try:
                out[triple] = float(value)
            except ValueError:
                continue
    return out


def _local_name(node: URIRef) -> str:
    text = str(node)
    return text[max(text.rfind("/"), text.rfind("#")) + 1:] or text


def graphml_bytes(graph: Graph) -> bytes:
    """The property graph of ``graph`` as GraphML (UTF-8 XML)."""
    buffer = io.BytesIO()
    nx.write_graphml(property_graph(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write_graphml(graph: Graph, path: Path) -> Path:
    """Writes the property graph of ``graph`` to ``path`` as GraphML, atomically.

    Returns:
        ``path``.
    """
    return atomic_write_bytes(Path(path), graphml_bytes(graph))
