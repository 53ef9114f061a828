"""Tests for kg.build.lock: one build at a time per output folder.

The other holder is a real process wherever it matters that the operating
system, not this process, keeps and drops the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.build.lock import LOCK_NAME, LockTimeout, build_lock
from kg.errors import KgError

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no flock: builds not serialized")

# Holds the lock of argv[1] until a line arrives on stdin (or the process is killed).
HOLD = """
import sys
from kg.build.lock import build_lock
with build_lock(sys.argv[1], timeout=0):
    print("held", flush=True)
    sys.stdin.readline()
"""


class Holder:
    """Another process holding the lock of ``folder`` for the ``with`` block."""

    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "held"

    def let_go(self) -> None:
        """Tells the process to leave its ``with`` block and end."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


def _free(folder: Path) -> bool:
    """Whether another thread can take the lock of ``folder`` at once.

    flock locks belong to an open file, so a second thread opening the lock
    file competes like another process would (this thread's own hold is re-entrant).
    """
    answer = []

    def attempt() -> None:
        try:
            with build_lock(folder, timeout=0):
                answer.append(True)
        except LockTimeout:
            answer.append(False)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return answer == [True]


def test_lock_creates_the_folder_and_records_the_holder(tmp_path):
    folder = tmp_path / "new" / "out"
    with build_lock(folder, timeout=0) as path:
        assert path == folder / LOCK_NAME and path.is_file()
        assert path.read_text(encoding="utf-8").strip() == str(os.getpid())
        assert not _free(folder)
    assert path.is_file()  # the file stays: deleting it would race with the next build


def test_lock_second_holder_times_out_with_lock_timeout(tmp_path):
    with Holder(tmp_path) as holder:
        with pytest.raises(LockTimeout) as info:
            with build_lock(tmp_path, timeout=0.2):
                pytest.fail("took a lock another process holds")
    message = str(info.value)
    assert message.startswith(f"{tmp_path}: another build (pid {holder.proc.pid})")
    assert message.endswith("gave up after waiting 0.2 s")
    assert isinstance(info.value, KgError)


def test_lock_waiter_is_told_once_that_it_waits(tmp_path):
    told = []
    with Holder(tmp_path), pytest.raises(LockTimeout):
        with build_lock(tmp_path, timeout=0.5, on_wait=told.append):
            pass
    assert len(told) == 1
    assert told[0].startswith(f"{tmp_path}: another build") and "waiting for it" in told[0]


def test_lock_second_holder_waits_until_the_first_lets_go(tmp_path):
    with Holder(tmp_path) as holder:
        # the first holder is told to let go only once this build waits for it
        with build_lock(tmp_path, timeout=60, on_wait=lambda _: holder.let_go()) as path:
            assert holder.proc.wait(timeout=30) == 0
            assert path.read_text(encoding="utf-8").strip() == str(os.getpid())


def test_lock_is_released_after_use(tmp_path):
    with build_lock(tmp_path, timeout=0):
        assert not _free(tmp_path)
    assert _free(tmp_path)
    with Holder(tmp_path):  # another process takes it at once
        pass


def test_lock_is_released_when_the_block_raises(tmp_path):
    with pytest.raises(ValueError, match="boom"), build_lock(tmp_path, timeout=0):
        raise ValueError("boom")
    assert _free(tmp_path)


def test_lock_is_released_when_the_holder_process_dies(tmp_path):
    with Holder(tmp_path) as holder:
        assert not _free(tmp_path)
        holder.proc.kill()  # no chance to clean up: the operating system drops the lock
        holder.proc.wait()
        with build_lock(tmp_path, timeout=0) as path:
            assert path.read_text(encoding="utf-8").strip() == str(os.getpid())


def test_lock_is_reentrant_in_one_thread(tmp_path):
    with build_lock(tmp_path, timeout=0):
        with build_lock(tmp_path, timeout=0):
            assert not _free(tmp_path)
        assert not _free(tmp_path)  # the outer block still holds it
    assert _free(tmp_path)


def test_lock_folder_that_cannot_be_created_is_an_oserror(tmp_path):
    (tmp_path / "file").write_text("in the way", encoding="utf-8")
    with pytest.raises(OSError), build_lock(tmp_path / "file" / "out", timeout=0):
        pass
