"""Tests for kg.build.pieces: where a long document is cut, and how its parts are joined."""

from __future__ import annotations

import random

import pytest

from kg.build.ingest import clean_text
from kg.build.pieces import Piece, merge_pieces, parse_pieces, split_points
from kg.datatypes import (
    ClaimCandidate,
    DocExtraction,
    Evidence,
    Mention,
    RelationCandidate,
    SourceDoc,
)


# ----- split_points ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("exactly eleven", 14, ["exactly eleven"]),
        ("First para.\n\nSecond para.\n\nThird para.", 20,
         ["First para.\n\n", "Second para.\n\n", "Third para."]),
        ("One. Two. Three. Four.", 11, ["One. Two. ", "Three. ", "Four."]),
        ("alpha beta gamma", 8, ["alpha ", "beta ", "gamma"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ],
)
def test_pieces_split_points_prefer_paragraphs_then_sentences_then_spaces(text, limit, expected):
    assert [text[a:b] for a, b in split_points(text, limit)] == expected


def test_pieces_split_points_take_a_paragraph_break_over_a_later_sentence_end():
    text = "Aaa.\n\nBbb. Ccc. Ddd eee"
    assert split_points(text, 15)[0] == (0, 6)  # "Bbb. " would fit too, but ends no paragraph


def test_pieces_split_points_keep_closing_quotes_with_their_sentence():
    text = 'He said "no." Then he left the room'
    (first, _), *_ = [(text[a:b], (a, b)) for a, b in split_points(text, 20)]
    assert first == 'He said "no." '


def test_pieces_split_points_of_empty_text_is_one_empty_span():
    assert split_points("", 10) == [(0, 0)]


def test_pieces_split_points_cover_any_text_in_consecutive_spans():
    rng = random.Random(7)
    alphabet = "ab .\n!?\"'"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
        limit = rng.randrange(1, 50)
        spans = split_points(text, limit)
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
        assert all(0 < end - start <= limit for start, end in spans if text)


# ----- parse_pieces ---------------------------------------------------------------------
def test_pieces_parse_pieces_keep_a_document_that_fits_whole():
    source = SourceDoc("doc.txt", "Short text.")
    (piece,) = parse_pieces(source, "short text.", 100)
    assert piece == Piece(source, "short text.") and piece.source is source
    assert piece.number == 0 and piece.last


def test_pieces_parse_pieces_cut_the_parser_text_and_the_source_alike():
    source = clean_text("Headline here\n\n" + "Word  spaced   out. " * 40, "doc.txt")
    parser_text = source.text.upper()  # stands for the headline-cased text: same length
    pieces = parse_pieces(source, parser_text, 100)
    assert len(pieces) > 2
    assert [p.number for p in pieces] == list(range(len(pieces)))
    assert [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]
    assert "".join(p.source.text for p in pieces) == source.text
    for piece in pieces:
        end = piece.start + len(piece.text)
        assert piece.text == parser_text[piece.start:end]
        assert piece.source.text == source.text[piece.start:end]
        assert piece.source.offsets == source.offsets[piece.start:end]
        assert piece.source.doc_id == "doc.txt" and piece.source.original == source.original
        span = piece.source.original_span(0, len(piece.source.text))
        assert span == source.original_span(piece.start, end)


def test_pieces_parse_pieces_give_a_document_without_offsets_its_own():
    source = SourceDoc("mem", "one two three four five six")
    pieces = parse_pieces(source, source.text, 10)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.source.offsets == tuple(range(piece.start, piece.start + len(piece.text)))
        assert piece.source.original == source.text


# ----- merge_pieces ---------------------------------------------------------------------
def _mention(text: str, start: int) -> Mention:
    return Mention(text.lower(), text, text, "Country", start, start + len(text))


def _evidence(sentence: int, start: int = 0) -> Evidence:
    return Evidence("doc.txt", start, start + 5, "A sentence.", "rule", 0.8, sentence)


def _part(start: int, sentence: int) -> DocExtraction:
    """What a part's extraction looks like: offsets and sentences counted within the part."""
    speaker = _mention("Japan", start)
    claim = ClaimCandidate("doc.txt#claim1", speaker, "the rules are unfair", _evidence(sentence))
    bans = RelationCandidate(speaker, "bans", _mention("ZTE", start + 10), _evidence(sentence))
    states = RelationCandidate(speaker, "states", claim, _evidence(sentence))
    return DocExtraction(SourceDoc("doc.txt", "part"), (speaker,), (bans, states), (claim,))


WHOLE = SourceDoc("doc.txt", "the whole cleaned text")


def test_pieces_merge_pieces_return_a_single_part_unchanged():
    extraction = _part(3, 0)
    assert merge_pieces(WHOLE, [(Piece(WHOLE, "x"), extraction, 0)]) is extraction


def test_pieces_merge_pieces_move_offsets_and_sentences_into_the_whole_document():
    first, second = Piece(WHOLE, "a", 0, 0, False), Piece(WHOLE, "b", 50, 1, True)
    merged = merge_pieces(WHOLE, [(first, _part(2, 1), 4), (second, _part(5, 2), 3)])
    assert merged.source is WHOLE
    assert [(m.start_char, m.end_char) for m in merged.mentions] == [(2, 7), (55, 60)]
    objects = [(r.obj.start_char, r.obj.end_char) for r in merged.relations
               if r.predicate == "bans"]
    assert objects == [(12, 15), (65, 68)]
    assert [c.evidence.sentence_index for c in merged.claims] == [1, 2 + 4]
    assert [r.evidence.sentence_index for r in merged.relations] == [1, 1, 6, 6]
    # evidence offsets point into the original file already: they do not move
    assert {r.evidence.start_char for r in merged.relations} == {0}


def test_pieces_merge_pieces_keep_claim_keys_of_parts_apart():
    parts = [(Piece(WHOLE, "a", 0, 0, False), _part(0, 0), 1),
             (Piece(WHOLE, "b", 30, 1, False), _part(0, 0), 1),
             (Piece(WHOLE, "c", 60, 2, True), _part(0, 0), 1)]
    merged = merge_pieces(WHOLE, parts)
    assert [c.key for c in merged.claims] == ["doc.txt#claim1", "doc.txt#claim1@part1",
                                              "doc.txt#claim1@part2"]
    stated = [r.obj for r in merged.relations if r.predicate == "states"]
    assert stated == list(merged.claims)  # a relation to a claim follows its new key
    assert stated[1].speaker.start_char == 30


def test_pieces_merge_pieces_skip_a_failed_part_but_count_its_sentences():
    parts = [(Piece(WHOLE, "a", 0, 0, False), None, 5), (Piece(WHOLE, "b", 40, 1, True),
                                                          _part(1, 0), 2)]
    merged = merge_pieces(WHOLE, parts)
    assert [m.start_char for m in merged.mentions] == [41]
    assert [c.evidence.sentence_index for c in merged.claims] == [5]
    assert [c.key for c in merged.claims] == ["doc.txt#claim1@part1"]


def test_pieces_merge_pieces_of_parts_that_all_failed_is_none():
    parts = [(Piece(WHOLE, "a", 0, 0, False), None, 2), (Piece(WHOLE, "b", 9, 1, True), None, 1)]
    assert merge_pieces(WHOLE, parts) is None
