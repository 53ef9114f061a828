"""Who acts when the clause does not say: the agent of an agentless passive
("sales will be barred, the ministry said") or of a rule laid on someone
else ("exporters must obtain a licence").

The agent is, in order: the speaker of the reported speech the clause sits
in, when the speaker is an authority; the state a regulated group belongs to
("Chilean exporters" answer to Chile); the actor of most coercive acts in the
document so far. The weaker the source, the lower the confidence the caller
gives the fact.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.datatypes import Mention
from kg.extract.reading import Reading

AUTHORITIES = frozenset({"Country", "GovernmentBody", "InternationalOrganization", "Person"})
CLAUSE_LINKS = frozenset({"ccomp", "conj", "xcomp", "advcl", "parataxis"})


def speech_verb_above(verb: Token, ctx: Reading, depth: int = 4) -> Token | None:
    """The verb of saying whose reported clause holds ``verb``, if any."""
    tok = verb
    for _ in range(depth):
        if tok.dep_ not in CLAUSE_LINKS or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.lemma_.lower() in ctx.lex.speech_verbs:
            return tok
    return None


def speaker_agents(verb: Token, ctx: Reading) -> list[Mention]:
    """The authority reporting the clause: ", the ministry said"."""
    speech = speech_verb_above(verb, ctx)
    if speech is None:
        return []
    heads = [c for c in speech.children if c.dep_ == "nsubj"]
    found = [m for h in heads for m in ctx.resolve(h, with_conj=False)]
    return [m for m in found if m.type in AUTHORITIES]


def group_state(head: Token, ctx: Reading) -> list[Mention]:
    """The state a regulated group is named after: "Chilean exporters" -> Chile."""
    group = ctx.index.at(head)
    if group is None or not group.key.startswith("group:"):
        return []
    first, _ = ctx.index.span_of(group)
    for tok in ctx.doc[first:head.i]:
        country = ctx.country_at(tok)
        if country is not None:
            return [country]
    return []


def leading_actor(verb: Token, ctx: Reading) -> list[Mention]:
    """The actor of most coercive acts before ``verb`` (the story's main actor)."""
    actor = ctx.main_actor(verb.i, [])
    return [actor] if actor is not None and actor.type in AUTHORITIES - {"Person"} else []


def implicit_agents(verb: Token, ctx: Reading,
                    regulated: list[Token] = ()) -> tuple[list[Mention], float]:
    """The agent of an act whose clause names none, and a confidence factor."""
    spoken = speaker_agents(verb, ctx)
    if spoken:
        return spoken, 1.0
    for head in regulated:
        state = group_state(head, ctx)
        if state:
            return state, 0.9
    return leading_actor(verb, ctx), 0.75
