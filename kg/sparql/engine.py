"""One way to run SPARQL over a built graph, with pyoxigraph or with rdflib.

An :class:`Engine` wraps the build's pyoxigraph store (:class:`OxigraphEngine`) or an
rdflib graph (:class:`RdflibEngine`). Either runs a query the same way:

* the read-only policy (:mod:`kg.sparql.policy`) is checked first;
* bound variables that have a ``VALUES ?name { ... }`` block get the block's values
  replaced (that is how bundled queries give parameters a default); others are bound
  by the engine;
* the project prefixes (kg, kgr, wd, rdfs, ...) may be used without PREFIX lines;
* the answer is a :class:`kg.sparql.result.QueryResult` of rdflib terms, and a failure
  a one-line :class:`kg.sparql.result.QueryError`.

:meth:`Engine.start` parses and starts a query and :meth:`Answer.collect` reads its
answer, so a caller can look at the kind of answer before reading any of it (the
endpoint chooses a media type that way); :meth:`Engine.run` does both.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyparsing import ParseBaseException
from rdflib.term import Node

from kg.errors import one_line
from kg.rdfio import read_rdf
from kg.sparql.policy import ReadOnlyPolicy
from kg.sparql.result import (
    InvalidRequest,
    MalformedQuery,
    QueryError,
    QueryFailed,
    QueryRefused,
    QueryResult,
)
from kg.sparql.rewrite import apply_values_bindings, query_form, with_final_values
from kg.sparql.store import open_store
from kg.sparql.terms import to_oxigraph, to_rdflib
from kg.vocab import PREFIXES, bind_prefixes

ENGINES = ("oxigraph", "rdflib")
"""The names of the engines, as ``kg query --engine`` takes them."""

READ_ONLY = ReadOnlyPolicy()
"""The policy a query runs under unless told otherwise: no updates, no SERVICE."""

_MAX_SYNTAX_REASON = 160


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query sees (the SPARQL Protocol's ``default-graph-uri`` and
    ``named-graph-uri``); empty means the store's own default graph and all named graphs.

    Attributes:
        default_graphs: IRIs of the graphs whose union is the default graph.
        named_graphs: IRIs of the graphs ``GRAPH`` may use.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Answer(ABC):
    """A started query whose answer has not been read yet.

    Attributes:
        kind: "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE".
    """

    kind: str

    @abstractmethod
    def collect(self, limit: int | None = None) -> QueryResult:
        """Reads the answer.

        Args:
            limit: the most rows or triples to keep (``None``: all); the result
                says whether more were left out.

        Raises:
            QueryError: the query failed while its answer was read.
        """


class Engine(ABC):
    """A graph to run SPARQL queries on."""

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            policy: ReadOnlyPolicy | None = READ_ONLY, dataset: QueryDataset | None = None,
            limit: int | None = None) -> QueryResult:
        """Runs a SELECT, ASK, CONSTRUCT or DESCRIBE query and reads its answer.

        Args:
            sparql: the query text.
            bindings: variable name (without "?") -> term.
            policy: what to refuse (``None``: nothing).
            dataset: the graphs the query sees (default: the whole store).
            limit: the most rows or triples to keep (``None``: all).

        Raises:
            QueryError: as :meth:`start` and :meth:`Answer.collect` raise it.
        """
        return self.start(sparql, bindings, policy=policy, dataset=dataset).collect(limit)

    def start(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              policy: ReadOnlyPolicy | None = READ_ONLY,
              dataset: QueryDataset | None = None) -> Answer:
        """Checks and starts a query.

        Args:
            sparql: the query text.
            bindings: variable name (without "?") -> term.
            policy: what to refuse (``None``: nothing; the engines parse no updates anyway).
            dataset: the graphs the query sees (default: the whole store).

        Raises:
            QueryRefused: the policy refuses the query.
            MalformedQuery: the query does not parse (the message names line and column).
            InvalidRequest: a bad IRI in ``dataset``, or a dataset the engine cannot make.
            QueryError: a blank node bound where it cannot be, or the query failed.
        """
        refusal = policy.check(sparql) if policy is not None else None
        if refusal is not None:
            raise QueryRefused(refusal)
        sparql, rest = apply_values_bindings(sparql, bindings or {})
        return self._start(sparql, rest, dataset or QueryDataset())

    @abstractmethod
    def _start(self, sparql: str, bindings: dict[str, Node], dataset: QueryDataset) -> Answer:
        """Starts ``sparql`` with the bindings that had no VALUES block."""


# ----- pyoxigraph ------------------------------------------------------------------------
class OxigraphEngine(Engine):
    """SPARQL over a pyoxigraph store (see :mod:`kg.sparql.store`).

    Attributes:
        store: the store.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _start(self, sparql: str, bindings: dict[str, Node], dataset: QueryDataset) -> Answer:
        try:
            options = _dataset_options(dataset)
        except ValueError as exc:
            reason = one_line(exc, squeeze=True)
            raise InvalidRequest(f"bad dataset: {reason}", reason) from exc
        try:
            answer = self._evaluate(sparql, bindings, options)
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - evaluation errors come as RuntimeError/OSError
            raise _oxigraph_error(exc, sparql) from exc
        return _OxigraphAnswer(answer, sparql)

    def _evaluate(self, sparql: str, bindings: dict[str, Node], options: dict):
        """pyoxigraph substitutes only SELECTed variables; others join as a final VALUES clause."""
        substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
        try:
            return self.store.query(sparql, prefixes=PREFIXES,
                                    substitutions=substitutions or None, **options)
        except RuntimeError as exc:
            if "SELECT projection" not in str(exc):
                raise
        return self.store.query(with_final_values(sparql, bindings), prefixes=PREFIXES,
                                **options)


class _OxigraphAnswer(Answer):
    def __init__(self, answer, sparql: str) -> None:
        self._answer, self._sparql = answer, sparql
        if isinstance(answer, ox.QueryBoolean):
            self.kind = "ASK"
        elif isinstance(answer, ox.QuerySolutions):
            self.kind = "SELECT"
        else:
            self.kind = query_form(sparql)

    def collect(self, limit: int | None = None) -> QueryResult:
        try:
            return self._collect(limit)
        except Exception as exc:  # noqa: BLE001 - evaluation errors surface while reading
            raise _oxigraph_error(exc, self._sparql) from exc

    def _collect(self, limit: int | None) -> QueryResult:
        namespaces = bind_prefixes(rdflib.Graph()).namespace_manager
        if self.kind == "ASK":
            return QueryResult("ASK", boolean=bool(self._answer), namespaces=namespaces)
        items, truncated = _take(self._answer, limit)
        if self.kind == "SELECT":
            names = [variable.value for variable in self._answer.variables]
            rows = [tuple(to_rdflib(row[i]) for i in range(len(names))) for row in items]
            return QueryResult("SELECT", names, rows, namespaces=namespaces, truncated=truncated)
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                   for t in items]
        return QueryResult(self.kind, triples=triples, namespaces=namespaces, truncated=truncated)


def _dataset_options(dataset: QueryDataset) -> dict:
    """The ``default_graph`` and ``named_graphs`` arguments of Store.query."""
    options = {}
    if dataset.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in dataset.default_graphs]
    if dataset.named_graphs:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in dataset.named_graphs]
    return options


def _oxigraph_error(exc: Exception, sparql: str) -> QueryError:
    reason = one_line(exc, squeeze=True)
    if isinstance(exc, SyntaxError):
        return MalformedQuery(_syntax_message(str(exc), sparql), reason)
    if isinstance(exc, ValueError):
        return InvalidRequest(f"query failed: {reason}", reason)
    return QueryFailed(f"query failed: {reason}", reason)


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


def _shorten(text: str) -> str:
    text = one_line(text, squeeze=True)
    if len(text) <= _MAX_SYNTAX_REASON:
        return text
    return text[: _MAX_SYNTAX_REASON - 3] + "..."


# ----- rdflib ----------------------------------------------------------------------------
class RdflibEngine(Engine):
    """SPARQL over an rdflib Graph or Dataset (see :func:`kg.rdfio.read_rdf`).

    Attributes:
        graph: the graph.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def _start(self, sparql: str, bindings: dict[str, Node], dataset: QueryDataset) -> Answer:
        if dataset != QueryDataset():
            raise InvalidRequest("the rdflib engine cannot choose the graphs of the dataset")
        # The graph's own prefixes come last so that they win, as they did before the
        # project prefixes were offered.
        namespaces = {**PREFIXES, **dict(self.graph.namespaces())}
        try:
            answer = self.graph.query(sparql, initNs=namespaces, initBindings=bindings or None)
        except ParseBaseException as exc:
            raise MalformedQuery(
                f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
                f" (near {exc.line.strip()!r})", one_line(exc, squeeze=True)
            ) from exc
        except Exception as exc:  # rdflib reports unknown prefixes etc. as bare Exception
            raise _rdflib_failure(exc) from exc
        return _RdflibAnswer(answer, self.graph.namespace_manager)


class _RdflibAnswer(Answer):
    def __init__(self, answer, namespaces) -> None:
        self._answer, self._namespaces = answer, namespaces
        self.kind = answer.type

    def collect(self, limit: int | None = None) -> QueryResult:
        try:
            return self._collect(limit)
        except Exception as exc:  # rdflib evaluates lazily: errors surface while reading
            raise _rdflib_failure(exc) from exc

    def _collect(self, limit: int | None) -> QueryResult:
        answer, namespaces = self._answer, self._namespaces
        if self.kind == "ASK":
            return QueryResult("ASK", boolean=bool(answer.askAnswer), namespaces=namespaces)
        if self.kind == "SELECT":
            rows, truncated = _take(answer, limit)
            return QueryResult("SELECT", [str(v) for v in answer.vars or []],
                               [tuple(row) for row in rows], namespaces=namespaces,
                               truncated=truncated)
        if limit is not None and len(answer.graph) > limit:
            return QueryResult(self.kind, triples=list(islice(answer.graph, limit)),
                               namespaces=namespaces, truncated=True)
        return QueryResult.of_graph(self.kind, answer.graph, namespaces)


def _rdflib_failure(exc: Exception) -> QueryFailed:
    reason = one_line(exc, squeeze=True)
    return QueryFailed(f"query failed: {reason}", reason)


# ----- choosing an engine ----------------------------------------------------------------
def engine_for(source: ox.Store | rdflib.Graph) -> Engine:
    """The engine for a pyoxigraph store or an rdflib graph."""
    if isinstance(source, ox.Store):
        return OxigraphEngine(source)
    return RdflibEngine(source)


def open_engine(path: Path, name: str = "oxigraph") -> Engine:
    """The engine named ``name`` over a build folder, a graph file or a store folder.

    ``oxigraph`` opens the build's store (or loads the file into one, see
    :func:`kg.sparql.store.open_store`); ``rdflib`` parses the file with rdflib.

    Raises:
        GraphReadError: nothing readable at ``path`` (one-line message).
        ValueError: ``name`` is not one of :data:`ENGINES`.
    """
    if name == "oxigraph":
        return OxigraphEngine(open_store(path))
    if name == "rdflib":
        return RdflibEngine(read_rdf(path))
    raise ValueError(f"unknown engine {name!r} (expected one of {', '.join(ENGINES)})")


def run_query(source: ox.Store | rdflib.Graph, sparql: str,
              bindings: Mapping[str, Node] | None = None, *,
              policy: ReadOnlyPolicy | None = READ_ONLY) -> QueryResult:
    """Runs a query on a store or a graph: ``engine_for(source).run(...)``.

    Raises:
        QueryError: as :meth:`Engine.run`.
    """
    return engine_for(source).run(sparql, bindings, policy=policy)


def _take(items, limit: int | None) -> tuple[list, bool]:
    """At most ``limit`` of ``items`` (all when ``None``), and whether there were more."""
    if limit is None:
        return list(items), False
    kept = list(islice(items, limit + 1))
    return kept[:limit], len(kept) > limit
