"""Helpers for the `kg serve` tests: start the server as a subprocess and talk HTTP to it."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASK_BANS = "ASK { ?actor kg:bans ?target }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def kg_command() -> list[str]:
    """The `kg` console script of this interpreter's environment (or an equivalent)."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from kg.cli.app import app; app()"]


@contextmanager
def running_server(
    build: Path, logs: Path, *options: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Starts `kg serve --port 0` on ``build``; yields (base URL, process) once it listens.

    Its stderr goes to ``logs/serve-<random>.err``; on leaving, the server gets
    Ctrl-C (SIGINT) unless it has already stopped.
    """
    stderr = (logs / f"serve-{os.urandom(4).hex()}.err").open("w+")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [*kg_command(), "serve", "--graph", str(build), "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, env=env,
    )
    try:
        line = _first_line(proc)
        match = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", line)
        if match is None:
            stderr.seek(0)
            pytest.fail(f"kg serve did not start: {line!r} {stderr.read()}")
        yield match.group(1), proc
    finally:
        _stop(proc)
        stderr.close()


def _first_line(proc: subprocess.Popen) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], 120)  # a guard, not a measurement
    return proc.stdout.readline() if ready else ""


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def fetch(url: str, query: str | None = None, *, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; returns (status, headers with lower-case names, body)."""
    if query is not None:
        url += "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers), exc.read()


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def post_form(url: str, **fields: str) -> tuple[int, dict[str, str], bytes]:
    """POSTs ``fields`` as application/x-www-form-urlencoded."""
    return fetch(url, data=urllib.parse.urlencode(fields).encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})


def rows_json(body: bytes) -> list[tuple[str, ...]]:
    """The rows of a SPARQL JSON results document, as value strings ("" when unbound)."""
    document = json.loads(body)
    names = document["head"]["vars"]
    return [tuple(b.get(n, {}).get("value", "") for n in names)
            for b in document["results"]["bindings"]]


def count_triples(endpoint: str) -> int:
    """The number of triples in every graph of the served dataset."""
    status, _, body = fetch(endpoint, COUNT_ALL)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def worker_pids(server_pid: int) -> set[int]:
    """The query workers among the children of the server process (from /proc)."""
    pids = set()
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                pids.add(int(child))
    return pids


def listening_addresses(port: int) -> list[str]:
    """The local addresses (kernel hex) of the sockets listening on ``port`` (/proc/net)."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                addresses.append(address)
    return addresses
