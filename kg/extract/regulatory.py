"""Acts carried by regulatory constructions rather than by a verb of the
lexicon: licensing regimes ("will require licences to export drones to
Chile") and obligations an authority announces ("Acme may not sign up new
customers and must stop selling updates, the bureau said").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.agents import AUTHORITIES, implicit_agents, speaker_agents
from kg.extract.arguments import descend_to_actors, object_heads, subject_heads
from kg.extract.pairs import COERCIVE, relate
from kg.extract.polarity import modality, no_longer, polarity
from kg.extract.reading import Reading

TARGETS = frozenset({"Country", "CountryGroup", "Company", "CompanyGroup", "Product",
                     "GovernmentBody", "Person"})
REGULATED = frozenset({"Company", "CompanyGroup", "Product"})


def _licence_verb(noun: Token, ctx: Reading) -> Token | None:
    """The verb that needs or grants the licence: "need a licence",
    "apply for a licence", "licences will be required"."""
    verbs = ctx.lex.licensing.get("verbs", ())
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "for":
        head = head.head
    if noun.dep_ in ("dobj", "nsubjpass", "pobj") and head.lemma_.lower() in verbs:
        return head
    return None


def _destinations(verb: Token, noun: Token, ctx: Reading) -> list[Token]:
    """Whom the licensed flow goes to: "to Chile", "bound for Acme"."""
    flows = ctx.lex.licensing.get("flows", ())
    found = []
    for tok in [*verb.subtree]:
        if tok.dep_ not in ("pobj", "pcomp") or tok.head.lower_ not in ("to", "for"):
            continue
        governor = tok.head.head
        if governor.lemma_.lower() in flows or governor.i == noun.i:
            found += descend_to_actors(tok, ctx)
    return found


def _imposers(verb: Token, ctx: Reading) -> tuple[list, float]:
    """Who lays the licence down: the subject of "require", else the authority
    reporting it, the regulated group's state, or the story's main actor."""
    heads = subject_heads(verb, ctx)
    if verb.lemma_.lower() in ctx.lex.licensing.get("imposing", ()):
        named = [h for h in heads if any(m.type in AUTHORITIES - {"Person"}
                                         for m in ctx.resolve(h))]
        if named:
            return named, 1.0
    return implicit_agents(verb, ctx, regulated=heads)


def licence_relations(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """A licence requirement restricts the destinations of the licensed flow."""
    spec = ctx.lex.licensing
    if noun.lemma_.lower() not in spec.get("nouns", ()) or noun.pos_ != "NOUN":
        return
    verb = _licence_verb(noun, ctx)
    if verb is None or polarity(verb, ctx) == "negative":
        return
    targets = _destinations(verb, noun, ctx)
    if not targets:
        return
    imposers, factor = _imposers(verb, ctx)
    confidence = float(spec.get("confidence", 0.7)) * factor
    for rc in relate(ctx, verb, imposers, targets, "restricts", "licence:" + noun.lemma_.lower(),
                     confidence):
        if rc.obj.type in TARGETS:
            yield rc


def _obliged(verb: Token, ctx: Reading) -> bool:
    """ "may not sign up", "must stop delivering", "cannot sell"."""
    spec = ctx.lex.obligations
    modal = any(c.dep_ == "aux" and c.lower_ in spec.get("modals", ()) for c in verb.children)
    negated = any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ == "aux" and c.lower_ == "cannot" for c in verb.children)
    halting = verb.lemma_.lower() in spec.get("halting", ()) and any(
        c.dep_ == "aux" and c.lower_ == "must" for c in verb.children)
    return modal and (negated or halting)


def obligation_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """An authority reporting that a firm may not or must stop doing
    something restricts the firm."""
    if verb.pos_ not in ("VERB", "AUX") or not _obliged(verb, ctx):
        return
    speakers: list[Mention] = speaker_agents(verb, ctx)
    heads = [c for c in verb.children if c.dep_ == "nsubj"]
    if not speakers or not heads:
        return
    confidence = float(ctx.lex.obligations.get("confidence", 0.65))
    for head in heads:
        for firm in ctx.resolve(head):
            if firm.type not in REGULATED:
                continue
            for speaker in speakers:
                if speaker.key != firm.key:
                    ev = ctx.evidence([head, verb], "obligation:" + verb.lemma_.lower(),
                                      confidence)
                    yield RelationCandidate(speaker, "restricts", firm, ev)


def _halted(act: Token, ctx: Reading) -> Token | None:
    """The verb that halts a supply act: "stopped supplying", "no longer sells"."""
    spec = ctx.lex.supply_halts
    if act.dep_ == "xcomp" and act.head.lemma_.lower() in spec.get("halting", ()):
        return act.head
    return act if no_longer(act) else None


def supply_halt_relations(act: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """A supplier that stops supplying a customer excludes it."""
    spec = ctx.lex.supply_halts
    if act.lemma_.lower() not in spec.get("acts", ()) or act.pos_ != "VERB":
        return
    halt = _halted(act, ctx)
    if halt is None or (halt is not act and polarity(halt, ctx) == "negative"):
        return
    customers = [c for c in act.children if c.dep_ in ("dobj", "dative")]
    customers += [p for c in act.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                  for p in c.children if p.dep_ == "pobj"]
    customers = [a for c in customers for a in descend_to_actors(c, ctx)]
    confidence = float(spec.get("confidence", 0.65))
    for rc in relate(ctx, halt, subject_heads(halt, ctx), customers, "excludes",
                     "supply-halt:" + act.lemma_.lower(), confidence):
        if rc.obj.type in TARGETS - {"Product"}:
            yield RelationCandidate(rc.subject, rc.predicate, rc.obj, rc.evidence)


COURT_VERBS = {"take", "bring", "haul", "drag"}
COURTS = {"court", "tribunal", "arbitration"}


def court_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "took the government to court", "brought Acme before a tribunal": the
    one who takes a party to court sues it."""
    if verb.lemma_.lower() not in COURT_VERBS or verb.pos_ != "VERB":
        return
    courts = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "before")
              for p in c.children if p.dep_ == "pobj"
              and (p.lemma_.lower() in COURTS or p.text.lower().endswith("court"))]
    sued = [c for c in verb.children if c.dep_ == "dobj"]
    if courts and sued:
        yield from relate(ctx, verb, subject_heads(verb, ctx), sued, "sues",
                          "court:" + verb.lemma_.lower(), 0.75)


ANSWERING = {"follow", "respond", "react", "retaliate", "answer", "counter", "reply", "hit",
             "strike"}
GOVERNED_BY_VERB = ("nsubj", "nsubjpass")


def _nominal_targets(noun: Token, ctx: Reading) -> list[Token]:
    nominal = ctx.lex.nominals.get(noun.lemma_.lower())
    if nominal is None or noun.pos_ != "NOUN" or ctx.own_mention(noun) is not None:
        return []
    found = [p for prep in nominal.preps for c in noun.children
             if c.dep_ == "prep" and c.lower_ == prep for p in c.children if p.dep_ == "pobj"]
    return [a for t in found for a in descend_to_actors(t, ctx)]


def with_nominal_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "the Treasury followed with sanctions on X", "Beijing responded with
    tariffs on Y": the act named after "with" is the subject's."""
    if verb.lemma_.lower() not in ANSWERING or verb.pos_ != "VERB":
        return
    for c in verb.children:
        if c.dep_ != "prep" or c.lower_ != "with":
            continue
        for noun in (p for p in c.children if p.dep_ == "pobj"):
            targets = _nominal_targets(noun, ctx)
            nominal = ctx.lex.nominals.get(noun.lemma_.lower())
            if targets:
                yield from relate(ctx, verb, subject_heads(verb, ctx), targets, nominal.property,
                                  f"nominal:with+{nominal.lemma}", nominal.confidence)


def orphan_nominal_relations(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Curbs on another 25 apps followed", "reviews of two platforms were
    announced": an act named by a noun that is the subject of its clause and
    names no author is the reporting authority's, or the story's main actor's."""
    if noun.dep_ not in GOVERNED_BY_VERB or any(c.dep_ == "poss" for c in noun.children):
        return
    targets = _nominal_targets(noun, ctx)
    nominal = ctx.lex.nominals.get(noun.lemma_.lower())
    if not targets or nominal.property not in COERCIVE | {"investigates"}:
        return
    verb = noun.head
    if polarity(verb, ctx) == "negative" or subject_heads(verb, ctx) != [noun] and \
            any(c.dep_ == "agent" for c in verb.children):
        return
    agents, factor = implicit_agents(verb, ctx)
    yield from relate(ctx, verb, agents, targets, nominal.property,
                      f"nominal:orphan+{nominal.lemma}", nominal.confidence * factor)


def undoing_demand_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "sought the withdrawal of the measures", "demanded the release of the
    executive": demanding that an act be undone presses whoever did it."""
    spec = ctx.lex.undoing_demands
    if verb.lemma_.lower() not in spec.get("verbs", ()) or verb.pos_ != "VERB":
        return
    nouns = [c for c in verb.children if c.dep_ == "dobj"]
    nouns += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"
              for p in c.children if p.dep_ == "pobj"]  # "called for the lifting of"
    demanders = [m for h in subject_heads(verb, ctx) for m in ctx.resolve(h)]
    for noun in (n for n in nouns if n.lemma_.lower() in spec.get("nouns", ())):
        for act in (p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                    for p in c.children if p.dep_ == "pobj"):
            author = ctx.act_actor(act, demanders) if act.lemma_.lower() in \
                ctx.lex.act_nouns else None
            if author is None:  # "the release of the executive": who holds him
                author = ctx.main_actor(verb.i, [m for h in [act] for m in ctx.resolve(h)],
                                        strict=True)
            for party in demanders:
                if author is not None and author.key != party.key:
                    ev = ctx.evidence([verb, noun, act], "demand:" + noun.lemma_.lower(),
                                      float(spec.get("confidence", 0.6)))
                    yield RelationCandidate(party, "pressures", author, ev,
                                            polarity(verb, ctx), modality(verb, ctx))


SCOPE_VERBS = {"cover", "include", "target", "affect", "hit", "name", "apply", "extend", "list"}
# what a measure does to the parties it covers: any coercive kind but blocking
SCOPED = COERCIVE - {"blocks"}


def _scope_property(noun: Token, ctx: Reading) -> tuple[str | None, Mention | None]:
    """What a measure does and who took it: its own kind ("the ban" bans),
    else the last coercive act before it ("the list" of banned apps bans)."""
    prop = ctx.lex.measure_nouns.get(noun.lemma_.lower())
    act = ctx.last_act(noun.i, SCOPED if prop is None else SCOPED & {prop})
    if act is None:
        return None, None
    owner = next((m for c in noun.children if c.dep_ == "poss" for m in ctx.resolve(c)), None)
    return act.prop, owner or act.actor


def measure_scope_relations(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "The list also covers the app Shareit", "the sanctions target five
    firms": a measure that covers a party acts on it, for its author."""
    if verb.lemma_.lower() not in SCOPE_VERBS or verb.pos_ != "VERB":
        return
    nouns = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"
             and ctx.own_mention(c) is None
             and c.lemma_.lower() in ctx.lex.act_nouns | ctx.lex.initiative_heads | {"list"}]
    if not nouns:
        return
    prop, author = _scope_property(nouns[0], ctx)
    targets = object_heads(verb, ctx)
    if prop is None or author is None or not targets:
        return
    yield from relate(ctx, verb, [author], targets, prop, "measure-scope:" + verb.lemma_.lower(),
                      0.6)


def extract_regulatory(ctx: Reading) -> Iterator[RelationCandidate]:
    """Every regulatory construction of the document, in text order."""
    for tok in ctx.doc:
        yield from licence_relations(tok, ctx)
        yield from obligation_relations(tok, ctx)
        yield from supply_halt_relations(tok, ctx)
        yield from court_relations(tok, ctx)
        yield from with_nominal_relations(tok, ctx)
        yield from orphan_nominal_relations(tok, ctx)
        yield from measure_scope_relations(tok, ctx)
        yield from undoing_demand_relations(tok, ctx)
