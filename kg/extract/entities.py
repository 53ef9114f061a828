"""Typed mentions in a parsed Doc: gazetteer hits, NER entities and collectives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.datatypes import Mention
from kg.gazetteer import Gazetteer, normalize_name
from kg.lexicon import Lexicon

NER_TYPES = {"PERSON": "Person", "ORG": "Company", "PRODUCT": "Product", "LAW": "Initiative"}
CORPORATE_SUFFIX = re.compile(r"\b(inc|corp|corporation|co|ltd|llc|plc|limited|holdings?)\b\.?$",
                              re.I)
LEADING_DETS = {"the", "a", "an", "some", "these", "those", "its", "their", "our"}


@dataclass
class MentionIndex:
    """The mentions of one Doc and which tokens they cover."""

    mentions: list[Mention] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    by_token: dict[int, int] = field(default_factory=dict)

    def add(self, mention: Mention, start: int, end: int) -> None:
        if any(i in self.by_token for i in range(start, end)):
            return
        idx = len(self.mentions)
        self.mentions.append(mention)
        self.spans.append((start, end))
        for i in range(start, end):
            self.by_token[i] = idx

    def at(self, token: Token) -> Mention | None:
        idx = self.by_token.get(token.i)
        return None if idx is None else self.mentions[idx]

    def span_of(self, mention: Mention) -> tuple[int, int]:
        return self.spans[self.mentions.index(mention)]

    def at_index(self, i: int) -> Mention | None:
        idx = self.by_token.get(i)
        return None if idx is None else self.mentions[idx]


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_DETS:
        start += 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return doc[start:end]


def org_type(name: str, lex: Lexicon) -> str:
    """Company, GovernmentBody or InternationalOrganization from an organization's name."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", name)}
    if words & lex.government_heads:
        return "GovernmentBody"
    if words & lex.international_heads:
        return "InternationalOrganization"
    return "Company"


def name_key(label: str) -> str:
    return "name:" + normalize_name(CORPORATE_SUFFIX.sub("", label).strip(" ,"))


def _ner_mention(ent: Span, gaz: Gazetteer, lex: Lexicon) -> Mention | None:
    span = _trim(ent)
    text = span.text.strip()
    if not span or not re.search(r"[A-Za-z]", text):
        return None
    if ent.ent_id_:
        entry = gaz.entries.get(ent.ent_id_)
        if entry:
            return Mention(entry.iri, text, entry.label, entry.type, span.start_char,
                           span.end_char, entry.iri)
    entry = gaz.lookup(text)
    if entry:
        return Mention(entry.iri, text, entry.label, entry.type, span.start_char,
                       span.end_char, entry.iri)
    kind = NER_TYPES.get(ent.label_)
    if gaz.country_of_city(text) is not None:
        return None  # a place ("Boise, Idaho-based"), not an actor
    before = span.doc[span.start - 2:span.start] if span.start >= 2 else None
    if kind is None and ent.label_ == "GPE" and before is not None and before[1].tag_ == "POS" \
            and (gaz.lookup(before[0].text) or None) is not None:
        kind = "Company"  # "France's Orange": a name owned by a country is a firm
    if kind is None or (len(span) == 1 and span[0].lower_ in lex.class_nouns.keys() | lex.titles):
        return None
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if len(span) == 1 and following is not None and following.lower_ in lex.titles:
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


def _name_parts(index: MentionIndex) -> dict[str, Mention]:
    """Family-name keys of the full person names in a document: the last word
    and, for names written family name first ("Wang Yi"), the first word."""
    parts: dict[str, list[Mention]] = {}
    for m in index.mentions:
        words = m.label.split()
        if m.type == "Person" and len(words) > 1:
            for w in {words[0].lower(), words[-1].lower()}:
                parts.setdefault(w, [])
                if m.key not in [x.key for x in parts[w]]:
                    parts[w].append(m)
    return {w: ms[0] for w, ms in parts.items() if len(ms) == 1}


def _unify_person_names(index: MentionIndex) -> None:
    """Within a document, "Wang" after "Wang Yi" is the same person, even
    where the NER model took the bare surname for an organization."""
    full = _name_parts(index)
    for i, m in enumerate(index.mentions):
        if " " not in m.text.strip() and m.gazetteer_iri is None:
            target = full.get(m.label.lower())
            if target:
                index.mentions[i] = Mention(target.key, m.text, target.label, target.type,
                                            m.start_char, m.end_char, target.gazetteer_iri)


ORG_TYPES = {"Company", "GovernmentBody", "InternationalOrganization", "Organization"}


def _unify_partial_orgs(index: MentionIndex) -> None:
    """Within a document, "Security Service" after "Swedish Security Service"
    (the full name's tail, two words or more) is the same organization."""
    full = [m for m in index.mentions if m.type in ORG_TYPES and len(m.label.split()) > 2]
    for i, m in enumerate(index.mentions):
        words = normalize_name(m.label).split()
        if m.gazetteer_iri or m.type not in ORG_TYPES or len(words) < 2:
            continue
        for longer in full:
            tail = normalize_name(longer.label).split()[-len(words):]
            if longer.key != m.key and tail == words:
                index.mentions[i] = Mention(longer.key, m.text, longer.label, longer.type,
                                            m.start_char, m.end_char, longer.gazetteer_iri)
                break


def _surname_mentions(doc: Doc, index: MentionIndex) -> None:
    """A bare surname the NER model missed, once the full name is known."""
    full = _name_parts(index)
    for tok in doc:
        m = full.get(tok.lower_)
        if m is not None and tok.pos_ == "PROPN" and tok.i not in index.by_token:
            index.add(Mention(m.key, tok.text, m.label, m.type, tok.idx, tok.idx + len(tok.text),
                              m.gazetteer_iri), tok.i, tok.i + 1)


def extract_mentions(doc: Doc, gaz: Gazetteer, lex: Lexicon) -> MentionIndex:
    """All typed mentions of a Doc, indexed by token."""
    index = MentionIndex()
    for ent in doc.ents:
        mention = _ner_mention(ent, gaz, lex)
        if mention:
            trimmed = _trim(ent)
            index.add(mention, trimmed.start, trimmed.end)
    collective_mentions(doc, index, gaz, lex)
    _unify_person_names(index)
    _unify_partial_orgs(index)
    _surname_mentions(doc, index)
    return index
