"""The OWL ontology (ontology/kg.ttl) defines the whole vocabulary contract."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.resources import ontology_file
from kg.vocab import FAMILIES, KG, PROPERTY_FAMILY

ONTOLOGY_IRI = URIRef("https://w3id.org/kg-geotech/ontology")
CAMEO = "http://eventdata.parusanalytics.com/cameo#"
PLOVER = "https://github.com/openeventdata/PLOVER#"

CLASSES = (
    "Entity", "Actor", "Country", "CountryGroup", "Organization", "Company", "GovernmentBody",
    "InternationalOrganization", "CompanyGroup", "Person", "Product", "Technology",
    "Initiative", "Claim", "Document", "Evidence", "NegatedStatement", "HedgedStatement",
)
RELATIONS = (
    "bans", "sanctions", "restricts", "excludes", "accuses", "designatesAsThreat", "denies",
    "opposes", "threatens", "launches", "joins", "supports", "cooperatesWith", "pressures",
    "investigates", "sues", "blocks", "acquires", "states",
)
STRUCTURAL = ("owns", "basedIn", "officialOf", "memberOf", "supplies")
OTHER_OBJECT_PROPERTIES = ("speaker", "evidence", *FAMILIES)
DATATYPE_PROPERTIES = (
    "text", "sentence", "startChar", "endChar", "rule", "confidence", "polarity", "modality",
    "fileName", "sha256", "demonym", "city",
)
SUBCLASS_OF = (
    ("Actor", "Entity"), ("Product", "Entity"), ("Technology", "Entity"),
    ("Initiative", "Entity"), ("Country", "Actor"), ("CountryGroup", "Actor"),
    ("Organization", "Actor"), ("CompanyGroup", "Actor"), ("Person", "Actor"),
    ("Company", "Organization"), ("GovernmentBody", "Organization"),
    ("InternationalOrganization", "Organization"),
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file("kg.ttl"), format="turtle")


def _members(graph: Graph, expr) -> set[str]:
    """Local names of a named class or of an owl:unionOf class expression."""
    if isinstance(expr, URIRef):
        return {str(expr).split("#")[-1]}
    assert isinstance(expr, BNode), expr
    union = graph.value(expr, OWL.unionOf)
    return {str(c).split("#")[-1] for c in Collection(graph, union)}


def _ancestors(graph: Graph, name: str) -> set[URIRef]:
    return set(graph.transitive_objects(KG[name], RDFS.subClassOf))


def test_ontology_parses_and_declares_itself(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


@pytest.mark.parametrize("name", CLASSES)
def test_ontology_class_has_label_and_comment(onto, name):
    term = KG[name]
    assert (term, RDF.type, OWL.Class) in onto
    assert onto.value(term, RDFS.label) is not None
    assert onto.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("name", RELATIONS + STRUCTURAL + OTHER_OBJECT_PROPERTIES)
def test_ontology_object_property_is_documented(onto, name):
    term = KG[name]
    assert (term, RDF.type, OWL.ObjectProperty) in onto
    for predicate in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
        assert onto.value(term, predicate) is not None, f"kg:{name} lacks {predicate}"


@pytest.mark.parametrize("name", DATATYPE_PROPERTIES)
def test_ontology_datatype_property_is_documented(onto, name):
    term = KG[name]
    assert (term, RDF.type, OWL.DatatypeProperty) in onto
    for predicate in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
        assert onto.value(term, predicate) is not None, f"kg:{name} lacks {predicate}"


@pytest.mark.parametrize(("child", "parent"), SUBCLASS_OF)
def test_ontology_class_hierarchy(onto, child, parent):
    assert (KG[child], RDFS.subClassOf, KG[parent]) in onto


@pytest.mark.parametrize("name", [c for c, _ in SUBCLASS_OF])
def test_ontology_entity_classes_reach_entity(onto, name):
    assert KG.Entity in _ancestors(onto, name)


@pytest.mark.parametrize("name", ["Claim", "Document", "Evidence", "NegatedStatement"])
def test_ontology_provenance_classes_are_not_entities(onto, name):
    assert KG.Entity not in _ancestors(onto, name)


def test_ontology_negated_statement_is_a_statement(onto):
    assert (KG.NegatedStatement, RDFS.subClassOf, RDF.Statement) in onto


@pytest.mark.parametrize("name", RELATIONS + STRUCTURAL)
def test_ontology_property_belongs_to_its_family(onto, name):
    families = {str(o).split("#")[-1] for o in onto.objects(KG[name], RDFS.subPropertyOf)}
    assert families == {PROPERTY_FAMILY[name]}


@pytest.mark.parametrize(
    ("family", "size"),
    [("coerciveRelation", 5), ("verbalConflictRelation", 5), ("cooperativeRelation", 4),
     ("structuralRelation", 5), ("otherRelation", 5)],
)
def test_ontology_family_sizes(onto, family, size):
    assert len(set(onto.subjects(RDFS.subPropertyOf, KG[family]))) == size


def test_ontology_cooperates_with_is_symmetric(onto):
    assert (KG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in onto


@pytest.mark.parametrize(
    ("name", "domain", "range_"),
    [
        ("bans", {"Actor", "Initiative", "Product"}, {"Entity"}),
        ("excludes", {"Actor", "Initiative", "Product"}, {"Entity"}),
        ("denies", {"Actor", "Initiative", "Product"}, {"Claim"}),
        ("states", {"Actor", "Initiative", "Product"}, {"Claim"}),
        ("owns", {"Actor"}, {"Entity"}),
        ("basedIn", {"Organization", "Product", "Person", "CompanyGroup"}, {"Country"}),
        ("officialOf", {"Person"}, {"Country", "Organization"}),
        ("memberOf", {"Actor"}, {"Actor", "Initiative"}),
        ("supplies", {"Actor"}, {"Actor"}),
        ("speaker", {"Claim"}, {"Actor", "Product"}),
        ("evidence", {"Statement", "Claim"}, {"Evidence"}),
    ],
)
def test_ontology_domains_and_ranges(onto, name, domain, range_):
    assert _members(onto, onto.value(KG[name], RDFS.domain)) == domain
    assert _members(onto, onto.value(KG[name], RDFS.range)) == range_


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("accuses", CAMEO + "112"),
        ("opposes", CAMEO + "111"),
        ("sanctions", CAMEO + "163"),
        ("threatens", CAMEO + "13"),
        ("cooperatesWith", CAMEO + "06"),
        ("sanctions", PLOVER + "SANCTION"),
        ("accuses", PLOVER + "ACCUSE"),
        ("threatens", PLOVER + "THREATEN"),
        ("cooperatesWith", PLOVER + "COOPERATE"),
        ("supports", PLOVER + "SUPPORT"),
        ("investigates", PLOVER + "INVESTIGATE"),
    ],
)
def test_ontology_event_category_mappings(onto, name, target):
    assert (KG[name], SKOS.closeMatch, URIRef(target)) in onto


def test_ontology_every_kg_term_is_labelled(onto):
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}
    assert terms
    assert all(onto.value(t, RDFS.label) is not None for t in terms)
