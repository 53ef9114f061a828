"""Parser processes that never outlive their build.

spaCy's ``nlp.pipe(n_process=N)`` forks worker processes that wait on a
queue for text. When the build is killed outright (SIGKILL, the OOM killer),
nothing tells them to stop: they would wait, holding the model's memory,
for ever. ``bind_children_to_this_process`` makes every process forked from
here on exit when this one dies: on Linux the kernel sends it SIGKILL
(``PR_SET_PDEATHSIG``); elsewhere a watcher thread in the child notices
that its parent changed and exits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing.util
import os
import signal
import sys
import threading
import time

# prctl(2) option: the signal the kernel sends when the parent thread exits.
PR_SET_PDEATHSIG = 1
# How often the watcher thread (where prctl is missing) checks its parent, in seconds.
WATCH_INTERVAL = 0.5


class _Binding:
    """The after-fork hook of one parent process (multiprocessing keeps it weakly)."""

    def __init__(self, parent: int) -> None:
        self.parent = parent


_binding: _Binding | None = None


def bind_children_to_this_process() -> None:
    """Makes every process this one forks from now on exit when this one dies.

    Idempotent. Forks through :mod:`multiprocessing` (as spaCy's do) run the
    hook; a process started by ``subprocess`` is not covered.
    """
    global _binding
    if _binding is not None and _binding.parent == os.getpid():
        return
    _binding = _Binding(os.getpid())
    multiprocessing.util.register_after_fork(_binding, _die_with_parent)


def _die_with_parent(binding: _Binding) -> None:
    """Runs in the child right after the fork."""
    if binding.parent != os.getppid():
        if not _alive(binding.parent):
            os._exit(1)  # the build died before this hook ran
        return  # a grandchild: its parent is a worker, which dies with the build
    if not _set_parent_death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(binding.parent,), daemon=True).start()
    if os.getppid() != binding.parent:  # died between the fork and the prctl call
        os._exit(1)


def _set_parent_death_signal(signum: int) -> bool:
    """Asks the kernel to send ``signum`` when the parent exits (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
