"""The one place where the kg command line prints: results to stdout,
messages and failures to stderr, one line each (see :func:`kg.errors.one_line`).
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from kg.errors import one_line

__all__ = ["DEFAULT_GRAPH", "fail", "note", "one_line", "stderr", "stdout"]

# The graph the query commands read when none is named.
DEFAULT_GRAPH = Path("build/graph.ttl")


def stdout() -> Console:
    """The console of results (stdout)."""
    return Console(highlight=False)


def stderr() -> Console:
    """The console of messages (stderr)."""
    return Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Prints ``kg: message`` as one line to stderr and exits with ``code`` (no traceback)."""
    stderr().print(f"kg: {one_line(message)}", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    """Prints one line to stderr."""
    stderr().print(one_line(message), markup=False, soft_wrap=True)
