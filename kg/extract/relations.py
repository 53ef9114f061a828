"""Relations over the dependency parse: verbs, light verbs with nominals,
list verbs, with voice, control, relative clauses, negation and modality.

Argument structure lives in ``arguments``, negation and modality in
``polarity``; this module builds the candidates.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.agents import implicit_agents
from kg.extract.arguments import (
    _particle,
    is_passive,
    lexicon_lemma,
    object_heads,
    prep_objects,
    subject_heads,
)
from kg.extract.measures import blocked_measure
from kg.extract.pairs import COERCIVE, HOSTILE_ACTS, relate
from kg.extract.polarity import modality, polarity
from kg.extract.reading import Reading
from kg.lexicon import VerbEntry

UNDOING = {"reconsider", "reverse", "drop", "withdraw", "lift", "correct", "revoke", "rescind",
           "change", "rethink", "scrap", "abandon"}


def _complement_ok(verb: Token, entry: VerbEntry) -> bool:
    if not entry.complement:
        return True
    words = {t.lemma_.lower() for t in verb.subtree}
    return bool(words & entry.complement)


def _designation_objects(verb: Token, ctx: Reading) -> list[Token]:
    """For "labelled X a threat": the object and any name before the complement."""
    starts = [c.left_edge.i for c in verb.children
              if c.dep_ in ("oprd", "attr", "xcomp", "ccomp") and c.i > verb.i]
    entry = ctx.lex.verbs.get(verb.lemma_.lower())
    threats = [t.i for t in verb.subtree if t.i > verb.i and entry is not None
               and t.lemma_.lower() in entry.complement]
    end = min(starts + threats[:1], default=verb.right_edge.i + 1)
    named = []
    for i in range(verb.i + 1, end):
        m = ctx.index.at_index(i)
        possessor = i + 1 < len(verb.doc) and verb.doc[i + 1].tag_ == "POS"
        if m is not None and m is not ctx.index.at_index(i - 1) and verb.doc[i].dep_ != "poss" \
                and not possessor:
            named.append(verb.doc[i])
    # "considers Huawei a threat", parsed as a small clause
    clause_subjects = [s for c in verb.children if c.dep_ == "ccomp" for s in c.children
                       if s.dep_ == "nsubj"]
    return object_heads(verb) + named + clause_subjects


def _joins_implicit(verb: Token, subj: list[Token], ctx: Reading, rule: str,
                    confidence: float) -> Iterator[RelationCandidate]:
    if any(c.dep_ in ("prep", "dobj") for c in verb.children):
        return
    initiatives = [m for m in ctx.index.mentions if m.type == "Initiative"
                   and m.end_char <= verb.idx]
    if not initiatives:
        return
    counts: dict[str, int] = {}
    for m in initiatives:  # the most talked-about initiative so far, the latest on a tie
        counts[m.key] = counts.get(m.key, 0) + 1
    target = max(reversed(initiatives), key=lambda m: counts[m.key])
    for head in subj:
        for s in ctx.resolve(head):
            ev = ctx.evidence([head, verb], rule + ":implicit", confidence * 0.8)
            yield RelationCandidate(s, "joins", target, ev, polarity(verb, ctx),
                                    modality(verb, ctx))


def _whether_objects(verb: Token) -> list[Token]:
    """ "reviews whether to allow Huawei gear": what the open question is about."""
    out = []
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp") and any(m.lower_ in ("whether", "if") for m in c.subtree):
            out += object_heads(c)
    return out


def _addressees(verb: Token) -> list[Token]:
    """ "demanded that Ottawa release her", "insisted Rome drop the plan": the
    subject of the demanded clause is the one pressed."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return [s for c in clauses for s in c.children if s.dep_ in ("nsubj", "nsubjpass")
            and s.lower_ not in ("it", "this", "that", "there")]


def _causer(verb: Token, ctx: Reading) -> Token | None:
    """The verb that orders a passive act done: "ordered X to be removed"
    (read as an open complement, or as an infinitive on the object)."""
    if not is_passive(verb) or any(c.dep_ == "agent" for c in verb.children):
        return None
    head = verb.head
    if verb.dep_ in ("relcl", "acl") and head.dep_ == "dobj":
        head = head.head
    elif verb.dep_ != "xcomp":
        return None
    return head if head.lemma_.lower() in ctx.lex.causatives else None


def _experiencers(verb: Token) -> list[Token]:
    # "X was disappointed by Y": X feels it, whatever the voice; "Huawei,
    # headquartered in China": the noun the participle describes
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not own and verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        return [verb.head]
    return own


def toward_actor(ctx: Reading, verb: Token, parties: list[Mention], prop: str,
                 tokens: list[Token], rule: str, confidence: float,
                 state: bool = False) -> Iterator[RelationCandidate]:
    """``prop`` from each party to whoever acted against it before ``verb``
    (with ``state``, a state answers the state behind an agency)."""
    target = ctx.main_actor(verb.i, parties, strict=True)
    if target is not None and state:
        target = ctx.state_of(target) or ctx.serving_state(target) or target
    elif target is not None and all(p.type != "Person" for p in parties):
        target = ctx.serving_state(target) or target  # a minister acts for the state
    for party in parties:
        if target is not None and target.key != party.key:
            yield RelationCandidate(party, prop, target, ctx.evidence(tokens, rule, confidence),
                                    polarity(verb, ctx), modality(verb, ctx))


def evaluation_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "called the ban unfair", "described the move as discriminatory"."""
    if verb.lemma_.lower() not in ctx.lex.evaluation_verbs:
        return
    objs = object_heads(verb)
    after = [t for t in verb.subtree if t.i > verb.i and all(t.i > o.i for o in objs)]
    words = [w for t in after for w in (t.lower_, t.lemma_.lower())]
    props = {ctx.lex.evaluations[w] for w in words if w in ctx.lex.evaluations}
    subj = subject_heads(verb, ctx)
    if len(props) != 1 or not subj or not objs:
        return
    prop = props.pop()
    if objs[0].lower_ in ("it", "this", "that") and prop == "opposes":
        # "called it a wrong decision": whoever acted against the speaker
        yield from toward_actor(ctx, verb, [m for h in subj for m in ctx.resolve(h)], prop,
                                [verb, objs[0]], f"evaluation:{verb.lemma_.lower()}", 0.6)
        return
    yield from relate(ctx, verb, subj, objs, prop, f"evaluation:{verb.lemma_.lower()}", 0.65)


def _instigators(verb: Token, ctx: Reading) -> list[Token]:
    """ "instructed operators to block the site": the one who instructs acts
    through those instructed (an authority ordering a coercive act)."""
    if verb.dep_ == "conj" and verb.head.dep_ == "xcomp":
        verb = verb.head  # "ordered agencies to identify X and strip it out"
    head = verb.head
    if verb.dep_ != "xcomp" or head.lemma_.lower() not in ctx.lex.causatives:
        return []
    if not any(c.dep_ == "dobj" for c in head.children) or polarity(head, ctx) == "negative":
        return []
    return subject_heads(head, ctx)


def _measure_pairs(ctx: Reading, verb: Token, subj: list, measure: Mention, rule: str,
                   confidence: float) -> Iterator[RelationCandidate]:
    pol, mod = polarity(verb, ctx), modality(verb, ctx)
    for head in subj:
        for s in ([head] if isinstance(head, Mention) else ctx.resolve(head)):
            ev = ctx.evidence([verb], rule + ":measure", confidence)
            yield RelationCandidate(s, "blocks", measure, ev, pol, mod)


def _domain_words(prep: Token) -> set[str]:
    """The nouns a "from" phrase keeps someone out of ("from its 5G networks"),
    not the words of an activity it bars ("from signing a deal for its core")."""
    return {p.lemma_.lower() for p in prep.children if p.dep_ == "pobj" and p.pos_ == "NOUN"}


def _agentless(verb: Token, entry: VerbEntry) -> bool:
    """A coercive act in the passive with no "by" phrase, in a clause of its own."""
    props = {entry.property, *entry.with_prep.values()}
    return (is_passive(verb) and bool(props & COERCIVE)
            and not any(c.dep_ == "agent" for c in verb.children)
            and verb.dep_ not in ("relcl", "acl", "amod", "xcomp"))


DIRECTIVE_MODALS = {"must", "should", "shall", "need", "have", "has", "had", "to"}


def _directive_clause(verb: Token) -> bool:
    """ "told X to stop", "told X that it must stop": a clause that directs;
    "told the court that the firm did nothing wrong" only reports."""
    for c in verb.children:
        if c.dep_ == "xcomp":
            return True
        if c.dep_ == "ccomp" and (
                any(a.dep_ == "aux" and a.lower_ in DIRECTIVE_MODALS for a in c.children)
                or c.lemma_.lower() == "have" and any(x.dep_ == "xcomp" for x in c.children)):
            return True
    return False


def _temporal(prep: Token) -> bool:
    """ "barred from next month": a preposition that only dates the act."""
    return any(p.ent_type_ in ("DATE", "TIME") for p in prep.children if p.dep_ == "pobj")


def verb_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """What a verb of the lexicon states: its subjects acting on its objects
    and prepositional objects, or answering whoever acted against them."""
    found = _verb_entry(verb, ctx)
    if found is None:
        return
    entry, particle = found
    agents = _verb_agents(verb, entry, ctx)
    if agents is None:
        return
    subj, causer, confidence = agents
    prop, rule = _verb_property(verb, entry, ctx)
    if prop and _complement_ok(verb, entry):
        stopped = yield from _object_relations(verb, entry, ctx, (subj, causer, particle),
                                               prop, rule, confidence)
        if stopped:
            return
    for prep, prop in entry.preps.items():
        objs = prep_objects(verb, prep)
        if prop == "designatesAsThreat":
            # "viewed X as a threat": the threat is the prepositional object.
            if not _complement_ok(verb, entry):
                continue
            objs = object_heads(verb)
        if objs:
            yield from relate(ctx, verb, subj, objs, prop, f"verb:{entry.lemma}+{prep}",
                              confidence)
    answer = _answer_without_object(verb, entry)
    if answer:  # "Seoul hit back", "Beijing protested": at whoever acted against it
        parties = [m for h in subj for m in ctx.resolve(h)]
        yield from toward_actor(ctx, verb, parties, answer, [verb], f"verb:{entry.lemma}:answer",
                                confidence * 0.85, state=all(p.type == "Country" for p in parties))


def _verb_entry(verb: Token, ctx: Reading) -> tuple[VerbEntry, Token | None] | None:
    """The lexicon entry of a verb and its particle, when the clause is one
    the entry reads."""
    key = lexicon_lemma(verb, ctx.lex.verbs)
    entry = ctx.lex.verbs.get(key) if key else None
    if entry is None:
        return None
    particle = _particle(verb, entry.particle) if entry.particle else None
    if entry.particle and particle is None:
        return None
    if entry.needs_clause and not _directive_clause(verb):
        return None
    if verb.lemma_.lower() in ctx.lex.deny_verbs and any(
            o.lemma_.lower() in ctx.lex.claim_nouns for o in object_heads(verb)):
        return None  # "rejected the allegations" is a denial (see claims), not opposition
    return entry, particle


def _verb_agents(verb: Token, entry: VerbEntry,
                 ctx: Reading) -> tuple[list, Token | None, float] | None:
    """Who acts (subject heads, or agents the clause implies), the verb that
    causes the act if another does, and the confidence left."""
    subj = _experiencers(verb) if entry.experiencer else subject_heads(verb, ctx)
    causer = _causer(verb, ctx)
    if causer is not None:  # "ordered the gear to be stripped out"
        subj = subject_heads(causer, ctx)
    confidence = entry.confidence
    if not subj and _agentless(verb, entry):
        # "sales will be barred from next month, the ministry said"
        subj, factor = implicit_agents(verb, ctx)
        confidence *= factor
    return (subj, causer, confidence) if subj else None


def _verb_property(verb: Token, entry: VerbEntry, ctx: Reading) -> tuple[str, str]:
    """The property a verb states with its prepositions ("barred from") and
    the rule that reads it."""
    prop, rule = entry.property, f"verb:{entry.lemma}"
    for prep, override in entry.with_prep.items():
        for c in verb.children:
            if c.dep_ in ("prep", "prt", "advmod") and c.lower_ == prep and not _temporal(c):
                prop, rule = override, f"verb:{entry.lemma}+{prep}"
                if prop == "restricts" and \
                        _domain_words(c) & ctx.lex.exclusion_domains:
                    prop = "excludes"  # "barred Huawei from its 5G networks"
    if prop in HOSTILE_ACTS and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() in ctx.lex.threat_heads:
        prop, rule = "threatens", f"threat:{verb.head.lemma_.lower()}+{entry.lemma}"
    return prop, rule


def _verb_objects(verb: Token, entry: VerbEntry, ctx: Reading, prop: str,
                  particle: Token | None) -> list[Token]:
    """The heads a verb acts on, with the fallbacks of properties whose object
    is often elsewhere ("reined in Huawei", "asked whether", "urged")."""
    objs = _designation_objects(verb, ctx) if entry.complement else object_heads(verb, ctx)
    if not objs and particle is not None and particle.dep_ == "prep":
        objs = [p for p in particle.children if p.dep_ == "pobj"]  # "reined in Huawei"
    if not objs and prop == "investigates":
        objs = _whether_objects(verb)
    if not objs and prop == "pressures":
        objs = _addressees(verb)
    return objs


def _object_relations(verb: Token, entry: VerbEntry, ctx: Reading, arguments: tuple,
                      prop: str, rule: str, confidence: float):
    """The relations of a verb to its objects; returns True when they are all
    the verb states (a blocked measure, an undoing urged)."""
    subj, causer, particle = arguments
    objs = _verb_objects(verb, entry, ctx, prop, particle)
    if not objs and prop == "joins":
        # "more than 30 countries have joined": the initiative under discussion
        yield from _joins_implicit(verb, subj, ctx, rule, entry.confidence)
    if causer is not None:
        objs = object_heads(causer)
        prop = entry.with_prep.get("out", prop) if entry.with_prep else prop
    if prop == "blocks":
        blocked = blocked_measure(verb, ctx)
        if blocked is not None:  # "blocked the department from barring the app"
            yield from _measure_pairs(ctx, verb, subj, blocked, rule, confidence)
            return True
    if prop == "pressures" and objs and objs[0].pos_ == "PRON" and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in UNDOING for c in verb.children):
        # "we urge them to reconsider": whoever made the decision
        urged = list(toward_actor(ctx, verb, [m for h in subj for m in ctx.resolve(h)], prop,
                                  [verb, objs[0]], rule + ":undo", entry.confidence))
        if urged:
            yield from urged
            return True
    instigators = _instigators(verb, ctx) if prop in COERCIVE else []
    for heads, conf, tag in ((subj, confidence, ""), (instigators, confidence * 0.8, ":by")):
        for rc in relate(ctx, verb, heads, objs, prop, rule + tag, conf):
            # "blocked the apps" bans them; "blocked the order" blocks it
            by_type = entry.by_object.get(rc.obj.type) if hasattr(rc.obj, "type") else None
            yield rc if by_type is None else RelationCandidate(
                rc.subject, by_type, rc.obj, rc.evidence, rc.polarity, rc.modality)
    return False


ANSWERS = ("opposes", "threatens")


def _answer_without_object(verb: Token, entry: VerbEntry) -> str | None:
    """The property of an opposing or threatening verb used with no object
    and none of its prepositions ("hit back", "protested", "retaliated")."""
    props = [p for p in (entry.property, *entry.preps.values()) if p in ANSWERS]
    if not props or is_passive(verb) or verb.dep_ in ("relcl", "acl", "amod"):
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd") for c in verb.children):
        return None
    if any(prep_objects(verb, p) for p in entry.preps):
        return None
    return props[0]
