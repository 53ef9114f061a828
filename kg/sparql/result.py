"""What running a query gives: a :class:`QueryResult` of rdflib terms, or a :class:`QueryError`.

Both engines of :mod:`kg.sparql.engine` answer with these types, and every
formatter of :mod:`kg.sparql.formats` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.errors import KgError
from kg.sparql.policy import Refusal
from kg.vocab import bind_prefixes

Triple = tuple[Node, Node, Node]


class QueryError(KgError):
    """A graph that cannot be read or a query that cannot be run (one-line message).

    The message is worded for ``kg query``. The subclasses tell the endpoint of
    ``kg serve`` which answer to give, and ``reason`` keeps the engine's own words.

    Attributes:
        reason: the engine's one-line description of the problem ("" when the message says it).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class MalformedQuery(QueryError):
    """The query text does not parse."""


class InvalidRequest(QueryError):
    """The query asks for something that cannot be (an IRI that is not one, say)."""


class QueryFailed(QueryError):
    """The query parsed but failed while it ran."""


class QueryRefused(QueryError):
    """The read-only policy refused the query.

    Attributes:
        refusal: the policy's refusal (its kind and message).
    """

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass
class QueryResult:
    """The answer to one query.

    Attributes:
        kind: "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE".
        vars: the projected variable names (without "?"), for SELECT.
        rows: one tuple per solution, ``None`` where a variable is unbound.
        boolean: the answer of an ASK query.
        triples: the triples of a CONSTRUCT or DESCRIBE answer, in the engine's order.
        namespaces: prefixes used to print compact names in tables.
        truncated: whether rows or triples were left out to keep within a limit.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] | None = None
    namespaces: NamespaceManager | None = None
    truncated: bool = False
    _graph: rdflib.Graph | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of_graph(cls, kind: str, graph: rdflib.Graph,
                 namespaces: NamespaceManager | None = None) -> QueryResult:
        """The result of a CONSTRUCT or DESCRIBE query that an engine gave as a graph."""
        result = cls(kind, triples=list(graph), namespaces=namespaces)
        result._graph = graph
        return result

    @property
    def graph(self) -> rdflib.Graph | None:
        """The triples as a graph with the project prefixes bound (``None`` for SELECT, ASK).

        Built on first use: the endpoint writes the triples without it.
        """
        if self._graph is None and self.triples is not None:
            self._graph = bind_prefixes(rdflib.Graph())
            for triple in self.triples:
                self._graph.add(triple)
        return self._graph
