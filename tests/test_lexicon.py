"""Tests for kg.lexicon: the project lexicon, its checks and its YAML handling."""

from __future__ import annotations

import re
from functools import cache

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from kg.errors import KgError
from kg.lexicon import CLASSES, PROPERTIES, LexiconError, load_lexicon, parse_lexicon
from kg.lexicon_schema import read_yaml
from kg.resources import ontology_file

KG = "https://w3id.org/kg-geotech/ontology#"


@cache
def _ontology_terms(kind) -> frozenset[str]:
    graph = Graph().parse(ontology_file("kg.ttl"), format="turtle")
    return frozenset(str(s).removeprefix(KG) for s in graph.subjects(RDF.type, kind)
                     if str(s).startswith(KG))


def _properties_named(lex) -> set[str]:
    """Every property name the loaded lexicon maps some word to."""
    named = {lex.list_verbs.get("property", "sanctions")}
    for verb in lex.verbs.values():
        named |= {verb.property} - {None}
        named |= set(verb.preps.values()) | set(verb.with_prep.values())
    named |= {n.property for n in lex.nominals.values()}
    named |= set(getattr(lex, "act_targeting", ()))
    named |= set(getattr(lex, "evaluations", {}).values())
    return named


def _write(tmp_path, text: str):
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_lexicon_project_file_loads():
    lex = load_lexicon()
    assert lex.verbs["ban"].property == "bans"
    assert lex.nominals["sanction"].property == "sanctions"
    assert "impose" in lex.light_verbs
    assert lex.speech_verbs and lex.deny_verbs and lex.negators


def test_lexicon_project_properties_are_in_ontology():
    properties = _ontology_terms(OWL.ObjectProperty)
    named = _properties_named(load_lexicon())
    assert len(named) > 10
    assert named <= properties, sorted(named - properties)


def test_lexicon_known_names_match_ontology():
    assert PROPERTIES <= _ontology_terms(OWL.ObjectProperty)
    assert CLASSES <= _ontology_terms(OWL.Class)


def test_lexicon_project_yaml_words_stay_strings():
    lex = load_lexicon()
    assert lex.verbs["sign"].preps["on"] == "joins"
    assert all(isinstance(p, str) for v in lex.verbs.values() for p in v.preps)
    assert "no" in lex.negators


def test_lexicon_yaml_boolean_words_stay_strings(tmp_path):
    path = _write(tmp_path, (
        "verbs:\n"
        "  sign: {preps: {on: joins, off: excludes}}\n"
        "negators: [no, not, never]\n"
        "light_verbs: [on, off, yes, true]\n"
    ))
    lex = parse_lexicon(path)
    assert lex.verbs["sign"].preps == {"on": "joins", "off": "excludes"}
    assert {"no", "not", "never"} == lex.negators
    assert {"on", "off", "yes", "true"} == lex.light_verbs


def test_lexicon_verb_entry_forms(tmp_path):
    path = _write(tmp_path, (
        "verbs:\n"
        "  outlaw: bans\n"
        "  prohibit: {property: bans, with_prep: {from: restricts}, confidence: 0.7}\n"
        "  shut: {property: excludes, particle: out}\n"
        "  label: {property: designatesAsThreat, complement: [threat, risk]}\n"
        "nominals:\n"
        "  embargo: {property: sanctions, preps: [on, against]}\n"
    ))
    lex = parse_lexicon(path)
    assert lex.verbs["outlaw"].property == "bans"
    assert lex.verbs["outlaw"].confidence == pytest.approx(0.8)  # the default
    assert lex.verbs["prohibit"].with_prep == {"from": "restricts"}
    assert lex.verbs["prohibit"].confidence == pytest.approx(0.7)
    assert lex.verbs["shut"].particle == "out"
    assert lex.verbs["label"].complement == frozenset({"threat", "risk"})
    assert lex.nominals["embargo"].preps == frozenset({"on", "against"})


@pytest.mark.parametrize(("text", "reason"), [
    ("verbs:\n  ban: prohibits\n", "unknown property 'prohibits'"),
    ("verbs:\n  sign: {preps: {onto: enlists}}\n", "unknown property 'enlists'"),
    ("nominals:\n  ban: {property: forbids}\n", "unknown property 'forbids'"),
    ("list_verbs: {property: lists}\n", "unknown property 'lists'"),
    ("verbs:\n  ban: bans\n  ban: blocks\n", "duplicate key 'ban'"),
    ("verbs:\n  ban: {property: bans, weight: 2}\n", "unknown keys ['weight']"),
    ("verbs:\n  ban: {confidence: 0.5}\n", "needs a property"),
    ("verbs:\n  ban: [bans]\n", "expected a property name or a mapping"),
    ("verbs:\n  ban: {property: bans, confidence: high}\n", "high"),
    ("nominals:\n  ban: {preps: [on]}\n", "needs a property"),
    ("collectives:\n  Nation: [countries]\n", "unknown class 'Nation'"),
    ("- ban\n- block\n", "expected a mapping at the top level"),
    ("", "expected a mapping at the top level"),
    ("verbs: [ban\n", ""),  # not YAML at all
])
def test_lexicon_bad_file_names_file(tmp_path, text, reason):
    path = _write(tmp_path, text)
    with pytest.raises(LexiconError, match=re.escape(str(path))) as info:
        parse_lexicon(path)
    assert reason in str(info.value)


@pytest.mark.parametrize("text", [
    "verbs:\n  sign: {preps: [on, onto]}\n",
    "nominals: [ban, embargo]\n",
    "list_verbs: [add, place]\n",
])
def test_lexicon_wrong_section_kind_names_file(tmp_path, text):
    path = _write(tmp_path, text)
    with pytest.raises(LexiconError, match=re.escape(str(path))):
        parse_lexicon(path)


def test_lexicon_error_is_kg_error_and_value_error():
    assert issubclass(LexiconError, KgError) and issubclass(LexiconError, ValueError)


def test_lexicon_yaml_error_is_one_line(tmp_path):
    path = _write(tmp_path, "verbs:\n  ban: [bans\n  block: bans\n")
    with pytest.raises(LexiconError, match=re.escape(str(path))) as info:
        parse_lexicon(path)
    assert "\n" not in str(info.value) and "line" in str(info.value)


@pytest.mark.parametrize(("text", "reason"), [
    ("collectives:\n  Nation: []\n", "collectives: unknown class 'Nation'"),
    ("owned_things:\n  chips: {class: Gadget, words: [chip]}\n",
     "owned_things: unknown class 'Gadget'"),
    ("relational_nouns:\n  ally: {property: befriends}\n",
     "relational_nouns.ally: unknown property 'befriends'"),
    ("evaluations:\n  praises: [laud]\n", "evaluations: unknown property 'praises'"),
    ("structure:\n  owner_verbs: [own]\n", "structure: unknown keys ['owner_verbs']"),
    ("business:\n  supply: 3\n", "business.supply: expected a list or a mapping"),
    ("verbs:\n  ban: {property: bans, by_object: {Company: forbids}}\n",
     "verbs.ban.by_object: unknown property 'forbids'"),
])
def test_lexicon_section_errors_name_place(tmp_path, text, reason):
    path = _write(tmp_path, text)
    with pytest.raises(LexiconError, match=re.escape(str(path))) as info:
        parse_lexicon(path)
    assert reason in str(info.value)


def test_lexicon_sections_become_tables(tmp_path):
    path = _write(tmp_path, (
        "collectives:\n  Country: [nations, States]\n"
        "owned_things:\n  chip: {class: Product, words: [chip, chipset]}\n"
        "portfolio_titles:\n  Ruritania: [Trade Minister]\n"
        "evaluations:\n  verbs: [call]\n  opposes: [unfair]\n"
        "deadlines:\n  verbs: [expire]\n  confidence: 1\n"
        "structure:\n  state_titles: [[Prime, Minister]]\n  rank_words: [Deputy]\n"
        "business:\n  supply: [Ship]\n  cut: {Off: Halts}\n"
    ))
    lex = parse_lexicon(path)
    assert lex.collectives == {"nations": "Country", "States": "Country"}
    assert lex.owned_things == {"chip": ("Product", "chip"), "chipset": ("Product", "chip")}
    assert lex.portfolio_titles == {"trade minister": "Ruritania"}
    assert lex.evaluation_verbs == {"call"} and lex.evaluations == {"unfair": "opposes"}
    assert lex.deadlines == {"verbs": frozenset({"expire"}), "confidence": 1.0}
    assert lex.state_titles == (("prime", "minister"),) and lex.rank_words == {"deputy"}
    assert lex.business == {"supply": frozenset({"ship"}), "cut": {"off": "halts"}}
    assert lex.light_verbs == frozenset() and lex.verbs == {}


# --- the `events` layout: category -> property -> verbs / nominals ---------------

SKOS = "http://www.w3.org/2004/02/skos/core#"
PLOVER = "https://github.com/openeventdata/PLOVER#"


def _plover_matches(graph: Graph, prop: str, relation: str) -> set[str]:
    """The PLOVER categories ``prop`` is linked to by skos ``relation`` in kg.ttl."""
    objs = graph.objects(URIRef(KG + prop), URIRef(SKOS + relation))
    return {str(o).removeprefix(PLOVER) for o in objs if str(o).startswith(PLOVER)}


def _expected_categories(graph: Graph, prop: str) -> set[str]:
    """closeMatch categories, else broadMatch, else relatedMatch; empty for none."""
    for relation in ("closeMatch", "broadMatch", "relatedMatch"):
        found = _plover_matches(graph, prop, relation)
        if found:
            return found
    return set()


def _project_events() -> dict:
    return read_yaml(ontology_file("lexicon.yaml").read_text(encoding="utf-8"))["events"]


def test_lexicon_events_grouped_by_plover_category():
    graph = Graph().parse(ontology_file("kg.ttl"), format="turtle")
    plover = {str(o).removeprefix(PLOVER) for o in graph.objects() if str(o).startswith(PLOVER)}
    placed = [(cat, prop) for cat, props in _project_events().items() for prop in props]
    assert len(placed) >= 15
    for category, prop in placed:
        expected = _expected_categories(graph, prop)
        if expected:
            assert category in expected, (prop, category, expected)
        else:  # no PLOVER category fits: it must not sit in one
            assert category not in plover, (prop, category)


def test_lexicon_events_place_each_property_once():
    placed = [prop for props in _project_events().values() for prop in props]
    assert len(placed) == len(set(placed))


def test_lexicon_events_flatten_to_entries(tmp_path):
    path = _write(tmp_path, (
        "events:\n"
        "  COERCE:  # CAMEO 17\n"
        "    bans:\n"
        "      verbs:\n"
        "        outlaw: {}\n"
        "        prohibit: {with_prep: {from: restricts}, confidence: 0.7}\n"
        "        block: {property: blocks}\n"
        "      nominals:\n"
        "        embargo: {preps: [on, against]}\n"
        "  ACCUSE:\n"
        "    opposes:\n"
        "      verbs:\n"
        "        be: {preps: {against: opposes}}\n"
        "        call: {property: designatesAsThreat, preps: {on: pressures}}\n"
        "        talk: {property: null, with_prep: {out: pressures}}\n"
    ))
    lex = parse_lexicon(path)
    assert lex.verbs["outlaw"].property == "bans"
    assert lex.verbs["outlaw"].confidence == pytest.approx(0.8)
    assert lex.verbs["prohibit"].property == "bans"
    assert lex.verbs["prohibit"].with_prep == {"from": "restricts"}
    assert lex.verbs["block"].property == "blocks"
    assert lex.verbs["be"].property is None and lex.verbs["be"].preps == {"against": "opposes"}
    assert lex.verbs["call"].property == "designatesAsThreat"
    assert lex.verbs["talk"].property is None
    assert lex.nominals["embargo"].property == "bans"
    assert lex.nominals["embargo"].confidence == pytest.approx(0.75)


def test_lexicon_events_and_flat_sections_merge(tmp_path):
    path = _write(tmp_path, (
        "verbs:\n  outlaw: bans\n"
        "nominals:\n  embargo: {property: sanctions, preps: [on]}\n"
        "events:\n  SANCTION:\n    sanctions:\n      verbs: {blacklist: {}}\n"
        "      nominals: {penalty: {preps: [on]}}\n"
    ))
    lex = parse_lexicon(path)
    assert set(lex.verbs) == {"outlaw", "blacklist"}
    assert set(lex.nominals) == {"embargo", "penalty"}


@pytest.mark.parametrize(("text", "reason"), [
    ("events:\n  COERCE:\n    bans:\n      verbs: {ban: {}}\n"
     "  REJECT:\n    blocks:\n      verbs: {ban: {}}\n",
     "events.REJECT.blocks.verbs.ban: 'ban' is already defined at events.COERCE.bans.verbs.ban"),
    ("verbs:\n  ban: bans\nevents:\n  COERCE:\n    bans:\n      verbs: {ban: {}}\n",
     "'ban' is already defined at verbs.ban"),
    ("nominals:\n  ban: {property: bans}\n"
     "events:\n  COERCE:\n    bans:\n      nominals: {ban: {}}\n",
     "events.COERCE.bans.nominals.ban: 'ban' is already defined at nominals.ban"),
    ("events:\n  COERCE:\n    forbids:\n      verbs: {ban: {}}\n",
     "events.COERCE: unknown property 'forbids'"),
    ("events:\n  COERCE:\n    bans:\n      verbs: {ban: {property: forbids}}\n",
     "events.COERCE.bans.verbs.ban: unknown property 'forbids'"),
    ("events:\n  COERCE:\n    bans:\n      verbs: {ban: {weight: 2}}\n",
     "events.COERCE.bans.verbs.ban: unknown keys ['weight']"),
    ("events:\n  COERCE:\n    bans:\n      verbs: {ban: {property: null}}\n",
     "events.COERCE.bans.verbs.ban: needs a property"),
    ("events:\n  COERCE:\n    bans:\n      nouns: {ban: {}}\n",
     "events.COERCE.bans: unknown keys ['nouns']"),
    ("events:\n  COERCE:\n    bans:\n      verbs: [ban]\n",
     "events.COERCE.bans.verbs: expected a mapping"),
    ("events:\n  COERCE: [bans]\n", "events.COERCE: expected a mapping"),
    ("events:\n  ACCUSE:\n    sues:\n      verbs: {sue: {preps: {against: suing}}}\n",
     "events.ACCUSE.sues.verbs.sue.preps: unknown property 'suing'"),
])
def test_lexicon_events_errors_name_place(tmp_path, text, reason):
    test_lexicon_section_errors_name_place(tmp_path, text, reason)
