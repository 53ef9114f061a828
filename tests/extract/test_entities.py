"""Typed mentions: gazetteer, NER, collectives, spun names."""

from __future__ import annotations

import pytest


def labels(ex):
    return {(m.label, m.type) for m in ex.mentions}


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. acted.", ("United States", "Country")),
    ("Washington acted.", ("United States", "Country")),
    ("Britain acted.", ("United Kingdom", "Country")),
    ("Huawei Technologies acted.", ("Huawei", "Company")),
    ("More than 40 countries acted.", ("More than 40 countries", "CountryGroup")),
    ("Some U.S. allies acted.", ("U.S. allies", "CountryGroup")),
    ("Chinese technology firms acted.", ("Chinese technology firms", "CompanyGroup")),
])
def test_entities_mentions(extract, text, expected):
    assert expected in labels(extract(text))


def test_entities_spun_gazetteer_name(extract):
    # a synonym spinner's "clear community" is still the Clean Network
    ex = extract("Ten nations joined the clear community program.")
    assert ("Clean Network", "Initiative") in labels(ex)


def test_entities_bare_surname_joins_full_name(extract):
    ex = extract("Officials met Daniel Kessler on Monday. Kessler said talks went well.")
    people = {m.key for m in ex.mentions if m.type == "Person"}
    assert len(people) == 1


def test_entities_plain_plural_is_not_a_group(extract):
    ex = extract("Companies must follow the rules.")
    assert not [m for m in ex.mentions if m.type.endswith("Group")]


def test_entities_org_name_tail_joins_full_name(extract):
    ex = extract("The Norwegian Coastal Defence Agency warned on Monday. "
                 "Later the Coastal Defence Agency said more.")
    keys = {m.key for m in ex.mentions if "Coastal" in m.text}
    assert len(keys) == 1
