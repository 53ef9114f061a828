"""Cleaning scraped news text into a SourceDoc, and the spun-text data it uses.

Drops boilerplate and repeated headlines, strips markdown, undoes spun text
(``ontology/spinning.yaml``, loaded and checked here) and maps every cleaned
character to its original offset. Reading files is :mod:`kg.build.ingest`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from kg.datatypes import SourceDoc
from kg.errors import KgError
from kg.resources import ontology_file

_PHRASE_KEYS = {"pattern", "replace", "note", "case_sensitive"}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_BACKREF = re.compile(r"\\(\d+)|\\g<(\w+)>")
_EXTRA_SPACES = re.compile(r"(?<= ) +| +(?=\n)|(?<=\n) +")
_ECHO_SEPARATORS = "|-–—:•·»/"


class IngestError(KgError):
    """A document or data file that cannot be ingested; the message names it."""


@dataclass(frozen=True)
class Spinning:
    """The spun-text repair data of ``spinning.yaml``, compiled.

    Attributes:
        phrases: (compiled pattern, replacement template) in application order.
        synonyms: canonical lower-case word -> its spinner variants.
        boilerplate: patterns a whole line must match to be dropped.
    """

    phrases: tuple[tuple[re.Pattern[str], str], ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    boilerplate: tuple[re.Pattern[str], ...] = ()


def load_spinning(path: Path | str | None = None) -> Spinning:
    """Loads and validates ``spinning.yaml`` (cached per path and mtime).

    Raises:
        IngestError: naming the file and the bad entry.
    """
    target = Path(path) if path is not None else ontology_file("spinning.yaml")
    if not target.is_file():
        raise IngestError(f"{target}: spinning data file not found")
    return _load_spinning_cached(target.resolve(), target.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load_spinning_cached(path: Path, _mtime: int) -> Spinning:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(f"{path}: cannot parse spinning data: {exc}") from exc
    kinds = {"phrases": list, "synonyms": dict, "boilerplate": list}
    if not isinstance(data, dict) or set(data) - set(kinds):
        raise IngestError(f"{path}: top level must be a mapping with keys {sorted(kinds)}")
    for key, kind in kinds.items():
        data[key] = data.get(key) or kind()
        if not isinstance(data[key], kind):
            raise IngestError(f"{path}: '{key}' must be a {kind.__name__}")
    phrases = [_parse_phrase(e, f"{path}: phrases[{i}]") for i, e in enumerate(data["phrases"])]
    lines = data["boilerplate"]
    lines = [_compile(e, re.I, f"{path}: boilerplate[{i}]") for i, e in enumerate(lines)]
    return Spinning(tuple(phrases), _parse_synonyms(data["synonyms"], path), tuple(lines))


def _compile(pattern: object, flags: int, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise IngestError(f"{where}: pattern must be a non-empty string, not {pattern!r}")
    try:
        compiled = re.compile(pattern, flags)
    except re.error as exc:
        raise IngestError(f"{where}: bad regex {pattern!r}: {exc}") from exc
    if compiled.fullmatch(""):
        raise IngestError(f"{where}: pattern {pattern!r} matches the empty string")
    return compiled


def _parse_phrase(entry: object, where: str) -> tuple[re.Pattern[str], str]:
    if not isinstance(entry, dict) or set(entry) - _PHRASE_KEYS:
        raise IngestError(f"{where}: must be a mapping with keys {sorted(_PHRASE_KEYS)}")
    replace, note, sensitive = (entry.get(k) for k in ("replace", "note", "case_sensitive"))
    if not isinstance(replace, str):
        raise IngestError(f"{where}: 'replace' must be a string")
    if not isinstance(note, str) or not note.strip():
        raise IngestError(f"{where}: 'note' must say why the substitution is safe")
    if sensitive not in (None, True, False):
        raise IngestError(f"{where}: 'case_sensitive' must be true or false")
    compiled = _compile(entry.get("pattern"), 0 if sensitive else re.I, where)
    groups = {str(i) for i in range(1, compiled.groups + 1)} | set(compiled.groupindex)
    if not all((number or name) in groups for number, name in _BACKREF.findall(replace)):
        raise IngestError(f"{where}: replacement {replace!r} names a group the pattern lacks")
    return compiled, replace


def _parse_synonyms(data: dict, path: Path) -> dict[str, tuple[str, ...]]:
    synonyms: dict[str, tuple[str, ...]] = {}
    for key, variants in data.items():
        if not isinstance(key, str) or not isinstance(variants, list):
            raise IngestError(f"{path}: synonyms[{key!r}] must map a word to a list")
        if not all(isinstance(v, str) and v.strip() for v in variants):
            raise IngestError(f"{path}: synonyms[{key!r}] has an empty variant")
        synonyms[key.strip().lower()] = tuple(dict.fromkeys(v.strip().lower() for v in variants))
    return synonyms


class _Tracked:
    """Text plus, per character, its source offset and whether it was invented."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.offsets = list(range(len(text)))
        self.synthetic = [False] * len(text)

    def add(self, text: str, offsets: list[int], synthetic: bool = False) -> None:
        self.text += text
        self.offsets.extend(offsets)
        self.synthetic.extend([synthetic] * len(text))

    def copy(self, source: _Tracked, start: int, end: int) -> None:
        self.text += source.text[start:end]
        self.offsets.extend(source.offsets[start:end])
        self.synthetic.extend(source.synthetic[start:end])

    def invent(self, source: _Tracked, new: str, start: int, end: int) -> None:
        """Adds new characters spread proportionally over ``source[start:end]``."""
        width, anchor = end - start, min(start, len(source.offsets) - 1)
        spots = [start + k * width // len(new) if width > 0 else anchor for k in range(len(new))]
        self.add(new, [source.offsets[s] for s in spots], True)


_PieceRule = Callable[[re.Match[str]], "list[tuple] | None"]


def _rewrite(tracked: _Tracked, pattern: re.Pattern[str], rule: _PieceRule) -> tuple[_Tracked, int]:
    """Rewrites each match into the pieces ``rule`` returns (None: leave the match alone).

    A piece is a kept span ``(start, end)`` of ``tracked`` or ``(new_text, start, end)``.
    """
    out, position, count = None, 0, 0
    for match in pattern.finditer(tracked.text):
        pieces = rule(match)
        if pieces is None:
            continue
        out = out or _Tracked()
        out.copy(tracked, position, match.start())
        for piece in pieces:
            if isinstance(piece[0], str):
                out.invent(tracked, *piece)
            else:
                out.copy(tracked, *piece)
        position, count = match.end(), count + 1
    if out is None:  # nothing rewritten: the text and its offsets stay as they are
        return tracked, 0
    out.copy(tracked, position, len(tracked.text))
    return out, count


def _keep_groups(*groups: int) -> _PieceRule:
    return lambda m: [m.span(g) for g in groups if m.group(g) is not None]


def _match_case(source: str, replacement: str) -> str:
    """Gives ``replacement`` the capitalization style of ``source``."""
    if source.isupper():
        return replacement.upper()
    words = source.split()
    if len(words) > 1 and all(w[0].isupper() for w in words if w[0].isalpha()):
        return " ".join(w[:1].upper() + w[1:] for w in replacement.split(" "))
    if source[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _phrase_rule(template: str) -> _PieceRule:
    """Pieces for a phrase substitution: a shared prefix and suffix stay exact."""

    def rule(match: re.Match[str]) -> list[tuple] | None:
        old, new = match.group(0), _match_case(match.group(0), match.expand(template))
        if old == new:
            return None
        limit = min(len(old), len(new))
        prefix = next((i for i in range(limit) if old[i] != new[i]), limit)
        limit -= prefix
        suffix = next((i for i in range(limit) if old[-1 - i] != new[-1 - i]), limit)
        start, end = match.start() + prefix, match.end() - suffix
        middle = new[prefix : len(new) - suffix]
        return [(match.start(), start), (middle, start, end), (end, match.end())]

    return rule


_MARKDOWN: tuple[tuple[re.Pattern[str], _PieceRule], ...] = tuple(
    (re.compile(pattern, flags), _keep_groups(*groups))
    for pattern, flags, groups in (
        (r"\A---[ \t]*\n.*?^(?:---|\.\.\.)[ \t]*$", re.M | re.S, ()),  # YAML front matter
        (r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.M | re.S, ()),  # fenced code
        (r"<!--.*?-->", re.S, ()),
        (r"!\[[^\]\n]*\]\([^)\n]*\)", 0, ()),  # image
        (r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])", 0, (1,)),  # link -> its text
        (r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.M, ()),  # link definition
        (r"</?[A-Za-z][^>\n]*>", 0, ()),  # html tag, autolink
        (r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.M, ()),  # heading marks
        (r"^[ \t]*(?:=+|([*_-])(?:[ \t]*\1){2,})[ \t]*$", re.M, ()),  # rules, underlines
        (r"^[ \t]*(?:>[ \t]?)+", re.M, ()),  # quote marks
        (r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+", re.M, ()),  # list marks
        (r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1", 0, (2,)),  # strong
        (r"(?<![\w*\\])\*(?=\S)(.+?)(?<=[^\s\\])\*(?![\w*])", 0, (1,)),  # emphasis
        (r"(?<![\w\\])_(?=\S)(.+?)(?<=[^\s\\])_(?!\w)", 0, (1,)),
        (r"~~(?=\S)(.+?)(?<=\S)~~", 0, (1,)),
        (r"`([^`\n]+)`", 0, (1,)),  # inline code
        (r"\\([\\`*_{}\[\]()#+\-.!>])", 0, (1,)),  # escapes
    )
)


def strip_markdown(text: str) -> tuple[str, list[int]]:
    """Removes markdown syntax (keeping line breaks); returns the text and per-char offsets."""
    tracked = _Tracked(text)
    for pattern, rule in _MARKDOWN:
        tracked, _ = _rewrite(tracked, pattern, rule)
    return tracked.text, tracked.offsets


class _Line(NamedTuple):
    text: str
    offsets: list[int]
    number: int  # line number in the source
    end: int  # offset of the line terminator in the source


def _source_lines(source: str) -> Iterable[_Line]:
    """Yields every non-blank line, whitespace collapsed, with source offsets."""
    position = 0
    for number, raw in enumerate(source.splitlines(keepends=True)):
        body = raw.splitlines()[0]
        out = _Tracked()
        for word in re.finditer(r"\S+", body):
            start, text = position + word.start(), word.group()
            if _INVISIBLE.isdisjoint(text):  # the usual case: every character is kept
                kept_text, kept_offsets = text, list(range(start, start + len(text)))
            else:
                kept = [(i, c) for i, c in enumerate(text, start) if c not in _INVISIBLE]
                kept_text, kept_offsets = "".join(c for _, c in kept), [i for i, _ in kept]
            if kept_text and out.text:
                out.add(" ", [start - 1])
            out.add(kept_text, kept_offsets)
        if out.text:
            yield _Line(out.text, out.offsets, number, position + len(body))
        position += len(raw)


def _is_title_echo(line: str, title: str) -> bool:
    """True for a line that is the title plus junk ("TitleTags:", "Title | Site")."""
    rest = line[len(title) :] if len(title) >= 12 and line.startswith(title) else ""
    words, lead = len(rest.split()), rest.lstrip()[:1]
    if not rest or not rest[0].isspace():
        return bool(rest) and (lead.isupper() or lead in _ECHO_SEPARATORS) and words <= 4
    return (rest.rstrip().endswith(":") and words <= 4) or (lead in _ECHO_SEPARATORS and words <= 8)


def _kept_lines(source: str, spinning: Spinning) -> list[_Line]:
    """Drops boilerplate, repeated lines and title echoes; the title comes first."""
    kept: list[_Line] = []
    seen: set[str] = set()
    for line in _source_lines(source):
        key = line.text.casefold()
        boilerplate = any(p.fullmatch(line.text) for p in spinning.boilerplate)
        if key in seen or boilerplate or (kept and _is_title_echo(line.text, kept[0].text)):
            continue
        seen.add(key)
        kept.append(line)
    return kept


def _assemble(lines: list[_Line]) -> tuple[_Tracked, bool]:
    """Joins lines into paragraphs; returns the text and whether the title got a stop.

    A hard-wrapped line (lower case, right below an unterminated line) joins with a space.
    """
    out, added_stop = _Tracked(), False
    for index, line in enumerate(lines):
        if index:
            previous = lines[index - 1]
            wrapped = index > 1 and line.number == previous.number + 1 and line.text[:1].islower()
            separator = " " if wrapped and not _SENTENCE_END.search(previous.text) else "\n\n"
            out.add(separator, [previous.end] * len(separator))
        out.add(line.text, line.offsets)
        if index == 0 and not _SENTENCE_END.search(line.text):
            out.add(".", [line.offsets[-1]], synthetic=True)
            added_stop = True
    return out, added_stop


def clean_source(
    source: str, original: str, base: list[int] | None, doc: str, spin: Spinning, path: str
) -> SourceDoc:
    """Cleans ``source`` into a SourceDoc (see :func:`clean_text` for what cleaning does).

    Args:
        source: the text to clean (a file's text, or what is left of it without markdown).
        original: the file's text as read, kept in the SourceDoc.
        base: for every character of ``source``, its offset in ``original`` (None: the
            same text).
        doc: the document id.
        spin: the spun-text repair data.
        path: where the text was read from ("" for in-memory text).
    """
    tracked, added_stop = _assemble(_kept_lines(source, spin))
    substitutions = 0
    for pattern, template in spin.phrases:
        tracked, count = _rewrite(tracked, pattern, _phrase_rule(template))
        substitutions += count
    tracked, _ = _rewrite(tracked, _EXTRA_SPACES, _keep_groups())
    title = tracked.text.split("\n\n", 1)[0]
    if added_stop and title.endswith(".") and tracked.synthetic[len(title) - 1]:
        title = title[:-1]
    offsets = [base[i] for i in tracked.offsets] if base is not None else tracked.offsets
    flags = tracked.synthetic
    meta = {
        "sha256": hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest(),
        "substitutions": substitutions,
        "synthetic_spans": [m.span() for m in re.finditer("1+", "".join("01"[f] for f in flags))],
        "warnings": [],
    }
    return SourceDoc(doc, tracked.text, original, tuple(offsets), path, title, meta)


def clean_text(raw: str, doc_id: str, spinning: Spinning | None = None) -> SourceDoc:
    """Cleans in-memory text (no markdown handling) into a SourceDoc.

    The first non-boilerplate line is the title (given a "." if unterminated); boilerplate
    and repeated lines go; lines become blank-line paragraphs; spun phrases are repaired.
    ``meta``: ``sha256`` (of the UTF-8 original), ``substitutions``, ``warnings`` and
    ``synthetic_spans`` (cleaned spans not copied from the original: substitutions, title stop).
    """
    return clean_source(raw, raw, None, doc_id, spinning or load_spinning(), "")
