"""Unnamed measures as nodes of their story: what a court blocks or upholds
is the measure itself ("blocked the ban", "lifted the suspension of X",
"upheld the order"), not the state that took it.

A measure noun with its target ("the ban on TikTok", "the TikTok ban")
gets a label built from them; a bare one ("the ban") is the measure of that
kind named before in the story, or else the last act of its kind ("India
banned TikTok ... the ban" is the ban on TikTok). Nodes are keyed by story and
label, so every mention of one measure in a story is one node.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.datatypes import Mention
from kg.extract.reading import Reading

TARGET_PREPS = ("on", "of", "against", "targeting")


def _target(noun: Token, ctx: Reading) -> tuple[str, Mention | None]:
    """The preposition and the named target of a measure noun, if any."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            for p in c.children:
                m = ctx.own_mention(p) if p.dep_ == "pobj" else None
                if m is not None:
                    return c.lower_, m
    for c in noun.lefts:
        m = ctx.index.at(c) if c.dep_ in ("compound", "amod", "nmod") else None
        if m is not None and m.type != "Country":
            return "", m
    return "", None


def _last_act(noun: Token, ctx: Reading) -> Mention | None:
    """The target of the last act of the kind the noun names ("the ban")."""
    prop = ctx.lex.measure_nouns.get(noun.lemma_.lower())
    act = ctx.last_act(noun.i, {prop}) if prop else None
    return act.target if act is not None else None


def _label(noun: Token, ctx: Reading) -> str | None:
    lemma = noun.lemma_.lower()
    prep, target = _target(noun, ctx)
    if target is not None:
        return f"{lemma} {prep} {target.label}" if prep else f"{target.label} {lemma}"
    words = [t.lower_ for t in noun.lefts if t.dep_ in ("compound", "amod")
             and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.ent_type_ not in ("DATE", "ORDINAL")]
    if words:
        return " ".join([*words, lemma])
    if lemma in ctx.memo.measures:
        return ctx.memo.measures[lemma]
    earlier = _last_act(noun, ctx)
    return f"{lemma} on {earlier.label}" if earlier is not None else None


def measure_mention(noun: Token, ctx: Reading, actors: list[Mention] = ()) -> Mention | None:
    """The node for an unnamed measure a verb acts on, or None; a party's
    own measure ("Nigeria lifted its suspension") is not one it acts on."""
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or lemma not in ctx.lex.act_nouns | ctx.lex.initiative_heads:
        return None
    keys = {a.key for a in actors}
    if any(m.key in keys for c in noun.children if c.dep_ == "poss" for m in ctx.resolve(c)):
        return None
    label = _label(noun, ctx)
    if label is None:
        return None
    ctx.memo.measures[lemma] = label
    start = noun.left_edge
    while start.i < noun.i and start.dep_ in ("det", "poss", "case"):
        start = start.doc[start.i + 1]
    end = noun.idx + len(noun.text)
    return Mention(f"measure:{ctx.source.doc_id}:{label.lower()}", ctx.doc[start.i:noun.i + 1].text,
                   label, "Initiative", start.idx, end)


# the measure noun an act of each kind makes ("barring the app" -> a ban on it)
ACT_NOUNS = {"bans": "ban", "restricts": "restriction", "sanctions": "sanctions",
             "excludes": "exclusion", "designatesAsThreat": "designation"}
APPLYING = {"enforce", "implement", "impose", "apply", "carry", "introduce", "pursue"}


def blocked_measure(verb: Token, ctx: Reading) -> Mention | None:
    """ "blocked the department from barring the app", "barred the government
    from enforcing the ban": what a court stops is the measure, a ban on the
    app, not the department."""
    acts = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
            for p in c.children if p.dep_ == "pcomp" and p.pos_ == "VERB"]
    for act in acts:
        objects = [c for c in act.children if c.dep_ == "dobj"]
        if act.lemma_.lower() in APPLYING and objects:
            measure = measure_mention(objects[0], ctx)
            if measure is not None:
                return measure
        entry = ctx.lex.verbs.get(act.lemma_.lower())
        noun = ACT_NOUNS.get(entry.property) if entry is not None else None
        targets = [m for o in objects for m in ctx.resolve(o)]
        if noun and targets:
            label = f"{noun} on {targets[0].label}"
            ctx.memo.measures[noun] = label
            return Mention(f"measure:{ctx.source.doc_id}:{label.lower()}", act.text, label,
                           "Initiative", act.idx, act.idx + len(act.text))
    return None

