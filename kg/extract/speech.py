"""Acts carried by reported speech.

A party quoted judging an act ("said the ban was unfair", "argued that the
ruling had no legal basis", "said such measures were a way of squeezing out
rivals unfairly") opposes the act's author; when the clause says the act
harms ("said the curbs discriminated against Korean firms") it accuses the
author too. Misconduct reported deeper in the clause ("said Ruritania had
used firms to weaponize personal data") makes the speaker accuse the one
said to do it.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.arguments import subject_heads
from kg.extract.phrases import RELATIVE
from kg.extract.polarity import polarity
from kg.extract.reading import Reading

# What a statement says a measure lacks when it calls it unfounded: "had no
# legal basis", "without any evidence", "lacked a legal foundation".
UNFOUNDED_NOUNS = {"basis", "foundation", "justification", "evidence", "ground", "grounds",
                   "proof", "merit"}
LACKING = {"no", "without", "lack", "lacking", "absent"}
CONTRAST = ("rather", "than")
# Verbs whose subject answers for what its instruments do: "used firms to spy".
INSTRUMENTAL = {"use", "exploit", "employ", "enlist", "leverage", "weaponize", "weaponise"}
SIDE = ("basedIn", "officialOf", "owns")
EMBEDDED_DEPS = ("xcomp", "ccomp", "conj", "advcl", "pcomp")
CONFIDENCE = 0.6


def _forms(tok: Token) -> set[str]:
    """A word's surface, lemma and, for an adverb, its adjective ("unfairly")."""
    low = tok.lower_
    forms = {low, tok.lemma_.lower()}
    if low.endswith("ily"):
        forms.add(low[:-3] + "y")
    elif low.endswith("ly"):
        forms.add(low[:-2])
    return forms


def _unfounded(tokens: list[Token]) -> bool:
    """ "had no basis", "without any evidence", "lacked a legal foundation"."""
    for tok in tokens:
        if tok.lower_ not in UNFOUNDED_NOUNS:
            continue
        if any(c.lower_ in LACKING for c in tok.children):
            return True
        if tok.head.lemma_.lower() in LACKING or tok.head.lower_ in LACKING:
            return True
    return False


def _contrasted(tokens: list[Token]) -> bool:
    """ "reflected politics rather than a genuine evaluation"."""
    words = [t.lower_ for t in tokens]
    return any(tuple(words[i:i + 2]) == CONTRAST for i in range(len(words) - 1))


def clause_subjects(clause: Token) -> list[Token]:
    """The subjects of a reported clause; a relative pronoun stands for the
    noun its clause describes ("a decision that Seoul said was unfair")."""
    heads = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    out = []
    for h in heads:
        if h.lower_ in RELATIVE and clause.head.dep_ == "relcl":
            h = clause.head.head
        out.append(h)
    return out


def judgement(clause: Token, subjects: list[Token], ctx: Reading,
              contrast: bool = False) -> bool:
    """Whether a reported clause judges its subject adversely: an evaluative
    word ("unfair", "politically motivated"), a harm verb ("discriminated
    against"), an unfounded act ("had no legal basis") or, with ``contrast``,
    a motive put against another ("reflected politics rather than ...")."""
    skip = {t.i for s in subjects if not s.is_ancestor(clause) for t in s.subtree}
    tokens = [t for t in clause.subtree if t.i not in skip]
    unfounded = _unfounded(tokens)
    if polarity(clause, ctx) == "negative" and not unfounded:
        return False
    if any(v.lemma_.lower() in ctx.lex.harm_verbs for v in _harming(clause, ctx)):
        return True
    words = {w for t in tokens for w in _forms(t)}
    if any(ctx.lex.evaluations.get(w) == "opposes" for w in words) or unfounded:
        return True
    return contrast and _contrasted(tokens)


def _harming(clause: Token, ctx: Reading) -> list[Token]:
    """The clause's positive verbs: its head and the predicates joined to it."""
    verbs = [clause, *[c for c in clause.subtree if c.dep_ == "conj" and c.pos_ == "VERB"
                       and c.head.i in (clause.i, *[x.i for x in clause.children])]]
    return [v for v in verbs if polarity(v, ctx) == "positive"]


def _harms_speaker(clause: Token, speaker: Mention, ctx: Reading) -> bool:
    """ "the curbs discriminated against South Korea", said by a Korean
    official: the act is said to harm the speaker's side."""
    side = _side(speaker, ctx)
    for verb in _harming(clause, ctx):
        if verb.lemma_.lower() not in ctx.lex.harm_verbs:
            continue
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        objects += [p for c in verb.children if c.dep_ == "prep" for p in c.children
                    if p.dep_ == "pobj"]
        if any(m.key in side for o in objects for m in ctx.resolve(o)):
            return True
    return False


def _side(speaker: Mention, ctx: Reading) -> set[str]:
    """The speaker and the parties it speaks for or belongs with."""
    keys = {speaker.key}
    for rc in ctx.relations:
        obj = getattr(rc.obj, "key", None)
        if rc.predicate in SIDE and rc.subject.key == speaker.key and obj:
            keys.add(obj)
            state = ctx.state_of(rc.obj) if rc.predicate == "officialOf" else None
            keys |= {state.key} if state is not None else set()
    return keys


def _speaks_for_state(speaker: Mention, ctx: Reading) -> bool:
    return speaker.type == "Country" or any(
        rc.predicate == "officialOf" and rc.subject.key == speaker.key
        and getattr(rc.obj, "type", None) in ("Country", "GovernmentBody")
        for rc in ctx.relations)


def _named_initiative(subject: Token, ctx: Reading) -> list[Mention]:
    """ "the program": a named initiative; a bare description stands for the
    initiative talked about most so far."""
    found = [m for m in ctx.resolve(subject, with_conj=False) if m.type == "Initiative"]
    if not found or ctx.own_mention(subject) is not None:
        return found
    before = [m for m in ctx.index.mentions if m.type == "Initiative"
              and m.end_char <= subject.idx]
    counts = {m.key: sum(b.key == m.key for b in before) for m in before}
    return [max(reversed(before), key=lambda m: counts[m.key])] if before else found


def _judged(subject: Token, speaker: Mention, ctx: Reading) -> list[Mention]:
    """Who a judgement of ``subject`` falls on: the author of an act noun
    ("the ban"; a state answers for its agency when a state's side speaks),
    or a named initiative ("the program")."""
    if subject.lemma_.lower() in ctx.lex.act_nouns:
        # a story may quote the reaction before it reports the act
        found = (ctx.resolve(subject, with_conj=False, acts=[speaker])
                 or [m for m in [ctx.main_actor(len(ctx.doc), [speaker], strict=True)] if m])
        if _speaks_for_state(speaker, ctx):
            found = [ctx.state_of(m) or m for m in found]
    else:
        found = _named_initiative(subject, ctx)
    side = _side(speaker, ctx)
    return [m for m in found if m.key not in side and m.type != "Technology"]


def reported_clauses(clause: Token) -> list[Token]:
    """A reported clause and the clauses coordinated with it that have their
    own subject ("that X was a rival and that such measures were unfair")."""
    return [clause, *[c for c in clause.conjuncts if c.i > clause.i
                      and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children)]]


def speech_evaluations(verb: Token, clause: Token, speaker: Mention,
                       ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X said the ban was unfair": X opposes the ban's author, and accuses
    it when the clause says the act harms X's side."""
    targeted = ctx.main_actor(verb.i, [speaker], strict=True) is not None
    for part in reported_clauses(clause):
        subjects = clause_subjects(part)
        if any(t.lemma_.lower() in ctx.lex.threat_words for t in part.subtree):
            continue  # a threat named in the clause is a designation, not a judgement
        if not subjects or not judgement(part, subjects, ctx, contrast=targeted):
            continue
        props = ["opposes"] + (["accuses"] if _harms_speaker(part, speaker, ctx) else [])
        for target in (m for s in subjects for m in _judged(s, speaker, ctx)):
            for prop in props:
                ev = ctx.evidence([verb, part], f"speech:judge:{prop}", CONFIDENCE)
                yield RelationCandidate(speaker, prop, target, ev)


def _culprit(harm: Token, clause: Token) -> Token:
    """The verb whose subject answers for a harm: "used firms to weaponize
    data" blames the user, not the firms it used."""
    verb = harm
    while verb.i != clause.i and verb.dep_ in ("xcomp", "advcl", "conj"):
        verb = verb.head
        if verb.lemma_.lower() in INSTRUMENTAL:
            return verb
    return harm


def _nearest_subjects(verb: Token, clause: Token, ctx: Reading) -> list[Token]:
    """The verb's subject, else the subject of the closest predicate above it
    in the clause ("was able and willing to use ...": the one able)."""
    heads = subject_heads(verb, ctx)
    while not heads and verb.i != clause.i and verb.dep_ not in ("relcl", "acl"):
        verb = verb.head
        heads = [c for c in verb.children if c.dep_ == "nsubj"]
    return heads


def embedded_accusations(verb: Token, clause: Token, speaker: Mention,
                         ctx: Reading) -> Iterator[RelationCandidate]:
    """ "said Ruritania had let firms undermine the rules" / "had used firms to
    weaponize data": whoever the clause says does the harm is accused."""
    if polarity(clause, ctx) == "negative":
        return
    for tok in clause.subtree:
        if tok.i == clause.i or tok.pos_ != "VERB" or tok.dep_ not in EMBEDDED_DEPS:
            continue
        if tok.lemma_.lower() not in ctx.lex.harm_verbs or polarity(tok, ctx) == "negative":
            continue
        for head in _nearest_subjects(_culprit(tok, clause), clause, ctx):
            for target in ctx.resolve(head):
                if target.key not in _side(speaker, ctx) and target.type != "Technology":
                    ev = ctx.evidence([verb, tok, head], "speech:embedded-harm", CONFIDENCE)
                    yield RelationCandidate(speaker, "accuses", target, ev)
