"""What the extractors share about one parsed document: its mentions, noun
phrase resolution (conjunctions, named examples) and coreference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Token

from kg.datatypes import ClaimCandidate, Evidence, Mention, SourceDoc
from kg.extract.coref import CLASS_COMPATIBLE, Coreference
from kg.extract.entities import MentionIndex
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

# Dependents that start a different noun phrase than their head's.
FOREIGN_DEPS = {"poss", "prep", "relcl", "acl", "conj", "cc", "punct", "appos", "advcl", "case",
                "agent", "pcomp", "pobj", "dobj", "nsubj", "nsubjpass", "ccomp", "xcomp", "mark"}
RELATIVE = {"which", "that", "who", "whom", "whose"}
PARTITIVES = {"some", "many", "most", "all", "several", "dozens", "hundreds", "part", "parts",
              "version", "much", "none", "each", "both", "any", "few", "number"}
# Kinds of party that stand side by side in one list ("Canada, Brazil and the EU").
STATE_LIKE = {"Country", "CountryGroup", "InternationalOrganization"}


class Act(NamedTuple):
    """An act read from the text: where, of what kind (None for an act no
    property names, "arrested"), by whom and on whom; ``hostile`` acts are
    the ones a party may react to."""

    index: int
    prop: str | None
    actor: Mention
    target: Mention
    hostile: bool


@dataclass
class DocContext:
    """One document under extraction; resolves tokens to the mentions they denote."""

    doc: Doc
    source: SourceDoc
    index: MentionIndex
    gaz: Gazetteer
    lex: Lexicon
    claims: list[ClaimCandidate] = field(default_factory=list)
    subject_chain: list[tuple[int, Mention]] = field(default_factory=list)
    _sentence_starts: dict[int, int] = field(default_factory=dict)
    relations: list = field(default_factory=list)
    # key of a company-owned thing ("Huawei equipment") -> its owner
    owners: dict[str, Mention] = field(default_factory=dict)
    _coref: Coreference | None = None
    # every positive act read so far, in the order read
    act_log: list[Act] = field(default_factory=list)
    # unnamed measures ("the ban", "the suspension of X") made nodes, by head lemma
    measures: dict = field(default_factory=dict)

    # ----- evidence ---------------------------------------------------------
    def evidence(self, tokens: list[Token], rule: str, confidence: float) -> Evidence:
        sent = tokens[0].sent
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        o_start, o_end = self.source.original_span(start, end)
        s_start, s_end = self.source.original_span(sent.start_char, sent.end_char)
        original = self.source.original or self.source.text
        sentence = original[s_start:s_end].strip() or sent.text.strip()
        return Evidence(self.source.doc_id, o_start, o_end, " ".join(sentence.split()), rule,
                        round(max(0.05, min(confidence, 0.99)), 2), self.sentence_number(sent))

    def sentence_number(self, sent) -> int:
        if not self._sentence_starts:
            self._sentence_starts = {s.start: n for n, s in enumerate(self.doc.sents)}
        return self._sentence_starts[sent.start]

    # ----- noun phrases -----------------------------------------------------
    def own_tokens(self, head: Token) -> list[Token]:
        """The tokens of the noun phrase headed by ``head``, without embedded phrases."""
        out, todo = [], [head]
        while todo:
            tok = todo.pop()
            out.append(tok)
            todo.extend(c for c in tok.children if c.dep_ not in FOREIGN_DEPS)
        return sorted(out, key=lambda t: t.i)

    def own_mention(self, head: Token) -> Mention | None:
        """The mention a noun phrase itself names ("the popular TikTok app" -> TikTok)."""
        direct = self.index.at(head)
        if direct is not None and direct.type == "Technology":
            # "Micron chips": a company's product, not the technology field
            return self.owned_thing(head) or direct
        if direct is not None:
            return direct
        owned = (self._adjacent_name(head) or self.owned_thing(head) or self._titled_person(head)
                 or self._state_proxy(head))
        if owned is not None:
            return owned
        tokens = self.own_tokens(head)
        found = [self.index.at(t) for t in tokens if self.index.at(t) is not None]
        found = [m for m in found if not self._is_modifier_only(m, head)]
        if found:
            return found[-1]
        return self._adjacent_name(head) or self._possessed_group(head)

    def _state_proxy(self, head: Token) -> Mention | None:
        """ "U.S. officials", "Chinese authorities": people in office, qualified
        by their country, stand for the state."""
        lemma = head.lemma_.lower()
        envoy = lemma in self.lex.envoy_titles  # "summoned the U.S. ambassador"
        if (lemma not in self.lex.state_proxies and not envoy) or head.pos_ != "NOUN":
            return None
        if head.tag_ != "NNS" and lemma not in ("government", "administration") and not envoy:
            return None
        if any(c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of")
               for c in head.children):
            return None  # "officials of the ministry", "the official, Jane Doe"
        for c in head.lefts:
            if c.dep_ in ("compound", "amod", "nmod"):
                country = self.country_at(c)
                if country is not None:
                    return country
        return None

    def country_at(self, tok: Token) -> Mention | None:
        """The country a token names: the Country mention at it or, where no
        mention is, the country of its demonym ("Chilean")."""
        m = self.index.at(tok)
        if m is not None:
            return m if m.type == "Country" else None
        entry = self.gaz.country_of_demonym(tok.text)
        if entry is None or entry.type != "Country":
            return None
        return Mention(entry.iri, tok.text, entry.label, entry.type, tok.idx,
                       tok.idx + len(tok.text), entry.iri)

    def _titled_person(self, head: Token) -> Mention | None:
        """ "China's ambassador to Britain, Liu Xiaoming, said": the named person."""
        if head.lemma_.lower() not in self.lex.titles | self.lex.person_nouns:
            return None
        for c in head.children:
            m = self.index.at(c) if c.dep_ == "appos" else None
            if m is not None and m.type == "Person":
                return m
        return None

    def owned_thing(self, head: Token) -> Mention | None:
        """ "Huawei equipment", "Huawei's smartphones", "its subsidiaries": a
        node for what a named company makes or holds."""
        spec = self.lex.owned_things.get(head.lemma_.lower())
        if spec is None or head.pos_ != "NOUN":
            return None
        kind, canonical = spec
        if kind.endswith("Group") and head.tag_ != "NNS":
            return None
        owner, first = None, head
        for c in head.children:
            if c.dep_ in ("compound", "poss") and c.i < head.i:
                m = self.index.at(c) or (self.last_company(c) if c.tag_ == "PRP$" else None)
                if m is not None and m.type == "Company":
                    owner, first = m, c.left_edge
        if owner is None:
            return None
        key = f"owned:{owner.key.rsplit('/', 1)[-1]} {canonical}"
        mention = Mention(key, self.doc[first.i:head.i + 1].text, f"{owner.label} {head.text}",
                          kind, first.idx, head.idx + len(head.text))
        self.owners[key] = owner
        return mention

    def state_of(self, body: Mention) -> Mention | None:
        """The country a government body's name states ("Swedish Post and
        Telecom Authority", "Chinese Ministry of Commerce")."""
        if body.type != "GovernmentBody":
            return None
        for word in body.label.replace("'s", "").split():
            entry = self.gaz.country_of_demonym(word) or self.gaz.lookup(word)
            if entry is not None and entry.type == "Country":
                return Mention(entry.iri, body.text, entry.label, entry.type, body.start_char,
                               body.end_char, entry.iri)
        return None

    def last_company(self, tok: Token) -> Mention | None:
        """ "its subsidiaries", "its founder": the company named last before."""
        before = [m for m in self.index.mentions if m.end_char <= tok.idx and m.type == "Company"]
        return before[-1] if before else None

    def _possessed_group(self, head: Token) -> Mention | None:
        """ "pressed its allies": a group qualified by a pronoun naming a country."""
        lemma = head.lemma_.lower()
        if lemma not in self.lex.collectives or head.tag_ not in ("NNS", "NNPS"):
            return None
        poss = [c for c in head.children if c.dep_ == "poss" and c.tag_ == "PRP$"]
        owner = self.corefer(poss[0]) if poss else None
        if owner is None or owner.type != "Country":
            return None
        entry = self.gaz.entries.get(owner.gazetteer_iri or "")
        adjective = entry.demonyms[0] if entry and entry.demonyms else owner.label
        canonical = self.lex.collective_synonyms.get(lemma, lemma)
        return Mention(f"group:{owner.key.rsplit('/', 1)[-1]} {canonical}",
                       head.doc[poss[0].i:head.i + 1].text, f"{adjective} {head.text}",
                       self.lex.collectives[lemma], poss[0].idx, head.idx + len(head.text))

    def _is_modifier_only(self, mention: Mention, head: Token) -> bool:
        # "U.S. allies", "the telecommunications equipment maker": a country or a
        # technology that only qualifies another noun.
        if mention.label.endswith(" Party"):  # "Republican lawmakers"
            return head.lemma_.lower() in self.lex.titles | self.lex.class_nouns.keys()
        people = self.lex.titles | self.lex.person_nouns
        if head.lemma_.lower() in people and mention.type != "Person":
            return True  # "a Huawei executive" is a person, not Huawei
        if mention.type in ("Country", "Technology") and head.pos_ == "NOUN":
            # "TikTok's U.S. operations", "5G equipment": a qualifier of a thing,
            # unless the thing is the state itself ("the Japanese government")
            return self.lex.class_nouns.get(head.lemma_.lower()) != "Country"
        return False

    def _adjacent_name(self, head: Token) -> Mention | None:
        # "the messaging app WeChat": a class noun directly followed by a name.
        if head.lemma_.lower() not in self.lex.class_nouns or head.i + 1 >= len(self.doc):
            return None
        nxt = self.index.at(self.doc[head.i + 1])
        wanted = self.lex.class_nouns[head.lemma_.lower()]
        if nxt is not None and nxt.type in CLASS_COMPATIBLE.get(wanted, {wanted}):
            return nxt
        return None

    def examples(self, head: Token) -> list[Token]:
        """Heads of the named examples of a group: "companies like A and B" -> A, B,
        and names written right after it: "Chinese companies Huawei and ZTE"."""
        out = []
        nxt = self.doc[head.i + 1] if head.i + 1 < len(self.doc) else None
        if (nxt is not None and head.tag_ == "NNS" and head.lemma_.lower() in self.lex.collectives
                and self.index.at(nxt) is not None):
            first = self.index.spans[self.index.mentions.index(self.index.at(nxt))]
            name_head = self.doc[first[0]:first[1]].root
            out.extend([name_head, *name_head.conjuncts])
        for child in head.children:
            if child.dep_ not in ("prep", "amod", "acl") or not self._is_marker(child):
                continue
            pobjs = [g for c in child.children for g in ([c] if c.dep_ == "pobj" else
                     [x for x in c.children if x.dep_ == "pobj"])]
            for p in pobjs:
                out.extend([p, *p.conjuncts])
        return out

    def _is_marker(self, tok: Token) -> bool:
        words = [tok.lower_] + [c.lower_ for c in tok.children if c.dep_ in ("prep", "advmod")]
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        for marker in self.lex.example_markers:
            if list(marker) == words[: len(marker)] or (len(marker) == 2 and
                                                        [prev, tok.lower_] == list(marker)):
                return True
        return False

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

    def _partitive(self, head: Token) -> Mention | None:
        """ "some of its subsidiaries", "around 70 of its affiliates": the whole."""
        if head.lower_ not in PARTITIVES and not head.like_num and head.pos_ != "ADP":
            return None
        if head.pos_ == "ADP":  # "around 70 of its affiliates"
            nums = [c for c in head.children if c.dep_ == "pobj" and c.like_num]
            return self._partitive(nums[0]) if nums else None
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self.own_mention(p) or self.corefer(p)
        return None

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

    def _companions(self, head: Token) -> list[Mention]:
        """ "TikTok, joined by ByteDance, sued": parties acting together with the head."""
        out = []
        for c in head.children:
            if c.dep_ == "acl" and c.lemma_.lower() == "join":
                out += [m for a in c.children if a.dep_ == "agent" for p in a.children
                        if p.dep_ == "pobj" for m in [self.own_mention(p)] if m is not None]
            if c.dep_ == "prep" and c.lower_ in ("along", "together"):
                out += [m for w in c.children if w.lower_ == "with" for p in w.children
                        if p.dep_ == "pobj" for m in [self.own_mention(p)] if m is not None]
        return out

    def is_coreferent(self, head: Token) -> bool:
        return self.own_mention(head) is None and self.corefer(head) is not None

    # ----- coreference ------------------------------------------------------
    @property
    def coreference(self) -> Coreference:
        """The document's coreference resolver (kg/extract/coref.py)."""
        if self._coref is None:
            self._coref = Coreference(self)
        return self._coref

    def corefer(self, tok: Token) -> Mention | None:
        """Pronouns and definite descriptions resolved to an earlier mention."""
        return self.coreference.corefer(tok)

    def build_subject_chain(self) -> None:
        """Records, in text order, which mention each subject position names."""
        for tok in self.doc:
            agent = tok.dep_ == "pobj" and tok.head.dep_ == "agent"
            if tok.dep_ in ("nsubj", "nsubjpass") or agent:
                mentions = self.resolve(tok, with_conj=False)
                if mentions:
                    self.subject_chain.append((tok.i, mentions[0]))
