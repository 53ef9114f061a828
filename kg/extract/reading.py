"""Reading a document with what earlier passes found.

Extraction runs as passes (see :func:`kg.extract.extract_document`):
mentions, coreference (the subject chain), structure, acts, business,
reactions, claims. Each pass reads the document through a ``Reading``: the
noun phrases (:class:`kg.extract.phrases.NounPhrases`), coreference, and
``known``, the facts earlier passes returned, as immutable values. A pass
that needs a new fact makes a new reading with ``knowing``; only the acts
and claims a pass reads as it goes are collected in ``new_acts`` and
``new_claims``, which the pass hands on as values when it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from spacy.tokens import Token

from kg.datatypes import ClaimCandidate, Mention, RelationCandidate
from kg.extract.coref import Coreference
from kg.extract.phrases import RELATIVE, STATE_LIKE, NounPhrases


class Act(NamedTuple):
    """An act read from the text: where, of what kind (None for an act no
    property names, "arrested"), by whom and on whom; ``hostile`` acts are
    the ones a party may react to."""

    index: int
    prop: str | None
    actor: Mention
    target: Mention
    hostile: bool


@dataclass(frozen=True)
class Known:
    """The facts earlier passes established about one document.

    Attributes:
        subject_chain: (token index, mention) of every subject, in text order.
        relations: every relation read so far.
        acts: every positive act read so far, in the order read.
    """

    subject_chain: tuple[tuple[int, Mention], ...] = ()
    relations: tuple[RelationCandidate, ...] = ()
    acts: tuple[Act, ...] = ()


@dataclass
class Reading(NounPhrases):
    """One document under extraction: its noun phrases, coreference and
    the facts earlier passes established (``known``)."""

    known: Known = field(default_factory=Known)
    # acts and claims read by the running pass, in the order read
    new_acts: list[Act] = field(default_factory=list)
    new_claims: list[ClaimCandidate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._coref = Coreference(self, self.memo.pronouns)

    def knowing(self, **facts) -> Reading:
        """A reading of the same document that knows ``facts`` (fields of
        ``Known``) besides what this one knows, with nothing read yet."""
        return replace(self, known=replace(self.known, **facts), new_acts=[], new_claims=[])

    @property
    def relations(self) -> tuple[RelationCandidate, ...]:
        """The relations earlier passes read."""
        return self.known.relations

    @property
    def subject_chain(self) -> tuple[tuple[int, Mention], ...]:
        """(token index, mention) of every subject (see Known)."""
        return self.known.subject_chain

    @property
    def act_log(self) -> tuple[Act, ...]:
        """Every positive act read so far: by earlier passes, then by this one."""
        return (*self.known.acts, *self.new_acts)

    @property
    def claims(self) -> list[ClaimCandidate]:
        """The claims this pass has read so far."""
        return self.new_claims

    def record_acts(self, acts) -> None:
        """Adds acts this pass has read (later readers of the pass see them)."""
        self.new_acts.extend(acts)

    def record_claim(self, claim: ClaimCandidate) -> None:
        """Adds a claim this pass has read."""
        self.new_claims.append(claim)

    def resolve(self, head: Token, with_conj: bool = True,
                acts: list[Mention] | None = None) -> list[Mention]:
        """Every mention the phrase headed by ``head`` stands for, coreference
        included; with ``acts`` (the parties reacting), "the decision" stands
        for whoever made it."""
        out: list[Mention] = []
        heads = [head, *[c for c in head.conjuncts if c.i > head.i
                         and not (c.i + 1 < len(self.doc) and self.doc[c.i + 1].tag_ == "POS")]]
        heads = heads if with_conj else [head]
        for h in heads:
            if h.lower_ in RELATIVE and h.head.dep_ == "relcl":
                h = h.head.head  # "the United States, which he accused": the antecedent
            plural = self._plural_description(h)
            if plural:
                out.extend(plural)
                continue
            m = (self.own_mention(h) or (self.act_actor(h, acts) if acts is not None else None)
                 or self.corefer(h) or self._partitive(h))
            if m is not None:
                out.append(m)
                # "SMIC, drone maker DJI": a list the parser took for an apposition.
                listed = [x for c in h.children if c.dep_ == "appos" for x in (c, *c.conjuncts)]
                for x in listed:
                    other = self.own_mention(x)
                    if other is not None and other.key != m.key and (
                            other.type == m.type or {other.type, m.type} <= STATE_LIKE):
                        out.append(other)
                out.extend(self._companions(h))
            for ex in self.examples(h):
                em = self.own_mention(ex)
                if em is not None:
                    out.append(em)
        return list(dict.fromkeys(out))

    def _plural_description(self, tok: Token) -> list[Mention]:
        """ "the companies", "the two firms": see ``Coreference.plural_description``."""
        return self.coreference.plural_description(tok)

    def act_actor(self, tok: Token, reacting: list[Mention]) -> Mention | None:
        """ "the decision", "the move", "this ban": who did the act. An act
        against the party reacting to it comes first ("Huawei called the
        decision unfair"); otherwise the actor of most acts so far."""
        if tok.lemma_.lower() not in self.lex.act_nouns:
            return None
        for c in tok.children:  # "Washington's sanctions": the possessor acted
            owner = self.own_mention(c) if c.dep_ == "poss" else None
            if owner is not None:
                return owner
        qualifier = self._acting_state(tok)  # "the U.S. move", "Japanese curbs"
        if qualifier is not None:
            return qualifier
        described = tok.tag_ == "NNS" or any(c.dep_ in ("relcl", "acl") for c in tok.children)
        if not described and not any(c.dep_ in ("det", "poss") for c in tok.children):
            return None
        # "the curbs" name a kind of act: its last author; "the decision" does
        # not: whoever acted against the party reacting, else the last coercer
        named = self.lex.measure_nouns.get(tok.lemma_.lower()) and self._last_actor_of(tok)
        actor = (named or self.main_actor(tok.i, reacting, strict=True)
                 or self._last_actor_of(tok) or self.main_actor(tok.i, reacting))
        # an unnamed act of an official ("the suspension" a minister announced)
        # is the act of the state the official serves
        return (self.serving_state(actor) or actor) if actor is not None else None

    def serving_state(self, person: Mention) -> Mention | None:
        """The country an official acts for ("Digital Secretary Oliver Dowden")."""
        if person.type != "Person":
            return None
        served = [rc.obj for rc in self.relations if rc.predicate == "officialOf"
                  and rc.subject.key == person.key and getattr(rc.obj, "type", "") == "Country"]
        return served[0] if served else None

    def last_act(self, before: int, kinds) -> Act | None:
        """The last positive act of one of ``kinds`` read before token ``before``."""
        return next((a for a in reversed(self.act_log) if a.index < before and a.prop in kinds),
                    None)

    @property
    def acts(self) -> list[tuple[int, Mention, Mention]]:
        """(token index, actor, target) of every act a party may react to."""
        return [(a.index, a.actor, a.target) for a in self.act_log if a.hostile]

    def _last_actor_of(self, tok: Token) -> Mention | None:
        """Who took the last act of the kind a noun names ("the ban": the last
        banning; "the decision": the last coercive act)."""
        wanted = self.lex.measure_nouns.get(tok.lemma_.lower())
        act = self.last_act(tok.i, {wanted} if wanted else self.lex.coercive_properties)
        return act.actor if act is not None else None

    def _acting_state(self, tok: Token) -> Mention | None:
        """The state an act noun's modifier names: "the U.S. move", "Japanese curbs"."""
        for c in tok.lefts:
            if c.dep_ not in ("compound", "amod", "nmod"):
                continue
            m = self.index.at(c)
            if m is not None and m.type == "GovernmentBody":
                return m
            country = self.country_at(c)
            if country is not None:
                return country
        return None

    def main_actor(self, before: int, reacting: list[Mention],
                   strict: bool = False) -> Mention | None:
        """Who acted against the reacting parties before token ``before``,
        else the actor of most acts so far."""
        earlier = [(actor, target) for i, actor, target in self.acts if i < before]
        keys = {m.key for m in reacting}
        # a ministry answers for its state ("Chinese Ministry of Commerce")
        keys |= {s.key for s in (self.state_of(m) for m in reacting) if s is not None}
        # an act against the party, the state its officials serve, or its
        # companies and products
        offices = [rc.obj for rc in self.relations if rc.predicate == "officialOf"
                   and rc.subject.key in keys]
        keys |= {m.key for m in offices} | {
            s.key for s in (self.state_of(m) for m in offices) if s is not None}
        keys |= {rc.subject.key for rc in self.relations if rc.predicate == "basedIn"
                 and getattr(rc.obj, "key", None) in keys}
        # ... or the people in its office ("Beijing reacted" to the arrest of
        # a Chinese firm's executive)
        keys |= {rc.subject.key for rc in self.relations if rc.predicate == "officialOf"
                 and getattr(rc.obj, "key", None) in keys}
        keys |= {k for k, owner in self.owners.items() if owner.key in keys}  # its products
        against = [actor for actor, target in earlier if target.key in keys]
        if against:  # the one who acted against them most, then the one who acted
            # most in the story so far (its lead actor), the latest on a tie
            tally = {a.key: sum(b.key == a.key for b in against) for a in against}
            overall = {a.key: sum(b.key == a.key for b, _ in earlier) for a in against}
            return max(reversed(against), key=lambda a: (tally[a.key], overall[a.key]))
        if strict:
            return None
        counts: dict[str, int] = {}
        for actor, _ in earlier:
            counts[actor.key] = counts.get(actor.key, 0) + 1
        ranked = sorted(earlier, key=lambda pair: counts[pair[0].key])
        return ranked[-1][0] if ranked else None

    def is_coreferent(self, head: Token) -> bool:
        """Whether the phrase names its mention only through coreference."""
        return self.own_mention(head) is None and self.corefer(head) is not None

    @property
    def coreference(self) -> Coreference:
        """The coreference resolver of this reading (kg/extract/coref.py)."""
        return self._coref

    def corefer(self, tok: Token) -> Mention | None:
        """Pronouns and definite descriptions resolved to an earlier mention."""
        return self.coreference.corefer(tok)
