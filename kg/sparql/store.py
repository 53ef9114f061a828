"""The embedded SPARQL store kept beside a build's Turtle: ``OUT/graph.oxigraph/``.

A build writes the store with :func:`write_store`: the default graph holds
exactly the triples of ``graph.ttl``, and every provenance named graph (one
per document) is there as a named graph. A stamp file inside the store folder
records the SHA-256 of the ``graph.ttl`` it was loaded from, so
:func:`open_store` can tell a store that matches the Turtle from a stale one.

The store is built in a hidden temporary folder beside its target and then
swapped in by renames, so a killed build leaves the previous store or none,
never half of one; leftovers of killed builds are removed by the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.ids import file_sha256
from kg.rdfio import RDF_FORMATS, read_error
from kg.vocab import PREFIXES

# PREFIXES lives in kg.vocab; the name stays here only for kg/export/quads.py, which
# still imports it from this module.
__all__ = ["PREFIXES", "STAMP_NAME", "STORE_NAME", "file_sha256", "load_store", "open_store",
           "remove_stale_stores", "write_store"]

STORE_NAME = "graph.oxigraph"
"""The store folder's name inside a build folder."""

STAMP_NAME = "kg-stamp.json"
"""The stamp file inside the store folder (RocksDB leaves files of this name alone)."""

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD)
_TEMP_FOLDER = re.compile(re.escape(f".{STORE_NAME}.") + r"[0-9a-f]{8}\.(?:tmp|old)")


# ----- writing ---------------------------------------------------------------------------
def write_store(out: Path, graph_file: Path | None = None,
                quads_file: Path | None = None, *, graph_data: bytes | None = None,
                quads_data: bytes | None = None) -> Path:
    """Builds ``out/graph.oxigraph`` from the written Turtle and provenance files.

    Call it while holding the build lock of ``out``: it first removes the
    temporary folders that killed builds left behind. Content already in memory
    can be given as N-Triples / N-Quads bytes, which saves parsing the files.

    Args:
        out: the build folder.
        graph_file: the Turtle whose triples form the default graph
            (default ``out/graph.ttl``); the stamp records its SHA-256.
        quads_file: N-Quads or TriG whose named graphs are added as named
            graphs (default: none); triples in its default graph are ignored.
        graph_data: the triples of ``graph_file`` as N-Triples, loaded instead of
            parsing ``graph_file``.
        quads_data: the quads of ``quads_file`` as N-Quads, used instead of
            ``quads_file`` (again only the named graphs).

    Returns:
        The store folder.

    Raises:
        OSError: the store cannot be written; an older store is left as it was.
        SyntaxError: one of the files does not parse.
    """
    out = Path(out)
    graph_file = Path(graph_file) if graph_file is not None else out / "graph.ttl"
    remove_stale_stores(out)
    target, tmp = out / STORE_NAME, _fresh_name(out, "tmp")
    try:
        _fill_store(tmp, graph_file, _Source(quads_file, graph_data, quads_data))
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def remove_stale_stores(out: Path) -> list[Path]:
    """Deletes the temporary store folders that killed builds left in ``out``.

    Returns:
        The folders deleted.
    """
    removed = []
    with contextlib.suppress(OSError), os.scandir(out) as entries:
        for entry in entries:
            if _TEMP_FOLDER.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


def _fresh_name(out: Path, kind: str) -> Path:
    while True:
        path = out / f".{STORE_NAME}.{secrets.token_hex(4)}.{kind}"
        if not os.path.lexists(path):
            return path


@dataclass(frozen=True)
class _Source:
    """Where the store's content comes from besides the graph file (see :func:`write_store`)."""

    quads_file: Path | None
    graph_data: bytes | None
    quads_data: bytes | None


def _fill_store(folder: Path, graph_file: Path, source: _Source) -> None:
    """Loads the content into a new on-disk store at ``folder`` and stamps it."""
    store = ox.Store(str(folder))
    try:
        if source.graph_data is not None:
            store.bulk_load(source.graph_data, format=ox.RdfFormat.N_TRIPLES)
        else:
            store.bulk_load(path=str(graph_file), format=ox.RdfFormat.TURTLE)
        if source.quads_data is not None:
            store.bulk_extend(_named(ox.parse(source.quads_data, format=ox.RdfFormat.N_QUADS)))
        elif source.quads_file is not None:
            store.bulk_extend(_named_quads(Path(source.quads_file)))
        store.flush()
        quads = len(store)
    finally:
        del store  # closes the database before the folder moves
    stamp = {"graph_file": graph_file.name, "graph_sha256": file_sha256(graph_file),
             "quads": quads}
    (folder / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def _named_quads(path: Path) -> Iterator[ox.Quad]:
    fmt = _OX_FORMATS[RDF_FORMATS[path.suffix.lower()]]
    return _named(ox.parse(path=str(path), format=fmt))


def _named(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    return (quad for quad in quads if not isinstance(quad.graph_name, ox.DefaultGraph))


def _swap_in(new: Path, target: Path) -> None:
    """Moves ``new`` to ``target``; an existing ``target`` is moved aside, then deleted.

    Between the two renames there is briefly no store, never a partial one.
    """
    old = None
    if os.path.lexists(target):
        old = _fresh_name(target.parent, "old")
        os.replace(target, old)
    os.replace(new, target)
    _fsync_folder(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ----- opening ---------------------------------------------------------------------------
def open_store(path: Path) -> ox.Store:
    """A store to query for a build folder, a graph file or a store folder.

    The on-disk store of a build is opened read-only when its stamp matches the
    graph file beside it; otherwise the graph file (any suffix :mod:`kg.rdfio`
    knows) is loaded into an in-memory store. A store folder named directly is
    opened even when no graph file is left beside it.

    Raises:
        GraphReadError: nothing readable at ``path`` (one-line message).
    """
    graph_file, store_dir = _locate(Path(path))
    if store_dir is not None and _fresh(store_dir, graph_file):
        with contextlib.suppress(OSError):
            return ox.Store.read_only(str(store_dir))
    if graph_file is None or not graph_file.is_file():
        missing = graph_file or Path(path) / "graph.ttl"
        raise read_error(missing, "no such file (run `kg build` first?)")
    return load_store(graph_file)


def _locate(path: Path) -> tuple[Path | None, Path | None]:
    """The graph file and the candidate store folder that ``path`` names."""
    if path.is_dir() and (path / STAMP_NAME).is_file():
        graph_file = path.parent / _stamp(path).get("graph_file", "graph.ttl")
        return (graph_file if graph_file.is_file() else None), path
    if path.is_dir():
        return path / "graph.ttl", path / STORE_NAME
    return path, path.parent / STORE_NAME


def _fresh(store_dir: Path, graph_file: Path | None) -> bool:
    """Whether ``store_dir`` is a complete store loaded from ``graph_file``.

    With no graph file (a store folder named on its own) any stamped store counts.
    """
    stamp = _stamp(store_dir)
    if not stamp:
        return False
    if graph_file is None:
        return True
    if not graph_file.is_file():
        return False
    return stamp.get("graph_sha256") == file_sha256(graph_file)


def _stamp(store_dir: Path) -> dict:
    try:
        stamp = json.loads((store_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def load_store(path: Path) -> ox.Store:
    """Loads an RDF file (format by suffix) into a new in-memory store.

    For quad formats (TriG, N-Quads, JSON-LD) the default graph is the union of
    all graphs, as when :func:`kg.rdfio.read_rdf` reads them.

    Raises:
        GraphReadError: the file is missing, has an unknown suffix or does not parse.
    """
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise read_error(path, f"unknown RDF file suffix {path.suffix!r} (expected {known})")
    store = ox.Store()
    try:
        store.load(path=str(path), format=_OX_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError) as exc:
        raise read_error(path, exc) from exc
    if _OX_FORMATS[fmt] in _QUAD_FORMATS:
        _add_union(store)
    return store


def _add_union(store: ox.Store) -> None:
    """Copies every named-graph triple into the default graph as well."""
    named = [q for q in store.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)]
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in named)
