"""kg.validate: SHACL validation of builds, file reading and the text report.

Each file in tests/shapes/ is one self-contained case. Its header says what
to expect::

    # case: <what the case is about>
    # expect: conforms | fail
    # violation: <focus node CURIE> <property CURIE, or - for none>

Every ``violation`` line must be matched by a result with that focus node and
that property (the result path, or the relation a subject shape is about).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from kg.datatypes import ValidationReport, ValidationResult
from kg.resources import ontology_file
from kg.validate import GraphReadError, format_report, read_graph, validate, validate_file
from kg.vocab import KG, PROPERTY_FAMILY

CASES_DIR = Path(__file__).parent / "shapes"
CASE_FILES = sorted(CASES_DIR.glob("*.ttl"))
EXPECTED_CASES = 39
_HEADER = re.compile(r"^#\s*(case|expect|violation|warning):\s*(.*?)\s*$")


def _header(path: Path) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {"case": [], "expect": [], "violation": [], "warning": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            fields[match[1]].append(match[2])
    return fields


def _expand(graph: Graph, curie: str) -> str:
    return "" if curie == "-" else str(graph.namespace_manager.expand_curie(curie))


def test_validate_collects_every_shape_case():
    assert len(CASE_FILES) == EXPECTED_CASES
    for path in CASE_FILES:
        header = _header(path)
        assert header["case"] and header["expect"] in (["conforms"], ["fail"]), path.name
        assert bool(header["violation"]) == (header["expect"] == ["fail"]), path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_validate_shape_case(path):
    header = _header(path)
    graph = Graph().parse(path, format="turtle")
    report = validate(graph)
    assert report.conforms == (header["expect"] == ["conforms"]), format_report(report)
    found = {(r.focus_node, r.path) for r in report.results}
    for line in header["violation"]:
        focus, prop = line.split()
        assert (_expand(graph, focus), _expand(graph, prop)) in found, format_report(report)
    warned = {(r.focus_node, r.path) for r in report.results if r.severity == "Warning"}
    for line in header["warning"]:
        focus, prop = line.split()
        assert (_expand(graph, focus), _expand(graph, prop)) in warned, format_report(report)
    if not report.conforms:
        assert all(r.message and r.severity == "Violation" for r in report.results)


def test_validate_subject_violation_names_focus_and_property():
    graph = Graph().parse(CASES_DIR / "fail-bans-subject-claim.ttl", format="turtle")
    (result,) = validate(graph).results
    assert result.focus_node == "https://w3id.org/kg-geotech/resource/claim-1"
    assert result.path == str(KG.bans)
    assert result.message.startswith("kg:bans:")


def test_validate_results_are_sorted_plain_values():
    graph = Graph().parse(CASES_DIR / "fail-statement-no-evidence.ttl", format="turtle")
    report = validate(graph)
    keys = [(r.focus_node, r.path, r.message) for r in report.results]
    assert keys == sorted(keys) and len(keys) == 2
    assert all(isinstance(r, ValidationResult) for r in report.results)
    assert "Conforms: False" in report.text


def test_validate_subclasses_come_from_the_ontology(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    graph = Graph().parse(CASES_DIR / "ok-initiative-acts.ttl", format="turtle")
    assert validate(graph).conforms
    assert not validate(graph, ontology_path=empty).conforms


def test_validate_custom_shapes_file(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kg: <https://w3id.org/kg-geotech/ontology#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass kg:Country ; sh:property\n"
        "  [ sh:path kg:demonym ; sh:minCount 1 ; sh:message \"kg:demonym: needed\" ] .\n",
        encoding="utf-8",
    )
    graph = Graph().parse(CASES_DIR / "ok-small-build.ttl", format="turtle")
    report = validate(graph, shapes_path=shapes)
    assert {r.focus_node.rsplit("/", 1)[-1] for r in report.results} == {"freedonia"}


def test_validate_dataset_is_validated_as_a_union():
    dataset = Dataset()
    named = dataset.graph(URIRef("urn:kg:doc-1"))
    named.parse(CASES_DIR / "fail-claim-no-speaker.ttl", format="turtle")
    report = validate(dataset)
    assert not report.conforms
    assert {r.path for r in report.results} == {str(KG.speaker)}


def test_validate_every_relation_has_a_shape():
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    targeted = set(shapes.objects(None, SH.targetSubjectsOf))
    assert targeted == {KG[name] for name in PROPERTY_FAMILY}
    for shape in shapes.subjects(SH.targetSubjectsOf, None):
        name = shapes.value(shape, SH.targetSubjectsOf).n3(shapes.namespace_manager)
        messages = [str(m) for m in shapes.objects(shape, SH.message)]
        for prop in shapes.objects(shape, SH.property):
            messages.append(str(shapes.value(prop, SH.message)))
        assert messages and all(m.startswith(f"{name}:") for m in messages), name


@pytest.mark.parametrize("fmt, suffix", [
    ("turtle", ".ttl"), ("nt", ".nt"), ("json-ld", ".jsonld"), ("trig", ".trig"),
    ("nquads", ".nq"),
])
def test_validate_file_reads_each_format(tmp_path, fmt, suffix):
    source = Graph().parse(CASES_DIR / "ok-small-build.ttl", format="turtle")
    path = tmp_path / f"graph{suffix}"
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        named = dataset.graph(URIRef("urn:kg:build"))
        for triple in source:
            named.add(triple)
        dataset.serialize(path, format=fmt, encoding="utf-8")
    else:
        source.serialize(path, format=fmt, encoding="utf-8")
    assert len(read_graph(path)) == len(source)
    assert validate_file(path).conforms


def test_validate_file_reports_violations_of_a_folder(tmp_path):
    (tmp_path / "graph.ttl").write_text(
        (CASES_DIR / "fail-basedin-company.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = validate_file(tmp_path)
    assert not report.conforms
    assert [r.path for r in report.results] == [str(KG.basedIn)]


@pytest.mark.parametrize("name, content, reason", [
    ("missing.ttl", None, "no such file"),
    ("graph.xyz", "", "unknown RDF file suffix"),
    ("broken.ttl", "@prefix kg: <urn:x#> .\nkg:a kg:b", "cannot parse"),
    ("broken.jsonld", "{not json", "cannot parse"),
    ("broken.nt", "<urn:a> <urn:b> .\n", "cannot parse"),
])
def test_validate_file_unreadable_input_raises(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphReadError) as info:
        validate_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message


def test_validate_format_report_names_node_and_property():
    graph = Graph().parse(CASES_DIR / "fail-document-with-label.ttl", format="turtle")
    text = format_report(validate(graph))
    lines = text.splitlines()
    assert lines[0] == "Does not conform: 2 violations on 1 node."
    assert "kgr:doc-1" in lines
    assert any(line.strip().startswith("rdfs:label") for line in lines)
    assert any(line.strip().startswith("kg:sha256") and '"not-a-digest"' in line
               for line in lines)


def test_validate_format_report_conforming():
    assert format_report(ValidationReport(conforms=True)).startswith("Conforms")


def test_validate_format_report_keeps_unknown_iris_and_warnings():
    result = ValidationResult(
        focus_node="http://example.org/x", path="", message="odd", severity="Warning",
    )
    text = format_report(ValidationReport(conforms=False, results=(result,)))
    assert "<http://example.org/x>" in text
    assert "-  odd (Warning)" in text
