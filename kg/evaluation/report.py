"""The figures of an evaluation, and their text form.

:func:`build_report` turns the matches (:mod:`kg.evaluation.match`) into
precision, recall, F1 and the itemized errors; :func:`format_report` and
:func:`format_by_doc` print them the way the shared scorer rounds them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from kg.evaluation.gold import CORE_PROPERTIES, GoldFact
from kg.evaluation.match import Edge


class PropertyScore(NamedTuple):
    """Precision, recall (0.0 when undefined) and number of required facts of a property."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class DocScore:
    """The figures of one story of the gold set.

    Attributes:
        doc: the document's file name.
        required: the story's required facts; found: how many of them a triple states.
        emitted: the scored triples with evidence in the story; correct: how many
            of them state a non-negative fact of the story.
        precision, recall, f1: from these counts (0.0 when undefined).
    """

    doc: str
    required: int
    found: int
    emitted: int
    correct: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, doc: str, required: int, found: int, emitted: int, correct: int) -> DocScore:
        """A row from its four counts, with precision, recall and F1 worked out."""
        precision = correct / emitted if emitted else 0.0
        recall = found / required if required else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(doc, required, found, emitted, correct, precision, recall, f1)


@dataclass(frozen=True)
class EvalReport:
    """The result of measuring a graph against a gold set.

    Attributes:
        precision, recall, f1: the overall figures.
        counts: required, required_found, system_triples, system_correct,
            negatives_asserted, split_entities, graph_triples.
        per_property: core property -> (precision, recall, support), for the
            properties that occur in the graph or in the required facts.
        missed: required facts no triple states; unmatched: core triples that
            state no non-negative fact; negatives: negative facts the graph asserts.
        splits: gold entity id -> the IRIs of the several nodes it became.
        by_doc: one row per story of the gold set, when asked for (else None).
    """

    precision: float
    recall: float
    f1: float
    counts: dict[str, int]
    per_property: dict[str, PropertyScore]
    missed: tuple[GoldFact, ...]
    unmatched: tuple[Edge, ...]
    negatives: tuple[GoldFact, ...]
    splits: dict[str, tuple[str, ...]]
    by_doc: tuple[DocScore, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready values (per-property figures as objects; ``by_doc``
        only when the report has per-story rows)."""
        data = asdict(self)
        data["per_property"] = {k: v._asdict() for k, v in self.per_property.items()}
        if self.by_doc is None:
            del data["by_doc"]
        return data


def build_report(edges: list[Edge], correct: set[int], required: list[GoldFact],
                 found: set[int], asserted: list[GoldFact],
                 splits: dict[str, tuple[str, ...]], size: int) -> EvalReport:
    """Assembles the figures and the itemized errors.

    Args:
        edges: the scored triples; correct: the ``id`` of each that states a
            non-negative fact.
        required: the required facts; found: the ``id`` of each that some edge states.
        asserted: the negative facts some edge states.
        splits: gold entity id -> the IRIs of the several nodes it became.
        size: the number of triples in the graph.

    Returns:
        The report, without per-story rows.
    """
    precision = len(correct) / len(edges) if edges else 0.0
    recall = len(found) / len(required) if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    counts = {"required": len(required), "required_found": len(found),
              "system_triples": len(edges), "system_correct": len(correct),
              "negatives_asserted": len(asserted), "split_entities": len(splits),
              "graph_triples": size}
    return EvalReport(
        precision, recall, f1, counts, _per_property(edges, correct, required, found),
        missed=tuple(f for f in required if id(f) not in found),
        unmatched=tuple(sorted((e for e in edges if id(e) not in correct), key=Edge.describe)),
        negatives=tuple(asserted), splits=splits,
    )


def _per_property(edges: list[Edge], correct: set[int], required: list[GoldFact],
                  found: set[int]) -> dict[str, PropertyScore]:
    """Precision over the edges carrying each property, recall over the facts listing it."""
    table = {}
    for name in CORE_PROPERTIES:
        mine = [id(e) in correct for e in edges if name in e.properties]
        theirs = [id(f) in found for f in required if name in f.properties]
        if mine or theirs:
            table[name] = PropertyScore(sum(mine) / len(mine) if mine else 0.0,
                                        sum(theirs) / len(theirs) if theirs else 0.0, len(theirs))
    return table


def format_report(report: EvalReport, show: bool = False) -> str:
    """Renders a report as text: figures, the per-property table, negatives and splits.

    Args:
        report: the report.
        show: also list every missed fact and every unmatched triple.

    Returns:
        The text, ending in a line break.
    """
    c = report.counts
    lines = [
        # rounded to four places first, as the shared scorer does, so that the
        # two print the same three decimals
        f"precision {round(report.precision, 4):.3f}  recall {round(report.recall, 4):.3f}  "
        f"F1 {round(report.f1, 4):.3f}",
        f"required facts found {c['required_found']}/{c['required']}; "
        f"system triples correct {c['system_correct']}/{c['system_triples']}; "
        f"negatives asserted {c['negatives_asserted']}; split entities {c['split_entities']}",
        "", f"{'property':<20}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for name, (precision, recall, support) in report.per_property.items():
        shown = f"{recall:.3f}" if support else "-"
        lines.append(f"{name:<20}{precision:>10.3f}{shown:>8}{support:>9}")
    sections = [("negatives asserted", [f.describe() for f in report.negatives]),
                ("split entities", [f"{eid}: {', '.join(n)}" for eid, n in report.splits.items()])]
    if show:
        sections[:0] = [("missed", [f.describe() for f in report.missed]),
                        ("unmatched", [e.describe() for e in report.unmatched])]
    for title, items in sections:
        if items or show:
            lines += ["", f"## {title} ({len(items)})", *(f"  {item}" for item in items)]
    return "\n".join(lines) + "\n"


def format_by_doc(report: EvalReport) -> str:
    """Renders the per-story rows as a table, with a line of column sums ("" without rows).

    A triple with evidence in two stories counts in both rows, so ``emitted`` may add
    up to more than the report's system triples.
    """
    if report.by_doc is None:
        return ""
    rows = list(report.by_doc)
    width = max([len("doc"), len("all stories"), *(len(row.doc) for row in rows)]) + 2
    lines = [f"{'doc':<{width}}{'required':>9}{'found':>7}{'emitted':>9}{'correct':>9}"
             f"{'P':>7}{'R':>7}{'F1':>7}"]
    sums = [sum(getattr(row, key) for row in rows)
            for key in ("required", "found", "emitted", "correct")]
    for row in [*rows, DocScore.of("all stories", *sums)]:
        lines.append(f"{row.doc:<{width}}{row.required:>9}{row.found:>7}{row.emitted:>9}"
                     f"{row.correct:>9}{row.precision:>7.3f}{row.recall:>7.3f}{row.f1:>7.3f}")
    return "\n".join(lines) + "\n"
