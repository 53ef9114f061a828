"""The gazetteer of well-known actors, read from ``ontology/gazetteer.ttl``.

Entries are graph individuals (checked by the same SHACL shapes as a build);
this module turns them into plain lookup tables for the NLP and resolution
stages. A file that cannot be read or parsed raises :class:`GazetteerError`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from kg.errors import KgError, one_line
from kg.resources import ontology_file
from kg.vocab import KG

KG_NS = str(KG)


class GazetteerError(KgError):
    """The gazetteer file is missing or not Turtle; the message names the file."""


@dataclass(frozen=True)
class GazetteerEntry:
    iri: str
    type: str
    label: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    sameas: tuple[str, ...]
    cities: tuple[str, ...] = ()


def normalize_name(text: str) -> str:
    """The key names are looked up and resolved by, its words kept apart.

    Case (casefolded: "Straße" is "strasse"), curly apostrophes, a possessive
    's, punctuation (deleted: "U.S." is "us", "AT&T" is "att"), spacing and a
    leading word "the" do not count: "The U.S.'s  Army" -> "us army".

    The words stay apart because callers compare names word by word (one name
    being the start of another). Evaluation compares gold names differently, by
    :func:`kg.evaluation.match.spaceless_name_key`, which must equal the shared
    scorer's key; the two are not interchangeable.

    Args:
        text: a name as written.

    Returns:
        The key: lowercase words joined by single spaces ("" when nothing is left).
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = t.replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"[^\w\s]", "", t)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"^the ", "", t)


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, GazetteerEntry]
    by_name: dict[str, str]
    by_demonym: dict[str, str]
    by_city: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry one of whose names equals ``name`` after normalization."""
        iri = self.by_name.get(normalize_name(name))
        return self.entries[iri] if iri else None

    def country_of_city(self, name: str) -> GazetteerEntry | None:
        iri = self.by_city.get(normalize_name(name))
        return self.entries[iri] if iri else None

    def country_of_demonym(self, word: str) -> GazetteerEntry | None:
        iri = self.by_demonym.get(normalize_name(word))
        return self.entries[iri] if iri else None


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _entry(graph: Graph, node: URIRef) -> GazetteerEntry | None:
    types = [_local(t) for t in graph.objects(node, RDF.type) if str(t).startswith(KG_NS)]
    label = graph.value(node, RDFS.label)
    if not types or label is None:
        return None
    def texts(pred):
        return tuple(sorted(str(o) for o in graph.objects(node, pred) if isinstance(o, Literal)))
    return GazetteerEntry(
        iri=str(node),
        type=types[0],
        label=str(label),
        aliases=texts(SKOS.altLabel),
        demonyms=texts(KG.demonym),
        sameas=tuple(sorted(str(o) for o in graph.objects(node, OWL.sameAs))),
        cities=texts(KG.city),
    )


def parse_gazetteer(path: Path) -> Gazetteer:
    """Reads a gazetteer Turtle file into lookup tables.

    Raises:
        GazetteerError: the file cannot be read or is not Turtle.
    """
    try:
        graph = Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:  # rdflib's BadSyntax is a SyntaxError
        raise GazetteerError(f"{path}: {one_line(exc, squeeze=True)}") from exc
    entries: dict[str, GazetteerEntry] = {}
    for node in set(graph.subjects(RDFS.label, None)):
        entry = _entry(graph, node) if isinstance(node, URIRef) else None
        if entry:
            entries[entry.iri] = entry
    by_name: dict[str, str] = {}
    by_demonym: dict[str, str] = {}
    by_city: dict[str, str] = {}
    for entry in sorted(entries.values(), key=lambda e: e.iri):
        for city in entry.cities:
            by_city.setdefault(normalize_name(city), entry.iri)
        for name in (entry.label, *entry.aliases):
            by_name.setdefault(normalize_name(name), entry.iri)
        for dem in entry.demonyms:
            by_demonym.setdefault(normalize_name(dem), entry.iri)
    return Gazetteer(entries, by_name, by_demonym, by_city)


@cache
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The project gazetteer (cached)."""
    return parse_gazetteer(Path(path) if path else ontology_file("gazetteer.ttl"))
