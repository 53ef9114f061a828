"""The ``kg`` command line: build, validate and query a knowledge graph.

Each command is a thin shell around one library function; heavy imports
(spaCy, pySHACL) happen inside the commands so ``kg --help`` stays fast.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from kg import __version__

app = typer.Typer(
    name="kg",
    help="Build, validate and query a knowledge graph of geopolitical technology disputes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_GRAPH = Path("build/graph.ttl")


class OutputFormat(StrEnum):
    """The output formats of ``kg query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def _out() -> Console:
    return Console(highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> NoReturn:
    """Prints one line to stderr and exits with ``code`` (no traceback)."""
    _err().print(f"kg: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Build, validate and query a knowledge graph of geopolitical technology disputes."""


@app.command()
def build(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Text files or folders of .txt files to read.", exists=True),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder to write graph.ttl and the other outputs to."),
    ] = Path("build"),
    min_confidence: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Drop relations whose confidence is below this value."),
    ] = 0.5,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 on any warning or SHACL violation.")
    ] = False,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", min=0.0, metavar="SECONDS",
                     help="How long to wait while another build writes to the same --out folder."),
    ] = 60.0,
) -> None:
    """Extract entities, relations and claims from documents (default seeds/) into a graph.

    Files that cannot be read (empty, binary, unsupported type, a second copy of
    one already read, ...) are skipped with a one-line warning naming them; the
    rest is built. Every output is replaced atomically, and one build at a time
    writes to an output folder.

    Exit status: 0 built (warnings may be printed); 1 nothing could be built or
    the outputs could not be written, or --strict and any warning or violation;
    2 bad command line; 3 another build held the output folder past --lock-timeout.
    """
    from kg import pipeline
    from kg.lock import LockTimeout, build_lock

    try:
        with build_lock(out, lock_timeout, on_wait=lambda note: _note(f"kg: {note}")):
            result = pipeline.build(sources or [Path("seeds")], out, min_confidence=min_confidence)
    except LockTimeout as exc:
        _fail(_one_line(str(exc)), code=3)
    except pipeline.BuildError as exc:
        for warning in getattr(exc, "warnings", ()):
            _note(f"warning: {_one_line(warning)}")
        _fail(f"build failed: {_one_line(' '.join(str(exc).split()))}")
    except OSError as exc:  # the output folder or its lock file cannot be created
        _fail(f"build failed: {_one_line(str(out))}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _fail("interrupted; each output file is whole, from this build or the last", code=130)
    stats = result.stats
    for warning in stats.warnings:
        _note(f"warning: {_one_line(warning)}")
    _print_summary(stats)
    if strict and (stats.warnings or stats.violations):
        _fail(f"--strict: {len(stats.warnings)} warning(s), {stats.violations} violation(s)")


# Characters that would break a message over lines or reorder it on screen:
# C0/C1 controls, bidirectional controls, lone surrogates (undecodable file names).
_UNSAFE_IN_MESSAGE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _one_line(text: str) -> str:
    """``text`` with every character of _UNSAFE_IN_MESSAGE written as a Python escape."""
    return _UNSAFE_IN_MESSAGE.sub(lambda m: ascii(m.group())[1:-1], text)


def _note(message: str) -> None:
    _err().print(message, markup=False, soft_wrap=True)


def _print_summary(stats) -> None:
    """Prints the counts of a build as a small table, then the output files.

    Paths go on plain lines so that a narrow terminal never truncates them.
    """
    from rich.table import Table

    table = Table(title="kg build", show_header=False, title_justify="left")
    for name in ("documents", "entities", "relations", "claims", "negated", "violations"):
        table.add_row(name, str(getattr(stats, name)))
    console = _out()
    console.print(table)
    for name, path in stats.outputs.items():
        console.print(f"{name}: {path}", soft_wrap=True, highlight=False)


@app.command()
def validate(
    graph: Annotated[
        Path, typer.Argument(help="The graph file to check against the SHACL shapes.")
    ] = DEFAULT_GRAPH,
) -> None:
    """Check a graph against the SHACL shapes (exit 0 conforms, 1 violations, 2 unreadable)."""
    from kg import validate as validation

    try:
        report = validation.validate_file(graph)
    except (validation.GraphReadError, OSError) as exc:
        _fail(f"{graph}: cannot read graph: {' '.join(str(exc).split())}", code=2)
    typer.echo(validation.format_report(report))
    raise typer.Exit(0 if report.conforms else 1)


@app.command("query")
def query_command(
    query: Annotated[
        str,
        typer.Argument(
            help="SPARQL text, a .rq file, or the name of a bundled query (e.g. who-bans-whom.rq).",
        ),
    ],
    graph: Annotated[
        Path,
        typer.Option(help="Graph file (.ttl .trig .nt .nq .jsonld) or a build folder."),
    ] = DEFAULT_GRAPH,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="Output format (csv, tsv, json: SPARQL 1.1 results)."),
    ] = OutputFormat.table,
) -> None:
    """Run a SPARQL query over a graph (exit 1 bad query, 2 unreadable graph)."""
    from kg import query as kq

    try:
        loaded = kq.load_graph(graph)
    except kq.QueryError as exc:
        _fail(str(exc), code=2)
    try:
        text = kq.format_result(kq.run_query(loaded, kq.read_query(query)), fmt.value)
    except kq.QueryError as exc:
        _fail(str(exc), code=1)
    typer.echo(text, nl=not text.endswith("\n"))


@app.command("eval")
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
) -> None:
    """Score a graph against a gold set: P, R, F1, per property (exit 2 unreadable input)."""
    import json

    from kg import evaluate as ev
    from kg import query as kq
    from kg.resources import ontology_dir

    try:
        loaded = kq.load_graph(graph)
        gold = ev.load_gold(gold_dir)
        schema = ev.load_schema(ontology or ontology_dir())
    except (kq.QueryError, ev.EvalError, FileNotFoundError) as exc:
        _fail(" ".join(str(exc).split()), code=2)
    report = ev.evaluate(loaded, gold, schema)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(ev.format_report(report, show), nl=False)
