"""Worker processes that answer the SPARQL queries of ``kg serve``.

Each worker is a separate process (started with ``spawn``) holding its own
read-only view of the graph. A query is sent to an idle worker over a pipe;
when the answer does not come back within the time limit the worker is
killed, which stops the query for certain, and a fresh worker takes its place.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError, one_line
from kg.rdfio import GraphReadError
from kg.sparql.engine import Engine, OxigraphEngine, QueryDataset
from kg.sparql.formats import NotAcceptable, render
from kg.sparql.policy import Audience, ReadOnlyPolicy, Refusal, RefusalKind
from kg.sparql.result import InvalidRequest, MalformedQuery, QueryError, QueryRefused
from kg.sparql.store import STAMP_NAME, STORE_NAME, open_store

REFUSAL_STATUS = {RefusalKind.UPDATE: 403, RefusalKind.SERVICE: 400}
"""The HTTP status of each kind of refusal of the read-only policy."""


@dataclass(frozen=True)
class Job:
    """One query for a worker.

    Attributes:
        query: the SPARQL query text.
        accept: the client's ``Accept`` header (``None`` when absent).
        max_results: the most rows or triples to send back.
        default_graphs: IRIs of the graphs making up the default graph (empty: the store's).
        named_graphs: IRIs of the graphs ``GRAPH`` may use (empty: all).
        allow_service: whether ``SERVICE`` may run.
    """

    query: str
    accept: str | None
    max_results: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    allow_service: bool = False


@dataclass(frozen=True)
class Reply:
    """A worker's answer: an HTTP status, a body and its Content-Type."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def error_reply(status: int, message: str) -> Reply:
    """A plain-text reply of one line."""
    return Reply(status, (one_line(message, squeeze=True) + "\n").encode("utf-8"))


def refusal_reply(refusal: Refusal) -> Reply:
    """The reply to a query the read-only policy refuses (403 an update, 400 SERVICE)."""
    return error_reply(REFUSAL_STATUS[refusal.kind], refusal.message)


def endpoint_policy(allow_service: bool) -> ReadOnlyPolicy:
    """The read-only policy of the endpoint, its refusals worded for HTTP clients."""
    return ReadOnlyPolicy(allow_service, Audience.ENDPOINT)


def execute(engine: Engine, job: Job) -> Reply:
    """Runs one job and serializes the answer in the format the client accepts."""
    try:
        answer = engine.start(job.query, policy=endpoint_policy(job.allow_service),
                              dataset=QueryDataset(job.default_graphs, job.named_graphs))
        rendered = render(answer, job.accept, job.max_results)
    except QueryRefused as exc:
        return refusal_reply(exc.refusal)
    except MalformedQuery as exc:
        return error_reply(400, f"malformed query: {exc.reason}")
    except InvalidRequest as exc:
        return error_reply(400, f"bad request: {exc.reason}")
    except NotAcceptable as exc:
        return error_reply(406, str(exc))
    except QueryError as exc:
        return error_reply(500, str(exc))
    except ValueError as exc:  # pyoxigraph cannot write the answer in the chosen format
        return error_reply(400, f"bad request: {exc}")
    except Exception as exc:  # noqa: BLE001 - a worker must answer, whatever went wrong
        return error_reply(500, f"query failed: {exc}")
    return Reply(200, rendered.body, rendered.content_type, rendered.truncated)


def worker_main(conn, graph: str) -> None:
    """The loop of a worker process: open the graph, then answer jobs until the pipe closes.

    Before each job the worker checks whether a rebuild replaced the graph (see
    :func:`graph_signature`) and, if so, opens the new one; when that fails (a
    build half done, say) it keeps answering from the graph it has.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    path = Path(graph)
    try:
        signature, engine = graph_signature(path), OxigraphEngine(open_store(path))
    except (GraphReadError, OSError) as exc:
        conn.send(("error", one_line(exc, squeeze=True)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if graph_signature(path) != signature:
            with contextlib.suppress(GraphReadError, OSError):
                signature, engine = graph_signature(path), OxigraphEngine(open_store(path))
        conn.send(execute(engine, job))


def graph_signature(graph: Path) -> tuple:
    """What a rebuild changes: identity, time and size of the graph file (graph.ttl for a
    build folder) and of the stamp of the store beside it. A new build renames new files
    into place, so each of these changes."""
    folder = graph if graph.is_dir() else graph.parent
    files = [folder / "graph.ttl", folder / STORE_NAME / STAMP_NAME]
    if graph.is_file():
        files.append(graph)
    signature = []
    for item in files:
        try:
            info = item.stat()
            signature.append((info.st_ino, info.st_mtime_ns, info.st_size))
        except OSError:
            signature.append(None)
    return tuple(signature)


class PoolError(KgError):
    """The workers could not open the graph (one-line message)."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class WorkerPool:
    """A fixed number of worker processes, each answering one query at a time."""

    def __init__(self, graph: Path, size: int = 2) -> None:
        self._graph = str(graph)
        self._size = max(1, size)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: dict[int, _Worker] = {}
        self._closed = False

    def start(self) -> None:
        """Starts every worker and waits until each has opened the graph.

        Raises:
            PoolError: a worker could not open the graph.
        """
        workers = [self._spawn() for _ in range(self._size)]
        for worker in workers:
            self._await_ready(worker)
            self._idle.put(worker)

    def run(self, job: Job, timeout: float, wait: float | None = None) -> Reply:
        """Runs ``job`` on an idle worker, killing it when ``timeout`` seconds pass first.

        Args:
            job: the query.
            timeout: seconds the query may run.
            wait: seconds to wait for a free worker (default: the time limit, at least 30 s,
                long enough for a stopped worker's replacement to open the graph).
        """
        wait = max(timeout, 30.0) if wait is None else wait
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            return error_reply(503, f"server busy: no worker became free within {wait:g} s")
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            return error_reply(500, "the query worker stopped unexpectedly; it has been restarted")
        self._replace(worker)
        return error_reply(503, f"query stopped: it ran longer than the {timeout:g} s time limit")

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(self._workers)

    def close(self) -> None:
        """Stops every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
        for worker in workers:
            self._stop(worker)

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=worker_main, args=(child_end, self._graph), name="kg-serve-worker", daemon=True
        )
        process.start()
        child_end.close()  # so that the parent sees EOF when the child dies
        worker = _Worker(process, parent_end)
        with self._lock:
            self._workers[process.pid] = worker
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            kind, message = worker.conn.recv()
        except (EOFError, OSError):
            kind, message = "error", "a query worker exited while opening the graph"
        if kind != "ready":
            self._stop(worker)
            raise PoolError(message)

    def _replace(self, worker: _Worker) -> None:
        """Kills ``worker`` and starts another one in the background."""
        self._stop(worker)
        threading.Thread(target=self._refill, name="kg-serve-refill", daemon=True).start()

    def _refill(self) -> None:
        with self._lock:
            if self._closed:
                return
        try:
            worker = self._spawn()
            self._await_ready(worker)
        except (PoolError, OSError) as exc:
            print(f"kg serve: cannot restart a query worker: {one_line(exc, squeeze=True)}",
                  file=sys.stderr)
            return
        self._idle.put(worker)

    def _stop(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.pop(worker.process.pid, None)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
