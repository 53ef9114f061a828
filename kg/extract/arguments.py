"""Argument structure over the dependency parse: who acts and on whom, with
voice, control, coordination, relative clauses and trade flows; the particles
and lemmas of lexicon verbs.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.phrases import RELATIVE
from kg.extract.reading import Reading

SUBJECT_INHERITING = ("xcomp", "conj", "advcl", "pcomp", "ccomp_open")
DISTRIBUTIVE = {"each", "both", "all", "either"}
COMMUNICATIONS = {"statement", "letter", "report", "note", "post", "tweet", "message", "notice"}


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def subject_heads(verb: Token, ctx: Reading, depth: int = 0) -> list[Token]:
    """Tokens heading the subject of ``verb``, following control and coordination."""
    if depth > 6:
        return []
    if _participle(verb) and _act_verb(verb, ctx):
        # "the platform suspended by the judge", "ordered the platform
        # suspended": the agent, or whoever ordered it so
        heads = [p for c in verb.children if c.dep_ == "agent"
                 for p in c.children if p.dep_ == "pobj"]
        causer = verb.head.head if verb.head.dep_ == "dobj" else None
        if not heads and causer is not None and causer.lemma_.lower() in ctx.lex.causatives:
            heads = subject_heads(causer, ctx, depth + 1)
        return heads
    if is_passive(verb):
        heads = [p for c in verb.children if c.dep_ == "agent"
                 for p in c.children if p.dep_ == "pobj"]
        heads = heads or _stray_agents(verb)
    else:
        heads = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    # "each having signed ...": a distributive pronoun takes the subject of
    # the clause it distributes over (above it, or, when the parser put that
    # clause below, the one before it)
    if heads and all(h.lower_ in DISTRIBUTIVE for h in heads):
        before = [c for c in verb.children if c.dep_ in ("ccomp", "advcl") and c.i < verb.i]
        heads = [h for c in before for h in c.children if h.dep_ == "nsubj"]
    heads = [_through_relative(h, ctx) for h in heads]
    if heads:
        # "TikTok, joined by ByteDance, sued": the one who joined acts too
        heads += [p for c in verb.children if c.dep_ == "advcl" and c.lemma_.lower() == "join"
                  for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        return [h for h in heads if h is not None]
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        if is_passive(verb):
            return []
        # "Britain's decision to exclude Huawei": the possessor decided
        owners = [c for c in verb.head.children if c.dep_ == "poss"]
        if owners and verb.head.lemma_.lower() in ctx.lex.act_nouns | ctx.lex.nominals.keys():
            return owners
        return [_through_relative(verb.head, ctx, force=True)]
    if verb.dep_ == "xcomp" and not is_passive(verb):
        # object control: "prompted China to warn", "urged Washington to drop"
        controllers = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
        if controllers:
            return controllers
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and not is_passive(verb):
        # "blocked the department from barring the app": the department would bar it
        controllers = [c for c in verb.head.head.children if c.dep_ == "dobj"]
        if controllers:
            return controllers
    if verb.dep_ == "conj" and is_passive(verb.head) and verb.head.dep_ == "ccomp" \
            and verb.head.head.lemma_.lower() in ctx.lex.speech_verbs:
        # "X said the review was lawful, and accused Y": an active verb hung on
        # the passive reported clause belongs to the speaker
        return subject_heads(verb.head.head, ctx, depth + 1)
    if verb.dep_ in SUBJECT_INHERITING and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "pcomp" and head.head.i != head.i:
            head = head.head
        return subject_heads(head, ctx, depth + 1)
    return []


def _stray_agents(verb: Token) -> list[Token]:
    """ "was designated a threat by the FCC": a "by" phrase the parser hung on
    the verb's complement rather than on the passive verb."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "oprd", "attr", "xcomp"):
            out += [p for b in c.children if b.dep_ == "prep" and b.lower_ == "by"
                    for p in b.children if p.dep_ == "pobj"]
    return out


def _through_relative(tok: Token, ctx: Reading, force: bool = False) -> Token | None:
    """A relative pronoun stands for the noun its clause modifies; an act noun
    ("sanctions that prohibit X") stands for the actor of the act."""
    noun = tok
    if tok.lower_ in RELATIVE and tok.head.dep_ in ("relcl", "acl"):
        noun = tok.head.head
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head  # "BT and Vodafone, which both use ...": the whole list
    elif _misattached_relative(tok):
        noun = tok.doc[tok.i - 1]  # "controls that have cut X off", parsed as a clause
    elif not force:
        return tok
    if noun.lemma_.lower() in COMMUNICATIONS and noun.dep_ == "pobj" \
            and ctx.own_mention(noun) is None:
        # "the embassy said in a statement that urged India ...": its issuer
        issuers = subject_heads(noun.head.head, ctx, 1) if noun.head.head.pos_ == "VERB" else []
        return issuers[0] if issuers else None
    if noun.lemma_.lower() in ctx.lex.nominals and ctx.own_mention(noun) is None:
        # "U.S. export controls that cut China off": the state named on the act
        modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "poss")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children
                      if g.dep_ in ("compound", "amod")]  # "U.S. export controls"
        for c in modifiers:
            m = ctx.index.at(c)
            if m is not None and m.type in ("Country", "GovernmentBody",
                                            "InternationalOrganization"):
                return c
        governing = noun.head
        if governing.pos_ in ("VERB", "AUX") and governing.i != noun.i:
            subjects = subject_heads(governing, ctx, 1)
            return subjects[0] if subjects else None
    return noun


def _misattached_relative(tok: Token) -> bool:
    """ "controls that have cut X off" parsed with "that" as the subject of a
    complement clause: a relative pronoun right after a noun."""
    return (tok.lower_ in ("that", "which") and tok.dep_ in ("nsubj", "nsubjpass")
            and tok.head.dep_ in ("ccomp", "advcl") and tok.i > 0
            and tok.doc[tok.i - 1].pos_ in ("NOUN", "PROPN"))


STANDING = frozenset({"owns", "supplies", "basedIn", "officialOf", "memberOf", "launches"})


def _act_verb(verb: Token, ctx: Reading) -> bool:
    """A verb of an act rather than of a standing relation ("owned by",
    "developed by" are read by the ownership clauses)."""
    entry = ctx.lex.verbs.get(verb.lemma_.lower())
    return entry is not None and entry.property not in STANDING


def _participle(verb: Token) -> bool:
    """A past participle describing a noun it acts on: "the platform
    suspended", "its accounts frozen by X" (a passive without auxiliary)."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN")


def _had_done_to(verb: Token) -> Token:
    """ "Starlink had its accounts frozen": the subject of "have" is the one
    the act is done to when the noun is its own ("its")."""
    noun = verb.head
    have = noun.head
    own = any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in noun.children)
    if own and noun.dep_ == "dobj" and have.lemma_ in ("have", "get", "see"):
        subjects = [c for c in have.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
    return noun


def object_heads(verb: Token, ctx: Reading | None = None) -> list[Token]:
    """Direct objects (subjects when passive); with ``ctx``, a trade flow
    stands for its destination or source ("exports of chips to China")."""
    if _participle(verb) and ctx is not None and _act_verb(verb, ctx):
        heads = [_had_done_to(verb)]  # "had its accounts frozen": the one who had them
    elif is_passive(verb):
        heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
    else:
        heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if not heads and _object_gap(verb):
        heads = [verb.head]  # "a step Peru condemned": the step is what was condemned
    if ctx is None:
        return heads
    # "add Huawei and around 70 of its affiliates": a coordinated object the
    # parser hung on the verb
    heads += [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("ADP", "NUM")]
    # "blocked 59 apps, among them TikTok and Helo": examples hung on the verb
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("among", "including"):
            heads += [p for p in c.children if p.dep_ == "pobj" and p.pos_ != "PRON"]
    return [t for h in heads for t in _through_trade(h, ctx)]


def _object_gap(verb: Token) -> bool:
    """A relative clause with its own subject and no object: the noun it
    modifies is the object ("the step Peru condemned", "the firm Musk controls")."""
    if verb.dep_ != "relcl" or is_passive(verb) or verb.head.pos_ not in ("NOUN", "PROPN"):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and subjects[0].lower_ not in RELATIVE and not any(
        c.dep_ in ("ccomp", "xcomp", "prep", "dative", "attr", "oprd") for c in verb.children)


def _through_trade(head: Token, ctx: Reading) -> list[Token]:
    if head.lemma_.lower() not in ctx.lex.trade_nouns or ctx.own_mention(head) is not None:
        return [head]
    for prep in ctx.lex.trade_preps:  # "to China" before "of chips"
        # the destination may hang on the noun, on what it names, or on the verb
        hosts = [head, *[p for c in head.children if c.dep_ == "prep" for p in c.children
                         if p.dep_ == "pobj"], *list(head.ancestors)[:4]]
        found = [a for h in hosts for p in prep_objects(h, prep) for a in descend_to_actors(p, ctx)]
        if found:
            return found
    # "Twitter's operations", "Acme's sales": the possessor carries them on
    owners = [c for c in head.children if c.dep_ == "poss" and ctx.index.at(c) is not None]
    return owners or [head]


def prep_objects(verb: Token, prep: str) -> list[Token]:
    return [p for c in verb.children if c.dep_ in ("prep", "prt", "agent", "dative")
            and c.lower_ == prep for p in c.children if p.dep_ in ("pobj", "pcomp")]


def lexicon_lemma(tok: Token, table) -> str | None:
    """The key of ``table`` a verb form stands for, mending the model's
    lemmatizer where it strips too much or too little ("fined" -> "fin")."""
    lemma = tok.lemma_.lower()
    if lemma in table:
        return lemma
    if not tok.tag_.startswith("VB"):
        return None
    low = tok.lower_
    stems = {low, low[:-1], low[:-2], low[:-3], low[:-3] + "e", low[:-2] + "e"}
    if low.endswith("ied"):
        stems.add(low[:-3] + "y")
    found = [s for s in stems if len(s) > 2 and s in table]
    return max(found, key=len) if found else None


def _particle(verb: Token, particle: str | None) -> Token | None:
    """The particle of a phrasal verb, also where the parser took it for a
    preposition ("reined in Huawei", "shut Huawei out of")."""
    for c in verb.children:
        if c.dep_ in ("prt", "advmod", "prep") and c.lower_ == particle:
            return c
    return None


def _employer(person: Token, ctx: Reading) -> Token | None:
    """The organization a plural of staff is named after: "Huawei employees"."""
    if person.tag_ != "NNS":
        return None
    for c in person.children:
        m = ctx.index.at(c) if c.dep_ in ("compound", "poss") else None
        if m is not None and m.type in ("Company", "GovernmentBody", "InternationalOrganization"):
            return c
    return None


def descend_to_actors(tok: Token, ctx: Reading, depth: int = 4,
                      skip: frozenset[str] = frozenset()) -> list[Token]:
    """ "concerns over threats from services provided by X": the named actors
    a nominal's target phrase leads to through prepositions and participles."""
    found, layer = [], [tok]
    for _ in range(depth):
        nxt = []
        for t in layer:
            nominal = t.pos_ in ("NOUN", "PROPN", "PRON")
            if nominal and (ctx.own_mention(t) is not None or ctx.corefer(t) is not None):
                found.append(t)
            elif nominal and t.lemma_.lower() in ctx.lex.person_nouns and _employer(t, ctx):
                found.append(_employer(t, ctx))  # "restrictions on Huawei employees"
            else:
                nxt.extend(c for c in t.children
                           if c.dep_ in ("prep", "pobj", "agent", "acl", "pcomp")
                           and c.lower_ not in skip)
        if found or not nxt:
            break
        layer = nxt
    return found
