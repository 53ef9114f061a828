"""``kg watch``: the event filter, the loop in a thread, and the command in a subprocess."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.build.watch import SourceFilter, describe, watch_sources
from kg.datatypes import BuildOptions

ROOT = Path(__file__).resolve().parents[2]
FIRST = "Tokyo tightens rules\n\nJapan sanctioned ZTE on Tuesday after a long review.\n"
SECOND = "Delhi blocks apps\n\nIndia banned TikTok last year, the ministry said.\n"
DEADLINE = 90.0  # seconds; generous for a shared machine, never reached when all is well


def _wait_for(condition, what: str, deadline: float = DEADLINE) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def _graph_has(out: Path, text: str) -> bool:
    path = out / "graph.ttl"
    return path.is_file() and text in path.read_text(encoding="utf-8")


@pytest.fixture
def src(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "japan.txt").write_text(FIRST, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("relative", "wanted"),
    [("in/a.txt", True), ("in/deep/b.md", True), ("in/c.MD", True), ("in/d.pdf", False),
     ("in/.hidden/e.txt", False), ("in/.f.txt", False), ("in/out/graph.txt", False),
     ("alone.txt", True), ("other.txt", False), ("in2/g.txt", False)],
)
def test_watch_filter_keeps_only_source_documents(tmp_path, relative, wanted):
    (tmp_path / "in" / "out").mkdir(parents=True)
    (tmp_path / "alone.txt").write_text("x", encoding="utf-8")
    keep = SourceFilter([tmp_path / "in", tmp_path / "alone.txt"], tmp_path / "in" / "out")
    assert keep(None, str(tmp_path / relative)) is wanted


def test_watch_roots_are_folders_and_parents_of_files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "alone.txt").write_text("x", encoding="utf-8")
    keep = SourceFilter([tmp_path / "in", tmp_path / "alone.txt"], tmp_path / "out")
    assert keep.roots() == [tmp_path / "in", tmp_path]


def test_watch_describe_names_a_few_files():
    changes = [(f"kind{n}", f"/x/doc{n}.txt") for n in range(7)]
    line = describe(changes)
    assert line.startswith("changed: doc0.txt (kind0), doc1.txt (kind1)")
    assert line.endswith("and 2 more")


def test_watch_stops_after_max_builds(src, tmp_path):
    calls = []
    count = watch_sources([src], tmp_path / "out", lambda: calls.append(1), debounce=0.2,
                          max_builds=1)
    assert count == 1 and calls == [1]


def test_watch_rebuilds_when_a_file_appears(src, tmp_path):
    out, stop, results, lines = tmp_path / "out", threading.Event(), [], []

    def once() -> None:
        results.append(build(BuildOptions([src], out)))

    thread = threading.Thread(target=watch_sources, args=([src], out, once),
                              kwargs={"debounce": 0.2, "stop_event": stop,
                                      "announce": lines.append}, daemon=True)
    thread.start()
    try:
        _wait_for(lambda: _graph_has(out, "kgr:zte"), "the first build")
        (out / "ignored.txt").write_text(SECOND, encoding="utf-8")  # inside out: not a source
        (src / ".draft.txt").write_text(SECOND, encoding="utf-8")  # hidden: not a source
        (src / "india.txt").write_text(SECOND, encoding="utf-8")
        _wait_for(lambda: _graph_has(out, "kgr:tiktok"), "the rebuild with the new file")
    finally:
        stop.set()
        thread.join(DEADLINE)
    assert not thread.is_alive()
    assert [r.stats.documents for r in results] == [1, 2]
    assert results[1].stats.new == 1 and results[1].stats.reused == 1
    assert lines == ["changed: india.txt (added)"]


def test_watch_command_survives_a_failing_build(src, tmp_path):
    out, log = tmp_path / "out", tmp_path / "stderr.txt"
    command = [sys.executable, "-c", "from kg.cli.app import app; app()", "watch", str(src),
               "--out", str(out), "--debounce", "0.2"]
    with open(log, "w", encoding="utf-8") as err:
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait_for(lambda: _graph_has(out, "kgr:zte"), "the first build")
        good = (out / "graph.ttl").read_bytes()
        (src / "japan.txt").unlink()
        _wait_for(lambda: "nothing to build" in log.read_text(encoding="utf-8"), "the failure")
        assert (out / "graph.ttl").read_bytes() == good
        (src / "india.txt").write_text(SECOND, encoding="utf-8")
        _wait_for(lambda: _graph_has(out, "kgr:tiktok"), "the build after the failure")
        assert not _graph_has(out, "kgr:zte")
    finally:
        child.send_signal(signal.SIGINT)
        code = child.wait(DEADLINE)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert code == 0 and lines[-1] == "kg watch: stopped"
    failed = [line for line in lines if "nothing to build" in line]
    assert len(failed) == 1 and "the last good outputs stay in place" in failed[0]
    assert "Traceback" not in "\n".join(lines)
