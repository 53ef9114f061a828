"""Definite descriptions: "the company", "the regulator", "the two firms".

``Descriptions`` resolves a description to the mention of its kind named
last before it, preferring one whose name has the same head word and never
one of another nationality; plural descriptions stand for the entities of
that kind named in the sentence or the one before. It reads the document
through any object with the attributes of ``Phrases`` (a
:class:`kg.extract.reading.Reading`). :class:`kg.extract.coref.Coreference`
adds pronouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from spacy.tokens import Doc, Token

from kg.datatypes import Mention, RelationCandidate
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

DEFINITE = {"the", "that", "this", "these", "those"}
NEUTER = {"it", "its"}
PLURAL = {"they", "them", "their"}
# Heads of government bodies that no other kind of body is called by.
JUDICIAL = {"court", "tribunal"}
LEGISLATIVE = {"parliament", "congress", "senate", "assembly", "house"}
# Modifiers that make a description a company's even when spun text calls it
# an agency ("the Chinese telecoms agency").
COMPANY_MODIFIERS = {"telecom", "telecoms", "telecommunications", "tech", "technology", "chip",
                     "semiconductor", "internet", "equipment", "electronics", "smartphone",
                     "software", "networking", "drone", "memory", "e-commerce", "carmaker"}
# Descriptions of a state as the actor ("the government", "the authorities").
ACTING_STATE_WORDS = {"government", "administration", "authority"}
CLASS_COMPATIBLE = {
    "Country": {"Country"},
    "Company": {"Company"},
    "GovernmentBody": {"GovernmentBody"},
    "Initiative": {"Initiative"},
    "Product": {"Product"},
    "Person": {"Person"},
}


class Phrases(Protocol):
    """What coreference reads of a document (a :class:`kg.extract.reading.Reading`)."""

    doc: Doc
    lex: Lexicon
    gaz: Gazetteer
    index: object  # kg.extract.entities.MentionIndex

    @property
    def subject_chain(self) -> Sequence[tuple[int, Mention]]: ...

    @property
    def relations(self) -> Sequence[RelationCandidate]: ...

    def own_mention(self, head: Token) -> Mention | None: ...

    def state_of(self, body: Mention) -> Mention | None: ...

    def resolve(self, head: Token, with_conj: bool = True) -> list[Mention]: ...

    def knowing(self, **facts) -> Phrases: ...


def in_main_clause(tok: Token) -> bool:
    """Whether ``tok`` belongs to the main clause (its verb, through
    coordination, is the sentence root)."""
    verb = tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


class Descriptions:
    """Resolves the definite descriptions of one document."""

    def __init__(self, ctx: Phrases) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.lex = ctx.lex

    def _is_definite(self, tok: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE | NEUTER | PLURAL
                   for c in tok.children)

    def plural_description(self, tok: Token) -> list[Mention]:
        """ "the companies", "the two firms": the distinct entities of that
        kind named in this sentence or the one before."""
        wanted = self.lex.class_nouns.get(tok.lemma_.lower())
        pair = any(c.lower_ in ("two", "both") for c in tok.children)
        if tok.tag_ != "NNS" or wanted is None or (self.ctx.index.at(tok) is not None
                                                   and not pair):
            return []
        if not any(c.dep_ in ("det", "poss", "predet", "preconj") and c.lower_ in
                   DEFINITE | PLURAL | {"both"} for c in tok.children):
            return []
        start = tok.sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        allowed = CLASS_COMPATIBLE.get(wanted, {wanted})
        found = [m for m in self.ctx.index.mentions if m.type in allowed
                 and self.doc[start].idx <= m.start_char < tok.idx]
        # "the apps" after "59 mobile apps ... TikTok and Helo": the group itself
        head = tok.lemma_.lower()
        groups = [m for m in found if m.key.startswith("group:") and not pair
                  and self.doc[self.ctx.index.span_of(m)[1] - 1].lemma_.lower() == head]
        if groups:
            return groups[-1:]
        distinct = list({m.key: m for m in found}.values())
        if pair and len(distinct) > 2:
            return self._last_pair(found)
        return distinct if len(distinct) >= 2 else []

    def _last_pair(self, found: list[Mention]) -> list[Mention]:
        """ "the two companies", "both firms" among more than two named: the
        last two named together ("Samsung and SK Hynix"), else none."""
        keys = {m.key for m in found}
        for m in reversed(found):
            start, end = self.ctx.index.span_of(m)
            for c in self.doc[start:end].root.conjuncts:
                other = self.ctx.index.at(c)
                if other is not None and other.key in keys and other.key != m.key:
                    return sorted([m, other], key=lambda x: x.start_char)
        return []

    # ----- definite descriptions --------------------------------------------
    def _description(self, tok: Token) -> Mention | None:
        """ "the company", "the regulator", "the Taiwanese chipmaker": the
        mention of that class named last before, preferring one whose name has
        the same head word and never one of another nationality."""
        head_word = tok.lemma_.lower()
        wanted = self.lex.class_nouns[head_word]
        if head_word == "authority" and tok.tag_ == "NNS":
            wanted = "Country"  # "the authorities": the state acting
        if tok.tag_ == "NNS" and wanted != "Country":
            return None  # "the courts", "the apps": many, not the one named last
        before = [m for m in self._before(tok, CLASS_COMPATIBLE.get(wanted, {wanted}))
                  if not self._encloses(m, tok)]
        country = self._described_country(tok)
        if wanted in ("Company", "GovernmentBody") and country is not None:
            # "the Taiwanese chipmaker": one known to be Taiwanese, else one
            # whose country the text does not say
            known = [m for m in before if self._country_of(m) == country]
            before = known or [m for m in before if self._country_of(m) is None]
        if wanted == "GovernmentBody":
            return self._body(tok, before)
        if wanted == "Country":
            return self._acting_country(tok, before)
        if not before and wanted == "Company":
            # "the company" after an app or platform named alone speaks for it
            before = [m for m in self._before(tok, {"Product"}) if m.gazetteer_iri is not None]
        if not before:
            return None
        same_head = [m for m in before if self._same_head(head_word, m)]
        if wanted == "Person":
            # "the president": only a person introduced with that title
            return same_head[-1] if same_head else None
        # "that initiative" is the one just named; "the initiative" prefers a
        # name whose own head is the same noun ("... Security Initiative").
        demonstrative = any(c.lower_ in DEFINITE - {"the"} for c in tok.children)
        return before[-1] if demonstrative or not same_head else same_head[-1]

    def _before(self, tok: Token, allowed: set[str]) -> list[Mention]:
        """The mentions of the ``allowed`` classes that end before ``tok``."""
        return [m for m in self.ctx.index.mentions if m.end_char <= tok.idx and m.type in allowed]

    def _same_head(self, head_word: str, m: Mention) -> bool:
        """Whether the mention's name ends in ``head_word`` or it was introduced
        with it as a title ("Judge Jane Roe")."""
        return (head_word in (m.label.lower().split()[-1].rstrip("s"),
                              m.text.lower().split()[-1].rstrip("s"))
                or head_word in self._title_words(m))

    def _body(self, tok: Token, before: list[Mention]) -> Mention | None:
        """ "the regulator", "the court": the government body of the same kind
        named last. A court is only ever a court; an agency or a ministry is
        any body but a court or a legislature. Spun text may call a company an
        agency ("the Chinese telecoms agency"): with no body that fits and a
        company-like modifier, the company named last that fits."""
        head_word = tok.lemma_.lower()
        same_head = [m for m in before if self._same_head(head_word, m)]
        if same_head:
            return same_head[-1]
        if head_word in JUDICIAL:
            return None
        fitting = [m for m in before if not self._head_words(m) & (JUDICIAL | LEGISLATIVE)]
        if fitting:
            return fitting[-1]
        named = any(m.type == "GovernmentBody" for m in self._before(tok, {"GovernmentBody"}))
        return self._spun_company(tok) or (None if named else self._subject_company(tok))

    def _subject_company(self, tok: Token) -> Mention | None:
        """With no government body named at all, "the agency" that follows a
        company as the subject of the sentence before is that company."""
        start = tok.sent.start
        if start == 0:
            return None
        prev = self.doc[start - 1].sent.start
        subjects = [m for i, m in self.ctx.subject_chain if prev <= i < tok.i]
        if not subjects or subjects[-1].type != "Company":
            return None
        country = self._described_country(tok)
        fits = country is None or self._country_of(subjects[-1]) in (None, country)
        return subjects[-1] if fits else None

    def _spun_company(self, tok: Token) -> Mention | None:
        """A company that spun text calls an agency: the description has a
        company-like modifier ("the telecoms agency", "the Shenzhen-based
        agency"), or names a nationality that a company named before is known
        to have ("the Chinese agency" with only U.S. bodies named)."""
        country = self._described_country(tok)
        companies = [m for m in self._before(tok, {"Company"}) if not self._encloses(m, tok)]
        if any(c.lower_ in COMPANY_MODIFIERS or c.lower_.endswith("-based") for c in tok.lefts):
            fits = [m for m in companies
                    if country is None or self._country_of(m) in (None, country)]
        else:
            fits = [m for m in companies if country is not None and self._country_of(m) == country]
        return fits[-1] if fits else None

    def _encloses(self, m: Mention, tok: Token) -> bool:
        """Whether ``tok`` sits inside the phrase of mention ``m`` ("HiSilicon,
        the company's chip unit": "the company" is not HiSilicon); an
        apposition is the mention itself ("Camfin, the holding company")."""
        start, end = self.ctx.index.spans[self.ctx.index.mentions.index(m)]
        root = self.doc[start:end].root
        return root.is_ancestor(tok) and not (tok.dep_ == "appos" and tok.head.i == root.i)

    def _head_words(self, m: Mention) -> set[str]:
        return {w.rstrip("s") for w in m.label.lower().split()}

    def _acting_country(self, tok: Token, before: list[Mention]) -> Mention | None:
        """ "the government", "the authorities": the country named with that
        word ("the Trump administration"), else the country acting as a
        main-clause subject (itself or through its ministry) in this sentence
        or the one before, else the one named last."""
        same_head = [m for m in before if self._same_head(tok.lemma_.lower(), m)]
        if same_head or tok.lemma_.lower() not in ACTING_STATE_WORDS:
            return (same_head or before or [None])[-1]
        start = tok.sent.start
        start = self.doc[start - 1].sent.start if start > 0 else start
        for i, m in reversed(self.ctx.subject_chain):
            state = m if m.type == "Country" else self.ctx.state_of(m)
            if start <= i < tok.i and state is not None and in_main_clause(self.doc[i]):
                return state
        return before[-1] if before else None

    def _described_country(self, tok: Token) -> str | None:
        """The key of the country a description's modifier names ("the
        Taiwanese chipmaker", "the U.S. regulator", "China's telecoms giant")."""
        for c in tok.lefts:
            if c.dep_ not in ("amod", "compound", "nmod", "poss"):
                continue
            key = self._country_key(c)
            if key is not None:
                return key
        return None

    def _country_key(self, tok: Token) -> str | None:
        m = self.ctx.index.at(tok)
        if m is not None:
            return m.key if m.type == "Country" else None
        entry = self.ctx.gaz.country_of_demonym(tok.text)
        return entry.iri if entry is not None and entry.type == "Country" else None

    def _country_of(self, m: Mention) -> str | None:
        """The country an organization is from, as this document says: a
        basedIn fact read so far, a body's own name, or a nationality written
        right before one of its names ("Chinese company Huawei")."""
        for rc in self.ctx.relations:
            if rc.predicate == "basedIn" and rc.subject.key == m.key:
                return getattr(rc.obj, "key", None)
        state = self.ctx.state_of(m)
        if state is not None:
            return state.key
        for other, (start, end) in zip(self.ctx.index.mentions, self.ctx.index.spans,
                                       strict=True):
            if other.key != m.key:
                continue
            key = self._local_country(start, end)
            if key is not None:
                return key
        return None

    def _local_country(self, start: int, end: int) -> str | None:
        """A nationality written right before a name ("Chinese company
        Huawei", "Taiwan's TSMC") or in its apposition ("X, an American firm")."""
        for t in reversed(self.doc[max(start - 3, self.doc[start].sent.start):start]):
            if t.is_punct or t.pos_ in ("VERB", "AUX", "ADP"):
                break
            key = self._country_key(t)
            if key is not None:
                return key
        for c in self.doc[start:end].root.children:
            key = self._described_country(c) if c.dep_ == "appos" else None
            if key is not None:
                return key
        return None

    def _title_words(self, mention: Mention) -> set[str]:
        start = self.ctx.index.spans[self.ctx.index.mentions.index(mention)][0]
        return {t.lemma_.lower() for t in self.doc[max(0, start - 3):start]}
