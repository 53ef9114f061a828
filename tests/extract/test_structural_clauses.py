"""Structural facts from clauses, descriptions and bare titles (roles.py, ownership.py)."""

from __future__ import annotations

import pytest

APPOSITIVE_DESCRIPTIONS = [
    ("Trelco, the Swiss agrochemicals group owned by ChemChina, grew.",
     {("Trelco", "basedIn", "Switzerland"), ("ChemChina", "owns", "Trelco")}),
    ("Italian broadband group Telnova objected to the rules.", {("Telnova", "basedIn", "Italy")}),
]

OWNERSHIP_CLAUSES = [
    ("The Global Times, a tabloid published by the People's Daily, said so.",
     ("People's Daily", "owns", "Global Times")),
    ("Sinochem, which owns 37% of Pirelli, objected.", ("Sinochem", "owns", "Pirelli")),
    ("Starlink, the satellite provider that Musk also controls, was fined.",
     ("Elon Musk", "owns", "Starlink")),
    ("Kaspersky Lab, a Sinochem unit, sued.", ("Sinochem", "owns", "Kaspersky Lab")),
    ("Meta Platforms said its Facebook and Instagram networks would stay.",
     ("Meta Platforms", "owns", "Instagram")),
]

ROLES = [
    ("Kaspersky sold software. Tom Reyes, the head of Instagram, spoke.",
     ("Tom Reyes", "officialOf", "Instagram")),
    ("Siemens grew. Tom Reyes, who runs the company's British operations, spoke.",
     ("Tom Reyes", "officialOf", "Siemens")),
    ("Siemens grew. Richard Lu, who heads Siemens's consumer business, agreed.",
     ("Richard Lu", "officialOf", "Siemens")),
    ("Meta Platforms was fined. Meta's lawyer Victoria Halden spoke.",
     ("Victoria Halden", "officialOf", "Meta Platforms")),
    ("DJI makes drones. Founded in 2006 by its chief executive, Frank Wang, the firm grew.",
     ("Frank Wang", "officialOf", "DJI")),
    ("Didi Global was fined. A Didi vice-president, Li Min, dismissed the rumours.",
     ("Li Min", "officialOf", "Didi Global")),
    ("TSMC grew. Chairman Mark Liu confirmed that the Taiwanese chipmaker would stop.",
     ("Mark Liu", "officialOf", "TSMC")),
]

STATE_TITLES = [
    ("Nigeria suspended Twitter. Nigeria said so. President Muhammadu Buhari spoke.",
     ("Muhammadu Buhari", "officialOf", "Nigeria")),
    ("Brazil suspended X. Brazil said so. Information Minister Lai Mohammed agreed.",
     ("Lai Mohammed", "officialOf", "Brazil")),
    ("Nigeria suspended Twitter. Attorney General Abubakar Malami agreed.",
     ("Abubakar Malami", "officialOf", "Nigeria")),
]

PORTFOLIOS = [
    ("Commerce Secretary Gina Raimondo said the Commerce Department would act.",
     {("Gina Raimondo", "officialOf", "US Department of Commerce"),
      ("Gina Raimondo", "officialOf", "United States")}),
    ("Defense Secretary Lloyd Austin met officials at the Department of Defense.",
     {("Lloyd Austin", "officialOf", "US Department of Defense")}),
]

MEMBERSHIP = [
    ("Five Eyes is an intelligence-sharing alliance that also includes the United States, "
     "Britain and Canada.", {("Canada", "memberOf", "Five Eyes"),
                             ("United Kingdom", "memberOf", "Five Eyes")}),
    ("The decision makes Norway the first of the Five Eyes countries to act.",
     {("Norway", "memberOf", "Five Eyes")}),
    ("Spain joined as the only Group of Seven country to sign up.", {("Spain", "memberOf", "G7")}),
]


def _check(found, expected):
    expected = {expected} if isinstance(expected, tuple) else expected
    assert expected <= found, found


@pytest.mark.parametrize(("text", "expected"), APPOSITIVE_DESCRIPTIONS)
def test_appositive_descriptions(facts, text, expected):
    _check(facts(text), expected)


@pytest.mark.parametrize(("text", "expected"), OWNERSHIP_CLAUSES)
def test_ownership_clauses(facts, text, expected):
    _check(facts(text), expected)


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_roles_name_their_organization(facts, text, expected):
    _check(facts(text), expected)


@pytest.mark.parametrize(("text", "expected"), STATE_TITLES)
def test_bare_state_titles_take_the_context_country(facts, text, expected):
    _check(facts(text), expected)


@pytest.mark.parametrize(("text", "expected"), PORTFOLIOS)
def test_portfolio_titles_serve_the_named_body(facts, text, expected):
    _check(facts(text), expected)


@pytest.mark.parametrize(("text", "expected"), MEMBERSHIP)
def test_membership(facts, text, expected):
    _check(facts(text), expected)


def test_company_titles_never_take_a_country(facts):
    found = facts("Nigeria suspended Twitter. Chairman Tom Reyes spoke.")
    assert ("Tom Reyes", "officialOf", "Nigeria") not in found


def test_state_title_of_a_known_official_is_not_guessed(facts):
    found = facts("Canada held Meng. Chinese Foreign Minister Wang Yi objected. Canada said so. "
                  "Canada acted. Foreign Minister Wang Yi spoke again.")
    assert ("Wang Yi", "officialOf", "China") in found
    assert ("Wang Yi", "officialOf", "Canada") not in found


@pytest.mark.parametrize("text", [
    "Regulators said Micron products posed risks.",
    "Huawei said its processors were safe.",
    "Shops stopped selling Huawei merchandise.",
])
def test_no_trivial_ownership_of_generic_products(facts, text):
    found = facts(text)
    assert not any(p == "owns" and o.startswith(s.split()[0]) for s, p, o in found), found


def test_pronoun_ownership_needs_a_product_noun(facts):
    found = facts("Didi Global said in a post on its Weibo account that it accepted the decision.")
    assert not any(p == "owns" for _, p, _ in found), found


def test_owned_by_demonym_is_no_nationality(facts):
    found = facts("Britain ordered Chinese-owned Nexperia to sell the plant.")
    assert ("Nexperia", "basedIn", "China") not in found


def test_part_of_a_government_body(facts):
    found = facts("The Commerce Department said the department's Bureau of Industry and "
                  "Security would review it.")
    assert any(p == "memberOf" and o == "US Department of Commerce" for _, p, o in found), found
