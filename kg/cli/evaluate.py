"""``kg eval``: scoring a built graph against a gold set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import DEFAULT_GRAPH, fail, one_line
from kg.errors import KgError


def eval_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR", help="An evaluation set: entities.jsonl, gold.jsonl and docs/."
        ),
    ],
    graph: Annotated[
        Path, typer.Option(help="Graph file (.ttl .trig .nt .nq .jsonld) or a build folder.")
    ] = DEFAULT_GRAPH,
    ontology: Annotated[
        Path | None,
        typer.Option(help="Ontology folder or file for rdfs:subPropertyOf (default: bundled)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show: Annotated[
        bool, typer.Option("--show", help="Also list every missed fact and unmatched triple.")
    ] = False,
    by_doc: Annotated[
        bool,
        typer.Option(
            "--by-doc", help="Also print one row per story (P, R, F1 from the graph's evidence)."
        ),
    ] = False,
) -> None:
    """Score a graph against a gold set: P, R, F1, per property (exit 2 unreadable input)."""
    import json

    from kg.evaluation import score as ev
    from kg.resources import ontology_dir
    from kg.sparql import query as kq

    try:
        loaded = kq.load_graph(graph)
        gold = ev.load_gold(gold_dir)
        schema = ev.load_schema(ontology or ontology_dir())
    except (KgError, FileNotFoundError) as exc:  # QueryError, EvalError: unreadable input
        fail(one_line(exc, squeeze=True), code=2)
    report = ev.evaluate(loaded, gold, schema, by_doc=by_doc)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(ev.format_report(report, show), nl=False)
        if by_doc:
            typer.echo("\n## by document\n" + ev.format_by_doc(report), nl=False)
