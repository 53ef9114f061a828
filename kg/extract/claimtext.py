"""Claim text and Claim nodes, shared by reported speech and denials."""

from __future__ import annotations

from spacy.tokens import Token

from kg.datatypes import ClaimCandidate, Mention
from kg.extract.reading import Reading

QUOTES = "\"'“”‘’ ,.;:"
ANAPHORS = {"that", "this", "it", "these", "those", "them", "so"}
CLAIM_CONFIDENCE = 0.75
CLAIM_COMMENTS = {"charge", "claim", "allegation", "accusation", "assertion", "view"}


def clause_text(clause: Token, after: int = -1, inserted: Token | None = None) -> str:
    # ", a charge the companies reject": a comment on the claim is not part of it
    comment = {t.i for d in clause.subtree if d.dep_ == "appos" and d.head.i != clause.i
               and d.lemma_.lower() in CLAIM_COMMENTS for t in d.subtree}
    if inserted is not None:  # "The ban, X said, was wrong": without "X said"
        comment |= {t.i for t in inserted.subtree}
    tokens = [t for t in clause.subtree if t.i > after
              and not (t.dep_ == "mark" and t.head.i == clause.i) and t.i not in comment]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if inserted is not None:
        pairs = zip(tokens, tokens[1:], strict=False)
        text = "".join(t.text + (t.whitespace_ if n.i == t.i + 1 else " ")
                       for t, n in pairs) + tokens[-1].text if tokens else ""
    else:
        text = clause.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else ""
    return " ".join(text.strip(QUOTES).split())


def new_claim(ctx: Reading, speaker: Mention | None, text: str, tokens: list[Token],
               rule: str) -> ClaimCandidate:
    key = f"{ctx.source.doc_id}#claim{len(ctx.claims) + 1}"
    claim = ClaimCandidate(key, speaker, text, ctx.evidence(tokens, rule, CLAIM_CONFIDENCE))
    ctx.record_claim(claim)
    return claim




def affirmed_text(clause: Token, negations: list[Token]) -> str:
    """The clause without its negation: what a denial says is not so."""
    dropped = {t.i for t in negations}
    words = [t.text_with_ws for t in clause.subtree if t.i not in dropped
             and not (t.dep_ == "mark" and t.head.i == clause.i)]
    return " ".join("".join(words).strip(QUOTES).split())
