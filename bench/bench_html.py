"""Times the HTML explorer on a synthetic graph (default: 2,000 nodes, 5,000 edges).

Builds the graph with ``make_corpus_graph.synthetic_graph``, renders the page, and opens it
from ``file://`` in headless Chromium (Debian's, driven by Playwright) with every request
outside ``file://`` aborted. Per run it measures:

- ``drawn``: seconds from navigation start to the first frame vis-network has drawn. The
  page's script sets up the data, the filters and every handler before that frame, so the
  page is interactive from then on;
- ``filter``: seconds from moving the confidence slider to the redrawn frame;
- ``click``: seconds from a mouse click on a node to its details panel.

Usage::

    .venv/bin/python bench/bench_html.py [--nodes 2000] [--edges 5000] [--runs 3]
    .venv/bin/python bench/bench_html.py --screenshot build/graph.html docs/graph.png
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus_graph import synthetic_graph  # noqa: E402

from kg.export.html import write_html  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND"]
FILTER_JS = """() => new Promise((resolve) => {
  const start = performance.now();
  network.once("afterDrawing", () => resolve(performance.now() - start));
  const slider = document.getElementById("kg-confidence");
  slider.value = "0.8";
  slider.dispatchEvent(new Event("input"));
})"""
EDGE_SPOT_JS = """(label) => {
  const box = network.canvas.frame.canvas.getBoundingClientRect();
  for (const id of network.body.edgeIndices) {
    if (network.body.data.edges.get(id).label !== label) continue;
    const dom = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));
    if (network.getEdgeAt(dom) === id && network.getNodeAt(dom) === undefined) {
      return [box.left + dom.x, box.top + dom.y];
    }
  }
  return null;
}"""
BUSIEST_NODE_JS = """() => {
  const id = network.body.nodeIndices.reduce((a, b) =>
    network.getConnectedEdges(a).length >= network.getConnectedEdges(b).length ? a : b);
  const box = network.canvas.frame.canvas.getBoundingClientRect();
  const at = network.canvasToDOM(network.getPositions([id])[id]);
  return [box.left + at.x, box.top + at.y];
}"""


class Offline:
    """A page of ``browser`` that aborts and records every request outside file://."""

    def __init__(self, browser: Browser, width: int = 1400, height: int = 900) -> None:
        self.page: Page = browser.new_page(viewport={"width": width, "height": height})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> float:
        """Opens ``path``; returns the seconds from navigation start to the first drawn frame."""
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("html[data-kg-drawn]", state="attached", timeout=60_000)
        return float(self.page.get_attribute("html", "data-kg-drawn")) / 1000

    def check(self) -> None:
        if self.outside or self.errors:
            raise SystemExit(f"requests outside file://: {self.outside}; errors: {self.errors}")


def _run(browser: Browser, path: Path) -> dict[str, float]:
    tab = Offline(browser)
    drawn = tab.open(path)
    tab.page.evaluate("network.fit({animation: false})")
    x, y = tab.page.evaluate(BUSIEST_NODE_JS)
    start = time.perf_counter()
    tab.page.mouse.click(x, y)
    tab.page.wait_for_selector("#kg-details:not([hidden])")
    click = time.perf_counter() - start
    times = {"drawn": drawn, "filter": tab.page.evaluate(FILTER_JS) / 1000, "click": click}
    tab.check()
    tab.page.close()
    return times


def bench(nodes: int, edges: int, runs: int, chromium: str) -> dict[str, list[float]]:
    """Renders the page once and times ``runs`` fresh page loads of it."""
    with tempfile.TemporaryDirectory() as tmp:
        graph = synthetic_graph(nodes, edges)
        start = time.perf_counter()
        path = write_html(graph, Path(tmp) / "graph.html", title="benchmark")
        times: dict[str, list[float]] = {"render": [time.perf_counter() - start]}
        print(f"page: {path.stat().st_size / 1e6:.1f} MB, rendered in {times['render'][0]:.2f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for _ in range(runs):
                for name, value in _run(browser, path).items():
                    times.setdefault(name, []).append(value)
            browser.close()
    return times


def screenshot(page_path: Path, image: Path, chromium: str, label: str = "bans") -> None:
    """Saves a picture of an explorer page, offline, with the evidence of one edge open.

    The edge is the first ``label`` edge whose midpoint can be clicked (none: no panel).
    """
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        tab = Offline(browser, 1600, 900)
        tab.open(page_path)
        spot = tab.page.evaluate(EDGE_SPOT_JS, label)
        if spot:
            tab.page.mouse.click(*spot)
            tab.page.mouse.move(1590, 890)  # away from the edge: no tooltip
        tab.page.wait_for_timeout(300)
        tab.page.screenshot(path=str(image))
        tab.check()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the HTML explorer in headless Chromium.")
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshot", nargs=2, type=Path, metavar=("PAGE", "IMAGE"),
                        help="only save a screenshot of PAGE (an explorer .html) to IMAGE")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(*args.screenshot, args.chromium)
        return
    print(f"{args.nodes} nodes, {args.edges} edges, {args.runs} page load(s)")
    times = bench(args.nodes, args.edges, args.runs, args.chromium)
    for name, values in times.items():
        print(f"{name:>7}: median {statistics.median(values):.2f} s, "
              f"max {max(values):.2f} s over {len(values)} run(s)")


if __name__ == "__main__":
    main()
