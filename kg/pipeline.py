"""The build, stage by stage: ingest, parse, extract, resolve, assemble,
validate, export. Wiring only: every stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from kg.datatypes import BuildResult, BuildStats, SourceDoc
from kg.extract import DocExtraction, extract_document
from kg.gazetteer import load_gazetteer
from kg.graph import build_graph, provenance_dataset
from kg.ingest import IngestError, collect_sources, read_document
from kg.lexicon import load_lexicon, verb_words
from kg.resolve import resolve


# Relations below this combined confidence are left out of a build unless the
# caller asks otherwise: an even chance is the least a researcher should get.
DEFAULT_MIN_CONFIDENCE = 0.5


class BuildError(Exception):
    """Nothing could be built; the message says why."""


def read_sources(paths: Iterable[Path], stats: BuildStats) -> list[SourceDoc]:
    """Reads every source file, skipping bad ones and duplicates with a warning."""
    files, warnings = collect_sources(paths)
    stats.warnings.extend(warnings)
    docs, seen = [], {}
    for path in files:
        try:
            doc = read_document(path)
        except IngestError as exc:
            stats.warnings.append(str(exc))
            continue
        stats.warnings.extend(f"{path}: {w}" for w in doc.meta.get("warnings", ()))
        digest = doc.meta.get("sha256")
        if digest in seen:
            stats.warnings.append(f"{path}: same content as {seen[digest]}; read once")
            continue
        seen[digest] = path
        if doc.doc_id in {d.doc_id for d in docs}:
            # two different files with one name: the path tells them apart
            doc = replace(doc, doc_id=path.as_posix())
        docs.append(doc)
    return docs


def extract_all(docs: list[SourceDoc], stats: BuildStats) -> list[DocExtraction]:
    """Parses the documents in batches and runs the extractors over each."""
    from kg.nlp import build_nlp, sentence_case_headline  # the model loads only when needed

    nlp = build_nlp()
    gaz, lex = load_gazetteer(), load_lexicon()
    verbs = verb_words(lex)
    texts = (sentence_case_headline(d.text, verbs) for d in docs)
    out = []
    for source, doc in zip(docs, nlp.pipe(texts, batch_size=16), strict=True):
        try:
            out.append(extract_document(doc, source, gaz, lex))
        except Exception as exc:  # noqa: BLE001 - one bad document must not sink the build
            stats.warnings.append(f"{source.path or source.doc_id}: extraction failed ({exc!r})")
    return out


def build(sources: list[Path], out: Path,
          min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> BuildResult:
    """Builds the sources into ``out``: graph.ttl, provenance.trig, graph.html, validation.txt."""
    from kg.export import write_outputs
    from kg.validate import validate

    stats = BuildStats()
    docs = read_sources(sources, stats)
    if not docs:
        names = ", ".join(str(p) for p in sources) or "(no sources)"
        raise BuildError(f"nothing to build: no readable .txt or .md document in {names}")
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
    try:
        stats.outputs = write_outputs(graph, provenance_dataset(resolution), report, Path(out))
    except OSError as exc:
        raise BuildError(f"{out}: cannot write the outputs ({exc.strerror or exc})") from exc
    return BuildResult(graph, report, stats)
