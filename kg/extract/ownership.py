"""Ownership and membership carried by clauses and descriptions:

- reduced and full relative clauses of ownership: "the app owned by X",
  "a tabloid published by X", "X, which owns 37% of Y", "the provider that X
  also controls";
- relational nouns with "of" or a name before them: "a unit of X", "X, a Y unit";
- possessive pronouns before product names: "its Facebook and Instagram networks";
- membership: "an alliance that includes A, B and C", "the first of the G7
  countries to ...", "the only G7 member to ...", "the department's Bureau of X".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.phrases import RELATIVE
from kg.extract.reading import Reading

ORGS = {"Company", "GovernmentBody", "InternationalOrganization", "Organization"}
GROUPS = {"InternationalOrganization", "CountryGroup", "Organization"}
OWNS = 0.75
MEMBER_OF = 0.7
AMOUNT_WORDS = {"%", "percent", "per", "stake", "share", "shares", "majority", "control"}


def described(noun: Token, ctx: Reading) -> Mention | None:
    """The entity a describing noun stands for: a name itself, its apposition
    partner ("X, a tabloid ..."), or the subject of a copula ("X is an alliance")."""
    m = ctx.index.at(noun)
    if m is not None:
        return m
    if noun.dep_ == "appos":
        return ctx.index.at(noun.head) or ctx.own_mention(noun.head)
    for c in noun.children:
        if c.dep_ == "appos" and ctx.index.at(c) is not None:
            return ctx.index.at(c)
    if noun.dep_ in ("attr", "oprd"):
        subjects = [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return ctx.own_mention(subjects[0]) if subjects else None
    if noun.dep_ == "compound" and noun.head.i > noun.i:  # "NATO member Poland"
        return ctx.index.at(noun.head)
    return None


def _party(tok: Token, clause: Token, ctx: Reading) -> Mention | None:
    """The mention an argument of a clause names; a relative pronoun stands
    for the noun the clause hangs on, an amount ("37% of Y") for its whole."""
    if tok.lower_ in RELATIVE and clause.dep_ == "relcl":
        return described(clause.head, ctx)
    if tok.lower_ in AMOUNT_WORDS or tok.like_num:
        wholes = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "in")
                  for p in c.children if p.dep_ == "pobj"]
        return ctx.own_mention(wholes[0]) if wholes else None
    return ctx.own_mention(tok) or ctx.corefer(tok)


def _agents(verb: Token, ctx: Reading) -> list[Mention]:
    pobjs = [p for a in verb.children if a.dep_ == "agent" for p in a.children
             if p.dep_ == "pobj"]
    heads = [h for p in pobjs for h in (p, *p.conjuncts)]
    return [m for m in (ctx.own_mention(h) for h in heads) if m is not None]


def _owns(owner: Mention | None, owned: Mention | None) -> bool:
    return (owner is not None and owned is not None and owner.key != owned.key
            and owner.type in ORGS | {"Person"} and owned.type in {"Company", "Product"})


def ownership_clause_facts(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Y, the firm owned by X" / "Y, which X controls" / "X, which owns 37% of Y"."""
    if verb.lemma_.lower() not in ctx.lex.ownership_verbs or verb.pos_ not in ("VERB", "AUX"):
        return
    pairs: list[tuple[Mention | None, Mention | None]] = []
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # reduced relative: "owned by X"
        owned = described(verb.head, ctx)
        pairs = [(owner, owned) for owner in _agents(verb, ctx)]
    elif verb.dep_ == "relcl":
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if passive:  # "which is owned by X"
            pairs = [(owner, described(verb.head, ctx)) for owner in _agents(verb, ctx)]
        else:
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            obj = [c for c in verb.children if c.dep_ == "dobj"]
            if subj and obj:
                pairs = [(_party(subj[0], verb, ctx), _party(obj[0], verb, ctx))]
    for owner, owned in pairs:
        if _owns(owner, owned):
            yield RelationCandidate(owner, "owns", owned,
                                    ctx.evidence([verb.head, verb], "clause:owns", OWNS))


def relational_of_facts(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "a unit of X", "X, a Y unit", "the parent of Y": relational nouns whose
    other party is an of-phrase or a name written before the noun."""
    spec = ctx.lex.relational_nouns.get(noun.lemma_.lower())
    if spec is None or noun.pos_ != "NOUN" or ctx.index.at(noun):
        return
    other = None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = [p for p in c.children if p.dep_ == "pobj"]
            other = pobj and (ctx.own_mention(pobj[0]) or ctx.corefer(pobj[0]))
        elif c.dep_ in ("compound", "nmod") and c.i < noun.i and ctx.index.at(c) is not None:
            other = ctx.index.at(c)
    if other is None and noun.i > 0 and noun.dep_ == "compound":
        other = ctx.index.at(ctx.doc[noun.i - 1])  # "NATO member Poland": a flat compound
    named = described(noun, ctx)
    if not other or named is None or other.key == named.key:
        return
    owner, owned = (other, named) if spec[1] else (named, other)
    if spec[0] != "owns" or _owns(owner, owned):
        # "a supplier of Apple" (supplies), "a member of NATO" (memberOf)
        yield RelationCandidate(owner, spec[0], owned,
                                ctx.evidence([noun], f"np:{noun.lemma_.lower()}-of", OWNS))


def pronoun_owner_facts(product: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "its Facebook and Instagram networks": a product named after "its"
    belongs to the company the pronoun stands for."""
    if product.type != "Product" or product.key.startswith(("group:", "owned:")):
        return
    start, end = ctx.index.span_of(product)
    tok = ctx.doc[start:end].root
    while tok.dep_ == "conj":  # "its A and B networks": B shares A's pronoun
        tok = tok.head
    holders = [tok]
    if tok.dep_ in ("compound", "nmod", "amod"):
        # "its Kirin processors", not "its Weibo account": the noun must name a product
        lemma = tok.head.lemma_.lower()
        if ctx.lex.class_nouns.get(lemma) != "Product" and lemma not in ctx.lex.owned_things:
            return
        holders.append(tok.head)
    poss = [c for h in holders for c in h.children
            if c.dep_ == "poss" and c.tag_ == "PRP$" and c.lower_ in ("its", "their")]
    owner = ctx.corefer(poss[0]) if poss else None
    if owner is not None and owner.type == "Company" and owner.key != product.key:
        yield RelationCandidate(owner, "owns", product,
                                ctx.evidence([poss[0], ctx.doc[start]], "poss:its", OWNS * 0.9))


def _group_of(tok: Token, ctx: Reading) -> Mention | None:
    m = described(tok, ctx) if tok.pos_ in ("NOUN", "PROPN") else None
    return m if m is not None and m.type in GROUPS else None


def inclusion_facts(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "an alliance that also includes A, B and C" -> each memberOf the alliance."""
    if verb.lemma_.lower() not in ctx.lex.membership_verbs or verb.pos_ != "VERB":
        return
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj:
        return
    group = _group_of(verb.head if subj[0].lower_ in RELATIVE and verb.dep_ == "relcl"
                      else subj[0], ctx)
    objs = [o for c in verb.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)]
    for obj in objs:
        member = ctx.own_mention(obj)
        if group is not None and member is not None and member.type == "Country" \
                and member.key != group.key:
            yield RelationCandidate(member, "memberOf", group,
                                    ctx.evidence([verb, obj], "clause:includes", MEMBER_OF))


def _rank_group(tok: Token, ctx: Reading) -> Mention | None:
    """ "the first of the G7 countries" / "the only G7 country": the group."""
    lex = ctx.lex
    if tok.lower_ in lex.rank_words:
        for c in tok.children:
            for p in (p for p in c.children if c.dep_ == "prep" and c.lower_ == "of"
                      and p.dep_ == "pobj"):
                if p.lemma_.lower() in lex.member_nouns or _group_of(p, ctx):
                    return _group_of(p, ctx) or _named_modifier(p, ctx)
        return None
    if tok.lemma_.lower() in lex.member_nouns and tok.tag_ in ("NN", "NNP") and any(
            c.lower_ in lex.rank_words for c in tok.children if c.dep_ in ("amod", "advmod")):
        return _named_modifier(tok, ctx)
    return None


def _named_modifier(noun: Token, ctx: Reading) -> Mention | None:
    for c in noun.children:
        m = ctx.index.at(c) if c.dep_ in ("compound", "nmod") else None
        if m is not None and m.type in GROUPS:
            return m
    return None


def _rank_holder(tok: Token, ctx: Reading) -> Mention | None:
    """Who holds the rank: "makes X the first", "X, the first", "X is the
    only", "X joined as the only"."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "appos") and ctx.own_mention(c) is not None:
            return ctx.own_mention(c)
    if tok.dep_ == "pobj" and tok.head.lower_ == "as":
        verb = tok.head.head
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        return ctx.own_mention(subj[0]) if subj else None
    if tok.dep_ in ("oprd", "ccomp", "xcomp"):
        objs = [c for c in tok.head.children if c.dep_ == "dobj"]
        return ctx.own_mention(objs[0]) if objs else None
    return described(tok, ctx)


def rank_facts(tok: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    group = _rank_group(tok, ctx)
    holder = _rank_holder(tok, ctx) if group is not None else None
    if holder is not None and holder.type == "Country" and holder.key != group.key:
        yield RelationCandidate(holder, "memberOf", group,
                                ctx.evidence([tok], "np:rank-of-group", MEMBER_OF))


def body_part_facts(marker: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "the department's Bureau of X": a government body's named part is its member."""
    possessor = marker.head if marker.dep_ == "case" else ctx.doc[marker.i - 1]
    whole = ctx.index.at(possessor) or ctx.corefer(possessor)
    part, tokens = possessed_name(marker, ctx)
    if whole is None or part is None or whole.key == part.key:
        return
    if whole.type in ("GovernmentBody", "InternationalOrganization") and \
            part.type == "GovernmentBody":
        yield RelationCandidate(part, "memberOf", whole,
                                ctx.evidence([possessor, marker, *tokens], "poss:part-of",
                                             MEMBER_OF))


def _possessive_description(mention: Mention, ctx: Reading) -> tuple[Mention, Token] | None:
    """ ", Meta's messaging service", ", Britain's largest chip plant": the
    possessor and head noun of a possessive description after a name."""
    end = ctx.index.span_of(mention)[1]
    doc = ctx.doc
    if end + 2 >= len(doc) or doc[end].text != ",":
        return None
    marker = next((t for t in doc[end + 1:end + 5] if t.tag_ == "POS"), None)
    if marker is None:
        return None
    owner_tok = doc[marker.i - 1]
    owner = ctx.index.at(owner_tok) or ctx.corefer(owner_tok)
    head = None
    for tok in doc[marker.i + 1:marker.i + 7]:
        if tok.pos_ not in ("ADJ", "NOUN", "PROPN", "ADV") \
                and tok.tag_ not in ("HYPH", "VBN", "VBG"):
            break
        head = tok if tok.pos_ == "NOUN" else head
    if owner is None or head is None or head.lemma_.lower() not in ctx.lex.kind_nouns:
        return None
    return owner, head


def possessive_description_facts(mention: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "WhatsApp, Meta's messaging service" (owns); "Harbour Fab, Britain's
    largest chip plant" (basedIn)."""
    if mention.type not in ("Company", "Product") or mention.key.startswith("group:"):
        return
    found = _possessive_description(mention, ctx)
    if found is None or found[0].key == mention.key:
        return
    owner, head = found
    if owner.type in ("Company", "Person"):
        yield RelationCandidate(owner, "owns", mention,
                                ctx.evidence([head], "appos:possessor-owns", OWNS))
    elif owner.type == "Country":
        yield RelationCandidate(mention, "basedIn", owner,
                                ctx.evidence([head], "appos:possessor-country", OWNS))


def origin_facts(mention: Mention, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Ericsson of Sweden"; "Nokia is a Finnish company": where a firm is from."""
    if mention.type not in ("Company", "Product") or mention.key.startswith("group:"):
        return
    head = ctx.doc[ctx.index.span_of(mention)[1] - 1]
    countries = [ctx.country_at(p) for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for p in c.children if p.dep_ == "pobj"]
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
        for attr in (c for c in head.head.children if c.dep_ == "attr"):
            if attr.lemma_.lower() in ctx.lex.kind_nouns:  # "is a Finnish company"
                countries += [ctx.country_at(a) for a in attr.children if a.dep_ in ("amod",
                                                                                     "compound")]
    for country in {c.key: c for c in countries if c is not None}.values():
        yield RelationCandidate(mention, "basedIn", country,
                                ctx.evidence([head], "np:origin", OWNS))


def extract_ownership(ctx: Reading) -> Iterator[RelationCandidate]:
    """Every clause- and description-borne ownership and membership fact."""
    for mention in ctx.index.mentions:
        yield from pronoun_owner_facts(mention, ctx)
        yield from possessive_description_facts(mention, ctx)
        yield from origin_facts(mention, ctx)
    for tok in ctx.doc:
        yield from ownership_clause_facts(tok, ctx)
        yield from relational_of_facts(tok, ctx)
        yield from inclusion_facts(tok, ctx)
        yield from rank_facts(tok, ctx)
        if tok.tag_ == "POS" and tok.i > 0:
            yield from body_part_facts(tok, ctx)


def possessed_name(marker: Token, ctx: Reading) -> tuple[Mention | None, list[Token]]:
    """The name a possessive marker points at, read left to right so that
    lists survive parse errors: "France's Orange, Spain's Telefonica" and
    "Tencent's popular messaging app WeChat"."""
    between = []
    for tok in ctx.doc[marker.i + 1: marker.i + 7]:
        m = ctx.index.at(tok)
        if m is not None:
            return m, between + [tok]
        modifier = tok.pos_ in ("ADJ", "NOUN", "ADV") or tok.tag_ in ("VBG", "VBN", "HYPH")
        if not modifier or tok.lemma_.lower() in ctx.lex.relational_nouns:
            break  # "Vodafone's supplier Huawei" is no possession of Huawei
        between.append(tok)
    return None, between
