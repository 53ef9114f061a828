"""Tests for the Turtle/TriG export and the atomic writes behind every export."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.datatypes import ValidationReport, ValidationResult
from kg.export import (
    atomic_write_bytes,
    atomic_write_text,
    trig_text,
    turtle_text,
    write_outputs,
    write_trig,
    write_turtle,
)

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD upsets pytest's collector
RAPPER = shutil.which("rapper")
needs_rapper = pytest.mark.skipif(RAPPER is None, reason="rapper (raptor2-utils) is not installed")

NASTY = [
    'she said "no" twice',
    "it's",
    'ends with a quote"',
    '"""three quotes""" inside',
    "'''single triple'''",
    "line one\nline two",
    "ends with newline\n",
    'newline then quote\n"',
    "carriage\rreturn and\r\nwindows",
    "tab\there",
    "back\\slash \\n not a newline \\u0041",
    "trailing backslash \\",
    "<script>alert(1)</script> & <b>bold</b>",
    "right-to-left \u200f mark and \u202e override",
    "control \x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f chars",
    "nul \x00 inside",
    "non-ASCII: Zürich, 北京, Київ, emoji \U0001f600",
    "line separators \u2028 and \u2029 and \x85",
    "",
    " ",
]


def _entity_graph() -> Graph:
    """A small graph in the shape contract.md describes."""
    g = Graph()
    us, acme, doc = KGR["ruritania"], KGR["acme-corp"], KGR["doc-note-1a2b3c"]
    g.add((us, RDF.type, KG.Country))
    g.add((us, RDFS.label, Literal("Ruritania")))
    g.add((us, SKOS.altLabel, Literal("the Kingdom")))
    g.add((us, OWL.sameAs, WD.Q123))
    g.add((acme, RDF.type, KG.Company))
    g.add((acme, RDFS.label, Literal("Acme Corp")))
    g.add((us, KG.bans, acme))
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.fileName, Literal("note.txt")))
    g.add((doc, DCTERMS.title, Literal("A note")))
    stmt, ev = KGR["stmt-0a1b"], KGR["ev-2c3d"]
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, us), (RDF.predicate, KG.bans),
                 (RDF.object, acme), (KG.confidence, Literal("0.85", datatype=XSD.decimal)),
                 (KG.evidence, ev)):
        g.add((stmt, p, o))
    for p, o in ((RDF.type, KG.Evidence), (PROV.wasDerivedFrom, doc),
                 (KG.sentence, Literal('Ruritania banned "Acme" gear.')),
                 (KG.startChar, Literal(0)), (KG.endChar, Literal(29)),
                 (KG.rule, Literal("svo-active")), (KG.confidence, Literal(0.85))):
        g.add((ev, p, o))
    return g


def _nasty_graph(include_nul: bool = True) -> Graph:
    g = _entity_graph()
    for number, text in enumerate(NASTY):
        if "\x00" in text and not include_nul:
            continue
        node = KGR[f"n{number}"]
        g.add((node, RDFS.label, Literal(text)))
        g.add((node, RDFS.comment, Literal(text, lang="en")))
        g.add((node, KG.sentence, Literal(text, datatype=XSD.string)))
    return g


def _rapper(path: Path, syntax: str) -> str:
    """N-Triples/N-Quads from rapper; fails the test when rapper reports an error."""
    out = "nquads" if syntax == "trig" else "ntriples"
    proc = subprocess.run([RAPPER, "-q", "-i", syntax, "-o", out, path.as_uri()],
                          capture_output=True, timeout=60, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0 and "error" not in stderr.lower(), stderr
    return proc.stdout.decode("utf-8")


@pytest.mark.parametrize("text", NASTY)
def test_turtle_round_trip_nasty_literal(tmp_path: Path, text: str) -> None:
    g = _entity_graph()
    g.add((KGR.x, RDFS.label, Literal(text)))
    g.add((KGR.x, RDFS.comment, Literal(text, lang="en-GB")))
    back = Graph().parse(write_turtle(g, tmp_path / "g.ttl"), format="turtle")
    assert isomorphic(g, back)


def test_turtle_round_trip_whole_nasty_graph(tmp_path: Path) -> None:
    g = _nasty_graph()
    path = write_turtle(g, tmp_path / "g.ttl")
    assert isomorphic(g, Graph().parse(path, format="turtle"))


@pytest.mark.parametrize(
    "iri",
    [
        KGR["a.b."], KGR["foo/bar"], KGR["x(1)"], KGR["%41%20"], KGR["-start"], KGR["1abc"],
        KGR["zürich"], KGR["a~b"], KGR["a?b=c&d"], KGR["a,b;c"], KGR["a:b"], KGR["_x"],
        KGR[".x"], KGR["a'b"], KGR["a*b+c$d!"], WD.Q30, URIRef("urn:isbn:0451450523"),
        URIRef("https://example.org/path#frag"), URIRef("http://例え.jp/パス"),
    ],
)
def test_turtle_round_trip_unusual_iris(tmp_path: Path, iri: URIRef) -> None:
    g = Graph()
    g.add((iri, RDFS.label, Literal("x")))
    g.add((KGR.s, KG.bans, iri))
    g.add((KGR.s, iri, Literal(1)))
    back = Graph().parse(write_turtle(g, tmp_path / "g.ttl"), format="turtle")
    assert isomorphic(g, back)


def test_turtle_binds_contract_prefixes() -> None:
    text = turtle_text(_entity_graph())
    for prefix, ns in (("kg", KG), ("kgr", KGR), ("wd", WD), ("skos", SKOS), ("owl", OWL),
                       ("prov", PROV), ("dcterms", DCTERMS), ("xsd", XSD)):
        assert f"@prefix {prefix}: <{ns}> ." in text
    assert "kgr:ruritania" in text and "kg:bans" in text and "wd:Q123" in text


def test_turtle_prefix_taken_by_other_namespace_is_rebound() -> None:
    g = _entity_graph()
    g.bind("kg", Namespace("http://example.org/not-kg#"))
    assert f"@prefix kg: <{KG}> ." in turtle_text(g)


def test_turtle_control_characters_escaped() -> None:
    text = turtle_text(_nasty_graph())
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "\\u0000" in text and "\\u001B" in text


def test_turtle_invalid_iri_percent_encoded(tmp_path: Path) -> None:
    g = Graph()
    g.add((URIRef("https://example.org/a b<c>"), RDFS.label, Literal("spaced")))
    g.add((BNode("not a label!"), RDFS.label, Literal("odd blank node")))
    g.add((KGR.y, RDFS.label, Literal("typed", datatype=URIRef("http://example.org/d t"))))
    back = Graph().parse(write_turtle(g, tmp_path / "g.ttl"), format="turtle")
    assert (URIRef("https://example.org/a%20b%3Cc%3E"), RDFS.label, Literal("spaced")) in back
    assert (None, RDFS.label, Literal("odd blank node")) in back
    assert (KGR.y, RDFS.label, Literal("typed", datatype=URIRef("http://example.org/d%20t"))) \
        in back


@needs_rapper
def test_turtle_rapper_reads_nasty_graph(tmp_path: Path) -> None:
    path = write_turtle(_nasty_graph(), tmp_path / "g.ttl")
    lines = [line for line in _rapper(path, "turtle").splitlines() if line.strip()]
    assert len(lines) == len(_nasty_graph())


@needs_rapper
def test_turtle_rapper_reads_same_triples_as_rdflib(tmp_path: Path) -> None:
    # rapper cuts strings at NUL when it writes them back, so that one is left out here
    g = _nasty_graph(include_nul=False)
    nt = _rapper(write_turtle(g, tmp_path / "g.ttl"), "turtle")
    assert isomorphic(g, Graph().parse(data=nt, format="nt"))


def _dataset() -> Dataset:
    ds = Dataset()
    ds.default_graph.add((KGR.ruritania, RDFS.label, Literal('default "graph"\nline')))
    doc1 = ds.graph(KGR["doc-one-aaaaaa"])
    doc1.add((KGR.ruritania, KG.bans, KGR["acme-corp"]))
    doc1.add((KGR.ruritania, RDFS.comment, Literal("ctl \x01 and back\\slash")))
    ds.graph(KGR["doc-two-bbbbbb"]).add((KGR.ruritania, KG.sanctions, KGR["acme-corp"]))
    return ds


def _graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def test_trig_round_trip_every_named_graph(tmp_path: Path) -> None:
    ds = _dataset()
    back = Dataset().parse(write_trig(ds, tmp_path / "p.trig"), format="trig")
    want, got = _graphs(ds), _graphs(back)
    assert want.keys() == got.keys() and len(want) == 3
    assert all(isomorphic(want[name], got[name]) for name in want)


def test_trig_binds_prefixes() -> None:
    text = trig_text(_dataset())
    assert f"@prefix kgr: <{KGR}> ." in text and "kgr:doc-one-aaaaaa {" in text


@needs_rapper
def test_trig_rapper_reads_dataset(tmp_path: Path) -> None:
    nq = _rapper(write_trig(_dataset(), tmp_path / "p.trig"), "trig")
    assert len([line for line in nq.splitlines() if line.strip()]) == 4
    assert f"<{KGR['doc-two-bbbbbb']}> ." in nq


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("graph", [_entity_graph, _nasty_graph])  # pyoxigraph / rdflib path
def test_atomic_write_keeps_old_file_when_serialization_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, graph
) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("old content\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("serializer exploded")

    monkeypatch.setattr(Graph, "serialize", broken)
    monkeypatch.setattr(pyoxigraph, "serialize", broken)
    with pytest.raises(RuntimeError, match="exploded"):
        write_turtle(graph(), path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert _leftovers(tmp_path) == []


def test_atomic_write_keeps_old_file_when_text_cannot_be_encoded(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("old content\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(path, "lone surrogate \ud800")
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert _leftovers(tmp_path) == []


def test_atomic_write_removes_temp_file_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.txt"
    path.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError("replace refused")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_atomic_write_text_replaces_content(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    assert atomic_write_text(path, "néw\nline\n") == path
    assert path.read_bytes() == "néw\nline\n".encode()
    assert _leftovers(tmp_path) == []


def test_atomic_write_new_file_gets_default_permissions(tmp_path: Path) -> None:
    reference = tmp_path / "reference.txt"
    reference.write_text("x", encoding="utf-8")
    path = atomic_write_text(tmp_path / "new.txt", "x")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_atomic_write_keeps_permissions_of_replaced_file(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_atomic_write_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "missing" / "out.txt", "x")


def test_export_write_outputs_writes_every_file(tmp_path: Path) -> None:
    report = ValidationReport(False, (ValidationResult("kgr:x", "kg:bans", "bad range"),))
    out = tmp_path / "build" / "nested"
    outputs = write_outputs(_entity_graph(), _dataset(), report, out)
    assert set(outputs) == {"graph", "provenance", "html", "validation", "nquads", "jsonld",
                            "graphml", "store"}
    assert {Path(p).name for p in outputs.values()} == {
        "graph.ttl", "provenance.trig", "graph.html", "validation.txt", "provenance.nq",
        "graph.jsonld", "graph.graphml", "graph.oxigraph"}
    assert isomorphic(Graph().parse(outputs["graph"], format="turtle"), _entity_graph())
    assert "bad range" in Path(outputs["validation"]).read_text(encoding="utf-8")
    assert _leftovers(out) == []
