"""Typed mentions in a parsed Doc: gazetteer hits, NER entities and collectives."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.datatypes import Mention
from kg.extract.described import described_names
from kg.extract.mentions import MentionIndex
from kg.extract.names import unify_names
from kg.extract.recognize import (
    gpe_as_org,
    has_org_head,
    is_place_use,
    joined_person,
    name_runs,
    org_type,
)
from kg.gazetteer import Gazetteer, normalize_name
from kg.lexicon import Lexicon

__all__ = ["MentionIndex", "extract_mentions", "name_key", "org_type"]

NER_TYPES = {"PERSON": "Person", "ORG": "Company", "PRODUCT": "Product", "LAW": "Initiative"}
CORPORATE_SUFFIX = re.compile(r"(\s+\b(inc|corp|corporation|co|ltd|llc|plc|limited|holdings?|group|"
                              r"technologies|ag|sa|spa|nv|gmbh)\b\.?,?)+$", re.I)
LEADING_DETS = {"the", "a", "an", "some", "these", "those", "its", "their", "our"}


def _trim(span: Span) -> Span:
    """Without leading determiners, a trailing possessive or a parenthesis the
    model ran into ("Ministry of Trade (MOTIE")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_DETS:
        start += 1
    paren = next((t.i for t in doc[start + 1:end] if t.text == "("), None)
    if paren is not None:
        end = paren
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return doc[start:end]


def name_key(label: str) -> str:
    return "name:" + normalize_name(CORPORATE_SUFFIX.sub("", label).strip(" ,"))


def _gazetteer_mention(span: Span, entry, gaz: Gazetteer) -> Mention | None:
    """A gazetteer hit, unless a capital or city is named only as a place."""
    city_of = gaz.country_of_city(span.text)
    if entry.type == "Country" and city_of is not None and city_of.iri == entry.iri \
            and is_place_use(span.root, gaz):
        return None
    return Mention(entry.iri, span.text.strip(), entry.label, entry.type, span.start_char,
                   span.end_char, entry.iri)


def _kind(ent: Span, span: Span, gaz: Gazetteer, lex: Lexicon) -> str | None:
    """The class an untyped NER entity gets: from its label, from the head of
    its name, or as a firm where a GPE-tagged name is no place and acts."""
    kind = NER_TYPES.get(ent.label_)
    if ent.label_ in ("PERSON", "GPE", "FAC", "NORP", "ORG") and has_org_head(span.text, lex):
        return org_type(span.text, lex)
    if kind is not None or ent.label_ != "GPE":
        return kind
    before = span.doc[span.start - 2:span.start] if span.start >= 2 else None
    if before is not None and before[1].tag_ == "POS" and gaz.lookup(before[0].text):
        return "Company"  # "France's Orange": a name owned by a country is a firm
    return "Company" if gpe_as_org(span, gaz, lex) else None


def _ner_mention(ent: Span, gaz: Gazetteer, lex: Lexicon) -> Mention | None:
    span = _trim(ent)
    text = span.text.strip()
    if not span or not re.search(r"[A-Za-z]", text):
        return None
    entry = gaz.entries.get(ent.ent_id_) if ent.ent_id_ else None
    entry = entry or gaz.lookup(text)
    if entry:
        return _gazetteer_mention(span, entry, gaz)
    if gaz.country_of_city(text) is not None:
        return None  # a place ("Boise, Idaho-based"), not an actor
    kind = _kind(ent, span, gaz, lex)
    if kind is None or (len(span) == 1 and span[0].lower_ in lex.class_nouns.keys() | lex.titles):
        return None
    following = span.doc[span.end] if span.end < len(span.doc) else None
    last = span[-1].lower_
    if following is not None and following.lower_ in lex.titles and following.tag_ != "POS" \
            and not CORPORATE_SUFFIX.search(text) \
            and last not in lex.government_heads | lex.international_heads:
        return None  # "Commerce Secretary", "Digital Minister": a portfolio, not an organization
    if kind == "Company":
        kind = org_type(text, lex)
    return Mention(name_key(text), text, text, kind, span.start_char, span.end_char)


def _is_qualifier(tok: Token, index: MentionIndex, gaz: Gazetteer, lex: Lexicon) -> bool:
    if tok.dep_ in ("nummod", "quantmod") or tok.like_num:
        return True
    if tok.dep_ in ("amod", "compound", "poss", "det", "nmod"):
        if tok.lower_ in lex.collective_quantifiers:
            return tok.lower_ not in ("some", "all", "many") or tok.dep_ != "det"
        if gaz.country_of_demonym(tok.text) or (index.at(tok) and index.at(tok).type == "Country"):
            return True
    # "untrusted carriers", "infrastructure operators": a described kind of actor
    return (tok.dep_ == "amod" and tok.pos_ in ("ADJ", "VERB") and tok.ent_type_ != "ORDINAL") or (
        tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.head.dep_ != "compound")


def _collective_span(head: Token, index: MentionIndex, gaz: Gazetteer, lex: Lexicon):
    left = [t for c in head.lefts for t in c.subtree]
    quals = [t for t in left if _is_qualifier(t, index, gaz, lex)]
    if not quals:
        # "operators of critical information infrastructure": described after the noun
        of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
              and any(p.dep_ == "pobj" and p.pos_ == "NOUN" for p in c.children)]
        if of and not any(t.i in index.by_token for t in of[0].subtree):
            pobj = next(p for p in of[0].children if p.dep_ == "pobj")
            return _trim(head.doc[head.i:pobj.i + 1])
        return None
    start = min(c.left_edge.i for c in head.lefts if any(q in c.subtree for q in quals))
    end = head.i + 1
    for conj in head.conjuncts:
        if conj.i > head.i and conj.lemma_.lower() in lex.collectives and conj.dep_ == "conj":
            end = max(end, conj.i + 1)
    return _trim(head.doc[start:end])


def group_key(span: Span, head: Token, index: MentionIndex, gaz: Gazetteer, lex: Lexicon) -> str:
    """What identifies a group: its numbers, quantifiers, nationalities and head noun.

    "Chinese technology companies" and "Chinese firms" are one group; "other
    countries" and "30 countries" are two.
    """
    parts = []
    for tok in span:
        if tok.i == head.i:
            break
        if tok.like_num or tok.lower_ in lex.collective_quantifiers:
            parts.append(tok.lower_)
        elif gaz.country_of_demonym(tok.text):
            parts.append(gaz.country_of_demonym(tok.text).iri.rsplit("/", 1)[-1])
        elif index.at(tok) is not None and index.at(tok).type == "Country":
            parts.append(index.at(tok).key.rsplit("/", 1)[-1])
    lemma = head.lemma_.lower()
    numbers = [t.lower_ for t in span if t.like_num and t.i < head.i]
    if numbers:  # "59 Chinese apps" and "59 mobile apps" are one group
        parts = numbers
    parts.append(lex.collective_synonyms.get(lemma, lemma))
    return "group:" + " ".join(dict.fromkeys(parts))


def collective_mentions(doc: Doc, index: MentionIndex, gaz: Gazetteer, lex: Lexicon) -> None:
    """Adds qualified plural groups: "more than 30 countries", "Chinese companies"."""
    for tok in doc:
        if tok.tag_ not in ("NNS", "NNPS") or tok.lemma_.lower() not in lex.collectives:
            continue
        if tok.i in index.by_token:
            continue
        span = _collective_span(tok, index, gaz, lex)
        if span is None or not len(span):
            continue
        label = span.text
        kind = lex.collectives[tok.lemma_.lower()]
        mention = Mention(group_key(span, tok, index, gaz, lex), label, label, kind,
                          span.start_char, span.end_char)
        # The group's own tokens from the head back; mentions inside stay theirs.
        free = [i for i in range(span.start, span.end) if i not in index.by_token]
        if free:
            index.add(mention, tok.i, tok.i + 1)
            index.spans[-1] = (span.start, span.end)


def _run_mention(run: Span, gaz: Gazetteer, lex: Lexicon) -> Mention:
    entry = gaz.lookup(run.text)
    if entry:
        return Mention(entry.iri, run.text, entry.label, entry.type, run.start_char,
                       run.end_char, entry.iri)
    return Mention(name_key(run.text), run.text, run.text, org_type(run.text, lex),
                   run.start_char, run.end_char)


def _takes_over(run: Span, inner: list[tuple[Mention, int, int]], kind: str) -> bool:
    """Whether a capitalized run replaces the NER mentions inside it: untyped
    pieces always; a leading country or city only in a company's name
    ("Beijing Infinite Vision Technology", not "U.S. Commerce Department")."""
    for m, start, _ in inner:
        if m.gazetteer_iri and not (start == run.start and m.type == "Country"
                                    and kind == "Company"):
            return False
    return True


def _with_name_runs(doc: Doc, found: list[tuple[Mention, int, int]], gaz: Gazetteer,
                    lex: Lexicon) -> list[tuple[Mention, int, int]]:
    """NER mentions, with organization names the model missed or cut short."""
    for run in name_runs(doc, lex):
        run = _trim(run)
        if len(run) < 2:
            continue
        overlap = [f for f in found if f[1] < run.end and run.start < f[2]]
        if any(s < run.start or e > run.end or (s, e) == (run.start, run.end)
               for _, s, e in overlap):
            continue  # the model's span already covers it, or crosses it
        mention = _run_mention(run, gaz, lex)
        if _takes_over(run, overlap, mention.type):
            found = [f for f in found if f not in overlap]
            found.append((mention, run.start, run.end))
    return sorted(found, key=lambda f: f[1])


def _joined_of(ents: list[Span]) -> list[Span]:
    """ "Supreme Court of" + "India": an organization name the gazetteer's
    country cut in two is one name again."""
    out: list[Span] = []
    for ent in ents:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "ORG" and prev[-1].lower_ in ("of", "for") \
                and prev.end == ent.start:
            out[-1] = Span(ent.doc, prev.start, ent.end, label="ORG")
            continue
        out.append(ent)
    return out


def extract_mentions(doc: Doc, gaz: Gazetteer, lex: Lexicon) -> MentionIndex:
    """All typed mentions of a Doc, indexed by token."""
    found = []
    for ent in _joined_of(joined_person(list(doc.ents))):
        mention = _ner_mention(ent, gaz, lex)
        if mention:
            trimmed = _trim(ent)
            found.append((mention, trimmed.start, trimmed.end))
    index = MentionIndex()
    found = described_names(doc, _with_name_runs(doc, found, gaz, lex), lex, name_key)
    for mention, start, end in found:
        index.add(mention, start, end)
    collective_mentions(doc, index, gaz, lex)
    unify_names(doc, index)
    return index
