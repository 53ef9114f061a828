"""Fixtures for the extractor tests: the real model with the project gazetteer."""

from __future__ import annotations

import pytest

from kg.build.ingest import clean_text
from kg.build.nlp import build_nlp, sentence_case_headline
from kg.extract import extract_document
from kg.gazetteer import load_gazetteer
from kg.lexicon import load_lexicon, verb_words


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """Text in, DocExtraction out, through ingest, the model and every extractor."""

    def run(text: str, doc_id: str = "test.txt"):
        source = clean_text(text, doc_id)
        lex = load_lexicon()
        doc = nlp(sentence_case_headline(source.text, verb_words(lex)))
        return extract_document(doc, source, load_gazetteer(), lex)

    return run


@pytest.fixture(scope="session")
def facts(extract):
    """Text in, the set of (subject, property, object) label triples out.

    Negated or hedged relations come out with a "not " / "maybe " prefix on
    the property so tests can tell them apart from positive ones.
    """

    def run(text: str) -> set[tuple[str, str, str]]:
        out = set()
        for rc in extract(text).relations:
            obj = rc.obj.label if hasattr(rc.obj, "label") else "CLAIM:" + rc.obj.text
            prop = rc.predicate
            if rc.polarity == "negative":
                prop = "not " + prop
            elif rc.modality == "hedged":
                prop = "maybe " + prop
            out.add((rc.subject.label, prop, obj))
        return out

    return run
