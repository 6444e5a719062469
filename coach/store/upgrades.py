"""The on-disk schema version and the ordered, idempotent steps that bring old data folders up to it.

Versions: 0 = `coach.json` (one plain TinyDB file) without a version; 1 = the same file with
`meta.schema_version` 1 (what the first store wrote); 2 = journaled folders (layout.py).
Each step can be re-run after a crash at any point: it only ever rewrites whole files atomically,
and the version in `meta.json` is written last, as the commit point.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from coach.errors import CorruptFileError, StoreError
from coach.store import layout
from coach.store.fileio import atomic_write, corrupt, open_private
from coach.store.history import History
from coach.store.people import People

CURRENT_VERSION = 2
_LOCK = ".upgrade.lock"


def _read_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(
            f"Could not read {path}: {exc.strerror or exc}.", "Check the folder's permissions."
        ) from exc
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, exc.lineno, f"not valid JSON ({exc.msg}, column {exc.colno})") from None


def _write_meta(root: Path, version: int) -> None:
    meta = {"schema_version": version, "layout": "journal", "written": datetime.now().isoformat()}
    atomic_write(root / layout.META, orjson.dumps(meta, option=orjson.OPT_INDENT_2) + b"\n")


def read_version(root: Path) -> int | None:
    """The version of the data under `root`; None for an empty (new) folder."""
    meta = root / layout.META
    if meta.exists():
        value = _read_json(meta)
        if not isinstance(value, dict) or not isinstance(value.get("schema_version"), int):
            raise corrupt(meta, 1, "expected an object with an integer schema_version")
        return int(value["schema_version"])
    legacy = root / layout.LEGACY
    if legacy.exists():
        db = _legacy_tables(legacy)
        rows = list(db.get("meta", {}).values())
        return int(rows[0].get("schema_version", 0)) if rows else 0
    return None


def _legacy_tables(path: Path) -> dict[str, dict[str, Any]]:
    data = _read_json(path) if path.stat().st_size else {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise corrupt(path, 1, "expected TinyDB tables ({table: {id: document}})")
    return data


# -- the steps -------------------------------------------------------------------------------
def step_0_to_1(root: Path) -> None:
    """An unversioned coach.json: record that it is version 1 (same layout)."""
    path = root / layout.LEGACY
    data = _legacy_tables(path)
    data["meta"] = {"1": {"schema_version": 1}}
    atomic_write(path, orjson.dumps(data))


def step_1_to_2(root: Path) -> None:
    """coach.json -> journaled folders: contacts, mutes and drafts to people/, history by week.

    Whole tables are written as snapshots (replace_table), so a re-run after a crash writes the
    same result again. coach.json is kept, renamed, once meta.json says version 2."""
    path = root / layout.LEGACY
    data = _legacy_tables(path)
    people = layout.open_people(root)
    try:
        People(people).replace_all(dict(d) for d in data.get("contacts", {}).values())
        for name in ("mutes", "drafts"):
            docs = [dict(d) for d in data.get(name, {}).values()]
            people.journal.replace_table(name, {str(i): d for i, d in enumerate(docs, 1)})
    finally:
        people.close()
    docs = list(data.get("history", {}).values())
    for n, doc in enumerate(docs, 1):
        try:
            datetime.fromisoformat(str(doc["created"]))
        except (KeyError, ValueError):
            raise corrupt(path, 1, f"history record {n} has no valid 'created' time") from None
    db = layout.open_history(root)
    try:
        History(db).replace_all(dict(d) for d in docs)
    finally:
        db.close()
    _write_meta(root, 2)
    _retire(path, ".v1-backup")


def _retire(path: Path, suffix: str) -> None:
    """Move an old file aside under a name that never replaces an earlier one."""
    n = 0
    while True:
        target = path.with_name(path.name + suffix + (f"-{n}" if n else ""))
        if not target.exists():
            with contextlib.suppress(FileNotFoundError):
                os.link(path, target)
                path.unlink()
            return
        n += 1


STEPS: list[tuple[int, Callable[[Path], None]]] = [(0, step_0_to_1), (1, step_1_to_2)]


def upgrade(root: Path) -> int:
    """Bring the data under `root` to CURRENT_VERSION (creating it if new); returns the version."""
    meta = root / layout.META
    if meta.exists() and read_version(root) == CURRENT_VERSION:
        return CURRENT_VERSION  # the common case: one small read
    fd = open_private(root / _LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process may be upgrading the same folder
        version = read_version(root)
        if version is None:
            _write_meta(root, CURRENT_VERSION)
            return CURRENT_VERSION
        if version > CURRENT_VERSION:
            raise StoreError(
                f"The data in {root} was written by a newer coach (schema {version}; "
                f"this one knows up to {CURRENT_VERSION}). Nothing was changed.",
                "Upgrade coach, or point --home at another folder.",
            )
        for start, step in STEPS:
            if version == start:
                try:
                    step(root)
                except CorruptFileError:
                    raise
                except (OSError, ValueError, TypeError, KeyError) as exc:
                    raise StoreError(
                        f"Upgrading {root} from schema {start} failed: {exc}. "
                        "The old files are kept; nothing was deleted.",
                        "Run coach again; the upgrade resumes where it stopped.",
                    ) from exc
                version = start + 1
        return version
    finally:
        os.close(fd)
