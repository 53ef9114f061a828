"""Acts named by nouns: light verbs with nominals ("imposed sanctions on"),
possessed acts ("Washington's sanctions on Huawei"), lists ("added to the
Entity List"), launched initiatives, pressure, requests and investigations;
and the pass that runs every relation reader over a document.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.arguments import (
    _through_trade,
    descend_to_actors,
    is_passive,
    object_heads,
    prep_objects,
    subject_heads,
)
from kg.extract.pairs import relate
from kg.extract.polarity import modality, polarity
from kg.extract.reading import Act, Reading
from kg.extract.relations import evaluation_relations, toward_actor, verb_relations


def nominal_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "imposed sanctions on X", "filed a lawsuit against X", "sanctions that bar X"."""
    if verb.lemma_.lower() not in ctx.lex.light_verbs:
        return
    nouns = object_heads(verb) if not is_passive(verb) else []
    nouns += prep_objects(verb, "of")  # "warned of consequences for X"
    for noun in nouns:
        nominal = ctx.lex.nominals.get(noun.lemma_.lower())
        if nominal is None or ctx.own_mention(noun) is not None:
            continue
        targets = [p for prep in nominal.preps for p in prep_objects(noun, prep)]
        targets += [p for prep in nominal.preps for p in prep_objects(verb, prep)]
        for clause in noun.children:
            if clause.dep_ in ("relcl", "acl"):
                targets += object_heads(clause)
        if nominal.property != "joins":  # one takes part in the sale, not in its seller
            targets = [x for t in targets for x in _through_trade(t, ctx)]
        # "a lawsuit against the ban": the act stands for whoever took it
        acts = [t for t in targets if nominal.property in ctx.lex.act_targeting
                and t.lemma_.lower() in ctx.lex.act_nouns and ctx.own_mention(t) is None]
        targets = [a for t in targets for a in descend_to_actors(t, ctx)] + acts
        subj = subject_heads(verb, ctx)
        rule = f"nominal:{verb.lemma_.lower()}+{nominal.lemma}"
        if subj and targets:
            yield from relate(ctx, verb, subj, targets, nominal.property, rule, nominal.confidence)
        elif subj and nominal.property == "threatens":
            # "warned of grave consequences": for whoever acted against them
            parties = [m for h in subj for m in ctx.resolve(h)]
            yield from toward_actor(ctx, verb, parties, "threatens", [verb, noun], rule,
                                    nominal.confidence)


def _list_target(verb: Token, ctx: Reading) -> Token | None:
    """The list a verb puts something on, found left to right within the
    verb's clause so that attachment errors do not hide it."""
    spec = ctx.lex.list_verbs
    heads, preps = set(spec.get("list_heads", ())), set(spec.get("preps", ()))
    for tok in verb.subtree:
        if tok.i <= verb.i:
            continue
        m = ctx.index.at(tok)
        named = m is not None and m.label.lower().split()[-1] in heads
        if not (named or tok.lemma_.lower() in heads):
            continue
        window = verb.doc[max(verb.i + 1, tok.i - 5):tok.i]
        if any(t.lower_ in preps for t in window):
            return tok
    return None


def possessed_nominal_relations(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Washington's sanctions on Huawei", "India's ban on TikTok": the
    possessor acts on the nominal's prepositional target."""
    nominal = ctx.lex.nominals.get(noun.lemma_.lower())
    if nominal is None or noun.pos_ != "NOUN":
        return
    owners = [c for c in noun.children if c.dep_ == "poss"]
    targets = [p for prep in nominal.preps for p in prep_objects(noun, prep)]
    if owners and targets:
        targets = [a for t in targets for a in descend_to_actors(t, ctx)]
        yield from relate(ctx, noun, owners, targets, nominal.property,
                          f"nominal:poss+{nominal.lemma}", nominal.confidence * 0.9)


def _initiative_mention(noun: Token, ctx: Reading) -> Mention | None:
    """An unnamed initiative as a node of its document: "executive order"."""
    words = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and t.pos_ != "PRON"
             and t.ent_type_ not in ("ORDINAL", "CARDINAL", "DATE")]
    if not words or any(ctx.index.at(t) is not None for t in words):
        # a bare "initiative" says nothing of which one; "the Clean Network
        # program" is the named one
        return None
    label = " ".join([*(t.lower_ for t in words), noun.lemma_.lower()])
    start = words[0] if words else noun
    return Mention(f"act:{ctx.source.doc_id}:{label}", ctx.doc[start.i:noun.i + 1].text, label,
                   "Initiative", start.idx, noun.idx + len(noun.text))


def launch_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Trump signed an executive order", "the settlement announced by Ross"."""
    if verb.lemma_.lower() not in ctx.lex.launch_verbs:
        return
    if verb.dep_ == "acl" and any(c.dep_ == "agent" for c in verb.children):
        nouns, subj = [verb.head], subject_heads(verb, ctx) or [
            p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    else:
        nouns, subj = object_heads(verb), subject_heads(verb, ctx)
    for noun in nouns:
        if noun.lemma_.lower() not in ctx.lex.initiative_heads \
                or ctx.own_mention(noun) is not None or ctx.corefer(noun) is not None:
            continue
        initiative = _initiative_mention(noun, ctx)
        if initiative is None:
            continue
        pol, mod = polarity(verb, ctx), modality(verb, ctx)
        for head in subj:
            for s in ctx.resolve(head):
                ev = ctx.evidence([head, verb, noun], f"launch:{verb.lemma_.lower()}", 0.6)
                yield RelationCandidate(s, "launches", initiative, ev, pol, mod)


FROM_NOUNS = {"pressure": "pressures", "rebuke": "opposes", "criticism": "opposes",
              "condemnation": "opposes", "protest": "opposes", "backlash": "opposes",
              "threat": "threatens", "warning": "threatens"}


def pressure_from(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "came under pressure from Washington", "drew a sharp rebuke from Beijing":
    the one it comes from acts toward the subject."""
    prop = FROM_NOUNS.get(noun.lemma_.lower())
    if prop is None or noun.pos_ != "NOUN":
        return
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "under" else (
        noun.head if noun.dep_ == "dobj" else None)
    sources = prep_objects(noun, "from") or (prep_objects(verb, "from") if verb is not None else [])
    if verb is None or not sources or verb.pos_ not in ("VERB", "AUX"):
        return
    targets = subject_heads(verb, ctx)
    if targets:
        yield from relate(ctx, verb, sources, targets, prop, f"nominal:{noun.lemma_.lower()}-from",
                          0.7)


def at_request(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Canada's arrest of X at Washington's request": the requester pressed
    the one who acted."""
    if noun.lemma_.lower() != "request" or noun.dep_ != "pobj" or noun.head.lower_ != "at":
        return
    requesters = [c for c in noun.children if c.dep_ == "poss"] + prep_objects(noun, "of")
    actors, host = [], noun.head
    for host in list(noun.head.ancestors)[:5]:  # the act the request led to
        if host.pos_ in ("VERB", "AUX"):
            actors = subject_heads(host, ctx)
            break
        actors = [c for c in host.children if c.dep_ == "poss"]
        if actors:
            break
    if requesters and actors:
        yield from relate(ctx, host, requesters, actors, "pressures", "nominal:at-request", 0.65)


def under_investigation(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X was under investigation by Y": Y investigates X."""
    if noun.lemma_.lower() not in ("investigation", "review", "scrutiny", "probe"):
        return
    if noun.dep_ != "pobj" or noun.head.lower_ != "under":
        return
    verb = noun.head.head
    investigators = prep_objects(noun, "by")
    if verb.pos_ in ("VERB", "AUX") and investigators:
        yield from relate(ctx, verb, investigators, subject_heads(verb, ctx), "investigates",
                          "nominal:under-investigation", 0.7)


def list_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "added Huawei to the Entity List", "placed X on a blacklist"."""
    spec = ctx.lex.list_verbs
    if verb.lemma_.lower() not in spec.get("verbs", ()) or _list_target(verb, ctx) is None:
        return
    subj = subject_heads(verb, ctx)
    target = _list_target(verb, ctx).i
    objs = [o for o in object_heads(verb, ctx) if o.i < target or o not in object_heads(verb)]
    if subj and objs:
        yield from relate(ctx, verb, subj, objs, spec.get("property", "sanctions"),
                          f"list:{verb.lemma_.lower()}", float(spec.get("confidence", 0.85)))


def record_unnamed_act(verb: Token, ctx: Reading) -> None:
    """ "Canada arrested Meng", "Canada's arrest of Meng": no triple, but an
    act later reactions answer."""
    if verb.lemma_.lower() not in ctx.lex.unnamed_hostile_acts:
        return
    if verb.pos_ == "NOUN":
        actors = [c for c in verb.children if c.dep_ == "poss"]
        targets = prep_objects(verb, "of")
    elif polarity(verb, ctx) == "positive":
        actors, targets = subject_heads(verb, ctx), object_heads(verb, ctx)
    else:
        return
    # "a Huawei executive", "an executive of Huawei": the act hits the firm too
    targets = [a for t in targets for a in (descend_to_actors(t, ctx) or [t])]
    targets += [c for t in targets for c in t.children
                if c.dep_ in ("compound", "poss") and ctx.index.at(c) is not None]
    for sh in actors:
        for oh in targets:
            ctx.record_acts(Act(verb.i, None, s, o, True) for s in ctx.resolve(sh)
                               for o in ctx.resolve(oh) if s.key != o.key)


def extract_relations(ctx: Reading) -> Iterator[RelationCandidate]:
    """Every relation candidate of the document, in text order."""
    for tok in ctx.doc:
        yield from possessed_nominal_relations(tok, ctx)
        yield from pressure_from(tok, ctx)
        yield from at_request(tok, ctx)
        yield from under_investigation(tok, ctx)
        if tok.pos_ == "NOUN":
            record_unnamed_act(tok, ctx)
        if tok.pos_ not in ("VERB", "AUX") \
                and not (tok.dep_ == "ROOT" and tok.tag_.startswith("VB")):
            if not (tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "ROOT" and tok.tag_ == "NNS"):
                continue
        record_unnamed_act(tok, ctx)
        yield from verb_relations(tok, ctx)
        yield from launch_relations(tok, ctx)
        yield from evaluation_relations(tok, ctx)
        yield from nominal_relations(tok, ctx)
        yield from list_relations(tok, ctx)
