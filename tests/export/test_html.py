"""Tests for the self-contained interactive HTML view."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kg import vocab
from kg.export import render_html, write_html
from kg.export.html import CLASS_STYLES, EDGE_FAMILY, FAMILIES

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
NODE = shutil.which("node")

EVIL = "<script>alert(1)</script>"
EVIL_ALIAS = '<img src=x onerror="alert(2)">'
ENTITIES = {  # local name -> (class, label)
    "ruritania": ("Country", "Ruritania"),
    "borduria": ("Country", "Borduria"),
    "northern-league": ("CountryGroup", "Northern League"),
    "acme": ("Company", EVIL),
    "acme-holdings": ("CompanyGroup", "Acme Holdings"),
    "trade-office": ("GovernmentBody", "Trade Office"),
    "world-body": ("InternationalOrganization", "World Body"),
    "guild": ("Organization", "Guild of Makers"),
    "jane-roe": ("Person", "Jane Roe"),
    "widget-phone": ("Product", "Widget Phone"),
    "quantum-links": ("Technology", "Quantum Links"),
    "clean-pipe": ("Initiative", "Clean Pipe & Co"),
}
RELATIONS = [  # subject, property, object, family
    ("ruritania", "bans", "acme", "coercive"),
    ("ruritania", "sanctions", "acme", "coercive"),
    ("borduria", "accuses", "ruritania", "verbal conflict"),
    ("ruritania", "supports", "clean-pipe", "cooperative"),
    ("acme-holdings", "owns", "acme", "structural"),
    ("jane-roe", "officialOf", "trade-office", "structural"),
    ("trade-office", "pressures", "guild", "other"),
    ("acme", "supplies", "widget-phone", "structural"),
    ("world-body", "investigates", "quantum-links", "other"),
    ("ruritania", "memberOf", "northern-league", "structural"),
]
CLAIM_TEXT = "the handsets could quietly send every message abroad without anyone noticing at all"


def _add_statement(g: Graph, name: str, triple: tuple, sentence: str, negated: bool = False):
    stmt, ev, doc = KGR[f"stmt-{name}"], KGR[f"ev-{name}"], KGR["doc-memo-abc123"]
    g.add((stmt, RDF.type, KG.NegatedStatement if negated else RDF.Statement))
    for p, o in zip((RDF.subject, RDF.predicate, RDF.object), triple, strict=True):
        g.add((stmt, p, o))
    g.add((stmt, KG.polarity, Literal("negative" if negated else "positive")))
    g.add((stmt, KG.confidence, Literal("0.850", datatype=XSD.decimal)))
    g.add((stmt, KG.evidence, ev))
    for p, o in ((RDF.type, KG.Evidence), (PROV.wasDerivedFrom, doc), (KG.sentence,
                 Literal(sentence)), (KG.rule, Literal("svo-active")),
                 (KG.confidence, Literal("0.850", datatype=XSD.decimal))):
        g.add((ev, p, o))


def _graph() -> Graph:
    g = Graph()
    for name, (cls, label) in ENTITIES.items():
        g.add((KGR[name], RDF.type, KG[cls]))
        g.add((KGR[name], RDFS.label, Literal(label)))
    g.add((KGR.ruritania, SKOS.altLabel, Literal("the Kingdom")))
    g.add((KGR.ruritania, OWL.sameAs, WD.Q1234))
    g.add((KGR.acme, SKOS.altLabel, Literal(EVIL_ALIAS)))
    for s, p, o, _ in RELATIONS:
        g.add((KGR[s], KG[p], KGR[o]))
    doc = KGR["doc-memo-abc123"]
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.fileName, Literal("memo<1>.txt")))
    _add_statement(g, "a", (KGR.ruritania, KG.bans, KGR.acme),
                   'Ruritania banned <b>Acme</b> "gear" today.')
    _add_statement(g, "b", (KGR.borduria, KG.bans, KGR.acme),
                   "Borduria did not ban Acme.", negated=True)
    claim = KGR["claim-memo-1"]
    g.add((claim, RDF.type, KG.Claim))
    g.add((claim, RDFS.label, Literal("claim by Borduria (memo.txt, sentence 2)")))
    g.add((claim, KG.text, Literal(CLAIM_TEXT)))
    g.add((claim, KG.speaker, KGR.borduria))
    g.add((claim, KG.sentence, Literal(f"Borduria said {CLAIM_TEXT}.")))
    g.add((claim, PROV.wasDerivedFrom, doc))
    g.add((KGR.borduria, KG.states, claim))
    g.add((KGR.acme, KG.denies, claim))
    return g


class _Page(HTMLParser):
    """Collects tags, attributes, script bodies, option values and legend text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.options: list[str] = []
        self.legend: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "option":
            self.options.append(attrs.get("value", ""))
        if tag not in {"meta", "input", "option", "br", "img", "link"}:  # no end tag expected
            self._in.append(attrs.get("class", "") if tag == "li" else tag)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif any(c.startswith("kg-legend") for c in self._in):
            self.legend.append(data.strip())


@pytest.fixture(scope="module")
def page_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(_graph(), tmp_path_factory.mktemp("html") / "graph.html",
                      title="Disputes <test> & co")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(page_text: str) -> _Page:
    parser = _Page()
    parser.feed(page_text)
    parser.close()
    return parser


def _library(page_text: str) -> str:
    """The inlined vis-network script: the body of the page's first <script> element."""
    start = page_text.index("<script>") + len("<script>")
    return page_text[start:page_text.index("</script>", start)]


def _data(page: _Page, name: str) -> list[dict]:
    match = re.search(rf"var {name} = (\[.*?\]);\n", page.scripts[-1])
    assert match, name
    return json.loads(match.group(1))


def test_html_file_written(tmp_path: Path) -> None:
    path = write_html(_graph(), tmp_path / "g.html")
    assert path == tmp_path / "g.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_html_fetches_nothing_remote(page_text: str, page: _Page) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page_text, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", page_text, re.I)
    assert "<link" not in page_text.lower()
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)


def test_html_inlines_vis_network(page_text: str, page: _Page) -> None:
    library = _library(page_text)
    assert len(library) > 100_000 and "vis-tooltip" in library and "DataSet" in library
    assert "network = new vis.Network(" in page.scripts[-1]
    assert [tag for tag, _ in page.tags].count("script") == 2
    assert [tag for tag, _ in page.tags].count("style") == 2


def test_html_exposes_global_network(page: _Page) -> None:
    assert page.scripts[-1].lstrip().startswith("var nodes, edges, network, options;")


def test_html_every_entity_label_listed(page: _Page) -> None:
    assert {label for _, label in ENTITIES.values()} <= set(page.options)
    assert "the Kingdom" in page.options and EVIL_ALIAS in page.options


def test_html_every_entity_and_claim_is_a_node(page: _Page) -> None:
    nodes = {n["id"]: n for n in _data(page, "nodeData")}
    assert set(nodes) == {str(KGR[name]) for name in ENTITIES} | {str(KGR["claim-memo-1"])}
    for name, (cls, label) in ENTITIES.items():
        node = nodes[str(KGR[name])]
        assert node["label"] == label
        assert (node["color"], node["shape"]) == CLASS_STYLES[cls]
        assert f"class: {cls}" in node["title"]


def test_html_claim_node_label_and_tooltip(page: _Page) -> None:
    claim = next(n for n in _data(page, "nodeData") if n["id"].endswith("claim-memo-1"))
    assert claim["label"].startswith("claim: " + CLAIM_TEXT[:50])
    assert len(claim["label"]) <= len("claim: ") + 61
    assert CLAIM_TEXT in claim["title"] and "speaker: Borduria" in claim["title"]
    assert "source: memo<1>.txt" in claim["title"]


def test_html_node_tooltip_has_aliases_and_wikidata(page: _Page) -> None:
    node = next(n for n in _data(page, "nodeData") if n["id"] == str(KGR.ruritania))
    assert "aliases: the Kingdom" in node["title"] and "Wikidata: Q1234" in node["title"]
    assert node["links"] == ["https://www.wikidata.org/wiki/Q1234"]
    assert "the kingdom" in node["search"]


def test_html_node_size_grows_with_degree(page: _Page) -> None:
    size = {n["id"]: n["size"] for n in _data(page, "nodeData")}
    assert size[str(KGR.ruritania)] > size[str(KGR["quantum-links"])]


def test_html_script_label_appears_only_escaped(page_text: str, page: _Page) -> None:
    rest = page_text.replace(_library(page_text), "")  # the vis library is not graph text
    assert EVIL not in rest and "<img" not in rest and "<b>Acme" not in rest
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rest
    assert {tag for tag, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "script", "body", "header", "h1", "label",
        "input", "datalist", "option", "span", "div", "aside", "strong", "ul", "li"}
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)


def test_html_title_escaped(page_text: str) -> None:
    assert "<title>Disputes &lt;test&gt; &amp; co</title>" in page_text


@pytest.mark.parametrize(("subject", "prop", "obj", "family"), RELATIONS)
def test_html_edges_coloured_by_family(page: _Page, subject, prop, obj, family) -> None:
    edges = [e for e in _data(page, "edgeData")
             if (e["from"], e["label"], e["to"]) == (str(KGR[subject]), prop, str(KGR[obj]))]
    assert len(edges) == 1
    assert edges[0]["color"]["color"] == FAMILIES[family][0]
    assert f"family: {family}" in edges[0]["title"]


def test_html_edge_families_match_vocab() -> None:
    names = {"coerciveRelation": "coercive", "verbalConflictRelation": "verbal conflict",
             "cooperativeRelation": "cooperative", "structuralRelation": "structural",
             "otherRelation": "other"}
    assert EDGE_FAMILY == {p: names[f] for p, f in vocab.PROPERTY_FAMILY.items()}


def test_html_claim_edges_drawn(page: _Page) -> None:
    labels = {(e["label"], e["to"]) for e in _data(page, "edgeData")}
    assert {("states", str(KGR["claim-memo-1"])), ("denies", str(KGR["claim-memo-1"]))} <= labels
    colours = {e["label"]: e["color"]["color"] for e in _data(page, "edgeData")}
    assert colours["denies"] == FAMILIES["verbal conflict"][0]


def test_html_edge_tooltip_lists_evidence(page: _Page) -> None:
    ban = next(e for e in _data(page, "edgeData")
               if e["label"] == "bans" and e["from"] == str(KGR.ruritania))
    assert 'Ruritania banned <b>Acme</b> "gear" today.' in ban["title"]
    assert "memo<1>.txt" in ban["title"] and "svo-active" in ban["title"]
    assert "confidence: 0.850" in ban["title"]


def test_html_negated_statement_not_drawn(page: _Page) -> None:
    edges = _data(page, "edgeData")
    assert not any(e["from"] == str(KGR.borduria) and e["label"] == "bans" for e in edges)
    assert not any("did not ban" in e["title"] for e in edges)


def test_html_parallel_edges_curve_apart(page: _Page) -> None:
    pair = [e["smooth"]["roundness"] for e in _data(page, "edgeData")
            if e["from"] == str(KGR.ruritania) and e["to"] == str(KGR.acme)]
    assert len(pair) == 2 and len(set(pair)) == 2


def test_html_legend_lists_classes_and_families(page: _Page) -> None:
    legend = " ".join(page.legend)
    for name in (*CLASS_STYLES, *FAMILIES):
        assert name in legend
    assert "Country (2)" in legend and "Claim (1)" in legend


def test_html_physics_stabilization_bounded(page: _Page) -> None:
    options = json.loads(re.search(r"options = (\{.*\});\n", page.scripts[-1]).group(1))
    assert options["physics"]["stabilization"]["iterations"] <= 200
    assert "network.setOptions({physics: false})" in page.scripts[-1]


def test_html_search_box_present(page: _Page) -> None:
    inputs = [attrs for tag, attrs in page.tags if tag == "input"]
    assert inputs and inputs[0]["id"] == "kg-search" and inputs[0]["list"] == "kg-names"


def test_html_untyped_endpoint_becomes_node() -> None:
    g = Graph()
    g.add((KGR.ruritania, RDF.type, KG.Country))
    g.add((KGR.ruritania, KG.bans, URIRef("https://example.org/thing/gadget")))
    g.add((KGR.ruritania, KG.bans, Literal("not a node")))
    text = render_html(g)
    assert '"label": "gadget"' in text and "not a node" not in text


def test_html_empty_graph_renders() -> None:
    assert "0 nodes, 0 edges" in render_html(Graph())


_HARNESS = r"""
const vm = require("vm");
const code = require("fs").readFileSync(process.argv[2], "utf8");
const byId = {};
function element(tag) {
  return {tag: tag, style: {}, children: [], listeners: {}, textContent: "", value: "",
          addEventListener(type, f) { this.listeners[type] = f; },
          append(...kids) { this.children.push(...kids); },
          appendChild(kid) { this.children.push(kid); }};
}
globalThis.document = {createElement: element,
                       getElementById: (id) => byId[id] || (byId[id] = element("div"))};
const calls = [];
class DataSet {
  constructor(items) { this.items = items; }
  get(arg) { return arg && arg.filter ? this.items.filter(arg.filter)
                                      : this.items.find((i) => i.id === arg); }
}
class Network {
  constructor(container, data, options) { Object.assign(this, {data, options, on_: {}}); }
  once(event, f) { this.on_[event] = f; }
  on(event, f) { this.on_[event] = f; }
  setOptions(o) { calls.push(["setOptions", o]); }
  selectNodes(ids) { calls.push(["selectNodes", ids]); }
  focus(id) { calls.push(["focus", id]); }
}
globalThis.vis = {DataSet, Network};
vm.runInThisContext(code);
const net = globalThis.network;
net.on_.stabilizationIterationsDone();
const search = byId["kg-search"];
search.value = "  THE KINGDOM ";
search.listeners.keydown.call(search, {key: "Enter"});
const tips = net.data.nodes.items.map((n) => [n.title.tag, n.title.textContent, n.info]);
console.log(JSON.stringify({tips, calls, status: byId["kg-status"].textContent,
                            details: byId["kg-details"].textContent}));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_html_page_script_runs_with_stub_vis(tmp_path: Path, page: _Page) -> None:
    (tmp_path / "page.js").write_text(page.scripts[-1], encoding="utf-8")
    (tmp_path / "harness.js").write_text(_HARNESS, encoding="utf-8")
    proc = subprocess.run([NODE, str(tmp_path / "harness.js"), str(tmp_path / "page.js")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert all(tag == "div" and text == info for tag, text, info in result["tips"])
    assert any(EVIL in text for _, text, _ in result["tips"])
    assert ["setOptions", {"physics": False}] in result["calls"]
    assert ["focus", str(KGR.ruritania)] in result["calls"]
    assert ["selectNodes", [str(KGR.ruritania)]] in result["calls"]
    assert result["status"] == "1 match(es)" and "Ruritania" in result["details"]
