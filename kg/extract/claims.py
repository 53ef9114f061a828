"""Claims and denials: reported speech becomes a Claim with its speaker, and
"denies that" points back at the claim before it.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import ClaimCandidate, Mention, RelationCandidate
from kg.extract.context import DocContext
from kg.extract.relations import polarity, subject_heads
from kg.extract.speech import embedded_accusations, speech_evaluations

SPEAKERS = {"Country", "CountryGroup", "Company", "CompanyGroup", "GovernmentBody",
            "InternationalOrganization", "Organization", "Person", "Product"}
QUOTES = "\"'“”‘’ ,.;:"
ANAPHORS = {"that", "this", "it", "these", "those", "them", "so"}
CLAIM_CONFIDENCE = 0.75
STRUCTURAL = {"basedIn", "officialOf", "owns", "memberOf", "supplies"}
CLAIM_COMMENTS = {"charge", "claim", "allegation", "accusation", "assertion", "view"}


def _clause_text(clause: Token, after: int = -1, inserted: Token | None = None) -> str:
    # ", a charge the companies reject": a comment on the claim is not part of it
    comment = {t.i for d in clause.subtree if d.dep_ == "appos" and d.head.i != clause.i
               and d.lemma_.lower() in CLAIM_COMMENTS for t in d.subtree}
    if inserted is not None:  # "The ban, X said, was wrong": without "X said"
        comment |= {t.i for t in inserted.subtree}
    tokens = [t for t in clause.subtree if t.i > after
              and not (t.dep_ == "mark" and t.head.i == clause.i) and t.i not in comment]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if inserted is not None:
        text = "".join(t.text + (t.whitespace_ if n.i == t.i + 1 else " ")
                       for t, n in zip(tokens, tokens[1:])) + tokens[-1].text if tokens else ""
    else:
        text = clause.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else ""
    return " ".join(text.strip(QUOTES).split())


def _speaker(verb: Token, ctx: DocContext) -> tuple[Mention | None, Token | None]:
    for head in subject_heads(verb, ctx):
        mentions = [m for m in ctx.resolve(head, with_conj=False) if m.type in SPEAKERS]
        if mentions:
            return mentions[0], head
    return None, None


def _new_claim(ctx: DocContext, speaker: Mention | None, text: str, tokens: list[Token],
               rule: str) -> ClaimCandidate:
    key = f"{ctx.source.doc_id}#claim{len(ctx.claims) + 1}"
    claim = ClaimCandidate(key, speaker, text, ctx.evidence(tokens, rule, CLAIM_CONFIDENCE))
    ctx.claims.append(claim)
    return claim


def speech_claims(verb: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
    """ "X said (that) C" and "C, X said": a Claim C stated by X."""
    if verb.lemma_.lower() not in ctx.lex.speech_verbs:
        return
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")
               and c.lower_ not in ANAPHORS and len(list(c.subtree)) > 2]
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
    text = " ".join(_clause_text(c, after, verb if inserted else None) for c in clauses)
    if len(text.split()) < 3:
        return
    claim = _new_claim(ctx, speaker, text, [head, verb, *clauses], f"claim:{verb.lemma_.lower()}")
    yield RelationCandidate(speaker, "states", claim, claim.evidence, polarity(verb, ctx))
    yield from _denial_in_speech(verb, clauses[0], speaker, ctx)
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
                     ctx: DocContext) -> Iterator[RelationCandidate]:
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
                      ctx: DocContext) -> Iterator[RelationCandidate]:
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


def _negations(clause: Token) -> list[Token]:
    """The words that negate a clause: "has never handed", "has no links"."""
    out = [c for c in clause.children if c.dep_ == "neg"]
    for c in clause.children:
        if c.dep_ in ("dobj", "attr"):
            out += [d for d in c.children if d.dep_ == "det" and d.lower_ == "no"]
    return out


def _about_itself(clause: Token, speaker: Mention, ctx: DocContext) -> bool:
    """Whether the negated clause's subject is the speaker, a company or its
    product ("X said it has never shared data"); states and their officials
    refusing to act ("we will not ask firms to ...") are not denying."""
    if speaker.type not in ("Company", "Product", "CompanyGroup", "Organization"):
        return False
    for head in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
        if any(m.key == speaker.key for m in ctx.resolve(head, with_conj=False)):
            return True
    return False


def _denial_in_speech(verb: Token, clause: Token, speaker: Mention,
                      ctx: DocContext) -> Iterator[RelationCandidate]:
    """ "X said it has never handed data to Beijing": X denies that it has.

    The denied claim is the clause without its negation, attributed to whoever
    last accused X (or made the last claim); with nobody to attribute it to,
    no denial is recorded.
    """
    negations = _negations(clause)
    if not negations or polarity(verb, ctx) == "negative" or speaker.type == "Country":
        return
    # Only an accusation against the speaker makes a negated statement a denial.
    accuser = _accuser(ctx, verb, [speaker], accusations_only=True)
    if accuser is None and _about_itself(clause, speaker, ctx):
        # a party acted against, saying it never did X, denies the charge
        # behind the act: the claim is its adversary's
        accuser = ctx.main_actor(verb.i, [speaker], strict=True)
    if accuser is None or accuser.key == speaker.key:
        return
    dropped = {t.i for t in negations}
    words = [t.text_with_ws for t in clause.subtree if t.i not in dropped
             and not (t.dep_ == "mark" and t.head.i == clause.i)]
    text = " ".join("".join(words).strip(QUOTES).split())
    claim = _new_claim(ctx, accuser, text, [verb, clause], "claim:negated-speech")
    ev = ctx.evidence([verb, clause], "deny:negated-speech", 0.6)
    yield RelationCandidate(speaker, "denies", claim, ev)


def _allied(speaker: Mention, deniers: list[Mention], ctx: DocContext) -> bool:
    """Whether a claim's speaker is on the deniers' side: the same party, its
    company, its official, or its owner."""
    keys = {d.key for d in deniers}
    if speaker.key in keys:
        return True
    return any(rc.predicate in ("basedIn", "officialOf", "owns")
               and {rc.subject.key, getattr(rc.obj, "key", None)} & keys
               and speaker.key in (rc.subject.key, getattr(rc.obj, "key", None))
               for rc in ctx.relations)


def _earlier_claim(verb: Token, ctx: DocContext, deniers: list[Mention]) -> ClaimCandidate | None:
    """The last claim before ``verb`` made by someone not on the deniers' side."""
    before = _orig(verb, ctx)
    earlier = [cl for cl in ctx.claims if cl.evidence.start_char < before
               and cl.speaker is not None and not _allied(cl.speaker, deniers, ctx)]
    return earlier[-1] if earlier else None


def _denied_claim(verb: Token, ctx: DocContext, deniers: list[Mention]) -> ClaimCandidate | None:
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in ctx.lex.claim_nouns:
        return _earlier_claim(verb, ctx, deniers)  # "a charge the companies reject"
    for c in verb.children:
        if c.dep_ == "dobj" and (c.lower_ in ANAPHORS or c.lemma_.lower() in ctx.lex.claim_nouns):
            clause = [x for x in c.children if x.dep_ in ("acl", "ccomp", "relcl")
                      and any(m.dep_ == "mark" for m in x.children)]
            if clause:
                return _new_claim(ctx, _accuser(ctx, verb, deniers), _clause_text(clause[0]),
                                  [verb, clause[0]], "claim:denied-content")
            return _earlier_claim(verb, ctx, deniers)
        if c.dep_ == "ccomp" and any(m.dep_ == "mark" for m in c.children):
            return _new_claim(ctx, _accuser(ctx, verb, deniers), _clause_text(c), [verb, c],
                              "claim:denied-content")
    return None


def _orig(tok: Token, ctx: DocContext) -> int:
    return ctx.source.original_span(tok.idx, tok.idx + 1)[0]


def _accuser(ctx: DocContext, verb: Token, deniers: list[Mention],
             accusations_only: bool = False) -> Mention | None:
    """Who made the claim a denial answers: whoever last accused the denier
    before it, else (unless ``accusations_only``) the last other speaker;
    None when the text names nobody."""
    keys = {d.key for d in deniers}
    before = _orig(verb, ctx)
    for rc in reversed(ctx.relations):
        if (rc.predicate in ("accuses", "designatesAsThreat") and rc.evidence.start_char < before
                and getattr(rc.obj, "key", None) in keys):
            return rc.subject
    if accusations_only:
        return None
    earlier = [cl for cl in ctx.claims if cl.evidence.start_char < before
               and cl.speaker is not None and cl.speaker.key not in keys]
    return earlier[-1].speaker if earlier else None


def denials(verb: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
    """ "Huawei denies that." / "rejected the allegations" / "denied that it spied"."""
    if verb.lemma_.lower() not in ctx.lex.deny_verbs:
        return
    heads = subject_heads(verb, ctx)
    deniers = [m for h in heads for m in ctx.resolve(h)]
    claim = _denied_claim(verb, ctx, deniers)
    if claim is None or claim.speaker is None:
        return
    for head in heads:
        for subject in ctx.resolve(head):
            if subject.key == claim.speaker.key:
                continue
            ev = ctx.evidence([head, verb], "deny:claim", 0.8)
            yield RelationCandidate(subject, "denies", claim, ev, polarity(verb, ctx))


def evidence_accusations(noun: Token, ctx: DocContext) -> Iterator[RelationCandidate]:
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


def extract_claims(ctx: DocContext) -> Iterator[RelationCandidate]:
    """Claims (as ``states``) and denials (as ``denies``), in text order."""
    for tok in ctx.doc:
        if tok.pos_ in ("VERB", "AUX"):
            yield from speech_claims(tok, ctx)
            yield from denials(tok, ctx)
        yield from evidence_accusations(tok, ctx)
