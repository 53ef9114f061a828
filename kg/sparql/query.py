"""Run SPARQL over a built graph (an rdflib Graph or the build's pyoxigraph
store, see :mod:`kg.sparql.store`) and format the answer.

The formats follow the W3C SPARQL 1.1 Query Results specifications: ``json``
is the Query Results JSON format, ``csv`` and ``tsv`` the CSV/TSV formats.
``table`` is for people: an aligned table with compact prefixed names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node

from kg.rdfio import GraphReadError, read_rdf
from kg.resources import queries_dir
from kg.sparql.store import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")

_GRAPH_VARS = ["subject", "predicate", "object"]


class QueryError(Exception):
    """A graph that cannot be read or a query that cannot be run (one-line message)."""


@dataclass
class QueryResult:
    """The answer to one query.

    Attributes:
        kind: "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE".
        vars: the projected variable names (without "?"), for SELECT.
        rows: one tuple per solution, ``None`` where a variable is unbound.
        boolean: the answer of an ASK query.
        graph: the graph built by a CONSTRUCT or DESCRIBE query.
        namespaces: prefixes used to print compact names in tables.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[rdflib.term.Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None
    namespaces: NamespaceManager | None = None


def load_graph(path: Path) -> rdflib.Graph:
    """Reads an RDF file (format chosen by suffix) or ``<folder>/graph.ttl``.

    Raises:
        QueryError: the file is missing, has an unknown suffix or does not parse.
    """
    try:
        return read_rdf(path)
    except GraphReadError as exc:
        raise QueryError(str(exc)) from exc


def read_query(text_or_path: str) -> str:
    """Returns the SPARQL text: a ``.rq`` file's content, or the argument itself.

    A ``.rq`` name that is not a file is looked up among the bundled queries.

    Raises:
        QueryError: a ``.rq`` name that is neither a file nor a bundled query.
    """
    if not text_or_path.strip().lower().endswith(".rq"):
        return text_or_path
    candidates = [Path(text_or_path)]
    try:
        candidates.append(queries_dir() / Path(text_or_path).name)
    except FileNotFoundError:
        pass
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise QueryError(f"{text_or_path}: no such query file")


def run_query(
    source: rdflib.Graph | ox.Store, sparql: str, bindings: Mapping[str, Node] | None = None
) -> QueryResult:
    """Runs a SELECT, ASK, CONSTRUCT or DESCRIBE query against a graph or a store.

    Over a pyoxigraph store the answer is converted to rdflib terms, so both
    give the same kind of :class:`QueryResult`. The project prefixes (kg, kgr,
    wd, rdfs, ...) may be used without PREFIX lines.

    Args:
        source: an rdflib Graph (or Dataset) or a pyoxigraph Store.
        sparql: the query text.
        bindings: variable name (without "?") -> term. A variable with a
            ``VALUES ?name { ... }`` block in the query gets the block's values
            replaced (that is how bundled queries give parameters a default);
            other variables are bound as rdflib initBindings or pyoxigraph
            substitutions (a variable the query does not SELECT is joined with
            a VALUES clause added at the end of the query).

    Raises:
        QueryError: the query is malformed (with line and column) or fails.
    """
    sparql, rest = apply_values_bindings(sparql, bindings or {})
    if isinstance(source, ox.Store):
        from kg.sparql.oxquery import run_store_query

        return run_store_query(source, sparql, rest)
    return _run_rdflib(source, sparql, rest)


def _run_rdflib(graph: rdflib.Graph, sparql: str, bindings: dict[str, Node]) -> QueryResult:
    try:
        answer = graph.query(sparql, initBindings=bindings or None)
    except ParseBaseException as exc:
        raise QueryError(
            f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
            f" (near {exc.line.strip()!r})"
        ) from exc
    except Exception as exc:  # rdflib reports unknown prefixes etc. as bare Exception
        raise QueryError(f"query failed: {_one_line(exc)}") from exc
    result = QueryResult(kind=answer.type, namespaces=graph.namespace_manager)
    if answer.type == "ASK":
        result.boolean = bool(answer.askAnswer)
    elif answer.type == "SELECT":
        result.vars = [str(v) for v in answer.vars or []]
        result.rows = [tuple(row) for row in answer]
    else:
        result.graph = answer.graph
    return result


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


def parse_binding(text: str) -> tuple[str, Node]:
    """Reads a ``NAME=VALUE`` binding as given to ``kg query --bind``.

    VALUE is an IRI in ``<...>``, a prefixed name with a project prefix
    (``kgr:huawei``, ``wd:Q30``), an integer, or else a literal (quotes optional).

    Raises:
        QueryError: no "=", a bad variable name or an empty value.
    """
    name, sep, value = text.partition("=")
    name, value = name.strip().lstrip("?$"), value.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"--bind {text!r}: expected NAME=VALUE (e.g. entity=kgr:huawei)")
    if not value:
        raise QueryError(f"--bind {text!r}: empty value")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[^\s<>\"{}|^`\\]*", local):
        return name, URIRef(PREFIXES[prefix] + local)
    if re.fullmatch(r"[+-]?\d+", value):
        return name, Literal(value, datatype=XSD.integer)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return name, Literal(value)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Renders a result as "table", "csv", "tsv" or "json" text."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if result.graph is not None:
        return _format_graph(result, fmt)
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}[fmt](result)


def _format_graph(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE: Turtle for people, JSON-LD, or subject/predicate/object rows."""
    graph = result.graph
    if fmt == "table":
        return graph.serialize(format="turtle")
    if fmt == "json":
        return graph.serialize(format="json-ld", indent=2)
    triples = QueryResult("SELECT", list(_GRAPH_VARS), sorted(graph), namespaces=result.namespaces)
    return _csv(triples) if fmt == "csv" else _tsv(triples)


def _json(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(result.vars, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]
    document = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _json_term(term: rdflib.term.Node) -> dict[str, str]:
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quoting as needed
    if result.boolean is not None:
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_csv_term(term) for term in row])
    return buffer.getvalue()


def _csv_term(term: rdflib.term.Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv(result: QueryResult) -> str:
    if result.boolean is not None:
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{name}" for name in result.vars)]
    lines += ["\t".join(nt_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def nt_term(term: rdflib.term.Node | None) -> str:
    """N-Triples syntax for one term ("" when unbound)."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    lexical = _escape(str(term))
    if term.language:
        return f'"{lexical}"@{term.language}'
    if term.datatype is not None and term.datatype != XSD.string:
        return f'"{lexical}"^^<{term.datatype}>'
    return f'"{lexical}"'


def _escape(text: str) -> str:
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    return text


def _table(result: QueryResult) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if result.boolean is not None:
        return "yes\n" if result.boolean else "no\n"
    table = Table(*result.vars, show_lines=False, header_style="bold")
    for row in result.rows:
        table.add_row(*(Text(_compact(term, result.namespaces)) for term in row))
    console = Console(file=io.StringIO(), width=160, color_system=None, soft_wrap=False)
    console.print(table)
    count = len(result.rows)
    console.print(f"{count} result{'' if count == 1 else 's'}", markup=False)
    return console.file.getvalue()


def _compact(term: rdflib.term.Node | None, namespaces: NamespaceManager | None) -> str:
    """A short human form: prefixed names for IRIs, the plain value for literals."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return f"{term}@{term.language}" if term.language else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if namespaces is not None:
        return namespaces.normalizeUri(term)
    return f"<{term}>"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
