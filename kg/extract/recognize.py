"""Names the NER model misses or mistypes, and the type an organization's name tells.

- ``org_type``: the head noun of a name types it ("... Agency", "... Court" are
  government bodies, "... Holdings", "... Co" companies, "... Alliance" an
  international organization, "... Act" an initiative).
- ``name_runs``: capitalized word sequences ending in such a head noun
  ("Beijing Infinite Vision Technology", "Uber Technologies") where the model
  tagged nothing or only a part.
- ``is_place_use``: a capital in a dateline or a "-based" phrase is a place.
- ``gpe_as_org``: a name tagged GPE that no gazetteer knows as a place and that
  acts or is described as a firm ("Sinochem, the Chinese group") is a company.
- ``joined_person``: "Marco Tronchetti" + "Provera" read as one person.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

COMPANY_HEADS = {"co", "corp", "corporation", "inc", "incorporated", "ltd", "llc", "plc",
                 "limited", "holding", "holdings", "group", "technologies", "technology",
                 "ag", "sa", "spa", "nv", "bv", "gmbh", "ab", "asa", "oyj", "kk", "pte",
                 "company", "industries", "electronics", "semiconductor", "semiconductors",
                 "telecom", "telecommunications", "systems", "networks", "platforms",
                 "motors", "airlines", "labs"}
INITIATIVE_HEADS = {"act", "law", "rule", "list", "initiative", "programme", "program",
                    "regulation", "directive", "order", "strategy", "framework", "agreement",
                    "treaty", "pact", "plan"}


def _head_index(lower: list[str]) -> int:
    """The head word of a name: the word before a qualifying "of", else the last."""
    if "of" in lower[1:]:
        return lower.index("of", 1) - 1
    return len(lower) - 1


def org_type(name: str, lex: Lexicon, default: str = "Company") -> str:
    """Company, GovernmentBody, InternationalOrganization or Initiative from a name."""
    lower = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    if not lower:
        return default
    head = lower[_head_index(lower)]
    for words, kind in ((COMPANY_HEADS, "Company"), (lex.government_heads, "GovernmentBody"),
                        (lex.international_heads, "InternationalOrganization"),
                        (INITIATIVE_HEADS, "Initiative")):
        if head in words:
            return kind
    if set(lower) & lex.government_heads:
        return "GovernmentBody"
    if set(lower) & lex.international_heads:
        return "InternationalOrganization"
    return default


def has_org_head(name: str, lex: Lexicon) -> bool:
    """Whether the head word of ``name`` marks an organization or initiative."""
    lower = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    if len(lower) < 2:
        return False
    head = lower[_head_index(lower)]
    return head in COMPANY_HEADS | INITIATIVE_HEADS | lex.government_heads \
        | lex.international_heads


def _capitalized(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.is_alpha or bool(re.match(r"^[A-Z][\w&.-]*$", tok.text))


def _joins(doc: Doc, j: int, start: int) -> bool:
    """Whether token ``j`` continues a capitalized run begun at ``start``: a
    capitalized word; a hyphen inside a word ("Socio-Economic"); "&"; or, after
    an "of", a comma or "and" before a capitalized word ("Ministry of Trade,
    Industry and Energy")."""
    tok = doc[j]
    if _capitalized(tok):
        return True
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    if nxt is None or not _capitalized(nxt):
        return False
    if tok.text in ("-", "&") and not doc[j - 1].whitespace_:
        return True
    if tok.lower_ in ("of", "&", "for"):
        return True
    after_of = any(t.lower_ == "of" for t in doc[start:j])
    return after_of and tok.lower_ in (",", "and")


def name_runs(doc: Doc, lex: Lexicon) -> list[Span]:
    """Capitalized sequences of two words or more whose head marks an
    organization: "Beijing Infinite Vision Technology", "Ministry of Trade,
    Industry and Energy". Runs start after a title ("President")."""
    runs, i = [], 0
    while i < len(doc):
        if not _capitalized(doc[i]) or doc[i].lower_ in lex.titles:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and _joins(doc, j, i):
            j += 1
        span = doc[i:j]
        while len(span) > 1 and not has_org_head(span.text, lex):
            span = doc[span.start:span.end - 1]  # drop trailing words after the head
        portfolio = span.end < len(doc) and doc[span.end].lower_ in lex.titles \
            and span[-1].lower_ not in lex.government_heads | lex.international_heads
        if len(span) > 1 and span[-1].is_alpha and not portfolio:  # "Home Affairs Minister"
            runs.append(span)
        i = j
    return runs


def is_place_use(tok: Token, gaz: Gazetteer) -> bool:
    """A capital or city named only as a place: the dateline ("BRASILIA, Oct 9
    (Wire) -") or a base ("Moscow-based", read by the structural extractor as
    a city). A capital after "in" ("talks in Abuja") stays a mention of the
    country, as "Washington" always did: the relation rules take no actor from
    a locative phrase, and the country in context still tells whose officials
    are meant."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if tok.is_upper and tok.i == tok.sent.start and nxt is not None and nxt.text in (",", "("):
        return True
    return nxt is not None and nxt.text == "-" and tok.i + 2 < len(doc) \
        and doc[tok.i + 2].lower_ in ("based", "headquartered")


def gpe_as_org(span: Span, gaz: Gazetteer, lex: Lexicon) -> bool:
    """A GPE-tagged name that is no known place and is used as an actor or firm:
    subject of a verb, object of a verb or of "by"/"through", or described by an
    apposition with a company noun."""
    text = span.text
    if gaz.country_of_demonym(text) or not text[:1].isupper() or text.isupper() and len(text) < 2:
        return False
    root = span.root
    if span.start == span.sent.start and root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if span.end < len(span.doc) and span.doc[span.end].text == "-":
        return False  # "Milan-listed"
    if root.dep_ in ("compound", "amod", "npadvmod"):
        return False
    if root.dep_ == "pobj":
        return root.head.lower_ in ("by", "through", "with", "against", "on")
    company_nouns = set(lex.class_nouns.get("Company", ()))
    if any(c.dep_ == "appos" and c.lemma_.lower() in company_nouns for c in root.children):
        return True
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj") and len(span.sent) > 4


def _extends_person(prev: Span, ent: Span | None) -> bool:
    doc = prev.doc
    if prev.label_ != "PERSON" or prev.end >= len(doc) or not doc[prev.end - 1].whitespace_:
        return False
    nxt = doc[prev.end]
    if ent is not None:
        return ent.start == prev.end and len(ent) == 1 and not ent.ent_id_ \
            and ent.label_ in ("ORG", "GPE", "PERSON") and nxt.is_title
    # a name the model left untagged: "Marco Tronchetti" compound of "Provera"
    return nxt.is_title and nxt.pos_ == "PROPN" and not nxt.ent_type_ \
        and prev.root.head.i == nxt.i and prev.root.dep_ == "compound"


def joined_person(ents: list[Span]) -> list[Span]:
    """A PERSON entity directly followed by a one-word name that the model
    tagged apart or not at all ("Marco Tronchetti" "Provera") is one person."""
    out: list[Span] = []
    for ent in ents:
        if out and _extends_person(out[-1], ent):
            out[-1] = Span(ent.doc, out[-1].start, ent.end, label="PERSON")
            continue
        if out and _extends_person(out[-1], None):
            out[-1] = Span(ent.doc, out[-1].start, out[-1].end + 1, label="PERSON")
        out.append(ent)
    if out and _extends_person(out[-1], None):
        out[-1] = Span(out[-1].doc, out[-1].start, out[-1].end + 1, label="PERSON")
    return out
