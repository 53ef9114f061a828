"""Relations over the dependency parse: verbs, light verbs with nominals,
list verbs, with voice, control, relative clauses, negation and modality.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.agents import implicit_agents
from kg.extract.context import RELATIVE, DocContext
from kg.extract.measures import blocked_measure, measure_mention
from kg.lexicon import VerbEntry

SUBJECT_INHERITING = ("xcomp", "conj", "advcl", "pcomp", "ccomp_open")
COREF_PENALTY = 0.1
DISTRIBUTIVE = {"each", "both", "all", "either"}
# verbs that keep the act under "from" from happening (a court that "blocked the
# department from barring the app" leaves the department's act on record)
PREVENTING = {"bar", "ban", "prohibit", "prevent", "stop", "keep", "dissuade", "discourage",
              "forbid", "restrict", "deter"}
UNDOING = {"reconsider", "reverse", "drop", "withdraw", "lift", "correct", "revoke", "rescind",
           "change", "rethink", "scrap", "abandon"}
COMMUNICATIONS = {"statement", "letter", "report", "note", "post", "tweet", "message", "notice"}


# ----- argument structure ---------------------------------------------------
def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def subject_heads(verb: Token, ctx: DocContext, depth: int = 0) -> list[Token]:
    """Tokens heading the subject of ``verb``, following control and coordination."""
    if depth > 6:
        return []
    if is_passive(verb):
        heads = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        heads = heads or _stray_agents(verb)
    else:
        heads = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    # "each having signed ...": a distributive pronoun takes the subject of
    # the clause it distributes over (above it, or, when the parser put that
    # clause below, the one before it)
    if heads and all(h.lower_ in DISTRIBUTIVE for h in heads):
        before = [c for c in verb.children if c.dep_ in ("ccomp", "advcl") and c.i < verb.i]
        heads = [h for c in before for h in c.children if h.dep_ == "nsubj"]
    heads = [_through_relative(h, ctx) for h in heads]
    if heads:
        # "TikTok, joined by ByteDance, sued": the one who joined acts too
        heads += [p for c in verb.children if c.dep_ == "advcl" and c.lemma_.lower() == "join"
                  for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        return [h for h in heads if h is not None]
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        if is_passive(verb):
            return []
        # "Britain's decision to exclude Huawei": the possessor decided
        owners = [c for c in verb.head.children if c.dep_ == "poss"]
        if owners and verb.head.lemma_.lower() in ctx.lex.act_nouns | ctx.lex.nominals.keys():
            return owners
        return [_through_relative(verb.head, ctx, force=True)]
    if verb.dep_ == "xcomp" and not is_passive(verb):
        # object control: "prompted China to warn", "urged Washington to drop"
        controllers = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
        if controllers:
            return controllers
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and not is_passive(verb):
        # "blocked the department from barring the app": the department would bar it
        controllers = [c for c in verb.head.head.children if c.dep_ == "dobj"]
        if controllers:
            return controllers
    if verb.dep_ == "conj" and is_passive(verb.head) and verb.head.dep_ == "ccomp" \
            and verb.head.head.lemma_.lower() in ctx.lex.speech_verbs:
        # "X said the review was lawful, and accused Y": an active verb hung on
        # the passive reported clause belongs to the speaker
        return subject_heads(verb.head.head, ctx, depth + 1)
    if verb.dep_ in SUBJECT_INHERITING and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "pcomp" and head.head.i != head.i:
            head = head.head
        return subject_heads(head, ctx, depth + 1)
    return []


def _stray_agents(verb: Token) -> list[Token]:
    """ "was designated a threat by the FCC": a "by" phrase the parser hung on
    the verb's complement rather than on the passive verb."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "oprd", "attr", "xcomp"):
            out += [p for b in c.children if b.dep_ == "prep" and b.lower_ == "by"
                    for p in b.children if p.dep_ == "pobj"]
    return out


def _through_relative(tok: Token, ctx: DocContext, force: bool = False) -> Token | None:
    """A relative pronoun stands for the noun its clause modifies; an act noun
    ("sanctions that prohibit X") stands for the actor of the act."""
    noun = tok
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        noun = tok.head.head
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head  # "BT and Vodafone, which both use ...": the whole list
    elif _misattached_relative(tok):
        noun = tok.doc[tok.i - 1]  # "controls that have cut X off", parsed as a clause
    elif not force:
        return tok
    if noun.lemma_.lower() in COMMUNICATIONS and noun.dep_ == "pobj" and ctx.own_mention(noun) is None:
        # "the embassy said in a statement that urged India ...": its issuer
        issuers = subject_heads(noun.head.head, ctx, 1) if noun.head.head.pos_ == "VERB" else []
        return issuers[0] if issuers else None
    if noun.lemma_.lower() in ctx.lex.nominals and ctx.own_mention(noun) is None:
        # "U.S. export controls that cut China off": the state named on the act
        modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "poss")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children
                      if g.dep_ in ("compound", "amod")]  # "U.S. export controls"
        for c in modifiers:
            m = ctx.index.at(c)
            if m is not None and m.type in ("Country", "GovernmentBody", "InternationalOrganization"):
                return c
        governing = noun.head
        if governing.pos_ in ("VERB", "AUX") and governing.i != noun.i:
            subjects = subject_heads(governing, ctx, 1)
            return subjects[0] if subjects else None
    return noun


def _misattached_relative(tok: Token) -> bool:
    """ "controls that have cut X off" parsed with "that" as the subject of a
    complement clause: a relative pronoun right after a noun."""
    return (tok.lower_ in ("that", "which") and tok.dep_ in ("nsubj", "nsubjpass")
            and tok.head.dep_ in ("ccomp", "advcl") and tok.i > 0
            and tok.doc[tok.i - 1].pos_ in ("NOUN", "PROPN"))


def object_heads(verb: Token, ctx: DocContext | None = None) -> list[Token]:
    """Direct objects (subjects when passive); with ``ctx``, a trade flow
    stands for its destination or source ("exports of chips to China")."""
    if is_passive(verb):
        heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
    else:
        heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if not heads and _object_gap(verb):
        heads = [verb.head]  # "a step Peru condemned": the step is what was condemned
    if ctx is None:
        return heads
    # "add Huawei and around 70 of its affiliates": a coordinated object the
    # parser hung on the verb
    heads += [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("ADP", "NUM")]
    # "blocked 59 apps, among them TikTok and Helo": examples hung on the verb
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("among", "including"):
            heads += [p for p in c.children if p.dep_ == "pobj" and p.pos_ != "PRON"]
    return [t for h in heads for t in _through_trade(h, ctx)]


def _object_gap(verb: Token) -> bool:
    """A relative clause with its own subject and no object: the noun it
    modifies is the object ("the step Peru condemned", "the firm Musk controls")."""
    if verb.dep_ != "relcl" or is_passive(verb) or verb.head.pos_ not in ("NOUN", "PROPN"):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and subjects[0].lower_ not in RELATIVE and not any(
        c.dep_ in ("ccomp", "xcomp", "prep", "dative", "attr", "oprd") for c in verb.children)


def _through_trade(head: Token, ctx: DocContext) -> list[Token]:
    if head.lemma_.lower() not in ctx.lex.trade_nouns or ctx.own_mention(head) is not None:
        return [head]
    for prep in ctx.lex.trade_preps:  # "to China" before "of chips"
        # the destination may hang on the noun, on what it names, or on the verb
        hosts = [head, *[p for c in head.children if c.dep_ == "prep" for p in c.children
                         if p.dep_ == "pobj"], *list(head.ancestors)[:4]]
        found = [a for h in hosts for p in prep_objects(h, prep) for a in descend_to_actors(p, ctx)]
        if found:
            return found
    return [head]


def prep_objects(verb: Token, prep: str) -> list[Token]:
    return [p for c in verb.children if c.dep_ in ("prep", "prt", "agent", "dative")
            and c.lower_ == prep for p in c.children if p.dep_ in ("pobj", "pcomp")]


# ----- negation and modality ------------------------------------------------
def _chain(verb: Token) -> list[Token]:
    """The verb and the verbs it is the open complement or conjunct of."""
    out = [verb]
    while out[-1].dep_ in ("xcomp", "conj", "pcomp") and out[-1].head.i != out[-1].i and len(out) < 6:
        last = out[-1]
        if last.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in last.children):
            break  # "X does not name Y, but Z has branded W": a clause of its own
        out.append(last.head if last.dep_ != "pcomp" else last.head.head)
    return out


def no_longer(verb: Token) -> bool:
    """ "no longer sells": the act has stopped."""
    return any(c.lower_ == "longer" and (any(g.lower_ == "no" for g in c.children)
                                         or c.i > 0 and c.doc[c.i - 1].lower_ == "no")
               for c in verb.children if c.dep_ in ("advmod", "neg"))


def polarity(verb: Token, ctx: DocContext) -> str:
    lex = ctx.lex
    chain = _chain(verb)
    if no_longer(verb):
        return "negative"
    for i, v in enumerate(chain):
        if any(c.dep_ == "neg" or (c.lower_ in lex.negators and c.dep_ in ("advmod", "det"))
               for c in v.children):
            return "negative"
        if i > 0 and v.lemma_.lower() in lex.refusal_verbs and chain[i - 1].dep_ == "xcomp":
            return "negative"
    if _refusal_phrase(verb, ctx):
        return "negative"
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and \
            verb.head.head.lemma_.lower() in PREVENTING:
        return "negative"  # "barred Huawei from buying chips": no buying happens
    if _denied_content(verb, ctx):
        return "negative"  # "Japan denied that it had blocked WeChat"
    return "positive"


def _denied_content(verb: Token, ctx: DocContext) -> bool:
    """Whether the clause is what someone denies ("denied that ...",
    "dismissed reports that ...")."""
    tok = verb
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            return False
        if tok.dep_ == "ccomp" and head.lemma_.lower() in ctx.lex.deny_verbs:
            return True
        if tok.dep_ in ("acl", "ccomp") and head.lemma_.lower() in ctx.lex.claim_nouns \
                and head.head.lemma_.lower() in ctx.lex.deny_verbs:
            return True
        if tok.dep_ not in ("ccomp", "conj", "xcomp", "acl"):
            return False
        tok = head
    return False


def _refusal_phrase(verb: Token, ctx: DocContext) -> bool:
    # "stopped short of banning": the verb sits under "of" <- "short" <- "stop".
    window = [t.lemma_.lower() for t in verb.doc[max(0, verb.i - 4):verb.i]]
    for phrase in ctx.lex.refusal_phrases:
        n = len(phrase)
        if any(tuple(window[j:j + n]) == phrase for j in range(len(window) - n + 1)):
            return True
    return False


def modality(verb: Token, ctx: DocContext) -> str:
    lex = ctx.lex
    words = set()
    for v in _chain(verb):
        words |= {c.lemma_.lower() for c in v.children if c.dep_ in ("aux", "advmod")}
        if v.i != verb.i:
            words.add(v.lemma_.lower())
    if words & lex.hedge_markers:
        return "hedged"
    if words & lex.planned_markers:
        return "planned"
    return "asserted"


# ----- candidates -------------------------------------------------------------
COERCIVE = frozenset({"bans", "sanctions", "restricts", "excludes", "blocks"})
# acts whose unnamed object is the measure itself ("blocked the ban")
MEASURE_TARGETING = frozenset({"blocks", "supports"})
# acts a party may react to ("the decision", "the probe")
HOSTILE_ACTS = COERCIVE | {"investigates", "sues", "threatens", "designatesAsThreat"}


def _foreign_state(author: Mention, parties: list[Mention], ctx: DocContext) -> Mention:
    """A state or its agency answering a foreign agency's act answers its
    state: the Commerce Department opposing the curbs of China's regulator
    opposes China."""
    if author.type != "GovernmentBody" or not parties or not all(
            p.type in ("Country", "GovernmentBody") for p in parties):
        return author
    state = ctx.state_of(author)
    own = {(ctx.state_of(p) or p).key for p in parties}
    return state if state is not None and state.key not in own else author


def _compelling(verb: Token, prop: str, ctx: DocContext) -> bool:
    """ "ordered Acme to sell its plant": pressure that compels is an act
    against the one compelled, which it may react to."""
    return prop == "pressures" and verb.lemma_.lower() in ctx.lex.causatives and any(
        c.dep_ in ("xcomp", "ccomp") for c in verb.children)


def _pairs(ctx: DocContext, verb: Token, subj_heads, obj_heads, prop: str, rule: str,
           confidence: float) -> Iterator[RelationCandidate]:
    pol, mod = polarity(verb, ctx), modality(verb, ctx)
    acts = prop in ctx.lex.act_targeting
    for sh in subj_heads:
        if isinstance(sh, Mention):  # an agent the clause does not name
            subjects, s_conf, sh = [sh], confidence, verb
        else:
            subjects = ctx.resolve(sh)
            s_conf = confidence - (COREF_PENALTY if ctx.is_coreferent(sh) else 0)
        for oh in obj_heads:
            objects = ctx.resolve(oh, acts=subjects if acts else None)
            if acts and oh.lemma_.lower() in ctx.lex.act_nouns and ctx.own_mention(oh) is None:
                objects = [_foreign_state(o, subjects, ctx) for o in objects]
            if not objects and prop in MEASURE_TARGETING:
                measure = measure_mention(oh, ctx, subjects)  # "blocked the ban", "upheld the order"
                objects = [measure] if measure is not None else []
            if (prop in HOSTILE_ACTS or _compelling(verb, prop, ctx)) and pol == "positive":
                ctx.acts.extend((verb.i, s, o) for s in subjects for o in objects)
            if pol == "positive":
                ctx.act_log.extend((verb.i, prop, s, o) for s in subjects for o in objects)
            o_conf = s_conf - (COREF_PENALTY if ctx.is_coreferent(oh) else 0)
            for s in subjects:
                for o in objects:
                    if s.key == o.key:
                        continue
                    conf = o_conf * (0.9 if mod == "planned" else 1.0)
                    ev = ctx.evidence([sh, verb, oh], rule, conf)
                    yield RelationCandidate(s, prop, o, ev, pol, mod)


def _complement_ok(verb: Token, entry: VerbEntry) -> bool:
    if not entry.complement:
        return True
    words = {t.lemma_.lower() for t in verb.subtree}
    return bool(words & entry.complement)


def _designation_objects(verb: Token, ctx: DocContext) -> list[Token]:
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


def _joins_implicit(verb: Token, subj: list[Token], ctx: DocContext, rule: str,
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


def _causer(verb: Token, ctx: DocContext) -> Token | None:
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


def _served_state(person: Mention, ctx: DocContext) -> Mention | None:
    """The country an official acts for ("Digital Secretary Oliver Dowden")."""
    if person.type != "Person":
        return None
    served = [rc.obj for rc in ctx.relations if rc.predicate == "officialOf"
              and rc.subject.key == person.key and getattr(rc.obj, "type", "") == "Country"]
    return served[0] if served else None


def toward_actor(ctx: DocContext, verb: Token, parties: list[Mention], prop: str,
                 tokens: list[Token], rule: str, confidence: float,
                 state: bool = False) -> Iterator[RelationCandidate]:
    """``prop`` from each party to whoever acted against it before ``verb``
    (with ``state``, a state answers the state behind an agency)."""
    target = ctx.main_actor(verb.i, parties, strict=True)
    if target is not None and state:
        target = ctx.state_of(target) or _served_state(target, ctx) or target
    for party in parties:
        if target is not None and target.key != party.key:
            yield RelationCandidate(party, prop, target, ctx.evidence(tokens, rule, confidence),
                                    polarity(verb, ctx), modality(verb, ctx))


def evaluation_relations(verb: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
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
    yield from _pairs(ctx, verb, subj, objs, prop, f"evaluation:{verb.lemma_.lower()}", 0.65)


def _instigators(verb: Token, ctx: DocContext) -> list[Token]:
    """ "instructed operators to block the site": the one who instructs acts
    through those instructed (an authority ordering a coercive act)."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.lemma_.lower() not in ctx.lex.causatives:
        return []
    if not any(c.dep_ == "dobj" for c in head.children) or polarity(head, ctx) == "negative":
        return []
    return subject_heads(head, ctx)


def _measure_pairs(ctx: DocContext, verb: Token, subj: list, measure: Mention, rule: str,
                   confidence: float) -> Iterator[RelationCandidate]:
    pol, mod = polarity(verb, ctx), modality(verb, ctx)
    for head in subj:
        for s in ([head] if isinstance(head, Mention) else ctx.resolve(head)):
            ev = ctx.evidence([verb], rule + ":measure", confidence)
            yield RelationCandidate(s, "blocks", measure, ev, pol, mod)


def _agentless(verb: Token, entry: VerbEntry) -> bool:
    """A coercive act in the passive with no "by" phrase, in a clause of its own."""
    props = {entry.property, *entry.with_prep.values()}
    return (is_passive(verb) and bool(props & COERCIVE)
            and not any(c.dep_ == "agent" for c in verb.children)
            and verb.dep_ not in ("relcl", "acl", "amod", "xcomp"))


def lexicon_lemma(tok: Token, table) -> str | None:
    """The key of ``table`` a verb form stands for, mending the model's
    lemmatizer where it strips too much or too little ("fined" -> "fin")."""
    lemma = tok.lemma_.lower()
    if lemma in table:
        return lemma
    if not tok.tag_.startswith("VB"):
        return None
    low = tok.lower_
    stems = {low, low[:-1], low[:-2], low[:-3], low[:-3] + "e", low[:-2] + "e"}
    if low.endswith("ied"):
        stems.add(low[:-3] + "y")
    found = [s for s in stems if len(s) > 2 and s in table]
    return max(found, key=len) if found else None


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


def _particle(verb: Token, particle: str | None) -> Token | None:
    """The particle of a phrasal verb, also where the parser took it for a
    preposition ("reined in Huawei", "shut Huawei out of")."""
    for c in verb.children:
        if c.dep_ in ("prt", "advmod", "prep") and c.lower_ == particle:
            return c
    return None


def verb_relations(verb: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
    key = lexicon_lemma(verb, ctx.lex.verbs)
    entry = ctx.lex.verbs.get(key) if key else None
    if entry is None:
        return
    particle = _particle(verb, entry.particle) if entry.particle else None
    if entry.particle and particle is None:
        return
    if entry.needs_clause and not _directive_clause(verb):
        return
    if verb.lemma_.lower() in ctx.lex.deny_verbs and any(
            o.lemma_.lower() in ctx.lex.claim_nouns for o in object_heads(verb)):
        return  # "rejected the allegations" is a denial (see claims), not opposition
    subj = _experiencers(verb) if entry.experiencer else subject_heads(verb, ctx)
    causer = _causer(verb, ctx)
    if causer is not None:  # "ordered the gear to be stripped out"
        subj = subject_heads(causer, ctx)
    confidence = entry.confidence
    if not subj and _agentless(verb, entry):
        # "sales will be barred from next month, the ministry said"
        subj, factor = implicit_agents(verb, ctx)
        confidence *= factor
    if not subj:
        return
    prop, rule = entry.property, f"verb:{entry.lemma}"
    for prep, override in entry.with_prep.items():
        for c in verb.children:
            if c.dep_ in ("prep", "prt", "advmod") and c.lower_ == prep and not _temporal(c):
                prop, rule = override, f"verb:{entry.lemma}+{prep}"
                if prop == "restricts" and {t.lower_ for t in c.subtree} & ctx.lex.exclusion_domains:
                    prop = "excludes"  # "barred Huawei from its 5G networks"
    if prop in HOSTILE_ACTS and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() in ctx.lex.threat_heads:
        prop, rule = "threatens", f"threat:{verb.head.lemma_.lower()}+{entry.lemma}"
    if prop and _complement_ok(verb, entry):
        objs = _designation_objects(verb, ctx) if entry.complement else object_heads(verb, ctx)
        if not objs and particle is not None and particle.dep_ == "prep":
            objs = [p for p in particle.children if p.dep_ == "pobj"]  # "reined in Huawei"
        if not objs and prop == "investigates":
            objs = _whether_objects(verb)
        if not objs and prop == "pressures":
            objs = _addressees(verb)
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
                return
        if prop == "pressures" and objs and objs[0].pos_ == "PRON" and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in UNDOING for c in verb.children):
            # "we urge them to reconsider": whoever made the decision
            urged = list(toward_actor(ctx, verb, [m for h in subj for m in ctx.resolve(h)], prop,
                                      [verb, objs[0]], rule + ":undo", entry.confidence))
            if urged:
                yield from urged
                return
        instigators = _instigators(verb, ctx) if prop in COERCIVE else []
        for heads, conf, tag in ((subj, confidence, ""), (instigators, confidence * 0.8, ":by")):
            for rc in _pairs(ctx, verb, heads, objs, prop, rule + tag, conf):
                # "blocked the apps" bans them; "blocked the order" blocks it
                by_type = entry.by_object.get(rc.obj.type) if hasattr(rc.obj, "type") else None
                yield rc if by_type is None else RelationCandidate(
                    rc.subject, by_type, rc.obj, rc.evidence, rc.polarity, rc.modality)
    for prep, prop in entry.preps.items():
        objs = prep_objects(verb, prep)
        if prop == "designatesAsThreat":
            # "viewed X as a threat": the threat is the prepositional object.
            if not _complement_ok(verb, entry):
                continue
            objs = object_heads(verb)
        if objs:
            yield from _pairs(ctx, verb, subj, objs, prop, f"verb:{entry.lemma}+{prep}",
                              confidence)
    answer = _answer_without_object(verb, entry)
    if answer:  # "Seoul hit back", "Beijing protested": at whoever acted against it
        parties = [m for h in subj for m in ctx.resolve(h)]
        yield from toward_actor(ctx, verb, parties, answer, [verb], f"verb:{entry.lemma}:answer",
                                confidence * 0.85, state=all(p.type == "Country" for p in parties))


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


def _employer(person: Token, ctx: DocContext) -> Token | None:
    """The organization a plural of staff is named after: "Huawei employees"."""
    if person.tag_ != "NNS":
        return None
    for c in person.children:
        m = ctx.index.at(c) if c.dep_ in ("compound", "poss") else None
        if m is not None and m.type in ("Company", "GovernmentBody", "InternationalOrganization"):
            return c
    return None


def descend_to_actors(tok: Token, ctx: DocContext, depth: int = 4) -> list[Token]:
    """ "concerns over threats from services provided by X": the named actors
    a nominal's target phrase leads to through prepositions and participles."""
    found, layer = [], [tok]
    for _ in range(depth):
        nxt = []
        for t in layer:
            nominal = t.pos_ in ("NOUN", "PROPN", "PRON")
            if nominal and (ctx.own_mention(t) is not None or ctx.corefer(t) is not None):
                found.append(t)
            elif nominal and t.lemma_.lower() in ctx.lex.person_nouns and _employer(t, ctx):
                found.append(_employer(t, ctx))  # "restrictions on Huawei employees"
            else:
                nxt.extend(c for c in t.children if c.dep_ in ("prep", "pobj", "agent", "acl", "pcomp"))
        if found or not nxt:
            break
        layer = nxt
    return found
