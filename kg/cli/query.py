"""``kg query``: SPARQL over a built graph."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import DEFAULT_GRAPH, fail


class OutputFormat(StrEnum):
    """The output formats of ``kg query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class Engine(StrEnum):
    """The SPARQL engines of ``kg query``."""

    oxigraph = "oxigraph"
    rdflib = "rdflib"


def query_command(
    query: Annotated[
        str,
        typer.Argument(
            help="SPARQL text, a .rq file, or the name of a bundled query (e.g. who-bans-whom.rq).",
        ),
    ],
    graph: Annotated[
        Path,
        typer.Option(help="Graph file (.ttl .trig .nt .nq .jsonld), build folder or store folder."),
    ] = DEFAULT_GRAPH,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="Output format (csv, tsv, json: SPARQL 1.1 results)."),
    ] = OutputFormat.table,
    engine: Annotated[
        Engine,
        typer.Option(help="oxigraph: the build's store (or the file loaded into one); "
                     "rdflib: parse the file with rdflib."),
    ] = Engine.oxigraph,
    bind: Annotated[
        list[str] | None,
        typer.Option("--bind", "-b", metavar="NAME=VALUE",
                     help="Set a query variable (repeatable): VALUE is <iri>, kgr:name, wd:Q30 "
                     "or a literal. Replaces the query's VALUES ?NAME { ... } default."),
    ] = None,
    allow_service: Annotated[
        bool, typer.Option("--allow-service",
                           help="Allow SERVICE (federated queries that fetch from the network).")
    ] = False,
) -> None:
    """Run a SPARQL query over a graph (exit 1 bad query, 2 unreadable graph).

    Read-only: updates are refused, and so is SERVICE unless --allow-service.
    """
    from kg.rdfio import GraphReadError
    from kg.sparql.engine import open_engine
    from kg.sparql.formats import format_result
    from kg.sparql.policy import ReadOnlyPolicy
    from kg.sparql.query import QueryError, parse_binding, read_query

    try:
        bindings = dict(parse_binding(item) for item in bind or [])
    except QueryError as exc:
        fail(str(exc), code=1)
    try:
        sparql_engine = open_engine(graph, engine.value)
    except GraphReadError as exc:
        fail(str(exc), code=2)
    try:
        result = sparql_engine.run(read_query(query), bindings,
                                   policy=ReadOnlyPolicy(allow_service=allow_service))
        text = format_result(result, fmt.value)
    except QueryError as exc:
        fail(str(exc), code=1)
    typer.echo(text, nl=not text.endswith("\n"))
