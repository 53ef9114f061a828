"""Tests for `kg push`: uploads to a real Oxigraph server over the Graph Store Protocol."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from serve_helpers import ROOT, kg_command

from kg.sparql.push import PushError, push, target_url

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
NAMED = "https://example.org/graphs/kg-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> Iterator[str]:
    """The Graph Store Protocol URL of an Oxigraph server started for these tests."""
    if not OXIGRAPH.exists():
        pytest.skip(f"{OXIGRAPH} is missing (pip install the test extra: oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, proc)
        yield base + "/store"
    finally:
        proc.terminate()
        proc.wait(30)


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60  # a start-up guard, not a measurement
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with a page
        except OSError:
            time.sleep(0.2)
    pytest.fail("the Oxigraph server did not start")


def read_back(store_url: str, graph_iri: str | None) -> rdflib.Graph:
    """The triples of one graph on the server, via a Graph Store Protocol GET."""
    request = urllib.request.Request(target_url(store_url, graph_iri),
                                     headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return rdflib.Graph().parse(data=response.read(), format="nt")


def kg_push(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*kg_command(), "push", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def as_stored(path: Path, graph_iri: str | None = None) -> rdflib.Graph:
    """One graph of an RDF file as an Oxigraph store holds it.

    Oxigraph keeps numbers by value, so ``0.700`` comes back as ``0.7``; loading
    the file into an in-memory pyoxigraph store makes the same change.
    """
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]))
    name = ox.NamedNode(graph_iri) if graph_iri else ox.DefaultGraph()
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
    return rdflib.Graph().parse(data=data, format="nt")


def seed_graph(seed_build: Path) -> rdflib.Graph:
    """graph.ttl of the seed build, as stored by Oxigraph (same triples, same count)."""
    stored = as_stored(seed_build / "graph.ttl")
    assert len(stored) == len(rdflib.Graph().parse(seed_build / "graph.ttl"))
    return stored


def test_push_default_graph_round_trips(store_url: str, seed_build: Path) -> None:
    done = kg_push("--graph", str(seed_build), "--endpoint", store_url)
    assert done.returncode == 0, done.stderr
    assert "the default graph" in done.stdout
    served = read_back(store_url, None)
    assert len(served) > 100 and isomorphic(served, seed_graph(seed_build))


def test_push_named_graph_round_trips(store_url: str, seed_build: Path) -> None:
    done = kg_push("--graph", str(seed_build / "graph.ttl"), "--endpoint", store_url,
                   "--graph-iri", NAMED)
    assert done.returncode == 0, done.stderr
    assert isomorphic(read_back(store_url, NAMED), seed_graph(seed_build))


def _put_one_triple(store_url: str, graph_iri: str) -> None:
    body = b"<urn:test:extra> <urn:test:p> <urn:test:o> .\n"
    request = urllib.request.Request(target_url(store_url, graph_iri), data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=60).close()


def test_push_append_adds_and_replace_replaces(store_url: str, seed_build: Path) -> None:
    graph_iri = NAMED + "/modes"
    _put_one_triple(store_url, graph_iri)
    args = ("--graph", str(seed_build), "--endpoint", store_url, "--graph-iri", graph_iri)
    assert kg_push(*args, "--append").returncode == 0
    expected = seed_graph(seed_build)
    assert len(read_back(store_url, graph_iri)) == len(expected) + 1
    for _ in range(2):
        assert kg_push(*args, "--replace").returncode == 0
    assert isomorphic(read_back(store_url, graph_iri), expected)  # one copy, nothing else


def test_push_with_provenance_sends_each_named_graph(store_url: str, seed_build: Path) -> None:
    uploads = push(seed_build, store_url, NAMED + "/main", with_provenance=True)
    dataset = rdflib.Dataset()
    dataset.parse(seed_build / "provenance.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names and {u.graph for u in uploads} == names | {NAMED + "/main"}
    for name in names:
        expected = as_stored(seed_build / "provenance.trig", name)
        assert len(expected) == len(dataset.graph(rdflib.URIRef(name)))
        assert isomorphic(read_back(store_url, name), expected)


def test_push_connection_refused_is_one_line(seed_build: Path) -> None:
    done = kg_push("--graph", str(seed_build), "--endpoint",
                   f"http://127.0.0.1:{free_port()}/store")
    assert done.returncode == 1
    assert "connection refused" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_push_http_error_names_the_status(store_url: str, seed_build: Path) -> None:
    done = kg_push("--graph", str(seed_build), "--endpoint", store_url.replace("/store", "/nope"))
    assert done.returncode == 1
    assert "404" in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("args, words", [
    (("--endpoint", "ftp://example.org/store"), "bad endpoint URL"),
    (("--endpoint", "not a url"), "bad endpoint URL"),
    (("--endpoint", "http://127.0.0.1:99999/store"), "bad endpoint URL"),
    (("--endpoint", "http://127.0.0.1:1/store", "--graph-iri", "no scheme"), "bad graph IRI"),
])
def test_push_bad_arguments_exit_2(seed_build: Path, args: tuple[str, ...], words: str) -> None:
    done = kg_push("--graph", str(seed_build), *args)
    assert done.returncode == 2
    assert words in done.stderr and done.stderr.count("\n") == 1


def test_push_missing_build_exit_2(tmp_path: Path) -> None:
    with pytest.raises(PushError) as caught:
        push(tmp_path, "http://127.0.0.1:1/store")
    assert caught.value.code == 2 and "graph.ttl" in str(caught.value)


@pytest.mark.parametrize("endpoint, iri, url", [
    ("http://h/store", None, "http://h/store?default"),
    ("http://h/store", "urn:a:b", "http://h/store?graph=urn%3Aa%3Ab"),
    ("http://h/ds/data?x=1", "http://e/g#1", "http://h/ds/data?x=1&graph=http%3A%2F%2Fe%2Fg%231"),
])
def test_push_target_url(endpoint: str, iri: str | None, url: str) -> None:
    assert target_url(endpoint, iri) == url
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("graph", [None])[-1] == iri
