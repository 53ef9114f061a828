"""The build, stage by stage: ingest, parse, extract, resolve, assemble,
validate, export. Wiring only: every stage lives in its own module.

Things done here because they concern the whole run: documents longer than
the parser takes at once are read in parts (see :mod:`kg.build.pieces`), a build
holds the lock of its output folder (see :mod:`kg.build.lock`), reuses the extractions
of unchanged documents (see :mod:`kg.build.cache`) and does nothing at all when
nothing changed (see :mod:`kg.build.manifest`). The stages that need spaCy or rdflib
are imported when they run, so that an up-to-date build never loads them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.build import cache as doc_cache
from kg.build import manifest
from kg.build.children import bind_children_to_this_process
from kg.build.ingest import SUPPORTED_SUFFIXES, IngestError, collect_sources, read_document
from kg.build.lock import build_lock
from kg.build.pieces import Piece, merge_pieces, parse_pieces, split_points
from kg.datatypes import BuildOptions, BuildResult, BuildStats, SourceDoc
from kg.errors import KgError
from kg.ids import safe_name

__all__ = ["BuildError", "BuildOptions", "Piece", "build", "extract_all", "list_sources",
           "merge_pieces", "parse_pieces", "read_files", "read_sources", "skipped_in_folders",
           "split_points"]

if TYPE_CHECKING:
    from kg.datatypes import DocExtraction

# The parser reads at most PARSE_CHUNK characters at once (and never more than
# spaCy's nlp.max_length), in batches of about PARSE_BATCH characters: the
# parser's memory grows with the characters of a batch (some GB per million),
# the extractors' time faster than linearly with a document's length. News
# stories are far shorter than a part, so they are read whole.
PARSE_CHUNK = 50_000
PARSE_BATCH = 200_000
# --jobs 0 (the default) runs one parser process per core, at most AUTO_JOBS_MAX, once a
# build has AUTO_JOBS_FROM documents to parse; a smaller build is parsed in-process.
AUTO_JOBS_FROM = 40
AUTO_JOBS_MAX = 4

OUTPUT_NAMES = ("graph.ttl", "provenance.trig", "graph.html", "validation.txt", "provenance.nq",
                "graph.jsonld", "graph.graphml", "graph.oxigraph")


class BuildError(KgError):
    """Nothing could be built; the message says why, ``warnings`` what was skipped."""

    def __init__(self, message: str, warnings: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.warnings = list(warnings)


# ----- reading --------------------------------------------------------------------------
def read_sources(paths: Iterable[Path], stats: BuildStats,
                 out: Path | None = None) -> list[SourceDoc]:
    """Reads every source file, skipping bad ones and duplicates with a warning.

    Every skipped file gets one warning naming it: unreadable, empty or binary
    files, unsupported types and folders named like documents in a source folder,
    and a second copy of a content already read (which is read once). The files
    a build writes into ``out`` (validation.txt, say) are not sources.
    """
    files, warnings = list_sources(paths, out)
    stats.warnings.extend(warnings)
    return read_files(files, stats)


def list_sources(paths: Iterable[Path], out: Path | None = None) -> tuple[list[Path], list[str]]:
    """The files a build reads from ``paths``, and one warning per entry it passes over."""
    paths = list(paths)
    files, warnings = collect_sources(paths)
    warnings += skipped_in_folders(paths, out)
    return [f for f in files if not _is_output(f, out)], warnings


def read_files(files: Iterable[Path], stats: BuildStats,
               read: Callable[[Path], SourceDoc] | None = None) -> list[SourceDoc]:
    """Reads the listed files (with ``read``, default read_document); see :func:`read_sources`."""
    docs, seen = [], {}
    for path in files:
        try:
            doc = (read or read_document)(path)
        except IngestError as exc:
            stats.warnings.append(str(exc))
            continue
        stats.warnings.extend(doc.meta.get("warnings", ()))
        digest = doc.meta.get("sha256")
        if digest in seen:
            stats.warnings.append(f"{path}: same content as {seen[digest]}; read once")
            continue
        seen[digest] = path
        if doc.doc_id in {d.doc_id for d in docs}:
            # two different files with one name: the path tells them apart
            doc = replace(doc, doc_id=safe_name(path.as_posix()))
        docs.append(doc)
    return docs


def skipped_in_folders(paths: Iterable[Path], out: Path | None = None) -> list[str]:
    """One warning per entry of a source folder that the build does not read.

    That is a file of another type, a folder whose name ends in ``.txt`` or
    ``.md``, and anything that is neither file nor folder (a broken link, a
    pipe). Hidden names, and everything below them, are passed over silently.
    """
    warnings = []
    for folder in (Path(p) for p in paths):
        if not folder.is_dir():
            continue
        for parts, entry in sorted((e.relative_to(folder).parts, e) for e in folder.rglob("*")):
            typed = entry.suffix.lower() in SUPPORTED_SUFFIXES
            within = (folder.joinpath(*parts[:n]) for n in range(1, len(parts) + 1))
            if any(part.startswith(".") for part in parts) or any(
                    _is_output(p, out) for p in within):  # an output, or inside one (the store)
                continue
            if entry.is_dir() and typed:
                warnings.append(f"{entry}: is a directory, not a file; skipped")
            elif entry.is_file() and not typed:
                warnings.append(f"{entry}: unsupported type {entry.suffix or '(none)'!r} "
                                "(expected .txt or .md); skipped")
            elif not entry.is_file() and not entry.is_dir():
                warnings.append(f"{entry}: not a regular file (broken link or special); skipped")
    return warnings


def _is_output(path: Path, out: Path | None) -> bool:
    """Whether ``path`` is one of the files a build writes into ``out``."""
    return out is not None and path.name in OUTPUT_NAMES and path.parent.resolve() == out.resolve()


# ----- extraction -----------------------------------------------------------------------
# Called once per document as soon as it is done: (source, its extraction or None,
# the warnings it gave, whether every part of it was extracted).
DocDone = Callable[[SourceDoc, "DocExtraction | None", list[str], bool], None]


def extract_all(docs: list[SourceDoc], stats: BuildStats, jobs: int = 0,
                on_doc: DocDone | None = None) -> list[DocExtraction]:
    """Parses the documents (long ones in parts) in batches and runs the extractors.

    Args:
        docs: the documents.
        stats: collects the warnings.
        jobs: parser processes (spaCy's ``n_process``; 0: see parser_processes); the
            results do not depend on it.
        on_doc: called for each document when it is done (see DocDone).
    """
    from kg.build.nlp import build_nlp, sentence_case_headline  # the model loads only when needed
    from kg.gazetteer import load_gazetteer
    from kg.lexicon import load_lexicon, verb_words

    nlp = build_nlp()
    gaz, lex = load_gazetteer(), load_lexicon()
    verbs, limit = verb_words(lex), max(1, min(PARSE_CHUNK, nlp.max_length))
    pieces = ((d, piece) for d in docs
              for piece in parse_pieces(d, sentence_case_headline(d.text, verbs), limit))
    feed, keep = itertools.tee(pieces)
    processes = parser_processes(jobs, len(docs))
    if processes > 1:
        bind_children_to_this_process()  # a killed build leaves no parser behind
    parsed = nlp.pipe((piece.text for _, piece in feed), batch_size=max(1, PARSE_BATCH // limit),
                      n_process=processes)
    out, parts, first = [], [], len(stats.warnings)
    for (source, piece), doc in zip(keep, parsed, strict=True):
        whole = piece.number == 0 and piece.last
        sentences = 0 if whole else sum(1 for _ in doc.sents)
        parts.append((piece, _extract(doc, piece, gaz, lex, stats), sentences))
        if piece.last:
            merged = merge_pieces(source, parts)
            out += [] if merged is None else [merged]
            if not whole:
                stats.warnings.append(_split_warning(source, len(parts), limit))
            if on_doc is not None:
                on_doc(source, merged, stats.warnings[first:], all(p[1] for p in parts))
            parts, first = [], len(stats.warnings)
    return out


def parser_processes(jobs: int, documents: int) -> int:
    """The parser processes to use: ``jobs``, or for 0 (auto) one per core up to
    AUTO_JOBS_MAX once there are AUTO_JOBS_FROM documents to parse (below that,
    starting the processes costs more than it saves)."""
    if jobs > 0:
        return jobs
    if documents < AUTO_JOBS_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(AUTO_JOBS_MAX, cores or 1))


def _extract(doc, piece: Piece, gaz, lex, stats: BuildStats) -> DocExtraction | None:
    """The extraction of one parsed piece, or None (with a warning) when an extractor fails."""
    from kg.extract import extract_document

    try:
        return extract_document(doc, piece.source, gaz, lex)
    except Exception as exc:  # noqa: BLE001 - one bad document must not sink the build
        where = piece.source.path or piece.source.doc_id
        part = f" in part {piece.number + 1}" if not (piece.number == 0 and piece.last) else ""
        stats.warnings.append(f"{where}: extraction failed{part} ({exc!r})")
        return None


def _split_warning(source: SourceDoc, parts: int, limit: int) -> str:
    return (f"{source.path or source.doc_id}: {len(source.text)} characters, more than the "
            f"parser reads at once ({limit}); read in {parts} parts, so nothing that spans "
            "two parts is found")


# ----- the build ------------------------------------------------------------------------
def build(options: BuildOptions) -> BuildResult:
    """Builds the sources into the output folder: graph.ttl and the rest of OUTPUT_NAMES.

    The build holds the lock of the output folder throughout (waiting up to
    ``options.lock_timeout`` seconds for another build there), and every output is
    replaced atomically. Documents whose extraction is cached are not parsed again;
    when nothing at all changed since the last build of the folder (same sources,
    settings, code and intact outputs), nothing is done: the result's ``graph`` is
    None and ``stats.up_to_date`` is set, with the counts of that last build.

    Args:
        options: every setting of the build.

    Raises:
        BuildError: nothing readable, or the output folder cannot be created or written.
        kg.build.lock.LockTimeout: another build kept the folder locked too long.
        TypeError: ``options`` is not a BuildOptions.
    """
    if not isinstance(options, BuildOptions):
        raise TypeError(f"build() takes a BuildOptions, not {type(options).__name__}")
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(build_lock(options.out, options.lock_timeout))
        except OSError as exc:
            raise BuildError(f"{options.out}: cannot create the output folder or its lock file "
                             f"({exc.strerror or exc})") from exc
        return _build_locked(options)


@contextlib.contextmanager
def _timed(stats: BuildStats, stage: str) -> Iterator[None]:
    """Adds the seconds the block takes to ``stats.timings[stage]``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        stats.timings[stage] = stats.timings.get(stage, 0.0) + time.perf_counter() - start


def _build_locked(options: BuildOptions) -> BuildResult:
    start, stats, out = time.perf_counter(), BuildStats(), options.out
    with _timed(stats, "read"):
        files, listing = list_sources(options.sources, out)
        fingerprint = doc_cache.extraction_fingerprint(PARSE_CHUNK)
        inputs = manifest.scan(files, listing, doc_cache.build_fingerprint(fingerprint), options)
        done = manifest.up_to_date(out, inputs) if options.use_cache else None
    if done is not None:
        done[0].timings = {**stats.timings, "total": time.perf_counter() - start}
        return BuildResult(None, done[1], done[0])
    cache = doc_cache.DocCache.for_build(options, fingerprint)
    docs = _read(files, listing, options.sources, stats,
                 cache.reader(inputs.files, read_document) if cache else None)
    documents = {d.path: inputs.files[d.path] for d in docs}
    manifest.count_changes(stats, manifest.load(out), documents)
    with _timed(stats, "parse"):
        extractions = doc_cache.extract_with_cache(
            docs, stats, cache, lambda todo, scratch, on_doc: extract_all(
                todo, scratch, options.jobs, on_doc))
    result = _finish(docs, extractions, stats, options)
    manifest.save(out, inputs, documents, stats, result.report)
    if cache is not None:
        cache.prune()
    stats.timings["total"] = time.perf_counter() - start
    return result


def _read(files: list[Path], listing: list[str], sources: Iterable[Path], stats: BuildStats,
          read: Callable[[Path], SourceDoc] | None = None) -> list[SourceDoc]:
    """Reads the listed files; raises BuildError when none is readable."""
    with _timed(stats, "read"):
        stats.warnings.extend(listing)
        docs = read_files(files, stats, read)
    if not docs:
        names = ", ".join(str(p) for p in sources) or "(no sources)"
        raise BuildError(f"nothing to build: no readable .txt or .md document in {names}",
                         stats.warnings)
    return docs


def _finish(docs: list[SourceDoc], extractions: list[DocExtraction], stats: BuildStats,
            options: BuildOptions) -> BuildResult:
    """Resolves, assembles, validates and writes the build; fills in the counts."""
    from kg.atomic import remove_stale_temps
    from kg.build.graph import build_graph, provenance_dataset
    from kg.build.resolve import resolve
    from kg.export import write_outputs
    from kg.gazetteer import load_gazetteer
    from kg.validate.shacl import validate

    with _timed(stats, "resolve"):
        resolution = resolve(extractions, load_gazetteer(), options.min_confidence)
    with _timed(stats, "graph"):
        graph = build_graph(resolution, docs)
    with _timed(stats, "validate"):
        report = validate(graph)
    _count(stats, len(docs), resolution, report)
    out = options.out
    remove_stale_temps(out, OUTPUT_NAMES)  # left by a build killed while writing
    try:
        with _timed(stats, "export"):
            stats.outputs = write_outputs(graph, provenance_dataset(resolution), report, out)
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the outputs ({exc.strerror or exc})") from exc
    return BuildResult(graph, report, stats)


def _count(stats: BuildStats, documents: int, resolution, report) -> None:
    stats.documents = documents
    stats.entities = len(resolution.entities)
    stats.claims = len(resolution.claims)
    stats.relations = sum(1 for a in resolution.assertions
                          if a.polarity == "positive" and a.modality != "hedged")
    stats.negated = sum(1 for a in resolution.assertions if a.polarity == "negative")
    stats.violations = sum(1 for r in report.results if r.severity == "Violation")
