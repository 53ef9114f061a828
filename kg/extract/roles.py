"""Offices read from clauses and from titles that name no organization:

- leadership clauses: "X, who heads/runs the company's business" -> officialOf;
- a title before a comma: "a Didi vice-president, Li Min", "its chief
  executive, Frank Wang" (when the parse misses the apposition);
- corporate titles with no company named ("Chairman Mark Liu confirmed that
  the chipmaker ...") -> the company the sentence or the story is about;
- bare titles of state office ("President X", "Communications Minister X",
  "his foreign minister, X") -> the document's context country (see
  ``context_country``);
- portfolio titles ("Commerce Secretary X", "Trade Minister X") -> the
  government body of that portfolio when the document names it.

These run after the noun-phrase facts of ``structural`` and only for people
those gave no office.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.phrases import RELATIVE
from kg.extract.reading import Reading
from kg.extract.titles import ORGS, _affiliations, _portfolio, premodifiers

OFFICIAL_OF = 0.75
CONTEXT_OFFICIAL_OF = 0.6
PHRASE_STOP = {"DET", "PRON", "VERB", "AUX", "ADP", "CCONJ", "SCONJ", "NUM", "SPACE"}


def _org_of(tok: Token, ctx: Reading) -> Mention | None:
    """ "Huawei's consumer business", "the company's British operations", "Acme":
    the organization an object names or is possessed by."""
    m = ctx.own_mention(tok) or ctx.corefer(tok)
    if m is not None and m.type in ORGS | {"Country"}:
        return m
    for c in tok.children:
        if c.dep_ == "poss":
            owner = ctx.own_mention(c) or ctx.corefer(c)
            if owner is not None and owner.type in ORGS:
                return owner
    return None


def leadership_facts(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X, who heads Acme's business" / "X runs Acme" -> X officialOf Acme."""
    if verb.lemma_.lower() not in ctx.lex.leadership_verbs or verb.pos_ != "VERB":
        return
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    obj = [c for c in verb.children if c.dep_ == "dobj"]
    if not subj or not obj:
        return
    person = (ctx.index.at(verb.head) if subj[0].lower_ in RELATIVE and verb.dep_ == "relcl"
              else ctx.own_mention(subj[0]))
    org = _org_of(obj[0], ctx)
    if person is not None and person.type == "Person" and org is not None:
        yield RelationCandidate(person, "officialOf", org,
                                ctx.evidence([verb, obj[0]], "clause:leads", OFFICIAL_OF))


def comma_title(mention: Mention, ctx: Reading) -> list[Token]:
    """ "its chief executive, Frank Wang": the title phrase written before a
    comma right before the name, read off the tokens (not the parse)."""
    start = ctx.index.span_of(mention)[0]
    if start < 2 or ctx.doc[start - 1].text != ",":
        return []
    out, i = [], start - 2
    while i >= 0 and len(out) < 8:
        tok = ctx.doc[i]
        if tok.tag_ in ("PRP$", "DT") or tok.tag_ == "POS":
            out.append(tok)
            if tok.tag_ != "POS":
                break
        elif tok.pos_ in PHRASE_STOP or (tok.pos_ == "PUNCT" and tok.text not in "-–"):
            break
        else:
            out.append(tok)
        i -= 1
    words = [t for t in out if t.pos_ in ("NOUN", "PROPN", "ADJ")]
    titled = words and words[0].lemma_.lower() in ctx.lex.titles | ctx.lex.corporate_titles
    return sorted(out, key=lambda t: t.i) if titled else []


def _title_phrases(mention: Mention, ctx: Reading) -> list[list[Token]]:
    start = ctx.index.span_of(mention)[0]
    head = ctx.doc[start]
    phrases = [premodifiers(mention, ctx), comma_title(mention, ctx)]
    if head.dep_ in ("compound",) and head.head.dep_ == "appos":
        head = head.head
    if head.dep_ == "appos" and head.head.lemma_.lower() in ctx.lex.titles:
        phrases.append(ctx.own_tokens(head.head))
    words = ctx.lex.titles | ctx.lex.corporate_titles
    return [p for p in phrases if any(t.lemma_.lower() in words for t in p)]


def _has_words(tokens: list[Token], phrase: tuple[str, ...]) -> bool:
    words = [t.lower_ for t in tokens if t.text not in "-–"]
    n = len(phrase)
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))


def context_country(ctx: Reading, sent: Span) -> Mention | None:
    """The country a bare state title ("President X", "the trade minister")
    refers to: the country named most often in the document up to the end of
    the title's sentence; on a tie, the one named last. Country mentions only
    (gazetteer names and capitals used for states), not demonyms, since
    stories describe foreign firms with demonyms far more than they name
    the state whose officials act. On a tie, the country that was more often
    the subject of a clause (the actor of the story), then the one named last."""
    # a country acting in the title's own sentence ("President X said South
    # Korea would never yield") speaks for the title first
    acting = {m.key: m for i, m in ctx.subject_chain
              if m.type == "Country" and sent.start <= i < sent.end}
    if len(acting) == 1:
        return next(iter(acting.values()))
    counts: dict[str, int] = {}
    last: dict[str, tuple[int, Mention]] = {}
    for m in ctx.index.mentions:
        if m.type == "Country" and m.start_char < sent.end_char:
            counts[m.key] = counts.get(m.key, 0) + 1
            last[m.key] = (m.start_char, m)
    if not counts:
        return None
    subjects: dict[str, int] = {}
    for i, m in ctx.subject_chain:
        if m.key in counts and ctx.doc[i].idx < sent.end_char:
            subjects[m.key] = subjects.get(m.key, 0) + 1
    best = max(counts, key=lambda k: (counts[k], subjects.get(k, 0), last[k][0]))
    return last[best][1]


def portfolio_body(tokens: list[Token], ctx: Reading) -> Mention | None:
    """ "Commerce Secretary X" -> the commerce department the document names
    ("Trade Minister X" -> the trade ministry): a government body whose name
    holds the portfolio word and a head that suits the title."""
    titles = [t for t in tokens if t.lemma_.lower() in ctx.lex.title_bodies]
    if not titles:
        return None
    heads = ctx.lex.title_bodies[titles[-1].lemma_.lower()]
    portfolio = {t.lower_ for t in tokens if t.pos_ in ("NOUN", "PROPN") and t.i != titles[-1].i
                 and t.lemma_.lower() not in ctx.lex.titles
                 and ctx.gaz.country_of_demonym(t.text) is None and ctx.index.at(t) is None}
    if not portfolio:
        return None
    found = {}
    for m in ctx.index.mentions:
        words = {w.strip(".,'").lower() for w in f"{m.label} {m.text}".split()}
        if m.type == "GovernmentBody" and words & heads and portfolio & words:
            found[m.key] = m
    return next(iter(found.values())) if len(found) == 1 else None


def corporate_context(mention: Mention, ctx: Reading) -> Mention | None:
    """The company a company title with no company named serves: a company
    the same sentence names or describes ("the chipmaker", "the company's"),
    else the company that was last a subject in the two sentences before."""
    sent = ctx.doc[ctx.index.span_of(mention)[0]].sent
    found = {}
    for tok in sent:
        m = ctx.index.at(tok)
        if m is None and tok.lemma_.lower() in ctx.lex.class_nouns:
            m = ctx.corefer(tok)
        if m is not None and m.type == "Company" and m.key != mention.key:
            found[m.key] = m
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return None
    window = sent.start
    for _ in range(2):
        if window > 0:
            window = ctx.doc[window - 1].sent.start
    speakers = [m for i, m in ctx.subject_chain if m.type == "Company" and window <= i < sent.start]
    return speakers[-1] if speakers else None


def _named_elsewhere(tokens: list[Token], ctx: Reading) -> list[Mention]:
    """An organization written in the title phrase that the model missed here
    but recognized elsewhere in the document under the same name."""
    for tok in tokens:
        m = ctx.index.at(tok)  # tagged as an adjective ("A Didi vice-president")
        if m is not None and m.type in ORGS:
            return [m]
        if tok.pos_ == "PROPN" and m is None:
            same = [m for m in ctx.index.mentions if m.type in ORGS
                    and tok.text in (m.text, m.label, m.text.split()[0])]
            if same:
                return same[:1]
    return []


def _unresolved_name(tokens: list[Token], ctx: Reading) -> bool:
    known = ctx.lex.titles | ctx.lex.corporate_titles
    return any(t.pos_ == "PROPN" and ctx.index.at(t) is None and t.lemma_.lower() not in known
               and t.is_title and ctx.gaz.country_of_demonym(t.text) is None
               and t.i > tokens[0].i and t.dep_ != "ROOT" for t in tokens
               if t.lower_ not in {p for ph in ctx.lex.state_titles for p in ph})


def _title_kind(tokens: list[Token], ctx: Reading) -> str | None:
    if any(_has_words(tokens, p) for p in ctx.lex.state_titles):
        return "state"
    if any(t.lemma_.lower() in ctx.lex.corporate_titles for t in tokens):
        return "company"
    return None


def title_facts(mention: Mention, ctx: Reading,
                served: set[str]) -> Iterator[RelationCandidate]:
    """Offices from a title for one person."""
    for tokens in _title_phrases(mention, ctx):
        ev = ctx.evidence([*tokens, ctx.doc[ctx.index.span_of(mention)[0]]], "", OFFICIAL_OF)
        body = portfolio_body(tokens, ctx)
        if body is not None:
            yield _fact(mention, body, ev, "np:portfolio-body", OFFICIAL_OF)
        if mention.key in served:
            continue
        found = (_affiliations(tokens, mention, ctx) or _named_elsewhere(tokens, ctx)
                 or _portfolio(tokens, ctx))
        kind = _title_kind(tokens, ctx)
        if not found and _unresolved_name(tokens, ctx):
            continue  # "a Didi vice-president" with Didi unrecognized here: no guess
        state = ctx.state_of(body) if body is not None else None
        if not found and state is not None:  # "Foreign Minister X" of a named ministry
            found, rule, conf = [state], "np:portfolio-state", OFFICIAL_OF
        elif not found and kind == "state":
            found = [c for c in [context_country(ctx, ctx.doc[tokens[0].i].sent)] if c]
            rule, conf = "np:state-title-context", CONTEXT_OFFICIAL_OF
        elif not found and kind == "company":
            found = [c for c in [corporate_context(mention, ctx)] if c]
            rule, conf = "np:company-title-context", CONTEXT_OFFICIAL_OF
        else:
            rule, conf = "np:title-window", OFFICIAL_OF
        for target in found[:1]:
            if target.type != "Product" and not target.label.endswith(" Party"):
                served.add(mention.key)
                yield _fact(mention, target, ev, rule, conf)


def _fact(person: Mention, target: Mention, ev, rule: str, conf: float) -> RelationCandidate:
    return RelationCandidate(person, "officialOf", target,
                             type(ev)(ev.doc_id, ev.start_char, ev.end_char, ev.sentence, rule,
                                      conf, ev.sentence_index))


def extract_roles(ctx: Reading, known: list[RelationCandidate]) -> Iterator[RelationCandidate]:
    """Offices that the noun-phrase facts (``known``) did not give."""
    served = {rc.subject.key for rc in known if rc.predicate == "officialOf"}
    for tok in ctx.doc:
        for rc in leadership_facts(tok, ctx):
            served.add(rc.subject.key)
            yield rc
    for mention in ctx.index.mentions:
        if mention.type == "Person":
            yield from title_facts(mention, ctx, served)
