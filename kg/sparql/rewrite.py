"""Rewriting query text: bound terms into ``VALUES`` blocks, and the form of a query.

Both engines of :mod:`kg.sparql.engine` take bindings this way, so a bundled query's
``VALUES ?name { ... }`` default is replaced the same way whichever engine runs it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Node

from kg.sparql.result import QueryError
from kg.sparql.terms import nt_term

_FORM_TOKENS = re.compile(
    r"<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*"
    r"|\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def apply_values_bindings(
    sparql: str, bindings: Mapping[str, Node]
) -> tuple[str, dict[str, Node]]:
    """Puts bound terms into the query's ``VALUES ?name { ... }`` blocks.

    Returns:
        The rewritten query and the bindings that had no VALUES block.

    Raises:
        QueryError: a blank node is bound (VALUES cannot hold one).
    """
    rest = {}
    for name, term in bindings.items():
        block = re.compile(rf"(VALUES\s+\?{re.escape(name)}\s*\{{)[^{{}}]*(\}})", re.IGNORECASE)
        if not block.search(sparql):
            rest[name] = term
            continue
        if isinstance(term, BNode):
            raise QueryError(f"?{name}: a blank node cannot be bound")
        sparql = block.sub(lambda m, t=term: f"{m.group(1)} {nt_term(t)} {m.group(2)}", sparql)
    return sparql, rest


def with_final_values(sparql: str, bindings: dict[str, Node]) -> str:
    """``sparql`` followed by ``VALUES (?a ?b) { (...) }`` holding the bound terms.

    This binds variables an engine cannot substitute (pyoxigraph substitutes only
    SELECTed ones) by joining the whole query with one solution.

    Raises:
        QueryError: a blank node is bound (VALUES cannot hold one).
    """
    if any(isinstance(term, BNode) for term in bindings.values()):
        raise QueryError("a blank node can be bound only to a SELECTed variable")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(nt_term(term) for term in bindings.values())
    return f"{sparql}\nVALUES ({names}) {{ ({terms}) }}\n"


def query_form(sparql: str) -> str:
    """The query form keyword (CONSTRUCT, DESCRIBE, ...), skipping IRIs, strings, comments."""
    for match in _FORM_TOKENS.finditer(sparql):
        if match.group(1):
            return match.group(1).upper()
    return "CONSTRUCT"
