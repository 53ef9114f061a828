"""Titles and the phrase around a name: the words before a name and the
phrases in apposition to it ("U.S. Secretary of State Mike Pompeo", "Meng
Wanzhou, the firm's finance chief"), and the offices (officialOf) and party
memberships they give a person.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.reading import Reading

ORGS = {"Company", "GovernmentBody", "InternationalOrganization", "Organization"}
OFFICIAL_OF = 0.8
MEMBER_OF = 0.7


def _head_of(mention: Mention, ctx: Reading) -> Token:
    start, end = ctx.index.span_of(mention)
    tokens = ctx.doc[start:end]
    return tokens.root


def _phrase_tokens(head: Token, ctx: Reading) -> list[Token]:
    """The phrase around a name: its own modifiers, the noun it names, appositions."""
    anchor = head
    # "Chinese company Bytedance": the name may be a compound of a class noun or
    # the class noun a compound of the name.
    noun = head.head.lemma_.lower()
    if head.dep_ in ("compound", "appos", "nmod") and noun in ctx.lex.class_nouns and \
            ctx.lex.class_nouns[noun] != "Person" and noun not in ctx.lex.person_nouns:
        anchor = head.head
    tokens = ctx.own_tokens(anchor)
    for tok in list(tokens):
        for child in tok.children:
            if child.dep_ == "appos":
                tokens.extend(ctx.own_tokens(child))
    if anchor.dep_ == "appos":
        tokens.extend(ctx.own_tokens(anchor.head))
    return tokens


def premodifiers(mention: Mention, ctx: Reading) -> list[Token]:
    """The words written right before a name that describe it: "Dutch
    chip-equipment maker ASML", "U.S. Secretary of State Mike Pompeo"."""
    start = ctx.index.span_of(mention)[0]
    out = []
    i = start - 1
    while i >= 0:
        tok = ctx.doc[i]
        if tok.tag_ == "POS" or tok.pos_ in ("DET", "VERB", "AUX", "PRON", "CCONJ", "SCONJ",
                                                "SPACE"):
            break  # (a paragraph break ends the phrase too)
        if tok.pos_ == "PUNCT" and tok.text not in ("-", "–"):
            break
        if tok.pos_ == "ADP" and not (tok.lower_ == "of" and i > 0 and ctx.doc[i - 1].pos_ in
                                      ("NOUN", "PROPN")):
            break
        other = ctx.index.at(tok)
        if other is not None and other.type == "Country" and out and out[-1].pos_ == "ADJ":
            break  # "demands Canada free Huawei ...": a country next to an adjective is no modifier
        if other is not None and other.key != mention.key and other.type != "Country":
            # "Huawei founder Ren Zhengfei": an organization may qualify a
            # person's title; it ends the run of modifiers.
            if mention.type == "Person" and other.type in ORGS:
                out.append(tok)
            break
        out.append(tok)
        i -= 1
    return out[::-1]


def appositions(head: Token, ctx: Reading) -> list[list[Token]]:
    """Phrases in apposition to a name, both ways round: "Meng Wanzhou, the
    firm's finance chief" and "the firm's finance chief, Meng Wanzhou"."""
    phrases = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        phrases.append(head.head)
    out = []
    for ph in phrases:
        if ctx.index.at(ph) is not None and ctx.index.at(ph).type == "Person":
            continue
        tokens = ctx.own_tokens(ph)
        for tok in list(tokens):
            for c in tok.children:
                if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "to")):
                    tokens.extend(c.subtree)
        out.append(sorted(set(tokens), key=lambda t: t.i))
    return out


def _affiliations(tokens: list[Token], mention: Mention, ctx: Reading) -> list[Mention]:
    """Organizations and countries a title phrase names (possessor first)."""
    found = []
    for tok in tokens:
        m = ctx.own_mention(tok) if tok.pos_ in ("PROPN", "NOUN") else None
        if m is None and tok.tag_ == "PRP$" and tok.lower_ in ("its", "their"):
            # "its founder", "its spokesman": offices belong to organizations first
            orgs = [x for x in ctx.index.mentions if x.end_char <= tok.idx and x.type in ORGS]
            m = orgs[-1] if orgs else ctx.corefer(tok)
        if m is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in ctx.lex.class_nouns:
            m = ctx.corefer(tok)  # "chairman of the company's Australian arm"
            m = m if m is not None and m.type in ORGS else None
        if m is None:
            entry = ctx.gaz.country_of_demonym(tok.text)
            m = entry and Mention(entry.iri, tok.text, entry.label, entry.type, tok.idx,
                                  tok.idx + len(tok.text), entry.iri)
        if m is not None and m.key != mention.key and m.type in ORGS | {"Country", "Product"}:
            found.append(m)
    # An organization named beside the title beats the country it is from.
    orgs = [m for m in found if m.type in ORGS]
    return list({m.key: m for m in (orgs or found)}.values())[:1]


def _portfolio(tokens: list[Token], ctx: Reading) -> list[Mention]:
    """ "Commerce Secretary Gina Raimondo": a cabinet title names its country."""
    text = " ".join(t.lower_ for t in sorted(tokens, key=lambda t: t.i))
    for title, country in ctx.lex.portfolio_titles.items():
        entry = ctx.gaz.lookup(country) if title in text else None
        if entry is not None:
            return [Mention(entry.iri, title, entry.label, entry.type, tokens[0].idx,
                            tokens[0].idx, entry.iri)]
    return []


def _spoken_for(tokens: list[Token], mention: Mention, ctx: Reading) -> list[Mention]:
    """ "spokesman Ed Brewster" with no organization named: the organization
    named last within the two sentences before."""
    if not any(t.lemma_.lower() in ctx.lex.spokesperson_titles for t in tokens):
        return []
    sent = ctx.doc[ctx.index.span_of(mention)[0]].sent
    window_start = sent.start_char
    for _ in range(2):
        if sent.start > 0:
            sent = ctx.doc[sent.start - 1].sent
            window_start = sent.start_char
    # the organization that last spoke (was a subject) in that window
    speakers = [m for i, m in ctx.subject_chain if m.type in ORGS
                and window_start <= ctx.doc[i].idx < mention.start_char]
    return speakers[-1:]


def person_facts(mention: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    """officialOf from a title before the name or in apposition to it."""
    head = _head_of(mention, ctx)
    before = premodifiers(mention, ctx)
    for party in {m.key: m for m in (ctx.index.at(t) for t in before)
                  if m is not None and m.label.endswith(" Party")}.values():
        # "Republican Senator Tom Cotton", "Democrat Chris Van Hollen"
        yield RelationCandidate(mention, "memberOf", party,
                                ctx.evidence([head, *before], "np:party", MEMBER_OF))
    phrases = [_phrase_tokens(head, ctx) + before, *appositions(head, ctx)]
    for tokens in phrases:
        if not _has_title(tokens, ctx):
            continue
        targets = (_affiliations(tokens, mention, ctx) or _portfolio(tokens, ctx)
                   or _spoken_for(tokens, mention, ctx))
        for target in targets:
            if target.label.endswith(" Party") or (
                    target.type == "Product" and not _headed(target, tokens, ctx)):
                continue
            yield RelationCandidate(mention, "officialOf", target,
                                    ctx.evidence([head, *tokens], "np:title", OFFICIAL_OF))


def _headed(product: Mention, tokens: list[Token], ctx: Reading) -> bool:
    """ "the head of Instagram": a title with an of-phrase naming a product."""
    return any(t.lower_ == "of" and t.head.lemma_.lower() in ctx.lex.titles
               and any(ctx.own_mention(p) == product for p in t.children if p.dep_ == "pobj")
               for t in tokens)


def _has_title(tokens: list[Token], ctx: Reading) -> bool:
    return any(t.lemma_.lower() in ctx.lex.titles for t in tokens)
