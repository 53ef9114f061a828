"""The verb lexicon (``ontology/lexicon.yaml``), loaded and validated.

The YAML holds every word list the extractors use; this module turns it into
the frozen :class:`Lexicon`. The rules the YAML must follow, and its verb and
nominal entries, are in :mod:`kg.lexicon_schema` (whose public names are
importable from here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from kg.errors import one_line
from kg.lexicon_schema import (
    CLASSES,
    PROPERTIES,
    LexiconError,
    Nominal,
    VerbEntry,
    as_mapping,
    check_class,
    check_property,
    entries,
    read_yaml,
)
from kg.resources import ontology_file

__all__ = ["CLASSES", "PROPERTIES", "Lexicon", "LexiconError", "Nominal", "VerbEntry",
           "build_lexicon", "load_lexicon", "parse_lexicon", "verb_words"]

# Sections that are plain word lists, each read into the field of the same name.
_WORD_LISTS = (
    "light_verbs", "speech_verbs", "deny_verbs", "claim_nouns", "negators", "refusal_verbs",
    "planned_markers", "hedge_markers", "collective_quantifiers", "titles",
    "spokesperson_titles", "person_nouns", "envoy_titles", "exclusion_domains", "threat_heads",
    "launch_verbs", "initiative_heads", "act_nouns", "reciprocal_verbs", "causatives",
    "threat_words", "threat_verbs", "harm_verbs", "evidence_nouns", "unnamed_hostile_acts",
    "state_proxies", "government_heads", "international_heads",
)
# Sections of word lists (and numbers), kept as tables: their lists become frozen sets.
_WORD_TABLES = ("licensing", "obligations", "supply_halts", "undoing_demands")
_STRUCTURE_KEYS = frozenset({"ownership_verbs", "leadership_verbs", "corporate_titles",
                             "state_titles", "membership_verbs", "member_nouns", "rank_words",
                             "title_bodies", "generic_products"})


@dataclass(frozen=True)
class Lexicon:
    """Every word list the extractors use, checked and frozen (see ``ontology/lexicon.yaml``)."""

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


def _words(data: dict, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key, ()))


def _phrases(data: dict, key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(w).lower() for w in p) for p in data.get(key, ()))


def _by_class(table: dict, section: str) -> dict[str, str]:
    """word -> class from a section listing words under class names."""
    out = {}
    for cls, words in table.items():
        out.update(dict.fromkeys(words, check_class(cls, section)))
    return out


def _frozen_lists(table: dict) -> dict:
    """A section whose lists become frozen sets, as written (other values kept)."""
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in table.items()}


def _class_tables(data: dict) -> dict:
    """The fields that map nouns and titles to classes, canonical nouns or countries."""
    return {
        "collectives": _by_class(data.get("collectives", {}), "collectives"),
        "class_nouns": _by_class(data.get("class_nouns", {}), "class_nouns"),
        "kind_nouns": _by_class(data.get("kind_nouns", {}), "kind_nouns"),
        "owned_things": {w: (check_class(spec["class"], "owned_things"), canon)
                         for canon, spec in data.get("owned_things", {}).items()
                         for w in spec["words"]},
        "collective_synonyms": {w: canon
                                for canon, words in data.get("collective_synonyms", {}).items()
                                for w in words},
        "portfolio_titles": {t.lower(): country for country, titles in
                             data.get("portfolio_titles", {}).items() for t in titles},
    }


def _property_tables(data: dict) -> dict:
    """The fields that map words to properties, or list properties."""
    evaluations = data.get("evaluations", {})
    return {
        "relational_nouns": {n: (check_property(spec["property"], f"relational_nouns.{n}"),
                                 bool(spec.get("inverse", False)))
                             for n, spec in data.get("relational_nouns", {}).items()},
        "measure_nouns": {str(n): check_property(p, f"measure_nouns.{n}")
                          for n, p in data.get("measure_nouns", {}).items()},
        "act_targeting": frozenset(check_property(p, "act_targeting")
                                   for p in data.get("act_targeting", ())),
        "evaluation_verbs": frozenset(evaluations.get("verbs", ())),
        "evaluations": {w: check_property(prop, "evaluations")
                        for prop, words in evaluations.items() if prop != "verbs"
                        for w in words},
        "coercive_properties": frozenset(check_property(p, "coercive_properties")
                                         for p in data.get("coercive_properties", ())),
    }


def _section_tables(data: dict) -> dict:
    """The fields kept as small tables of word sets (and numbers) for one construction."""
    trade, reactions = data.get("trade_nouns", {}), data.get("reactions", {})
    return {
        **{key: {k: (frozenset(str(w).lower() for w in v) if isinstance(v, list) else v)
                 for k, v in data.get(key, {}).items()} for key in _WORD_TABLES},
        "exclusions": _frozen_lists(data.get("exclusions", {})),
        "retaliation": _frozen_lists(data.get("retaliation", {})),
        "deadlines": {k: (frozenset(v) if isinstance(v, list) else float(v))
                      for k, v in data.get("deadlines", {}).items()},
        "feelings": {k: frozenset(str(w).lower() for w in v)
                     for k, v in data.get("feelings", {}).items()},
        "reaction_verbs": frozenset(reactions.get("verbs", ())),
        "negative_reactions": frozenset(reactions.get("negative", ())),
        "trade_nouns": frozenset(trade.get("nouns", ())),
        "trade_preps": tuple(trade.get("preps", ())),
        "supplied_by": {str(k): float(v) for k, v in data.get("supplied_by", {}).items()},
    }


def _structure(data: dict) -> dict:
    """The `structure` section: word lists for clause- and title-borne facts."""
    unknown = set(data) - _STRUCTURE_KEYS
    if unknown:
        raise LexiconError(f"structure: unknown keys {sorted(unknown)}")
    out = {k: _words(data, k) for k in data if k not in ("state_titles", "title_bodies")}
    out["state_titles"] = _phrases(data, "state_titles")
    out["title_bodies"] = {str(t).lower(): frozenset(str(w).lower() for w in heads)
                           for t, heads in data.get("title_bodies", {}).items()}
    return out


def _business(data) -> dict:
    """The `business` section: word lists (frozensets) and particle maps (dicts)
    for supply, acquisition, cooperation and launch constructions."""
    out = {}
    for key, value in as_mapping(data, "business").items():
        if isinstance(value, dict):
            out[key] = {str(k).lower(): str(v).lower() for k, v in value.items()}
        elif isinstance(value, list):
            out[key] = frozenset(str(w).lower() for w in value)
        else:
            raise LexiconError(f"business.{key}: expected a list or a mapping")
    return out


def build_lexicon(data: dict) -> Lexicon:
    """Validates a parsed lexicon mapping and freezes it.

    Args:
        data: the parsed YAML (see :func:`kg.lexicon_schema.read_yaml`).

    Returns:
        The lexicon.

    Raises:
        LexiconError: an entry is malformed or names an unknown property or class.
        TypeError, ValueError, AttributeError: a section has the wrong shape.
    """
    list_verbs = data.get("list_verbs", {})
    check_property(list_verbs.get("property", "sanctions"), "list_verbs")
    verbs, nominals = entries(data)
    return Lexicon(
        verbs=verbs,
        nominals=nominals,
        list_verbs=list_verbs,
        refusal_phrases=_phrases(data, "refusal_phrases"),
        example_markers=_phrases(data, "example_markers"),
        **{key: _words(data, key) for key in _WORD_LISTS},
        **_class_tables(data),
        **_property_tables(data),
        **_section_tables(data),
        **_structure(data.get("structure", {})),
        business=_business(data.get("business", {})),
    )


def parse_lexicon(path: Path) -> Lexicon:
    """Reads and validates a lexicon file.

    Raises:
        LexiconError: the file is not YAML or not a valid lexicon; the one-line
            message names the file, then the entry.
    """
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise LexiconError("expected a mapping at the top level")
        return build_lexicon(data)
    except (LexiconError, yaml.YAMLError, TypeError, ValueError, AttributeError) as exc:
        # YAML's messages run over several lines (with a caret under the column).
        raise LexiconError(f"{path}: {one_line(exc, squeeze=True)}") from exc


def verb_words(lex: Lexicon) -> frozenset[str]:
    """Every verb lemma the lexicon knows, for recognising verbs in headlines."""
    return frozenset(lex.verbs) | lex.light_verbs | lex.speech_verbs | lex.deny_verbs | frozenset(
        lex.list_verbs.get("verbs", ()))


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    """The project lexicon (cached)."""
    return parse_lexicon(Path(path) if path else ontology_file("lexicon.yaml"))
