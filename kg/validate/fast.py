"""Two equivalence-preserving rewrites that make SHACL validation of big builds fast.

pySHACL spends most of a large validation in two places:

* Mixing the ontology in: given ``ont_graph`` it first copies the whole data
  graph (seconds for a 200,000-triple build), then adds the ontology's
  RDFS/OWL axioms to the copy. :func:`with_ontology` gives pySHACL the same
  mixed graph without the copy: a read-only view of the caller's graph with a
  small overlay that receives the axioms (pySHACL's own ``inoculate`` fills
  it, so exactly the same triples and prefixes are mixed in).
* Property shapes nested under a node shape with ``sh:property``: pySHACL
  evaluates them once per focus node, rebuilding every constraint each time.
  :func:`flatten_property_shapes` hands each such property shape the node
  shape's targets instead, so pySHACL evaluates it once, over all focus nodes.
  By the SHACL definition of ``sh:property`` (validate the focus node against
  the property shape) both forms yield the same results.
  :func:`restore_source_shapes` then puts the shapes as written back into
  pySHACL's text report, so that it reads as if the shapes had not been touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyshacl.rdfutil.inoculate import inoculate
from pyshacl.rdfutil.stringify import stringify_node
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.store import Store
from rdflib.term import Node

__all__ = [
    "OverlayStore",
    "flatten_property_shapes",
    "restore_source_shapes",
    "source_shape_texts",
    "with_ontology",
]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# A node shape with any of these keeps its property shapes nested: its
# sh:property results depend on it (deactivation, severity filtering, SHACL-AF
# targets), so moving them out could change what is reported.
_KEEP_NESTED = (SH.deactivated, SH.severity, SH.target)


class OverlayStore(Store):
    """A graph's triples plus an overlay: reads see both, writes go to the overlay.

    The base graph is never modified (removing one of its triples raises); a
    triple found in both is reported once. Namespace bindings live in the
    overlay, so binding prefixes leaves the base alone.
    """

    # pySHACL wraps every data graph in an rdflib Dataset, which insists on these
    # flags; the view itself has a single, unnamed graph.
    context_aware = True
    graph_aware = True

    def __init__(self, base: Graph, overlay: Graph) -> None:
        super().__init__()
        self._base, self._overlay = base, overlay
        self._terms: tuple[set[Node], set[Node], set[Node]] = (set(), set(), set())
        self._extra: int | None = None  # overlay triples not in the base, once counted
        for triple in overlay:
            self._index(triple)

    def _index(self, triple) -> None:
        for terms, term in zip(self._terms, triple, strict=True):
            terms.add(term)

    def _overlay_may_match(self, pattern) -> bool:
        """False when a bound term of the pattern occurs nowhere in the overlay (the usual case)."""
        (subject, predicate, obj), (subjects, predicates, objects) = pattern, self._terms
        return ((subject is None or subject in subjects)
                and (predicate is None or predicate in predicates)
                and (obj is None or obj in objects))

    def triples(self, triple_pattern, context=None) -> Iterator:
        """Matches of the pattern in the base, then overlay-only matches."""
        yield from self._base.store.triples(triple_pattern, context=self._base)
        if not self._overlay_may_match(triple_pattern):
            return
        for triple in self._overlay.triples(triple_pattern):
            if triple not in self._base:
                yield triple, iter(())

    def __len__(self, context=None) -> int:
        if self._extra is None:  # pySHACL asks often (truth tests): count once per change
            self._extra = sum(1 for triple in self._overlay if triple not in self._base)
        return len(self._base) + self._extra

    def add(self, triple, context=None, quoted: bool = False) -> None:
        self._overlay.add(triple)
        self._index(triple)
        self._extra = None

    def remove(self, triple, context=None) -> None:
        """Removes overlay triples; the base graph's triples cannot be removed."""
        if next(self._base.triples(triple), None) is not None:
            raise NotImplementedError("an overlay view cannot remove the base graph's triples")
        self._overlay.remove(triple)  # the term index may keep stale terms: harmless
        self._extra = None

    def contexts(self, triple=None) -> Iterator:
        return iter(())

    def bind(self, prefix, namespace, override: bool = True) -> None:
        self._overlay.store.bind(prefix, namespace, override=override)

    def prefix(self, namespace):
        return self._overlay.store.prefix(namespace)

    def namespace(self, prefix):
        return self._overlay.store.namespace(prefix)

    def namespaces(self) -> Iterator:
        return self._overlay.store.namespaces()


def with_ontology(graph: Graph, ontology: Graph) -> Graph:
    """The data graph with the ontology's axioms mixed in, as pySHACL's ``ont_graph`` does.

    Reproduces pySHACL's clone-then-inoculate step (same prefixes, same added
    triples) on an :class:`OverlayStore` view instead of a copy.

    Args:
        graph: the data graph; it is read, never changed.
        ontology: the RDFS/OWL schema whose classes and axioms are mixed in.

    Returns:
        A graph to validate with ``inplace=True`` and no ``ont_graph``.
    """
    overlay = Graph(bind_namespaces="none")
    view = Graph(store=OverlayStore(graph, overlay), identifier=graph.identifier,
                 bind_namespaces="core")
    for prefix, namespace in graph.namespace_manager.namespaces():
        view.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    return inoculate(view, ontology)


def flatten_property_shapes(shapes: Graph) -> Graph:
    """A copy of the shapes graph whose ``sh:property`` shapes carry their node shape's targets.

    A property shape nested in a node shape with explicit targets gets those
    targets and is detached from the node shape, which keeps its own
    constraints. Left nested, so that every focus node is checked exactly as
    often as before: property shapes with targets of their own or already
    moved out of another node shape (shared ones move out of one only). Left
    whole: node shapes that are also classes (implicit targets), carry
    ``sh:deactivated``, ``sh:severity`` or ``sh:target``, or are used by another
    shape (``sh:node``, ``sh:or``, ...).
    """
    flat = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        flat.bind(prefix, namespace)
    for triple in shapes:
        flat.add(triple)
    for node in sorted(set(shapes.subjects(SH.property, None))):
        if _can_flatten(shapes, node):
            _move_targets(flat, shapes, node)
    return flat


def _can_flatten(shapes: Graph, node: Node) -> bool:
    if (None, None, node) in shapes:
        return False  # used inside another shape, where it must keep its property shapes
    if any((node, prop, None) in shapes for prop in _KEEP_NESTED):
        return False
    if set(shapes.objects(node, RDF.type)) - {SH.NodeShape}:
        return False  # a class as well: implicit class target
    return _has_targets(shapes, node)


def _has_targets(graph: Graph, node: Node) -> bool:
    return any((node, target, None) in graph for target in _TARGETS)


def _movable(flat: Graph, node: Node) -> bool:
    """One sh:path, not a node shape (pySHACL reports that error when nested), no targets yet."""
    one_path = len(list(flat.objects(node, SH.path))) == 1
    return one_path and (node, RDF.type, SH.NodeShape) not in flat and not _has_targets(flat, node)


def _move_targets(flat: Graph, shapes: Graph, node: Node) -> None:
    targets = [(prop, value) for prop in _TARGETS for value in shapes.objects(node, prop)]
    for property_shape in list(shapes.objects(node, SH.property)):
        if _movable(flat, property_shape):
            flat.remove((node, SH.property, property_shape))
            for prop, value in targets:
                flat.add((property_shape, prop, value))


def source_shape_texts(original: Graph, flat: Graph) -> dict[str, str]:
    """How pySHACL's text names each shape the flattening changed: flattened -> original.

    A shape is named by its IRI or, for a blank node, by its description, which
    shows the moved targets in the flattened graph. Descriptions that would be
    ambiguous (two shapes alike after flattening, unlike before) are left out.
    """
    changed = {s for s, _p, _o in (original - flat) + (flat - original)}
    texts: dict[str, set[str]] = {}
    for node in changed:
        texts.setdefault(stringify_node(flat, node), set()).add(stringify_node(original, node))
    return {new: next(iter(old)) for new, old in texts.items() if len(old) == 1 and new not in old}


def restore_source_shapes(text: str, texts: dict[str, str]) -> str:
    """pySHACL's text report with each ``Source Shape:`` shown as written in the shapes file."""
    for new, old in texts.items():
        text = text.replace(f"\tSource Shape: {new}\n", f"\tSource Shape: {old}\n")
    return text
