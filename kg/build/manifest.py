"""The build manifest: what the last successful build read and wrote.

``OUT/.kg-manifest.json`` records the inputs of the last build that finished
(every source file's sha256, the warnings of listing the sources, the build
fingerprint of :mod:`kg.build.cache`, the minimum confidence), a digest of every
output it wrote and its counts. When the next build finds the same inputs and
intact outputs it has nothing to do: it reports the recorded counts as "up to
date" without parsing, resolving, validating or writing anything.

It is written last, after the outputs, so a build killed half way leaves a
manifest whose output digests no longer match, and the next build runs in full.
This module imports neither spaCy nor rdflib.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.datatypes import BuildOptions, BuildStats, ValidationReport, ValidationResult
from kg.ids import file_sha256

MANIFEST_NAME = ".kg-manifest.json"
FORMAT = 1
_COUNTS = ("documents", "entities", "relations", "claims", "negated", "violations")
# Files of a store folder that its database rewrites while merely being read.
_VOLATILE = ("LOG", "LOCK")


@dataclass
class Inputs:
    """What a build reads.

    Attributes:
        files: every source file as named in the build (path as given) -> sha256 of its bytes.
        listing: the warnings of listing the sources (entries that are not read).
        fingerprint: the build fingerprint (code, ontology, model, packages).
        min_confidence: the build's minimum confidence.
    """

    files: dict[str, str]
    listing: list[str] = field(default_factory=list)
    fingerprint: str = ""
    min_confidence: float = 0.0

    def signature(self) -> str:
        """One hash of everything above."""
        data = [sorted(self.files.items()), self.listing, self.fingerprint,
                repr(float(self.min_confidence)), __version__]
        return hashlib.sha256(json.dumps(data, ensure_ascii=True).encode()).hexdigest()


def scan(files: Iterable[Path], listing: Iterable[str], fingerprint: str,
         options: BuildOptions) -> Inputs:
    """What a build reads: every source file hashed (an unreadable one gets a marker
    naming the error), with the settings that change what the build writes.

    Args:
        files: the source files the build reads.
        listing: the warnings of listing the sources.
        fingerprint: the build fingerprint (see kg.build.cache.build_fingerprint).
        options: the build's settings; of them only ``min_confidence`` changes the
            outputs (the others change how the build runs, not what it writes).
    """
    hashes = {}
    for path in files:
        try:
            hashes[str(path)] = file_sha256(Path(path))
        except OSError as exc:
            hashes[str(path)] = f"unreadable {exc.errno}"
    return Inputs(hashes, list(listing), fingerprint, options.min_confidence)


# ----- outputs --------------------------------------------------------------------------
def digest(path: Path) -> str:
    """sha256 of a file, or of a folder's files (names and bytes); "" when missing."""
    path = Path(path)
    if path.is_file():
        return file_sha256(path)
    if not path.is_dir():
        return ""
    h = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        if not item.name.startswith(_VOLATILE):
            h.update(item.relative_to(path).as_posix().encode("utf-8", "surrogatepass") + b"\0")
            h.update(file_sha256(item).encode())
    return "dir:" + h.hexdigest()


def _relative(path: str, out: Path) -> str:
    with contextlib.suppress(ValueError):
        return Path(path).resolve().relative_to(out.resolve()).as_posix()
    return str(Path(path).resolve())


def _outputs_intact(recorded: Mapping[str, Mapping[str, str]], out: Path) -> dict[str, str] | None:
    """The output paths (as under ``out`` now) when every recorded output is unchanged."""
    paths = {}
    for name, item in recorded.items():
        path = out / item["path"]
        if digest(path) != item["sha256"] or not item["sha256"]:
            return None
        paths[name] = str(path)
    return paths if paths else None


# ----- reading and writing --------------------------------------------------------------
def load(out: Path) -> dict | None:
    """The manifest of ``out``, or None when there is none or it is unreadable."""
    try:
        data = json.loads((Path(out) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def up_to_date(out: Path, inputs: Inputs) -> tuple[BuildStats, ValidationReport] | None:
    """The recorded counts and report when the last build of ``out`` had the same inputs
    and its outputs are intact; None when a build is needed."""
    out = Path(out)
    data = load(out)
    if data is None or data.get("signature") != inputs.signature():
        return None
    try:
        outputs = _outputs_intact(data["outputs"], out)
        if outputs is None:
            return None
        stats = BuildStats(**{k: int(data["stats"][k]) for k in _COUNTS},
                           warnings=[str(w) for w in data["stats"]["warnings"]], outputs=outputs)
        report = ValidationReport(bool(data["report"]["conforms"]),
                                  tuple(ValidationResult(**r) for r in data["report"]["results"]))
    except (KeyError, TypeError, ValueError, OSError):
        return None
    stats.reused, stats.up_to_date = stats.documents, True
    return stats, report


def save(out: Path, inputs: Inputs, documents: Mapping[str, str], stats: BuildStats,
         report: ValidationReport) -> None:
    """Records a finished build in ``out`` (atomically; written after the outputs).

    Args:
        out: the output folder.
        inputs: what the build read.
        documents: the documents it built, path -> sha256 of the file.
        stats: its counts, warnings and outputs.
        report: its validation report.
    """
    from kg.atomic import atomic_write_text

    out = Path(out)
    data = {
        "format": FORMAT, "kg": __version__, "signature": inputs.signature(),
        "fingerprint": inputs.fingerprint, "min_confidence": inputs.min_confidence,
        "documents": dict(sorted(documents.items())),
        "outputs": {name: {"path": _relative(path, out), "sha256": digest(Path(path))}
                    for name, path in stats.outputs.items()},
        "stats": {**{k: getattr(stats, k) for k in _COUNTS}, "warnings": list(stats.warnings)},
        "report": {"conforms": report.conforms,
                   "results": [vars(r) for r in report.results]},
    }
    text = json.dumps(data, indent=1, ensure_ascii=True)
    with contextlib.suppress(OSError):  # without it the next build just runs in full
        atomic_write_text(out / MANIFEST_NAME, text + "\n")


def count_changes(stats: BuildStats, previous: dict | None, documents: Mapping[str, str]) -> None:
    """Sets ``stats.new``, ``changed`` and ``removed`` against the last build's documents.

    New: a path the last build did not read; changed: the same path, other bytes;
    removed: a path the last build read and this one does not (a renamed file
    counts as removed under its old name; its content is reused from the cache).
    """
    before = (previous or {}).get("documents") or {}
    stats.new = sum(1 for p in documents if p not in before)
    stats.changed = sum(1 for p, h in documents.items() if p in before and before[p] != h)
    stats.removed = sum(1 for p in before if p not in documents)
