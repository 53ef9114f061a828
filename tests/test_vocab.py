"""kg.vocab: the closed KG namespace and the relation tables agree with kg.ttl."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.resources import ontology_file
from kg.vocab import (
    FAMILIES,
    KG,
    KGR,
    PREFIXES,
    PROPERTY_FAMILY,
    RELATION_PROPERTIES,
    STRUCTURAL_PROPERTIES,
    WD,
    bind_prefixes,
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file("kg.ttl"), format="turtle")


@pytest.mark.parametrize("name", ["ban", "Bans", "basedin", "Organisation", "label"])
def test_vocab_unknown_term_raises(name):
    with pytest.raises(AttributeError):
        getattr(KG, name)
    with pytest.raises(AttributeError):
        KG[name]


def test_vocab_known_terms_are_iris():
    assert KG.bans == URIRef("https://w3id.org/kg-geotech/ontology#bans")
    assert KG["designatesAsThreat"] == URIRef(str(KG) + "designatesAsThreat")
    assert KGR["united-states"] == URIRef("https://w3id.org/kg-geotech/resource/united-states")
    assert WD.Q30 == URIRef("http://www.wikidata.org/entity/Q30")


def test_vocab_matches_ontology_terms(onto):
    defined = {s for s in onto.subjects() if isinstance(s, URIRef) and s in KG}
    in_ontology = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}
    assert in_ontology == {KG[name] for name in KG.__annotations__ if not name.startswith("_")}
    assert defined == in_ontology


def test_vocab_relation_tables():
    assert len(RELATION_PROPERTIES) == len(set(RELATION_PROPERTIES)) == 19
    assert len(STRUCTURAL_PROPERTIES) == 5
    assert set(PROPERTY_FAMILY) == set(RELATION_PROPERTIES) | set(STRUCTURAL_PROPERTIES)
    assert set(PROPERTY_FAMILY.values()) == set(FAMILIES)
    assert all(KG[name] for name in PROPERTY_FAMILY)  # every name is a defined term


@pytest.mark.parametrize("name", sorted(PROPERTY_FAMILY))
def test_vocab_family_matches_ontology(onto, name):
    assert onto.value(KG[name], RDFS.subPropertyOf) == KG[PROPERTY_FAMILY[name]]


def test_vocab_bind_prefixes_compacts_serialization():
    graph = bind_prefixes(Graph())
    graph.add((KGR["ruritania"], KG.bans, KGR["chatly"]))
    graph.add((KGR["ruritania"], RDFS.label, Literal("Ruritania")))
    prefixes = dict(graph.namespaces())
    for prefix in ("kg", "kgr", "wd", "skos", "owl", "prov", "dcterms", "xsd"):
        assert prefix in prefixes
    text = graph.serialize(format="turtle")
    assert "kg:bans kgr:chatly" in text and "kgr:ruritania" in text


def test_vocab_prefixes_are_the_ones_bound_and_exported():
    from kg.export.interchange import jsonld_context
    from kg.sparql import store

    assert PREFIXES["kg"] == str(KG._NS) and PREFIXES["kgr"] == str(KGR)
    assert all(isinstance(iri, str) for iri in PREFIXES.values())
    bound = dict(bind_prefixes(Graph()).namespaces())
    assert {prefix: str(bound[prefix]) for prefix in PREFIXES} == PREFIXES
    assert jsonld_context() == dict(sorted(PREFIXES.items()))
    assert store.PREFIXES is PREFIXES  # one table, not a copy
