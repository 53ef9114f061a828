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
from kg.extract.context import RELATIVE, DocContext
from kg.extract.relations import polarity, subject_heads

# What a statement says a measure lacks when it calls it unfounded: "had no
# legal basis", "without any evidence", "lacked a legal foundation".
UNFOUNDED_NOUNS = {"basis", "foundation", "justification", "evidence", "ground", "grounds",
                   "proof", "merit"}
LACKING = {"no", "without", "lack", "lacking", "absent"}
CONTRAST = ("rather", "than")
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


def judgement(clause: Token, subjects: list[Token], ctx: DocContext,
              contrast: bool = False) -> set[str]:
    """What a reported clause says of its subject: {"opposes"} for an adverse
    judgement, with "accuses" when its verb says the subject harms."""
    # the subject's own words are not the judgement (unless the clause hangs
    # on it: "a decision that Seoul said was unfair")
    skip = {t.i for s in subjects if not s.is_ancestor(clause) for t in s.subtree}
    tokens = [t for t in clause.subtree if t.i not in skip]
    unfounded = _unfounded(tokens)
    if polarity(clause, ctx) == "negative" and not unfounded:
        return set()
    verbs = [clause, *[c for c in clause.conjuncts if c.pos_ in ("VERB", "AUX")]]
    if any(v.lemma_.lower() in ctx.lex.harm_verbs and polarity(v, ctx) == "positive"
           for v in verbs):
        return {"opposes", "accuses"}
    words = {w for t in tokens for w in _forms(t)}
    if any(ctx.lex.evaluations.get(w) == "opposes" for w in words) or unfounded:
        return {"opposes"}
    if contrast and _contrasted(tokens):
        return {"opposes"}
    return set()


def _side(speaker: Mention, ctx: DocContext) -> set[str]:
    """The speaker and the parties it speaks for or belongs with."""
    keys = {speaker.key}
    for rc in ctx.relations:
        obj = getattr(rc.obj, "key", None)
        if rc.predicate in SIDE and rc.subject.key == speaker.key and obj:
            keys.add(obj)
    return keys


def _judged(subject: Token, speaker: Mention, ctx: DocContext) -> list[Mention]:
    """Who a judgement of ``subject`` falls on: the author of an act noun
    ("the ban"), or a named initiative ("the program")."""
    if subject.lemma_.lower() in ctx.lex.act_nouns:
        found = ctx.resolve(subject, with_conj=False, acts=[speaker])
    else:
        found = [m for m in ctx.resolve(subject, with_conj=False) if m.type == "Initiative"]
    side = _side(speaker, ctx)
    return [m for m in found if m.key not in side and m.type != "Technology"]


def speech_evaluations(verb: Token, clause: Token, speaker: Mention,
                       ctx: DocContext) -> Iterator[RelationCandidate]:
    """ "X said the ban was unfair": X opposes (and may accuse) its author."""
    subjects = clause_subjects(clause)
    if not subjects or any(t.lemma_.lower() in ctx.lex.threat_words for t in clause.subtree):
        return  # a threat named in the clause is a designation, not a judgement
    targeted = ctx.main_actor(verb.i, [speaker], strict=True) is not None
    props = judgement(clause, subjects, ctx, contrast=targeted)
    for subject in subjects if props else []:
        for target in _judged(subject, speaker, ctx):
            for prop in sorted(props, reverse=True):
                ev = ctx.evidence([verb, clause, subject], f"speech:judge:{prop}", CONFIDENCE)
                yield RelationCandidate(speaker, prop, target, ev)


def embedded_accusations(verb: Token, clause: Token, speaker: Mention,
                         ctx: DocContext) -> Iterator[RelationCandidate]:
    """ "said Ruritania had let firms undermine the rules" / "had used firms to
    weaponize data": whoever the clause says does the harm is accused."""
    if polarity(clause, ctx) == "negative":
        return
    for tok in clause.subtree:
        if tok.i == clause.i or tok.pos_ != "VERB" or tok.dep_ not in EMBEDDED_DEPS:
            continue
        if tok.lemma_.lower() not in ctx.lex.harm_verbs or polarity(tok, ctx) == "negative":
            continue
        for head in subject_heads(tok, ctx):
            for target in ctx.resolve(head):
                if target.key not in _side(speaker, ctx) and target.type != "Technology":
                    ev = ctx.evidence([verb, tok, head], "speech:embedded-harm", CONFIDENCE)
                    yield RelationCandidate(speaker, "accuses", target, ev)
