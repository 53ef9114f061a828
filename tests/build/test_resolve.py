"""Tests for kg.build.resolve, on hand-made extractions (no spaCy model)."""

from __future__ import annotations

import pytest

from kg.build.resolve import fits, noisy_or, resolve
from kg.datatypes import (
    ClaimCandidate,
    DocExtraction,
    Evidence,
    Mention,
    RelationCandidate,
    SourceDoc,
)
from kg.gazetteer import Gazetteer, GazetteerEntry, normalize_name

KGR = "https://w3id.org/kg-geotech/resource/"
FREEDONIA = GazetteerEntry(KGR + "freedonia", "Country", "Freedonia", ("Republic of Freedonia",),
                           ("Freedonian",), ("http://www.wikidata.org/entity/Q4242",))
ACME = GazetteerEntry(KGR + "acme-networks", "Company", "Acme Networks", ("Acme",), (), ())
ZPHONE = GazetteerEntry(KGR + "zphone", "Product", "ZPhone", (), (), ())


def _gazetteer(*entries: GazetteerEntry) -> Gazetteer:
    by_name = {normalize_name(n): e.iri for e in entries for n in (e.label, *e.aliases)}
    by_dem = {normalize_name(d): e.iri for e in entries for d in e.demonyms}
    return Gazetteer({e.iri: e for e in entries}, by_name, by_dem)


GAZ = _gazetteer(FREEDONIA, ACME, ZPHONE)


def _m(text: str, kind: str, label: str | None = None, gaz: GazetteerEntry | None = None,
       key: str | None = None) -> Mention:
    label = label or (gaz.label if gaz else text)
    key = key or (gaz.iri if gaz else normalize_name(label))
    return Mention(key, text, label, kind, 0, len(text), gaz.iri if gaz else None)


def _ev(doc: str, confidence: float = 0.8, start: int = 0, rule: str = "test") -> Evidence:
    return Evidence(doc, start, start + 10, f"A sentence in {doc}.", rule, confidence)


def _rel(subject: Mention, prop: str, obj, doc: str = "a.txt", confidence: float = 0.8,
         start: int = 0, **kw) -> RelationCandidate:
    return RelationCandidate(subject, prop, obj, _ev(doc, confidence, start), **kw)


def _ex(doc: str, mentions=(), relations=(), claims=()) -> DocExtraction:
    return DocExtraction(SourceDoc(doc, f"Text of {doc}."), tuple(mentions), tuple(relations),
                         tuple(claims))


FRD = _m("Freedonia", "Country", gaz=FREEDONIA)
ACM = _m("Acme", "Company", gaz=ACME)
ZPH = _m("ZPhone", "Product", gaz=ZPHONE)


def _by_iri(resolution):
    return {e.iri: e for e in resolution.entities}


def _facts(resolution):
    return {(a.subject.removeprefix(KGR), a.predicate, a.object.removeprefix(KGR), a.polarity,
             a.modality) for a in resolution.assertions}


def test_resolve_gazetteer_mentions_merge_across_documents():
    a = _ex("a.txt", [FRD, _m("Freedonian government", "Country", gaz=FREEDONIA)])
    b = _ex("b.txt", [_m("the Republic of Freedonia", "GovernmentBody", gaz=FREEDONIA)])
    entities = _by_iri(resolve([a, b], GAZ))
    assert list(entities) == [FREEDONIA.iri]
    entity = entities[FREEDONIA.iri]
    assert (entity.type, entity.label) == ("Country", "Freedonia")  # the gazetteer decides
    assert set(entity.aliases) == {"Freedonian government", "the Republic of Freedonia"}
    assert entity.sameas == FREEDONIA.sameas


def test_resolve_label_found_in_gazetteer_joins_entry():
    # the extractor did not link it, but its label is a gazetteer name
    loose = _m("ACME NETWORKS", "Company", label="Acme Networks", key="acme networks")
    entities = _by_iri(resolve([_ex("a.txt", [loose]), _ex("b.txt", [ACM])], GAZ))
    assert list(entities) == [ACME.iri]
    assert "ACME NETWORKS" in entities[ACME.iri].aliases


def test_resolve_same_key_merges_outside_gazetteer():
    a = _ex("a.txt", [_m("Orbital Dynamics", "Company", key="orbital dynamics")])
    b = _ex("b.txt", [_m("Orbital Dynamics Inc", "Company", label="Orbital Dynamics",
                         key="orbital dynamics")])
    (entity,) = resolve([a, b], GAZ).entities
    assert entity.iri == KGR + "orbital-dynamics"
    assert entity.label == "Orbital Dynamics"
    assert entity.aliases == ("Orbital Dynamics Inc",)
    assert entity.sameas == ()


def test_resolve_different_keys_stay_apart():
    a = _ex("a.txt", [_m("Orbital", "Company", key="orbital-1")])
    b = _ex("b.txt", [_m("Orbital", "Person", key="orbital-2")])
    entities = resolve([a, b], GAZ).entities
    assert len(entities) == 2
    assert len({e.iri for e in entities}) == 2


def test_resolve_majority_type_and_label():
    ms = [_m("Orbital", "Company", key="k"), _m("Orbital Corp", "Company", key="k"),
          _m("Orbital", "Person", key="k")]
    (entity,) = resolve([_ex("a.txt", ms)], GAZ).entities
    assert (entity.type, entity.label) == ("Company", "Orbital")


def test_resolve_minted_iri_avoids_gazetteer_iris():
    # "Acme-Networks" normalizes to "acmenetworks", not a gazetteer name, but its
    # slug is the IRI of the gazetteer's Acme Networks
    other = _m("Acme-Networks", "Company", key="acmenetworks")
    (entity,) = resolve([_ex("a.txt", [other])], GAZ).entities
    assert entity.iri != ACME.iri
    assert entity.iri.startswith(ACME.iri + "-")


@pytest.mark.parametrize(("prop", "subject", "obj", "expected"), [
    ("basedIn", "Company", "Country", True),
    ("basedIn", "Person", "Country", True),
    ("basedIn", "Company", "Company", False),
    ("basedIn", "Technology", "Country", False),
    ("bans", "Country", "Product", True),
    ("bans", "Initiative", "Company", True),
    ("bans", "Technology", "Company", False),
    ("denies", "Company", "Claim", True),
    ("denies", "Company", "Company", False),
    ("states", "Person", "Claim", True),
    ("sanctions", "Country", "Claim", False),
    ("officialOf", "Person", "GovernmentBody", True),
    ("officialOf", "Company", "Country", False),
    ("memberOf", "Country", "Initiative", True),
    ("memberOf", "Country", "Technology", False),
    ("supplies", "Company", "Country", True),
    ("supplies", "Company", "Product", False),
])
def test_resolve_fits(prop, subject, obj, expected):
    assert fits(prop, subject, obj) is expected


def test_resolve_drops_relation_outside_ontology():
    rels = [_rel(ACM, "basedIn", FRD), _rel(ACM, "basedIn", _m("Orbital", "Company"))]
    facts = _facts(resolve([_ex("a.txt", relations=rels)], GAZ))
    assert facts == {("acme-networks", "basedIn", "freedonia", "positive", "asserted")}


def test_resolve_drops_self_relation():
    res = resolve([_ex("a.txt", relations=[_rel(FRD, "sanctions", FRD)])], GAZ)
    assert res.assertions == ()


@pytest.mark.parametrize(("kw", "polarity", "modality"), [
    ({}, "positive", "asserted"),
    ({"polarity": "negative"}, "negative", "asserted"),
    ({"modality": "hedged"}, "positive", "hedged"),
    ({"modality": "planned"}, "positive", "planned"),
    ({"polarity": "negative", "modality": "planned"}, "negative", "planned"),
])
def test_resolve_polarity_and_modality(kw, polarity, modality):
    res = resolve([_ex("a.txt", relations=[_rel(FRD, "bans", ZPH, **kw)])], GAZ)
    (a,) = res.assertions
    assert (a.polarity, a.modality) == (polarity, modality)


def test_resolve_negative_and_positive_stay_separate():
    rels = [_rel(FRD, "bans", ZPH, "a.txt"), _rel(FRD, "bans", ZPH, "b.txt", polarity="negative")]
    res = resolve([_ex("a.txt", relations=rels[:1]), _ex("b.txt", relations=rels[1:])], GAZ)
    assert {a.polarity for a in res.assertions} == {"positive", "negative"}


def test_resolve_planned_and_asserted_merge_as_asserted():
    a = _ex("a.txt", relations=[_rel(FRD, "bans", ZPH, "a.txt", modality="planned")])
    b = _ex("b.txt", relations=[_rel(FRD, "bans", ZPH, "b.txt")])
    (assertion,) = resolve([a, b], GAZ).assertions
    assert assertion.modality == "asserted"
    assert len(assertion.evidence) == 2


@pytest.mark.parametrize(("values", "expected"), [
    ([], 0.0),
    ([0.5], 0.5),
    ([0.5, 0.5], 0.75),
    ([0.6, 0.5], 0.8),
    ([0.8, 0.0], 0.8),
    ([0.9, 0.9, 0.9], 0.99),  # capped below certainty
    ([1.0], 0.99),
])
def test_resolve_noisy_or(values, expected):
    assert noisy_or(values) == pytest.approx(expected)


def test_resolve_confidence_combines_across_documents():
    a = _ex("a.txt", relations=[_rel(FRD, "sanctions", ACM, "a.txt", 0.6)])
    b = _ex("b.txt", relations=[_rel(FRD, "sanctions", ACM, "b.txt", 0.5)])
    (assertion,) = resolve([a, b], GAZ).assertions
    assert assertion.confidence == pytest.approx(0.8)
    assert {ev.doc_id for ev in assertion.evidence} == {"a.txt", "b.txt"}


def test_resolve_identical_evidence_counted_once():
    rc = _rel(FRD, "sanctions", ACM, "a.txt", 0.6)
    (assertion,) = resolve([_ex("a.txt", relations=[rc, rc])], GAZ).assertions
    assert len(assertion.evidence) == 1


def test_resolve_min_confidence_drops_weak_positive():
    rels = [_rel(FRD, "sanctions", ACM, confidence=0.4),
            _rel(FRD, "bans", ZPH, confidence=0.9),
            _rel(ACM, "opposes", FRD, confidence=0.3, polarity="negative")]
    facts = {(a.predicate, a.polarity) for a in resolve([_ex("a.txt", relations=rels)], GAZ,
                                                         min_confidence=0.5).assertions}
    assert ("sanctions", "positive") not in facts
    assert ("bans", "positive") in facts
    assert ("opposes", "negative") in facts  # only positive assertions are filtered
    assert len(resolve([_ex("a.txt", relations=rels)], GAZ).assertions) == 3


def _claim(doc: str, n: int, speaker: Mention | None, text: str) -> ClaimCandidate:
    return ClaimCandidate(f"{doc}#claim{n}", speaker, text, _ev(doc, 0.75, start=100 * n))


def test_resolve_claim_with_speaker_and_denial():
    claim = _claim("a.txt", 1, FRD, "the handsets send user data abroad")
    rels = [_rel(FRD, "states", claim), _rel(ACM, "denies", claim)]
    res = resolve([_ex("a.txt", [FRD, ACM], rels, [claim])], GAZ)
    (c,) = res.claims
    assert (c.speaker, c.text) == (FREEDONIA.iri, "the handsets send user data abroad")
    assert c.iri.startswith(KGR + "claim-a-txt-")
    assert {(a.subject, a.predicate, a.object) for a in res.assertions} == {
        (FREEDONIA.iri, "states", c.iri), (ACME.iri, "denies", c.iri)}


def test_resolve_claim_without_speaker_dropped():
    orphan = _claim("a.txt", 1, None, "the handsets send user data abroad")
    res = resolve([_ex("a.txt", [ACM], [_rel(ACM, "denies", orphan)], [orphan])], GAZ)
    assert res.claims == ()
    assert res.assertions == ()  # nothing may point at a claim that is not in the graph


def test_resolve_claims_of_two_documents_stay_apart():
    a = _claim("a.txt", 1, FRD, "the first statement here")
    b = _claim("b.txt", 1, FRD, "the second statement here")
    res = resolve([_ex("a.txt", [FRD], [_rel(FRD, "states", a)], [a]),
                   _ex("b.txt", [FRD], [_rel(FRD, "states", b, "b.txt")], [b])], GAZ)
    assert len({c.iri for c in res.claims}) == 2
    assert {c.text for c in res.claims} == {a.text, b.text}


def test_resolve_claim_numbers_count_per_document():
    a = _claim("a.txt", 1, FRD, "the first statement here")
    b = _claim("b.txt", 1, FRD, "the second statement here")
    res = resolve([_ex("a.txt", [FRD], [], [a]), _ex("b.txt", [FRD], [], [b])], GAZ)
    iris = sorted(c.iri for c in res.claims)
    assert len(iris) == 2 and iris[0].startswith(KGR + "claim-a-txt-") and iris[0].endswith("-1")
    assert iris[1].startswith(KGR + "claim-b-txt-") and iris[1].endswith("-1")


def test_resolve_claim_speaker_only_in_claim():
    claim = _claim("a.txt", 1, ACM, "the handsets are safe to use")
    res = resolve([_ex("a.txt", [], [], [claim])], GAZ)
    assert res.claims[0].speaker == ACME.iri


def test_resolve_is_order_independent():
    rels_a = [_rel(FRD, "bans", ZPH, "a.txt", 0.7), _rel(ACM, "basedIn", FRD, "a.txt")]
    rels_b = [_rel(FRD, "bans", ZPH, "b.txt", 0.6)]
    a, b = _ex("a.txt", relations=rels_a), _ex("b.txt", relations=rels_b)
    one, two = resolve([a, b], GAZ), resolve([b, a], GAZ)
    assert one.entities == two.entities
    assert _facts(one) == _facts(two)
    assert [x.confidence for x in one.assertions] == [x.confidence for x in two.assertions]
