"""Coreference of pronouns and definite descriptions within one document.

``Coreference`` resolves "it", "they", "he", "we", "the company", "the
initiative", "the two firms" to mentions named earlier in the text. Each
:class:`kg.extract.reading.Reading` has one and delegates ``corefer`` and
plural descriptions to it; the resolver reads mentions, noun phrases, the
subject chain and the relations known so far back through the reading (any
object with the attributes of ``Phrases``). ``read_subject_chain`` is the
coreference pass: it records which mention each subject names, in text
order, for the pronouns that follow.
"""

from __future__ import annotations

from typing import TypeVar

from spacy.tokens import Token

from kg.datatypes import Mention
from kg.extract.descriptions import (
    NEUTER,
    PLURAL,
    Descriptions,
    Phrases,
    in_main_clause,
)

PERSONAL = {"he", "him", "his", "she", "her", "hers"}
FIRST_PERSON = {"we", "our", "i", "my", "me"}
NON_PERSON = {"Country", "Company", "GovernmentBody", "InternationalOrganization",
              "Organization", "Initiative", "Product"}

P = TypeVar("P", bound=Phrases)


def read_subject_chain(reading: P) -> P:
    """The coreference pass: a reading that knows, in text order, which
    mention each subject position names (a pronoun met on the way is
    resolved against the subjects before it)."""
    for tok in reading.doc:
        agent = tok.dep_ == "pobj" and tok.head.dep_ == "agent"
        if tok.dep_ in ("nsubj", "nsubjpass") or agent:
            mentions = reading.resolve(tok, with_conj=False)
            if mentions:
                chain = (*reading.subject_chain, (tok.i, mentions[0]))
                reading = reading.knowing(subject_chain=chain)
    return reading


class Coreference(Descriptions):
    """Resolves pronouns and definite descriptions of one document."""

    def __init__(self, ctx: Phrases, pronouns: dict[int, Mention | None]) -> None:
        """Args:
            ctx: the reading whose phrases are resolved.
            pronouns: antecedents already resolved in this document, by token
                index; shared by every reading of it, so each pronoun is resolved once.
        """
        super().__init__(ctx)
        self._pronouns = pronouns

    # ----- entry points -----------------------------------------------------
    def corefer(self, tok: Token) -> Mention | None:
        """Pronouns and definite descriptions resolved to an earlier mention."""
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$"):
            if tok.i not in self._pronouns:
                self._pronouns[tok.i] = self._pronoun(tok)
            return self._pronouns[tok.i]
        if tok.lemma_.lower() in self.lex.class_nouns and self._is_definite(tok):
            return self._description(tok)
        return None

    # ----- pronouns ---------------------------------------------------------
    def _pronoun(self, tok: Token) -> Mention | None:
        low = tok.lower_
        if low in PERSONAL:
            allowed = {"Person"}
        elif low in NEUTER:
            allowed = NON_PERSON
        elif low in PLURAL:
            allowed = NON_PERSON | {"CountryGroup", "CompanyGroup"}
        elif low in FIRST_PERSON:
            return self._speaker_of_quote(tok)
        else:
            return None
        focus = self._cleft_focus(tok)
        if focus is not None:
            return focus
        governing = self._governing_subject(tok, allowed)
        if governing is not None and low not in PLURAL:
            return governing
        # what a company makes ("its chips") is rarely what "it" picks up; an
        # object is not its own clause's subject ("X informed it": not X)
        own = self._clause_subjects(tok)
        earlier = [m for i, m in reversed(self.ctx.subject_chain) if i < tok.i
                   and m.type in allowed and not m.key.startswith("owned:") and i not in own]
        if low in PERSONAL and tok.dep_ in ("nsubj", "nsubjpass"):
            # "X summoned Y ... unless Meng was freed. The next day he ...": a
            # main-clause subject picks up a main-clause subject
            main = [m for i, m in reversed(self.ctx.subject_chain)
                    if i < tok.i and m.type in allowed and in_main_clause(self.doc[i])]
            earlier = main or earlier
        if low in PLURAL:
            # "they"/"them": the object of the clause above ("banned the apps,
            # saying they ..."), a group named before, then a state
            governed = self._governing_object(tok)
            if governed is not None:
                return governed
            groups = [m for m in reversed(self.ctx.index.mentions)
                      if m.end_char <= tok.idx and m.key.startswith("group:")
                      and tok.sent.start - 40 < self.ctx.index.span_of(m)[0]]
            ranked = groups + [m for m in earlier if m.type == "Country"]
            earlier = ranked or earlier
        return earlier[0] if earlier else None

    def _cleft_focus(self, tok: Token) -> Mention | None:
        """ "It was Huawei that broke the news": a cleft's "it" stands for
        the name it puts in focus."""
        head = tok.head
        if tok.lower_ != "it" or tok.dep_ != "nsubj" or head.lemma_ != "be":
            return None
        named = [c for c in head.children if c.dep_ == "attr" and self.ctx.index.at(c)]
        if named and any(c.dep_ in ("relcl", "ccomp") and c.i > named[0].i
                         for c in [*head.children, *named[0].children]):
            return self.ctx.index.at(named[0])
        return None

    def _clause_subjects(self, tok: Token) -> set[int]:
        """Token indices of the subject of the clause an object pronoun is in."""
        if tok.dep_ not in ("dobj", "dative", "iobj"):
            return set()
        return {c.i for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")}

    def _governing_subject(self, tok: Token, allowed: set[str]) -> Mention | None:
        # "the U.S. said it will ban X": "it" is the subject of the clause above.
        verb = tok.head
        while verb.dep_ in ("ccomp", "xcomp", "advcl", "conj") and verb.head.i != verb.i:
            verb = verb.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and c.i < tok.i:
                    m = self.ctx.own_mention(c) or (
                        self._pronouns.get(c.i) if c.pos_ == "PRON" else self.corefer(c))
                    if m is not None and m.type in allowed:
                        return m
        return None

    def _governing_object(self, tok: Token) -> Mention | None:
        verb = tok.head
        while verb.dep_ in ("ccomp", "xcomp", "advcl", "conj") and verb.head.i != verb.i:
            verb = verb.head
            for c in verb.children:
                if c.dep_ == "dobj" and c.i < tok.i:
                    m = self.ctx.own_mention(c)
                    if m is not None and m.key.startswith("group:"):
                        return m
        return None

    def _speaker_of_quote(self, tok: Token) -> Mention | None:
        root = tok.sent.root
        if root.lemma_.lower() in self.lex.speech_verbs:
            for c in root.children:
                if c.dep_ == "nsubj" and c.i > tok.i:
                    return self.ctx.own_mention(c)
        return None
