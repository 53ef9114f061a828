"""Deterministic, safe IRI minting, and the content digests that names and caches use."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

MAX_SLUG = 60
_SURROGATE = re.compile("[\ud800-\udfff]")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; empty when nothing survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def safe_name(name: str) -> str:
    """``name`` with lone surrogates (undecodable bytes of a file name) replaced by U+FFFD.

    Such a name could not be written as UTF-8, so it could not become a literal.
    """
    return _SURROGATE.sub("\ufffd", name)


def short_hash(*parts: str, length: int = 12) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


class IriMinter:
    """Mints one stable local name per key, suffixing a hash on slug collisions."""

    def __init__(self, base: str, reserved: set[str] | None = None):
        self.base = base
        self._by_key: dict[str, str] = {}
        self._taken: set[str] = set(reserved or ())

    def mint(self, key: str, name: str, prefix: str = "") -> str:
        if key in self._by_key:
            return self._by_key[key]
        slug = prefix + (slugify(name) or "x")
        iri, attempt = self.base + slug, 0
        while iri in self._taken:
            salt = (key,) if attempt == 0 else (key, str(attempt))
            iri = f"{self.base}{slug}-{short_hash(*salt, length=8)}"
            attempt += 1
        self._taken.add(iri)
        self._by_key[key] = iri
        return iri


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits (read in blocks of 1 MiB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
