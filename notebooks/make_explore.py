"""Writes ``notebooks/explore.ipynb`` (without outputs) with nbformat.

Run it after editing the cells below: ``.venv/bin/python notebooks/make_explore.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

INTRO = """\
# Exploring a kg build

This notebook opens a build folder (`KG_BUILD`, default `../build`), runs the
bundled SPARQL queries with `kg.sparql.engine`, measures the actors of the graph with
networkx (degree and betweenness centrality, communities) and draws the
best-connected part of the graph with matplotlib. Nothing is fetched from the
network. Make a build first: `kg build seeds/ --out build`."""

SETUP = """\
import html
import io
import os
import sys
from pathlib import Path

HERE = Path.cwd()
ROOT = HERE.parent if (HERE.parent / "kg").is_dir() else HERE
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import matplotlib

matplotlib.use("Agg")  # draw off-screen; figures are shown as PNG images below
import matplotlib.pyplot as plt
import networkx as nx
import rdflib
from IPython.display import HTML, Image, display
from networkx.algorithms.community import greedy_modularity_communities

from kg.resources import ontology_file, queries_dir
from kg.sparql.engine import run_query
from kg.sparql.query import read_query
from kg.sparql.store import open_store

BUILD = Path(os.environ.get("KG_BUILD", "../build")).resolve()
store = open_store(BUILD)
print(f"build: {BUILD}")
print(f"quads in the store: {len(store)}")"""

TABLE_HELPER = """\
def compact(term, namespaces):
    \"\"\"A short form of an RDF term: a prefixed name, or the plain value.\"\"\"
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef) and namespaces is not None:
        return namespaces.normalizeUri(term)
    return str(term)


def show(result, limit=12):
    \"\"\"Shows a SELECT result as an HTML table (at most ``limit`` rows).\"\"\"
    if result.boolean is not None:
        print("yes" if result.boolean else "no")
        return
    cells = lambda row, tag: "".join(
        f"<{tag}>{html.escape(compact(term, result.namespaces))}</{tag}>" for term in row)
    rows = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in result.rows[:limit])
    heading = "".join(f"<th>{html.escape(name)}</th>" for name in result.vars)
    display(HTML(f"<table><tr>{heading}</tr>{rows}</table>"))
    more = f" (first {limit} shown)" if len(result.rows) > limit else ""
    print(f"{len(result.rows)} rows{more}")"""

BUNDLED = """\
for path in sorted(queries_dir().glob("*.rq")):
    print(f"== {path.name}")
    result = run_query(store, read_query(str(path)))
    if result.graph is not None:
        print(f"{len(result.graph)} triples")
    else:
        show(result)"""

EDGES_QUERY = '''\
EDGES = """
PREFIX kg: <https://w3id.org/kg-geotech/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?sLabel ?sType ?p ?o ?oLabel ?oType WHERE {
  ?s ?p ?o .
  FILTER(STRSTARTS(STR(?p), STR(kg:)) && isIRI(?o))
  ?s rdfs:label ?sLabel ; a ?sType .
  ?o rdfs:label ?oLabel ; a ?oType .
  FILTER(?sType != kg:Claim && ?oType != kg:Claim)
}
"""
schema = rdflib.Graph().parse(ontology_file("kg.ttl"))
KG = rdflib.Namespace("https://w3id.org/kg-geotech/ontology#")
ACTOR_TYPES = set(schema.transitive_subjects(rdflib.RDFS.subClassOf, KG.Actor))

graph = nx.MultiDiGraph()
for s, s_label, s_type, p, o, o_label, o_type in run_query(store, EDGES).rows:
    graph.add_node(s, label=str(s_label), actor=s_type in ACTOR_TYPES)
    graph.add_node(o, label=str(o_label), actor=o_type in ACTOR_TYPES)
    graph.add_edge(s, o, key=p, relation=p.split("#")[-1])
actors = [node for node, data in graph.nodes(data=True) if data["actor"]]
print(f"{graph.number_of_nodes()} entities ({len(actors)} actors), "
      f"{graph.number_of_edges()} relations")'''

CENTRALITY = """\
simple = nx.Graph(graph)  # undirected, one edge per pair of entities
degree = nx.degree_centrality(simple)
betweenness = nx.betweenness_centrality(simple)
ranked = sorted(actors, key=lambda node: (-degree[node], graph.nodes[node]["label"]))
print(f"{'actor':32} {'relations':>9} {'degree':>7} {'betweenness':>11}")
for node in ranked[:15]:
    print(f"{graph.nodes[node]['label'][:32]:32} {simple.degree(node):9d} "
          f"{degree[node]:7.3f} {betweenness[node]:11.3f}")"""

COMMUNITIES = """\
groups = greedy_modularity_communities(simple)  # deterministic: no random seed needed
communities = [sorted(graph.nodes[n]["label"] for n in group) for group in groups]
community_of = {n: i for i, group in enumerate(groups) for n in group}
for number, names in enumerate(communities[:8], start=1):
    print(f"community {number} ({len(names)}): {', '.join(names[:10])}"
          + (" ..." if len(names) > 10 else ""))"""

DRAW = """\
core = sorted(simple.nodes, key=lambda n: (-simple.degree(n), graph.nodes[n]["label"]))[:20]
sub = simple.subgraph(core)
positions = nx.spring_layout(sub, seed=7)
figure, axes = plt.subplots(figsize=(10, 7))
nx.draw_networkx_edges(sub, positions, ax=axes, alpha=0.4)
sizes = [200 + 60 * simple.degree(n) for n in sub]
nx.draw_networkx_nodes(sub, positions, ax=axes, node_size=sizes,
                       node_color=[community_of[n] for n in sub], cmap="tab10")
nx.draw_networkx_labels(sub, positions, {n: graph.nodes[n]["label"] for n in sub}, ax=axes,
                        font_size=8)
axes.set_title(f"The {len(core)} best-connected entities, coloured by community")
axes.axis("off")
buffer = io.BytesIO()
figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
plt.close(figure)
display(Image(buffer.getvalue()))
print(f"drawn: {sub.number_of_nodes()} nodes, {sub.number_of_edges()} edges")"""


def build_notebook() -> nbformat.NotebookNode:
    """The notebook, cells in order, with no outputs."""
    cells = [
        new_markdown_cell(INTRO),
        new_code_cell(SETUP),
        new_markdown_cell("## The bundled queries (`queries/*.rq`)"),
        new_code_cell(TABLE_HELPER),
        new_code_cell(BUNDLED),
        new_markdown_cell("## The graph of entities as networkx sees it"),
        new_code_cell(EDGES_QUERY),
        new_markdown_cell("## Who is central? Degree and betweenness centrality of actors"),
        new_code_cell(CENTRALITY),
        new_markdown_cell("## Communities (greedy modularity, deterministic)"),
        new_code_cell(COMMUNITIES),
        new_markdown_cell("## A picture of the core"),
        new_code_cell(DRAW),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def main() -> None:
    target = Path(__file__).with_name("explore.ipynb")
    notebook = build_notebook()
    nbformat.validate(notebook)
    nbformat.write(notebook, target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
