"""The rules ``ontology/lexicon.yaml`` must follow, and its verb and nominal entries.

This is the checking half of the lexicon: the property and class names the
YAML may use, a strict YAML reader, and the validation of the verb and
nominal entries (flat, or grouped by event category). :mod:`kg.lexicon`
assembles the checked parts into the frozen :class:`~kg.lexicon.Lexicon`.
Every error is a :class:`LexiconError` whose message names the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from kg.errors import KgError

PROPERTIES = frozenset(
    "bans sanctions restricts excludes accuses designatesAsThreat denies opposes threatens "
    "launches joins supports cooperatesWith pressures investigates sues blocks acquires states "
    "owns basedIn officialOf memberOf supplies".split()
)
CLASSES = frozenset(
    "Country CountryGroup Company CompanyGroup GovernmentBody InternationalOrganization "
    "Organization Person Product Technology Initiative".split()
)
_VERB_KEYS = frozenset({"property", "preps", "complement", "particle", "confidence",
                        "with_prep", "needs_clause", "experiencer", "by_object"})


class LexiconError(KgError, ValueError):
    """The lexicon file is malformed; the message names the file and entry.

    Also a ``ValueError``, as it was before :class:`~kg.errors.KgError` existed.
    """


@dataclass(frozen=True)
class VerbEntry:
    """What a verb lemma states: its property, or one per preposition or object class."""

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
    """What an event noun ("a ban on X") states, and the prepositions that take its target."""

    lemma: str
    property: str
    preps: frozenset[str]
    confidence: float


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


def read_yaml(text: str):
    """Parses lexicon YAML strictly.

    Args:
        text: the YAML document.

    Returns:
        The parsed value (not checked further).

    Raises:
        LexiconError: a key occurs twice in one mapping.
        yaml.YAMLError: the text is not YAML.
    """
    return yaml.load(text, Loader=_UniqueKeyLoader)


def check_property(name: str, where: str) -> str:
    """``name`` when it is a property the lexicon may map words to.

    Raises:
        LexiconError: an unknown property; the message starts with ``where``.
    """
    return _check_known(name, PROPERTIES, "property", where)


def check_class(name: str, where: str) -> str:
    """``name`` when it is a class the lexicon may name.

    Raises:
        LexiconError: an unknown class; the message starts with ``where``.
    """
    return _check_known(name, CLASSES, "class", where)


def _check_known(name: str, known, kind: str, where: str) -> str:
    if name not in known:
        raise LexiconError(f"{where}: unknown {kind} {name!r}")
    return name


def as_mapping(value, where: str) -> dict:
    """``value`` as a mapping (empty for a blank YAML value).

    Raises:
        LexiconError: ``value`` is something else; the message starts with ``where``.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping")
    return value


def _verb(lemma: str, spec, where: str) -> VerbEntry:
    """One verb entry; ``where`` prefixes every error."""
    if isinstance(spec, str):
        spec = {"property": spec}
    if not isinstance(spec, dict):
        raise LexiconError(f"{where}: expected a property name or a mapping")
    prop = spec.get("property")
    if prop is not None:
        check_property(prop, where)
    preps = {p: check_property(v, f"{where}.preps") for p, v in spec.get("preps", {}).items()}
    if prop is None and not preps and not spec.get("with_prep"):
        raise LexiconError(f"{where}: needs a property, preps or with_prep")
    with_prep = {p: check_property(v, f"{where}.with_prep")
                 for p, v in spec.get("with_prep", {}).items()}
    unknown = set(spec) - _VERB_KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    return VerbEntry(lemma, prop, preps, frozenset(spec.get("complement", ())),
                     spec.get("particle"), float(spec.get("confidence", 0.8)), with_prep,
                     bool(spec.get("needs_clause", False)), bool(spec.get("experiencer", False)),
                     {c: check_property(v, f"{where}.by_object")
                      for c, v in spec.get("by_object", {}).items()})


def _nominal(lemma: str, spec, where: str) -> Nominal:
    """One nominal entry; ``where`` prefixes every error."""
    if not isinstance(spec, dict) or "property" not in spec:
        raise LexiconError(f"{where}: needs a property")
    prop = check_property(spec["property"], where)
    return Nominal(lemma, prop, frozenset(spec.get("preps", ())),
                   float(spec.get("confidence", 0.75)))


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
    check_property(prop, f"events.{category}")
    parts = as_mapping(parts, where)
    unknown = set(parts) - {"verbs", "nominals"}
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    for lemma, spec in as_mapping(parts.get("verbs"), f"{where}.verbs").items():
        _add(verbs, lemma, f"{where}.verbs.{lemma}", _grouped_verb(spec, prop))
    for lemma, spec in as_mapping(parts.get("nominals"), f"{where}.nominals").items():
        _add(nominals, lemma, f"{where}.nominals.{lemma}", _grouped_nominal(spec, prop))


def _raw_entries(data: dict) -> tuple[dict, dict]:
    """Verb and nominal specs (lemma -> (where, spec)) from the flat `verbs` and
    `nominals` sections and from `events` (category -> property -> verbs/nominals)."""
    verbs: dict = {}
    nominals: dict = {}
    for lemma, spec in as_mapping(data.get("verbs"), "verbs").items():
        _add(verbs, lemma, f"verbs.{lemma}", spec)
    for lemma, spec in as_mapping(data.get("nominals"), "nominals").items():
        _add(nominals, lemma, f"nominals.{lemma}", spec)
    for category, props in as_mapping(data.get("events"), "events").items():
        for prop, parts in as_mapping(props, f"events.{category}").items():
            _event_group(category, prop, parts, verbs, nominals)
    return verbs, nominals


def entries(data: dict) -> tuple[dict[str, VerbEntry], dict[str, Nominal]]:
    """The checked verb and nominal entries of a parsed lexicon.

    Args:
        data: the whole parsed lexicon; its `verbs`, `nominals` and `events` count.

    Returns:
        lemma -> VerbEntry, and lemma -> Nominal.

    Raises:
        LexiconError: a malformed entry, an unknown property, or a lemma defined twice;
            the message names the entry (``events.COERCE.bans.verbs.ban: ...``).
    """
    verbs, nominals = _raw_entries(data)
    return ({lemma: _verb(lemma, spec, where) for lemma, (where, spec) in verbs.items()},
            {lemma: _nominal(lemma, spec, where) for lemma, (where, spec) in nominals.items()})
