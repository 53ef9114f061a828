"""Reading noun phrases: which mention a phrase names.

``NounPhrases`` answers, for one parsed document, what a noun phrase
itself names ("the popular TikTok app" is TikTok, "Huawei equipment" a
node owned by Huawei, "U.S. officials" the United States), where a phrase
stands in the source (``evidence``), and which names a group lists
("companies like A and B"). Pronouns and descriptions are not its business:
``corefer`` is left to :class:`kg.extract.reading.Reading`, which adds
coreference and the facts earlier passes established.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.datatypes import Evidence, Mention, SourceDoc
from kg.extract.descriptions import CLASS_COMPATIBLE
from kg.extract.mentions import MentionIndex
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


@dataclass
class DocMemo:
    """What every reading of one document shares, filled as it is read.

    Attributes:
        owners: the owner of each node made for a company's things ("Huawei
            equipment"), registered when the node is first read.
        measures: the node names of unnamed measures ("the ban"), fixed by the
            first mention of each head noun so that later mentions name the same node.
        pronouns: the antecedent of each pronoun (by token index), resolved once.
        sentence_starts: sentence number by first token index.
    """

    owners: dict[str, Mention] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)
    pronouns: dict[int, Mention | None] = field(default_factory=dict)
    sentence_starts: dict[int, int] = field(default_factory=dict)


@dataclass
class NounPhrases:
    """One parsed document with its mentions: what its noun phrases name."""

    doc: Doc
    source: SourceDoc
    index: MentionIndex
    gaz: Gazetteer
    lex: Lexicon
    memo: DocMemo = field(default_factory=DocMemo)

    def corefer(self, tok: Token) -> Mention | None:
        """The earlier mention a pronoun or description stands for (see Reading)."""
        raise NotImplementedError

    @property
    def owners(self) -> dict[str, Mention]:
        """The owner of each company-owned node read so far (see DocMemo)."""
        return self.memo.owners

    def evidence(self, tokens: list[Token], rule: str, confidence: float) -> Evidence:
        """Where ``tokens`` stand in the source, as read by ``rule`` with ``confidence``."""
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
        """The position of ``sent`` among the document's sentences (0 first)."""
        starts = self.memo.sentence_starts
        if not starts:
            starts.update((s.start, n) for n, s in enumerate(self.doc.sents))
        return starts[sent.start]

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
        self.memo.owners[key] = owner
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
