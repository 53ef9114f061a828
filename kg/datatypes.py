"""The small frozen values that flow between the pipeline stages.

spaCy objects stop at the extractors; everything after them is character
offsets and plain values, so later stages are testable without a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The settings of a build when nobody says otherwise; the command line shows them
# as its defaults. Relations below DEFAULT_MIN_CONFIDENCE are left out: an even
# chance is the least a researcher should get.
DEFAULT_SOURCES = (Path("seeds"),)
DEFAULT_OUT = Path("build")
DEFAULT_MIN_CONFIDENCE = 0.5
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds to wait while another build writes to the same folder
DEFAULT_JOBS = 0  # parser processes; 0: as many as help (see kg.build.pipeline)


@dataclass(frozen=True)
class SourceDoc:
    """One ingested document.

    Attributes:
        doc_id: stable identifier (the file name without directory).
        text: the cleaned text handed to the parser (boilerplate dropped,
            spun-text artefacts undone).
        original: the file's text as read.
        offsets: for every character of ``text``, the offset of the character
            of ``original`` it came from (so evidence points into the file).
        path: where the document was read from ("" for in-memory text).
        title: the document's headline (first non-empty line), if any.
        meta: free metadata (sha256, warnings, sidecar fields).
    """

    doc_id: str
    text: str
    original: str = ""
    offsets: tuple[int, ...] = ()
    path: str = ""
    title: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Maps a ``[start, end)`` span of ``text`` to a span of ``original``."""
        if not self.offsets:
            return start, end
        last = len(self.offsets) - 1
        o_start = self.offsets[min(start, last)] if last >= 0 else 0
        o_end = self.offsets[min(max(end - 1, 0), last)] + 1 if last >= 0 else 0
        return o_start, max(o_end, o_start)


@dataclass(frozen=True)
class Evidence:
    """Where a candidate came from: document, sentence, offsets, rule, confidence.

    Offsets are character offsets into the document's original text.
    """

    doc_id: str
    start_char: int
    end_char: int
    sentence: str
    rule_id: str
    confidence: float
    sentence_index: int = 0


@dataclass(frozen=True)
class Mention:
    """A typed mention of an entity in one document.

    Attributes:
        key: the document-local resolution key (gazetteer IRI when the
            gazetteer knows the entity, otherwise a normalized name).
        text: the surface form as written (after spun-text repair).
        label: the canonical name proposed for the entity.
        type: local name of the ontology class ("Country", "Company", ...).
        gazetteer_iri: IRI of the gazetteer entry, if matched.
        start_char, end_char: offsets into the cleaned text.
    """

    key: str
    text: str
    label: str
    type: str
    start_char: int
    end_char: int
    gazetteer_iri: str | None = None


@dataclass(frozen=True)
class ClaimCandidate:
    """A statement someone made, found in one document."""

    key: str
    speaker: Mention | None
    text: str
    evidence: Evidence


@dataclass(frozen=True)
class RelationCandidate:
    """subject -predicate-> object as read from one sentence.

    ``obj`` is a Mention, or a ClaimCandidate for ``states``/``denies``.
    ``polarity`` is "positive" or "negative"; ``modality`` is "asserted",
    "planned" or "hedged".
    """

    subject: Mention
    predicate: str
    obj: Mention | ClaimCandidate
    evidence: Evidence
    polarity: str = "positive"
    modality: str = "asserted"


@dataclass(frozen=True)
class Entity:
    """One real-world entity: one graph node across all documents."""

    iri: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    sameas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A statement with its speaker and the sentence it came from."""

    iri: str
    speaker: str | None
    text: str
    evidence: Evidence


@dataclass(frozen=True)
class Assertion:
    """A resolved relation between two graph nodes with all its evidence."""

    subject: str
    predicate: str
    object: str
    polarity: str
    modality: str
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL violation, in plain values."""

    focus_node: str
    path: str
    message: str
    severity: str = "Violation"
    value: str = ""


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[ValidationResult, ...] = ()
    text: str = ""


@dataclass
class BuildStats:
    """The counts of a build.

    ``new``, ``changed`` and ``removed`` compare the documents with the last
    build of the same output folder (changed: same path, other content);
    ``reused`` documents came from the cache, ``parsed`` ones went through the
    parser. ``up_to_date``: nothing had changed, nothing was done. ``timings``:
    seconds per stage (read, parse, resolve, graph, validate, export, total).
    """

    documents: int = 0
    entities: int = 0
    relations: int = 0
    claims: int = 0
    negated: int = 0
    violations: int = 0
    warnings: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    new: int = 0
    changed: int = 0
    removed: int = 0
    reused: int = 0
    parsed: int = 0
    up_to_date: bool = False
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildResult:
    graph: object  # rdflib.Graph; kept untyped so importing datatypes stays cheap
    report: ValidationReport
    stats: BuildStats


@dataclass(frozen=True)
class DocExtraction:
    """Everything the extractors read from one document."""

    source: SourceDoc
    mentions: tuple[Mention, ...]
    relations: tuple[RelationCandidate, ...]
    claims: tuple[ClaimCandidate, ...]


@dataclass(frozen=True)
class Resolution:
    """The candidates of every document resolved to one node per entity."""

    entities: tuple[Entity, ...]
    assertions: tuple[Assertion, ...]
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class BuildOptions:
    """What a build reads, where it writes, and how it runs: every setting of one build.

    Only ``sources``, ``out`` and ``min_confidence`` change what a build writes; the
    rest changes how long it takes or how long it waits.

    Attributes:
        sources: the files and folders to read (a path, or any iterable of them; kept as
            a tuple).
        out: the folder the outputs, the manifest and (by default) the cache go to.
        min_confidence: relations whose combined confidence is below this are left out.
        lock_timeout: seconds to wait while another build writes to ``out`` (0: do not wait).
        jobs: parser processes (0: as many as help, see kg.build.pipeline.parser_processes).
        use_cache: reuse cached extractions and skip an up-to-date build (False: do
            everything anew and leave the cache alone).
        cache_dir: the extraction cache (None: ``OUT/.kg-cache``).
    """

    sources: tuple[Path, ...] = DEFAULT_SOURCES
    out: Path = DEFAULT_OUT
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    jobs: int = DEFAULT_JOBS
    use_cache: bool = True
    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        # Callers hand in lists and strings; the options keep one type per field so
        # that two equal settings compare equal (frozen, hence object.__setattr__).
        sources = [self.sources] if isinstance(self.sources, str | Path) else self.sources
        object.__setattr__(self, "sources", tuple(Path(s) for s in sources))
        object.__setattr__(self, "out", Path(self.out))
        if self.cache_dir is not None:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))
