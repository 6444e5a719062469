"""The snapshot file format of one table: a header line, then one `[doc_id, document]` line per doc.

The header carries the count (so a truncated file is caught), the next document id, and a small
summary (the distinct values of a few fields) that lets the store find which tables hold an id
without reading them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from coach.store.fileio import atomic_write, corrupt

FORMAT = "coach-snapshot"
VERSION = 1
SUFFIX = ".snapshot.jsonl"


@dataclass
class Header:
    table: str
    count: int = 0
    next_id: int = 1
    keys: dict[str, set[Any]] = field(default_factory=dict)
    journal_id: str = ""  # the journal whose first `journal_upto` bytes this snapshot includes
    journal_upto: int = 0


def snapshot_path(folder: Path, table: str) -> Path:
    return folder / f"{table}{SUFFIX}"


def _parse_header(path: Path, line: bytes) -> Header:
    try:
        head = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise corrupt(path, 1, f"the header is not valid JSON ({exc})") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise corrupt(path, 1, "this is not a coach snapshot header")
    if head.get("version", 0) > VERSION:
        raise corrupt(path, 1, "written by a newer version of coach")
    try:
        return Header(
            table=str(head["table"]),
            count=int(head["count"]),
            next_id=int(head["next_id"]),
            keys={k: set(v) for k, v in dict(head.get("keys", {})).items()},
            journal_id=str(head.get("journal_id", "")),
            journal_upto=int(head.get("journal_upto", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise corrupt(path, 1, f"the header is missing or has a bad field ({exc})") from None


def read_header(path: Path) -> Header | None:
    """Only the first line: cheap, for counts and summaries. None if there is no snapshot."""
    try:
        with path.open("rb") as fh:
            line = fh.readline()
    except FileNotFoundError:
        return None
    if not line.endswith(b"\n"):
        raise corrupt(path, 1, "the file ends inside the header (truncated)")
    return _parse_header(path, line)


def read_snapshot(path: Path) -> tuple[Header, dict[str, dict[str, Any]]] | None:
    """The whole table: header and documents keyed by str(doc_id). None if there is no snapshot."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    lines = data.split(b"\n")
    if lines[-1] != b"":
        raise corrupt(path, len(lines), "the last line is cut off (truncated file)")
    lines.pop()
    if not lines:
        raise corrupt(path, 1, "the file is empty")
    header = _parse_header(path, lines[0])
    docs: dict[str, dict[str, Any]] = {}
    # Parsing allocates many small objects; the cyclic GC would rescan them over and over.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loads = orjson.loads
        for n, line in enumerate(lines[1:], start=2):
            try:
                doc_id, doc = loads(line)
            except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
                raise corrupt(path, n, f"not a valid [id, document] line ({exc})") from None
            if not isinstance(doc, dict) or not isinstance(doc_id, int):
                raise corrupt(path, n, "expected [integer id, {document}]")
            docs[str(doc_id)] = doc
    finally:
        if was_enabled:
            gc.enable()
    if len(docs) != header.count:
        raise corrupt(
            path,
            len(lines) + 1,
            f"the header promises {header.count} documents but {len(docs)} were found "
            "(truncated or edited file)",
        )
    return header, docs


def encode_snapshot(
    table: str,
    docs: Mapping[str, Mapping[str, Any]],
    next_id: int,
    summary_fields: Iterable[str],
    journal_id: str = "",
    journal_upto: int = 0,
) -> bytes:
    keys: dict[str, list[Any]] = {}
    for f in summary_fields:
        values = {d.get(f) for d in docs.values()}
        values.discard(None)
        keys[f] = sorted(values, key=str)
    ids = sorted(int(k) for k in docs)
    next_id = max(next_id, (ids[-1] + 1) if ids else 1)
    head = {
        "format": FORMAT,
        "version": VERSION,
        "table": table,
        "count": len(ids),
        "next_id": next_id,
        "keys": keys,
        "journal_id": journal_id,
        "journal_upto": journal_upto,
    }
    dumps = orjson.dumps
    parts = [dumps(head)]
    parts.extend(dumps([i, docs[str(i)]]) for i in ids)
    parts.append(b"")
    return b"\n".join(parts)


def write_snapshot(
    folder: Path,
    table: str,
    docs: Mapping[str, Mapping[str, Any]],
    next_id: int,
    summary_fields: Iterable[str],
    journal_id: str = "",
    journal_upto: int = 0,
) -> None:
    """Atomically replace one table's snapshot (the caller fsyncs the folder once for all)."""
    data = encode_snapshot(table, docs, next_id, summary_fields, journal_id, journal_upto)
    atomic_write(snapshot_path(folder, table), data, sync_parent=False)
