"""The verb lexicon (``ontology/lexicon.yaml``), loaded and validated.

The YAML holds every word list the extractors use; this module checks it
against the ontology's property names and turns it into frozen lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from kg.resources import ontology_file

PROPERTIES = frozenset(
    "bans sanctions restricts excludes accuses designatesAsThreat denies opposes threatens "
    "launches joins supports cooperatesWith pressures investigates sues blocks acquires states "
    "owns basedIn officialOf memberOf supplies".split()
)
CLASSES = frozenset(
    "Country CountryGroup Company CompanyGroup GovernmentBody InternationalOrganization "
    "Organization Person Product Technology Initiative".split()
)


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class VerbEntry:
    lemma: str
    property: str | None
    preps: dict[str, str]
    complement: frozenset[str]
    particle: str | None
    confidence: float
    # "prohibit X from buying": with this preposition, the object's relation changes.
    with_prep: dict[str, str] = field(default_factory=dict)
    needs_clause: bool = False
    experiencer: bool = False
    by_object: dict[str, str] = field(default_factory=dict)  # object class -> property


@dataclass(frozen=True)
class Nominal:
    lemma: str
    property: str
    preps: frozenset[str]
    confidence: float


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, VerbEntry]
    nominals: dict[str, Nominal]
    light_verbs: frozenset[str]
    list_verbs: dict
    speech_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    negators: frozenset[str]
    refusal_verbs: frozenset[str]
    refusal_phrases: tuple[tuple[str, ...], ...]
    planned_markers: frozenset[str]
    hedge_markers: frozenset[str]
    example_markers: tuple[tuple[str, ...], ...]
    collectives: dict[str, str]  # noun lemma -> class
    collective_quantifiers: frozenset[str]
    collective_synonyms: dict[str, str]  # noun lemma -> canonical lemma
    class_nouns: dict[str, str]  # noun lemma -> class
    titles: frozenset[str]
    spokesperson_titles: frozenset[str]
    person_nouns: frozenset[str]
    envoy_titles: frozenset[str]
    portfolio_titles: dict[str, str]  # title phrase -> country label
    exclusion_domains: frozenset[str]
    threat_heads: frozenset[str]
    launch_verbs: frozenset[str]
    initiative_heads: frozenset[str]
    owned_things: dict[str, tuple[str, str]]  # noun lemma -> (class, canonical name)
    act_nouns: frozenset[str]
    act_targeting: frozenset[str]
    evaluation_verbs: frozenset[str]
    evaluations: dict[str, str]  # evaluative word -> property
    exclusions: dict
    reciprocal_verbs: frozenset[str]
    causatives: frozenset[str]
    reaction_verbs: frozenset[str]
    negative_reactions: frozenset[str]
    threat_words: frozenset[str]
    threat_verbs: frozenset[str]
    harm_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    trade_nouns: frozenset[str]
    relational_nouns: dict[str, tuple[str, bool]]  # noun -> (property, inverse)
    trade_preps: tuple[str, ...]
    supplied_by: dict[str, float]
    government_heads: frozenset[str]
    international_heads: frozenset[str]
    feelings: dict = field(default_factory=dict)  # opposing, accusing, preps -> words
    deadlines: dict = field(default_factory=dict)  # verbs, time_nouns, confidence
    retaliation: dict = field(default_factory=dict)  # heads, acts, particles, light, objects
    unnamed_hostile_acts: frozenset[str] = frozenset()
    licensing: dict = field(default_factory=dict)  # nouns, verbs, imposing, flows, confidence
    obligations: dict = field(default_factory=dict)  # modals, halting, confidence
    supply_halts: dict = field(default_factory=dict)  # acts, halting, confidence
    kind_nouns: dict = field(default_factory=dict)  # noun lemma -> class
    measure_nouns: dict = field(default_factory=dict)  # noun lemma -> property
    coercive_properties: frozenset[str] = frozenset()
    undoing_demands: dict = field(default_factory=dict)  # verbs, nouns, confidence
    state_proxies: frozenset[str] = frozenset()
    # structural clauses and titles (section `structure`)
    ownership_verbs: frozenset[str] = frozenset()
    leadership_verbs: frozenset[str] = frozenset()
    corporate_titles: frozenset[str] = frozenset()
    state_titles: tuple[tuple[str, ...], ...] = ()
    membership_verbs: frozenset[str] = frozenset()
    member_nouns: frozenset[str] = frozenset()
    rank_words: frozenset[str] = frozenset()
    title_bodies: dict[str, frozenset[str]] = field(default_factory=dict)
    generic_products: frozenset[str] = frozenset()
    # business relations (section `business`): name -> words, or verb -> particle
    business: dict = field(default_factory=dict)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys instead of silently keeping the last."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise LexiconError(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Words such as "on" and "no" are data here, not YAML 1.1 booleans.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_property(name: str, where: str) -> str:
    if name not in PROPERTIES:
        raise LexiconError(f"{where}: unknown property {name!r}")
    return name


def _verb(lemma: str, spec, where: str | None = None) -> VerbEntry:
    """One verb entry; ``where`` (default ``verbs.<lemma>``) prefixes every error."""
    where = where or f"verbs.{lemma}"
    if isinstance(spec, str):
        spec = {"property": spec}
    if not isinstance(spec, dict):
        raise LexiconError(f"{where}: expected a property name or a mapping")
    prop = spec.get("property")
    if prop is not None:
        _check_property(prop, where)
    preps = {p: _check_property(v, f"{where}.preps") for p, v in spec.get("preps", {}).items()}
    if prop is None and not preps and not spec.get("with_prep"):
        raise LexiconError(f"{where}: needs a property, preps or with_prep")
    with_prep = {p: _check_property(v, f"{where}.with_prep")
                 for p, v in spec.get("with_prep", {}).items()}
    unknown = set(spec) - {"property", "preps", "complement", "particle", "confidence",
                           "with_prep", "needs_clause", "experiencer", "by_object"}
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    return VerbEntry(lemma, prop, preps, frozenset(spec.get("complement", ())),
                     spec.get("particle"), float(spec.get("confidence", 0.8)), with_prep,
                     bool(spec.get("needs_clause", False)), bool(spec.get("experiencer", False)),
                     {c: _check_property(v, f"{where}.by_object")
                      for c, v in spec.get("by_object", {}).items()})


def _nominal(lemma: str, spec, where: str | None = None) -> Nominal:
    """One nominal entry; ``where`` (default ``nominals.<lemma>``) prefixes every error."""
    where = where or f"nominals.{lemma}"
    if not isinstance(spec, dict) or "property" not in spec:
        raise LexiconError(f"{where}: needs a property")
    prop = _check_property(spec["property"], where)
    return Nominal(lemma, prop, frozenset(spec.get("preps", ())),
                   float(spec.get("confidence", 0.75)))


def _mapping(value, where: str) -> dict:
    """``value`` as a mapping (empty for a blank YAML value), or an error naming ``where``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping")
    return value


def _grouped_verb(spec, prop: str):
    """A verb spec under ``events`` with its group's property made explicit.

    The group's property is implied unless the entry gives ``property``
    (another one, or null for none) or maps prepositions with ``preps``.
    """
    spec = {} if spec is None else spec
    if isinstance(spec, dict) and "property" not in spec and "preps" not in spec:
        return {"property": prop, **spec}
    return spec


def _grouped_nominal(spec, prop: str):
    """A nominal spec under ``events`` with its group's property unless it names one."""
    spec = {} if spec is None else spec
    return {"property": prop, **spec} if isinstance(spec, dict) else spec


def _add(table: dict, lemma: str, where: str, spec) -> None:
    """Adds one raw entry; a lemma defined twice is an error naming both places."""
    if lemma in table:
        raise LexiconError(f"{where}: {lemma!r} is already defined at {table[lemma][0]}")
    table[lemma] = (where, spec)


def _event_group(category: str, prop: str, parts, verbs: dict, nominals: dict) -> None:
    """One property of one category: its `verbs` and `nominals` into the raw tables."""
    where = f"events.{category}.{prop}"
    _check_property(prop, f"events.{category}")
    parts = _mapping(parts, where)
    unknown = set(parts) - {"verbs", "nominals"}
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    for lemma, spec in _mapping(parts.get("verbs"), f"{where}.verbs").items():
        _add(verbs, lemma, f"{where}.verbs.{lemma}", _grouped_verb(spec, prop))
    for lemma, spec in _mapping(parts.get("nominals"), f"{where}.nominals").items():
        _add(nominals, lemma, f"{where}.nominals.{lemma}", _grouped_nominal(spec, prop))


def _raw_entries(data: dict) -> tuple[dict, dict]:
    """Verb and nominal specs (lemma -> (where, spec)) from the flat `verbs` and
    `nominals` sections and from `events` (category -> property -> verbs/nominals)."""
    verbs: dict = {}
    nominals: dict = {}
    for lemma, spec in _mapping(data.get("verbs"), "verbs").items():
        _add(verbs, lemma, f"verbs.{lemma}", spec)
    for lemma, spec in _mapping(data.get("nominals"), "nominals").items():
        _add(nominals, lemma, f"nominals.{lemma}", spec)
    for category, props in _mapping(data.get("events"), "events").items():
        for prop, parts in _mapping(props, f"events.{category}").items():
            _event_group(category, prop, parts, verbs, nominals)
    return verbs, nominals


def _check_class(name: str, where: str) -> str:
    if name not in CLASSES:
        raise LexiconError(f"{where}: unknown class {name!r}")
    return name


def _by_class(table: dict, section: str) -> dict[str, str]:
    out = {}
    for cls, words in table.items():
        if cls not in CLASSES:
            raise LexiconError(f"{section}: unknown class {cls!r}")
        out.update({w: cls for w in words})
    return out


def _words(data: dict, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key, ()))


def _word_table(data: dict, key: str) -> dict:
    """A section of word lists (and numbers): lists become frozen sets."""
    return {k: (frozenset(str(w).lower() for w in v) if isinstance(v, list) else v)
            for k, v in data.get(key, {}).items()}


def _phrases(data: dict, key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(w).lower() for w in p) for p in data.get(key, ()))


def build_lexicon(data: dict) -> Lexicon:
    """Validates a parsed lexicon mapping and freezes it."""
    list_verbs = data.get("list_verbs", {})
    _check_property(list_verbs.get("property", "sanctions"), "list_verbs")
    verbs, nominals = _raw_entries(data)
    return Lexicon(
        verbs={lemma: _verb(lemma, spec, where) for lemma, (where, spec) in verbs.items()},
        nominals={lemma: _nominal(lemma, spec, where) for lemma, (where, spec) in nominals.items()},
        light_verbs=_words(data, "light_verbs"),
        list_verbs=list_verbs,
        speech_verbs=_words(data, "speech_verbs"),
        deny_verbs=_words(data, "deny_verbs"),
        claim_nouns=_words(data, "claim_nouns"),
        negators=_words(data, "negators"),
        refusal_verbs=_words(data, "refusal_verbs"),
        refusal_phrases=_phrases(data, "refusal_phrases"),
        planned_markers=_words(data, "planned_markers"),
        hedge_markers=_words(data, "hedge_markers"),
        example_markers=_phrases(data, "example_markers"),
        collectives=_by_class(data.get("collectives", {}), "collectives"),
        collective_quantifiers=_words(data, "collective_quantifiers"),
        collective_synonyms={w: canon
                             for canon, words in data.get("collective_synonyms", {}).items()
                             for w in words},
        class_nouns=_by_class(data.get("class_nouns", {}), "class_nouns"),
        titles=_words(data, "titles"),
        spokesperson_titles=_words(data, "spokesperson_titles"),
        person_nouns=_words(data, "person_nouns"),
        envoy_titles=_words(data, "envoy_titles"),
        portfolio_titles={t.lower(): country for country, titles in
                          data.get("portfolio_titles", {}).items() for t in titles},
        exclusion_domains=_words(data, "exclusion_domains"),
        threat_heads=_words(data, "threat_heads"),
        launch_verbs=_words(data, "launch_verbs"),
        initiative_heads=_words(data, "initiative_heads"),
        owned_things={w: (_check_class(spec["class"], "owned_things"), canon)
                      for canon, spec in data.get("owned_things", {}).items()
                      for w in spec["words"]},
        act_nouns=_words(data, "act_nouns"),
        exclusions={k: (frozenset(v) if isinstance(v, list) else v)
                    for k, v in data.get("exclusions", {}).items()},
        reciprocal_verbs=_words(data, "reciprocal_verbs"),
        causatives=_words(data, "causatives"),
        reaction_verbs=frozenset(data.get("reactions", {}).get("verbs", ())),
        negative_reactions=frozenset(data.get("reactions", {}).get("negative", ())),
        threat_words=_words(data, "threat_words"),
        threat_verbs=_words(data, "threat_verbs"),
        harm_verbs=_words(data, "harm_verbs"),
        evidence_nouns=_words(data, "evidence_nouns"),
        trade_nouns=frozenset(data.get("trade_nouns", {}).get("nouns", ())),
        relational_nouns={n: (_check_property(spec["property"], f"relational_nouns.{n}"),
                              bool(spec.get("inverse", False)))
                          for n, spec in data.get("relational_nouns", {}).items()},
        trade_preps=tuple(data.get("trade_nouns", {}).get("preps", ())),
        supplied_by={str(k): float(v) for k, v in data.get("supplied_by", {}).items()},
        act_targeting=frozenset(_check_property(p, "act_targeting")
                                for p in data.get("act_targeting", ())),
        evaluation_verbs=frozenset(data.get("evaluations", {}).get("verbs", ())),
        evaluations={w: _check_property(prop, "evaluations")
                     for prop, words in data.get("evaluations", {}).items() if prop != "verbs"
                     for w in words},
        deadlines={k: (frozenset(v) if isinstance(v, list) else float(v))
                   for k, v in data.get("deadlines", {}).items()},
        unnamed_hostile_acts=_words(data, "unnamed_hostile_acts"),
        licensing=_word_table(data, "licensing"),
        obligations=_word_table(data, "obligations"),
        supply_halts=_word_table(data, "supply_halts"),
        kind_nouns=_by_class(data.get("kind_nouns", {}), "kind_nouns"),
        undoing_demands=_word_table(data, "undoing_demands"),
        measure_nouns={str(n): _check_property(p, f"measure_nouns.{n}")
                       for n, p in data.get("measure_nouns", {}).items()},
        coercive_properties=frozenset(_check_property(p, "coercive_properties")
                                      for p in data.get("coercive_properties", ())),
        retaliation={k: (frozenset(v) if isinstance(v, list) else v)
                     for k, v in data.get("retaliation", {}).items()},
        state_proxies=_words(data, "state_proxies"),
        feelings={k: frozenset(str(w).lower() for w in v)
                  for k, v in data.get("feelings", {}).items()},
        government_heads=_words(data, "government_heads"),
        international_heads=_words(data, "international_heads"),
        **_structure(data.get("structure", {})),
        business=_business(data.get("business", {})),
    )


def _business(data) -> dict:
    """The `business` section: word lists (frozensets) and particle maps (dicts)
    for supply, acquisition, cooperation and launch constructions."""
    out = {}
    for key, value in _mapping(data, "business").items():
        if isinstance(value, dict):
            out[key] = {str(k).lower(): str(v).lower() for k, v in value.items()}
        elif isinstance(value, list):
            out[key] = frozenset(str(w).lower() for w in value)
        else:
            raise LexiconError(f"business.{key}: expected a list or a mapping")
    return out


def _structure(data: dict) -> dict:
    """The `structure` section: word lists for clause- and title-borne facts."""
    unknown = set(data) - {"ownership_verbs", "leadership_verbs", "corporate_titles",
                           "state_titles", "membership_verbs", "member_nouns", "rank_words",
                           "title_bodies", "generic_products"}
    if unknown:
        raise LexiconError(f"structure: unknown keys {sorted(unknown)}")
    out = {k: _words(data, k) for k in data if k not in ("state_titles", "title_bodies")}
    out["state_titles"] = _phrases(data, "state_titles")
    out["title_bodies"] = {str(t).lower(): frozenset(str(w).lower() for w in heads)
                           for t, heads in data.get("title_bodies", {}).items()}
    return out


def parse_lexicon(path: Path) -> Lexicon:
    """Reads and validates a lexicon file; errors name the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        if not isinstance(data, dict):
            raise LexiconError("expected a mapping at the top level")
        return build_lexicon(data)
    except (LexiconError, yaml.YAMLError, TypeError, ValueError, AttributeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc


def verb_words(lex: Lexicon) -> frozenset[str]:
    """Every verb lemma the lexicon knows, for recognising verbs in headlines."""
    return frozenset(lex.verbs) | lex.light_verbs | lex.speech_verbs | lex.deny_verbs | frozenset(
        lex.list_verbs.get("verbs", ()))


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    """The project lexicon (cached)."""
    return parse_lexicon(Path(path) if path else ontology_file("lexicon.yaml"))
