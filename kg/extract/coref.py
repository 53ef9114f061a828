"""Coreference of pronouns and definite descriptions within one document.

``Coreference`` resolves "it", "they", "he", "we", "the company", "the
initiative", "the two firms" to mentions named earlier in the text. A
``DocContext`` owns one and delegates ``corefer`` and plural descriptions to
it; the resolver reads mentions, the subject chain and noun phrases back
through the context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kg.datatypes import Mention

if TYPE_CHECKING:
    from kg.extract.context import DocContext

DEFINITE = {"the", "that", "this", "these", "those"}
PERSONAL = {"he", "him", "his", "she", "her", "hers"}
NEUTER = {"it", "its"}
PLURAL = {"they", "them", "their"}
FIRST_PERSON = {"we", "our", "i", "my", "me"}
NON_PERSON = {"Country", "Company", "GovernmentBody", "InternationalOrganization",
              "Organization", "Initiative", "Product"}
CLASS_COMPATIBLE = {
    "Country": {"Country"},
    "Company": {"Company"},
    "GovernmentBody": {"GovernmentBody"},
    "Initiative": {"Initiative"},
    "Product": {"Product"},
    "Person": {"Person"},
}


def in_main_clause(tok: Token) -> bool:
    """Whether ``tok`` belongs to the main clause (its verb, through
    coordination, is the sentence root)."""
    verb = tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


class Coreference:
    """Resolves pronouns and definite descriptions of one document."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.lex = ctx.lex
        self._pronouns: dict[int, Mention | None] = {}

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

    def plural_description(self, tok: Token) -> list[Mention]:
        """ "the companies", "the two firms": the distinct entities of that
        kind named in this sentence or the one before."""
        wanted = self.lex.class_nouns.get(tok.lemma_.lower())
        if tok.tag_ != "NNS" or wanted is None or self.ctx.index.at(tok) is not None:
            return []
        if not any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE | PLURAL
                   for c in tok.children):
            return []
        start = tok.sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        allowed = CLASS_COMPATIBLE.get(wanted, {wanted})
        found = [m for m in self.ctx.index.mentions if m.type in allowed
                 and self.doc[start].idx <= m.start_char < tok.idx]
        # "the apps" after "59 mobile apps ... TikTok and Helo": the group itself
        head = tok.lemma_.lower()
        groups = [m for m in found if m.key.startswith("group:")
                  and self.doc[self.ctx.index.span_of(m)[1] - 1].lemma_.lower() == head]
        if groups:
            return groups[-1:]
        distinct = list({m.key: m for m in found}.values())
        return distinct if len(distinct) >= 2 else []

    # ----- pronouns ---------------------------------------------------------
    def _is_definite(self, tok: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE | NEUTER | PLURAL
                   for c in tok.children)

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
        governing = self._governing_subject(tok, allowed)
        if governing is not None and low not in PLURAL:
            return governing
        # what a company makes ("its chips") is rarely what "it" picks up
        earlier = [m for i, m in reversed(self.ctx.subject_chain) if i < tok.i
                   and m.type in allowed and not m.key.startswith("owned:")]
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

    def _governing_subject(self, tok: Token, allowed: set[str]) -> Mention | None:
        # "the U.S. said it will ban X": "it" is the subject of the clause above.
        verb = tok.head
        while verb.dep_ in ("ccomp", "xcomp", "advcl", "conj") and verb.head.i != verb.i:
            verb = verb.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and c.i < tok.i:
                    m = self.ctx.own_mention(c) or (
                        self._pronouns.get(c.i) if c.pos_ == "PRON" else None)
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

    # ----- definite descriptions --------------------------------------------
    def _description(self, tok: Token) -> Mention | None:
        wanted = self.lex.class_nouns[tok.lemma_.lower()]
        allowed = CLASS_COMPATIBLE.get(wanted, {wanted})
        if wanted == "Country":
            allowed = {"Country"}
        mentions = self.ctx.index.mentions
        before = [m for m in mentions if m.end_char <= tok.idx and m.type in allowed]
        if not before and wanted == "Company":
            # "the company" after an app or platform named alone speaks for it
            before = [m for m in mentions if m.end_char <= tok.idx
                      and m.type == "Product" and m.gazetteer_iri is not None]
        if not before:
            return None
        # "that initiative" is the one just named; "the initiative" prefers a
        # name whose own head is the same noun ("... Security Initiative").
        demonstrative = any(c.lower_ in DEFINITE - {"the"} for c in tok.children)
        head_word = tok.lemma_.lower()
        same_head = [m for m in before
                     if head_word in (m.label.lower().split()[-1].rstrip("s"),
                                      m.text.lower().split()[-1].rstrip("s"))
                     or head_word in self._title_words(m)]
        if wanted == "Person":
            # "the president": only a person introduced with that title
            return same_head[-1] if same_head else None
        return before[-1] if demonstrative or not same_head else same_head[-1]

    def _title_words(self, mention: Mention) -> set[str]:
        start = self.ctx.index.spans[self.ctx.index.mentions.index(mention)][0]
        return {t.lemma_.lower() for t in self.doc[max(0, start - 3):start]}
