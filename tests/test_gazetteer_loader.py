"""Tests for kg.gazetteer: name normalization and reading a gazetteer file."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.gazetteer import GazetteerError, normalize_name, parse_gazetteer

KGR = "https://w3id.org/kg-geotech/resource/"

TINY = """\
@prefix kg:   <https://w3id.org/kg-geotech/ontology#> .
@prefix kgr:  <https://w3id.org/kg-geotech/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .

kgr:freedonia a kg:Country ;
    rdfs:label "Freedonia" ;
    skos:altLabel "Republic of Freedonia", "FRD" ;
    kg:demonym "Freedonian" ;
    owl:sameAs <http://www.wikidata.org/entity/Q4242> .

kgr:acme-networks a kg:Company ;
    rdfs:label "Acme Networks" ;
    skos:altLabel "Acme", "Acme Networks Ltd." .

kgr:acme-rockets a kg:Company ;
    rdfs:label "Acme Rockets" ;
    skos:altLabel "Acme" .

# no rdfs:label: not an entry
kgr:ghost-corp a kg:Company ;
    skos:altLabel "Ghost Corp" .

# no kg: type: not an entry
kgr:untyped rdfs:label "Untyped Thing" .

# a schema term with a label is not an entry either
kg:Country a owl:Class ; rdfs:label "Country" .
"""


@pytest.fixture
def gaz(tmp_path):
    path = tmp_path / "gazetteer.ttl"
    path.write_text(TINY, encoding="utf-8")
    return parse_gazetteer(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("United States", "united states"),
    ("The United States", "united states"),
    ("the  United\tStates ", "united states"),
    ("U.S.", "us"),
    ("China's", "china"),
    ("Huawei\u2019s", "huawei"),
    ("AT&T", "att"),
    ("Thermo Fisher", "thermo fisher"),  # only a whole leading word "the" goes
    ("Other Nations", "other nations"),
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),  # casefold
    ("ﬁnance", "finance"),  # NFKC folds the ligature
    ("", ""),
])
def test_gazetteer_normalize_name(text, expected):
    assert normalize_name(text) == expected


def test_gazetteer_parse_keeps_typed_labelled_entries(gaz):
    assert set(gaz.entries) == {KGR + "freedonia", KGR + "acme-networks", KGR + "acme-rockets"}


def test_gazetteer_parse_entry_fields(gaz):
    entry = gaz.entries[KGR + "freedonia"]
    assert entry.type == "Country"
    assert entry.label == "Freedonia"
    assert entry.aliases == ("FRD", "Republic of Freedonia")
    assert entry.demonyms == ("Freedonian",)
    assert entry.sameas == ("http://www.wikidata.org/entity/Q4242",)


@pytest.mark.parametrize(("name", "iri"), [
    ("Freedonia", "freedonia"),
    ("the Republic of Freedonia", "freedonia"),
    ("FREEDONIA", "freedonia"),
    ("Freedonia's", "freedonia"),
    ("frd", "freedonia"),
    ("Acme Networks Ltd", "acme-networks"),
    ("Acme Rockets", "acme-rockets"),
])
def test_gazetteer_lookup_by_name(gaz, name, iri):
    entry = gaz.lookup(name)
    assert entry is not None and entry.iri == KGR + iri


@pytest.mark.parametrize("name", [
    "Ghost Corp",  # entry without a label is skipped
    "Untyped Thing",  # entry without a kg: class is skipped
    "Country",  # schema terms are not entries
    "Freedonian",  # a demonym is not a name
    "Acme Networks Group",
])
def test_gazetteer_lookup_misses(gaz, name):
    assert gaz.lookup(name) is None


def test_gazetteer_shared_alias_goes_to_first_iri(gaz):
    # two entries claim "Acme": the table is built in IRI order, the first keeps it
    assert gaz.lookup("Acme").iri == KGR + "acme-networks"


@pytest.mark.parametrize(("word", "iri"), [
    ("Freedonian", KGR + "freedonia"),
    ("freedonian", KGR + "freedonia"),
    ("Freedonia", None),
    ("Acme", None),
])
def test_gazetteer_demonym_lookup(gaz, word, iri):
    entry = gaz.country_of_demonym(word)
    assert (entry.iri if entry else None) == iri


def test_gazetteer_project_file_knows_core_actors():
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    assert gaz.lookup("U.S.").iri == KGR + "united-states"
    assert gaz.lookup("Washington").iri == KGR + "united-states"
    assert gaz.country_of_demonym("Chinese").iri == KGR + "china"


@pytest.mark.parametrize(("text", "reason"), [
    (None, "No such file"),
    ("kgr:x a kg:Country ;\n  rdfs:label \"X\" \nthis is not turtle", "Bad syntax"),
])
def test_gazetteer_unreadable_file_names_it(tmp_path, text, reason):
    path = tmp_path / "gazetteer.ttl"
    if text is not None:
        path.write_text(TINY.split("\n\n")[0] + "\n" + text, encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        parse_gazetteer(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message
    assert isinstance(info.value, KgError)
