"""Negation and modality of a verb: whether the act happens ("did not ban",
"no longer sells", "barred X from buying", "denied that ...") and whether it
is asserted, hedged or planned.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.reading import Reading

# verbs that keep the act under "from" from happening (a court that "blocked the
# department from barring the app" leaves the department's act on record)
PREVENTING = {"bar", "ban", "prohibit", "prevent", "stop", "keep", "dissuade", "discourage",
              "forbid", "restrict", "deter"}


def _chain(verb: Token) -> list[Token]:
    """The verb and the verbs it is the open complement or conjunct of."""
    out = [verb]
    while out[-1].dep_ in ("xcomp", "conj", "pcomp") and out[-1].head.i != out[-1].i \
            and len(out) < 6:
        last = out[-1]
        if last.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in last.children):
            break  # "X does not name Y, but Z has branded W": a clause of its own
        out.append(last.head if last.dep_ != "pcomp" else last.head.head)
    return out


def no_longer(verb: Token) -> bool:
    """ "no longer sells": the act has stopped."""
    return any(c.lower_ == "longer" and (any(g.lower_ == "no" for g in c.children)
                                         or c.i > 0 and c.doc[c.i - 1].lower_ == "no")
               for c in verb.children if c.dep_ in ("advmod", "neg"))


def polarity(verb: Token, ctx: Reading) -> str:
    lex = ctx.lex
    chain = _chain(verb)
    if no_longer(verb):
        return "negative"
    for i, v in enumerate(chain):
        if any(c.dep_ == "neg" or (c.lower_ in lex.negators and c.dep_ in ("advmod", "det"))
               for c in v.children):
            return "negative"
        if i > 0 and v.lemma_.lower() in lex.refusal_verbs and chain[i - 1].dep_ == "xcomp":
            return "negative"
    if _refusal_phrase(verb, ctx):
        return "negative"
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and \
            verb.head.head.lemma_.lower() in PREVENTING:
        return "negative"  # "barred Huawei from buying chips": no buying happens
    if _denied_content(verb, ctx):
        return "negative"  # "Japan denied that it had blocked WeChat"
    return "positive"


def _denied_content(verb: Token, ctx: Reading) -> bool:
    """Whether the clause is what someone denies ("denied that ...",
    "dismissed reports that ...")."""
    tok = verb
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            return False
        if tok.dep_ == "ccomp" and head.lemma_.lower() in ctx.lex.deny_verbs:
            return True
        if tok.dep_ in ("acl", "ccomp") and head.lemma_.lower() in ctx.lex.claim_nouns \
                and head.head.lemma_.lower() in ctx.lex.deny_verbs:
            return True
        if tok.dep_ not in ("ccomp", "conj", "xcomp", "acl"):
            return False
        tok = head
    return False


def _refusal_phrase(verb: Token, ctx: Reading) -> bool:
    # "stopped short of banning": the verb sits under "of" <- "short" <- "stop".
    window = [t.lemma_.lower() for t in verb.doc[max(0, verb.i - 4):verb.i]]
    for phrase in ctx.lex.refusal_phrases:
        n = len(phrase)
        if any(tuple(window[j:j + n]) == phrase for j in range(len(window) - n + 1)):
            return True
    return False


def modality(verb: Token, ctx: Reading) -> str:
    lex = ctx.lex
    words = set()
    for v in _chain(verb):
        words |= {c.lemma_.lower() for c in v.children if c.dep_ in ("aux", "advmod")}
        if v.i != verb.i:
            words.add(v.lemma_.lower())
    if words & lex.hedge_markers:
        return "hedged"
    if words & lex.planned_markers:
        return "planned"
    return "asserted"
