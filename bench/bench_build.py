"""Benchmarks the build loop on synthetic corpora (default: 100 and 1,000 stories).

For each corpus size it reports, every figure from one run and each as a ratio to
that run's bare parse:

- ``parse`` (the bare parse): ``nlp.pipe`` alone over the documents' text, the model
  already loaded, in a fresh interpreter; the better of 1 process and of as many as kg's
  default ``--jobs`` uses (its wall time with start-up and model load is shown too);
- ``build``: ``kg build --jobs 1`` into an empty folder (wall time of the child process,
  interpreter start and model load included); then the same with kg's default ``--jobs``
  (or ``--jobs N``) into another empty folder;
- ``peak_rss``: the peak resident memory of that build process;
- ``noop``: ``kg build`` again with nothing changed;
- ``add_one``: one new story added, rebuilt, also as a share of ``build``; ``remove_one``:
  the same story removed again;
- ``html``: writing graph.html from the built graph (in this process);
- ``sparql``: ``kg query`` of a few bundled queries over the build, through the store kept
  beside the Turtle and through rdflib parsing the Turtle, each a child process.

``--big 1.5`` first builds one 1.5 MB document and reports its time and peak memory.

Usage::

    .venv/bin/python bench/bench_build.py [--docs 100 1000] [--jobs 0] [--work /tmp/kg-bench]
        [--json results.json] [--big 1.5]
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

from kg.build.pipeline import parser_processes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = ("who-bans-whom.rq", "claims-and-denials.rq", "companies-targeted-by-states.rq")

PARSE_SCRIPT = """
import sys, time
from pathlib import Path
from kg.build.nlp import build_nlp
nlp = build_nlp()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
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


def run_tree(command: list[str]) -> tuple[float, int]:
    """Runs ``command``; (wall seconds, peak RSS in bytes of it and its children together).

    The RSS of the process tree is sampled from /proc every 0.1 s: parser processes
    are children, which a process's own peak does not include.
    """
    start, peak = time.perf_counter(), 0
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=ROOT)
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.1)
    if child.returncode:
        sys.exit(f"{' '.join(command)} failed ({child.returncode})")
    return time.perf_counter() - start, peak


def _tree_rss(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines()
                          if line.startswith("VmRSS:"))
            stack += map(int, Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def kg(*args: str) -> list[str]:
    return [str(BIN / "kg"), *args]


def bench_size(docs: int, work: Path, jobs: int) -> dict:
    corpus, out = work / f"corpus-{docs}", work / f"build-{docs}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    paths = write_corpus(docs, corpus)
    result: dict = {"docs": docs, "megabytes": sum(p.stat().st_size for p in paths) / 1e6}
    processes = jobs or parser_processes(0, docs)
    for n in sorted({1, processes}):
        wall, _, printed = run([sys.executable, "-c", PARSE_SCRIPT, str(corpus), str(n)])
        result[f"parse_{n}"], result[f"parse_pipe_only_{n}"] = wall, float(printed.strip())
    result["processes"] = processes
    # the bare parse: nlp.pipe alone, model loaded, the better of 1 and N processes
    result["parse"] = min(result[f"parse_pipe_only_{n}"] for n in {1, processes})
    parallel_out = work / f"build-{docs}-auto"
    shutil.rmtree(parallel_out, ignore_errors=True)
    parallel = kg("build", str(corpus), "--out", str(parallel_out), "--jobs", str(jobs))
    result["build_jobs"], peak = run_tree(parallel)
    result["peak_rss_jobs_mb"] = peak / 2**20
    result["jobs"] = jobs or "auto"
    build = kg("build", str(corpus), "--out", str(out), "--jobs", "1", "--timings")
    result["build"], result["peak_rss_mb"], printed = _measure_build(build)
    result["build_stages"] = printed
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
    """The figures of one corpus size, each with its ratio to the bare parse of this run."""
    parse = result["parse"]

    def row(name: str, seconds: float, extra: str = "") -> str:
        return f"{name:<42} {seconds:8.2f} s  {seconds / parse:6.2f} x parse{extra}"

    n = result["processes"]
    lines = [f"== {result['docs']} documents ({result['megabytes']:.2f} MB)",
             row("bare parse (nlp.pipe, model loaded)", parse,
                 f"  (1 process {result['parse_pipe_only_1']:.2f} s, {n} processes "
                 f"{result[f'parse_pipe_only_{n}']:.2f} s; with start-up and model load "
                 f"{result['parse_1']:.2f} s)"),
             row("full build -j 1", result["build"],
                 f"  (peak memory {result['peak_rss_mb']:.0f} MB)"),
             row(f"full build -j {result['jobs']}", result["build_jobs"],
                 f"  (peak memory with the parser processes {result['peak_rss_jobs_mb']:.0f} MB)"),
             row("no-op rebuild", result["noop"]),
             row("add one document", result["add_one"],
                 f"  = {100 * result['add_one_share']:.1f} % of the full build"),
             row("remove it again", result["remove_one"],
                 f"  = {100 * result['remove_one'] / result['build']:.1f} % of the full build"),
             row("HTML generation", result["html"])]
    for name, times in result["sparql"].items():
        lines.append(row(f"kg query {name}", times["oxigraph"],
                         f"  (rdflib {times['rdflib']:.2f} s, {times['ratio']:.1f} x oxigraph)"))
    stages = [line for line in result["build_stages"].splitlines() if "timings" in line]
    return "\n".join(lines + ["stages of the -j 1 build:", *stages])


def bench_big(work: Path, megabytes: float) -> str:
    """Builds one document of ``megabytes`` MB (stories joined); its time and peak memory."""
    folder, out = work / "big", work / "big-build"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    stories = write_corpus(400, work / "big-parts")
    text, n = "", 0
    while len(text.encode()) < megabytes * 1e6:
        text += stories[n % len(stories)].read_text(encoding="utf-8") + "\n"
        n += 1
    folder.mkdir(parents=True)
    (folder / "digest.txt").write_text(text, encoding="utf-8")
    wall, peak, printed = run(kg("build", str(folder), "--out", str(out), "--timings"))
    stages = next((line for line in printed.splitlines() if "timings" in line), "")
    return (f"== one {len(text.encode()) / 1e6:.2f} MB document: {wall:.1f} s, "
            f"peak memory {peak / 2**20:.0f} MB\n{stages}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, default=0,
                        help="parser processes of the second full build (0: kg's default)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--big", type=float, default=0, metavar="MB",
                        help="also build one document of this many MB (e.g. 1.5)")
    args = parser.parse_args()
    if args.big:
        print(bench_big(args.work, args.big), flush=True)
    results = []
    for docs in args.docs:
        results.append(bench_size(docs, args.work, args.jobs))
        print(report(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
