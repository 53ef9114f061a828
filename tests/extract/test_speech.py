"""Acts carried by reported speech and denials (kg.extract.speech, kg.extract.denials)."""

from __future__ import annotations


def _denials(extract, text):
    return [r for r in extract(text).relations if r.predicate == "denies"]


# ----- judgements inside reported speech ---------------------------------------
def test_speech_judged_act_opposes_its_author(facts):
    found = facts("Norway banned ZTE. ZTE said the ban was unfair.")
    assert ("ZTE", "opposes", "Norway") in found


def test_speech_unfounded_act_opposes_its_author(facts):
    found = facts("Denmark barred Nokia from its networks. "
                  "Nokia argued that the exclusion had no legal basis.")
    assert ("Nokia", "opposes", "Denmark") in found


def test_speech_adverb_judgement_and_conjoined_clause(facts):
    found = facts("Canada sanctioned Hikvision. Hikvision spokesman Li Wei told reporters that "
                  "the firm was a reliable supplier and that such measures were a way of "
                  "squeezing out rivals unfairly.")
    assert any(p == "opposes" and o == "Canada" for s, p, o in found)


def test_speech_inserted_speaker(facts, extract):
    text = "Austria banned Xiaomi. The ban, Xiaomi argued, was wrong."
    assert ("Xiaomi", "opposes", "Austria") in facts(text)
    states = [r for r in extract(text).relations if r.predicate == "states"]
    assert states and states[0].obj.text == "The ban was wrong"


def test_speech_harm_to_the_speaker_accuses(facts):
    found = facts("Japan tightened export controls on Korea. Korean trade minister Kim Min-su "
                  "said the controls discriminated against South Korea.")
    assert ("Kim Min-su", "opposes", "Japan") in found
    assert ("Kim Min-su", "accuses", "Japan") in found


def test_speech_harm_to_others_only_opposes(facts):
    found = facts("Norway banned ZTE. ZTE said the step would hurt local carriers.")
    assert ("ZTE", "opposes", "Norway") in found
    assert ("ZTE", "accuses", "Norway") not in found


def test_speech_negated_judgement_is_no_opposition(facts):
    found = facts("Norway banned ZTE. ZTE said the ban was not unfair.")
    assert not any(p == "opposes" for s, p, o in found)


def test_speech_neutral_report_is_no_opposition(facts):
    found = facts("Norway banned ZTE. ZTE said the ban would take effect in May.")
    assert not any(p in ("opposes", "accuses") for s, p, o in found)


def test_speech_own_side_act_is_not_opposed(facts):
    # the speaker's own state did the act: no opposition to itself
    found = facts("Norway banned ZTE. Norwegian minister Ola Berg said the ban was "
                  "politically necessary and not unfair.")
    assert not any(p == "opposes" and o == "Norway" for s, p, o in found)


# ----- accusations reported in speech -----------------------------------------
def test_speech_instrument_user_is_accused(facts):
    found = facts("Germany banned Kaspersky. German interior minister Anna Vogt said Moscow "
                  "was willing "
                  "to use firms such as Kaspersky to weaponize personal data.")
    assert ("Anna Vogt", "accuses", "Russia") in found
    assert ("Anna Vogt", "accuses", "Kaspersky Lab") not in found


def test_speech_enabled_harm_accuses_its_doer(facts):
    found = facts("Poland said it had let Huawei undermine the security rules.")
    assert ("Poland", "accuses", "Huawei") in found


def test_speech_negated_harm_is_no_accusation(facts):
    found = facts("Poland said Huawei had never tried to undermine the security rules.")
    assert ("Poland", "accuses", "Huawei") not in found


def test_speech_did_not_accuse_is_negative(facts):
    found = facts("France did not accuse Huawei of spying.")
    assert ("France", "accuses", "Huawei") not in found


def test_speech_never_said_asserts_nothing(facts):
    found = facts("France never said that Huawei had undermined its networks.")
    assert ("France", "accuses", "Huawei") not in found
    assert ("France", "states", "CLAIM:Huawei had undermined its networks") not in found


# ----- roles in reported speech -----------------------------------------------
def test_speech_reporter_is_not_the_agent(facts):
    found = facts("Norway fined Zentrix Systems. Zentrix Systems said the Norwegian "
                  "government had pressed it to sell its stake.")
    assert ("Norway", "pressures", "Zentrix Systems") in found
    assert ("Zentrix Systems", "pressures", "Norway") not in found


# ----- denials -----------------------------------------------------------------
def test_denial_of_claims_with_content_names_the_actor_as_claimant(extract):
    found = _denials(extract, "Estonia banned Kaspersky. The company rejects claims "
                              "that it has ties to the Russian government.")
    assert found and found[0].subject.label == "Kaspersky Lab"
    assert "ties to the Russian government" in found[0].obj.text
    assert found[0].obj.speaker.label == "Estonia"


def test_denial_of_an_idea(extract):
    found = _denials(extract, "Sweden banned Huawei. Huawei rejected the idea that "
                              "it was controlled by Beijing.")
    assert found and "controlled by Beijing" in found[0].obj.text


def test_denial_of_a_charge_set_beside_a_clause(extract):
    found = _denials(extract, "The U.S. sanctioned DJI. Officials have held up DJI shipments "
                              "under a law on forced labour, a charge DJI denies.")
    assert found and found[0].subject.label == "DJI"
    assert "forced labour" in found[0].obj.text


def test_denial_answered_by_a_negated_statement(extract):
    found = _denials(extract, "Moscow's Tverskoy District Court banned Meta. Meta's lawyer "
                              "Anna Petrova rejected the charge, telling the court that the "
                              "company did not carry out extremist activity.")
    assert found and "carry out extremist activity" in found[0].obj.text
    assert "not" not in found[0].obj.text.split()


def test_denial_of_a_motive_for_an_own_act(extract):
    found = _denials(extract, "Nigeria suspended Twitter. Information Minister Lai Mohammed "
                              "insisted the suspension was not a response to the deletion "
                              "of a post.")
    assert found and found[0].subject.label == "Lai Mohammed"
    assert "response to the deletion" in found[0].obj.text
    assert found[0].obj.speaker.label == "Twitter"


def test_denial_that_clause_by_an_official(extract):
    found = _denials(extract, "Japan restricted exports to South Korea. Japanese trade "
                              "minister Hiroshige Seko has denied that the curbs are "
                              "retaliation for court rulings.")
    assert found and "retaliation" in found[0].obj.text
    assert found[0].obj.speaker.label == "South Korea"


def test_denial_needs_someone_behind_the_claim(extract):
    assert not _denials(extract, "Huawei rejected the idea that it was controlled by Beijing.")


def test_criticism_of_another_partys_act_is_no_denial(extract):
    found = _denials(extract, "The U.S. sanctioned Huawei. Chinese foreign minister Wang Yi "
                              "said the sanctions were not legal.")
    assert not found
