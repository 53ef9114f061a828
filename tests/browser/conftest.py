"""Browser fixtures: Debian's Chromium driven by Playwright, with the network cut off.

The tests need ``/usr/bin/chromium`` (``make test`` installs it when run as root) and the
``playwright`` package (the ``test`` extra; Playwright's own browser download is not used).
Without them the tests skip and say why; in CI (``CI=true``) they fail instead, so a
broken setup cannot pass unnoticed.

Every page is opened from ``file://``; any other request is aborted and recorded, and so
are page errors, console errors and dialogs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.export import write_html

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-default-apps",
                 "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"]
KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")  # not rdflib's XSD: pytest
# probes every module-level name of a conftest, and XSD warns about unknown names
ROOT = Path(__file__).resolve().parents[2]


def _why_not() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    if not os.access(CHROMIUM, os.X_OK):
        return (f"{CHROMIUM} is missing: run `make test` as root, or apt-get install chromium "
                "(or point KG_CHROMIUM at a Chromium binary)")
    return None


def _cannot_run(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    reason = _why_not()
    if reason:
        _cannot_run(reason)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Error as exc:
            _cannot_run(f"{CHROMIUM} does not start: {exc.message.splitlines()[0]}")
        yield chromium
        chromium.close()


@dataclass
class Opened:
    """An open page and what it tried: requests outside file://, errors and dialogs."""

    page: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser) -> Iterator[Callable[[Path], Opened]]:
    """Opens a page file in a fresh context and waits until vis-network has drawn it."""
    contexts = []

    def open_(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(request_route) -> None:
            if request_route.request.url.startswith("file:"):
                request_route.continue_()
            else:
                opened.outside.append(request_route.request.url)
                request_route.abort()

        def dialog(box) -> None:
            opened.dialogs.append(box.message)
            box.dismiss()

        context.route("**/*", route)
        page.on("pageerror", lambda exc: opened.errors.append(f"page error: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and opened.errors.append(
            f"console error: {msg.text}"))
        page.on("dialog", dialog)
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-kg-drawn]", state="attached", timeout=20_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


# ----- graphs and pages ---------------------------------------------------------------------

TRAP = "window.__pwned=1"
HOSTILE = [f"<img src=x onerror={TRAP}>", f"<script>{TRAP}</script>",
           f"</script><script>{TRAP}</script>", f'" onmouseover="{TRAP}" x="',
           f"<svg onload={TRAP}>", "<img src=x onerror=alert(9)>", f"javascript:{TRAP}",
           f"<iframe src=javascript:{TRAP}></iframe>", "{{ 7 * 7 }}"]


def _evidence(g: Graph, name: str, doc: URIRef, sentence: str, confidence: float) -> URIRef:
    ev = KGR[f"ev-{name}"]
    for p, o in ((RDF.type, KG.Evidence), (PROV.wasDerivedFrom, doc),
                 (KG.sentence, Literal(sentence)), (KG.rule, Literal("svo-active")),
                 (KG.startChar, Literal(0)), (KG.endChar, Literal(len(sentence))),
                 (KG.confidence, Literal(f"{confidence:.3f}", datatype=DECIMAL))):
        g.add((ev, p, o))
    return ev


def relate(g: Graph, s: URIRef, prop: str, o: URIRef, doc: URIRef, sentence: str,
           confidence: float) -> None:
    """A plain relation triple with its reified statement and one evidence sentence."""
    g.add((s, KG[prop], o))
    name = f"{prop}-{s.split('/')[-1]}-{o.split('/')[-1]}"
    stmt = KGR[f"stmt-{name}"]
    for p, v in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[prop]),
                 (RDF.object, o), (KG.polarity, Literal("positive")),
                 (KG.modality, Literal("asserted")),
                 (KG.confidence, Literal(f"{confidence:.3f}", datatype=DECIMAL))):
        g.add((stmt, p, v))
    g.add((stmt, KG.evidence, _evidence(g, name, doc, sentence, confidence)))


def document(g: Graph, slug: str, name: str, title: str) -> URIRef:
    doc = KGR[f"doc-{slug}"]
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.fileName, Literal(name)))
    g.add((doc, DCTERMS.title, Literal(title)))
    return doc


def entity(g: Graph, name: str, cls: str, label: str, *aliases: str) -> URIRef:
    node = KGR[name]
    g.add((node, RDF.type, KG[cls]))
    g.add((node, RDFS.label, Literal(label)))
    for alias in aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    return node


def claim(g: Graph, name: str, text: str, speaker: URIRef, doc: URIRef) -> URIRef:
    node = KGR[name]
    g.add((node, RDF.type, KG.Claim))
    g.add((node, RDFS.label, Literal(f"claim by {g.value(speaker, RDFS.label)}, sentence 1")))
    g.add((node, KG.text, Literal(text)))
    g.add((node, KG.speaker, speaker))
    g.add((node, KG.sentence, Literal(f"They said that {text}.")))
    g.add((node, PROV.wasDerivedFrom, doc))
    g.add((speaker, KG.states, node))
    return node


def small_graph() -> Graph:
    """Four countries and companies, two documents, one claim that is denied."""
    g = Graph()
    letter = document(g, "letter-1a2b3c", "letter.txt", "A letter")
    notice = document(g, "notice-4d5e6f", "notice.txt", "A notice")
    ostra = entity(g, "ostra", "Country", "Ostravia", "the Republic", "Ostra")
    g.add((ostra, OWL.sameAs, WD.Q4321))
    velda = entity(g, "velda", "Country", "Veldania")
    lumo = entity(g, "lumo", "Company", "Lumo Systems", "Lumo")
    pix = entity(g, "pix", "Product", "Pixel Relay")
    net = entity(g, "net", "Initiative", "Open Mesh Pact")
    relate(g, ostra, "bans", lumo, letter, "Ostravia barred Lumo Systems from its grid.", 0.92)
    relate(g, velda, "joins", net, notice, "Veldania signed up to the Open Mesh Pact.", 0.7)
    relate(g, lumo, "supplies", pix, notice, "Lumo Systems makes the Pixel Relay.", 0.6)
    relate(g, ostra, "accuses", velda, letter, "Ostravia blamed Veldania for the outage.", 0.8)
    said = claim(g, "claim-letter-1", "the relay leaks every call to a foreign server",
                 ostra, letter)
    relate(g, lumo, "denies", said, letter, "Lumo Systems rejected the accusation.", 0.75)
    return g


def hostile_graph() -> Graph:
    """A story whose names, aliases, sentences, links and file names all carry markup."""
    g = Graph()
    docs = [document(g, f"evil-{k}", f"{text}.txt", text) for k, text in enumerate(HOSTILE[:3])]
    nodes = [entity(g, f"evil-{k}", cls, text, *HOSTILE[k + 1:k + 3]) for k, (cls, text) in
             enumerate(zip(["Country", "Company", "Person", "Product"] * 3, HOSTILE, strict=False))]
    for k, node in enumerate(nodes):
        g.add((node, OWL.sameAs, URIRef(HOSTILE[6])))
        g.add((node, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/Q{k + 1}")))
        if k:
            relate(g, nodes[k - 1], "sanctions", node, docs[k % 3], HOSTILE[k], 0.9)
    said = claim(g, "claim-evil-1", HOSTILE[0] + HOSTILE[1], nodes[0], docs[0])
    relate(g, nodes[1], "denies", said, docs[1], HOSTILE[3], 0.8)
    return g


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    """The small graph and its page."""
    graph = small_graph()
    return graph, write_html(graph, tmp_path_factory.mktemp("small") / "graph.html",
                             title="Small graph")


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    """The hostile graph and its page (whose title is hostile too)."""
    graph = hostile_graph()
    return graph, write_html(graph, tmp_path_factory.mktemp("hostile") / "graph.html",
                             title=HOSTILE[1])


@pytest.fixture(scope="session")
def hostile_texts() -> list[str]:
    """The markup the hostile graph carries; each piece sets ``window.__pwned`` if it runs."""
    return list(HOSTILE)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    """The seed corpus built by the pipeline: (graph, path of graph.html)."""
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    out = tmp_path_factory.mktemp("seed-build")
    result = build(BuildOptions([ROOT / "seeds"], out))
    return result.graph, out / "graph.html"
