"""Low-level file helpers for the store: private files, durable atomic replace, damaged-file backups.

Everything here is about one thing: bytes reach the disk whole, or the old bytes stay.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from coach.errors import CorruptFileError, StoreError

# O_CLOEXEC keeps our descriptors out of child processes (the UI may spawn helpers).
_BASE_FLAGS = getattr(os, "O_CLOEXEC", 0)


def open_private(path: Path, flags: int) -> int:
    """os.open with owner-only permissions for anything we create."""
    return os.open(path, flags | _BASE_FLAGS, 0o600)


def sync_fd(fd: int) -> None:
    """Flush one descriptor's data to stable storage (fdatasync is enough for appends on Linux)."""
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover - macOS / Windows
        os.fsync(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | _BASE_FLAGS)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a signal or a full pipe may write less)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def atomic_write(path: Path, data: bytes, *, sync_parent: bool = True) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, rename, fsync the folder.

    A crash at any moment leaves either the old file or the new one, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(
            f"Could not write {path}: {exc.strerror or exc}. The previous version is unchanged.",
            "Check free disk space and permissions of the data folder.",
        ) from exc
    if sync_parent:
        fsync_dir(path.parent)


def backup_damaged(path: Path) -> Path | None:
    """Copy a damaged file next to itself under a name that never replaces an earlier backup.

    The name carries a hash of the content, so repeated attempts on the same damage reuse one
    backup, and different damage gets a new one. Returns the backup path (None if unreadable)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()[:10]
    n = 0
    while True:
        suffix = f".damaged-{digest}" + (f"-{n}" if n else "")
        backup = path.with_name(path.name + suffix)
        try:
            fd = open_private(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            with contextlib.suppress(OSError):
                if backup.read_bytes() == data:
                    return backup
            n += 1
            continue
        except OSError:
            return None
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        return backup


def corrupt(path: Path, line: int, problem: str) -> CorruptFileError:
    """Build the error for a damaged file: which file, which line, what was kept, what to do."""
    backup = backup_damaged(path)
    kept = f" A copy of the damaged file was kept as {backup.name}." if backup else ""
    return CorruptFileError(
        f"{path}, line {line}: {problem}. Nothing was changed.{kept}",
        "Fix that line by hand (or restore the file from a backup), then run coach again. "
        "`coach doctor` checks the data folder.",
    )
