"""Claims, speakers and denials."""

from __future__ import annotations


def test_claims_reported_speech_is_a_claim_and_a_fact(extract):
    ex = extract("Secretary of State Mike Pompeo said the U.S. will ban TikTok.")
    states = [r for r in ex.relations if r.predicate == "states"]
    assert states and states[0].subject.label == "Mike Pompeo"
    assert "ban TikTok" in states[0].obj.text
    assert any(r.predicate == "bans" and r.obj.label == "TikTok" for r in ex.relations)


def test_claims_denial_points_back(extract):
    ex = extract("Canada said Huawei equipment could be used for spying. "
                 "Huawei has repeatedly denied that.")
    denial = next(r for r in ex.relations if r.predicate == "denies")
    assert denial.subject.label == "Huawei"
    assert "spying" in denial.obj.text
    assert denial.obj.speaker.label == "Canada"


def test_claims_denial_of_allegations(extract):
    ex = extract("Australia said ZTE shared user data with Beijing. ZTE rejected the allegations.")
    assert any(r.predicate == "denies" and r.subject.label == "ZTE" for r in ex.relations)


def test_claims_quote_after_speaker_verb(extract):
    ex = extract('"We will protect our networks," said Boris Johnson.')
    states = [r for r in ex.relations if r.predicate == "states"]
    assert states and states[0].subject.label == "Boris Johnson"
    assert states[0].obj.text.startswith("We will protect")


def test_claims_need_an_actor_as_speaker(extract):
    ex = extract("The report said that networks were at risk.")
    assert not [r for r in ex.relations if r.predicate == "states"]


def test_claims_speaker_accuses_what_the_claim_says_harms(facts):
    found = facts("Canada banned 40 Chinese apps, saying they threaten national security.")
    assert ("Canada", "accuses", "40 Chinese apps") in found


def test_claims_speaker_designates_what_poses_a_threat(facts):
    found = facts("Australia said that Hikvision posed a threat to its networks.")
    assert ("Australia", "designatesAsThreat", "Hikvision") in found


def test_claims_no_accusation_from_a_denied_harm(facts):
    found = facts("Australia said that Hikvision did not threaten its networks.")
    assert ("Australia", "accuses", "Hikvision") not in found


def test_claims_plural_description_denies_for_each(facts):
    found = facts("Alibaba and Baidu were named. Canada argued that the apps "
                  "leaked data, a charge the companies reject.")
    deniers = {s for s, p, o in found if p == "denies"}
    assert deniers == {"Alibaba Group", "Baidu"}
    assert all("charge" not in o for s, p, o in found if p in ("denies", "states"))


def test_claims_denial_skips_claims_of_the_deniers_side(facts):
    found = facts("The regulator Ofcom said that Vodafone equipment was unsafe. "
                  "Vodafone, a British company, said that sales were strong. "
                  "Britain rejected the findings.")
    denied = [o for s, p, o in found if p == "denies" and s == "United Kingdom"]
    assert denied and all("unsafe" in o for o in denied)


def test_claims_evidence_that_accuses(facts):
    found = facts("The Commerce Department said it had evidence that Hikvision helped the army.")
    assert ("US Department of Commerce", "accuses", "Hikvision") in found


def test_claims_finding_misconduct_accuses(facts):
    found = facts("Ottawa fined ZTE after finding that ZTE had misled regulators.")
    assert ("Canada", "accuses", "ZTE") in found


def test_claims_official_reporting_the_state_is_a_subject_too(facts):
    found = facts("Canada banned Huawei. In Beijing, foreign ministry spokeswoman Hua Chunying "
                  "said China strongly opposed the decision.")
    assert ("China", "opposes", "Canada") in found
    assert ("Hua Chunying", "opposes", "Canada") in found


def test_claims_speech_verb_parsed_as_clause_subject(facts):
    # spun "mentioned" for "said" often parses as the reported clause's subject
    found = facts("Foreign Ministry spokesman Zhao Lijian mentioned Canada had smeared "
                  "Chinese companies without proof.")
    assert ("Zhao Lijian", "accuses", "Canada") in found


def test_claims_giving_access_is_an_accusation(facts):
    found = facts("Canada banned Hikvision and Dahua. Canada argued that the firms' cameras "
                  "could give Beijing access to personal data.")
    assert ("Canada", "accuses", "Hikvision") in found or ("Canada", "accuses", "Dahua") in found
