"""SPARQL over a pyoxigraph store, answered as a :class:`kg.sparql.query.QueryResult`.

The solutions and triples pyoxigraph returns are converted to rdflib terms, so
the formatters of :mod:`kg.sparql.query` print them exactly like rdflib's answers.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib
from rdflib import BNode
from rdflib.term import Node

from kg.sparql.query import QueryError, QueryResult, nt_term
from kg.sparql.store import PREFIXES, to_oxigraph, to_rdflib
from kg.vocab import bind_prefixes


def run_store_query(store: ox.Store, sparql: str, bindings: dict[str, Node]) -> QueryResult:
    """Runs ``sparql`` on ``store`` with the variables of ``bindings`` bound.

    Raises:
        QueryError: the query is malformed (with line and column) or fails.
    """
    try:
        return _store_result(_evaluate(store, sparql, bindings), sparql)
    except QueryError:
        raise
    except SyntaxError as exc:
        raise QueryError(_syntax_message(str(exc), sparql)) from exc
    except Exception as exc:  # noqa: BLE001 - evaluation errors come as RuntimeError/OSError
        raise QueryError(f"query failed: {_one_line(exc)}") from exc


def _evaluate(store: ox.Store, sparql: str, bindings: dict[str, Node]):
    """pyoxigraph substitutes only SELECTed variables; others join as a final VALUES clause."""
    substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
    try:
        return store.query(sparql, prefixes=PREFIXES, substitutions=substitutions or None)
    except RuntimeError as exc:
        if "SELECT projection" not in str(exc):
            raise
    return store.query(_with_final_values(sparql, bindings), prefixes=PREFIXES)


def _store_result(answer, sparql: str) -> QueryResult:
    """A pyoxigraph answer as a QueryResult of rdflib terms."""
    namespaces = bind_prefixes(rdflib.Graph()).namespace_manager
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer), namespaces=namespaces)
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [tuple(to_rdflib(solution[i]) for i in range(len(names))) for solution in answer]
        return QueryResult("SELECT", names, rows, namespaces=namespaces)
    graph = bind_prefixes(rdflib.Graph())
    for triple in answer:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                   to_rdflib(triple.object)))
    return QueryResult(_query_form(sparql), graph=graph, namespaces=namespaces)


def _with_final_values(sparql: str, bindings: dict[str, Node]) -> str:
    """``sparql`` followed by ``VALUES (?a ?b) { (...) }`` holding the bound terms."""
    if any(isinstance(term, BNode) for term in bindings.values()):
        raise QueryError("a blank node can be bound only to a SELECTed variable")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(nt_term(term) for term in bindings.values())
    return f"{sparql}\nVALUES ({names}) {{ ({terms}) }}\n"


def _syntax_message(text: str, sparql: str) -> str:
    """pyoxigraph's "error at L:C: ..." as a one-line message naming line and column."""
    match = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)", text, re.DOTALL)
    if not match:
        return f"malformed SPARQL: {_shorten(text)}"
    line, column, reason = int(match.group(1)), int(match.group(2)), match.group(3)
    lines = sparql.splitlines() or [""]
    near = lines[min(line, len(lines)) - 1].strip()
    if "Prefix not found" in reason:
        reason = "unknown prefix"
    return f"malformed SPARQL at line {line}, column {column}: {_shorten(reason)} (near {near!r})"


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


_FORM_TOKENS = re.compile(
    r"<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*"
    r"|\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def _query_form(sparql: str) -> str:
    """The query form keyword (CONSTRUCT, DESCRIBE, ...), skipping IRIs, strings, comments."""
    for match in _FORM_TOKENS.finditer(sparql):
        if match.group(1):
            return match.group(1).upper()
    return "CONSTRUCT"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
