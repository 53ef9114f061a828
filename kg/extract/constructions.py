"""Constructions that span more than one verb: exclusion by prohibition or
refusal, reciprocal cooperation, and supply read backwards from its buyer.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.arguments import descend_to_actors, object_heads, prep_objects, subject_heads
from kg.extract.pairs import relate
from kg.extract.polarity import polarity
from kg.extract.reading import Reading
from kg.extract.relations import toward_actor

SUPPLIERS = {"Company", "CompanyGroup", "Country"}
LOCATIVE = frozenset({"in", "at", "on", "across", "within", "inside", "throughout"})
PARTIES = {"Country", "Person", "Company", "GovernmentBody", "InternationalOrganization",
           "CountryGroup"}


def _governor(act: Token, ctx: Reading) -> Token | None:
    """The prohibiting or refusing verb above a supply act, if any:
    "barred X from buying" / "refused to buy" / "stop buying"."""
    prohibitors = ctx.lex.exclusions.get("prohibitors", frozenset())
    if act.dep_ == "pcomp" and act.head.lower_ == "from":
        gov = act.head.head
    elif act.dep_ == "xcomp":
        gov = act.head
    else:
        return None
    return gov if gov.lemma_.lower() in prohibitors else None


def _announced_prohibition(act: Token, ctx: Reading) -> Token | None:
    """ "PTS said operators must not use products from Huawei": a prohibition
    announced in reported speech; returns the speech verb."""
    modal = any(c.dep_ == "aux" and c.lower_ in ("must", "may", "can", "could", "shall", "should")
                for c in act.children)
    negated = any(c.dep_ == "neg" for c in act.children)
    clause = act
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    speech = clause.head if clause.dep_ == "ccomp" else None
    if modal and negated and speech is not None and \
            speech.lemma_.lower() in ctx.lex.speech_verbs:
        return speech
    return None


def _prohibitor_subjects(gov: Token, ctx: Reading) -> list[Token]:
    # "told operators to stop buying": the one who told is the one who excludes.
    if gov.dep_ == "xcomp":
        entry = ctx.lex.verbs.get(gov.head.lemma_.lower())
        if entry is not None and entry.property == "pressures":
            return subject_heads(gov.head, ctx)
    return subject_heads(gov, ctx)


def _suppliers(act: Token, ctx: Reading) -> list[Token]:
    preps = ctx.lex.exclusions.get("supplier_preps", frozenset())
    heads = [p for prep in preps for p in prep_objects(act, prep)]
    for obj in object_heads(act):
        heads.append(obj)
        heads += [p for prep in preps for p in prep_objects(obj, prep)]
    # "new customers in the United States": where the buyers are is no supplier
    return [a for h in heads for a in descend_to_actors(h, ctx, skip=LOCATIVE)]


def exclusion_relations(act: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """Who bars, stops or refuses buying from a supplier excludes that supplier."""
    if act.lemma_.lower() not in ctx.lex.exclusions.get("acts", frozenset()):
        return
    gov = _governor(act, ctx) or _announced_prohibition(act, ctx)
    if gov is None or polarity(gov, ctx) == "negative":  # "did not bar them from buying"
        return
    actors, suppliers = _prohibitor_subjects(gov, ctx), _suppliers(act, ctx)
    prop = "excludes"
    if act.lemma_.lower() in ctx.lex.exclusions.get("dealing_acts", frozenset()) and \
            gov.lemma_.lower() not in ctx.lex.refusal_verbs and gov.dep_ != "xcomp":
        prop = "sanctions"
    if actors and suppliers:
        candidates = relate(ctx, gov, actors, suppliers, prop,
                            f"exclusion:{gov.lemma_.lower()}+{act.lemma_.lower()}",
                            float(ctx.lex.exclusions.get("confidence", 0.65)))
        for rc in candidates:  # "from buying Micron chips" excludes Micron
            maker = ctx.owners.get(rc.obj.key)
            if maker is not None:
                rc = RelationCandidate(rc.subject, rc.predicate, maker, rc.evidence,
                                       rc.polarity, rc.modality)
            if rc.obj.type in SUPPLIERS | {"Product"}:
                yield rc


def reciprocal_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X and Y agreed to a truce", "he and Xi were working together"."""
    if verb.lemma_.lower() not in ctx.lex.reciprocal_verbs or verb.pos_ != "VERB":
        return
    heads = [c for c in verb.children if c.dep_ == "nsubj"]
    if not heads or not heads[0].conjuncts:
        return
    def joint(obj: Token) -> bool:  # "signed a memorandum" (with each other)
        nominal = ctx.lex.nominals.get(obj.lemma_.lower())
        return nominal is not None and nominal.property == "cooperatesWith" and not any(
            c.dep_ == "prep" and c.lower_ == "with" for c in obj.children)
    if any((c.dep_ == "prep" and c.lower_ in ("in", "with")) or (c.dep_ == "dobj" and not joint(c))
           for c in verb.children):
        return  # "X and Y took part in Z", "signed deals with Z": not with each other
    parties: list[Mention] = []
    for h in (heads[0], *heads[0].conjuncts):
        m = ctx.own_mention(h) or ctx.corefer(h)
        if m is not None and m not in parties:
            parties.append(m)
    actors = [m for m in parties if m.type in PARTIES]
    pol = polarity(verb, ctx)
    for a, b in combinations(actors, 2):
        if a.key != b.key:
            ev = ctx.evidence([heads[0], verb], f"reciprocal:{verb.lemma_.lower()}", 0.6)
            yield RelationCandidate(a, "cooperatesWith", b, ev, pol)


def supply_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "BT uses Huawei gear", "relies on suppliers such as Qualcomm": the
    object's maker supplies the subject."""
    confidence = ctx.lex.supplied_by.get(verb.lemma_.lower())
    if confidence is None or _governor(verb, ctx) is not None:
        return
    objects = object_heads(verb) + prep_objects(verb, "on") + prep_objects(verb, "upon")
    buyers = subject_heads(verb, ctx)
    if not objects or not buyers:
        return
    for rc in relate(ctx, verb, buyers, objects, "supplies", f"supplied-by:{verb.lemma_.lower()}",
                     confidence):
        supplier = ctx.owners.get(rc.obj.key, rc.obj)  # "uses Huawei gear": Huawei supplies
        if supplier.type in ("Company", "CompanyGroup") and rc.subject.type != "Person":
            yield RelationCandidate(supplier, "supplies", rc.subject, rc.evidence, rc.polarity,
                                    rc.modality)


def reaction_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Beijing reacted with dismay": the reacting party opposes whoever acted
    against it (or the story's main actor)."""
    if verb.lemma_.lower() not in ctx.lex.reaction_verbs:
        return
    words = {t.lower_ for t in verb.subtree if t.i > verb.i} | {
        t.lower_ for t in verb.children if t.dep_ == "advmod"}
    if not words & ctx.lex.negative_reactions:
        return
    subjects = [m for h in subject_heads(verb, ctx) for m in ctx.resolve(h)]
    yield from toward_actor(ctx, verb, subjects, "opposes", [verb],
                            f"reaction:{verb.lemma_.lower()}", 0.65,
                            state=all(s.type == "Country" for s in subjects))


def _feeling_subjects(word: Token) -> list[Token]:
    """Who has the feeling: the subject of "was disappointed", "is concerned"."""
    own = [c for c in word.children if c.dep_ in ("nsubj", "nsubjpass")]
    if own or word.dep_ not in ("acomp", "oprd"):
        return own
    return [c for c in word.head.children if c.dep_ in ("nsubj", "nsubjpass")]


def feeling_relations(word: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Huawei was deeply disappointed by the decision", "said it was shocked":
    the party opposes the act's author (or whoever acted against it); concern
    about a named actor accuses it."""
    feelings = ctx.lex.feelings
    lemma = word.lemma_.lower()
    opposing = feelings.get("opposing", ())
    if lemma not in opposing and word.lower_ not in opposing:
        return
    if word.pos_ not in ("ADJ", "VERB") or (lemma in ctx.lex.verbs and word.dep_ != "acomp"):
        return  # a verb of the lexicon reads its own arguments
    heads = _feeling_subjects(word)
    parties = [m for h in heads for m in ctx.resolve(h) if m.type in PARTIES]
    if not parties:
        return
    targets = [p for prep in feelings.get("preps", ()) for p in prep_objects(word, prep)]
    rule = f"feeling:{lemma}"
    if not targets:
        verb = word.head if word.dep_ == "acomp" else word
        yield from toward_actor(ctx, verb, parties, "opposes", [word], rule, 0.65,
                                state=all(s.type == "Country" for s in parties))
        return
    for rc in relate(ctx, word, heads, targets, "opposes", rule, 0.6):
        named = rc.obj.type not in ("Initiative",) and lemma in feelings.get("accusing", ())
        yield rc if not named else RelationCandidate(rc.subject, "accuses", rc.obj, rc.evidence,
                                                     rc.polarity, rc.modality)


def _retaliatory(verb: Token, ctx: Reading) -> bool:
    """ "take (all necessary) measures", "retaliate", "hit back"."""
    spec, lemma = ctx.lex.retaliation, verb.lemma_.lower()
    if lemma in spec.get("acts", ()):
        return True
    particle = spec.get("particles", {}).get(lemma)
    if particle and any(c.dep_ in ("prt", "advmod") and c.lower_ == particle
                        for c in verb.children):
        return True
    return lemma in spec.get("light", ()) and any(
        c.dep_ == "dobj" and c.lemma_.lower() in spec.get("objects", ()) for c in verb.children)


def retaliation_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "China vowed to take all necessary measures", "the ministry said it
    would take countermeasures": a promised retaliation threatens whoever
    acted against the party (or the one named after "against")."""
    if not _retaliatory(verb, ctx):
        return
    spec = ctx.lex.retaliation
    promised = (verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in spec["heads"]) \
        or any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll") for c in verb.children)
    if not promised or polarity(verb, ctx) == "negative":
        return
    heads = subject_heads(verb, ctx)
    rule, conf = f"retaliation:{verb.lemma_.lower()}", float(spec.get("confidence", 0.65))
    targets = prep_objects(verb, "against")
    if targets:
        yield from relate(ctx, verb, heads, targets, "threatens", rule, conf)
        return
    parties = [m for h in heads for m in ctx.resolve(h) if m.type in PARTIES]
    yield from toward_actor(ctx, verb, parties, "threatens", [verb], rule, conf,
                            state=all(s.type == "Country" for s in parties))


def _issuer(noun: Token, verb: Token, ctx: Reading) -> Mention | None:
    """Who issued "the order": the last party that launched one of that name
    before, else the story's main actor."""
    head = noun.lemma_.lower()
    before = ctx.source.original_span(verb.idx, verb.idx + 1)[0]
    launched = [rc.subject for rc in ctx.relations if rc.predicate == "launches"
                and rc.evidence.start_char < before and isinstance(rc.obj, Mention)
                and rc.obj.label.lower().split()[-1].rstrip("s") == head]
    return launched[-1] if launched else ctx.main_actor(verb.i, [])


def deadline_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "gave ByteDance 90 days to sell", "granted the regulator 24 hours to
    act": the giver presses the one given the time (an order that gives it
    stands for whoever issued the order)."""
    spec = ctx.lex.deadlines
    if verb.lemma_.lower() not in spec.get("verbs", ()):
        return
    times = [c for c in verb.children if c.dep_ in ("dobj", "npadvmod")
             and c.lemma_.lower() in spec.get("time_nouns", ())]
    clause = [c for c in verb.children if c.dep_ in ("advcl", "xcomp", "relcl", "ccomp")
              and any(a.lower_ == "to" for a in c.children)]
    clause += [c for t in times for c in t.children if c.dep_ in ("relcl", "acl")]
    given = [c for c in verb.children if c.dep_ in ("dative", "iobj")]
    if not times or not clause or not given:
        return
    subj = subject_heads(verb, ctx)
    issuers = [h for h in subj if ctx.resolve(h)]
    if not issuers and subj and subj[0].lemma_.lower() in ctx.lex.act_nouns | \
            ctx.lex.initiative_heads:
        actor = _issuer(subj[0], verb, ctx)
        issuers = [actor] if actor is not None else []
    yield from relate(ctx, verb, issuers, given, "pressures", f"deadline:{verb.lemma_.lower()}",
                      float(spec.get("confidence", 0.65)))


def extract_reactions(ctx: Reading) -> Iterator[RelationCandidate]:
    """Run last: a reaction looks back at every act and nationality read."""
    for tok in ctx.doc:
        if tok.pos_ in ("VERB", "AUX"):
            yield from reaction_relations(tok, ctx)
            yield from deadline_relations(tok, ctx)
            yield from retaliation_relations(tok, ctx)
        yield from feeling_relations(tok, ctx)


def extract_constructions(ctx: Reading) -> Iterator[RelationCandidate]:
    for tok in ctx.doc:
        if tok.pos_ in ("VERB", "AUX"):
            yield from exclusion_relations(tok, ctx)
            yield from reciprocal_relations(tok, ctx)
            yield from supply_relations(tok, ctx)
