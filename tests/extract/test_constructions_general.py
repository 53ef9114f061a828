"""General constructions that carry an act without a verb of the lexicon
taking both parties: agentless passives, feelings, deadlines, relative-clause
gaps, acts named by their state, retaliation promised, licensing regimes and
announced obligations. Every sentence is written for these tests."""

from __future__ import annotations

import pytest

CL, PE, CN, US = "Chile", "Peru", "China", "United States"

CASES = [
    # an agentless passive reported by an authority: the authority acts
    ("Sales of Huawei phones to Chilean buyers will be banned from May, the Chilean government "
     "said on Friday.", (CL, "bans", "Huawei phones")),
    # a feeling about an act: the party opposes the act's author
    ("Chile banned Huawei from its networks on Monday. Huawei said it was deeply disappointed "
     "by the decision.", ("Huawei", "opposes", CL)),
    ("Chile banned Huawei from its networks on Monday. Huawei said it was shocked.",
     ("Huawei", "opposes", CL)),
    # a deadline given is pressure
    ("Peru gave ZTE 60 days to sell its local unit.", (PE, "pressures", "ZTE")),
    # the object gap of a relative clause
    ("Chile banned Huawei from its networks on Monday, a step Peru condemned.",
     (PE, "opposes", CL)),
    # an act noun named by its state, criticised in a list of parties
    ("Canada, Brazil and the European Union criticised the Chilean ban in a statement.",
     ("European Union", "opposes", CL)),
    # people in office stand for their state
    ("U.S. officials have long accused ZTE of evading sanctions.", (US, "accuses", "ZTE")),
    # a demand whose clause names the one pressed
    ("China demanded that Canada release the detained executive.", (CN, "pressures", "Canada")),
    # retaliation promised answers the party that acted
    ("Chile imposed sanctions on China on Monday. Beijing vowed to take all necessary measures "
     "in response.", (CN, "threatens", CL)),
    # a reaction to an act no property names (an arrest)
    ("Canada arrested an executive of China's Huawei on Saturday. Beijing reacted furiously.",
     (CN, "opposes", "Canada")),
    # a licensing regime restricts where the licensed goods go
    ("Chile will require licences to export drones to Peru.", (CL, "restricts", PE)),
    ("Chipmakers would need a licence to ship semiconductors to Huawei, the Commerce "
     "Department said.", ("US Department of Commerce", "restricts", "Huawei")),
    # an obligation an authority announces
    ("ZTE may not sign up new customers and must stop selling handsets, the Commerce Department "
     "said.", ("US Department of Commerce", "restricts", "ZTE")),
    # a relative pronoun the parser hung on a complement clause
    ("Analysts saw the probe as a reply to U.S. export controls that have cut China off from "
     "advanced chips.", (US, "restricts", CN)),
    # an active verb joined to a passive reported clause belongs to the speaker
    ("Spokeswoman Hua Chunying said the review had been carried out lawfully and accused the "
     "United States of bullying.", ("Hua Chunying", "accuses", US)),
    # a party acted against denies the charge by saying it never did it
    ("Chile banned TikTok on Monday. The company has said it has never handed user data to "
     "any government.", ("TikTok", "denies", "CLAIM:it has handed user data to any government")),
]


CASES += [
    # what a court blocks or upholds is the measure itself
    ("Peru moved to bar WeChat in May. Judge Laura Bennett blocked the trade ministry from barring "
     "the app.", ("Laura Bennett", "blocks", "ban on WeChat")),
    ("India banned TikTok in June. The Supreme Court of India lifted the ban on TikTok in March.",
     ("Supreme Court of India", "blocks", "ban on TikTok")),
    # a supplier that stops supplying cuts its customer off
    ("TSMC has stopped supplying Huawei.", ("TSMC", "excludes", "Huawei")),
    # an answer with no object is aimed at whoever acted against the party
    ("Japan imposed curbs on exports to South Korea. Seoul hit back in kind.",
     ("South Korea", "opposes", "Japan")),
    # access to a service is the service
    ("The regulator Roskomnadzor restricted access to Instagram.",
     ("Roskomnadzor", "restricts", "Instagram")),
    # a measure that covers a party acts on it, for the measure's author
    ("India banned 59 Chinese apps on Monday. The list also covers the document scanner "
     "CamScanner.", ("India", "bans", "CamScanner")),
    # the staff of a firm stand for the firm as the target of a measure
    ("The State Department will impose visa restrictions on Huawei employees.",
     ("US Department of State", "restricts", "Huawei")),
    # an act named after "with"
    ("Chile banned Huawei on Monday. The Treasury Department followed on Friday with sanctions "
     "on ZTE.", ("US Department of the Treasury", "sanctions", "ZTE")),
    # an act named by a noun with no author is the leading authority's
    ("Chile banned Huawei on Monday. Curbs on Xiaomi followed within a week.",
     (CL, "restricts", "Xiaomi")),
    # whoever instructs others to carry out a coercive act does it through them
    ("The Nigerian Communications Commission instructed telecoms operators to block access to "
     "Twitter.", ("Nigerian Communications Commission", "bans", "Twitter")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:45] for t, _ in CASES])
def test_constructions_general_positive(facts, text, expected):
    found = facts(text)
    assert expected in found, found


def test_constructions_general_case_count():
    assert len(CASES) == 26


NOTHING = [
    # a feeling with nobody having acted against the party
    ("Huawei said it was shocked.", "Huawei"),
    # a state refusing to act is not denying anything
    ("Chile sanctioned China on Monday. 'We have not and will not ask firms to hand over data,' "
     "said Wang Yi.", "Wang Yi"),
    # a licence that is not required restricts nobody
    ("Chile will not require licences to export drones to Peru.", CL),
]

def test_constructions_general_telling_what_happened_is_no_pressure(facts):
    found = facts("Chile banned Huawei on Monday. Huawei told the court that it had done nothing "
                  "wrong.")
    assert not [f for f in found if f[0] == "Huawei" and f[1] == "pressures"], found


def test_constructions_general_answer_reaches_the_state_an_official_serves(facts):
    found = facts("Commerce Minister Ana Lopez of Chile said Chilean operators must not buy "
                  "equipment from Huawei. Beijing vowed to take all necessary measures.")
    assert not [f for f in found if f[1] == "threatens" and f[2] == "Ana Lopez"], found


def test_constructions_general_reaction_to_being_ordered(facts):
    found = facts("Britain ordered ZTE to sell its British unit on Wednesday. ZTE said it was "
                  "shocked.")
    assert ("ZTE", "opposes", "United Kingdom") in found, found


def test_constructions_general_an_agency_answers_a_foreign_agencys_act_at_its_state(facts):
    found = facts("The Cyberspace Administration of China restricted sales of Micron chips. The "
                  "Commerce Department said it firmly opposed the curbs.")
    assert ("US Department of Commerce", "opposes", "China") in found, found


def test_constructions_general_plaintiff_sues_the_measures_author_not_its_home(facts):
    found = facts("The United States banned TikTok in August. TikTok, which is owned by China's "
                  "ByteDance, filed a lawsuit against the ban.")
    assert ("TikTok", "sues", US) in found, found
    assert not [f for f in found if f[1] == "sues" and f[2] == CN], found


def test_constructions_general_a_named_programme_is_launched_by_its_possessor(facts):
    found = facts("Italy signed up to China's Belt and Road Initiative in 2019.")
    assert (CN, "launches", "Belt and Road Initiative") in found, found


PARTICIPLES = [
    # a participle describing the noun it acts on: ordered so, or done by an agent
    ("Judge Laura Bennett ordered TikTok suspended on Friday.",
     ("Laura Bennett", "blocks", "TikTok")),
    ("Starlink had its Brazilian accounts frozen by Brazil.", ("Brazil", "blocks", "Starlink")),
    # a roster is a list one is put on
    ("The Pentagon put DJI on its roster of military companies.",
     ("US Department of Defense", "sanctions", "DJI")),
    # the second of two ordered acts is the orderer's too
    ("The Commerce Department ordered federal agencies to list their routers and strip out "
     "Huawei equipment.", ("US Department of Commerce", "excludes", "Huawei equipment")),
]


@pytest.mark.parametrize(("text", "expected"), PARTICIPLES, ids=[t[:40] for t, _ in PARTICIPLES])
def test_constructions_general_participles_and_orders(facts, text, expected):
    assert expected in facts(text), facts(text)


def test_constructions_general_a_ministers_measure_is_the_states(facts):
    found = facts("Information Minister Ana Ruiz of Peru announced that Twitter's operations in "
                  "Peru had been suspended. Canada and Brazil criticised the suspension.")
    assert ("Ana Ruiz", "blocks", "Twitter") in found, found
    assert ("Canada", "opposes", PE) in found, found


def test_constructions_general_demanding_an_act_undone_presses_its_author(facts):
    found = facts("Japan imposed curbs on exports to South Korea. Seoul will seek the withdrawal "
                  "of the measures.")
    assert ("South Korea", "pressures", "Japan") in found, found


def test_constructions_general_where_buyers_are_is_no_supplier(facts):
    found = facts("ZTE may not sign up new customers in Peru, the Commerce Department said.")
    assert not [f for f in found if f[1] == "excludes" and f[2] == PE], found


def test_constructions_general_barring_an_activity_is_no_exclusion_from_a_network(facts):
    found = facts("Chile barred Entel from signing a deal with Huawei for the core of its 5G "
                  "network.")
    assert (CL, "restricts", "Entel") in found, found
    assert (CL, "excludes", "Entel") not in found, found


NOTHING_BLOCKED = [
    # lifting one's own measure blocks nothing of anyone else's
    "Nigeria has lifted its suspension of Twitter.",
    # a bare measure with no act before it names no measure
    "A court blocked the ban on Sunday.",
]


@pytest.mark.parametrize("text", NOTHING_BLOCKED, ids=[t[:40] for t in NOTHING_BLOCKED])
def test_constructions_general_no_measure_node(facts, text):
    assert not [f for f in facts(text) if f[1] == "blocks"], facts(text)


@pytest.mark.parametrize(("text", "party"), NOTHING, ids=[t[:45] for t, _ in NOTHING])
def test_constructions_general_no_act(facts, text, party):
    found = facts(text)
    acts = {"opposes", "denies", "restricts", "threatens"}
    assert not [f for f in found if f[0] == party and f[1] in acts], found


def test_constructions_general_owned_products_are_their_maker_when_excluded(facts):
    found = facts("Chile barred its operators from buying Micron chips.")
    assert (CL, "excludes", "Micron Technology") in found, found


def test_constructions_general_company_description_speaks_for_an_app(facts):
    found = facts("Chile banned TikTok on Monday. The company said it would appeal.")
    assert any(s == "TikTok" and p == "states" for s, p, _ in found), found
