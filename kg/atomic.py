"""Atomic file writes: readers see the old file or the new one, never half of one.

The data goes to a temporary file in the target's folder (same file system,
so the final rename is atomic), is flushed and fsynced, and is then moved over
the target with :func:`os.replace`. On any error the temporary file is removed
and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

_TEMP_NAME = re.compile(r"\.(.+)\.[0-9a-f]{8}\.tmp")


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Writes ``data`` to ``path`` atomically.

    Args:
        path: the file to create or replace; its folder must exist.
        data: the complete new content.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.

    Raises:
        OSError: the folder is missing or not writable, or the disk is full;
            the old file (if any) is untouched.
    """
    path = Path(path)
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)
    return path


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Writes ``text`` to ``path`` atomically (UTF-8, newlines written as given).

    The text is encoded before anything touches the disk, so an encoding
    error (e.g. a lone surrogate) leaves no trace.

    Args:
        path: the file to create or replace; its folder must exist.
        text: the complete new content.
        encoding: the text encoding.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def remove_stale_temps(folder: Path, names: Iterable[str]) -> list[Path]:
    """Deletes the temporary files that killed writes of ``names`` left in ``folder``.

    A write killed before its rename leaves ``.<name>.<hex>.tmp`` behind. Call this
    only while no other process writes into ``folder`` (hold the build lock).

    Returns:
        The files deleted.
    """
    wanted, removed = set(names), []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _TEMP_NAME.fullmatch(entry.name)
            if match and match.group(1) in wanted and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _create_temp(path: Path) -> tuple[int, Path]:
    """Creates a fresh hidden temporary file next to ``path``.

    ``os.open`` with mode 0o666 lets the umask decide the permissions, as for
    a file opened with ``open(path, "w")`` (``mkstemp`` would make it 0o600).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _keep_mode(path: Path, tmp: Path) -> None:
    """Gives the temporary file the permissions of the file it replaces, if any."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(tmp, path.stat().st_mode & 0o7777)


def _fsync_folder(folder: Path) -> None:
    """Makes the rename durable where the platform allows syncing a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
