"""Reading a gold set: ``entities.jsonl``, ``gold.jsonl`` and ``docs/`` (see the
evaluation README), validated line by line so a bad annotation names its file
and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.vocab import RELATION_PROPERTIES, STRUCTURAL_PROPERTIES

# The properties a gold fact may name and a graph triple is scored on.
CORE_PROPERTIES: tuple[str, ...] = RELATION_PROPERTIES + STRUCTURAL_PROPERTIES


class EvalError(KgError):
    """A gold set or schema that is missing or malformed (one-line message)."""


@dataclass(frozen=True)
class GoldEntity:
    """One annotated entity: the names (``re:`` for a pattern) and Wikidata id naming it."""

    id: str
    type: str
    names: tuple[str, ...]
    wikidata: str | None = None


@dataclass(frozen=True)
class ClaimObject:
    """The object of a fact that is a ``Claim`` node whose text contains ``keyword``."""

    keyword: str


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact; ``object`` is an entity id or a claim, ``line`` its line number."""

    doc: str
    subject: str
    properties: tuple[str, ...]
    object: str | ClaimObject
    required: bool = False
    negative: bool = False
    evidence: str = ""
    line: int = 0

    def describe(self) -> str:
        """A one-line human form: ``doc: S p|q O  <- evidence``."""
        obj = self.object if isinstance(self.object, str) else f"claim:{self.object.keyword!r}"
        text = f"{self.doc}: {self.subject} {'|'.join(self.properties)} {obj}"
        return f"{text}  <- {self.evidence}" if self.evidence else text


@dataclass(frozen=True)
class GoldSet:
    """The entities and facts of one evaluation set.

    Attributes:
        entities: the annotated entities.
        facts: the annotated facts, in file order.
        docs: the stories of the set, sorted: every file in ``docs/`` and every
            document a fact names (empty for a set built by hand without them).
    """

    entities: tuple[GoldEntity, ...]
    facts: tuple[GoldFact, ...]
    docs: tuple[str, ...] = ()


def load_gold(directory: Path) -> GoldSet:
    """Reads ``entities.jsonl`` and ``gold.jsonl`` of an evaluation set folder.

    Raises:
        EvalError: a missing file, a line that is not JSON or lacks a field, a bad
            pattern, or a fact naming an unknown entity, property or document.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise EvalError(f"{directory}: no such gold set folder")
    entities = [_entity(row, where) for where, _, row in _jsonl(directory / "entities.jsonl")]
    known = {entity.id for entity in entities}
    docs = {p.name for p in (directory / "docs").glob("*")} or None  # None: no docs/ to check
    facts = [_fact(row, where, line, known, docs)
             for where, line, row in _jsonl(directory / "gold.jsonl")]
    stories = {p.name for p in (directory / "docs").glob("*")
               if p.is_file() and not p.name.startswith(".")}
    return GoldSet(tuple(entities), tuple(facts), tuple(sorted(stories | {f.doc for f in facts})))


def _jsonl(path: Path) -> Iterator[tuple[str, int, dict]]:
    """Yields ("<path>: line <n>", n, object) for each non-blank line of a JSON Lines file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}: line {number}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise EvalError(f"{path}: line {number}: expected a JSON object")
        yield f"{path}: line {number}", number, row


def _get(row: dict, key: str, kind: type | tuple[type, ...], where: str, default: Any = None):
    """``row[key]`` checked against ``kind``; ``default`` when absent, unless it is None."""
    if key not in row and default is not None:
        return default
    if not isinstance(row.get(key), kind):
        raise EvalError(f"{where}: field {key!r} is missing or has the wrong type")
    return row[key]


def _entity(row: dict, where: str) -> GoldEntity:
    names = _get(row, "names", list, where)
    if not all(isinstance(name, str) for name in names):
        raise EvalError(f"{where}: every name must be a string")
    for pattern in (name[3:] for name in names if name.startswith("re:")):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise EvalError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc
    return GoldEntity(_get(row, "id", str, where), _get(row, "type", str, where, ""),
                      tuple(names), _get(row, "wikidata", str, where, "") or None)


def _fact(row: dict, where: str, line: int, known: set[str], docs: set[str] | None) -> GoldFact:
    doc, subject = _get(row, "doc", str, where), _get(row, "s", str, where)
    properties, obj = _get(row, "p", list, where), _get(row, "o", (str, dict), where)
    if not properties or any(p not in CORE_PROPERTIES for p in properties):
        raise EvalError(f"{where}: 'p' must list core properties, got {properties!r}")
    if isinstance(obj, dict):
        if set(obj) != {"claim"} or not isinstance(obj["claim"], str):
            raise EvalError(f"{where}: 'o' must be an entity id or {{\"claim\": KEYWORD}}")
        obj = ClaimObject(obj["claim"])
    for ref in (subject, obj):
        if isinstance(ref, str) and ref not in known:
            raise EvalError(f"{where}: unknown entity {ref!r} (not in entities.jsonl)")
    if docs is not None and doc not in docs:
        raise EvalError(f"{where}: document {doc!r} is not in docs/")
    return GoldFact(doc, subject, tuple(properties), obj,
                    required=_get(row, "required", bool, where, False),
                    negative=_get(row, "neg", bool, where, False),
                    evidence=_get(row, "evidence", str, where, ""), line=line)
