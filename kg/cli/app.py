"""The ``kg`` command line: build, validate and query a knowledge graph.

Each command is a thin shell around one library function, defined in the
module of its group (:mod:`kg.cli.build`, :mod:`kg.cli.query`,
:mod:`kg.cli.evaluate`, :mod:`kg.cli.serve`) and registered here; heavy
imports (spaCy, pySHACL) happen inside the commands so ``kg --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kg import __version__
from kg.cli.build import build_command, validate_command, watch_command
from kg.cli.evaluate import eval_command
from kg.cli.query import query_command
from kg.cli.serve import push_command, serve_command

app = typer.Typer(
    name="kg",
    help="Build, validate and query a knowledge graph of geopolitical technology disputes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


app.command("build")(build_command)
app.command("validate")(validate_command)
app.command("query")(query_command)
app.command("eval")(eval_command)
app.command("watch")(watch_command)
app.command("serve")(serve_command)
app.command("push")(push_command)
