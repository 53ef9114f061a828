"""The one conversion between pyoxigraph and rdflib terms, and N-Triples text for rdflib terms.

Both query engines answer in rdflib terms (see :mod:`kg.sparql.engine`), so every
formatter prints one kind of term. A term read from the store is given the form an
rdflib parser would give it, so ``--engine oxigraph`` and ``--engine rdflib`` print
the same values.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NT_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


class TripleTerm(Literal):
    """An RDF 1.2 triple term, which rdflib has no class for.

    It prints as its N-Triples text (a literal to rdflib's serializers), and
    :func:`to_oxigraph` gives back the triple it stands for, so an answer that
    goes from the store through rdflib terms and back is unchanged.

    Attributes:
        triple: the pyoxigraph triple.
    """

    triple: ox.Triple

    def __new__(cls, triple: ox.Triple) -> TripleTerm:  # noqa: D102 - documented on the class
        term = super().__new__(cls, str(triple))
        term.triple = triple
        return term


def to_rdflib(term) -> Node | None:
    """A pyoxigraph term (or None) as the rdflib term an rdflib parser would give.

    Plain strings get no datatype and language-tagged strings only their tag,
    as rdflib reads them from Turtle; other literals keep the lexical form the
    store gives (already canonical there), so ``kg query`` and ``kg serve``
    print the same values as any other client of the store.

    Args:
        term: a pyoxigraph NamedNode, BlankNode, Literal or Triple, or None (unbound).

    Returns:
        The rdflib term, or None for None.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    return TripleTerm(term)


def to_oxigraph(term: Node):
    """An rdflib IRI, blank node or literal as a pyoxigraph term.

    Args:
        term: the rdflib term (a :class:`TripleTerm` gives back its triple).

    Raises:
        TypeError: the term is of no kind pyoxigraph has (a variable, say).
    """
    if isinstance(term, TripleTerm):
        return term.triple
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _LANG_STRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def nt_term(term: Node | None) -> str:
    """N-Triples syntax for one rdflib term ("" when unbound).

    This is how a term is written into query text (a ``VALUES`` block) for either
    engine, and into the TSV results format.
    """
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    lexical = str(term)
    for raw, escaped in _NT_ESCAPES:
        lexical = lexical.replace(raw, escaped)
    if term.language:
        return f'"{lexical}"@{term.language}'
    if term.datatype is not None and term.datatype != XSD.string:
        return f'"{lexical}"^^<{term.datatype}>'
    return f'"{lexical}"'
