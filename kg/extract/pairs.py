"""From argument heads to relation candidates.

``relate`` is where every reader of an act ends: it resolves the
subject and object heads to mentions, gives each pair the verb's polarity
and modality and a confidence lowered for coreference, and records positive
pairs as acts for later readers ("the decision", reactions).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.measures import measure_mention
from kg.extract.polarity import modality, polarity
from kg.extract.reading import Act, Reading

COREF_PENALTY = 0.1
COERCIVE = frozenset({"bans", "sanctions", "restricts", "excludes", "blocks"})
# acts whose unnamed object is the measure itself ("blocked the ban")
MEASURE_TARGETING = frozenset({"blocks", "supports"})
# acts a party may react to ("the decision", "the probe")
HOSTILE_ACTS = COERCIVE | {"investigates", "sues", "threatens", "designatesAsThreat"}


def _foreign_state(author: Mention, parties: list[Mention], ctx: Reading) -> Mention:
    """A state or its agency answering a foreign agency's act answers its
    state: the Commerce Department opposing the curbs of China's regulator
    opposes China."""
    if author.type != "GovernmentBody" or not parties or not all(
            p.type in ("Country", "GovernmentBody") for p in parties):
        return author
    state = ctx.state_of(author)
    own = {(ctx.state_of(p) or p).key for p in parties}
    return state if state is not None and state.key not in own else author


def _compelling(verb: Token, prop: str, ctx: Reading) -> bool:
    """ "ordered Acme to sell its plant": pressure that compels is an act
    against the one compelled, which it may react to."""
    return prop == "pressures" and verb.lemma_.lower() in ctx.lex.causatives and any(
        c.dep_ in ("xcomp", "ccomp") for c in verb.children)


def relate(ctx: Reading, verb: Token, subj_heads, obj_heads, prop: str, rule: str,
           confidence: float) -> Iterator[RelationCandidate]:
    """A candidate for each subject and object the heads stand for, with the
    polarity and modality of ``verb``; positive ones are recorded as acts.

    A subject head may be a Mention already (an agent the clause does not name).
    """
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
                # "blocked the ban", "upheld the order"
                measure = measure_mention(oh, ctx, subjects)
                objects = [measure] if measure is not None else []
            if pol == "positive":
                hostile = prop in HOSTILE_ACTS or _compelling(verb, prop, ctx)
                ctx.record_acts(Act(verb.i, prop, s, o, hostile)
                                   for s in subjects for o in objects)
            o_conf = s_conf - (COREF_PENALTY if ctx.is_coreferent(oh) else 0)
            for s in subjects:
                for o in objects:
                    if s.key == o.key:
                        continue
                    conf = o_conf * (0.9 if mod == "planned" else 1.0)
                    ev = ctx.evidence([sh, verb, oh], rule, conf)
                    yield RelationCandidate(s, prop, o, ev, pol, mod)
