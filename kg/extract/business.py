"""Business relations between firms, states and products, read from
constructions the verb lexicon does not cover (word lists: section
`business` of ontology/lexicon.yaml):

- supplies: "X, whose gear is used in the networks of A" / "its drones are
  used by B"; "counted A among its customers"; "buy chips from Japanese
  suppliers"; "makes chips for carmakers", "turns out modems for phone makers";
- acquires: "took full control of X", "take stakes in X", "completed its
  purchase of a stake in X", "X's takeover of Y", "bought into X" (blocked,
  negated or prevented ones come out negative);
- launches: "published the regulation", "the rule issued by X", a named or
  already known initiative or product.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.datatypes import Mention, RelationCandidate
from kg.extract.arguments import is_passive, prep_objects, subject_heads
from kg.extract.entities import group_key
from kg.extract.phrases import RELATIVE
from kg.extract.polarity import modality, polarity
from kg.extract.reading import Reading

SUPPLIERS = {"Company", "CompanyGroup"}
CUSTOMERS = {"Company", "CompanyGroup", "GovernmentBody", "Country", "CountryGroup",
             "InternationalOrganization", "Organization"}
ACQUIRERS = {"Company", "CompanyGroup", "Country", "GovernmentBody", "Person"}
ACQUIRED = {"Company", "Product"}
LAUNCHED = {"Initiative", "Product"}
LAUNCHERS = {"Country", "Person", "GovernmentBody", "Company", "InternationalOrganization",
             "CountryGroup", "Organization"}
SUPPLY, ACQUIRE, LAUNCH = 0.6, 0.65, 0.6


def _words(ctx: Reading, key: str):
    return ctx.lex.business.get(key, frozenset())


# ----- parties ----------------------------------------------------------------
def _bare_group(tok: Token, ctx: Reading) -> Mention | None:
    """ "carmakers", "phone makers": a plural kind of buyer named without a
    qualifier stands as a group of its own."""
    if tok.tag_ not in ("NNS", "NNPS") or tok.lemma_.lower() not in _words(ctx, "customer_groups"):
        return None
    if any(c.dep_ in ("det", "poss") for c in tok.children):
        return None  # "the companies", "their customers": someone's, or a coreference
    tokens = ctx.own_tokens(tok)
    tokens = [t for t in tokens if t.i <= tok.i and t.dep_ not in ("det", "punct")]
    span = ctx.doc[tokens[0].i:tok.i + 1]
    return Mention(group_key(span, tok, ctx.index, ctx.gaz, ctx.lex), span.text, span.text,
                   "CompanyGroup", span.start_char, span.end_char)


def _appositive(tok: Token, ctx: Reading) -> list[Mention]:
    """ "a new company, Acme Holdings": the name in apposition."""
    found = [ctx.index.at(c) for c in tok.children if c.dep_ == "appos"]
    return [m for m in found if m is not None]


def parties(tok: Token, ctx: Reading) -> list[Mention]:
    """Every party a phrase and its conjuncts name, bare groups included."""
    out: list[Mention] = []
    for h in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
        found = ctx.resolve(h, with_conj=False) or _appositive(h, ctx)
        if not found:
            group = _bare_group(h, ctx)
            found = [group] if group is not None else []
        out += [m for m in found if m not in out]
    return out


def _subjects(verb: Token, ctx: Reading, through_owner: bool = False) -> list[Mention]:
    """The subject's parties; with ``through_owner``, an unnamed possessed
    subject stands for its possessor ("its foundries count X among ...")."""
    out = []
    for h in subject_heads(verb, ctx):
        found = parties(h, ctx)
        if not found and through_owner:
            found = [m for c in h.children if c.dep_ == "poss" for m in parties(c, ctx)]
        out += found
    return out


def _emit(ctx: Reading, verb: Token, subjects: list[Mention], objects: list[Mention],
          prop: str, rule: str, confidence: float, tokens: list[Token],
          pol: str | None = None) -> Iterator[RelationCandidate]:
    pol, mod = pol or polarity(verb, ctx), modality(verb, ctx)
    ev = ctx.evidence(tokens, rule, confidence * (0.9 if mod == "planned" else 1.0))
    for s in subjects:
        for o in objects:
            if s.key != o.key:
                yield RelationCandidate(s, prop, o, ev, pol, mod)


def _has_particle(verb: Token, particles: dict) -> bool:
    wanted = particles.get(verb.lemma_.lower())
    return wanted is not None and any(c.dep_ in ("prt", "advmod", "prep") and c.lower_ == wanted
                                      for c in verb.children)


# ----- supplies -----------------------------------------------------------------
def _maker(thing: Token, ctx: Reading) -> list[Mention]:
    """Who makes a used thing: "whose gear" (the relative's antecedent), "its
    drones" (the pronoun), "Acme gear" (the owner of the thing)."""
    for c in thing.children:
        if c.dep_ != "poss":
            continue
        if c.lower_ == "whose":
            clause = next((a for a in c.ancestors if a.dep_ == "relcl"), None)
            return parties(clause.head, ctx) if clause is not None else []
        return parties(c, ctx)
    owned = ctx.own_mention(thing)
    owner = ctx.owners.get(owned.key) if owned is not None else None
    return [owner] if owner is not None else []


def _users(verb: Token, ctx: Reading) -> list[Mention]:
    """ "used by B", "used in the networks of A", "used in A's networks"."""
    heads = prep_objects(verb, "by")
    for place in prep_objects(verb, "in") + prep_objects(verb, "across"):
        if place.lemma_.lower() not in _words(ctx, "use_domains"):
            continue
        heads += prep_objects(place, "of")
        heads += [c for c in place.children if c.dep_ in ("poss", "compound")
                  and ctx.index.at(c) is not None]
    return [m for h in heads for m in parties(h, ctx) if m.type in CUSTOMERS]


def used_supplies(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "X, whose gear is used in the networks of A", "its drones are used by B"."""
    if verb.lemma_.lower() not in _words(ctx, "use_verbs") or not is_passive(verb):
        return
    things = [c for c in verb.children if c.dep_ == "nsubjpass"]
    makers = [m for t in things for m in _maker(t, ctx) if m.type in SUPPLIERS]
    users = _users(verb, ctx)
    if makers and users:
        yield from _emit(ctx, verb, makers, users, "supplies", f"business:used-{verb.lemma_}",
                         SUPPLY, [things[0], verb])


def customer_supplies(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "counted A among its customers", "counts A as its biggest buyer"."""
    if verb.lemma_.lower() not in _words(ctx, "counting_verbs"):
        return
    roles = [p for prep in ("among", "as") for p in prep_objects(verb, prep)
             if p.lemma_.lower() in _words(ctx, "customer_nouns")]
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    if not roles or not objs:
        return
    sellers = [m for m in _subjects(verb, ctx, True) if m.type in SUPPLIERS]
    buyers = [m for o in objs for m in parties(o, ctx) if m.type in CUSTOMERS]
    yield from _emit(ctx, verb, sellers, buyers, "supplies", f"business:{verb.lemma_}-customer",
                     SUPPLY + 0.1, [verb, objs[0], roles[0]])


def _is_company_purchase(verb: Token, ctx: Reading) -> bool:
    """ "bought Volvo from Ford", "which Acme bought from B": a firm changes hands."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    if verb.dep_ == "relcl" and (not objs or objs[0].lower_ in RELATIVE):
        objs = [verb.head]
    return any(m.type in ACQUIRED - {"Product"} for o in objs for m in ctx.resolve(o)) or any(
        o.lemma_.lower() in _words(ctx, "stake_nouns") or o.like_num or o.lower_ in ("%", "percent")
        for o in objs)


def source_supplies(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "buy most of their chips from Japanese suppliers": the source supplies."""
    if verb.lemma_.lower() not in _words(ctx, "buying_verbs") or verb.pos_ != "VERB":
        return
    # "from X" on the verb or on the goods ("the bulk of their chips from X")
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    froms = prep_objects(verb, "from") + [p for o in objs for t in o.subtree
                                          for p in prep_objects(t, "from")]
    sources = [m for p in froms for m in parties(p, ctx) if m.type in SUPPLIERS]
    if not sources or _is_company_purchase(verb, ctx) or polarity(verb, ctx) == "negative":
        return  # "told to stop buying from X" excludes X (constructions.py)
    buyers = [m for m in _subjects(verb, ctx) if m.type in CUSTOMERS]
    yield from _emit(ctx, verb, sources, buyers, "supplies", f"business:{verb.lemma_}-from",
                     SUPPLY, [verb, *froms[:1]])


def _goods(obj: Token, ctx: Reading) -> bool:
    """ "chips", "billions of chips", "5G networks": something made to sell."""
    goods = _words(ctx, "goods")
    heads = [obj, *prep_objects(obj, "of")]
    for h in heads:
        if h.lemma_.lower() in goods:
            return True
        if any(c.dep_ in ("compound", "amod", "nmod") and ctx.index.at(c) is not None
               and ctx.index.at(c).type == "Technology" for c in h.children):
            return True
    return False


def production_supplies(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "makes chips for carmakers", "turns out modems for phone makers"."""
    lemma = verb.lemma_.lower()
    particles = ctx.lex.business.get("production_particles", {})
    if lemma not in _words(ctx, "production_verbs") and not _has_particle(verb, particles):
        return
    objs = [c for c in verb.children if c.dep_ == "dobj" and _goods(c, ctx)]
    if not objs:
        return
    # "for carmakers" on the verb, on the goods, or on a phrase inside them
    # ("millions of chips a year for carmakers")
    beneficiaries = prep_objects(verb, "for") + [
        p for o in objs for t in o.subtree for p in prep_objects(t, "for")]
    buyers = [m for b in beneficiaries for m in parties(b, ctx) if m.type in CUSTOMERS]
    makers = [m for m in _subjects(verb, ctx, True) if m.type in SUPPLIERS]
    if buyers and makers:
        yield from _emit(ctx, verb, makers, buyers, "supplies", f"business:{lemma}-for",
                         SUPPLY, [verb, objs[0], *beneficiaries[:1]])


# ----- acquires ---------------------------------------------------------------------
def _acquired(tok: Token, ctx: Reading) -> list[Mention]:
    """Firms a phrase names, and named (not merely owned) products."""
    return [m for m in parties(tok, ctx) if m.type in ACQUIRED and not m.key.startswith("owned:")]


def _holding_targets(noun: Token, ctx: Reading) -> list[Mention]:
    """What a stake or a control is in: "stakes of 10% in X", "control of X",
    "a stake in X"; "which it took control of": the clause's antecedent."""
    heads: list[Token] = []
    for prep in [c for c in noun.subtree if c.dep_ == "prep" and c.lower_ in ("in", "of")]:
        pobjs = [p for p in prep.children if p.dep_ == "pobj"]
        if not pobjs and prep.head.i == noun.i:
            clause = next((a for a in noun.ancestors if a.dep_ == "relcl"), None)
            pobjs = [clause.head] if clause is not None else []
        heads += pobjs
    found: list[Mention] = []
    for h in heads:
        found += [m for m in _acquired(h, ctx) if m not in found]
    return found


def _blocked(tok: Token, ctx: Reading) -> bool:
    """An act that a blocking verb governs ("blocked the takeover", "barred
    from buying", "the deal was vetoed") did not happen."""
    blocking = _words(ctx, "blocking_verbs")
    head = tok.head
    if tok.dep_ == "pcomp" and head.lower_ == "from":
        head = head.head
    if tok.dep_ in ("dobj", "xcomp", "pcomp", "nsubjpass") and head.lemma_.lower() in blocking:
        return True
    return False


def _pol(tok: Token, verb: Token, ctx: Reading) -> str:
    return "negative" if _blocked(tok, ctx) or polarity(verb, ctx) == "negative" else "positive"


def stake_acquires(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "took full control of X", "would take stakes of 10% in X", "bought into X"."""
    lemma = verb.lemma_.lower()
    targets: list[Mention] = []
    if lemma in _words(ctx, "taking_verbs"):
        holdings = [c for c in verb.children if c.dep_ == "dobj"
                    and c.lemma_.lower() in _words(ctx, "stake_nouns")]
        targets = [m for h in holdings for m in _holding_targets(h, ctx)]
        if holdings and not targets:
            targets = [m for p in prep_objects(verb, "in") for m in _acquired(p, ctx)]
    if lemma in ("buy", "purchase"):
        targets += [m for prep in _words(ctx, "buy_in_preps") for p in prep_objects(verb, prep)
                    for m in _acquired(p, ctx)]
    if not targets:
        return
    buyers = [m for m in _subjects(verb, ctx) if m.type in ACQUIRERS]
    yield from _emit(ctx, verb, buyers, targets, "acquires", f"business:{lemma}-stake",
                     ACQUIRE, [verb], _pol(verb, verb, ctx))


def _fronted_buyer(verb: Token, ctx: Reading) -> list[Mention]:
    """ "X, which Acme bought from B": a name between the relative pronoun and
    the verb is the buyer even where the parser took the pronoun for the subject."""
    rel = [c for c in verb.children if c.dep_ in ("nsubj", "dobj") and c.lower_ in RELATIVE]
    if verb.dep_ != "relcl" or not rel or rel[0].i > verb.i:
        return []
    between = [ctx.index.at(t) for t in ctx.doc[rel[0].i + 1:verb.i]]
    return list(dict.fromkeys(m for m in between if m is not None and m.type in ACQUIRERS))


def relative_acquires(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "Volvo, which Acme bought from B in 2010": Acme acquires Volvo."""
    if verb.lemma_.lower() not in _words(ctx, "taking_verbs") - {"take", "build", "raise"}:
        return
    buyers = _fronted_buyer(verb, ctx)
    bought = [m for m in _acquired(verb.head, ctx) if m not in buyers]
    if buyers and bought:
        yield from _emit(ctx, verb, buyers, bought, "acquires",
                         f"business:{verb.lemma_.lower()}-relative", ACQUIRE, [verb.head, verb])


def _acquisition_target(noun: Token, ctx: Reading) -> list[Mention]:
    found: list[Mention] = []
    for p in prep_objects(noun, "of"):
        if p.lemma_.lower() in _words(ctx, "stake_nouns") or p.like_num or p.lower_ in ("%",):
            found += _holding_targets(p, ctx)
        else:
            found += _acquired(p, ctx)
    return found


def acquisition_nominal(noun: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "completed its purchase of a controlling stake in X", "X's takeover of Y"."""
    if noun.lemma_.lower() not in _words(ctx, "acquisition_nouns") or noun.pos_ != "NOUN":
        return
    targets = _acquisition_target(noun, ctx)
    if not targets:
        return
    heads = [c for c in noun.children if c.dep_ == "poss"] + prep_objects(noun, "by")
    verb = noun.head if noun.head.pos_ in ("VERB", "AUX") else noun
    if not heads and noun.dep_ == "dobj" and verb.lemma_.lower() in _words(ctx, "deal_verbs"):
        heads = subject_heads(verb, ctx)
    buyers = [m for h in heads for m in parties(h, ctx) if m.type in ACQUIRERS]
    pol = _pol(noun, verb, ctx) if verb is not noun else "positive"
    yield from _emit(ctx, verb, buyers, targets, "acquires",
                     f"business:{noun.lemma_.lower()}-of", ACQUIRE, [noun], pol)


# ----- launches ------------------------------------------------------------------------
def _known_initiative(tok: Token, ctx: Reading) -> list[Mention]:
    """A named initiative or product, or a description that picks one up by
    its own head noun ("the regulation" after "the ... Regulation")."""
    own = ctx.own_mention(tok)
    if own is not None:
        return [own] if own.type in LAUNCHED else []
    ref = ctx.corefer(tok)
    head = tok.lemma_.lower()
    if ref is not None and ref.type in LAUNCHED and head in ref.label.lower().split():
        return [ref]
    return []


def launch_known(verb: Token, ctx: Reading) -> Iterator[RelationCandidate]:
    """ "published the X Regulation", "the X Rule, issued by Y"."""
    lemma = verb.lemma_.lower()
    particles = ctx.lex.business.get("launch_particles", {})
    if lemma in particles and not _has_particle(verb, particles):
        return
    if lemma not in _words(ctx, "launch_verbs") or verb.pos_ != "VERB":
        return
    agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if verb.dep_ == "acl" and agents:
        things, launchers = [verb.head], [m for a in agents for m in parties(a, ctx)]
    elif is_passive(verb):
        things = [c for c in verb.children if c.dep_ == "nsubjpass"]
        launchers = [m for a in agents for m in parties(a, ctx)]
    else:
        things = [c for c in verb.children if c.dep_ == "dobj"]
        launchers = _subjects(verb, ctx)
    objects = [m for t in things for h in (t, *t.conjuncts) for m in _known_initiative(h, ctx)]
    launchers = [m for m in launchers if m.type in LAUNCHERS]
    if objects and launchers:
        yield from _emit(ctx, verb, launchers, objects, "launches", f"business:launch-{lemma}",
                         LAUNCH, [verb, *things[:1]])


def extract_business(ctx: Reading) -> Iterator[RelationCandidate]:
    """Every business relation of the document, in text order."""
    for tok in ctx.doc:
        if tok.pos_ in ("VERB", "AUX"):
            yield from used_supplies(tok, ctx)
            yield from customer_supplies(tok, ctx)
            yield from source_supplies(tok, ctx)
            yield from production_supplies(tok, ctx)
            yield from stake_acquires(tok, ctx)
            yield from relative_acquires(tok, ctx)
            yield from launch_known(tok, ctx)
        elif tok.pos_ == "NOUN":
            yield from acquisition_nominal(tok, ctx)
