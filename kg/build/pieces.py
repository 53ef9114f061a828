"""Reading a long document in parts: where to cut it, and how to join what was read.

The parser reads at most a set number of characters at once (see
``kg.build.pipeline.PARSE_CHUNK``); a longer document is cut into parts at paragraph
breaks, else sentence ends, else spaces, each part is parsed and extracted on
its own, and the parts' extractions are joined into one for the document with
offsets, sentence numbers and claim keys as if it had been read whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg.datatypes import ClaimCandidate, Evidence, Mention, RelationCandidate, SourceDoc

if TYPE_CHECKING:
    from kg.datatypes import DocExtraction

# Where a long text may be cut, best first: paragraph breaks, sentence ends, spaces.
_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"[.!?…][\"'”’)\]]*\s+"), re.compile(r"\s+"))


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
    from kg.datatypes import DocExtraction

    return DocExtraction(source, tuple(mentions), tuple(relations), tuple(claims))
