"""Tests for ``kg eval --by-doc``: per-story figures from the graph's reified provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli.app import app
from kg.evaluation.score import DocScore, GoldSet, evaluate, format_by_doc, load_gold

PREFIXES = """\
@prefix kg: <https://w3id.org/kg-geotech/ontology#> .
@prefix kgr: <https://w3id.org/kg-geotech/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""

# Four asserted triples: bans (evidence in alpha and beta), sanctions (beta, whose
# file name carries a folder), owns (alpha) and basedIn (no provenance at all).
# The negated statements, in gamma, assert nothing.
GRAPH = PREFIXES + """
kgr:ruritania a kg:Country ; rdfs:label "Ruritania" ; kg:bans kgr:acme .
kgr:borduria a kg:Country ; rdfs:label "Borduria" ; kg:sanctions kgr:zenda .
kgr:acme a kg:Company ; rdfs:label "Acme Phones" ; kg:owns kgr:zenda .
kgr:zenda a kg:Company ; rdfs:label "Zenda Telecom" ; kg:basedIn kgr:borduria .

kgr:doc-a a kg:Document ; kg:fileName "alpha.txt" .
kgr:doc-b a kg:Document ; kg:fileName "news/beta.txt" .
kgr:doc-c a kg:Document ; kg:fileName "gamma.txt" .
kgr:ev-a1 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-a .
kgr:ev-a2 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-a .
kgr:ev-b1 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-b .
kgr:ev-b2 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-b .
kgr:ev-c1 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-c .
kgr:ev-c2 a kg:Evidence ; prov:wasDerivedFrom kgr:doc-c .

kgr:stmt-bans a rdf:Statement ; rdf:subject kgr:ruritania ; rdf:predicate kg:bans ;
    rdf:object kgr:acme ; kg:polarity "positive" ; kg:evidence kgr:ev-a1 , kgr:ev-b1 .
kgr:stmt-sanctions a rdf:Statement ; rdf:subject kgr:borduria ; rdf:predicate kg:sanctions ;
    rdf:object kgr:zenda ; kg:polarity "positive" ; kg:evidence kgr:ev-b2 .
kgr:stmt-owns a rdf:Statement ; rdf:subject kgr:acme ; rdf:predicate kg:owns ;
    rdf:object kgr:zenda ; kg:evidence kgr:ev-a2 .
kgr:stmt-not-bans a kg:NegatedStatement ; rdf:subject kgr:borduria ; rdf:predicate kg:bans ;
    rdf:object kgr:acme ; kg:polarity "negative" ; kg:evidence kgr:ev-c1 .
kgr:stmt-not-again a rdf:Statement ; rdf:subject kgr:ruritania ; rdf:predicate kg:bans ;
    rdf:object kgr:acme ; kg:polarity "negative" ; kg:evidence kgr:ev-c2 .
"""

ENTITIES = [
    {"id": "Ruritania", "type": "Country", "names": ["Ruritania"]},
    {"id": "Borduria", "type": "Country", "names": ["Borduria"]},
    {"id": "Acme", "type": "Company", "names": ["Acme Phones"]},
    {"id": "Zenda", "type": "Company", "names": ["Zenda Telecom"]},
]

FACTS = [
    {"doc": "alpha.txt", "s": "Ruritania", "p": ["bans"], "o": "Acme", "required": True},
    {"doc": "alpha.txt", "s": "Borduria", "p": ["sanctions"], "o": "Zenda", "required": True},
    {"doc": "alpha.txt", "s": "Acme", "p": ["owns"], "o": "Zenda", "neg": True},
    {"doc": "alpha.txt", "s": "Acme", "p": ["states"], "o": {"claim": "x"}, "required": True},
    {"doc": "beta.txt", "s": "Ruritania", "p": ["bans"], "o": "Acme", "required": True},
    {"doc": "beta.txt", "s": "Zenda", "p": ["basedIn"], "o": "Borduria", "required": True},
    {"doc": "beta.txt", "s": "Borduria", "p": ["sanctions"], "o": "Zenda"},
    {"doc": "beta.txt", "s": "Borduria", "p": ["bans"], "o": "Zenda", "required": True},
]

# (required, found, emitted, correct) per story:
# alpha: both required facts are found (sanctions by beta's triple); of its triples,
#   bans states its fact, owns only a negative one. The states fact is not scored.
# beta: bans and basedIn found (basedIn by a triple with no evidence), Borduria bans
#   Zenda missed; bans and the optional sanctions fact are its correct triples.
# gamma: only negated statements; delta: an empty story.
EXPECTED = {"alpha.txt": (2, 2, 2, 1), "beta.txt": (3, 2, 2, 2), "delta.txt": (0, 0, 0, 0),
            "gamma.txt": (0, 0, 0, 0)}

runner = CliRunner()


def write_set(folder: Path) -> Path:
    """Writes the gold set (four stories in docs/) and returns its folder."""
    (folder / "docs").mkdir(parents=True)
    for name in ("alpha.txt", "beta.txt", "gamma.txt", "delta.txt"):
        (folder / "docs" / name).write_text("A story.\n", encoding="utf-8")
    (folder / "docs" / ".hidden").write_text("not a story\n", encoding="utf-8")
    for name, rows in {"entities.jsonl": ENTITIES, "gold.jsonl": FACTS}.items():
        text = "".join(json.dumps(row) + "\n" for row in rows)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def counts(rows: tuple[DocScore, ...]) -> dict[str, tuple[int, int, int, int]]:
    return {row.doc: (row.required, row.found, row.emitted, row.correct) for row in rows}


@pytest.fixture()
def gold(tmp_path: Path) -> GoldSet:
    return load_gold(write_set(tmp_path / "gold"))


def test_by_doc_load_gold_lists_every_story(gold: GoldSet) -> None:
    assert gold.docs == ("alpha.txt", "beta.txt", "delta.txt", "gamma.txt")


def test_by_doc_counts(gold: GoldSet) -> None:
    report = evaluate(rdflib.Graph().parse(data=GRAPH, format="turtle"), gold, by_doc=True)
    assert report.by_doc is not None
    assert counts(report.by_doc) == EXPECTED
    assert sum(row.found for row in report.by_doc) == report.counts["required_found"] == 4
    assert sum(row.required for row in report.by_doc) == report.counts["required"] == 5


def test_by_doc_figures(gold: GoldSet) -> None:
    report = evaluate(rdflib.Graph().parse(data=GRAPH, format="turtle"), gold, by_doc=True)
    rows = {row.doc: row for row in report.by_doc or ()}
    assert (rows["alpha.txt"].precision, rows["alpha.txt"].recall) == (0.5, 1.0)
    assert rows["alpha.txt"].f1 == pytest.approx(2 / 3)
    assert (rows["beta.txt"].precision, rows["beta.txt"].recall) == (1.0, pytest.approx(2 / 3))
    assert (rows["gamma.txt"].precision, rows["gamma.txt"].recall, rows["gamma.txt"].f1) == (
        0.0, 0.0, 0.0)


def test_by_doc_off_by_default(gold: GoldSet) -> None:
    report = evaluate(rdflib.Graph().parse(data=GRAPH, format="turtle"), gold)
    assert report.by_doc is None and "by_doc" not in report.to_json()
    assert format_by_doc(report) == ""


def test_by_doc_stories_named_only_by_facts(tmp_path: Path) -> None:
    """Without docs/, the rows are the documents the facts name."""
    folder = write_set(tmp_path / "gold")
    for story in (folder / "docs").iterdir():
        story.unlink()
    (folder / "docs").rmdir()
    report = evaluate(rdflib.Graph().parse(data=GRAPH, format="turtle"), load_gold(folder),
                      by_doc=True)
    assert counts(report.by_doc or ()) == {"alpha.txt": (2, 2, 2, 1), "beta.txt": (3, 2, 2, 2)}


def test_by_doc_empty_gold_set() -> None:
    report = evaluate(rdflib.Graph().parse(data=GRAPH, format="turtle"), GoldSet((), ()),
                      by_doc=True)
    assert report.by_doc == ()
    assert format_by_doc(report).splitlines()[-1].split() == [
        "all", "stories", "0", "0", "0", "0", "0.000", "0.000", "0.000"]


def test_by_doc_dataset_provenance_in_named_graph(gold: GoldSet) -> None:
    """Statements, evidence and documents kept in a named graph of a dataset count too."""
    dataset = rdflib.Dataset()
    facts = dataset.graph(rdflib.URIRef("urn:x:facts"))
    provenance = dataset.graph(rdflib.URIRef("urn:x:provenance"))
    for s, p, o in rdflib.Graph().parse(data=GRAPH, format="turtle"):
        kind = str(s).rsplit("/", 1)[-1].split("-")[0]
        (provenance if kind in {"stmt", "ev", "doc"} else facts).add((s, p, o))
    assert len(provenance) > 20 and len(facts) > 10
    report = evaluate(dataset, gold, by_doc=True)
    assert counts(report.by_doc or ()) == EXPECTED


def test_by_doc_cli_table(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "gold")
    graph = tmp_path / "graph.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    result = runner.invoke(app, ["eval", str(folder), "--graph", str(graph), "--by-doc"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "required facts found 4/5; system triples correct 3/4" in result.stdout
    table = lines[lines.index("## by document") + 1:]
    assert table[0].split() == ["doc", "required", "found", "emitted", "correct", "P", "R", "F1"]
    assert table[1].split() == ["alpha.txt", "2", "2", "2", "1", "0.500", "1.000", "0.667"]
    assert table[2].split() == ["beta.txt", "3", "2", "2", "2", "1.000", "0.667", "0.800"]
    assert [row.split()[0] for row in table[3:5]] == ["delta.txt", "gamma.txt"]
    assert table[5].split() == ["all", "stories", "5", "4", "4", "3", "0.750", "0.800", "0.774"]


def test_by_doc_cli_json(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "gold")
    graph = tmp_path / "graph.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    result = runner.invoke(app, ["eval", str(folder), "--graph", str(graph), "--json",
                                 "--by-doc"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["by_doc"]
    assert {r["doc"]: (r["required"], r["found"], r["emitted"], r["correct"])
            for r in rows} == EXPECTED
    assert set(rows[0]) == {"doc", "required", "found", "emitted", "correct", "precision",
                            "recall", "f1"}
    result = runner.invoke(app, ["eval", str(folder), "--graph", str(graph), "--json"])
    assert result.exit_code == 0 and "by_doc" not in json.loads(result.stdout)
    result = runner.invoke(app, ["eval", str(folder), "--graph", str(graph)])
    assert "## by document" not in result.stdout
