"""Structural facts carried by noun phrases: possessives ("Tencent's WeChat"),
nationality modifiers and appositions ("Chinese company Bytedance",
"Huawei, the Chinese giant"), titles ("U.S. Secretary of State Mike Pompeo",
read in ``titles``) and named examples of groups ("countries such as Australia").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.ownership import extract_ownership, possessed_name
from kg.extract.reading import Reading
from kg.extract.roles import extract_roles
from kg.extract.titles import (
    MEMBER_OF,
    OFFICIAL_OF,
    ORGS,
    _has_title,
    _head_of,
    _phrase_tokens,
    appositions,
    person_facts,
    premodifiers,
)

LOCATABLE = {"Company", "Product"}
BASED_IN = 0.8
OWNS = 0.75


def _countries_in(tokens: list[Token], mention: Mention, ctx: Reading) -> list[Mention]:
    found = []
    for tok in tokens:
        if tok.dep_ == "poss":
            continue
        m = ctx.index.at(tok)
        if m is not None and m.type == "Country" and m.key != mention.key:
            found.append(m)
        elif m is None and _is_based_marker(tok):
            entry = _city_country(tok, ctx)  # "the Shenzhen-based company"
            if entry is not None:
                found.append(Mention(entry.iri, tok.text, entry.label, entry.type, tok.idx,
                                     tok.idx + len(tok.text), entry.iri))
        elif m is None and not _owned_by_demonym(tok):
            entry = ctx.gaz.country_of_demonym(tok.text)
            if entry is not None and tok.pos_ in ("ADJ", "PROPN", "NOUN"):
                found.append(Mention(entry.iri, tok.text, entry.label, entry.type, tok.idx,
                                     tok.idx + len(tok.text), entry.iri))
    return list({m.key: m for m in found}.values())


def _owned_by_demonym(tok: Token) -> bool:
    """ "Chinese-owned Nexperia": owners' nationality, not the company's."""
    nxt = tok.doc[tok.i + 1:tok.i + 3]
    return len(nxt) == 2 and nxt[0].text in ("-", "–") and nxt[1].lower_ in (
        "owned", "backed", "controlled", "funded")


def _is_based_marker(tok: Token) -> bool:
    """ "Shenzhen" in "Shenzhen-based" / "Shenzhen-headquartered"."""
    nxt = tok.doc[tok.i + 1:tok.i + 3]
    return len(nxt) == 2 and nxt[0].text in ("-", "–") and nxt[1].lower_ in (
        "based", "headquartered")


def _city_country(tok: Token, ctx: Reading):
    """The country of the city (one or two words) ending at ``tok``."""
    two = tok.doc[max(tok.i - 1, 0):tok.i + 1].text
    return ctx.gaz.country_of_city(two) or ctx.gaz.country_of_city(tok.text)




def nationality_facts(mention: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    if mention.type == "Person":
        yield from person_facts(mention, ctx)
        return
    if mention.type not in LOCATABLE:
        return
    head = _head_of(mention, ctx)
    tokens = _phrase_tokens(head, ctx) + premodifiers(mention, ctx)
    if head.dep_ == "conj":
        # "Chinese providers Huawei and ZTE": the second name shares the first's modifiers.
        first = ctx.index.at(head.head)
        if first is not None and first.type == mention.type:
            tokens += _phrase_tokens(head.head, ctx) + premodifiers(first, ctx)
    for phrase in appositions(head, ctx):
        tokens += [t for t in phrase if t.dep_ != "poss" and t.head.dep_ != "poss"]
    for country in _countries_in(tokens, mention, ctx):
        yield RelationCandidate(mention, "basedIn", country,
                                ctx.evidence([head, *tokens], "np:nationality", BASED_IN))


def possessive_facts(marker: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Tencent's WeChat" (owns), "China's Huawei" (basedIn), "Canada's ambassador X"."""
    owner = ctx.index.at_index(marker.i - 1)
    owned, tokens = possessed_name(marker, ctx)
    if owner is None and owned is not None and owned.type in LOCATABLE and marker.i > 0:
        entry = _city_country(ctx.doc[marker.i - 1], ctx)  # "Shenzhen's Tencent Holdings"
        if entry is not None:
            country = Mention(entry.iri, ctx.doc[marker.i - 1].text, entry.label, entry.type,
                              ctx.doc[marker.i - 1].idx, marker.idx, entry.iri)
            yield RelationCandidate(owned, "basedIn", country,
                                    ctx.evidence([ctx.doc[marker.i - 1], marker, *tokens],
                                                 "poss:city", BASED_IN))
            return
    if owner is None or owned is None or owner.key == owned.key:
        return
    ev_tokens = [ctx.doc[marker.i - 1], marker, *tokens]
    # "ByteDance's TikTok and Helo": the possessive reaches every conjunct
    name = _head_of(owned, ctx)
    for conj in name.conjuncts:
        between = ctx.doc[min(conj.i, name.i):max(conj.i, name.i)]
        if conj.i < name.i or any(t.tag_ == "POS" for t in between):
            continue  # a later name with a possessor of its own belongs to that one
        other = ctx.index.at(conj)
        if other is not None and other.type == owned.type and other.key != owned.key:
            if owner.type in ORGS | {"Person"} and owned.type in {"Product", "Company"}:
                yield RelationCandidate(owner, "owns", other,
                                        ctx.evidence([*ev_tokens, conj], "poss:owns", OWNS))
            elif owner.type == "Country" and other.type in LOCATABLE:
                yield RelationCandidate(other, "basedIn", owner,
                                        ctx.evidence([*ev_tokens, conj], "poss:basedIn", BASED_IN))
    if owner.type in ORGS | {"Person"} and owned.type in {"Product", "Company"}:
        yield RelationCandidate(owner, "owns", owned, ctx.evidence(ev_tokens, "poss:owns", OWNS))
    elif owner.type == "Country" and owned.type in LOCATABLE:
        yield RelationCandidate(owned, "basedIn", owner,
                                ctx.evidence(ev_tokens, "poss:basedIn", BASED_IN))
    elif owner.type in {"Country"} | ORGS and owned.type == "Person" and _has_title(tokens, ctx):
        yield RelationCandidate(owned, "officialOf", owner,
                                ctx.evidence(ev_tokens, "poss:officialOf", OFFICIAL_OF))
    elif owner.type in {"Country", "Person"} | ORGS and owned.type == "Initiative" \
            and owned.gazetteer_iri is not None:
        # "China's Belt and Road Initiative": a state's named programme is its own
        yield RelationCandidate(owner, "launches", owned,
                                ctx.evidence(ev_tokens, "poss:launches", 0.6))


def group_facts(group: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    """Named examples of a group: members, and the group's nationality passed on."""
    head = ctx.doc[ctx.index.span_of(group)[1] - 1]
    heads = [head, *head.conjuncts]
    members = [ctx.own_mention(t) for h in heads for t in ctx.examples(h)]
    members = [m for m in members if m is not None]
    countries = _countries_in(ctx.own_tokens(head), group, ctx)
    if group.type == "Product":  # "59 Chinese apps": the apps' origin is a fact about them
        for country in countries:
            yield RelationCandidate(group, "basedIn", country,
                                    ctx.evidence([head], "group:nationality", BASED_IN))
    for member in members:
        ev = ctx.evidence([head, *ctx.examples(head)] or [head], "group:example", MEMBER_OF)
        if group.type == "CountryGroup" and member.type == "Country":
            yield RelationCandidate(member, "memberOf", group, ev)
        if group.type in ("CompanyGroup", "Product") and member.type in LOCATABLE:
            for country in countries:
                yield RelationCandidate(member, "basedIn", country,
                                        ctx.evidence([head, *heads], "group:nationality", BASED_IN))


def description_facts(tok: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "the U.S. memory chipmaker", "the Chinese telecoms giant": a definite
    description's nationality belongs to the entity it refers back to."""
    if ctx.index.at(tok) is not None or tok.lemma_.lower() not in ctx.lex.class_nouns:
        return
    if tok.dep_ == "appos":
        return  # "Sinochem, the Chinese group": the apposition's own name has it
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return
    antecedent = ctx.corefer(tok)
    if antecedent is None or antecedent.type not in LOCATABLE:
        return
    tokens = ctx.own_tokens(tok)
    for country in _countries_in([t for t in tokens if t.i != tok.i], antecedent, ctx):
        yield RelationCandidate(antecedent, "basedIn", country,
                                ctx.evidence(tokens, "np:description", BASED_IN * 0.9))


def _named_by(noun: Token, ctx: Reading) -> Mention | None:
    """Who a relational noun describes: its apposition partner, the subject
    of a copula or of an "as" phrase, or the name right after it."""
    after = ctx.index.at_index(noun.i + 1)
    if after is not None:
        return after  # "TikTok's parent ByteDance"
    if noun.dep_ == "appos" or any(c.dep_ == "appos" and c.i == noun.i for c in noun.head.children):
        return ctx.own_mention(noun.head)
    for c in noun.children:
        if c.dep_ == "appos" and ctx.own_mention(c) is not None:
            return ctx.own_mention(c)
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "as" else (
        noun.head if noun.dep_ in ("attr", "oprd") else None)
    if verb is not None:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return ctx.own_mention(subjects[0]) if subjects else None
    return None


def relational_noun_facts(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "ByteDance, TikTok's parent", "emerged as ByteDance's chosen partner"."""
    spec = ctx.lex.relational_nouns.get(noun.lemma_.lower())
    if spec is None or noun.pos_ != "NOUN":
        return
    marker = [c for c in noun.lefts if c.dep_ == "poss"]
    owner = ctx.own_mention(marker[0]) if marker else None
    named = _named_by(noun, ctx) if owner is not None else None
    if named is None or named.key == owner.key:
        return
    prop, inverse = spec
    subject, obj = (owner, named) if inverse else (named, owner)
    yield RelationCandidate(subject, prop, obj,
                            ctx.evidence([noun, marker[0]], f"np:{noun.lemma_.lower()}", 0.7))


def _trivially_owned(thing: Mention, head: Token, ctx: Reading) -> bool:
    """ "Micron products", "its processors": a node that is only the company's
    name and a catch-all product word (``structure.generic_products``); that
    the company owns it says nothing. A thing qualified by a technology or a
    number ("Huawei 5G chips") is kept."""
    if head.lemma_.lower() not in ctx.lex.generic_products:
        return False
    owner = ctx.owners[thing.key]
    words = ctx.doc[head.left_edge.i:head.i]
    return not any(t.like_num or (ctx.index.at(t) not in (None, owner)
                                  and ctx.index.at(t).type == "Technology") for t in words)


def extract_structural(ctx: Reading) -> Iterator[RelationCandidate]:
    """Every structural fact of the document: noun phrases here, clauses and
    descriptions in ``ownership``, offices without a named organization in ``roles``."""
    facts = list(_noun_phrase_facts(ctx))
    facts += extract_ownership(ctx)
    facts += extract_roles(ctx, facts)
    yield from facts


def _noun_phrase_facts(ctx: Reading) -> Iterator[RelationCandidate]:
    for mention in ctx.index.mentions:
        if mention.key.startswith("group:"):
            yield from group_facts(mention, ctx)
        else:
            yield from nationality_facts(mention, ctx)
    for tok in ctx.doc:
        if tok.tag_ == "POS" and tok.i > 0:
            yield from possessive_facts(tok, ctx)
        yield from description_facts(tok, ctx)
        yield from relational_noun_facts(tok, ctx)
        thing = ctx.owned_thing(tok) if ctx.index.at(tok) is None else None
        if thing is not None and not _trivially_owned(thing, tok, ctx):
            yield RelationCandidate(ctx.owners[thing.key], "owns", thing,
                                    ctx.evidence([tok], "np:owned-thing", OWNS))
