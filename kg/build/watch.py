"""``kg watch``: build once, then again whenever a source document appears, changes or goes.

The watcher (watchfiles) starts before the first build, so nothing written
while a build runs is missed: it is picked up by the next one. Changes are
grouped until the sources have been quiet for the debounce time. Only ``.txt``
and ``.md`` files count, and not those inside the output folder or under a
hidden name (the cache and the manifest are hidden, so a build never triggers
itself). Each build is an ordinary incremental build, so only what changed is
parsed again; a build that fails leaves the last good outputs in place.

:func:`watch_sources` is the loop, with the build left to its caller; it stops
after ``max_builds`` builds or when ``stop_event`` is set, so it can be run
from a test or a thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.build.ingest import SUPPORTED_SUFFIXES

POLL_MS = 500  # how often the loop wakes up to look at stop_event and max_builds
MIN_GROUPING_MS = 1_600  # the longest a burst of changes is grouped, at least


class SourceFilter:
    """Tells which file events concern the sources of a build.

    Args:
        sources: the files and folders given to the build.
        out: the output folder (and anything in it is ignored).
    """

    def __init__(self, sources: Iterable[Path], out: Path) -> None:
        resolved = [Path(os.path.abspath(p)) for p in sources]
        self.folders = [p for p in resolved if p.is_dir()]
        self.files = {p for p in resolved if not p.is_dir()}
        self.out = Path(os.path.abspath(out))

    def __call__(self, change: object, path: str) -> bool:
        """Whether a change of ``path`` (absolute, as the watcher reports it) matters."""
        path = Path(path)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or path.is_relative_to(self.out):
            return False
        if path in self.files:
            return True
        for folder in self.folders:
            if path.is_relative_to(folder):
                return not any(part.startswith(".") for part in path.relative_to(folder).parts)
        return False

    def roots(self) -> list[Path]:
        """What to watch: the folders, and the folder of each file given on its own
        (an editor that saves by renaming replaces the file, which a watch on the
        file itself would lose)."""
        roots = list(self.folders)
        roots += [f.parent for f in sorted(self.files) if f.parent not in roots]
        return [r for r in dict.fromkeys(roots) if r.is_dir()]


def describe(changes: Iterable[tuple[object, str]]) -> str:
    """One line for a batch of changes: "changed: a.txt (added), b.md (deleted)"."""
    items = sorted((Path(path).name, getattr(kind, "name", str(kind))) for kind, path in changes)
    shown = ", ".join(f"{name} ({kind})" for name, kind in items[:5])
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return f"changed: {shown}{more}"


def watch_sources(sources: Iterable[Path], out: Path, build: Callable[[], object], *,
                  debounce: float = 0.5, stop_event=None, max_builds: int | None = None,
                  announce: Callable[[str], None] | None = None) -> int:
    """Calls ``build()`` once, then after every quiet batch of changes to the sources.

    ``build`` reports its own outcome; an exception it raises ends the loop (a
    KeyboardInterrupt, say). The watcher itself raises KeyboardInterrupt on Ctrl-C.

    Args:
        sources: the files and folders of the build.
        out: the output folder (changes inside it are ignored).
        build: runs one build.
        debounce: seconds without further changes before a build starts.
        stop_event: anything with ``is_set()``; once set, the loop ends.
        max_builds: stop after this many builds (None: never).
        announce: called with a line describing each batch of changes.

    Returns:
        The number of builds run.
    """
    from watchfiles import watch

    sources = list(sources)
    keep = SourceFilter(sources, out)
    quiet = max(1, int(debounce * 1000))
    builds = 0
    for changes in watch(*keep.roots(), watch_filter=keep, debounce=max(MIN_GROUPING_MS, 5 * quiet),
                         step=quiet, stop_event=stop_event, rust_timeout=POLL_MS,
                         yield_on_timeout=True):
        if builds and not changes:
            continue
        if changes and announce is not None:
            announce(describe(changes))
        build()
        builds += 1
        if max_builds is not None and builds >= max_builds:
            break
    return builds
