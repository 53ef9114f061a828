"""Claims: reported speech becomes a Claim with its speaker; what the speech
says is read for acts (kg.extract.speech) and denials (kg.extract.denials).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.arguments import subject_heads
from kg.extract.claimtext import ANAPHORS, clause_text, new_claim
from kg.extract.denials import denial_in_speech, denials, misread_denial
from kg.extract.polarity import polarity
from kg.extract.reading import Reading
from kg.extract.speech import embedded_accusations, speech_evaluations

SPEAKERS = {"Country", "CountryGroup", "Company", "CompanyGroup", "GovernmentBody",
            "InternationalOrganization", "Organization", "Person", "Product"}
STRUCTURAL = {"basedIn", "officialOf", "owns", "memberOf", "supplies"}


def _speaker(verb: Token, ctx: Reading) -> tuple[Mention | None, Token | None]:
    for head in subject_heads(verb, ctx):
        mentions = [m for m in ctx.resolve(head, with_conj=False) if m.type in SPEAKERS]
        if mentions:
            return mentions[0], head
    return None, None


def speech_claims(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X said (that) C" and "C, X said": a Claim C stated by X."""
    if verb.lemma_.lower() not in ctx.lex.speech_verbs or misread_denial(verb, ctx):
        return
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")
               and c.lower_ not in ANAPHORS and len(list(c.subtree)) > 2]
    # "told a briefing that the curbs were unfair", parsed as a relative clause
    clauses = clauses or [r for o in verb.children if o.dep_ == "dobj" for r in o.children
                          if r.dep_ == "relcl" and r.i > o.i
                          and any(m.dep_ == "mark" and m.i < r.i for m in r.children)]
    inserted = not clauses and _inserted(verb)
    if not clauses and (verb.dep_ == "csubj" or inserted):
        # "X said Sweden had smeared ...", parsed with the speech verb as the
        # clause's subject, and "The ban, X argued, was wrong": the clause is
        # the verb's head
        clauses = [verb.head]
    if not clauses:
        return
    speaker, head = _speaker(verb, ctx)
    if speaker is None:
        return
    after = verb.i if verb.dep_ == "csubj" else -1
    text = " ".join(clause_text(c, after, verb if inserted else None) for c in clauses)
    if len(text.split()) < 3:
        return
    claim = new_claim(ctx, speaker, text, [head, verb, *clauses], f"claim:{verb.lemma_.lower()}")
    yield RelationCandidate(speaker, "states", claim, claim.evidence, polarity(verb, ctx))
    yield from denial_in_speech(verb, clauses[0], speaker, ctx)
    if polarity(verb, ctx) == "positive":
        yield from _threat_in_speech(verb, clauses[0], speaker, ctx)
        yield from _spoken_for_acts(clauses[0], speaker, ctx)
        yield from speech_evaluations(verb, clauses[0], speaker, ctx)
        yield from embedded_accusations(verb, clauses[0], speaker, ctx)


def _inserted(verb: Token) -> bool:
    """ "The designation, DJI argued, was wrong": a speech verb set off by
    commas inside the clause it reports."""
    head = verb.head
    return (verb.dep_ == "parataxis" and head.i > verb.i and head.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in head.children))


def _spoken_for_acts(clause: Token, speaker: Mention,
                     ctx: Reading) -> Iterator[RelationCandidate]:
    """ "spokeswoman Hua said China strongly opposed the decision": an
    official reporting what the state she speaks for does is its subject too."""
    if speaker.type != "Person":
        return
    offices = [rc.obj for rc in ctx.relations
               if rc.predicate == "officialOf" and rc.subject.key == speaker.key]
    states = [ctx.state_of(m) for m in offices]
    sides = {m.key for m in offices} | {c.key for c in states if c is not None}
    start, end = ctx.source.original_span(clause.left_edge.idx,
                                          clause.right_edge.idx + len(clause.right_edge.text))
    for rc in list(ctx.relations):
        inside = start <= rc.evidence.start_char and rc.evidence.end_char <= end
        if inside and rc.subject.key in sides and rc.predicate not in STRUCTURAL:
            ev = ctx.evidence([clause], "speech:official-for-state", rc.evidence.confidence * 0.9)
            yield RelationCandidate(speaker, rc.predicate, rc.obj, ev, rc.polarity, rc.modality)


def _threat_in_speech(verb: Token, clause: Token, speaker: Mention,
                      ctx: Reading) -> Iterator[RelationCandidate]:
    """ "said the apps posed a danger" / "saying they threaten the country's
    security": the speaker labels the clause's subject a threat, or accuses it."""
    if polarity(clause, ctx) == "negative":
        return
    lemma = clause.lemma_.lower()
    objects = [c for c in clause.children if c.dep_ in ("dobj", "attr")]
    threat = any(o.lemma_.lower() in ctx.lex.threat_words for o in objects)
    grants_access = lemma in ("give", "provide", "grant", "allow") and any(
        t.lemma_.lower() == "access" for t in clause.subtree)
    if threat and (lemma in ctx.lex.threat_verbs or lemma == "be"):
        prop = "designatesAsThreat"
    elif lemma in ctx.lex.harm_verbs or grants_access:
        prop = "accuses"  # "... could give the Communist Party access to personal data"
    else:
        return
    heads = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not heads and verb.dep_ == "csubj":
        heads = [c for c in verb.children if c.dep_ == "dobj"]  # the misparse's subject
    # "the apps' data collection": what the possessor does
    heads = [h if ctx.resolve(h) else next((c for c in h.children if c.dep_ == "poss"), h)
             for h in heads]
    for head in heads:
        for target in ctx.resolve(head):
            if target.key != speaker.key:
                ev = ctx.evidence([verb, clause, head], f"speech:{prop}", 0.6)
                yield RelationCandidate(speaker, prop, target, ev)


def evidence_accusations(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "said it had evidence that the chipmaker worked with the military":
    who holds the evidence accuses the clause's subject."""
    if noun.lemma_.lower() not in ctx.lex.evidence_nouns or noun.pos_ != "NOUN":
        return
    clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    holder_verb = noun.head if noun.dep_ in ("dobj", "pobj") else None
    if not clauses or holder_verb is None or polarity(holder_verb, ctx) == "negative":
        return
    holders = [m for h in subject_heads(holder_verb, ctx) for m in ctx.resolve(h)]
    for head in (c for c in clauses[0].children if c.dep_ in ("nsubj", "nsubjpass")):
        for accused in ctx.resolve(head):
            for holder in holders:
                if holder.key != accused.key:
                    ev = ctx.evidence([noun, clauses[0], head], "evidence:accuses", 0.6)
                    yield RelationCandidate(holder, "accuses", accused, ev)


def extract_claims(ctx: Reading) -> Iterator[RelationCandidate]:
    """Claims (as ``states``) and denials (as ``denies``), in text order."""
    for tok in ctx.doc:
        if tok.pos_ in ("VERB", "AUX"):
            yield from speech_claims(tok, ctx)
            yield from denials(tok, ctx)
        yield from evidence_accusations(tok, ctx)
