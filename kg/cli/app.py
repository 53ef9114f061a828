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


class Engine(StrEnum):
    """The SPARQL engines of ``kg query``."""

    oxigraph = "oxigraph"
    rdflib = "rdflib"


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
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0,
                          help="Parser processes (0: one per core, up to 4, from 40 documents "
                          "to parse on; fewer are parsed in this process).")
    ] = 0,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every document anew; leave the cache alone.")
    ] = False,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Folder of the extraction cache (default OUT/.kg-cache).")
    ] = None,
    timings: Annotated[
        bool, typer.Option("--timings", help="Print the seconds each stage took.")
    ] = False,
) -> None:
    """Extract entities, relations and claims from documents (default seeds/) into a graph.

    Files that cannot be read (empty, binary, unsupported type, a second copy of
    one already read, ...) are skipped with a one-line warning naming them; the
    rest is built. Every output is replaced atomically, and one build at a time
    writes to an output folder. Only new or changed documents are parsed (the
    others come from the cache), and when nothing changed the build says "up to
    date" and writes nothing.

    Exit status: 0 built (warnings may be printed); 1 nothing could be built or
    the outputs could not be written, or --strict and any warning or violation;
    2 bad command line; 3 another build held the output folder past --lock-timeout.
    """
    settings = (sources or [Path("seeds")], out, min_confidence, lock_timeout,
                _build_options(jobs, no_cache, cache_dir))
    try:
        result, message, code = _try_build(*settings)
    except KeyboardInterrupt:
        _fail("interrupted; each output file is whole, from this build or the last", code=130)
    if result is None:
        _fail(message, code)
    stats = result.stats
    _report_build(stats, timings)
    if strict and (stats.warnings or stats.violations):
        _fail(f"--strict: {len(stats.warnings)} warning(s), {stats.violations} violation(s)")


def _build_options(jobs: int, no_cache: bool, cache_dir: Path | None) -> dict:
    """The keyword arguments of pipeline.build for the settings that differ from its defaults."""
    options = {"jobs": jobs, "use_cache": not no_cache, "cache_dir": cache_dir}
    return {k: v for k, v in options.items() if v != {"jobs": 0, "use_cache": True}.get(k)}


def _try_build(sources: list[Path], out: Path, min_confidence: float, lock_timeout: float,
               options: dict) -> tuple[object, str, int]:
    """Runs one build: (its result, "", 0), or (None, why it failed, exit status)."""
    from kg.build import pipeline
    from kg.build.lock import LockTimeout, build_lock

    try:
        with build_lock(out, lock_timeout, on_wait=lambda note: _note(f"kg: {note}")):
            return pipeline.build(sources, out, min_confidence=min_confidence, **options), "", 0
    except LockTimeout as exc:
        return None, _one_line(str(exc)), 3
    except pipeline.BuildError as exc:
        for warning in getattr(exc, "warnings", ()):
            _note(f"warning: {_one_line(warning)}")
        return None, f"build failed: {_one_line(' '.join(str(exc).split()))}", 1
    except OSError as exc:  # the output folder or its lock file cannot be created
        return None, f"build failed: {_one_line(str(out))}: {exc.strerror or exc}", 1


def _report_build(stats, timings: bool = False) -> None:
    """Prints a build's warnings (stderr), its summary and, if asked, its stage timings."""
    for warning in stats.warnings:
        _note(f"warning: {_one_line(warning)}")
    _print_summary(stats)
    if timings:
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in stats.timings.items())
        _out().print(f"timings (s): {stages}", soft_wrap=True)


# Characters that would break a message over lines or reorder it on screen:
# C0/C1 controls, bidirectional controls, lone surrogates (undecodable file names).
_UNSAFE_IN_MESSAGE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
    for name in ("documents", "new", "changed", "removed", "reused", "entities", "relations",
                 "claims", "negated", "violations"):
        table.add_row(name, str(getattr(stats, name, 0)))
    console = _out()
    if getattr(stats, "up_to_date", False):
        console.print("kg build: up to date (nothing changed since the last build)",
                      soft_wrap=True)
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
    from kg.validate import shacl as validation

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
    from kg.sparql import query as kq
    from kg.sparql.serve import refusal

    try:
        bindings = dict(kq.parse_binding(item) for item in bind or [])
    except kq.QueryError as exc:
        _fail(_one_line(str(exc)), code=1)
    try:
        loaded = _load_for_query(graph, engine)
    except (kq.QueryError, GraphReadError) as exc:
        _fail(_one_line(str(exc)), code=2)
    try:
        sparql = kq.read_query(query)
        refused = refusal(sparql, allow_service)
        if refused is not None:
            raise kq.QueryError(_QUERY_REFUSALS[refused[0]])
        result = kq.run_query(loaded, sparql, bindings)
        text = kq.format_result(result, fmt.value)
    except kq.QueryError as exc:
        _fail(_one_line(str(exc)), code=1)
    typer.echo(text, nl=not text.endswith("\n"))


_QUERY_REFUSALS = {403: "kg query is read-only: SPARQL updates are refused",
                   400: "SERVICE (a federated query) fetches from the network; "
                        "add --allow-service to run it"}


def _load_for_query(graph: Path, engine: Engine):
    """The build's store (or the file loaded into one), or an rdflib graph of the file."""
    if engine is Engine.rdflib:
        from kg.sparql.query import load_graph

        return load_graph(graph)
    from kg.sparql.store import open_store

    return open_store(graph)


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
    except (kq.QueryError, ev.EvalError, FileNotFoundError) as exc:
        _fail(" ".join(str(exc).split()), code=2)
    report = ev.evaluate(loaded, gold, schema, by_doc=by_doc)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(ev.format_report(report, show), nl=False)
        if by_doc:
            typer.echo("\n## by document\n" + ev.format_by_doc(report), nl=False)


# watch, serve and push live in their own module; registered here, listed after the others.
from kg.cli.live import push_command, serve_command, watch_command  # noqa: E402

app.command("watch")(watch_command)
app.command("serve")(serve_command)
app.command("push")(push_command)
