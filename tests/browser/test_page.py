"""The explorer page in headless Chromium, offline: drawing, search, evidence, filters, safety."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Namespace

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")

NAMED = ("Entity", "Actor", "Country", "CountryGroup", "Organization", "Company",
         "GovernmentBody", "InternationalOrganization", "CompanyGroup", "Person", "Product",
         "Technology", "Initiative", "Claim")
NODE_SPOTS_JS = """() => {
  const box = network.canvas.frame.canvas.getBoundingClientRect();
  const spots = {};
  for (const [id, at] of Object.entries(network.getPositions())) {
    const dom = network.canvasToDOM(at);
    spots[id] = [box.left + dom.x, box.top + dom.y];
  }
  return spots;
}"""
EDGE_SPOT_JS = """(id) => {
  const box = network.canvas.frame.canvas.getBoundingClientRect();
  const dom = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));
  const clear = network.getEdgeAt(dom) === id && network.getNodeAt(dom) === undefined;
  return clear ? [box.left + dom.x, box.top + dom.y] : null;
}"""
DETAILS_JS = "document.getElementById('kg-details').textContent"


def _named(graph: Graph) -> set[str]:
    """Ids of the entities and claims: what the page must draw one node for."""
    return {str(s) for name in NAMED for s in graph.subjects(RDF.type, KG[name])}


def _counts(page) -> tuple[int, int]:
    return tuple(page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]"))


def _click_edge(page, edge_id: str) -> None:
    page.keyboard.press("Escape")
    spot = page.evaluate(EDGE_SPOT_JS, edge_id)
    assert spot, f"edge {edge_id} has no clear midpoint to click"
    page.mouse.click(*spot)


def _clickable_edges(page) -> list[str]:
    ids = page.evaluate("network.body.data.edges.getIds()")
    return [i for i in ids if page.evaluate(EDGE_SPOT_JS, i)]


def _set_slider(page, value: str) -> None:
    page.evaluate("""(v) => { const s = document.getElementById('kg-confidence');
                              s.value = v; s.dispatchEvent(new Event('input')); }""", value)


def test_page_small_opens_offline_without_errors(open_page, small) -> None:
    opened = open_page(small[1])
    assert (opened.outside, opened.errors, opened.dialogs) == ([], [], [])
    assert opened.page.evaluate("typeof window.network.getPositions") == "function"


def test_page_small_one_drawn_node_per_entity_and_claim(open_page, small) -> None:
    page = open_page(small[1]).page
    expected = _named(small[0])
    assert len(expected) == 6
    assert set(page.evaluate("network.body.nodeIndices")) == expected
    assert _counts(page) == (6, 6)


@pytest.mark.parametrize(("query", "name"), [("the republic", "ostra"), ("  LUMO ", "lumo"),
                                             ("relay", "pix"), ("Veldania", "velda")])
def test_page_search_focuses_node(open_page, small, query, name) -> None:
    page = open_page(small[1]).page
    page.fill("#kg-search", query)
    page.press("#kg-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [str(KGR[name])]
    assert page.is_visible("#kg-details")
    assert page.text_content("#kg-found").endswith("match(es)")


def test_page_search_without_match_says_so(open_page, small) -> None:
    page = open_page(small[1]).page
    page.fill("#kg-search", "no such name")
    page.press("#kg-search", "Enter")
    assert page.text_content("#kg-found") == "no node matches"
    assert page.evaluate("network.getSelectedNodes()") == []


def test_page_click_node_shows_names_class_and_wikidata(open_page, small) -> None:
    page = open_page(small[1]).page
    page.mouse.click(*page.evaluate(NODE_SPOTS_JS)[str(KGR.ostra)])
    text = page.evaluate(DETAILS_JS)
    assert "CountryOstravia" in text and "aliases: Ostra, the Republic" in text
    assert page.eval_on_selector_all("#kg-details a", "as => as.map(a => a.href)") == [
        "https://www.wikidata.org/wiki/Q4321"]


def test_page_click_claim_shows_speaker_and_denier(open_page, small) -> None:
    page = open_page(small[1]).page
    page.mouse.click(*page.evaluate(NODE_SPOTS_JS)[str(KGR["claim-letter-1"])])
    text = page.evaluate(DETAILS_JS)
    assert "the relay leaks every call to a foreign server" in text
    assert "speaker: Ostravia" in text and "denied by: Lumo Systems" in text
    assert "document: letter.txt" in text


def test_page_click_edge_shows_its_evidence(open_page, small) -> None:
    page = open_page(small[1]).page
    ban = page.evaluate("edges.get({filter: (e) => e.label === 'bans'})[0].id")
    _click_edge(page, ban)
    assert page.evaluate("network.getSelectedEdges()") == [ban]
    text = page.evaluate(DETAILS_JS)
    assert "Ostravia barred Lumo Systems from its grid." in text
    assert "letter.txt" in text and "confidence 0.92" in text and "rule svo-active" in text


@pytest.mark.parametrize(("action", "nodes", "edges"), [
    ("input.kg-class[value=Country]", 4, 2),
    ("input.kg-family[value=coercive]", 6, 5),
    ("input.kg-family[value='verbal conflict']", 6, 4),
])
def test_page_filter_boxes_hide_classes_and_families(open_page, small, action, nodes,
                                                     edges) -> None:
    page = open_page(small[1]).page
    page.uncheck(action)
    assert _counts(page) == (nodes, edges)
    assert page.text_content("#kg-status") == f"{nodes} of 6 nodes, {edges} of 6 edges shown"
    page.click("#kg-reset")
    assert _counts(page) == (6, 6)


def test_page_document_filter_shows_what_a_document_says(open_page, small) -> None:
    page = open_page(small[1]).page
    page.click("#kg-docs-none")
    assert _counts(page) == (0, 0)
    page.check("input.kg-doc[value='1']")  # notice.txt: joins and supplies
    assert _counts(page) == (4, 2)
    assert sorted(page.evaluate("network.body.data.edges.map((e) => e.label)")) == [
        "joins", "supplies"]
    page.click("#kg-docs-all")
    assert _counts(page) == (6, 6)


def test_page_confidence_slider_hides_weak_edges(open_page, small) -> None:
    page = open_page(small[1]).page
    _set_slider(page, "0.8")
    assert _counts(page) == (6, 2)
    assert page.text_content("#kg-confidence-value") == "0.80"
    page.check("#kg-linked")
    assert set(page.evaluate("network.body.nodeIndices")) == {
        str(KGR[n]) for n in ("ostra", "velda", "lumo")}
    page.click("#kg-reset")
    assert _counts(page) == (6, 6)


def test_page_hostile_text_runs_nothing(open_page, hostile, hostile_texts) -> None:
    opened = open_page(hostile[1])
    page = opened.page
    assert set(page.evaluate("network.body.nodeIndices")) == _named(hostile[0])
    for spot in page.evaluate(NODE_SPOTS_JS).values():
        page.keyboard.press("Escape")
        page.mouse.move(*spot)
        page.wait_for_timeout(250)  # the tooltip delay is 150 ms
        page.mouse.click(*spot)
    assert hostile_texts[0] in page.evaluate(DETAILS_JS)
    for edge in _clickable_edges(page):
        _click_edge(page, edge)
        page.wait_for_timeout(250)
    for query in hostile_texts:
        page.fill("#kg-search", query)
        page.press("#kg-search", "Enter")
    assert page.evaluate("window.__pwned") is None
    assert (opened.dialogs, opened.errors, opened.outside) == ([], [], [])
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    assert page.evaluate("""[...document.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on'))""") == []
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("https://www.wikidata.org/wiki/Q") for h in hrefs)


def test_page_hostile_tooltip_is_text(open_page, hostile, hostile_texts) -> None:
    page = open_page(hostile[1]).page
    page.mouse.move(*page.evaluate(NODE_SPOTS_JS)[str(KGR["evil-0"])])
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert page.text_content("div.vis-tooltip").startswith(hostile_texts[0])
    assert page.evaluate("""[...document.querySelector('div.vis-tooltip').children].every(
        (child) => child.tagName === 'BR')""")  # innerText writes line breaks as <br>


def test_page_seed_offline_one_node_per_entity(open_page, seed_build) -> None:
    graph, path = seed_build
    opened = open_page(path)
    assert (opened.outside, opened.errors, opened.dialogs) == ([], [], [])
    expected = _named(graph)
    drawn = opened.page.evaluate("network.body.nodeIndices")
    assert expected and len(drawn) == len(expected) and set(drawn) == expected
    assert _counts(opened.page)[0] == len(expected)


def test_page_seed_edge_click_shows_evidence(open_page, seed_build) -> None:
    page = open_page(seed_build[1]).page
    clickable = _clickable_edges(page)
    assert clickable
    _click_edge(page, clickable[0])
    evidence = page.evaluate("(id) => edges.get(id).evidence", clickable[0])
    text = page.evaluate(DETAILS_JS)
    assert evidence and all(ev["sentence"] in text for ev in evidence)


def test_page_seed_search_by_alias(open_page, seed_build) -> None:
    page = open_page(seed_build[1]).page
    node = page.evaluate("nodes.get({filter: (n) => n.aliases.length > 0})[0]")
    page.fill("#kg-search", node["aliases"][0])
    page.press("#kg-search", "Enter")
    selected = page.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1
    keys = page.evaluate("(id) => nodes.get(id).searchKeys", selected[0])
    assert node["aliases"][0].lower().strip() in keys
