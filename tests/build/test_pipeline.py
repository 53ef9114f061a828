"""End-to-end tests for kg.build.pipeline.build with the real spaCy model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph
from rdflib.compare import isomorphic

from kg.build.pipeline import BuildError, build
from kg.datatypes import BuildOptions
from kg.vocab import KG

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_34bce72a55b3839a.txt"
RAPPER = Path("/usr/bin/rapper")
OUTPUTS = ("graph.ttl", "provenance.trig", "graph.html", "validation.txt", "provenance.nq",
           "graph.jsonld", "graph.graphml")
STORE = "graph.oxigraph"
PREFIXES = """
PREFIX kg:   <https://w3id.org/kg-geotech/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="module")
def built(seed_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return build(BuildOptions([seed_dir], out)), out


@pytest.fixture(scope="module")
def graph(built):
    return Graph().parse(built[1] / "graph.ttl", format="turtle")


def _ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(PREFIXES + query).askAnswer)


def test_pipeline_writes_outputs(built):
    result, out = built
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / STORE / "kg-stamp.json").is_file()
    assert {Path(p).name for p in result.stats.outputs.values()} == {*OUTPUTS, STORE}
    assert result.stats.documents == 1
    assert result.stats.warnings == []


def test_pipeline_graph_parses_with_rdflib(built, graph):
    assert len(graph) > 100
    assert len(graph) == len(built[0].graph)


@pytest.mark.skipif(not RAPPER.exists(), reason="raptor's rapper is not installed")
def test_pipeline_graph_parses_with_rapper(built):
    done = subprocess.run([str(RAPPER), "-i", "turtle", "-c", str(built[1] / "graph.ttl")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_pipeline_provenance_parses_as_trig(built):
    ds = Dataset()
    ds.parse(built[1] / "provenance.trig", format="trig")
    named = [g for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier]
    assert len(named) == 1
    assert (None, KG.bans, None) in named[0]


def test_pipeline_card_united_states_bans_tiktok(graph):
    assert _ask(graph, """ASK {
        ?us rdfs:label "United States" . ?app rdfs:label "TikTok" .
        ?us kg:bans ?app . }""")


def test_pipeline_card_huawei_denies_access_claim(graph):
    assert _ask(graph, """ASK {
        ?h rdfs:label "Huawei" ; kg:denies ?c .
        ?c a kg:Claim ; kg:text ?text .
        FILTER(CONTAINS(LCASE(STR(?text)), "access")) }""")


def test_pipeline_card_countries_join_clean_network(graph):
    assert _ask(graph, """ASK {
        ?group rdfs:label ?name ; kg:joins ?net .
        ?net rdfs:label "Clean Network" .
        FILTER(CONTAINS(?name, "30") && CONTAINS(LCASE(?name), "countries")) }""")


def test_pipeline_negated_act_is_not_plain(graph):
    # "we have not and will not ask companies to ..." is read, but only as negated
    assert _ask(graph, """ASK {
        ?st a kg:NegatedStatement ; rdf:predicate kg:pressures ; rdf:subject ?s .
        ?s rdfs:label ?who . FILTER(?who IN ("China", "Wang Yi")) }""")
    assert not _ask(graph, """ASK {
        ?s kg:pressures ?o . ?s rdfs:label ?who . ?o a ?cls .
        FILTER(?who IN ("China", "Wang Yi"))
        FILTER(?cls IN (kg:CompanyGroup, kg:CountryGroup)) }""")


def test_pipeline_no_negated_statement_is_plain(graph):
    assert not _ask(graph, """ASK {
        ?st a kg:NegatedStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        ?s ?p ?o . }""")


def test_pipeline_report_conforms(built):
    result, out = built
    assert result.report.conforms, result.report.text
    assert result.stats.violations == 0
    assert "Conforms: True" in (out / "validation.txt").read_text(encoding="utf-8")


def test_pipeline_stats_match_graph(built, graph):
    stats = built[0].stats
    claims = set(graph.subjects(RDF.type, KG.Claim))
    assert stats.claims == len(claims) > 0
    negated = list(graph.subjects(RDF.type, KG.NegatedStatement))
    assert stats.negated == len(negated) > 0


@pytest.mark.parametrize("call", [lambda o: build(o.sources), lambda o: build(str(o.out))])
def test_pipeline_build_takes_only_build_options(call, tmp_path):
    with pytest.raises(TypeError, match="BuildOptions"):
        call(BuildOptions([tmp_path], tmp_path / "out"))


def test_pipeline_empty_folder_raises(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(BuildError, match="nothing to build") as info:
        build(BuildOptions([empty], tmp_path / "out"))
    assert str(empty) in str(info.value)
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_pipeline_bad_files_become_warnings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = build(BuildOptions([folder], tmp_path / "out"))
    assert result.stats.documents == 1
    warnings = "\n".join(result.stats.warnings)
    assert "empty.txt" in warnings and "empty" in warnings.split("empty.txt", 1)[1]
    assert "blob.txt" in warnings and "binary" in warnings
    assert result.report.conforms


def test_pipeline_build_is_deterministic(built, seed_dir, tmp_path):
    again = build(BuildOptions([seed_dir], tmp_path / "again"))
    first = Graph().parse(built[1] / "graph.ttl", format="turtle")
    second = Graph().parse(tmp_path / "again" / "graph.ttl", format="turtle")
    assert isomorphic(first, second)
    assert isomorphic(built[0].graph, again.graph)
    for name in ("graph.ttl", "provenance.trig"):
        assert (built[1] / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def _build_in_process(sources: Path, out: Path, hash_seed: str) -> None:
    code = ("import sys; from pathlib import Path; from kg.build.pipeline import build; "
            "from kg.datatypes import BuildOptions; "
            "build(BuildOptions([Path(sys.argv[1])], Path(sys.argv[2])))")
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", code, str(sources), str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_pipeline_deterministic_across_processes(built, seed_dir, tmp_path):
    _build_in_process(seed_dir, tmp_path / "other", "12345")
    for name in ("graph.ttl", "provenance.trig"):
        assert (built[1] / name).read_bytes() == (tmp_path / "other" / name).read_bytes(), name


def test_pipeline_every_file_stable_across_processes_with_several_documents(tmp_path):
    corpus = ROOT / "tests" / "data" / "query_corpus"
    for seed in ("1", "2"):
        _build_in_process(corpus, tmp_path / seed, seed)
    for name in ("graph.ttl", "provenance.trig", "provenance.nq", "graph.jsonld",
                 "graph.graphml", "graph.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


HTML_GRAPH = """\
@prefix kg: <https://w3id.org/kg-geotech/ontology#> .
@prefix kgr: <https://w3id.org/kg-geotech/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kgr:a a kg:Company ; rdfs:label "Orbital" ; skos:altLabel "ORBITAL", "orbital", "OrBiTaL" .
kgr:b a kg:Company ; rdfs:label "Zeta Labs" ; skos:altLabel "zeta labs", "ZETA LABS" .
kgr:c a kg:Country ; rdfs:label "Freedonia" ; skos:altLabel "FREEDONIA", "freedonia" .
kgr:a kg:sues kgr:b .
"""


def test_pipeline_html_stable_across_processes(tmp_path):
    source = tmp_path / "g.ttl"
    source.write_text(HTML_GRAPH, encoding="utf-8")
    code = ("import sys; from rdflib import Graph; from kg.export.html import render_html; "
            "sys.stdout.write(render_html(Graph().parse(sys.argv[1], format='turtle')))")
    pages = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        done = subprocess.run([sys.executable, "-c", code, str(source)], cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True)
        pages.add(done.stdout)
    assert len(pages) == 1


def test_pipeline_same_file_name_in_two_folders(tmp_path):
    for sub, text in (("a", "Freedonia Acts\n\nFreedonia banned TikTok last week.\n"),
                      ("b", "Sylvania Acts\n\nThe United States sanctioned Huawei on Monday.\n")):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "news.txt").write_text(text, encoding="utf-8")
    result = build(BuildOptions([tmp_path / "in"], tmp_path / "out"))
    assert result.stats.documents == 2
    assert len(set(result.graph.subjects(RDF.type, KG.Document))) == 2
    assert result.report.conforms, result.report.text
