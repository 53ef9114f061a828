"""Benchmarks the build loop on synthetic corpora (default: 100 and 1,000 stories).

For each corpus size it reports, every figure from one run:

- ``parse``: the bare spaCy parse of the same text: a fresh interpreter loads the model
  kg uses and runs ``nlp.pipe`` over the documents' text, nothing else;
- ``build``: ``kg build`` into an empty folder (no cache), and its ratio to ``parse``;
  both are wall times of a child process, interpreter start and model load included;
- ``peak_rss``: the peak resident memory of that build process;
- ``noop``: ``kg build`` again with nothing changed;
- ``add_one``: one new story added, rebuilt, as a share of ``build``; ``remove_one``: the
  same story removed again;
- ``html``: writing graph.html from the built graph (in this process);
- ``sparql``: ``kg query`` of a few bundled queries over the build, through the store kept
  beside the Turtle and through rdflib parsing the Turtle, each a child process.

Usage::

    .venv/bin/python bench/bench_build.py [--docs 100 1000] [--jobs 1] [--work /tmp/kg-bench]
        [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = ("who-bans-whom.rq", "claims-and-denials.rq", "companies-states-act-against.rq")

PARSE_SCRIPT = """
import sys, time
from pathlib import Path
from kg.nlp import build_nlp
nlp = build_nlp()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(f"{time.perf_counter() - start:.3f}")
"""


def run(command: list[str]) -> tuple[float, int, str]:
    """Runs ``command``; returns (wall seconds, its peak RSS in bytes, stdout). Fails loudly."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{err.read()}")
        return wall, usage.ru_maxrss * 1024, out.read() + err.read()


def kg(*args: str) -> list[str]:
    return [str(BIN / "kg"), *args]


def bench_size(docs: int, work: Path, jobs: int) -> dict:
    corpus, out = work / f"corpus-{docs}", work / f"build-{docs}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    paths = write_corpus(docs, corpus)
    result: dict = {"docs": docs, "megabytes": sum(p.stat().st_size for p in paths) / 1e6}
    wall, _, printed = run([sys.executable, "-c", PARSE_SCRIPT, str(corpus)])
    result["parse"], result["parse_pipe_only"] = wall, float(printed.strip())
    build = kg("build", str(corpus), "--out", str(out), "--jobs", str(jobs), "--timings")
    result["build"], result["peak_rss_mb"], printed = _measure_build(build)
    result["build_stages"] = printed
    result["build_over_parse"] = result["build"] / result["parse"]
    result["noop"] = run(build)[0]
    extra = write_corpus(1, corpus, start=docs)[0]
    result["add_one"] = run(build)[0]
    result["add_one_share"] = result["add_one"] / result["build"]
    extra.unlink()
    result["remove_one"] = run(build)[0]
    result["html"] = time_html(out)
    result["sparql"] = time_queries(out)
    return result


def _measure_build(command: list[str]) -> tuple[float, float, str]:
    wall, peak, printed = run(command)
    return wall, peak / 2**20, printed


def time_html(out: Path) -> float:
    from rdflib import Graph

    from kg.export.html import render_html

    graph = Graph().parse(out / "graph.ttl", format="turtle")
    start = time.perf_counter()
    render_html(graph)
    return time.perf_counter() - start


def time_queries(out: Path) -> dict:
    times = {}
    for name in QUERIES:
        row = {}
        for engine in ("oxigraph", "rdflib"):
            command = kg("query", name, "--graph", str(out), "--format", "csv", "--engine", engine)
            row[engine] = run(command)[0]
        row["ratio"] = row["rdflib"] / row["oxigraph"]
        times[name] = row
    return times


def report(result: dict) -> str:
    lines = [f"== {result['docs']} documents ({result['megabytes']:.2f} MB)",
             f"bare spaCy parse   {result['parse']:8.2f} s  (nlp.pipe alone "
             f"{result['parse_pipe_only']:.2f} s)",
             f"full build         {result['build']:8.2f} s  = {result['build_over_parse']:.2f} "
             "x the bare parse",
             f"peak memory        {result['peak_rss_mb']:8.0f} MB",
             f"no-op rebuild      {result['noop']:8.2f} s",
             f"add one document   {result['add_one']:8.2f} s  = "
             f"{100 * result['add_one_share']:.1f} % of the full build",
             f"remove it again    {result['remove_one']:8.2f} s",
             f"HTML generation    {result['html']:8.2f} s"]
    for name, row in result["sparql"].items():
        lines.append(f"kg query {name:34} oxigraph {row['oxigraph']:.2f} s  rdflib "
                     f"{row['rdflib']:.2f} s  (rdflib/oxigraph {row['ratio']:.1f})")
    stages = [line for line in result["build_stages"].splitlines() if "timing" in line.lower()
              or line.strip().startswith(("read", "parse", "resolve", "graph", "validate",
                                          "export"))]
    return "\n".join(lines + ["build stages:", *stages])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    results = []
    for docs in args.docs:
        results.append(bench_size(docs, args.work, args.jobs))
        print(report(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
