"""Writing a build to disk: Turtle, TriG, N-Quads, JSON-LD, GraphML, the SPARQL
store, the HTML view and the validation report.

Every file is written atomically (see :mod:`kg.atomic`): a failed
export never leaves a half-written file behind.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.atomic import atomic_write_bytes, atomic_write_text
from kg.datatypes import ValidationReport
from kg.export.html import render_html, write_html
from kg.export.interchange import write_graphml, write_jsonld, write_nquads
from kg.export.quads import try_dataset_lines, try_graph_lines
from kg.export.turtle import bind_prefixes, trig_text, turtle_text, write_trig, write_turtle
from kg.sparql.store import write_store

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "bind_prefixes",
    "render_html",
    "trig_text",
    "turtle_text",
    "write_html",
    "write_outputs",
    "write_trig",
    "write_turtle",
]


def write_outputs(
    graph: Graph, dataset: Dataset, report: ValidationReport, out: Path
) -> dict[str, str]:
    """Writes a build into ``out`` (created if needed).

    Files: ``graph.ttl`` (the graph), ``provenance.trig`` (one named graph per
    document) and ``provenance.nq`` (the same as N-Quads), ``graph.oxigraph/``
    (SPARQL store, see :mod:`kg.sparql.store`), ``graph.jsonld``, ``graph.graphml``,
    ``graph.html`` (interactive view) and ``validation.txt``.

    Args:
        graph: the built graph.
        dataset: the provenance dataset.
        report: the SHACL validation report.
        out: the output folder.

    Returns:
        Output name ("graph", "provenance", "nquads", "store", "jsonld", "graphml",
        "html", "validation") -> file path.

    Raises:
        OSError: ``out`` cannot be created or written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # converted once, shared by the Turtle, N-Quads, JSON-LD and store writers (None:
    # a term needs rdflib's serializers, and each writer falls back on its own)
    triples, quads = try_graph_lines(graph), try_dataset_lines(dataset)
    paths = {
        "graph": write_turtle(graph, out / "graph.ttl", triples),
        "provenance": write_trig(dataset, out / "provenance.trig", quads),
    }
    paths["nquads"] = write_nquads(paths["provenance"], out / "provenance.nq", quads)
    paths["store"] = write_store(out, paths["graph"], paths["nquads"],
                                 graph_data=triples and triples.data,
                                 quads_data=quads and quads.data)
    paths |= {
        "jsonld": write_jsonld(graph, out / "graph.jsonld", triples),
        "graphml": write_graphml(graph, out / "graph.graphml"),
        "html": write_html(graph, out / "graph.html"),
        "validation": atomic_write_text(out / "validation.txt", _report_text(report)),
    }
    return {name: str(path) for name, path in paths.items()}


def _report_text(report: ValidationReport) -> str:
    """The report's own text, or a plain summary when it has none."""
    if report.text.strip():
        return report.text if report.text.endswith("\n") else report.text + "\n"
    lines = [f"conforms: {str(report.conforms).lower()}", f"results: {len(report.results)}"]
    lines += [f"{r.severity}: {r.focus_node} {r.path}: {r.message}" for r in report.results]
    return "\n".join(lines) + "\n"
