"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build.

``/sparql`` answers queries sent by GET (``?query=``) or POST (a form, or the
query itself as ``application/sparql-query``), in the format the ``Accept``
header asks for. ``/`` is the build's ``graph.html``. Updates are refused,
``SERVICE`` is refused unless allowed, every query runs in a worker process
that is killed when it passes the time limit, and answers are cut off after
a number of rows (saying so in the ``KG-Truncated`` header).
"""

from __future__ import annotations

import errno
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg import __version__
from kg.errors import KgError, one_line
from kg.sparql.workers import (
    Job,
    PoolError,
    Reply,
    WorkerPool,
    endpoint_policy,
    error_reply,
    refusal_reply,
)

MAX_BODY = 1 << 20
"""The largest request body accepted, in bytes."""


class ServeError(KgError):
    """The server cannot start (one-line message).

    Attributes:
        code: the exit status to use: 1 the address cannot be used, 2 the graph cannot be opened.
    """

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ServeOptions:
    """Settings of ``kg serve``.

    Attributes:
        graph: a build folder, a graph file or a store folder.
        host: the address to listen on.
        port: the port to listen on (0: any free port).
        timeout: seconds a query may run before it is stopped.
        max_results: the most rows (or triples) in one answer.
        allow_service: whether ``SERVICE`` (federated queries) may run.
        workers: how many queries may run at once.
    """

    graph: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_results: int = 10_000
    allow_service: bool = False
    workers: int = 2


def check_query(text: str, allow_service: bool = False) -> Reply | None:
    """Refuses updates and (unless allowed) ``SERVICE`` before a query reaches a worker.

    Returns:
        An error reply (403 for an update, 400 for ``SERVICE``), or ``None`` to go ahead.
    """
    refusal = endpoint_policy(allow_service).check(text)
    return None if refusal is None else refusal_reply(refusal)


class _Server(ThreadingHTTPServer):
    """The HTTP server; holds the options, the worker pool and the page to show at ``/``."""

    daemon_threads = True

    def __init__(self, options: ServeOptions, pool: WorkerPool) -> None:
        self.options = options
        self.pool = pool
        self.page = _page_of(options.graph)
        if ":" in options.host:
            self.address_family = socket.AF_INET6
        super().__init__((options.host, options.port), _Handler)


def _page_of(graph: Path) -> Path:
    """The ``graph.html`` of the build folder that ``graph`` names or lies in."""
    folder = graph if graph.is_dir() and not graph.name.endswith(".oxigraph") else graph.parent
    return folder / "graph.html"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = f"kg-serve/{__version__}"
    timeout = 60  # seconds a client may take to send its request

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/":
            self._send_page()
        elif url.path == "/sparql":
            self._answer(parse_qs(url.query, keep_blank_values=True))
        else:
            self._send(error_reply(404, f"not found: {url.path} (try /sparql or /)"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            status = 405 if url.path == "/" else 404
            self._send(error_reply(status, f"{url.path}: POST a query to /sparql"))
            return
        body = self._read_body()
        if body is None:
            return
        params = parse_qs(url.query, keep_blank_values=True)
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        elif kind == "application/sparql-query":
            params.setdefault("query", []).append(body)
        elif kind == "application/sparql-update":
            params.setdefault("update", []).append(body)
        else:
            self._send(error_reply(415, f"unsupported Content-Type {kind or '(none)'!r}"))
            return
        self._answer(params)

    def do_PUT(self) -> None:
        self._send(error_reply(405, "read-only endpoint: only GET and POST are allowed"),
                   {"Allow": "GET, POST"})

    do_DELETE = do_PATCH = do_PUT

    def _read_body(self) -> str | None:
        """The request body as text, or ``None`` after an error has been sent."""
        length = self.headers.get("Content-Length")
        if length is None:
            self._send(error_reply(411, "a Content-Length header is required"))
            return None
        if not length.strip().isdigit() or int(length) > MAX_BODY:
            self._send(error_reply(413, f"the request body must be at most {MAX_BODY} bytes"))
            return None
        data = self.rfile.read(int(length))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self._send(error_reply(400, "the request body is not UTF-8"))
            return None

    def _answer(self, params: dict[str, list[str]]) -> None:
        """Checks a protocol request and sends back the worker's answer."""
        options = self.server.options
        if "update" in params:
            self._send(refusal_reply(endpoint_policy(options.allow_service).refuse_update()))
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(error_reply(400, "expected exactly one non-empty 'query' parameter"))
            return
        refusal = check_query(queries[0], options.allow_service)
        if refusal is not None:
            self._send(refusal)
            return
        job = Job(queries[0], self.headers.get("Accept"), options.max_results,
                  tuple(params.get("default-graph-uri", [])),
                  tuple(params.get("named-graph-uri", [])), options.allow_service)
        self._send(self.server.pool.run(job, options.timeout), self._result_headers)

    def _result_headers(self, reply: Reply) -> dict[str, str]:
        headers = {"Vary": "Accept", "KG-Max-Results": str(self.server.options.max_results)}
        if reply.truncated:
            headers["KG-Truncated"] = "true"
        return headers

    def _send_page(self) -> None:
        try:
            page = self.server.page.read_bytes()
        except OSError:
            self._send(error_reply(404, "this build has no graph.html"))
            return
        self._send(Reply(200, page, "text/html; charset=utf-8"))

    def _send(self, reply: Reply, headers=None) -> None:
        """Sends a reply; ``headers`` is a dict or a function of the reply giving one."""
        extra = headers(reply) if callable(headers) else dict(headers or {})
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in {**reply.headers, **extra}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away


def serve(options: ServeOptions, announce: Callable[[str], None] = print) -> None:
    """Serves until interrupted (Ctrl-C or SIGTERM raise KeyboardInterrupt out of here).

    Args:
        options: the settings.
        announce: called once with a one-line message when the server is ready.

    Raises:
        ServeError: the address cannot be used or the graph cannot be opened.
    """
    pool = WorkerPool(options.graph, options.workers)
    try:
        server = _Server(options, pool)
    except OSError as exc:
        raise ServeError(_bind_message(options, exc)) from exc
    try:
        pool.start()
        host, port = server.server_address[:2]
        _stop_on_sigterm()
        announce(f"kg serve: SPARQL endpoint at {_url(host, port)}/sparql, "
                 f"explorer at {_url(host, port)}/ (Ctrl-C stops)")
        server.serve_forever()
    except PoolError as exc:
        raise ServeError(f"cannot open the graph: {exc}", code=2) from exc
    finally:
        server.server_close()
        pool.close()


def _bind_message(options: ServeOptions, exc: OSError) -> str:
    where = f"{options.host}:{options.port}"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the address is already in use"
    return f"cannot listen on {where}: {exc.strerror or one_line(exc, squeeze=True)}"


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _stop_on_sigterm() -> None:
    """Makes SIGTERM stop the server the way Ctrl-C does (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
