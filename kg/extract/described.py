"""Names typed by the noun that describes them: "Polestar, the Swedish
electric-car maker", "Koo, an Indian microblogging app", "seed producer
Verisem". The model misses such names or takes them for people; the
describing noun (``kind_nouns`` in the lexicon) says what they are.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.datatypes import Mention
from kg.lexicon import Lexicon

Found = list[tuple[Mention, int, int]]
DETS = {"the", "a", "an"}
MODIFIER_POS = {"ADJ", "NOUN", "PROPN", "NUM", "ADV"}


def _appositive_kind(run: Span, lex: Lexicon) -> str | None:
    """The class an appositive description after the name gives: ", the
    Swedish electric-car maker", ", an Indian microblogging app"."""
    doc = run.doc
    i = run.end
    if i + 2 >= len(doc) or doc[i].text != ",":
        return None
    if doc[i + 1].lower_ in DETS:
        start = i + 2
    elif doc[i + 1].pos_ == "PROPN" and doc[i + 2].tag_ == "POS":
        start = i + 3  # ", Britain's largest chip plant"
    else:
        return None
    kind = None
    for tok in doc[start:start + 8]:
        if tok.pos_ not in MODIFIER_POS and tok.tag_ not in ("HYPH", "POS", "VBG", "VBN"):
            break
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.kind_nouns:
            # ", the firm grew": the subject of the next clause describes nothing
            subject = tok.dep_ in ("nsubj", "nsubjpass")
            kind = None if subject else lex.kind_nouns[tok.lemma_.lower()]
    return kind


def _preceding_kind(run: Span, lex: Lexicon) -> str | None:
    """The class a describing noun right before the name gives: "recruitment
    app Boss Zhipin", "seed producer Verisem"."""
    if run.start == 0:
        return None
    before = run.doc[run.start - 1]
    if before.pos_ in ("NOUN", "PROPN") and before.is_lower and before.lower_ in lex.kind_nouns:
        return lex.kind_nouns[before.lower_]
    return None


def _runs(doc: Doc, taken: dict[int, Mention]) -> list[Span]:
    """Capitalized proper-noun runs outside gazetteer mentions; a country's
    name may open one ("China National Tire & Rubber")."""
    runs, i = [], 0
    while i < len(doc):
        tok = doc[i]
        opening = (tok.i in taken and taken[tok.i].type == "Country" and i + 1 < len(doc)
                   and doc[i + 1].i not in taken and _name_token(doc[i + 1], taken))
        if not (_name_token(tok, taken) or opening):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and (_name_token(doc[j], taken) or doc[j].text in ("&", "-")
                                and j + 1 < len(doc) and _name_token(doc[j + 1], taken)):
            j += 1
        runs.append(doc[i:j])
        i = j
    return runs


def _name_token(tok: Token, taken: dict[int, Mention]) -> bool:
    m = taken.get(tok.i)
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and (m is None or m.gazetteer_iri is None)


def described_names(doc: Doc, found: Found, lex: Lexicon, key) -> Found:
    """``found`` with the names a describing noun types added or retyped."""
    taken = {i: m for m, start, end in found for i in range(start, end)}
    out = list(found)
    for run in _runs(doc, taken):
        if run.start > 0 and doc[run.start - 1].tag_ == "POS":
            continue  # "Britain's largest plant" is not a name's description
        kind = _appositive_kind(run, lex) or _preceding_kind(run, lex)
        if kind is None:
            continue
        inside = {id(m) for i, m in taken.items() if run.start <= i < run.end}
        if any(m.type == kind for m in (taken[i] for i in range(run.start, run.end) if i in taken)
               ) and len(inside) == 1:
            continue  # already a mention of that class
        out = [f for f in out if id(f[0]) not in inside]
        text = run.text
        out.append((Mention(key(text), text, text, kind, run.start_char, run.end_char),
                    run.start, run.end))
    return sorted(out, key=lambda f: f[1])
