"""Denials: "X denies that C", "rejected the allegations", "a charge X
denies", and reported statements that negate what the speaker is charged
with ("said it has never handed data to Beijing"). The denied Claim is
attributed to whoever accused the denier or acted against it.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import ClaimCandidate, Mention, RelationCandidate
from kg.extract.arguments import subject_heads
from kg.extract.claimtext import ANAPHORS, affirmed_text, clause_text, new_claim
from kg.extract.polarity import polarity
from kg.extract.reading import Reading


def _about_itself(clause: Token, speaker: Mention, ctx: Reading) -> bool:
    """Whether the negated clause's subject is the speaker, a company or its
    product ("X said it has never shared data"); states and their officials
    refusing to act ("we will not ask firms to ...") are not denying."""
    if speaker.type not in ("Company", "Product", "CompanyGroup", "Organization"):
        return False
    for head in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
        if any(m.key == speaker.key for m in ctx.resolve(head, with_conj=False)):
            return True
    return False


def denial_in_speech(verb: Token, clause: Token, speaker: Mention,
                     ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X said it has never handed data to Beijing": X denies that it has;
    "the minister insisted the suspension was not a response to ...": a
    party denies a motive imputed to its own act.

    The denied claim is the clause without its negation, attributed to whoever
    last accused X (or acted against it); with nobody to attribute it to,
    no denial is recorded.
    """
    negations = _negations(clause)
    if not negations or polarity(verb, ctx) == "negative":
        return
    own_act = _own_act(clause, speaker, ctx)
    if speaker.type == "Country" and not own_act:
        return
    # Only an accusation against the speaker makes a negated statement a denial.
    accuser = _accuser(ctx, verb, [speaker], accusations_only=True)
    if accuser is None and (own_act or _about_itself(clause, speaker, ctx)):
        # a party acted against, saying it never did X, denies the charge
        # behind the act: the claim is its adversary's
        accuser = _claimant(ctx, verb, [speaker], speakers=False)
    if accuser is None or accuser.key == speaker.key:
        return
    claim = new_claim(ctx, accuser, affirmed_text(clause, negations), [verb, clause],
                      "claim:negated-speech")
    ev = ctx.evidence([verb, clause], "deny:negated-speech", 0.6)
    yield RelationCandidate(speaker, "denies", claim, ev)


def _side(party: Mention, ctx: Reading) -> set[str]:
    """The party, the bodies it holds office in and their states."""
    keys = {party.key}
    for rc in ctx.relations:
        if rc.predicate == "officialOf" and rc.subject.key == party.key:
            state = ctx.state_of(rc.obj)
            keys |= {rc.obj.key} | ({state.key} if state is not None else set())
    return keys


def _own_act(clause: Token, speaker: Mention, ctx: Reading) -> bool:
    """Whether the negated clause is about an act of the speaker's side:
    "the suspension was not a response to ...", said by the state's minister."""
    side = _side(speaker, ctx)
    for head in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
        if head.lemma_.lower() not in ctx.lex.act_nouns or ctx.own_mention(head) is not None:
            continue
        actor = _author(head, ctx)
        if actor is not None and actor.key in side:
            return True
    return False


def _author(noun: Token, ctx: Reading) -> Mention | None:
    """Who did the act a noun names: the last act read so far whose verb
    shares the noun's stem ("the suspension" after "suspended"), else the
    story's main actor."""
    stem = noun.lemma_.lower()
    for i, actor, _ in reversed(ctx.acts):
        verb = ctx.doc[i].lemma_.lower()
        size = min(5, len(verb), len(stem))
        if i < noun.i and verb[:size] == stem[:size]:
            return actor
    return ctx.act_actor(noun, [])


def _negations(clause: Token) -> list[Token]:
    """The words that negate a clause: "has never handed", "has no links",
    "was not merely a response"."""
    out = [c for c in clause.children if c.dep_ == "neg"]
    for c in clause.children:
        if c.dep_ in ("dobj", "attr"):
            out += [d for d in c.children if d.dep_ == "det" and d.lower_ == "no"]
            out += [d for d in c.children if d.dep_ == "neg"]
    return out


def _allied(speaker: Mention, deniers: list[Mention], ctx: Reading) -> bool:
    """Whether a claim's speaker is on the deniers' side: the same party, its
    company, its official, or its owner."""
    keys = {d.key for d in deniers}
    if speaker.key in keys:
        return True
    return any(rc.predicate in ("basedIn", "officialOf", "owns")
               and {rc.subject.key, getattr(rc.obj, "key", None)} & keys
               and speaker.key in (rc.subject.key, getattr(rc.obj, "key", None))
               for rc in ctx.relations)


def _earlier_claim(verb: Token, ctx: Reading, deniers: list[Mention]) -> ClaimCandidate | None:
    """The last claim before ``verb`` made by someone not on the deniers' side."""
    before = _orig(verb, ctx)
    earlier = [cl for cl in ctx.claims if cl.evidence.start_char < before
               and cl.speaker is not None and not _allied(cl.speaker, deniers, ctx)]
    return earlier[-1] if earlier else None


def _denied_claim(verb: Token, ctx: Reading, deniers: list[Mention]) -> ClaimCandidate | None:
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in ctx.lex.claim_nouns:
        # "X did Y, a charge the companies reject"
        return _same_sentence_claim(verb, ctx, deniers) or _apposed_charge(verb, ctx, deniers)
    for c in verb.children:
        if c.dep_ == "dobj" and (c.lower_ in ANAPHORS or c.lemma_.lower() in ctx.lex.claim_nouns):
            clause = [x for x in c.children if x.dep_ in ("acl", "ccomp", "relcl")
                      and any(m.dep_ == "mark" for m in x.children)]
            if clause:
                return _content_claim(clause[0], verb, ctx, deniers)
            return (_answer(verb, ctx, deniers) or _charge_before(verb, ctx, deniers)
                    or _earlier_claim(verb, ctx, deniers))
        if c.dep_ == "ccomp" and any(m.dep_ == "mark" for m in c.children):
            return _content_claim(c, verb, ctx, deniers)
    return _charge_before(verb, ctx, deniers)


def _content_claim(clause: Token, verb: Token, ctx: Reading,
                   deniers: list[Mention]) -> ClaimCandidate | None:
    """ "denied that C", "rejected claims that C": the Claim C, made by whoever
    stands behind it (no Claim without someone to attribute it to)."""
    claimant = _claimant(ctx, verb, deniers)
    if claimant is None:
        return None
    return new_claim(ctx, claimant, clause_text(clause), [verb, clause], "claim:denied-content")


def _same_sentence_claim(verb: Token, ctx: Reading,
                         deniers: list[Mention]) -> ClaimCandidate | None:
    claim = _earlier_claim(verb, ctx, deniers)
    if claim is not None and claim.evidence.sentence_index == ctx.sentence_number(verb.sent):
        return claim
    return None


def _apposed_charge(verb: Token, ctx: Reading,
                    deniers: list[Mention]) -> ClaimCandidate | None:
    """ "held up shipments under a forced-labour law, a charge DJI denies": the
    charge is the clause it is set beside."""
    noun = verb.head
    if noun.dep_ != "appos":
        return _earlier_claim(verb, ctx, deniers)
    root = noun.sent.root
    tokens = [t for t in root.subtree if not noun.is_ancestor(t) and t.i != noun.i]
    return _claim_from(tokens, verb, ctx, deniers)


def _charge_before(verb: Token, ctx: Reading,
                   deniers: list[Mention]) -> ClaimCandidate | None:
    """The same, parsed with the clause as the deny verb's complement and the
    claim noun inside its subject: "[they held up ...], a charge DJI denies"."""
    fronted = [c for c in verb.children if c.dep_ in ("nsubj", "dobj") and c.i < verb.i]
    charged = any(t.lemma_.lower() in ctx.lex.claim_nouns for s in fronted for t in s.subtree)
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]
    if not charged or not clauses:
        return None
    return _claim_from(list(clauses[0].subtree), verb, ctx, deniers)


def _claim_from(tokens: list[Token], verb: Token, ctx: Reading,
                deniers: list[Mention]) -> ClaimCandidate | None:
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    claimant = _claimant(ctx, verb, deniers)
    if len(tokens) < 3 or claimant is None:
        return None
    text = " ".join(verb.doc[tokens[0].i:tokens[-1].i + 1].text.split())
    return new_claim(ctx, claimant, text, [verb, tokens[0]], "claim:apposed-charge")


def _answer(verb: Token, ctx: Reading, deniers: list[Mention]) -> ClaimCandidate | None:
    """ "rejected the charge, telling the court that the company did not ...":
    the charge is what the negated statement that goes with the denial says."""
    said = [c for c in verb.children if c.dep_ in ("advcl", "xcomp", "conj")
            and c.lemma_.lower() in ctx.lex.speech_verbs]
    for speech in said:
        for clause in (c for c in speech.children if c.dep_ == "ccomp"):
            negations = _negations(clause)
            claimant = _claimant(ctx, verb, deniers)
            if negations and claimant is not None:
                return new_claim(ctx, claimant, affirmed_text(clause, negations),
                                 [verb, clause], "claim:denied-answer")
    return None


def _orig(tok: Token, ctx: Reading) -> int:
    return ctx.source.original_span(tok.idx, tok.idx + 1)[0]


def _accuser(ctx: Reading, verb: Token, deniers: list[Mention],
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


def _claimant(ctx: Reading, verb: Token, deniers: list[Mention],
              speakers: bool = True) -> Mention | None:
    """Who stands behind a charge nobody is named as making: whoever accused
    the deniers, else acted against them, else (with ``speakers``) the last
    other speaker, else whom the deniers' side acted against."""
    found = (_accuser(ctx, verb, deniers, accusations_only=True)
             or ctx.main_actor(verb.i, deniers, strict=True)
             or (_accuser(ctx, verb, deniers) if speakers else None))
    if found is not None:
        return found
    sides = set().union(*(_side(d, ctx) for d in deniers)) if deniers else set()
    targets = [t for i, a, t in ctx.acts if i < verb.i and a.key in sides
               and t.key not in sides]
    return targets[-1] if targets else None


def denials(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Huawei denies that." / "rejected the allegations" / "denied that it spied"."""
    if verb.lemma_.lower() not in ctx.lex.deny_verbs and not misread_denial(verb, ctx):
        return
    heads = _denier_heads(verb, ctx)
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


def misread_denial(verb: Token, ctx: Reading) -> bool:
    """ "The company rejects claims that ...", parsed with "rejects" as a noun
    and "claims" as the verb: a denial, not a statement."""
    if verb.i == 0 or verb.lemma_.lower() not in ctx.lex.claim_nouns or verb.tag_ != "VBZ":
        return False
    prev = verb.doc[verb.i - 1]
    return prev.tag_ in ("NNS", "VBZ") and prev.lemma_.lower() in ctx.lex.deny_verbs \
        and prev.head.i in (verb.i, *[c.i for c in verb.children])


def _denier_heads(verb: Token, ctx: Reading) -> list[Token]:
    """Who denies: the verb's subject; for a misread "rejects claims", the
    subject of either word, without the misread verb itself."""
    heads = subject_heads(verb, ctx)
    if not misread_denial(verb, ctx):
        return heads
    misread = verb.doc[verb.i - 1]
    return [h for h in heads if h.i != misread.i] + [
        c for c in misread.children if c.dep_ == "nsubj"]
