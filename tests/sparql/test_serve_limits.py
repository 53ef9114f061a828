"""Tests for `kg serve`: where it listens, its time limit, result cap, start-up errors, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from serve_helpers import (
    ASK_BANS,
    ROOT,
    fetch,
    kg_command,
    listening_addresses,
    rows_json,
    running_server,
    worker_pids,
)

# Four copies of every triple joined with no shared variable: far too many rows to count.
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def limited(seed_build: Path, tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen]]:
    """`kg serve` with one worker, a 2 s time limit and at most 3 results."""
    options = ("--timeout", "2", "--workers", "1", "--max-results", "3")
    with running_server(seed_build, tmp_path_factory.mktemp("limited"), *options) as running:
        yield running


def test_serve_listens_on_loopback_only_by_default(limited) -> None:
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("needs Linux /proc/net/tcp to see the listening address")
    port = int(limited[0].rsplit(":", 1)[1])
    assert listening_addresses(port) == ["0100007F"]  # 127.0.0.1, little-endian hex


def test_serve_port_in_use_is_one_line_exit_1(limited, seed_build: Path) -> None:
    port = limited[0].rsplit(":", 1)[1]
    done = subprocess.run([*kg_command(), "serve", "--graph", str(seed_build), "--port", port],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "already in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_unreadable_graph_is_one_line_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([*kg_command(), "serve", "--graph", str(tmp_path / "nothing"),
                           "--port", "0"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no such file" in done.stderr


def test_serve_timeout_kills_the_query_and_recovers(limited) -> None:
    base, proc = limited
    before = worker_pids(proc.pid)
    status, _, body = fetch(base + "/sparql", CROSS)
    assert status == 503 and b"time limit" in body and body.count(b"\n") == 1
    assert before and all(not Path(f"/proc/{pid}").exists() for pid in before)  # work stopped
    status, _, body = fetch(base + "/sparql", ASK_BANS)
    assert status == 200 and json.loads(body)["boolean"] is True
    after = worker_pids(proc.pid)
    assert after and not after & before


@pytest.mark.parametrize("query, rows, truncated", [
    ("SELECT ?s WHERE { ?s rdfs:label ?l }", 3, True),
    ("SELECT ?s WHERE { ?s rdfs:label ?l } LIMIT 2", 2, False),
    ("CONSTRUCT WHERE { ?s rdfs:label ?l }", 3, True),
])
def test_serve_result_cap_truncates_and_says_so(limited, query: str, rows: int, truncated) -> None:
    status, headers, body = fetch(limited[0] + "/sparql", query,
                                  headers={"Accept": "application/n-triples, */*;q=0.5"})
    assert status == 200 and headers["kg-max-results"] == "3"
    assert ("kg-truncated" in headers) is truncated
    if query.startswith("CONSTRUCT"):
        assert len(rdflib.Graph().parse(data=body, format="nt")) == rows
    else:
        assert len(rows_json(body)) == rows


def test_serve_allow_service_federates_with_another_endpoint(
    limited, seed_build: Path, tmp_path: Path
) -> None:
    remote = limited[0] + "/sparql"  # a second kg serve, reached over 127.0.0.1
    query = f"SELECT ?c WHERE {{ SERVICE <{remote}> {{ ?c a kg:Country }} }}"
    with running_server(seed_build, tmp_path, "--allow-service") as (base, _):
        status, _, body = fetch(base + "/sparql", query)
        local = {row[0] for row in rows_json(fetch(base + "/sparql", query.replace(
            f"SERVICE <{remote}>", ""))[2])}
    assert status == 200
    federated = {row[0] for row in rows_json(body)}
    assert federated and federated <= local


def test_serve_ctrl_c_stops_cleanly(seed_build: Path, tmp_path: Path) -> None:
    with running_server(seed_build, tmp_path) as (base, proc):
        assert fetch(base + "/sparql", ASK_BANS)[0] == 200
        workers = worker_pids(proc.pid)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    err = next(tmp_path.glob("serve-*.err")).read_text()
    assert err.strip().splitlines()[-1] == "kg serve: stopped"
    assert "Traceback" not in err
    assert workers and all(not Path(f"/proc/{pid}").exists() for pid in workers)


def test_serve_answers_from_the_new_graph_after_a_rebuild(tmp_path: Path) -> None:
    from kg.build.pipeline import build
    from kg.datatypes import BuildOptions

    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "one.txt").write_text("India banned TikTok on Monday.\n", encoding="utf-8")
    out = tmp_path / "build"
    build(BuildOptions([stories], out))
    asks = "ASK { kgr:india kg:bans kgr:tiktok }", "ASK { ?who kg:sanctions kgr:huawei }"
    with running_server(out, tmp_path, "--workers", "1") as (base, _proc):
        before = [json.loads(fetch(f"{base}/sparql", q)[2])["boolean"] for q in asks]
        (stories / "two.txt").write_text("The United States sanctioned Huawei on Friday.\n",
                                         encoding="utf-8")
        build(BuildOptions([stories], out))
        after = [json.loads(fetch(f"{base}/sparql", q)[2])["boolean"] for q in asks]
    assert before == [True, False] and after == [True, True]
