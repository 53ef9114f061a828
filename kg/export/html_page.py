"""The explorer page: node layout, vis-network options, and the self-contained HTML.

Positions are computed here, once, so the browser draws the graph without running a physics
simulation. Each connected component is laid out on its own: networkx's spring layout, after
which nodes too close for their labels are pushed apart, or, for components of 500 nodes and
more (where networkx would need scipy), a sampled force layout in numpy. The components are
packed in rows, largest first, and nodes without edges go in a grid below them.

The page inlines the vis-network script and stylesheet shipped inside pyvis, and this
package's own ``html_page.css`` and ``html_page.js``. The data goes into the page script as
JSON with ``<``, ``>``, ``&`` and ``'`` written as ``\\u`` escapes, so no graph text can
close the script or open a tag; the script builds every visible text with ``textContent``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import numpy as np
import pyvis
from markupsafe import Markup

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
SEED = 7
EDGE = 150.0  # median edge length of a laid-out component, in pixels
GAP = 90.0  # least distance between two nodes of a small component (x counted / STRETCH)
STRETCH = 1.8  # labels are wider than tall: horizontal distances count this much less
CELL = (170.0, 90.0)  # grid cell of a node without edges, in pixels
BIG = 500  # components this large get the sampled force layout
MANY_EDGES = 1500  # above this, edges are hidden while the view is dragged or zoomed


@dataclass
class Page:
    """What the page shows: JSON-ready nodes, edges and documents, and the legend rows."""

    title: str
    nodes: list[dict]
    edges: list[dict]
    docs: list[dict]
    classes: list[dict]
    families: list[dict]


def _spring(graph: nx.Graph) -> np.ndarray:
    """networkx's spring layout of a small component, one row per node, about [-1, 1]."""
    if len(graph) == 1:
        return np.zeros((1, 2))
    pos = nx.spring_layout(graph, seed=SEED, method="force")
    return np.array([pos[n] for n in graph])


def _sampled_force(size: int, ends: np.ndarray, iterations: int = 90) -> np.ndarray:
    """A Fruchterman-Reingold layout whose repulsion is estimated from a random sample.

    Each step pushes every node away from 200 sampled nodes (scaled up to all of them), pulls
    it along its edges and a little toward the centre, and moves it at most the current
    temperature, which cools.
    """
    rng = np.random.default_rng(SEED)
    pos = rng.uniform(-1.0, 1.0, (size, 2)) * math.sqrt(size)
    step, sample = math.sqrt(size) / 3, min(size, 200)
    for _ in range(iterations):
        picked = pos[rng.choice(size, sample, replace=False)]
        dx = pos[:, :1] - picked[:, 0]
        dy = pos[:, 1:] - picked[:, 1]
        inverse = 1.0 / np.maximum(dx * dx + dy * dy, 1e-2)
        force = np.stack([(dx * inverse).sum(axis=1), (dy * inverse).sum(axis=1)], axis=1)
        force *= size / sample
        pull = pos[ends[:, 1]] - pos[ends[:, 0]]
        pull *= np.linalg.norm(pull, axis=1, keepdims=True)
        for axis in (0, 1):
            force[:, axis] += (np.bincount(ends[:, 0], pull[:, axis], size)
                               - np.bincount(ends[:, 1], pull[:, axis], size))
        force -= 0.02 * pos
        length = np.maximum(np.linalg.norm(force, axis=1, keepdims=True), 1e-9)
        pos += force / length * np.minimum(length, step)
        step *= 0.96
    return pos


def _declutter(pos: np.ndarray, rounds: int = 40) -> np.ndarray:
    """Pushes apart nodes closer than ``GAP`` (measured with x shrunk, as labels are wide)."""
    x, y = pos[:, 0] / STRETCH, pos[:, 1].copy()
    for _ in range(rounds):
        dx, dy = x[:, None] - x, y[:, None] - y
        dist = np.hypot(dx, dy)
        np.fill_diagonal(dist, GAP)
        short = dist < GAP
        if not short.any():
            break
        push = np.where(short, (GAP - dist) / np.maximum(dist, 1e-6), 0.0) / 4
        x, y = x + (dx * push).sum(axis=1), y + (dy * push).sum(axis=1)
    return np.stack([x * STRETCH, y], axis=1)


def _component_layout(graph: nx.Graph) -> np.ndarray:
    """Positions of one component (pixels, centred) with a median edge ``EDGE`` pixels long."""
    nodes = list(graph)
    where = {n: i for i, n in enumerate(nodes)}
    ends = np.array([(where[a], where[b]) for a, b in graph.edges()], dtype=int).reshape(-1, 2)
    pos = _sampled_force(len(nodes), ends) if len(nodes) >= BIG else _spring(graph)
    pos = pos - pos.mean(axis=0)
    lengths = np.linalg.norm(pos[ends[:, 0]] - pos[ends[:, 1]], axis=1)
    median = float(np.median(lengths)) if len(lengths) else 0.0
    pos = pos * (EDGE / median if median > 1e-9 else 0.0)
    return pos if len(nodes) >= BIG else _declutter(pos)


def _components(ids: list[str], links: list[tuple[str, str]]) -> list[nx.Graph]:
    """The connected components, largest first, each built in the order of ``ids``."""
    order = {node: i for i, node in enumerate(ids)}
    pairs = sorted({tuple(sorted(p, key=order.__getitem__)) for p in links if p[0] != p[1]},
                   key=lambda p: (order[p[0]], order[p[1]]))
    whole = nx.Graph()
    whole.add_nodes_from(ids)
    whole.add_edges_from(pairs)
    parts = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(whole)),
                   key=lambda c: (-len(c), order[c[0]]))
    number = {node: k for k, part in enumerate(parts) for node in part}
    graphs = [nx.Graph() for _ in parts]
    for graph, part in zip(graphs, parts, strict=True):
        graph.add_nodes_from(part)
    for a, b in pairs:
        graphs[number[a]].add_edge(a, b)
    return graphs


def _shelves(boxes: list[tuple[float, float]], width: float) -> list[tuple[float, float]]:
    """Top-left corners for boxes (width, height) placed left to right in rows of ``width``."""
    x = y = row = 0.0
    corners = []
    for w, h in boxes:
        if x and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        corners.append((x, y))
        x, row = x + w, max(row, h)
    return corners


def layout(ids: list[str], links: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Canvas positions (pixels) of the nodes: components laid out apart, packed in rows.

    Components with edges come first, largest first; nodes without any edge follow in a grid.

    Args:
        ids: the node ids, in a stable order.
        links: the edges as (from, to) id pairs; direction is ignored.

    Returns:
        Node id -> (x, y), rounded to 0.1 pixel.
    """
    parts = _components(ids, links)
    groups = [(part, _component_layout(part)) for part in parts if len(part) > 1]
    lone = [node for part in parts if len(part) == 1 for node in part]
    boxes = [(np.ptp(pos[:, 0]) + EDGE, np.ptp(pos[:, 1]) + EDGE) for _, pos in groups]
    width = max([w for w, _ in boxes] + [math.sqrt(sum(w * h for w, h in boxes)) * 1.3,
                                          CELL[0] * min(len(lone), 8)])
    placed: dict[str, tuple[float, float]] = {}
    for (part, pos), (left, top) in zip(groups, _shelves(boxes, width), strict=True):
        corner = np.array([left, top]) + EDGE / 2 - pos.min(axis=0)
        for node, xy in zip(part, pos + corner, strict=True):
            placed[node] = (round(float(xy[0]), 1), round(float(xy[1]), 1))
    bottom = max((xy[1] for xy in placed.values()), default=-CELL[1]) + CELL[1] * 1.5
    columns = max(1, int(width // CELL[0]))
    for k, node in enumerate(lone):
        row, column = divmod(k, columns)
        placed[node] = (round(column * CELL[0] + CELL[0] / 2, 1), round(bottom + row * CELL[1], 1))
    return placed


def vis_options(edge_count: int) -> dict:
    """vis-network options: no physics (positions are given), hover tooltips, quiet labels."""
    many = edge_count > MANY_EDGES
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": SEED},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": many,
                        "hideEdgesOnZoom": many, "multiselect": False},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.55}}, "width": 1.4,
                  "selectionWidth": 2.5, "hoverWidth": 1.5,
                  "font": {"size": 10, "align": "middle", "strokeWidth": 3},
                  "scaling": {"label": {"drawThreshold": 7}}},
        "nodes": {"font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "widthConstraint": {"maximum": 220}, "borderWidth": 1,
                  "scaling": {"label": {"drawThreshold": 7}}},
    }


_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> Markup:
    """``value`` as JSON that is also safe to place inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return Markup(re.sub("[<>&'\u2028\u2029]", lambda m: _JS_ESCAPES[m.group()], text))


def _inline(path: Path, tag: str) -> Markup:
    """A script or stylesheet file, made safe to sit inside a ``<tag>`` element."""
    text = path.read_text(encoding="utf-8")
    return Markup(re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE))


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    return env.from_string((HERE / "html_page.html").read_text(encoding="utf-8"))


@functools.cache
def _assets() -> dict[str, Markup]:
    return {"vis_js": _inline(VIS_DIR / "vis-network.min.js", "script"),
            "vis_css": _inline(VIS_DIR / "vis-network.css", "style"),
            "page_js": _inline(HERE / "html_page.js", "script"),
            "page_css": _inline(HERE / "html_page.css", "style")}


def render_page(page: Page) -> str:
    """The complete HTML text of ``page``; node positions are computed here."""
    positions = layout([n["id"] for n in page.nodes], [(e["from"], e["to"]) for e in page.edges])
    for node in page.nodes:
        node["x"], node["y"] = positions[node["id"]]
    names = sorted({name for n in page.nodes if n["cls"] != "Claim" for name in n["names"] if name},
                   key=lambda name: (name.casefold(), name))
    return _template().render(
        page=page, names=names, node_json=script_json(page.nodes),
        edge_json=script_json(page.edges), doc_json=script_json(page.docs),
        options_json=script_json(vis_options(len(page.edges))), **_assets())
