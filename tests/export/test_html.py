"""Tests for the self-contained interactive HTML explorer (the page as text and its data).

What the page does in a browser is tested in tests/browser/.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg import vocab
from kg.export import render_html, write_html
from kg.export.html import CLASS_STYLES, EDGE_FAMILY, FAMILIES, page_data
from kg.export.html_page import BIG, EDGE, layout, script_json, vis_options

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

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
BAN_SENTENCES = ['Ruritania banned <b>Acme</b> "gear" today.',
                 "Officials in Ruritania confirmed the ban on the gear maker."]


def _evidence(g: Graph, name: str, doc: URIRef, sentence: str, confidence: str) -> URIRef:
    ev = KGR[f"ev-{name}"]
    for p, o in ((RDF.type, KG.Evidence), (PROV.wasDerivedFrom, doc),
                 (KG.sentence, Literal(sentence)), (KG.rule, Literal("svo-active")),
                 (KG.startChar, Literal(0)), (KG.endChar, Literal(len(sentence))),
                 (KG.confidence, Literal(confidence, datatype=XSD.decimal))):
        g.add((ev, p, o))
    return ev


def _statement(g: Graph, name: str, triple: tuple, evidence: list[tuple[URIRef, str]],
               kind: URIRef = RDF.Statement, confidence: str = "0.850",
               modality: str = "asserted") -> None:
    stmt = KGR[f"stmt-{name}"]
    g.add((stmt, RDF.type, kind))
    for p, o in zip((RDF.subject, RDF.predicate, RDF.object), triple, strict=True):
        g.add((stmt, p, o))
    g.add((stmt, KG.polarity, Literal("negative" if kind == KG.NegatedStatement else "positive")))
    g.add((stmt, KG.modality, Literal(modality)))
    g.add((stmt, KG.confidence, Literal(confidence, datatype=XSD.decimal)))
    for number, (doc, sentence) in enumerate(evidence):
        g.add((stmt, KG.evidence, _evidence(g, f"{name}-{number}", doc, sentence, confidence)))


def _graph() -> Graph:
    g = Graph()
    for name, (cls, label) in ENTITIES.items():
        g.add((KGR[name], RDF.type, KG[cls]))
        g.add((KGR[name], RDFS.label, Literal(label)))
    g.add((KGR.ruritania, SKOS.altLabel, Literal("the Kingdom")))
    g.add((KGR.ruritania, OWL.sameAs, WD.Q1234))
    g.add((KGR.ruritania, OWL.sameAs, URIRef("https://example.org/places/ruritania")))
    g.add((KGR.acme, SKOS.altLabel, Literal(EVIL_ALIAS)))
    for s, p, o, _ in RELATIONS:
        g.add((KGR[s], KG[p], KGR[o]))
    memo, wire = KGR["doc-memo-abc123"], KGR["doc-wire-def456"]
    for doc, name, title in ((memo, "memo<1>.txt", "A memo <i>about</i> gear"),
                             (wire, "wire.txt", "Wire report")):
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, KG.fileName, Literal(name)))
        g.add((doc, DCTERMS.title, Literal(title)))
    ban = (KGR.ruritania, KG.bans, KGR.acme)
    _statement(g, "a", ban, [(memo, BAN_SENTENCES[0])])
    _statement(g, "a2", ban, [(wire, BAN_SENTENCES[1])], confidence="0.900", modality="planned")
    _statement(g, "b", (KGR.borduria, KG.bans, KGR.acme), [(memo, "Borduria did not ban Acme.")],
               kind=KG.NegatedStatement)
    _statement(g, "c", (KGR.ruritania, KG.supports, KGR["clean-pipe"]),
               [(wire, "Ruritania may back Clean Pipe.")], kind=KG.HedgedStatement)
    _statement(g, "d", (KGR["trade-office"], KG.pressures, KGR.guild),
               [(wire, "The Trade Office leaned on the guild.")], confidence="0.600")
    claim = KGR["claim-memo-1"]
    g.add((claim, RDF.type, KG.Claim))
    g.add((claim, RDFS.label, Literal("claim by Borduria, sentence 2")))
    g.add((claim, KG.text, Literal(CLAIM_TEXT)))
    g.add((claim, KG.speaker, KGR.borduria))
    g.add((claim, KG.sentence, Literal(f"Borduria said {CLAIM_TEXT}.")))
    g.add((claim, PROV.wasDerivedFrom, memo))
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
        if tag == "script":
            self.scripts.append("")
        if tag not in {"meta", "input", "option", "br", "img", "link"}:  # no end tag expected
            self._in.append(attrs.get("class", "").split(" ")[0] if tag == "li" else tag)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data
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


def _node(page: _Page, name: str) -> dict:
    return next(n for n in _data(page, "nodeData") if n["id"] == str(KGR[name]))


def _edges(page: _Page, subject: str, prop: str, obj: str) -> list[dict]:
    return [e for e in _data(page, "edgeData")
            if (e["from"], e["label"], e["to"]) == (str(KGR[subject]), prop, str(KGR[obj]))]


def test_html_file_written(tmp_path: Path) -> None:
    path = write_html(_graph(), tmp_path / "g.html")
    assert path == tmp_path / "g.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_html_fetches_nothing_remote(page_text: str, page: _Page) -> None:
    markup = page_text.replace(page.scripts[-1], "")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)
    code = page.scripts[-1].split("\noptions = ", 1)[1]  # the script after its data
    # its one address: the Wikidata links of the details panel, followed only when clicked
    assert set(re.findall(r"https?://[^\"']*", code)) == {"https://www.wikidata.org/wiki/"}
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", page_text, re.I)
    assert "<link" not in page_text.lower()
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)


def test_html_inlines_vis_network(page_text: str, page: _Page) -> None:
    library = _library(page_text)
    assert len(library) > 100_000 and "DataView" in library and "DataSet" in library
    assert [tag for tag, _ in page.tags].count("script") == 2
    assert [tag for tag, _ in page.tags].count("style") == 2


def test_html_exposes_global_network(page: _Page) -> None:
    own = page.scripts[-1]
    assert own.lstrip().startswith("var nodes, edges, network, options;")
    assert "network = new vis.Network(" in own


def test_html_page_script_has_no_less_than_sign(page: _Page) -> None:
    assert "<" not in page.scripts[-1]


def test_html_every_entity_label_listed(page: _Page) -> None:
    assert set(page.options) == {label for _, label in ENTITIES.values()} | {
        "the Kingdom", EVIL_ALIAS}


def test_html_every_entity_and_claim_is_a_node(page: _Page) -> None:
    nodes = {n["id"]: n for n in _data(page, "nodeData")}
    assert set(nodes) == {str(KGR[name]) for name in ENTITIES} | {str(KGR["claim-memo-1"])}
    for name, (cls, label) in ENTITIES.items():
        node = nodes[str(KGR[name])]
        assert (node["label"], node["cls"]) == (label, cls)
        assert (node["color"], node["shape"]) == CLASS_STYLES[cls]
        assert node["title"].startswith(f"{label}\n{cls} \u00b7 ")


def test_html_claim_node_speaker_deniers_and_document(page: _Page) -> None:
    claim = _node(page, "claim-memo-1")
    assert claim["label"].startswith("claim: " + CLAIM_TEXT[:50])
    assert len(claim["label"]) <= len("claim: ") + 61
    docs = _data(page, "docData")
    details = claim["claim"]
    assert details["text"] == CLAIM_TEXT and details["title"] == "claim by Borduria, sentence 2"
    assert details["speaker"] == [[str(KGR.borduria), "Borduria"]]
    assert details["statedBy"] == [[str(KGR.borduria), "Borduria"]]
    assert details["deniedBy"] == [[str(KGR.acme), EVIL]]
    assert docs[details["doc"]]["name"] == "memo<1>.txt" and claim["docs"] == [details["doc"]]


def test_html_node_has_aliases_and_wikidata(page: _Page) -> None:
    node = _node(page, "ruritania")
    assert node["aliases"] == ["the Kingdom"] and node["names"] == ["Ruritania", "the Kingdom"]
    assert node["wikidata"] == ["Q1234"]
    assert node["links"] == ["https://www.wikidata.org/wiki/Q1234"]
    assert node["sameAs"] == ["https://example.org/places/ruritania"]
    assert "also: the Kingdom" in node["title"]


def test_html_node_size_grows_with_degree(page: _Page) -> None:
    assert _node(page, "ruritania")["degree"] == 5
    assert _node(page, "ruritania")["size"] > _node(page, "quantum-links")["size"]


def test_html_script_label_appears_only_escaped(page_text: str, page: _Page) -> None:
    rest = page_text.replace(_library(page_text), "")  # the vis library is not graph text
    assert EVIL not in rest and "<img" not in rest and "<b>Acme" not in rest and "<i>" not in rest
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rest  # the search list
    assert {tag for tag, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2",
        "label", "input", "datalist", "option", "span", "div", "aside", "section", "ul", "li",
        "button", "output"}
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)


def test_html_title_escaped(page_text: str) -> None:
    assert "<title>Disputes &lt;test&gt; &amp; co</title>" in page_text


@pytest.mark.parametrize(("subject", "prop", "obj", "family"), RELATIONS)
def test_html_edges_coloured_by_family(page: _Page, subject, prop, obj, family) -> None:
    edges = _edges(page, subject, prop, obj)
    assert len(edges) == 1
    assert edges[0]["family"] == family and edges[0]["color"]["color"] == FAMILIES[family][0]
    assert f"\n{family}" in edges[0]["title"]


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


def test_html_edge_carries_every_evidence_sentence(page: _Page) -> None:
    ban = _edges(page, "ruritania", "bans", "acme")[0]
    docs = [d["name"] for d in _data(page, "docData")]
    assert docs == ["memo<1>.txt", "wire.txt"]
    assert [(e["sentence"], docs[e["doc"]], e["rule"], e["confidence"]) for e in ban["evidence"]] \
        == [(BAN_SENTENCES[0], "memo<1>.txt", "svo-active", 0.85),
            (BAN_SENTENCES[1], "wire.txt", "svo-active", 0.9)]
    assert ban["evidence"][0]["span"] == ["0", str(len(BAN_SENTENCES[0]))]
    assert ban["docs"] == [0, 1] and ban["confidence"] == 0.9
    assert ban["modality"] == ["asserted", "planned"]
    assert "confidence 0.90 \u00b7 2 evidence sentence(s)" in ban["title"]


def test_html_edge_without_statement_has_no_confidence(page: _Page) -> None:
    owns = _edges(page, "acme-holdings", "owns", "acme")[0]
    assert (owns["confidence"], owns["docs"], owns["evidence"]) == (None, [], [])


@pytest.mark.parametrize("sentence", ["Borduria did not ban Acme.", "may back Clean Pipe"])
def test_html_negated_and_hedged_evidence_not_shown(page: _Page, sentence: str) -> None:
    edges = _data(page, "edgeData")
    assert not any(e["from"] == str(KGR.borduria) and e["label"] == "bans" for e in edges)
    assert not any(sentence in ev["sentence"] for e in edges for ev in e["evidence"])


def test_html_documents_count_their_edges(page: _Page) -> None:
    docs = _data(page, "docData")
    assert [(d["name"], d["title"], d["edges"]) for d in docs] == [
        ("memo<1>.txt", "A memo <i>about</i> gear", 1), ("wire.txt", "Wire report", 2)]
    labels = [attrs.get("value") for tag, attrs in page.tags
              if tag == "input" and "kg-doc" in attrs.get("class", "")]
    assert labels == ["0", "1"]


def test_html_parallel_edges_curve_apart(page: _Page) -> None:
    pair = [e["smooth"] for e in _data(page, "edgeData")
            if e["from"] == str(KGR.ruritania) and e["to"] == str(KGR.acme)]
    assert len(pair) == 2 and all(s["enabled"] for s in pair)
    assert len({s["roundness"] for s in pair}) == 2
    assert _edges(page, "acme", "supplies", "widget-phone")[0]["smooth"] == {"enabled": False}


def test_html_legend_lists_classes_and_families(page: _Page) -> None:
    legend = " ".join(page.legend)
    for name in (*CLASS_STYLES, *FAMILIES):
        assert name in legend
    assert "Country (2)" in legend and "Claim (1)" in legend and "structural (4)" in legend


@pytest.mark.parametrize(("cls", "values"), [
    ("kg-class", list(CLASS_STYLES)), ("kg-family", list(FAMILIES))])
def test_html_filter_boxes_for_every_class_and_family(page: _Page, cls, values) -> None:
    boxes = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("class") == cls]
    assert [b["value"] for b in boxes] == values
    assert all(b["type"] == "checkbox" and "checked" in b for b in boxes)


def test_html_confidence_slider(page: _Page) -> None:
    slider = next(attrs for tag, attrs in page.tags if attrs.get("id") == "kg-confidence")
    assert (slider["type"], slider["min"], slider["max"], slider["value"]) == (
        "range", "0", "1", "0")


def test_html_physics_off_and_every_node_placed(page: _Page) -> None:
    options = json.loads(re.search(r"options = (\{.*\});\n", page.scripts[-1]).group(1))
    assert options["physics"] == {"enabled": False}
    assert options["layout"]["improvedLayout"] is False
    spots = [(n["x"], n["y"]) for n in _data(page, "nodeData")]
    assert all(math.isfinite(c) for spot in spots for c in spot)
    assert len(set(spots)) == len(spots)


def test_html_search_box_present(page: _Page) -> None:
    inputs = [attrs for tag, attrs in page.tags if tag == "input"]
    assert inputs and inputs[0]["id"] == "kg-search" and inputs[0]["list"] == "kg-names"


def test_html_untyped_endpoint_becomes_node() -> None:
    g = Graph()
    g.add((KGR.ruritania, RDF.type, KG.Country))
    g.add((KGR.ruritania, KG.bans, URIRef("https://example.org/thing/gadget")))
    g.add((KGR.ruritania, KG.bans, Literal("not a node")))
    data = page_data(g)
    assert [(n["label"], n["cls"]) for n in data.nodes] == [("ruritania", "Country"),
                                                            ("gadget", "Entity")]
    assert "not a node" not in render_html(g)


def test_html_empty_graph_renders() -> None:
    assert "0 nodes, 0 edges" in render_html(Graph())


@pytest.mark.parametrize("text", [EVIL, "</script><script>x()</script>", "<!--", "a'b&c>d",
                                  "\u2028\u2029", "\ud800 lone", "\x00\x1b"])
def test_html_script_json_escapes_markup(text: str) -> None:
    encoded = script_json({"k": [text]})
    assert not re.search(r"[<>&'\u2028\u2029]", encoded)
    assert json.loads(encoded) == {"k": [text]}


def test_html_layout_components_apart_and_lone_nodes_below() -> None:
    ids = [f"n{k}" for k in range(9)]
    spots = layout(ids, [("n0", "n1"), ("n1", "n2"), ("n2", "n0"), ("n3", "n4")])
    assert set(spots) == set(ids)
    triangle = [spots[f"n{k}"] for k in range(3)]
    sides = [math.dist(a, b) for a, b in ((triangle[0], triangle[1]), (triangle[1], triangle[2]))]
    assert all(abs(side - EDGE) < EDGE * 0.5 for side in sides)
    lowest_linked = max(y for name, (_, y) in spots.items() if name in {"n0", "n1", "n2", "n3"})
    assert all(spots[f"n{k}"][1] > lowest_linked for k in range(5, 9))


def test_html_layout_large_component_deterministic() -> None:
    ids = [f"n{k}" for k in range(BIG + 20)]
    links = [(ids[k], ids[(k * 7 + 1) % len(ids)]) for k in range(len(ids))]
    first, second = layout(ids, links), layout(list(ids), list(links))
    assert first == second and len(first) == len(ids)
    assert all(math.isfinite(c) for spot in first.values() for c in spot)
    assert len(set(first.values())) == len(ids)


def test_html_many_edges_hidden_while_moving() -> None:
    assert vis_options(10)["interaction"]["hideEdgesOnDrag"] is False
    assert vis_options(5000)["interaction"]["hideEdgesOnZoom"] is True


def _tied_evidence_graph(spans: list[tuple[int, int]]) -> Graph:
    """One relation whose evidence differs only in its character span."""
    g = Graph()
    s, o, stmt, doc = KGR["ruritania"], KGR["acme"], KGR["stmt-tied"], KGR["doc-tied"]
    g.add((s, KG.bans, o))
    g.add((doc, RDF.type, KG.Document))
    for p, value in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG.bans),
                     (RDF.object, o)):
        g.add((stmt, p, value))
    for start, end in spans:
        ev = KGR[f"ev-{start}-{end}"]
        g.add((stmt, KG.evidence, ev))
        for p, value in ((PROV.wasDerivedFrom, doc), (KG.sentence, Literal("Same words.")),
                         (KG.rule, Literal("verb:ban")), (KG.startChar, Literal(start)),
                         (KG.endChar, Literal(end)),
                         (KG.confidence, Literal("0.800", datatype=XSD.decimal))):
            g.add((ev, p, value))
    return g


def test_html_tied_evidence_ordered_by_span() -> None:
    spans = [(12, 50), (12, 9), (3, 40)]
    pages = [render_html(_tied_evidence_graph(order)) for order in (spans, spans[::-1])]
    assert pages[0] == pages[1]
    (edge,) = page_data(_tied_evidence_graph(spans)).edges
    assert [e["span"] for e in edge["evidence"]] == [["3", "40"], ["12", "9"], ["12", "50"]]
