"""``kg push``: upload a build to a SPARQL 1.1 Graph Store Protocol server.

The triples of ``graph.ttl`` go to the default graph (``URL?default``) or to
a named graph (``URL?graph=IRI``) as Turtle; with provenance, each named
graph of ``provenance.trig`` goes to its own graph as N-Triples. ``PUT``
replaces a graph, ``POST`` adds to it. Only the standard library's urllib
talks to the server.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from kg.errors import KgError, one_line

_MAX_DETAIL = 200


class PushError(KgError):
    """An upload that failed (one-line message).

    Attributes:
        code: the exit status to use: 1 network or server trouble, 2 bad input.
    """

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Upload:
    """One graph sent to the server."""

    url: str
    graph: str
    triples: int
    replaced: bool

    def describe(self) -> str:
        """A one-line summary for people."""
        verb = "replaced" if self.replaced else "added to"
        return f"kg push: {self.triples} triples {verb} {self.graph} ({self.url})"


def push(
    graph: Path,
    endpoint: str,
    graph_iri: str | None = None,
    *,
    replace: bool = True,
    with_provenance: bool = False,
    timeout: float = 60.0,
) -> list[Upload]:
    """Uploads a build's graph (and optionally its provenance graphs) to ``endpoint``.

    Args:
        graph: a build folder or its ``graph.ttl``.
        endpoint: the server's Graph Store Protocol URL (e.g. ``http://host:7878/store``).
        graph_iri: the named graph to write ``graph.ttl`` to; ``None`` for the default graph.
        replace: ``PUT`` (replace each graph) when true, ``POST`` (add) when false.
        with_provenance: also send each named graph of ``provenance.trig``.
        timeout: seconds to wait for each answer.

    Returns:
        One :class:`Upload` per graph sent.

    Raises:
        PushError: bad URL or IRI, unreadable files, or a failed request.
    """
    base = _check_endpoint(endpoint)
    if graph_iri is not None:
        _check_iri(graph_iri)
    graph_file = Path(graph) / "graph.ttl" if Path(graph).is_dir() else Path(graph)
    turtle, count = _read_turtle(graph_file)
    sends = [(graph_iri, turtle, "text/turtle", count)]
    if with_provenance:
        for name, triples in _named_graphs(graph_file.parent / "provenance.trig"):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            sends.append((name, body, "application/n-triples", len(triples)))
    return [_send(base, iri, body, kind, n, replace, timeout) for iri, body, kind, n in sends]


def _check_endpoint(endpoint: str) -> str:
    """The endpoint URL, once it is known to be an absolute http(s) URL."""
    try:
        parts = urlsplit(endpoint.strip())
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        raise PushError(f"bad endpoint URL {endpoint!r}: {exc}", code=2) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(
            f"bad endpoint URL {endpoint!r}: expected http(s)://host[:port]/path", code=2
        )
    return endpoint.strip()


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise PushError(f"bad graph IRI {iri!r}: {exc}", code=2) from exc


def _read_turtle(path: Path) -> tuple[bytes, int]:
    """The bytes of a Turtle file and its number of triples (it must parse)."""
    try:
        data = path.read_bytes()
        count = sum(1 for _ in ox.parse(data, format=ox.RdfFormat.TURTLE))
    except OSError as exc:
        raise PushError(f"{path}: cannot read: {exc.strerror or exc}", code=2) from exc
    except (SyntaxError, ValueError) as exc:
        raise PushError(f"{path}: cannot parse: {one_line(exc, squeeze=True)}", code=2) from exc
    return data, count


def _named_graphs(path: Path) -> list[tuple[str, list[ox.Triple]]]:
    """(graph IRI, triples) for each named graph of a TriG file, in file order."""
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    except OSError as exc:
        raise PushError(f"{path}: cannot read: {exc.strerror or exc}", code=2) from exc
    except (SyntaxError, ValueError) as exc:
        raise PushError(f"{path}: cannot parse: {one_line(exc, squeeze=True)}", code=2) from exc
    return list(graphs.items())


def target_url(endpoint: str, graph_iri: str | None) -> str:
    """``endpoint?default`` or ``endpoint?graph=<encoded IRI>`` (``&`` when it has a query)."""
    joiner = "&" if urlsplit(endpoint).query else ("" if endpoint.endswith("?") else "?")
    if graph_iri is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={quote(graph_iri, safe='')}"


def _send(endpoint: str, graph_iri: str | None, body: bytes, kind: str, triples: int,
          replace: bool, timeout: float) -> Upload:
    """PUTs or POSTs one graph; raises PushError with the reason when it fails."""
    url = target_url(endpoint, graph_iri)
    request = urllib.request.Request(
        url, data=body, method="PUT" if replace else "POST",
        headers={"Content-Type": f"{kind}; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        message = f"{url}: the server answered {exc.code} {exc.reason}{_detail(exc)}"
        raise PushError(message) from exc
    except urllib.error.URLError as exc:
        raise PushError(f"cannot reach {urlsplit(url).netloc}: {_why(exc.reason)}") from exc
    except TimeoutError as exc:
        raise PushError(f"{url}: no answer within {timeout:g} s") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise PushError(f"{url}: {_why(exc)}") from exc
    return Upload(url, graph_iri or "the default graph", triples, replace)


def _why(reason: object) -> str:
    """A short reason for a failed connection."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror or reason})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return one_line(reason, squeeze=True)


def _detail(exc: urllib.error.HTTPError) -> str:
    """``": <first line of the body>"`` of an error answer, or ``""``."""
    try:
        text = exc.read(_MAX_DETAIL * 2).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    first = one_line(text, squeeze=True)[:_MAX_DETAIL]
    return f": {first}" if first else ""

