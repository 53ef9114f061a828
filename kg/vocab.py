"""The project's RDF namespaces and the ontology's terms as Python names.

``KG`` is a closed namespace: ``KG.bans`` is the IRI of the property, and a
misspelt term such as ``KG.ban`` raises ``AttributeError`` instead of minting
an IRI the ontology does not define. ``tests/test_vocab.py`` checks that the
terms listed here and those defined in ``ontology/kg.ttl`` are the same.
"""

# No ``from __future__ import annotations``: DefinedNamespace reads the
# annotations below at run time and expects the URIRef class, not a string.

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "KG", "KGR", "WD", "PROV", "RDF", "RDFS", "OWL", "SKOS", "XSD", "DCTERMS",
    "RELATION_PROPERTIES", "STRUCTURAL_PROPERTIES", "FAMILIES", "PROPERTY_FAMILY",
    "PREFIXES", "bind_prefixes",
]


class KG(DefinedNamespace):
    """Terms of the kg-geotech ontology (https://w3id.org/kg-geotech/ontology#)."""

    _NS = Namespace("https://w3id.org/kg-geotech/ontology#")
    _fail = True

    # Classes
    Entity: URIRef
    Actor: URIRef
    Country: URIRef
    CountryGroup: URIRef
    Organization: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    InternationalOrganization: URIRef
    CompanyGroup: URIRef
    Person: URIRef
    Product: URIRef
    Technology: URIRef
    Initiative: URIRef
    Claim: URIRef
    Document: URIRef
    Evidence: URIRef
    NegatedStatement: URIRef
    HedgedStatement: URIRef

    # Relation families (super-properties)
    coerciveRelation: URIRef
    verbalConflictRelation: URIRef
    cooperativeRelation: URIRef
    structuralRelation: URIRef
    otherRelation: URIRef

    # Relations
    bans: URIRef
    sanctions: URIRef
    restricts: URIRef
    excludes: URIRef
    blocks: URIRef
    accuses: URIRef
    designatesAsThreat: URIRef
    denies: URIRef
    opposes: URIRef
    threatens: URIRef
    launches: URIRef
    joins: URIRef
    supports: URIRef
    cooperatesWith: URIRef
    pressures: URIRef
    investigates: URIRef
    sues: URIRef
    acquires: URIRef
    states: URIRef

    # Structural relations
    owns: URIRef
    basedIn: URIRef
    officialOf: URIRef
    memberOf: URIRef
    supplies: URIRef

    # Claims, provenance, documents, gazetteer
    text: URIRef
    speaker: URIRef
    sentence: URIRef
    evidence: URIRef
    startChar: URIRef
    endChar: URIRef
    rule: URIRef
    confidence: URIRef
    polarity: URIRef
    modality: URIRef
    fileName: URIRef
    sha256: URIRef
    demonym: URIRef
    city: URIRef


KGR = Namespace("https://w3id.org/kg-geotech/resource/")
WD = Namespace("http://www.wikidata.org/entity/")

RELATION_PROPERTIES: tuple[str, ...] = (
    "bans", "sanctions", "restricts", "excludes", "accuses", "designatesAsThreat",
    "denies", "opposes", "threatens", "launches", "joins", "supports", "cooperatesWith",
    "pressures", "investigates", "sues", "blocks", "acquires", "states",
)
"""The 19 relation properties (actor -> target), in the order of vocabulary.md."""

STRUCTURAL_PROPERTIES: tuple[str, ...] = ("owns", "basedIn", "officialOf", "memberOf", "supplies")
"""The 5 structural properties."""

FAMILIES: dict[str, tuple[str, ...]] = {
    "coerciveRelation": ("bans", "sanctions", "restricts", "excludes", "blocks"),
    "verbalConflictRelation": ("accuses", "denies", "opposes", "threatens", "designatesAsThreat"),
    "cooperativeRelation": ("launches", "joins", "supports", "cooperatesWith"),
    "structuralRelation": STRUCTURAL_PROPERTIES,
    "otherRelation": ("pressures", "investigates", "sues", "acquires", "states"),
}
"""Family super-property (local name in kg.ttl) -> its member properties."""

PROPERTY_FAMILY: dict[str, str] = {
    name: family for family, members in FAMILIES.items() for name in members
}
"""Relation or structural property name -> local name of its family super-property."""

CLAIM_OBJECT_PROPERTIES: frozenset[str] = frozenset({"denies", "states"})
"""Relations whose object is a kg:Claim rather than a kg:Entity."""

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kgr": str(KGR),
    "wd": str(WD),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "skos": str(SKOS._NS),
    "owl": str(OWL._NS),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "xsd": str(XSD._NS),
}
"""The project prefixes: prefix -> namespace IRI. Every exporter declares them, and
queries may use them without PREFIX lines."""


def bind_prefixes(graph: Graph) -> Graph:
    """Binds the project prefixes (kg, kgr, wd, rdf, rdfs, skos, owl, prov, dcterms, xsd).

    Args:
        graph: the graph whose namespace manager gets the bindings; existing
            bindings of these prefixes are replaced.

    Returns:
        The same graph, for chaining.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph
