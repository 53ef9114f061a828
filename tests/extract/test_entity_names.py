"""Entity recognition beyond the gazetteer, and the merging of one entity's names
within a document (kg.extract.recognize, kg.extract.names)."""

from __future__ import annotations

import pytest

from kg.extract.names import spells
from kg.extract.recognize import org_type
from kg.lexicon import load_lexicon


def keys_of(ex, *texts):
    """The resolution keys of the mentions whose surface form is one of ``texts``."""
    return {m.key for m in ex.mentions if m.text in texts}


def typed(ex):
    return {(m.text, m.type) for m in ex.mentions}


@pytest.mark.parametrize(("name", "kind"), [
    ("Federal Maritime Safety Agency", "GovernmentBody"),
    ("Ministry of Science and Technology", "GovernmentBody"),
    ("Karelia District Court", "GovernmentBody"),
    ("Northwind Trading Alliance Co", "Company"),
    ("Orbis Data Technologies", "Company"),
    ("Baltic Fisheries Alliance", "InternationalOrganization"),
    ("Critical Minerals Act", "Initiative"),
])
def test_org_type_from_head_noun(name, kind):
    assert org_type(name, load_lexicon()) == kind


def test_names_unknown_agency_and_company_are_typed(extract):
    ex = extract("The Federal Maritime Safety Agency fined Orbis Data Technologies on Monday.")
    assert ("Federal Maritime Safety Agency", "GovernmentBody") in typed(ex)
    assert ("Orbis Data Technologies", "Company") in typed(ex)


def test_names_company_named_after_a_city_is_one_company(extract):
    ex = extract("Regulators blocked Shanghai Lumen Optics Technology, a Chinese company.")
    assert ("Shanghai Lumen Optics Technology", "Company") in typed(ex)


def test_names_title_and_sentence_start_are_not_organizations(extract):
    ex = extract("President Tom Hale said Officials would decide. The Agency declined.")
    assert not [m for m in ex.mentions if m.text in ("President Tom Hale", "The Agency", "Agency")]


def test_names_acronym_defined_in_parentheses(extract):
    ex = extract("The Coastal Broadband Regulatory Agency (CBRA) warned on Friday. "
                 "CBRA said the licences would be withdrawn.")
    assert len(keys_of(ex, "Coastal Broadband Regulatory Agency", "CBRA")) == 1


def test_names_initials_of_a_full_name(extract):
    ex = extract("Northern Freight Lines agreed to the deal. NFL said it would comply.")
    assert len(keys_of(ex, "Northern Freight Lines", "NFL")) == 1


def test_spells_initials():
    assert spells("MOTIE", "Ministry of Trade, Industry and Energy")
    assert spells("GM", "General Motors Co")
    assert not spells("GM", "General Electric")


def test_names_short_name_of_a_court(extract):
    ex = extract("Freedonia's Supreme Federal Court upheld the ban. "
                 "The Supreme Court said the company must pay.")
    assert len(keys_of(ex, "Supreme Federal Court", "Supreme Court")) == 1


def test_names_eu_and_commission_stay_two(extract):
    ex = extract("The European Union and the European Commission criticized the ban. "
                 "The Commission said the EU would respond.")
    assert len(keys_of(ex, "European Union", "European Commission")) == 2


def test_names_person_short_name_within_full_name(extract):
    ex = extract("President Joao Carlos Tavares Neto sided with the court. "
                 "Tavares said the ruling was right.")
    people = {m.key for m in ex.mentions if m.type == "Person"}
    assert len(people) == 1


def test_names_hyphenated_given_name(extract):
    ex = extract("President Park Min-jun said on Monday that Park would not yield.")
    assert len({m.key for m in ex.mentions if m.type == "Person"}) == 1


def test_names_person_name_split_by_the_model_is_one_person(extract):
    ex = extract("Chairman Marco Tronchetti Provera opposed the move.")
    assert any(m.label == "Marco Tronchetti Provera" for m in ex.mentions)


def test_names_capital_acting_is_its_country(extract):
    ex = extract("Abuja said on Friday that the ban would stay.")
    assert ("Nigeria", "Country") in {(m.label, m.type) for m in ex.mentions}


def test_names_capital_as_a_place_is_no_actor(extract):
    ex = extract("A court in Moscow fined Google on Tuesday. "
                 "Officials held talks in Abuja with Twitter.")
    assert not [r for r in ex.relations if r.subject.label in ("Russia", "Nigeria")]


def test_names_dateline_capital_is_no_mention(extract):
    ex = extract("BRASILIA, Oct 9 (Wire) - Regulators fined the company.")
    assert not [m for m in ex.mentions if m.text == "BRASILIA"]


def test_names_company_tagged_as_place_is_a_company(extract):
    ex = extract("Dravenko, the Ukrainian holding group, owns 20% of the carrier through Voltmark.")
    assert ("Voltmark", "Company") in typed(ex)


def test_names_group_synonyms_are_one_group(extract):
    ex = extract("Japanese suppliers raised prices. Japanese exporters need a licence. "
                 "Japanese firms complained.")
    groups = {m.key for m in ex.mentions if m.type == "CompanyGroup"}
    assert len(groups) == 1


def test_names_generic_plural_does_not_absorb_a_group(extract):
    ex = extract("Chinese firms were added to the list. "
                 "Chinese and Russian companies face new rules.")
    groups = {m.key for m in ex.mentions if m.type == "CompanyGroup"}
    assert len(groups) == 2
