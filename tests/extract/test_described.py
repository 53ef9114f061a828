"""Names typed by the noun that describes them, on sentences written for
these tests."""

from __future__ import annotations

import pytest

DESCRIBED = [
    # an appositive description after the name
    ("Velora, the Swedish electric-car maker, said it would appeal.", "Velora", "Company"),
    ("Officials opened an account on Kibo, an Indian microblogging app.", "Kibo", "Product"),
    # a possessive description after the name
    ("Harbour Wafer Works, Britain's largest chip plant, was sold.", "Harbour Wafer Works",
     "Company"),
    # a describing noun right before the name
    ("Rome blocked the purchase of seed producer Semitra by a foreign group.", "Semitra",
     "Company"),
    # a country's name opening a company name
    ("China National Tire & Rubber, a state unit, grew.", "China National Tire & Rubber",
     "Company"),
]


@pytest.mark.parametrize(("text", "name", "kind"), DESCRIBED, ids=[d[1] for d in DESCRIBED])
def test_described_names_are_typed(extract, text, name, kind):
    mentions = {m.text: m.type for m in extract(text).mentions}
    assert mentions.get(name) == kind, mentions


def test_described_the_next_clause_subject_is_no_description(extract):
    found = extract("Founded in 2006 by its chief executive, Frank Wang, the firm grew.")
    assert {m.text: m.type for m in found.mentions}.get("Frank Wang") == "Person"


def test_described_a_possessor_is_no_name_of_the_description(extract):
    mentions = {m.text for m in extract("Britain's largest chip plant was sold.").mentions}
    assert "Britain" in mentions and not any("plant" in m for m in mentions)


def test_described_products_of_a_company_are_its_software(facts):
    found = facts("Sales of Kaspersky antivirus software will be barred from next month, the "
                  "Commerce Department said.")
    assert ("US Department of Commerce", "bans", "Kaspersky Lab software") in found, found
    # "from next month" dates the ban; it is no "barred from doing" restriction
    assert not [f for f in found if f[1] == "restricts"], found


POSSESSIVE_DESCRIPTIONS = [
    ("Russia also blocked Viber, Rakuten's messaging service.", ("Rakuten", "owns", "Viber")),
    ("Harbour Wafer Works, Britain's largest chip plant, was sold.",
     ("Harbour Wafer Works", "basedIn", "United Kingdom")),
]


@pytest.mark.parametrize(("text", "expected"), POSSESSIVE_DESCRIPTIONS,
                         ids=[e[1] for _, e in POSSESSIVE_DESCRIPTIONS])
def test_described_possessive_description_owns_or_locates(facts, text, expected):
    assert expected in facts(text), facts(text)


def test_described_an_official_described_by_possession_owns_nothing(facts):
    found = facts("Meng Wanzhou, Huawei's finance chief, was held in Canada.")
    assert not [f for f in found if f[1] == "owns"], found
