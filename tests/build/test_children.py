"""Tests for kg.build.children: no parser process outlives a killed build.

The processes under test are real: a parent is killed with SIGKILL and its
children are looked up in /proc afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="needs /proc to find the children")

# A parent that forks one sleeping child through multiprocessing, as spaCy does,
# prints the child's pid, then waits to be killed.
PARENT = """
import multiprocessing, sys, time
from kg.build.children import bind_children_to_this_process
if sys.argv[1] == "bind":
    bind_children_to_this_process()
child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(120,))
child.start()
print(child.pid, flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still running after waiting up to ``seconds`` for them to go."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _running(p)]


def _kill_parent(mode: str) -> int:
    """Starts a parent in ``mode``, SIGKILLs it once its child runs; the child's pid."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, mode], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    return child


def test_children_bound_child_dies_with_its_parent():
    child = _kill_parent("bind")
    assert _gone_within([child], 5.0) == []


def test_children_unbound_child_outlives_its_parent():
    # the control: without the binding the orphan keeps running
    child = _kill_parent("plain")
    try:
        assert _gone_within([child], 1.0) == [child]
    finally:
        os.kill(child, signal.SIGKILL)


def test_children_killed_build_leaves_no_parser_behind(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_corpus import write_corpus
    finally:
        sys.path.pop(0)
    write_corpus(120, tmp_path / "src")
    build = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli.app import app; app()", "build",
         str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-cache"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers = []
        while time.monotonic() < deadline and len(workers) < 2 and build.poll() is None:
            time.sleep(0.2)
            workers = _children(build.pid)
        assert len(workers) >= 2, "the build never started its parser processes"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    left = _gone_within(workers, 5.0)
    for pid in left:  # a failing run must not leave them behind either
        os.kill(pid, signal.SIGKILL)
    assert left == []
