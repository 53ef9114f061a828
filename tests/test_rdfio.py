"""Tests for kg.rdfio: reading every RDF format by suffix, and one-line errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from kg.errors import KgError
from kg.rdfio import QUAD_FORMATS, RDF_FORMATS, GraphReadError, read_error, read_rdf

EX = rdflib.Namespace("http://example.org/")
TRIPLES = {
    (EX.ruritania, EX.bans, EX.acme),
    (EX.ruritania, rdflib.RDFS.label, Literal("Ruritania", lang="en")),
    (EX.acme, EX.confidence, Literal("0.75", datatype=rdflib.XSD.decimal)),
}


def _write(path: Path) -> Path:
    """Writes TRIPLES to ``path`` in the format its suffix names (quad formats: a named graph)."""
    fmt = RDF_FORMATS[path.suffix.lower()]
    if fmt in QUAD_FORMATS:
        source = rdflib.Dataset()
        named = source.graph(URIRef("urn:x-test:story"))
    else:
        source = named = rdflib.Graph()
    for triple in TRIPLES:
        named.add(triple)
    source.serialize(path, format=fmt, encoding="utf-8")
    return path


def _assert_one_line_naming(error: GraphReadError, path: Path) -> None:
    message = str(error)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and "\r" not in message


@pytest.mark.parametrize("suffix", sorted(RDF_FORMATS))
def test_rdfio_reads_every_format(tmp_path: Path, suffix: str) -> None:
    graph = read_rdf(_write(tmp_path / f"graph{suffix}"))
    # quad formats: the default graph is the union of the named graphs
    assert set(graph.triples((None, None, None))) == TRIPLES


def test_rdfio_quad_formats_keep_their_named_graphs(tmp_path: Path) -> None:
    dataset = read_rdf(_write(tmp_path / "provenance.trig"))
    assert isinstance(dataset, rdflib.Dataset)
    assert URIRef("urn:x-test:story") in {g.identifier for g in dataset.graphs()}


def test_rdfio_suffix_is_case_blind(tmp_path: Path) -> None:
    assert len(read_rdf(_write(tmp_path / "GRAPH.TTL"))) == len(TRIPLES)


def test_rdfio_folder_means_its_graph_ttl(tmp_path: Path) -> None:
    _write(tmp_path / "graph.ttl")
    assert set(read_rdf(tmp_path)) == TRIPLES
    assert set(read_rdf(str(tmp_path))) == TRIPLES  # a str path is fine too


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq"])
def test_rdfio_empty_line_based_and_turtle_files_are_empty_graphs(tmp_path: Path,
                                                                   suffix: str) -> None:
    # An empty document is a valid (empty) graph in these syntaxes, not an error.
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert len(read_rdf(path)) == 0


@pytest.mark.parametrize("suffix", [".jsonld", ".rdf", ".owl"])
def test_rdfio_empty_json_ld_or_xml_is_an_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(GraphReadError, match="cannot parse") as info:
        read_rdf(path)
    _assert_one_line_naming(info.value, path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("graph.ttl", "this is { not turtle"),
        ("graph.nt", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"),
        ("graph.nq", "<http://example.org/a> <http://example.org/b> .\n"),
        ("graph.trig", '{"@id": "http://example.org/a", "http://example.org/b": 1}'),
        ("graph.jsonld", "not json at all"),
        ("graph.rdf", "<not-rdf"),
        ("graph.owl", "<rdf:RDF><unclosed>"),
    ],
)
def test_rdfio_wrong_format_is_a_one_line_error(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphReadError, match=r"cannot parse \(\w+\): ") as info:
        read_rdf(path)
    _assert_one_line_naming(info.value, path)


def test_rdfio_undecodable_bytes_are_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"\xff\xfe<http://example.org/a> <http://example.org/b> 1 .")
    with pytest.raises(GraphReadError, match="UnicodeDecodeError") as info:
        read_rdf(path)
    _assert_one_line_naming(info.value, path)


@pytest.mark.parametrize("case", ["missing", "dangling link", "folder without graph.ttl"])
def test_rdfio_missing_file(tmp_path: Path, case: str) -> None:
    if case == "missing":
        path = expected = tmp_path / "graph.ttl"
    elif case == "dangling link":
        path = expected = tmp_path / "link.ttl"
        path.symlink_to(tmp_path / "gone.ttl")
    else:
        path, expected = tmp_path, tmp_path / "graph.ttl"
    with pytest.raises(GraphReadError, match=r"no such file \(run `kg build` first\?\)") as info:
        read_rdf(path)
    _assert_one_line_naming(info.value, expected)


@pytest.mark.parametrize("name", ["graph.html", "graph", "graph.ttl.bak"])
def test_rdfio_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("<x> <y> <z> .", encoding="utf-8")
    with pytest.raises(GraphReadError, match="unknown RDF file suffix") as info:
        read_rdf(path)
    _assert_one_line_naming(info.value, path)
    assert ".jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl" in str(info.value)


def test_rdfio_long_parser_message_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    path.write_text("<http://example.org/a> " + "x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(GraphReadError) as info:
        read_rdf(path)
    reason = str(info.value).removeprefix(f"{path}: ")
    assert reason.endswith("...") and len(reason) < 400


def test_rdfio_file_name_with_line_break_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname.ttl"
    path.write_text("this is { not turtle", encoding="utf-8")
    with pytest.raises(GraphReadError) as info:
        read_rdf(path)
    message = str(info.value)
    assert "\n" not in message and "bad\\nname.ttl" in message


def test_rdfio_read_error_describes_an_exception() -> None:
    error = read_error("x.ttl", ValueError("first line\n  second   line"))
    assert isinstance(error, KgError)
    assert str(error) == "x.ttl: cannot parse (ValueError): first line second line"
    assert str(read_error("x.ttl", KeyError())) == "x.ttl: cannot parse (KeyError): KeyError"
    assert str(read_error("x.ttl", "no such file")) == "x.ttl: no such file"
