"""An interactive, self-contained HTML explorer of a graph (vis-network, as shipped in pyvis).

This module reads the graph into plain, JSON-ready records: one per entity or claim (label,
aliases, class, Wikidata ids; for a claim its text, speaker and who states or denies it), one
per drawn relation (family, documents, confidence and every evidence sentence) and one per
source document. :mod:`kg.export.html_page` lays the nodes out and renders the page, which
fetches nothing and never turns graph text into markup.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import BNode, Node

from kg.atomic import atomic_write_text
from kg.export.html_page import Page, render_page
from kg.vocab import KG

__all__ = ["CLASS_STYLES", "EDGE_FAMILY", "FAMILIES", "SHAPE_GLYPHS", "page_data", "render_html",
           "write_html"]

#: Node classes, most specific first: local name -> (colour, vis-network shape).
#: "Entity" stands for any other entity (and for untyped edge endpoints).
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Country": ("#4e79a7", "dot"),
    "CountryGroup": ("#76b7b2", "hexagon"),
    "Company": ("#f28e2b", "square"),
    "CompanyGroup": ("#ffbe7d", "square"),
    "GovernmentBody": ("#59a14f", "triangle"),
    "InternationalOrganization": ("#8cd17d", "triangleDown"),
    "Organization": ("#b6992d", "triangle"),
    "Person": ("#e15759", "star"),
    "Product": ("#b07aa1", "diamond"),
    "Technology": ("#d4a6c8", "diamond"),
    "Initiative": ("#9d7660", "hexagon"),
    "Claim": ("#f1ce63", "box"),
    "Entity": ("#bab0ac", "dot"),
}
SHAPE_GLYPHS = {"dot": "\u25cf", "hexagon": "\u2b22", "square": "\u25a0", "triangle": "\u25b2",
                "triangleDown": "\u25bc", "star": "\u2605", "diamond": "\u25c6", "box": "\u25ad"}

#: Edge families: name -> (colour, kg properties drawn in that colour).
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "coercive": ("#d62728", ("bans", "sanctions", "restricts", "excludes", "blocks")),
    "verbal conflict": ("#ff7f0e",
                        ("accuses", "denies", "opposes", "threatens", "designatesAsThreat")),
    "cooperative": ("#2ca02c", ("launches", "joins", "supports", "cooperatesWith")),
    "structural": ("#7f7f7f", ("owns", "basedIn", "officialOf", "memberOf", "supplies")),
    "other": ("#1f77b4", ("pressures", "investigates", "sues", "acquires", "states")),
}
EDGE_FAMILY = {prop: name for name, (_, props) in FAMILIES.items() for prop in props}

_WIKIDATA = re.compile(r"https?://www\.wikidata\.org/entity/(Q[0-9]+)")


def _local(term: Node) -> str:
    text = str(term)
    return re.split(r"[#/]", text)[-1] or text


def _texts(graph: Graph, node: Node, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal))


def _first(graph: Graph, node: Node, prop: URIRef) -> str:
    return next(iter(_texts(graph, node, prop)), "")


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "\u2026"


def _number(graph: Graph, node: Node, prop: URIRef) -> float | None:
    """The largest numeric value of ``prop`` on ``node`` (None when there is none)."""
    values = []
    for text in _texts(graph, node, prop):
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            continue
        if value.is_finite():
            values.append(float(value))
    return max(values, default=None)


def _node_id(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _name(graph: Graph, term: Node) -> str:
    return _first(graph, term, RDFS.label) or _local(term)


def _ref(graph: Graph, term: Node) -> list[str]:
    """A reference to another node, for the page: ``[id, label]``."""
    return [_node_id(term), _name(graph, term)]


def _entity_classes(graph: Graph) -> set[URIRef]:
    """kg:Entity, kg:Actor and every class the graph declares below kg:Entity."""
    classes = {KG[name] for name in (*CLASS_STYLES, "Actor")}
    return (classes | set(graph.transitive_subjects(RDFS.subClassOf, KG.Entity))) - {KG.Claim}


def _class_of(graph: Graph, node: Node, entity_classes: set[URIRef]) -> str | None:
    types = set(graph.objects(node, RDF.type))
    names = {_local(t) for t in types if t in entity_classes or t == KG.Claim}
    return next((name for name in CLASS_STYLES if name in names),
                "Entity" if types & entity_classes else None)


class _Docs:
    """The source documents, numbered by file name; evidence refers to them by number."""

    def __init__(self, graph: Graph) -> None:
        found = set(graph.subjects(RDF.type, KG.Document))
        found |= {o for o in graph.objects(None, PROV.wasDerivedFrom) if not isinstance(o, Literal)}
        rows = [(_first(graph, d, KG.fileName) or _first(graph, d, DCTERMS.title) or _local(d),
                 _first(graph, d, DCTERMS.title), _node_id(d), d) for d in found]
        rows.sort(key=lambda row: (row[0].casefold(), row[0], row[2]))
        self.records = [{"name": name, "title": title, "iri": iri, "edges": 0}
                        for name, title, iri, _ in rows]
        self.number = {row[3]: n for n, row in enumerate(rows)}

    def of(self, graph: Graph, node: Node) -> int | None:
        """The number of the document ``node`` was derived from."""
        return self.number.get(graph.value(node, PROV.wasDerivedFrom))


def _evidence(graph: Graph, ev: Node, docs: _Docs) -> dict:
    start, end = (graph.value(ev, p) for p in (KG.startChar, KG.endChar))
    return {"sentence": _first(graph, ev, KG.sentence), "doc": docs.of(graph, ev),
            "confidence": _number(graph, ev, KG.confidence), "rule": _first(graph, ev, KG.rule),
            "span": [str(start), str(end)] if start is not None and end is not None else None}


def _evidence_key(e: dict) -> tuple:
    """Evidence order: document, sentence, rule, confidence, then span (a total order, so the
    page does not depend on hash order)."""
    span = tuple((len(v), v) for v in e["span"] or ())
    return (-1 if e["doc"] is None else e["doc"], e["sentence"], e["rule"],
            e["confidence"] or 0.0, span)


def _evidence_list(graph: Graph, holder: Node, docs: _Docs) -> list[dict]:
    found = [_evidence(graph, ev, docs) for ev in set(graph.objects(holder, KG.evidence))]
    return sorted(found, key=_evidence_key)


def _entity_record(graph: Graph, node: Node, cls: str) -> dict:
    label, aliases = _name(graph, node), _texts(graph, node, SKOS.altLabel)
    same = sorted(str(o) for o in graph.objects(node, OWL.sameAs))
    qids = sorted({m.group(1) for m in map(_WIKIDATA.fullmatch, same) if m},
                  key=lambda q: int(q[1:]))
    return {"id": _node_id(node), "cls": cls, "label": label, "aliases": aliases,
            "names": [label, *aliases], "wikidata": qids,
            "links": [f"https://www.wikidata.org/wiki/{q}" for q in qids],
            "sameAs": [s for s in same if not _WIKIDATA.fullmatch(s)], "iri": _node_id(node),
            "docs": []}


def _claim_record(graph: Graph, node: Node, docs: _Docs) -> dict:
    text, title = _first(graph, node, KG.text), _first(graph, node, RDFS.label) or "claim"
    record = _entity_record(graph, node, "Claim")
    doc = docs.of(graph, node)
    record.update(label=f"claim: {_short(text, 60)}" if text else title, names=[title],
                  docs=[] if doc is None else [doc])
    record["claim"] = {
        "title": title, "text": text, "sentence": _first(graph, node, KG.sentence), "doc": doc,
        "speaker": sorted(_ref(graph, s) for s in graph.objects(node, KG.speaker)),
        "statedBy": sorted(_ref(graph, s) for s in graph.subjects(KG.states, node)),
        "deniedBy": sorted(_ref(graph, s) for s in graph.subjects(KG.denies, node)),
        "evidence": _evidence_list(graph, node, docs)}
    return record


def _collect_nodes(graph: Graph, docs: _Docs) -> dict[Node, dict]:
    """Every entity and claim of the graph, keyed by its RDF term."""
    entity_classes, records = _entity_classes(graph), {}
    for node in set(graph.subjects(RDF.type, None)):
        cls = _class_of(graph, node, entity_classes)
        if cls == "Claim":
            records[node] = _claim_record(graph, node, docs)
        elif cls is not None:
            records[node] = _entity_record(graph, node, cls)
    return records


def _statements(graph: Graph, docs: _Docs) -> dict[tuple[Node, Node, Node], dict]:
    """Confidence, modality and evidence of the positive, asserted reified statements."""
    index: dict[tuple[Node, Node, Node], dict] = defaultdict(
        lambda: {"confidence": None, "modality": set(), "evidence": []})
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        polarity, modality = (str(graph.value(stmt, p)) for p in (KG.polarity, KG.modality))
        if polarity == "negative" or modality == "hedged":
            continue
        entry = index[tuple(graph.value(stmt, p) for p in (RDF.subject, RDF.predicate, RDF.object))]
        evidence = _evidence_list(graph, stmt, docs)
        found = [_number(graph, stmt, KG.confidence), *(e["confidence"] for e in evidence)]
        entry["confidence"] = max((c for c in (entry["confidence"], *found) if c is not None),
                                  default=None)
        entry["modality"].update(_texts(graph, stmt, KG.modality))
        entry["evidence"] += [e for e in evidence if e not in entry["evidence"]]
    return index


def _edge_record(number: int, triple: tuple[Node, str, Node], facts: dict) -> dict:
    s, prop, o = triple
    family = EDGE_FAMILY[prop]
    evidence = sorted(facts["evidence"], key=_evidence_key)
    return {"id": f"e{number}", "from": _node_id(s), "to": _node_id(o), "label": prop,
            "family": family, "confidence": facts["confidence"],
            "modality": sorted(facts["modality"]), "evidence": evidence,
            "docs": sorted({e["doc"] for e in evidence if e["doc"] is not None})}


def _collect_edges(graph: Graph, records: dict[Node, dict], docs: _Docs) -> list[dict]:
    """The relation triples to draw; endpoints that are not yet nodes become plain entities."""
    triples = [(s, prop, o) for prop in EDGE_FAMILY for s, o in graph.subject_objects(KG[prop])
               if not isinstance(s, Literal) and not isinstance(o, Literal)]
    for end in {end for s, _, o in triples for end in (s, o)} - records.keys():
        records[end] = _entity_record(graph, end, "Entity")
    triples.sort(key=lambda t: (_node_id(t[0]), t[1], _node_id(t[2])))
    facts = _statements(graph, docs)
    empty = {"confidence": None, "modality": set(), "evidence": []}
    return [_edge_record(n, (s, p, o), facts.get((s, KG[p], o), empty))
            for n, (s, p, o) in enumerate(triples)]


def _style_nodes(records: dict[Node, dict], edges: list[dict]) -> list[dict]:
    """Node records in legend order, with shape, colour, degree-sized size and tooltip."""
    degree = Counter(end for e in edges for end in (e["from"], e["to"]))
    order = list(CLASS_STYLES)
    nodes = sorted(records.values(),
                   key=lambda r: (order.index(r["cls"]), r["label"].casefold(), r["id"]))
    for record in nodes:
        colour, shape = CLASS_STYLES[record["cls"]]
        count = degree[record["id"]]
        tip = [record["label"], f"{record['cls']} \u00b7 {count} relation(s)"]
        tip += ["also: " + _short(", ".join(record["aliases"]), 120)] if record["aliases"] else []
        record.update(shape=shape, color=colour, degree=count,
                      size=round(min(12 + 5 * math.sqrt(count), 45), 1),
                      title="\n".join([*tip, "click for details"]))
    return nodes


def _style_edges(edges: list[dict], labels: dict[str, str], docs: list[dict]) -> None:
    """Colour by family, a plain-text tooltip, and curves that keep parallel edges apart."""
    pairs = Counter(frozenset((e["from"], e["to"])) for e in edges)
    seen: Counter = Counter()
    for edge in edges:
        colour, pair = FAMILIES[edge["family"]][0], frozenset((edge["from"], edge["to"]))
        seen[pair] += 1
        edge["color"] = {"color": colour, "highlight": colour, "hover": colour}
        edge["smooth"] = ({"enabled": True, "type": "curvedCW",
                           "roundness": round(0.08 + 0.14 * (seen[pair] - 1), 2)}
                          if pairs[pair] > 1 else {"enabled": False})
        conf = "" if edge["confidence"] is None else f" \u00b7 confidence {edge['confidence']:.2f}"
        edge["title"] = (f"{labels[edge['from']]} \u2014{edge['label']}\u2192 {labels[edge['to']]}"
                         f"\n{edge['family']}{conf} \u00b7 {len(edge['evidence'])} evidence "
                         "sentence(s)\nclick for the evidence")
        for doc in edge["docs"]:
            docs[doc]["edges"] += 1


def page_data(graph: Graph, title: str = "kg graph") -> Page:
    """Everything the page shows, as JSON-ready records (positions not yet assigned).

    Args:
        graph: the graph to draw (entities, claims, relations, provenance).
        title: the page title.

    Returns:
        The page's nodes, edges, documents and legend rows.
    """
    docs = _Docs(graph)
    records = _collect_nodes(graph, docs)
    edges = _collect_edges(graph, records, docs)
    nodes = _style_nodes(records, edges)
    _style_edges(edges, {n["id"]: n["label"] for n in nodes}, docs.records)
    counts = Counter(n["cls"] for n in nodes)
    families = Counter(e["family"] for e in edges)
    classes = [{"name": name, "colour": colour, "glyph": SHAPE_GLYPHS[shape],
                "count": counts[name]} for name, (colour, shape) in CLASS_STYLES.items()]
    legend = [{"name": name, "colour": colour, "props": ", ".join(props),
               "count": families[name]} for name, (colour, props) in FAMILIES.items()]
    return Page(title, nodes, edges, docs.records, classes, legend)


def render_html(graph: Graph, title: str = "kg graph") -> str:
    """The complete, self-contained HTML page for ``graph`` as a string."""
    return render_page(page_data(graph, title))


def write_html(graph: Graph, path: Path, title: str = "kg graph") -> Path:
    """Writes the interactive view of ``graph`` to ``path``, atomically.

    Args:
        graph: the graph to draw (entities, claims, relations, provenance).
        path: the target ``.html`` file; its folder must exist.
        title: the page title and heading.

    Returns:
        ``path``.
    """
    return atomic_write_text(Path(path), render_html(graph, title))
