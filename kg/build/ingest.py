"""Reading scraped news files into cleaned SourceDocs.

This module finds the source files, reads and decodes them and turns away what
is not text; the cleaning itself (boilerplate, markdown, spun text, offset map)
is :mod:`kg.build.cleaning`, whose public names are importable from here too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from pathlib import Path

from kg.build.cleaning import (
    IngestError,
    Spinning,
    clean_source,
    clean_text,
    load_spinning,
    strip_markdown,
)
from kg.datatypes import SourceDoc
from kg.ids import safe_name

__all__ = ["SUPPORTED_SUFFIXES", "IngestError", "Spinning", "clean_text", "collect_sources",
           "load_spinning", "read_document", "strip_markdown"]

SUPPORTED_SUFFIXES = (".txt", ".md")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1, but not \t \n \v \f \r


def _decode(data: bytes) -> tuple[str, str | None]:
    """Decodes UTF-8 (BOM stripped), else cp1252, else latin-1 (with a warning)."""
    for encoding, warning in (("utf-8-sig", None), ("cp1252", "not UTF-8; decoded as cp1252")):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding), warning
    return data.decode("latin-1"), "not UTF-8 or cp1252; decoded as latin-1"


def read_document(path: Path | str, spinning: Spinning | None = None) -> SourceDoc:
    """Reads one .txt or .md file into a cleaned SourceDoc (doc_id = file name).

    Raises:
        IngestError: ``"<path>: <reason>"``: a directory, missing, unsupported, binary, empty.
    """
    path = Path(path)
    if not path.is_file():
        kind = "is a directory, not a file" if path.is_dir() else "not a file (missing or special)"
        raise IngestError(f"{path}: {kind}")
    if not _supported(path):
        raise IngestError(f"{path}: unsupported extension {path.suffix!r} (expected .txt or .md)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror}") from exc
    text, warning = _decode(data)
    if "\x00" in text or len(_CONTROL.findall(text)) > 0.05 * len(text):
        raise IngestError(f"{path}: binary content (NUL or control bytes), not text")
    source, base = strip_markdown(text) if path.suffix.lower() == ".md" else (text, None)
    doc = clean_source(source, text, base, safe_name(path.name), spinning or load_spinning(),
                       str(path))
    if not doc.text.strip():
        why = "no text left after cleaning" if text.strip() else "only whitespace"
        raise IngestError(f"{path}: empty ({why if data else '0 bytes'})")
    doc.meta["warnings"].extend([f"{path}: {warning}"] if warning else [])
    return doc


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def collect_sources(paths: Iterable[Path | str]) -> tuple[list[Path], list[str]]:
    """Expands files and directories (recursive, sorted, hidden names skipped).

    Returns:
        The .txt/.md files, each once, and warnings for missing paths and for
        explicitly given files of an unsupported type.
    """
    files: list[Path] = []
    warnings: list[str] = []
    for item in map(Path, paths):
        if item.is_dir():
            found = sorted((p.relative_to(item).parts, p) for p in item.rglob("*") if p.is_file())
            files += [p for parts, p in found if _supported(p) and "." not in (x[0] for x in parts)]
        elif item.is_file() and _supported(item):
            files.append(item)
        else:
            why = f"unsupported extension {item.suffix!r}" if item.is_file() else (
                "not a regular file" if item.exists() else "no such file or directory")
            warnings.append(f"{item}: {why}, skipped")
    return list(dict.fromkeys(files)), warnings
