"""Structural facts carried by noun phrases: possessives ("Tencent's WeChat"),
nationality modifiers and appositions ("Chinese company Bytedance",
"Huawei, the Chinese giant"), titles ("U.S. Secretary of State Mike Pompeo")
and named examples of groups ("countries such as Australia").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.context import DocContext

ORGS = {"Company", "GovernmentBody", "InternationalOrganization", "Organization"}
LOCATABLE = {"Company", "Product"}
BASED_IN = 0.8
OFFICIAL_OF = 0.8
OWNS = 0.75
MEMBER_OF = 0.7


def _head_of(mention: Mention, ctx: DocContext) -> Token:
    start, end = ctx.index.span_of(mention)
    tokens = ctx.doc[start:end]
    return tokens.root


def _phrase_tokens(head: Token, ctx: DocContext) -> list[Token]:
    """The phrase around a name: its own modifiers, the noun it names, appositions."""
    anchor = head
    # "Chinese company Bytedance": the name may be a compound of a class noun or
    # the class noun a compound of the name.
    if head.dep_ in ("compound", "appos", "nmod") and head.head.lemma_.lower() in ctx.lex.class_nouns:
        anchor = head.head
    tokens = ctx.own_tokens(anchor)
    for tok in list(tokens):
        for child in tok.children:
            if child.dep_ == "appos":
                tokens.extend(ctx.own_tokens(child))
    if anchor.dep_ == "appos":
        tokens.extend(ctx.own_tokens(anchor.head))
    return tokens


def premodifiers(mention: Mention, ctx: DocContext) -> list[Token]:
    """The words written right before a name that describe it: "Dutch
    chip-equipment maker ASML", "U.S. Secretary of State Mike Pompeo"."""
    start = ctx.index.span_of(mention)[0]
    out = []
    i = start - 1
    while i >= 0:
        tok = ctx.doc[i]
        if tok.tag_ == "POS" or tok.pos_ in ("DET", "VERB", "AUX", "PRON", "CCONJ"):
            break
        if tok.pos_ == "PUNCT" and tok.text not in ("-", "–"):
            break
        if tok.pos_ == "ADP" and not (tok.lower_ == "of" and i > 0 and ctx.doc[i - 1].pos_ in
                                      ("NOUN", "PROPN")):
            break
        other = ctx.index.at(tok)
        if other is not None and other.type not in ("Country",) and other.key != mention.key:
            break
        out.append(tok)
        i -= 1
    return out[::-1]


def _countries_in(tokens: list[Token], mention: Mention, ctx: DocContext) -> list[Mention]:
    found = []
    for tok in tokens:
        if tok.dep_ == "poss":
            continue
        m = ctx.index.at(tok)
        if m is not None and m.type == "Country" and m.key != mention.key:
            found.append(m)
        elif m is None:
            entry = ctx.gaz.country_of_demonym(tok.text)
            if entry is not None and tok.pos_ in ("ADJ", "PROPN", "NOUN"):
                found.append(Mention(entry.iri, tok.text, entry.label, entry.type, tok.idx,
                                     tok.idx + len(tok.text), entry.iri))
    return list({m.key: m for m in found}.values())


def _has_title(tokens: list[Token], ctx: DocContext) -> bool:
    return any(t.lemma_.lower() in ctx.lex.titles for t in tokens)


def nationality_facts(mention: Mention, ctx: DocContext) -> Iterator[RelationCandidate]:
    head = _head_of(mention, ctx)
    tokens = _phrase_tokens(head, ctx) + premodifiers(mention, ctx)
    countries = _countries_in(tokens, mention, ctx)
    if mention.type in LOCATABLE:
        prop, conf, rule = "basedIn", BASED_IN, "np:nationality"
    elif mention.type == "Person" and _has_title(tokens, ctx):
        prop, conf, rule = "officialOf", OFFICIAL_OF, "np:title"
        orgs = [ctx.index.at(t) for t in tokens if ctx.index.at(t) is not None
                and ctx.index.at(t).type in ORGS and t.dep_ != "poss"]
        countries = countries or [m for m in orgs if m is not None][:1]
    else:
        return
    for country in countries:
        yield RelationCandidate(mention, prop, country, ctx.evidence(tokens, rule, conf))


def possessive_facts(owner_tok: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
    owner = ctx.own_mention(owner_tok)
    owned = ctx.own_mention(owner_tok.head)
    if owner is None or owned is None or owner.key == owned.key:
        return
    ev_tokens = [owner_tok, owner_tok.head]
    if owner.type in ORGS | {"Person"} and owned.type in {"Product", "Company"}:
        yield RelationCandidate(owner, "owns", owned, ctx.evidence(ev_tokens, "poss:owns", OWNS))
    elif owner.type == "Country" and owned.type in LOCATABLE:
        yield RelationCandidate(owned, "basedIn", owner,
                                ctx.evidence(ev_tokens, "poss:basedIn", BASED_IN))
    elif owner.type in {"Country"} | ORGS and owned.type == "Person":
        tokens = ctx.own_tokens(owner_tok.head)
        if _has_title(tokens, ctx):
            yield RelationCandidate(owned, "officialOf", owner,
                                    ctx.evidence(ev_tokens, "poss:officialOf", OFFICIAL_OF))


def group_facts(group: Mention, ctx: DocContext) -> Iterator[RelationCandidate]:
    """Named examples of a group: members, and the group's nationality passed on."""
    head = ctx.doc[ctx.index.span_of(group)[1] - 1]
    heads = [head, *head.conjuncts]
    members = [ctx.own_mention(t) for h in heads for t in ctx.examples(h)]
    members = [m for m in members if m is not None]
    countries = _countries_in(ctx.own_tokens(head), group, ctx)
    for member in members:
        ev = ctx.evidence([head, *ctx.examples(head)] or [head], "group:example", MEMBER_OF)
        if group.type == "CountryGroup" and member.type == "Country":
            yield RelationCandidate(member, "memberOf", group, ev)
        if group.type == "CompanyGroup" and member.type in LOCATABLE:
            for country in countries:
                yield RelationCandidate(member, "basedIn", country,
                                        ctx.evidence([head, *heads], "group:nationality", BASED_IN))


def extract_structural(ctx: DocContext) -> Iterator[RelationCandidate]:
    """Every structural fact of the document."""
    for mention in ctx.index.mentions:
        if mention.type in ("CountryGroup", "CompanyGroup"):
            yield from group_facts(mention, ctx)
        else:
            yield from nationality_facts(mention, ctx)
    for tok in ctx.doc:
        if tok.dep_ == "poss":
            yield from possessive_facts(tok, ctx)
