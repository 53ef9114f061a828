"""The networked commands of ``kg``: serve (a read-only SPARQL endpoint) and push
(upload to a Graph Store Protocol server)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import fail, note, one_line


def serve_command(
    graph: Annotated[
        Path, typer.Option(help="A build folder, a graph file or a graph.oxigraph store folder.")
    ] = Path("build"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 7878,
    timeout: Annotated[
        float, typer.Option(min=0.1, metavar="SECONDS", help="Stop a query after this long (503).")
    ] = 30.0,
    max_results: Annotated[
        int, typer.Option(min=1, help="Most rows or triples per answer (KG-Truncated: true).")
    ] = 10_000,
    allow_service: Annotated[
        bool, typer.Option("--allow-service", help="Allow SERVICE (federated queries).")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="Queries that may run at once.")] = 2,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, graph.html at /.

    Exit status: 0 stopped with Ctrl-C; 1 the address is in use; 2 unreadable graph.
    """
    from kg.sparql.serve import ServeError, ServeOptions, serve

    options = ServeOptions(graph, host, port, timeout, max_results, allow_service, workers)
    try:
        serve(options, announce=lambda line: typer.echo(line))
    except ServeError as exc:
        fail(one_line(str(exc)), code=exc.code)
    except KeyboardInterrupt:
        note("kg serve: stopped")


def push_command(
    endpoint: Annotated[
        str, typer.Option(help="Graph Store Protocol URL, e.g. http://localhost:7878/store.")
    ],
    graph: Annotated[
        Path, typer.Option(help="A build folder or its graph.ttl.")
    ] = Path("build"),
    graph_iri: Annotated[
        str | None, typer.Option(help="Named graph to write to (default: the default graph).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace/--append", help="PUT (replace) or POST (add to) the graph.")
    ] = True,
    with_provenance: Annotated[
        bool,
        typer.Option("--with-provenance",
                     help="Also upload each named graph of provenance.trig as its own graph."),
    ] = False,
) -> None:
    """Upload a build to a SPARQL 1.1 Graph Store Protocol server (Oxigraph, Fuseki, ...).

    Exit status: 0 uploaded; 1 the server could not be reached or refused the data;
    2 unreadable build or bad URL/IRI.
    """
    from kg.sparql.push import PushError, push

    try:
        uploads = push(graph, endpoint, graph_iri, replace=replace,
                       with_provenance=with_provenance)
    except PushError as exc:
        fail(one_line(str(exc)), code=exc.code)
    for upload in uploads:
        typer.echo(upload.describe())
