"""Property and fuzz tests (hypothesis): hostile names and sentences cannot break the
exports or the HTML page, and no text makes the reader or the extractors raise.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from kg.build.graph import build_graph, provenance_dataset
from kg.build.ingest import IngestError, clean_text, read_document
from kg.build.pipeline import split_points
from kg.datatypes import Assertion, Claim, Entity, Evidence, Resolution, SourceDoc
from kg.errors import one_line as _one_line
from kg.export.html import render_html
from kg.export.turtle import trig_text, turtle_text
from kg.ids import IriMinter, safe_name, slugify
from kg.vocab import KGR

TYPES = ("Country", "Company", "Person", "GovernmentBody", "Product", "Initiative")
PREDICATES = ("bans", "sanctions", "accuses", "supports", "owns", "cooperatesWith")
# Pieces that have broken serializers and pages: quoting, escapes, markup, controls,
# right-to-left and other invisible marks, Turtle and JSON syntax.
TRICKY = ('"', "'", '"""', "'''", "\\", "\\u0022", "\n", "\r", "\r\n", "\t", "\x00", "\x07",
          "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u200f", "\u061c", "\ufeff",
          "\u200b", "<", ">", "&", "&amp;", "@prefix x: <y> .", "_:b0", "^^xsd:int", "{", "}",
          "#", ".", ";", "@en", "\U0001f600", "e\u0301", "ﬁ", "İ", "ß")
MARKUP = ("<script>alert(1)</script>", "</script><script>alert(2)</script>", "<!--", "-->",
          "<![CDATA[", "]]>", "<img src=x onerror=alert(3)>", "<svg/onload=alert(4)>",
          '" onmouseover="alert(5)', "' onfocus='alert(6)", "javascript:alert(7)",
          "</style><style>", "</textarea>", "{{ 7 * 7 }}", "${alert(8)}", "<ScRiPt>",
          "</SCRIPT >", "<iframe src=//x>", "&lt;b&gt;", "\\u003cscript\\u003e", "`+alert(9)+`")

_chars = st.characters(blacklist_categories=("Cs",))  # file text never holds lone surrogates
_text = st.text(_chars, max_size=12)


def _phrase(pieces: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(_text, st.sampled_from(pieces)), max_size=6).map("".join)


@st.composite
def resolutions(draw, pieces: tuple[str, ...] = TRICKY) -> tuple[Resolution, list[SourceDoc]]:
    """A resolution built by hand: entities, assertions and claims with arbitrary text."""
    phrase = _phrase(pieces)
    names = draw(st.lists(phrase.filter(bool).map(lambda n: n[:40]), min_size=2,
                          max_size=4))
    minter = IriMinter(KGR)
    entities = [Entity(minter.mint(f"key{i}", name), draw(st.sampled_from(TYPES)), name,
                       tuple(draw(st.lists(phrase, max_size=2))))
                for i, name in enumerate(names)]
    doc_ids = draw(st.lists(phrase.map(lambda s: s + ".txt"), min_size=1, max_size=2,
                            unique=True))
    docs = [SourceDoc(d, "text", title=draw(phrase), meta={"sha256": "0" * 64}) for d in doc_ids]

    def evidence(n: int) -> Evidence:
        start = draw(st.integers(0, 10_000))
        return Evidence(draw(st.sampled_from(doc_ids)), start, start + 5, draw(phrase),
                        draw(phrase), draw(st.floats(0.05, 0.99)), n)

    assertions = [Assertion(entities[0].iri, p, entities[1].iri, pol, mod,
                            draw(st.floats(0.05, 0.99)), (evidence(n),))
                  for n, (p, pol, mod) in enumerate([
                      (draw(st.sampled_from(PREDICATES)), "positive", "asserted"),
                      (draw(st.sampled_from(PREDICATES)), "negative", "asserted"),
                      (draw(st.sampled_from(PREDICATES)), "positive", "hedged")])]
    claims = [Claim(f"{KGR}claim-{slugify(doc_ids[0])}-{n + 1}", entities[-1].iri, draw(phrase),
                    evidence(n)) for n in range(draw(st.integers(0, 2)))]
    return Resolution(tuple(entities), tuple(assertions), tuple(claims)), docs


# ----- identifiers ------------------------------------------------------------------------
@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=80)), max_size=30))
def test_properties_minted_iris_are_safe_and_distinct(pairs):
    minter = IriMinter(KGR, reserved={KGR + "x"})
    minted = {key: minter.mint(key, name) for key, name in pairs}
    for key, name in pairs:
        assert minter.mint(key, name) == minted[key]
    assert len(set(minted.values())) == len(minted)
    assert KGR + "x" not in minted.values()
    for iri in minted.values():
        assert re.fullmatch(re.escape(KGR) + r"[a-z0-9]+(?:-[a-z0-9]+)*", iri), iri


# Text that may hold lone surrogates, as os.fsdecode makes of a file name's undecodable bytes
# (st.text() alone never generates them).
_names_with_surrogates = st.text(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)))


@given(_names_with_surrogates)
@example(os.fsdecode(b"caf\xe9.txt"))
def test_properties_safe_name_replaces_only_lone_surrogates(name):
    safe = safe_name(name)
    assert safe.encode("utf-8").decode("utf-8") == safe
    expected = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in name)
    assert safe == expected


# ----- exports ----------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(resolutions())
def test_properties_turtle_and_jsonld_round_trip(case):
    resolution, docs = case
    graph = build_graph(resolution, docs)
    turtle = Graph().parse(data=turtle_text(graph), format="turtle")
    jsonld = Graph().parse(data=graph.serialize(format="json-ld"), format="json-ld")
    for parsed in (turtle, jsonld):
        assert isomorphic(graph, parsed)
        for entity in resolution.entities:
            node = URIRef(entity.iri)
            assert parsed.value(node, RDFS.label) == Literal(entity.label)
            assert set(parsed.objects(node, SKOS.altLabel)) == {Literal(a) for a in entity.aliases}


@settings(max_examples=40, deadline=None)
@given(resolutions())
def test_properties_trig_round_trips(case):
    resolution, _ = case
    dataset = provenance_dataset(resolution)
    parsed = Dataset().parse(data=trig_text(dataset), format="trig")

    def quads(ds: Dataset) -> set:
        return {(s, p, o, g.identifier if isinstance(g, Graph) else g)
                for s, p, o, g in ds.quads((None, None, None, None))}

    assert quads(parsed) == quads(dataset) and quads(dataset)


# ----- the HTML page ----------------------------------------------------------------------
class _Page(HTMLParser):
    """The page's tags, attributes and script bodies, as a browser would split them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@functools.cache
def _baseline() -> str:
    """The page of a harmless graph: the tags and scripts every page has."""
    resolution = Resolution((Entity(KGR + "a", "Country", "Freedonia"),
                             Entity(KGR + "b", "Company", "Acme")), (), ())
    return render_html(build_graph(resolution, []))


def _in_script(text: str) -> str:
    """``text`` as a JSON string with ``< > & '`` as ``\\u`` escapes, as pages embed data."""
    escapes = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
    return re.sub("[<>&']", lambda m: escapes[m.group()], json.dumps(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resolutions(MARKUP + TRICKY))
def test_properties_html_keeps_hostile_text_as_data(case):
    resolution, docs, baseline = *case, _baseline()
    text = render_html(build_graph(resolution, docs))
    page, base = _Page(text), _Page(baseline)
    assert {tag for tag, _ in page.tags} <= {tag for tag, _ in base.tags}
    assert len(page.scripts) == len(base.scripts)
    for pattern in (r"<script", r"</script", r"<!--", r"<!\[CDATA\["):
        assert len(re.findall(pattern, text, re.I)) == len(re.findall(pattern, baseline, re.I))
    assert not [(t, a) for t, attrs in page.tags for a, _ in attrs if a.lower().startswith("on")]
    for fragment in MARKUP:  # no payload is written out raw, in markup or in a script
        if "<" in fragment:
            assert text.count(fragment) <= baseline.count(fragment), fragment
    for entity in resolution.entities:  # each name is in the page, as escaped JSON data
        label = entity.label
        assert _in_script(label) in text or _in_script(" ".join(label.split())) in text


# ----- reading and extracting -------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "b.md"]))
def test_properties_reading_any_bytes_gives_a_doc_or_an_ingest_error(data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except IngestError as exc:
            assert str(exc).startswith(f"{path}: ")
            return
        assert doc.text.strip() and len(doc.offsets) == len(doc.text)
        assert all(0 <= o < len(doc.original) for o in doc.offsets)


@given(st.text(max_size=300), st.integers(1, 60))
def test_properties_split_points_cover_the_text(text, limit):
    spans = split_points(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == end for (a, _), (_, end) in zip(spans[1:], spans[:-1], strict=True))
    assert all(0 < b - a <= limit for a, b in spans) or text == ""


@given(st.text())
def test_properties_messages_stay_on_one_line(text):
    line = _one_line(text)
    assert len(line.splitlines()) <= 1
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", line)


SENTENCES = ("The United States banned TikTok on Monday.", "Huawei denied that it spied.",
             "China said that the ban was unfair,", "Britain excluded Huawei from 5G",
             "\u201cWe will respond,\u201d the ministry said.", "He said.", "It", "and", "not")
FUZZ = SENTENCES + MARKUP + TRICKY + ("\n\n", "# Heading\n", "- item\n", "(", ")", "--")
WORDS = ("The United States", "China", "Huawei", "TikTok", "Britain", "ZTE", "banned",
         "sanctioned", "said", "denied", "accused", "that", "of spying", "its", "the ban", "he",
         "they", "will", "not", ",", ".", "\u201c", "\u201d", "\n\n")


@pytest.fixture(scope="module")
def nlp():
    from kg.build.nlp import build_nlp

    return build_nlp()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FUZZ), st.text(_chars, max_size=30),
                          st.integers(200, 3000).map(lambda n: "x" * n),
                          st.text("ab-_.'", min_size=50, max_size=400),
                          st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)),
                max_size=12).map(" ".join))
def test_properties_extractor_never_raises(nlp, text):
    from kg.build.nlp import sentence_case_headline
    from kg.extract import extract_document
    from kg.lexicon import load_lexicon, verb_words

    source = clean_text(text, "fuzz.txt")
    if not source.text.strip():
        return
    doc = nlp(sentence_case_headline(source.text, verb_words(load_lexicon())))
    extraction = extract_document(doc, source)
    for rc in extraction.relations:
        assert 0 <= rc.evidence.start_char <= rc.evidence.end_char <= len(text)
