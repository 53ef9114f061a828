"""kg.validate.shacl: SHACL validation of builds, file reading and the text report.

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
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.datatypes import ValidationReport, ValidationResult
from kg.resources import ontology_file
from kg.validate.fast import OverlayStore, flatten_property_shapes
from kg.validate.shacl import (
    GraphReadError,
    format_report,
    read_graph,
    validate,
    validate_file,
    validate_plain,
)
from kg.vocab import KG, PROPERTY_FAMILY

KGSH = Namespace("https://w3id.org/kg-geotech/shapes#")

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


# --- the fast path (kg.validate.fast) gives the plain pySHACL call's report ---

_PREFIXES = "".join(
    f"@prefix {p}: <{n}> .\n" for p, n in [
        ("kg", "https://w3id.org/kg-geotech/ontology#"),
        ("kgr", "https://w3id.org/kg-geotech/resource/"),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("prov", "http://www.w3.org/ns/prov#"),
        ("sh", "http://www.w3.org/ns/shacl#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ]
)

# One violation of many kinds on top of a well-formed build (plus a warning).
_BROKEN = _PREFIXES + """
kgr:ev-bad a kg:Evidence ; prov:wasDerivedFrom kgr:doc-note ;
    kg:sentence "Acme shipped the parts late." ;
    kg:startChar 40 ; kg:endChar 12 ; kg:confidence 1.5 .
kgr:ev-orphan a kg:Evidence ; kg:sentence "No source for this one." .
kgr:stmt-bad a rdf:Statement ; rdf:subject kgr:acme ; rdf:predicate kg:admires ;
    rdf:object kgr:chatly ; rdfs:label "should not be here" .
kgr:stmt-twice a rdf:Statement , kg:Evidence ; rdf:subject kgr:acme ;
    rdf:predicate kg:supplies ; rdf:object kgr:freedonia ; kg:confidence "high" ;
    kg:evidence kgr:ev-1 ; prov:wasDerivedFrom kgr:doc-note ; kg:sentence "Acme supplies it." .
kgr:stmt-neg a kg:NegatedStatement ; rdf:subject kgr:acme ; rdf:predicate kg:sues ;
    rdf:object kgr:ruritania ; kg:polarity "negative" ; kg:evidence kgr:ev-1 .
kgr:claim-odd a kg:Claim , kg:Person ; kg:text "Prices will rise" , "Prices will fall" ;
    kg:sentence "Someone said prices will rise." .
kgr:doc-labelled a kg:Document ; rdfs:label "a label" ; kg:sha256 "NOT-HEX" .
kgr:twin a kg:Company ; rdfs:label "Twin One" , "Twin Two" ; owl:sameAs "Q42" ;
    skos:altLabel " " ; kg:acquires kgr:nowhere ; kg:basedIn kgr:acme .
kgr:fiber kg:bans kgr:chatly .
[] kg:supplies kgr:acme .
"""


def _broken_graph() -> Graph:
    graph = Graph().parse(CASES_DIR / "ok-small-build.ttl", format="turtle")
    return graph.parse(data=_BROKEN, format="turtle")


def _plain_pyshacl(graph: Graph) -> tuple[bool, set[tuple[str, str, str, str]], str]:
    """conforms, {(focus, path, severity, message)} and text of a direct pySHACL call."""
    import pyshacl

    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    conforms, report, text = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=Graph().parse(ontology_file("kg.ttl")),
        inference="none", advanced=False, allow_warnings=True,
    )
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        if path is None:  # node-level result: named after the relation its shape targets
            path = shapes.value(report.value(node, SH.sourceShape), SH.targetSubjectsOf)
        focus = report.value(node, SH.focusNode)
        found.add((
            focus.n3() if isinstance(focus, BNode) else str(focus),
            str(path or ""),
            str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            " / ".join(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
        ))
    return bool(conforms), found, text


def _text_blocks(text: str) -> tuple[str, Counter]:
    """pySHACL's text report as its header and the multiset of its result blocks."""
    header, _, body = text.partition("):\n")
    return header, Counter(re.split(r"\n(?=\S)", body.strip("\n")))


def test_validate_fast_path_equals_plain_pyshacl():
    graph = _broken_graph()
    conforms, expected, text = _plain_pyshacl(graph)
    report = validate(graph)
    got = {(r.focus_node, r.path, r.severity, r.message) for r in report.results}
    assert not conforms and report.conforms is False
    assert got == expected and len(got) >= 20
    assert {"Violation", "Warning"} <= {severity for _f, _p, severity, _m in got}
    assert _text_blocks(report.text) == _text_blocks(text)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_validate_shape_case_equals_plain_path(path):
    graph = Graph().parse(path, format="turtle")
    fast, plain = validate(graph), validate_plain(graph)
    assert (fast.conforms, fast.results) == (plain.conforms, plain.results)
    assert _text_blocks(fast.text) == _text_blocks(plain.text)


# Shapes where moving property shapes out of their node shape would be wrong:
# the fast path must leave them nested and still agree with the plain path.
_TRICKY_SHAPES = {
    "warning-node-shape": """
<urn:s> a sh:NodeShape ; sh:targetClass kg:Company ; sh:severity sh:Warning ;
    sh:property [ sh:path rdfs:label ; sh:maxCount 1 ] .""",
    "deactivated-node-shape": """
<urn:s> a sh:NodeShape ; sh:targetClass kg:Company ; sh:deactivated true ;
    sh:property [ sh:path rdfs:label ; sh:maxCount 1 ] .""",
    "node-shape-used-by-sh-node": """
<urn:s> a sh:NodeShape ; sh:targetClass kg:Company ;
    sh:property [ sh:path rdfs:label ; sh:maxCount 1 ] .
<urn:t> a sh:NodeShape ; sh:targetSubjectsOf kg:bans ;
    sh:property [ sh:path kg:bans ; sh:node <urn:s> ] .""",
    "shared-property-shape": """
<urn:p> a sh:PropertyShape ; sh:path kg:confidence ; sh:datatype xsd:decimal .
<urn:s> a sh:NodeShape ; sh:targetClass kg:Evidence ; sh:property <urn:p> .
<urn:t> a sh:NodeShape ; sh:targetClass rdf:Statement ; sh:property <urn:p> .""",
    "property-shape-with-own-target": """
<urn:p> a sh:PropertyShape ; sh:path rdfs:label ; sh:maxCount 1 ; sh:targetClass kg:Organization .
<urn:s> a sh:NodeShape ; sh:targetClass kg:Company ; sh:property <urn:p> .""",
    "node-shape-is-a-class": """
kg:Company a sh:NodeShape , rdfs:Class ; sh:property [ sh:path rdfs:label ; sh:maxCount 1 ] .""",
}


@pytest.mark.parametrize("name", sorted(_TRICKY_SHAPES))
def test_validate_custom_shapes_equal_plain_path(tmp_path, name):
    shapes = tmp_path / f"{name}.ttl"
    shapes.write_text(_PREFIXES + _TRICKY_SHAPES[name], encoding="utf-8")
    graph = _broken_graph()
    fast, plain = validate(graph, shapes_path=shapes), validate_plain(graph, shapes_path=shapes)
    assert (fast.conforms, fast.results) == (plain.conforms, plain.results)
    assert _text_blocks(fast.text) == _text_blocks(plain.text)


def test_validate_leaves_the_graph_unchanged():
    graph = _broken_graph()
    before, prefixes = set(graph), set(graph.namespaces())
    validate(graph)
    assert set(graph) == before and set(graph.namespaces()) == prefixes


def test_validate_text_shows_shapes_as_written():
    graph = Graph().parse(CASES_DIR / "fail-evidence-no-document.ttl", format="turtle")
    text = validate(graph).text
    assert "\tSource Shape: [ sh:class kg:Document ; sh:maxCount" in text
    assert "sh:targetClass" not in text  # the target given to the nested shape is not shown


def test_validate_fast_overlay_reads_both_and_writes_overlay():
    base = Graph().parse(data=_PREFIXES + "kgr:a kg:bans kgr:b . kgr:a kg:sues kgr:c .")
    overlay = Graph().parse(data=_PREFIXES + "kgr:a kg:bans kgr:b . kg:Company a owl:Class .")
    view = Graph(store=OverlayStore(base, overlay))
    assert len(view) == 3 and len(list(view.triples((None, None, None)))) == 3
    assert set(view.objects(KG.Company, RDF.type)) == {OWL.Class}
    view.add((KG.Company, RDFS.subClassOf, KG.Entity))
    assert len(base) == 2 and len(view) == 4
    with pytest.raises(NotImplementedError):
        view.remove((None, KG.sues, None))
    view.remove((KG.Company, None, None))
    assert len(view) == 2 and len(base) == 2


def test_validate_fast_flatten_moves_targets_to_property_shapes():
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    flat = flatten_property_shapes(shapes)
    assert not set(flat.objects(KGSH.EntityShape, SH.property))
    assert set(flat.objects(KGSH.EntityLabelCount, SH.targetClass)) == {KG.Entity}
    # shared by two node shapes: moved out of one, still nested in the other
    assert len(set(flat.objects(KGSH.ConfidenceValue, SH.targetClass))) == 1
    assert len(set(flat.subjects(SH.property, KGSH.ConfidenceValue))) == 1
    assert (KGSH.ClaimShape, SH["not"], None) in flat  # the node shape keeps its own constraints
    assert (KGSH.EntityShape, SH.property, KGSH.EntityLabelCount) in shapes  # original untouched
