"""Resolution across documents through the real pipeline: one node per entity."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS

from kg.build.pipeline import build
from kg.datatypes import BuildOptions
from kg.lexicon import CLASSES
from kg.vocab import KG


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory):
    src = tmp_path_factory.mktemp("docs")
    (src / "a.txt").write_text(
        "Ottawa fines Zentrix Robotics\n\nCanada fined Zentrix Robotics Inc on Monday. "
        "The U.K. banned Bytedance's TikTok.\n", encoding="utf-8")
    (src / "b.txt").write_text(
        "Zentrix Foods wins contract\n\nZentrix Robotics said Britain had banned ByteDance's "
        "app. Zentrix Foods, a separate firm, won a contract in Canada.\n", encoding="utf-8")
    return build(BuildOptions([src], tmp_path_factory.mktemp("out"), min_confidence=0.0)).graph


def nodes_named(graph, text):
    claims = set(graph.subjects(RDF.type, KG.Claim))
    return {s for s, o in graph.subject_objects(RDFS.label)
            if text.lower() in str(o).lower() and s not in claims}


@pytest.mark.parametrize("name", ["United Kingdom", "ByteDance", "Canada"])
def test_resolution_aliases_make_one_node(corpus_graph, name):
    assert len(nodes_named(corpus_graph, name)) == 1


def test_resolution_corporate_suffix_merges_across_documents(corpus_graph):
    robotics = nodes_named(corpus_graph, "Zentrix Robotics")
    assert len(robotics) == 1


def test_resolution_shared_word_does_not_merge(corpus_graph):
    robotics = nodes_named(corpus_graph, "Zentrix Robotics")
    foods = nodes_named(corpus_graph, "Zentrix Foods")
    assert foods and robotics and not foods & robotics


def test_resolution_every_entity_is_typed(corpus_graph):
    entities = nodes_named(corpus_graph, "")  # every labelled node but the claims
    labels = {str(corpus_graph.value(node, RDFS.label)) for node in entities}
    assert {"Zentrix Robotics", "Zentrix Foods", "Canada", "ByteDance", "United Kingdom"} <= labels
    for node in entities:
        types = {str(t).removeprefix(str(KG)) for t in corpus_graph.objects(node, RDF.type)}
        assert types and types <= CLASSES, (node, sorted(types))
