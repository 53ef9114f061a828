"""One build at a time per output folder.

A build holds an exclusive advisory lock (``fcntl.flock``) on ``.kg-build.lock``
inside its output folder. The operating system drops the lock when the process
ends, however it ends, so a killed build never leaves a stale lock behind; the
file itself stays (deleting a lock file races with the next build opening it).
The lock is re-entrant within one thread, so a caller holding it may run
:func:`kg.build.pipeline.build`, which takes it too.

Where ``fcntl`` does not exist (Windows) builds are not serialized.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.datatypes import DEFAULT_LOCK_TIMEOUT
from kg.errors import KgError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK_NAME = ".kg-build.lock"
POLL_SECONDS = 0.1

_held: dict[tuple[str, int], int] = {}  # (lock path, thread id) -> nesting depth
_held_guard = threading.Lock()


class LockTimeout(KgError):
    """Another build kept the output folder locked for longer than the timeout."""


@contextlib.contextmanager
def build_lock(folder: Path, timeout: float = DEFAULT_LOCK_TIMEOUT,
               on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Holds the build lock of ``folder`` (created if missing) for the ``with`` block.

    Args:
        folder: the output folder.
        timeout: seconds to wait for another build to finish (0: do not wait).
        on_wait: called once with a message when the lock is busy and waiting starts.

    Yields:
        The lock file's path.

    Raises:
        LockTimeout: the lock stayed busy for ``timeout`` seconds; the message
            names the folder and, when known, the process holding it.
        OSError: the folder cannot be created or the lock file cannot be opened.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    key = (str(path.resolve()), threading.get_ident())
    with _held_guard:
        nested = key in _held
        if nested:
            _held[key] += 1
    fd = None if nested else _acquire(path, folder, timeout, on_wait)
    if fd is not None:
        with _held_guard:
            _held[key] = 1
    try:
        yield path
    finally:
        with _held_guard:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock


def _acquire(path: Path, folder: Path, timeout: float,
             on_wait: Callable[[str], None] | None) -> int:
    """Opens and locks the lock file; returns its descriptor (closed again on failure)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _wait_for_lock(fd, folder, timeout, on_wait)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _wait_for_lock(fd: int, folder: Path, timeout: float,
                   on_wait: Callable[[str], None] | None) -> None:
    """Takes the flock on ``fd``, polling every POLL_SECONDS until ``timeout``."""
    if fcntl is None:  # pragma: no cover - Windows
        return
    deadline, announced = time.monotonic() + max(timeout, 0.0), False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise LockTimeout(f"{folder}: another build{_holder(fd)} is writing to this "
                              f"folder; gave up after waiting {timeout:g} s")
        if on_wait is not None and not announced:
            on_wait(f"{folder}: another build{_holder(fd)} is writing here; waiting for it")
            announced = True
        time.sleep(POLL_SECONDS)
    _record_pid(fd)


def _record_pid(fd: int) -> None:
    """Writes this process's id into the lock file, for the message of a waiting build."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _holder(fd: int) -> str:
    """`` (pid N)`` for the process id recorded in the lock file, or ``""``."""
    with contextlib.suppress(OSError, ValueError):
        return f" (pid {int(os.pread(fd, 32, 0).decode().strip())})"
    return ""
