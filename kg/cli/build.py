"""``kg build``, ``kg watch`` (a build after every change) and ``kg validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import DEFAULT_GRAPH, fail, note, one_line, stdout
from kg.datatypes import (
    DEFAULT_JOBS,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_OUT,
    DEFAULT_SOURCES,
    BuildOptions,
)
from kg.errors import KgError


def build_command(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="Text files or folders of .txt files to read.", exists=True),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder to write graph.ttl and the other outputs to."),
    ] = DEFAULT_OUT,
    min_confidence: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Drop relations whose confidence is below this value."),
    ] = DEFAULT_MIN_CONFIDENCE,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 on any warning or SHACL violation.")
    ] = False,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", min=0.0, metavar="SECONDS",
                     help="How long to wait while another build writes to the same --out folder."),
    ] = DEFAULT_LOCK_TIMEOUT,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0,
                          help="Parser processes (0: one per core, up to 4, from 40 documents "
                          "to parse on; fewer are parsed in this process).")
    ] = DEFAULT_JOBS,
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
    options = BuildOptions(sources or DEFAULT_SOURCES, out, min_confidence, lock_timeout, jobs,
                           use_cache=not no_cache, cache_dir=cache_dir)
    try:
        result, message, code = try_build(options)
    except KeyboardInterrupt:
        fail("interrupted; each output file is whole, from this build or the last", code=130)
    if result is None:
        fail(message, code)
    report_build(result.stats, timings)
    if strict:
        fail_if_strict(result.stats)


def fail_if_strict(stats) -> None:
    """Exits with status 1 (for --strict) when the build gave any warning or violation."""
    if stats.warnings or stats.violations:
        fail(f"--strict: {len(stats.warnings)} warning(s), {stats.violations} violation(s)")


def try_build(options: BuildOptions) -> tuple[object, str, int]:
    """Runs one build.

    Args:
        options: the settings of the build.

    Returns:
        (its result, "", 0), or (None, why it failed, exit status): 3 when another build
        held the output folder past ``options.lock_timeout``, else 1.
    """
    from kg.build import pipeline
    from kg.build.lock import LockTimeout, build_lock

    # The lock is taken here, not only in pipeline.build (which takes it again), so
    # that a build kept waiting says so on the terminal.
    try:
        with build_lock(options.out, options.lock_timeout, on_wait=lambda m: note(f"kg: {m}")):
            return pipeline.build(options), "", 0
    except LockTimeout as exc:
        return None, one_line(exc), 3
    except pipeline.BuildError as exc:
        for warning in exc.warnings:
            note(f"warning: {one_line(warning)}")
        return None, f"build failed: {one_line(exc, squeeze=True)}", 1
    except KgError as exc:  # no spaCy model, say: a message, not a traceback
        return None, f"build failed: {one_line(exc, squeeze=True)}", 1
    except OSError as exc:  # the output folder or its lock file cannot be created
        return None, f"build failed: {one_line(str(options.out))}: {exc.strerror or exc}", 1


def report_build(stats, timings: bool = False) -> None:
    """Prints a build's warnings (stderr), its summary and, if asked, its stage timings."""
    for warning in stats.warnings:
        note(f"warning: {one_line(warning)}")
    print_summary(stats)
    if timings:
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in stats.timings.items())
        stdout().print(f"timings (s): {stages}", soft_wrap=True)


def print_summary(stats) -> None:
    """Prints the counts of a build as a small table, then the output files.

    Paths go on plain lines so that a narrow terminal never truncates them.
    """
    from rich.table import Table

    table = Table(title="kg build", show_header=False, title_justify="left")
    for name in ("documents", "new", "changed", "removed", "reused", "entities", "relations",
                 "claims", "negated", "violations"):
        table.add_row(name, str(getattr(stats, name, 0)))
    console = stdout()
    if getattr(stats, "up_to_date", False):
        console.print("kg build: up to date (nothing changed since the last build)",
                      soft_wrap=True)
    console.print(table)
    for name, path in stats.outputs.items():
        console.print(f"{name}: {path}", soft_wrap=True, highlight=False)


def validate_command(
    graph: Annotated[
        Path, typer.Argument(help="The graph file to check against the SHACL shapes.")
    ] = DEFAULT_GRAPH,
) -> None:
    """Check a graph against the SHACL shapes (exit 0 conforms, 1 violations, 2 unreadable)."""
    from kg.validate import shacl as validation

    try:
        report = validation.validate_file(graph)
    except (validation.GraphReadError, OSError) as exc:
        fail(f"{graph}: cannot read graph: {one_line(exc, squeeze=True)}", code=2)
    typer.echo(validation.format_report(report))
    raise typer.Exit(0 if report.conforms else 1)


def watch_command(
    sources: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to watch.", exists=True)
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to build into.")] = DEFAULT_OUT,
    debounce: Annotated[
        float, typer.Option(min=0.0, metavar="SECONDS", help="Quiet time before a rebuild.")
    ] = 0.5,
    min_confidence: Annotated[float, typer.Option(min=0.0, max=1.0)] = DEFAULT_MIN_CONFIDENCE,
    # One process, not build's automatic choice: a rebuild parses only the few changed files.
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parser processes.")] = 1,
) -> None:
    """Build, then rebuild whenever a .txt or .md file under SOURCES appears, changes or goes.

    A failed build prints why and leaves the last good outputs in place. Ctrl-C stops.
    """
    from kg.build.watch import watch_sources

    options = BuildOptions(sources or DEFAULT_SOURCES, out, min_confidence, jobs=jobs)

    def once() -> None:
        result, message, _ = try_build(options)
        if result is None:
            note(f"kg: {message}; the last good outputs stay in place")
        else:
            report_build(result.stats)

    try:
        watch_sources(options.sources, out, once, debounce=debounce,
                      announce=lambda s: note(f"kg: {s}"))
    except KeyboardInterrupt:
        note("kg watch: stopped")
