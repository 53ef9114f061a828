"""Checks on ontology/gazetteer.ttl, the gazetteer of well-known actors."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL

from kg.resources import ontology_file

KG = Namespace("https://w3id.org/kg-geotech/ontology#")
KGR = "https://w3id.org/kg-geotech/resource/"
WD = "http://www.wikidata.org/entity/"

CLASSES = {
    KG[name]
    for name in (
        "Country",
        "CountryGroup",
        "Company",
        "GovernmentBody",
        "InternationalOrganization",
        "Person",
        "Product",
        "Technology",
        "Initiative",
    )
}


@cache
def _graph() -> Graph:
    graph = Graph()
    graph.parse(ontology_file("gazetteer.ttl"), format="turtle")
    return graph


def _entries() -> list[URIRef]:
    return sorted({s for s in _graph().subjects(RDF.type, None) if isinstance(s, URIRef)})


def _slug(label: str) -> str:
    """Lower-case hyphen slug of a label, as the gazetteer mints its IRIs.

    Args:
        label: The canonical name.

    Returns:
        Accents folded, apostrophes dropped, other non-alphanumeric runs as one hyphen.
    """
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['\u2019]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _norm(text: str) -> str:
    """Case-folded, punctuation-stripped form used to compare aliases.

    Like the resolver's key it also drops a possessive "'s" and a leading "the",
    so "China's Foreign Ministry" and "the Pentagon" are compared without them.

    Args:
        text: A label, alias or demonym.

    Returns:
        The comparison key.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2019]s\b", "", text)
    text = " ".join(re.sub(r"[^\w\s]", "", text).split())
    return re.sub(r"^the ", "", text)


def _names(entry: URIRef, *predicates: URIRef) -> set[str]:
    return {_norm(str(o)) for p in predicates for o in _graph().objects(entry, p)}


def _owners(*predicates: URIRef) -> dict[str, set[URIRef]]:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for entry in _entries():
        for name in _names(entry, *predicates):
            owners[name].add(entry)
    return owners


def _of_type(cls: str) -> set[URIRef]:
    return set(_graph().subjects(RDF.type, KG[cls]))


def test_gazetteer_parses_with_entries():
    assert len(_entries()) >= 400


def test_gazetteer_every_entry_has_exactly_one_label():
    bad = [e for e in _entries() if len(list(_graph().objects(e, RDFS.label))) != 1]
    assert bad == []


def test_gazetteer_every_entry_has_one_known_type():
    bad = [e for e in _entries() if set(_graph().objects(e, RDF.type)) - CLASSES]
    untyped = [e for e in _entries() if len(set(_graph().objects(e, RDF.type))) != 1]
    assert bad == [] and untyped == []


def test_gazetteer_iris_are_slugs_of_labels():
    graph = _graph()
    bad = [e for e in _entries() if str(e) != KGR + _slug(str(graph.value(e, RDFS.label)))]
    assert bad == []


def test_gazetteer_names_are_plain_nonempty_literals():
    graph = _graph()
    for predicate in (RDFS.label, SKOS.altLabel, KG.demonym):
        for _, _, obj in graph.triples((None, predicate, None)):
            assert isinstance(obj, Literal) and obj.datatype is None and _norm(str(obj))


def test_gazetteer_no_alias_shared_by_two_entries():
    shared = {n: sorted(o) for n, o in _owners(RDFS.label, SKOS.altLabel).items() if len(o) > 1}
    assert shared == {}


def test_gazetteer_demonyms_unambiguous():
    names = _owners(RDFS.label, SKOS.altLabel)
    demonyms = _owners(KG.demonym)
    shared = {d: o for d, o in demonyms.items() if len(o | names.get(d, set())) > 1}
    assert shared == {}


def test_gazetteer_demonyms_only_on_countries():
    holders = set(_graph().subjects(KG.demonym, None))
    assert holders <= _of_type("Country")


def test_gazetteer_sameas_are_wikidata_qids():
    objects = [str(o) for o in _graph().objects(None, OWL.sameAs)]
    bad = [o for o in objects if not re.fullmatch(re.escape(WD) + r"Q[1-9]\d*", o)]
    assert objects and bad == []


def test_gazetteer_no_duplicate_qids():
    counts = Counter(_graph().objects(None, OWL.sameAs))
    assert [q for q, n in counts.items() if n > 1] == []


def test_gazetteer_at_most_one_qid_per_entry():
    assert [e for e in _entries() if len(list(_graph().objects(e, OWL.sameAs))) > 1] == []


@pytest.mark.parametrize(
    ("cls", "minimum"),
    [
        ("Country", 190),
        ("CountryGroup", 5),
        ("InternationalOrganization", 15),
        ("GovernmentBody", 60),
        ("Company", 80),
        ("Product", 25),
        ("Technology", 15),
        ("Initiative", 30),
        ("Person", 60),
    ],
)
def test_gazetteer_type_counts_above_minimum(cls, minimum):
    assert len(_of_type(cls)) >= minimum


@pytest.mark.parametrize(
    ("alias", "slug"),
    [
        ("U.S.", "united-states"),
        ("Washington", "united-states"),
        ("Beijing", "china"),
        ("Britain", "united-kingdom"),
        ("S. Korea", "south-korea"),
        ("The Hague", "netherlands"),
        ("Brussels", "european-union"),
        ("Bytedance", "bytedance"),
        ("Huawei Technologies Co", "huawei"),
        ("Tik Tok", "tiktok"),
        ("Weixin", "wechat"),
        ("CCP", "chinese-communist-party"),
        ("Commerce Department", "us-department-of-commerce"),
        ("Post- och telestyrelsen", "swedish-post-and-telecom-authority"),
        ("Global Initiative on Data Security", "global-data-security-initiative"),
        ("Pompeo", "mike-pompeo"),
    ],
)
def test_gazetteer_known_alias_resolves(alias, slug):
    assert _owners(RDFS.label, SKOS.altLabel)[_norm(alias)] == {URIRef(KGR + slug)}


@pytest.mark.parametrize(
    ("demonym", "slug"),
    [("British", "united-kingdom"), ("Dutch", "netherlands"), ("Chinese", "china")],
)
def test_gazetteer_demonym_resolves(demonym, slug):
    assert _owners(KG.demonym)[_norm(demonym)] == {URIRef(KGR + slug)}


@pytest.mark.parametrize("surname", ["Wang", "Li", "Zhang", "Zhao", "Chen", "Liu", "Kim"])
def test_gazetteer_no_common_chinese_surname_alias(surname):
    assert _norm(surname) not in _owners(RDFS.label, SKOS.altLabel)


@pytest.mark.parametrize(("slug", "qid"), [("united-states", "Q30"), ("china", "Q148")])
def test_gazetteer_anchor_qids(slug, qid):
    assert _graph().value(URIRef(KGR + slug), OWL.sameAs) == URIRef(WD + qid)
