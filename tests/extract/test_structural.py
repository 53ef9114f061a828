"""Structural facts from noun phrases."""

from __future__ import annotations

import pytest

CASES = [
    ("Chinese company ByteDance's TikTok is popular.", ("ByteDance", "owns", "TikTok")),
    ("Chinese company ByteDance's TikTok is popular.", ("ByteDance", "basedIn", "China")),
    ("Tencent's messaging app WeChat was named.", ("Tencent", "owns", "WeChat")),
    ("Dutch chip-equipment maker ASML shipped machines.", ("ASML", "basedIn", "Netherlands")),
    ("U.S. Secretary of State Mike Pompeo spoke on Friday.",
     ("Mike Pompeo", "officialOf", "United States")),
    ("Huawei, the Chinese telecoms giant, objected.", ("Huawei", "basedIn", "China")),
    ("Regulators named Chinese firms such as ZTE and Xiaomi.", ("Xiaomi", "basedIn", "China")),
    ("Nations such as Japan and Canada agreed.", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[str(e) for _, e in CASES])
def test_structural_facts(facts, text, expected):
    found = facts(text)
    if expected is None:
        assert not any(p == "basedIn" for _, p, _ in found), found
    else:
        assert expected in found, found


def test_structural_group_members(facts):
    found = facts("More than 20 countries such as Japan and Canada joined the Clean Network.")
    group = next(o for s, p, o in found if p == "memberOf" and s == "Japan")
    assert "20 countries" in group
    assert ("Canada", "memberOf", group) in found
    assert (group, "joins", "Clean Network") in found


def test_structural_possessive_reaches_conjuncts_only_without_their_own(facts):
    found = facts("India banned ByteDance's TikTok and Helo, and Tencent's WeChat.")
    assert {("ByteDance", "owns", "TikTok"), ("ByteDance", "owns", "Helo"),
            ("Tencent", "owns", "WeChat")} <= found
    assert ("ByteDance", "owns", "WeChat") not in found


def test_structural_spokesperson_speaks_for_the_last_organization(facts):
    found = facts("Ericsson criticised the ruling. "
                  "\"It is wrong,\" spokeswoman Anna Lindqvist said.")
    assert ("Anna Lindqvist", "officialOf", "Ericsson") in found


@pytest.mark.parametrize(("text", "expected"), [
    ("Senate Majority Leader Chuck Schumer objected.",
     ("Chuck Schumer", "officialOf", "US Senate")),
    ("U.S. District Judge Mark Peterson ruled.", ("Mark Peterson", "officialOf",
                                                      "United States")),
])
def test_structural_titles(facts, text, expected):
    assert expected in facts(text)


def test_structural_names_after_a_group_are_its_members(facts):
    found = facts("Canada has banned Chinese telecoms companies Huawei and ZTE from its networks.")
    assert {("Canada", "bans", "Huawei"), ("Canada", "bans", "ZTE"),
            ("ZTE", "basedIn", "China")} <= found


def test_structural_party_before_a_name_is_membership(facts):
    found = facts("Republican Senator Marco Rubio and Democrat Mark Warner wrote the bill.")
    assert ("Marco Rubio", "memberOf", "Republican Party") in found
    assert ("Mark Warner", "memberOf", "Democratic Party") in found


@pytest.mark.parametrize(("text", "expected"), [
    ("Regulators fined ByteDance, TikTok's Beijing-based parent.", ("ByteDance", "owns", "TikTok")),
    ("Oracle emerged as ByteDance's chosen technology partner.",
     ("Oracle", "cooperatesWith", "ByteDance")),
    ("Huawei's chip design unit HiSilicon grew.", ("Huawei", "owns", "HiSilicon")),
])
def test_structural_relational_nouns(facts, text, expected):
    assert expected in facts(text)


def test_structural_country_possessive_reaches_conjuncts(facts):
    found = facts("South Korea's Samsung Electronics and SK Hynix stayed quiet.")
    assert {("Samsung Electronics", "basedIn", "South Korea"),
            ("SK Hynix", "basedIn", "South Korea")} <= found


@pytest.mark.parametrize(("text", "expected"), [
    ("WeChat is owned by Shenzhen's Tencent Holdings.", ("Tencent", "basedIn", "China")),
    ("DJI was listed. The Shenzhen-based company objected.", ("DJI", "basedIn", "China")),
])
def test_structural_cities_place_companies(facts, text, expected):
    assert expected in facts(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Commerce Secretary Gina Raimondo said the rules were needed.",
     ("Gina Raimondo", "officialOf", "United States")),
    ("Dutch chip-equipment maker Veldmark Systems shipped machines to China.",
     ("Veldmark Systems", "basedIn", "Netherlands")),
])
def test_structural_entities_beyond_the_gazetteer_and_portfolios(facts, text, expected):
    assert expected in facts(text)


def test_entities_unknown_company_typed_by_context(extract):
    ex = extract("Dutch chip-equipment maker Veldmark Systems shipped machines to China.")
    assert ("Veldmark Systems", "Company") in {(m.label, m.type) for m in ex.mentions}
