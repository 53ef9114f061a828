"""Reading RDF files by their suffix: the one reader behind `kg query`,
`kg validate` and `kg eval`."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path

import rdflib

from kg.errors import KgError, one_line

RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
"""File suffix -> rdflib parser name."""

QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})
_MAX_REASON = 300


class GraphReadError(KgError):
    """A graph file that is missing, has an unknown suffix or does not parse.

    The message has the form ``"<path>: <reason>"`` on one line.
    """


def read_error(path: str | Path, problem: str | BaseException) -> GraphReadError:
    """The error for a graph file that cannot be read, its message on one line.

    Args:
        path: the file.
        problem: what is wrong, or the exception a parser raised (described as
            ``cannot parse (<type>): <message>``, cut to a few hundred characters).
    """
    if isinstance(problem, BaseException):
        problem = _reason(problem)
    return GraphReadError(one_line(f"{path}: {problem}"))


@contextmanager
def quiet_rdflib():
    """Silences the DeprecationWarnings rdflib's own dataset code raises."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        yield


def _reason(exc: BaseException) -> str:
    """One line, at most a few hundred characters, describing a parse failure."""
    text = one_line(exc, squeeze=True)
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 3] + "..."
    return f"cannot parse ({type(exc).__name__}): {text}"


def read_rdf(path: str | Path) -> rdflib.Graph:
    """Reads an RDF file, choosing the parser by suffix; a folder means
    ``<folder>/graph.ttl``. Quad formats give a Dataset whose default graph
    is the union of its named graphs.

    Raises:
        GraphReadError: the file is missing, has an unknown suffix or does not parse.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise read_error(path, "no such file (run `kg build` first?)")
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise read_error(path, f"unknown RDF file suffix {path.suffix!r} (expected {known})")
    graph = rdflib.Dataset(default_union=True) if fmt in QUAD_FORMATS else rdflib.Graph()
    try:
        with quiet_rdflib():
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib parsers raise many unrelated exception types
        raise read_error(path, exc) from exc
    return graph
