"""The parts of ``kg query`` around the engine: reading the graph file for rdflib,
finding a query (text, a ``.rq`` file or a bundled query) and reading ``--bind`` values.

Queries run through :mod:`kg.sparql.engine`; answers are written by :mod:`kg.sparql.formats`.
"""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.rdfio import GraphReadError, read_rdf
from kg.resources import queries_dir
from kg.sparql.result import QueryError
from kg.vocab import PREFIXES

__all__ = ["QueryError", "load_graph", "parse_binding", "read_query"]


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
