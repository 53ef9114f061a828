"""Tests for kg.build.nlp: the model, spun name variants and the gazetteer entity ruler."""

from __future__ import annotations

import pytest
import spacy

from kg.build.nlp import (
    MAX_VARIANTS,
    RULER_NAME,
    build_nlp,
    gazetteer_patterns,
    load_model,
    spun_variants,
)
from kg.gazetteer import GazetteerEntry

KGR = "https://w3id.org/kg-geotech/resource/"
SYNONYMS = {
    "clean": ("clear",),
    "network": ("community", "neighborhood"),
    "chinese": ("chinese language",),
}


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _entry(label: str, *aliases: str, kind: str = "Country") -> GazetteerEntry:
    return GazetteerEntry(KGR + "e", kind, label, aliases, (), ())


def _patterns(blank, entry, synonyms=None) -> list[list[dict]]:
    return [p["pattern"] for p in gazetteer_patterns(blank, entry, synonyms or {})]


def test_nlp_load_model_has_parser_and_ner():
    model = load_model()
    assert {"parser", "ner"} <= set(model.pipe_names)
    assert model.lang == "en"


def test_nlp_build_nlp_puts_ruler_before_ner(nlp):
    names = nlp.pipe_names
    assert RULER_NAME in names
    assert names.index(RULER_NAME) < names.index("ner")


def test_nlp_spun_variants_word_with_synonyms():
    variants = list(spun_variants(["Clean", "Network"], SYNONYMS))
    assert variants[0] == ["Clean", "Network"]  # the name as written comes first
    assert len(variants) == 2 * 3
    assert ["clear", "community"] in variants
    assert ["Clean", "neighborhood"] in variants


def test_nlp_spun_variants_multiword_synonym():
    variants = list(spun_variants(["Chinese", "Embassy"], SYNONYMS))
    assert variants == [["Chinese", "Embassy"], ["chinese", "language", "Embassy"]]


def test_nlp_spun_variants_without_synonyms_is_the_name():
    assert list(spun_variants(["Tik", "Tok"], SYNONYMS)) == [["Tik", "Tok"]]


def test_nlp_spun_variants_capped():
    words = ["network"] * 6  # 3 ** 6 combinations
    variants = list(spun_variants(words, SYNONYMS))
    assert len(variants) == MAX_VARIANTS
    assert variants[0] == words
    assert len({tuple(v) for v in variants}) == MAX_VARIANTS


@pytest.mark.parametrize(("alias", "pattern"), [
    ("US", [{"ORTH": "US"}]),
    ("ZTE", [{"ORTH": "ZTE"}]),
    ("NATO", [{"ORTH": "NATO"}]),
    ("U.S.", [{"ORTH": "U.S."}]),
    ("ASEAN", "ASEAN"),  # five letters: no pronoun risk, a phrase matched in any case
    ("Huawei", "Huawei"),
    ("TikTok", "TikTok"),
    ("United States", "United States"),
    ("Bharti Airtel", "Bharti Airtel"),
])
def test_nlp_gazetteer_patterns_case(blank, alias, pattern):
    assert _patterns(blank, _entry(alias)) == [pattern]


def test_nlp_gazetteer_patterns_carry_type_and_iri(blank):
    entry = GazetteerEntry(KGR + "acme", "Company", "Acme", ("ACM",), (), ())
    patterns = list(gazetteer_patterns(blank, entry, {}))
    assert len(patterns) == 2
    assert all(p["label"] == "Company" and p["id"] == KGR + "acme" for p in patterns)


def test_nlp_gazetteer_patterns_spun_and_deduplicated(blank):
    entry = _entry("Clean Network", "clean network", "CLEAN NETWORK", kind="Initiative")
    patterns = _patterns(blank, entry, SYNONYMS)
    # the three spellings fold into one case-blind phrase, then 2 * 3 spun variants
    assert len(patterns) == 6
    assert "clear community" in patterns


def test_nlp_gazetteer_patterns_short_caps_not_spun(blank):
    patterns = _patterns(blank, _entry("CN"), {"cn": ("china",)})
    assert patterns == [[{"ORTH": "CN"}]]


@pytest.mark.parametrize(("text", "surface", "iri"), [
    ("Last week the U.S. banned the app.", "U.S.", "united-states"),
    ("US officials met on Monday.", "US", "united-states"),
    ("Officials in Washington disagreed.", "Washington", "united-states"),
    ("Huawei Technologies replied at once.", "Huawei Technologies", "huawei"),
])
def test_nlp_build_nlp_tags_gazetteer_names(nlp, text, surface, iri):
    doc = nlp(text)
    ents = {e.text: e for e in doc.ents}
    assert surface in ents, [(e.text, e.label_) for e in doc.ents]
    assert ents[surface].ent_id_ == KGR + iri
    assert ents[surface].label_ == ("Country" if iri == "united-states" else "Company")


@pytest.mark.parametrize(("text", "surface", "iri"), [
    ("Support for the CLEAN NETWORK grew.", "CLEAN NETWORK", "clean-network"),
    ("Shares of BHARTI AIRTEL rose.", "BHARTI AIRTEL", "bharti-airtel"),
    ("shares of bharti airtel rose.", "bharti airtel", "bharti-airtel"),
])
def test_nlp_build_nlp_phrase_patterns_match_in_any_case(nlp, text, surface, iri):
    found = {e.ent_id_ for e in nlp(text).ents if surface in e.text}
    assert found == {KGR + iri}


def test_nlp_build_nlp_spun_multiword_variant_matches(nlp):
    from kg.build.nlp import RULER_NAME as name

    phrases = [p["pattern"] for p in nlp.get_pipe(name).patterns if isinstance(p["pattern"], str)]
    spun = next(p for p in phrases if " language " in f" {p} " and p.lower().startswith("chinese"))
    doc = nlp(f"Officials from the {spun} spoke on Monday.")
    assert spun in [e.text for e in doc.ents if e.ent_id_]


@pytest.mark.parametrize("text", [
    "Please join us at the meeting.",
    "They asked us to wait.",
    "Let us begin.",
])
def test_nlp_build_nlp_pronoun_us_not_tagged(nlp, text):
    doc = nlp(text)
    us = [t for t in doc if t.lower_ == "us"][0]
    assert us.ent_type_ == ""
    assert not [e for e in doc.ents if e.ent_id_ == KGR + "united-states"]


@pytest.mark.parametrize(("headline", "expected"), [
    ("Britain Bans Huawei From Its Networks\n\nBody.",
     "Britain bans Huawei from its Networks\n\nBody."),
    ("India Blocks 59 Chinese Apps", "India blocks 59 Chinese Apps"),
    ("A plain sentence about Huawei.", "A plain sentence about Huawei."),  # not Title Case
])
def test_nlp_sentence_case_headline(headline, expected):
    from kg.build.nlp import sentence_case_headline
    from kg.lexicon import load_lexicon, verb_words

    out = sentence_case_headline(headline, verb_words(load_lexicon()))
    assert out == expected
    assert len(out) == len(headline)  # offsets stay valid
