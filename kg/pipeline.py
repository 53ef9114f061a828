"""The build, stage by stage: ingest, parse, extract, resolve, assemble,
validate, export. Wiring only: every stage lives in its own module.

Two things are done here because they concern the whole run: documents longer
than the parser takes at once are read in parts (see :func:`parse_pieces`), and
a build holds the lock of its output folder (see :mod:`kg.lock`).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.datatypes import (
    BuildResult,
    BuildStats,
    ClaimCandidate,
    Evidence,
    Mention,
    RelationCandidate,
    SourceDoc,
)
from kg.extract import DocExtraction, extract_document
from kg.gazetteer import load_gazetteer
from kg.graph import build_graph, provenance_dataset
from kg.ids import safe_name
from kg.ingest import SUPPORTED_SUFFIXES, IngestError, collect_sources, read_document
from kg.lexicon import load_lexicon, verb_words
from kg.lock import DEFAULT_TIMEOUT, build_lock
from kg.resolve import resolve

# Relations below this combined confidence are left out of a build unless the
# caller asks otherwise: an even chance is the least a researcher should get.
DEFAULT_MIN_CONFIDENCE = 0.5

# The parser reads at most PARSE_CHUNK characters at once (and never more than
# spaCy's nlp.max_length), in batches of about PARSE_BATCH characters: the
# parser's memory grows with the characters of a batch (some GB per million),
# the extractors' time faster than linearly with a document's length. News
# stories are far shorter than a part, so they are read whole.
PARSE_CHUNK = 50_000
PARSE_BATCH = 200_000

OUTPUT_NAMES = ("graph.ttl", "provenance.trig", "graph.html", "validation.txt")

# Where a long text may be cut, best first: paragraph breaks, sentence ends, spaces.
_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"[.!?…][\"'”’)\]]*\s+"), re.compile(r"\s+"))


class BuildError(Exception):
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
    paths = list(paths)
    files, warnings = collect_sources(paths)
    stats.warnings.extend(warnings)
    stats.warnings.extend(skipped_in_folders(paths, out))
    files = [f for f in files if not _is_output(f, out)]
    docs, seen = [], {}
    for path in files:
        try:
            doc = read_document(path)
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
            if any(part.startswith(".") for part in parts) or _is_output(entry, out):
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


# ----- parsing long documents in parts --------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """A part of a document that the parser reads in one go.

    Attributes:
        source: the part as a SourceDoc of its own: the document's id, and its slice
            of the cleaned text and of the offset map, so evidence offsets still
            point into the whole file.
        text: what the parser reads: the same slice of the (headline-cased) text.
        start: where the part starts in the document's cleaned text.
        number: the part's position in the document (0, 1, ...).
        last: whether it is the document's last part.
    """

    source: SourceDoc
    text: str
    start: int = 0
    number: int = 0
    last: bool = True


def split_points(text: str, limit: int) -> list[tuple[int, int]]:
    """Cuts ``text`` into consecutive ``[start, end)`` spans of at most ``limit`` characters.

    Each cut falls after the last paragraph break that fits, else after the last
    sentence end, else after the last space; only a longer run of non-space is cut
    anywhere. The spans cover the whole text.
    """
    spans, start = [], 0
    while len(text) - start > limit:
        end = _cut_before(text, start, start + limit)
        spans.append((start, end))
        start = end
    return [*spans, (start, len(text))]


def _cut_before(text: str, start: int, stop: int) -> int:
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, start, stop)]
        if ends:
            return ends[-1]
    return stop


def parse_pieces(source: SourceDoc, text: str, limit: int) -> list[Piece]:
    """The parts of ``source`` (whose parser text is ``text``) of at most ``limit`` characters.

    A document that fits is one piece holding ``source`` itself.
    """
    if len(text) <= limit:
        return [Piece(source, text)]
    spans = split_points(source.text, limit)
    offsets = source.offsets or tuple(range(len(source.text)))
    original = source.original or source.text
    return [Piece(replace(source, text=source.text[a:b], offsets=offsets[a:b], original=original),
                  text[a:b], a, n, n == len(spans) - 1) for n, (a, b) in enumerate(spans)]


@dataclass
class _Shift:
    """Moves what was read from one piece into the coordinates of the whole document."""

    chars: int
    sentences: int
    suffix: str  # keeps the claim keys of different pieces apart
    claims: dict[str, ClaimCandidate] = field(default_factory=dict)

    def mention(self, m: Mention) -> Mention:
        return replace(m, start_char=m.start_char + self.chars, end_char=m.end_char + self.chars)

    def evidence(self, ev: Evidence) -> Evidence:
        return replace(ev, sentence_index=ev.sentence_index + self.sentences)

    def claim(self, c: ClaimCandidate) -> ClaimCandidate:
        if c.key not in self.claims:
            speaker = None if c.speaker is None else self.mention(c.speaker)
            self.claims[c.key] = replace(c, key=c.key + self.suffix, speaker=speaker,
                                         evidence=self.evidence(c.evidence))
        return self.claims[c.key]

    def relation(self, rc: RelationCandidate) -> RelationCandidate:
        obj = self.claim(rc.obj) if isinstance(rc.obj, ClaimCandidate) else self.mention(rc.obj)
        return replace(rc, subject=self.mention(rc.subject), obj=obj,
                       evidence=self.evidence(rc.evidence))


def merge_pieces(source: SourceDoc,
                 parts: list[tuple[Piece, DocExtraction | None, int]]) -> DocExtraction | None:
    """One extraction for a document read in parts (piece, its extraction, its sentences).

    Mention offsets move back into the whole cleaned text, sentence numbers run on
    across parts, and claim keys stay distinct. None when no part was extracted.
    """
    if len(parts) == 1:
        return parts[0][1]
    mentions, relations, claims, sentences = [], [], [], 0
    for piece, extraction, count in parts:
        shift = _Shift(piece.start, sentences, f"@part{piece.number}" if piece.number else "")
        sentences += count
        if extraction is None:
            continue
        claims += [shift.claim(c) for c in extraction.claims]
        relations += [shift.relation(rc) for rc in extraction.relations]
        mentions += [shift.mention(m) for m in extraction.mentions]
    if not any(extraction for _, extraction, _ in parts):
        return None
    return DocExtraction(source, tuple(mentions), tuple(relations), tuple(claims))


# ----- extraction -----------------------------------------------------------------------
def extract_all(docs: list[SourceDoc], stats: BuildStats) -> list[DocExtraction]:
    """Parses the documents (long ones in parts) in batches and runs the extractors."""
    from kg.nlp import build_nlp, sentence_case_headline  # the model loads only when needed

    nlp = build_nlp()
    gaz, lex = load_gazetteer(), load_lexicon()
    verbs, limit = verb_words(lex), max(1, min(PARSE_CHUNK, nlp.max_length))
    pieces = ((d, piece) for d in docs
              for piece in parse_pieces(d, sentence_case_headline(d.text, verbs), limit))
    feed, keep = itertools.tee(pieces)
    parsed = nlp.pipe((piece.text for _, piece in feed), batch_size=max(1, PARSE_BATCH // limit))
    out, parts = [], []
    for (source, piece), doc in zip(keep, parsed, strict=True):
        whole = piece.number == 0 and piece.last
        sentences = 0 if whole else sum(1 for _ in doc.sents)
        parts.append((piece, _extract(doc, piece, gaz, lex, stats), sentences))
        if piece.last:
            merged = merge_pieces(source, parts)
            out += [] if merged is None else [merged]
            if not whole:
                stats.warnings.append(_split_warning(source, len(parts), limit))
            parts = []
    return out


def _extract(doc, piece: Piece, gaz, lex, stats: BuildStats) -> DocExtraction | None:
    """The extraction of one parsed piece, or None (with a warning) when an extractor fails."""
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
def build(sources: list[Path], out: Path, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
          lock_timeout: float = DEFAULT_TIMEOUT) -> BuildResult:
    """Builds the sources into ``out``: graph.ttl, provenance.trig, graph.html, validation.txt.

    The build holds the lock of ``out`` throughout (waiting up to ``lock_timeout``
    seconds for another build there), and every output is replaced atomically.

    Raises:
        BuildError: nothing readable, or ``out`` cannot be created or written.
        kg.lock.LockTimeout: another build kept ``out`` locked too long.
    """
    out = Path(out)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(build_lock(out, lock_timeout))
        except OSError as exc:
            raise BuildError(f"{out}: cannot create the output folder or its lock file "
                             f"({exc.strerror or exc})") from exc
        return _build_locked(sources, out, min_confidence)


def _build_locked(sources: list[Path], out: Path, min_confidence: float) -> BuildResult:
    from kg.export import write_outputs
    from kg.export.atomic import remove_stale_temps
    from kg.validate import validate

    stats = BuildStats()
    docs = read_sources(sources, stats, out)
    if not docs:
        names = ", ".join(str(p) for p in sources) or "(no sources)"
        raise BuildError(f"nothing to build: no readable .txt or .md document in {names}",
                         stats.warnings)
    extractions = extract_all(docs, stats)
    resolution = resolve(extractions, load_gazetteer(), min_confidence)
    graph = build_graph(resolution, docs)
    report = validate(graph)
    stats.documents = len(docs)
    stats.entities = len(resolution.entities)
    stats.claims = len(resolution.claims)
    stats.relations = sum(1 for a in resolution.assertions
                          if a.polarity == "positive" and a.modality != "hedged")
    stats.negated = sum(1 for a in resolution.assertions if a.polarity == "negative")
    stats.violations = sum(1 for r in report.results if r.severity == "Violation")
    remove_stale_temps(out, OUTPUT_NAMES)  # left by a build killed while writing
    try:
        stats.outputs = write_outputs(graph, provenance_dataset(resolution), report, out)
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the outputs ({exc.strerror or exc})") from exc
    return BuildResult(graph, report, stats)
