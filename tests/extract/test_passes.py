"""Tests for extraction as passes: kg.extract.extract_document, kg.extract.reading,
kg.extract.coref.read_subject_chain.

Each pass reads the document through a Reading whose known facts are values;
these tests check that the facts flow forward and never leak backwards or
between documents.
"""

from __future__ import annotations

import dataclasses

import pytest

from kg.build.ingest import clean_text
from kg.build.nlp import sentence_case_headline
from kg.extract import PASSES, extract_document
from kg.extract.coref import read_subject_chain
from kg.extract.entities import extract_mentions
from kg.extract.reading import Act, Known, Reading
from kg.gazetteer import load_gazetteer
from kg.lexicon import load_lexicon, verb_words


@pytest.fixture(scope="module")
def read(nlp):
    """Text in, (spaCy Doc, a fresh Reading of it with its mentions) out."""
    gaz, lex = load_gazetteer(), load_lexicon()

    def run(text: str):
        source = clean_text(text, "passes.txt")
        doc = nlp(sentence_case_headline(source.text, verb_words(lex)))
        return doc, Reading(doc, source, extract_mentions(doc, gaz, lex), gaz, lex)

    return run


def test_passes_known_facts_are_frozen():
    known = Known()
    with pytest.raises(dataclasses.FrozenInstanceError):
        known.relations = ()  # type: ignore[misc]


def test_passes_knowing_leaves_the_earlier_reading_unchanged(read):
    _, reading = read("The United States banned TikTok.")
    act = Act(0, "bans", reading.index.mentions[0], reading.index.mentions[1], True)
    later = reading.knowing(acts=(act,))
    assert later.act_log == (act,) and reading.act_log == ()
    assert later.memo is reading.memo  # one document, one memo
    later.record_acts([act])
    assert later.act_log == (act, act) and reading.new_acts == []


def test_passes_subject_chain_lists_subjects_in_text_order(read):
    _, reading = read("The United States banned TikTok. China condemned the ban. "
                      "It said the move was unfair.")
    chain = read_subject_chain(reading).subject_chain
    assert [m.label for _, m in chain] == ["United States", "China", "China"]
    assert [i for i, _ in chain] == sorted(i for i, _ in chain)
    assert reading.subject_chain == ()  # the pass returned a new reading


def test_passes_reactions_see_acts_of_earlier_passes(extract):
    # a reaction with no object answers the act an earlier pass read against it
    result = extract("The United States sanctioned China. "
                     "Beijing expressed strong dissatisfaction.")
    found = {(rc.subject.label, rc.predicate, rc.obj.label, rc.evidence.rule_id)
             for rc in result.relations}
    assert ("United States", "sanctions", "China", "verb:sanction") in found
    assert ("China", "opposes", "United States", "reaction:express") in found


def test_passes_claims_are_numbered_in_the_order_read(extract):
    result = extract("Huawei denied that it spied for Beijing. "
                     "ZTE said that it follows the law.")
    keys = [c.key for c in result.claims]
    assert keys == [f"test.txt#claim{n}" for n in range(1, len(keys) + 1)] and keys


def test_passes_same_document_twice_gives_the_same_extraction(read):
    doc, reading = read("Britain excluded Huawei from its 5G network. China protested. "
                        "It said the decision hurt Chinese companies.")
    first = extract_document(doc, reading.source, reading.gaz, reading.lex)
    second = extract_document(doc, reading.source, reading.gaz, reading.lex)
    assert first == second and first.relations


def test_passes_run_structure_first():
    # nationalities and offices must be known before acts are read
    names = [[extract.__name__ for extract in step] for step in PASSES]
    assert names[0] == ["extract_structural"]
    assert "extract_relations" in names[1] and names[-1] == ["extract_reactions"]
