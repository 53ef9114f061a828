"""An interactive, self-contained HTML view of a graph (pyvis / vis-network).

Nodes and edges are assembled with :class:`pyvis.network.Network`; the page comes from this
module's template, not pyvis's (which links Bootstrap and vis-network from CDNs), with the
vis-network script and stylesheet shipped inside pyvis inlined: it opens from ``file://`` and
fetches nothing. Graph text never becomes markup: data is embedded with Jinja's ``tojson``
(escaping ``< > & '``), tooltips are DOM elements filled via ``textContent``, and the search
suggestions are autoescaped.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pyvis
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import BNode, Node

from kg.export.atomic import atomic_write_text
from kg.vocab import KG

VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

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

MAX_EVIDENCE = 5
_WIKIDATA = re.compile(r"https?://www\.wikidata\.org/entity/(Q[0-9]+)")
_OPTIONS = {  # physics settles in at most 200 iterations, then the page switches it off
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 110,
                                     "avoidOverlap": 0.3},
                "stabilization": {"enabled": True, "iterations": 200, "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 120},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
              "font": {"size": 10, "align": "middle"}, "width": 1.5},
    "nodes": {"font": {"size": 13}, "widthConstraint": {"maximum": 220}},
}


@dataclass
class _Item:
    """One node of the page: its class, label, tooltip lines and search keys."""

    cls: str
    label: str
    lines: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


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


def _node_id(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _entity_classes(graph: Graph) -> set[URIRef]:
    """kg:Entity, kg:Actor and every class the graph declares below kg:Entity."""
    classes = {KG[name] for name in (*CLASS_STYLES, "Actor")}
    return (classes | set(graph.transitive_subjects(RDFS.subClassOf, KG.Entity))) - {KG.Claim}


def _class_of(graph: Graph, node: Node, entity_classes: set[URIRef]) -> str | None:
    types = set(graph.objects(node, RDF.type))
    names = {_local(t) for t in types if t in entity_classes or t == KG.Claim}
    return next((name for name in CLASS_STYLES if name in names),
                "Entity" if types & entity_classes else None)


def _entity_item(graph: Graph, node: Node, cls: str) -> _Item:
    label = _first(graph, node, RDFS.label) or _local(node)
    aliases = _texts(graph, node, SKOS.altLabel)
    item = _Item(cls, label, [label, f"class: {cls}"], [label, *aliases])
    if aliases:
        item.lines.append("aliases: " + ", ".join(aliases))
    for same in sorted(str(o) for o in graph.objects(node, OWL.sameAs)):
        match = _WIKIDATA.fullmatch(same)
        if match:
            item.links.append(f"https://www.wikidata.org/wiki/{match.group(1)}")
        item.lines.append(f"Wikidata: {match.group(1)}" if match else f"same as: {same}")
    item.lines.append(f"IRI: {node}")
    return item


def _source(graph: Graph, node: Node) -> str:
    """The file name (or title, or IRI) of the document ``node`` was derived from."""
    doc = graph.value(node, PROV.wasDerivedFrom)
    return "unknown source" if doc is None else _first(graph, doc, KG.fileName) or _local(doc)


def _claim_item(graph: Graph, node: Node) -> _Item:
    text = _first(graph, node, KG.text)
    title = _first(graph, node, RDFS.label) or "claim"
    label = f"claim: {_short(text, 60)}" if text else title
    item = _Item("Claim", label, [title, f"\u201c{text}\u201d"], [label, title])
    speaker = graph.value(node, KG.speaker)
    if speaker is not None:
        item.lines.append(f"speaker: {_first(graph, speaker, RDFS.label) or _local(speaker)}")
    sentence = _first(graph, node, KG.sentence)
    if sentence:
        item.lines.append(f"sentence: {_short(sentence, 500)}")
    if graph.value(node, PROV.wasDerivedFrom) is not None:
        item.lines.append(f"source: {_source(graph, node)}")
    return item


def _collect_nodes(graph: Graph) -> dict[Node, _Item]:
    """Every entity and claim of the graph, keyed by its RDF term."""
    entity_classes, items = _entity_classes(graph), {}
    for node in set(graph.subjects(RDF.type, None)):
        cls = _class_of(graph, node, entity_classes)
        if cls is not None:
            item = _claim_item(graph, node) if cls == "Claim" else _entity_item(graph, node, cls)
            items[node] = item
    return items


def _evidence_lines(graph: Graph, stmt: Node) -> list[str]:
    """One line per evidence of a reified statement: sentence, source, rule, confidence."""
    lines = []
    for ev in graph.objects(stmt, KG.evidence):
        where = [_source(graph, ev)]
        where += [f"rule {r}" for r in _texts(graph, ev, KG.rule)]
        where += [f"confidence {c}" for c in _texts(graph, ev, KG.confidence)]
        sentence = _short(_first(graph, ev, KG.sentence), 400)
        lines.append(f"\u2022 \u201c{sentence}\u201d \u2014 {', '.join(where)}")
    return sorted(lines)


def _evidence_index(graph: Graph) -> dict[tuple[Node, Node, Node], list[str]]:
    """Confidence and evidence lines of the positive, asserted reified statements, by triple."""
    index: dict[tuple[Node, Node, Node], list[str]] = defaultdict(list)
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        polarity, modality = (str(graph.value(stmt, p)) for p in (KG.polarity, KG.modality))
        if polarity == "negative" or modality == "hedged":
            continue
        key = tuple(graph.value(stmt, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        index[key].extend(f"confidence: {c}" for c in _texts(graph, stmt, KG.confidence))
        index[key].extend(_evidence_lines(graph, stmt))
    return index


def _collect_edges(graph: Graph, items: dict[Node, _Item]) -> list[tuple[Node, str, Node]]:
    """The relation triples to draw; endpoints that are not yet nodes are added."""
    edges = [(s, prop, o) for prop in EDGE_FAMILY for s, o in graph.subject_objects(KG[prop])
             if not isinstance(s, Literal) and not isinstance(o, Literal)]
    for end in {end for s, _, o in edges for end in (s, o)} - items.keys():
        items[end] = _entity_item(graph, end, "Entity")
    return sorted(edges, key=lambda e: (_node_id(e[0]), e[1], _node_id(e[2])))


def _edge_title(items: dict[Node, _Item], edge: tuple[Node, str, Node],
                evidence: list[str]) -> str:
    s, prop, o = edge
    lines = [f"{items[s].label} \u2014{prop}\u2192 {items[o].label}",
             f"family: {EDGE_FAMILY[prop]}"]
    lines += [line for line in evidence if line.startswith("confidence: ")]
    sentences = [line for line in evidence if not line.startswith("confidence: ")]
    if sentences:
        lines.append(f"evidence ({len(sentences)}):")
        lines += sentences[:MAX_EVIDENCE]
        if len(sentences) > MAX_EVIDENCE:
            lines.append(f"\u2026 and {len(sentences) - MAX_EVIDENCE} more")
    return "\n".join(lines)


def _add_nodes(net: Network, items: dict[Node, _Item], degree: Counter) -> None:
    """Adds the nodes, grouped by class and sorted by label; size grows with degree."""
    order = sorted(items, key=lambda n: (list(CLASS_STYLES).index(items[n].cls),
                                         items[n].label.casefold(), _node_id(n)))
    for node in order:
        item, size = items[node], min(12 + 5 * math.sqrt(degree[node]), 45)
        colour, shape = CLASS_STYLES[item.cls]
        net.add_node(_node_id(node), label=item.label, shape=shape, color=colour,
                     title="\n".join([*item.lines, f"degree: {degree[node]}"]),
                     size=round(size, 1), links=item.links,
                     search=sorted({n.lower() for n in item.names if n}))


def _add_edges(net: Network, items: dict[Node, _Item], edges: list[tuple[Node, str, Node]],
               evidence: dict[tuple[Node, Node, Node], list[str]]) -> None:
    """Adds the edges, coloured by family; parallel edges get growing curvature."""
    parallel: Counter = Counter()
    for number, (s, prop, o) in enumerate(edges):
        colour = FAMILIES[EDGE_FAMILY[prop]][0]
        parallel[(s, o)] += 1
        net.add_edge(_node_id(s), _node_id(o), id=f"e{number}", label=prop,
                     title=_edge_title(items, (s, prop, o), evidence.get((s, KG[prop], o), [])),
                     color={"color": colour, "highlight": colour, "hover": colour},
                     smooth={"enabled": True, "type": "curvedCW",
                             "roundness": round(0.1 + 0.15 * (parallel[(s, o)] - 1), 2)})


def build_network(graph: Graph) -> tuple[Network, dict[Node, _Item]]:
    """Assembles the pyvis network: styled nodes, coloured edges, bounded physics.

    Returns:
        The network and the node items (for the legend and the search list).
    """
    items = _collect_nodes(graph)
    edges = _collect_edges(graph, items)
    net = Network(height="100%", width="100%", directed=True)
    options = {**_OPTIONS, "layout": {"randomSeed": 7, "improvedLayout": len(items) <= 150}}
    net.set_options(json.dumps(options))
    _add_nodes(net, items, Counter(end for s, _, o in edges for end in (s, o)))
    _add_edges(net, items, edges, _evidence_index(graph))
    return net, items


def _legend(items: dict[Node, _Item]) -> tuple[list[dict], list[dict]]:
    counts = Counter(item.cls for item in items.values())
    nodes = [{"name": name, "colour": colour, "glyph": SHAPE_GLYPHS[shape], "count": counts[name]}
             for name, (colour, shape) in CLASS_STYLES.items()]
    edges = [{"name": name, "colour": colour, "props": ", ".join(props)}
             for name, (colour, props) in FAMILIES.items()]
    return nodes, edges


def _inline(name: str, tag: str) -> Markup:
    """A file of pyvis's vis-network bundle, made safe to sit inside a ``<tag>`` element."""
    text = (VIS_DIR / name).read_text(encoding="utf-8")
    return Markup(re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE))


def render_html(graph: Graph, title: str = "kg graph") -> str:
    """The complete, self-contained HTML page for ``graph`` as a string."""
    net, items = build_network(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    node_legend, edge_legend = _legend(items)
    names = sorted({n for item in items.values() if item.cls != "Claim" for n in item.names if n},
                   key=lambda name: (name.casefold(), name))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        title=title, nodes=nodes, edges=edges, options=Markup(options), names=names,
        node_legend=node_legend, edge_legend=edge_legend,
        vis_js=_inline("vis-network.min.js", "script"), vis_css=_inline("vis-network.css", "style"))


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


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; color: #222; }
header { display: flex; gap: 1em; align-items: center; height: 40px; padding: 0 12px;
  border-bottom: 1px solid #ddd; background: #fafafa; } header h1 { font-size: 16px; margin: 0; }
#mynetwork { position: absolute; top: 41px; left: 0; right: 0; bottom: 0; }
.kg-panel { position: absolute; z-index: 5; background: rgba(255, 255, 255, 0.93);
  border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; font-size: 12px; }
#kg-legend { top: 50px; right: 10px; max-width: 330px; }
#kg-legend ul { list-style: none; margin: 2px 0 6px; padding: 0; }
.kg-glyph { display: inline-block; width: 1.5em; text-align: center; }
#kg-details { bottom: 10px; left: 10px; max-width: 480px; max-height: 40%; overflow: auto;
  white-space: pre-wrap; display: none; } .kg-tip { white-space: pre-wrap; max-width: 440px; }
</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header><h1>{{ title }}</h1>
<label>Search <input id="kg-search" type="search" list="kg-names" autocomplete="off"
  placeholder="label or alias, then Enter"></label>
<datalist id="kg-names">{% for name in names %}<option value="{{ name }}">{% endfor %}</datalist>
<span id="kg-status">{{ nodes|length }} nodes, {{ edges|length }} edges</span></header>
<div id="mynetwork"></div>
<aside id="kg-legend" class="kg-panel"><strong>Nodes</strong><ul>{% for c in node_legend %}
<li class="kg-legend-class"><span class="kg-glyph" style="color: {{ c.colour }}">
{{- c.glyph }}</span>
{{- c.name }} ({{ c.count }})</li>{% endfor %}</ul>
<strong>Edges</strong><ul>{% for f in edge_legend %}
<li class="kg-legend-family"><span class="kg-glyph" style="color: {{ f.colour }}">&#x2501;</span>
{{- f.name }}: {{ f.props }}</li>{% endfor %}</ul></aside>
<div id="kg-details" class="kg-panel"></div>
<script>
var nodes, edges, network, options;
(function () {
  "use strict";
  var nodeData = {{ nodes|tojson }};
  var edgeData = {{ edges|tojson }};
  [nodeData, edgeData].forEach(function (list) {  // tooltips as text, never as markup
    list.forEach(function (item) {
      var tip = document.createElement("div");
      tip.className = "kg-tip";
      tip.textContent = item.info = item.title;
      item.title = tip;
    });
  });
  nodes = new vis.DataSet(nodeData);
  edges = new vis.DataSet(edgeData);
  options = {{ options }};
  network = new vis.Network(document.getElementById("mynetwork"),
                            {nodes: nodes, edges: edges}, options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
  });
  var details = document.getElementById("kg-details");
  var status = document.getElementById("kg-status");
  function show(item) {
    details.textContent = item.info;
    (item.links || []).forEach(function (url) {
      var a = document.createElement("a");
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      a.textContent = "open in Wikidata";
      details.append(document.createElement("br"), a);
    });
    details.style.display = "block";
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { show(edges.get(params.edges[0])); }
    else { details.style.display = "none"; }
  });
  document.getElementById("kg-search").addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !this.value.trim()) { return; }
    var query = this.value.trim().toLowerCase();
    var hits = nodes.get({filter: function (n) { return n.search.some(function (s) {
      return s.indexOf(query) !== -1; }); }});
    if (!hits.length) { status.textContent = "no node matches"; return; }
    var hit = hits.find(function (n) { return n.search.indexOf(query) !== -1; }) || hits[0];
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.3, animation: true});
    show(hit);
    status.textContent = hits.length + " match(es)";
  });
})();
</script>
</body>
</html>
"""
