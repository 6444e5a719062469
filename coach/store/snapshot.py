"""The snapshot file of one table: a header line, an index line, then one `[doc_id, doc]` per line.

The header is small (count, next id, which journal bytes are already included) so counting needs
one short read. The index line lists, per document, its id, where its line starts and how long it
is, and the values of a few fields (e.g. "id", "contact_id"): a lookup reads the index, then only
the lines it needs.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from coach.store.fileio import atomic_write, corrupt

FORMAT = "coach-snapshot"
VERSION = 1
SUFFIX = ".snapshot.jsonl"
FIRST_DOC_LINE = 3

# An index row: [doc_id, offset of its line from the first document line, length, *field values]
Row = list[Any]


@dataclass
class Header:
    table: str
    count: int = 0
    next_id: int = 1
    fields: tuple[str, ...] = ()
    journal_id: str = ""  # the journal whose first `journal_upto` bytes this snapshot includes
    journal_upto: int = 0
    body_start: int = 0  # byte offset of the first document line (known once the index is read)
    rows: list[Row] | None = None
    blooms: dict[str, Any] = field(default_factory=dict)  # field -> {"m", "k", "b"} (see Bloom)
    _by: dict[str, dict[Any, list[Row]]] = field(default_factory=dict)
    _by_id: dict[str, Row] | None = None

    def might_hold(self, name: str, value: Any, hashes: tuple[int, int] | None = None) -> bool:
        """False only when this snapshot certainly has no document with `name == value`.
        `hashes`: Bloom.hashes(value), when checking one value against many snapshots."""
        spec = self.blooms.get(name)
        if spec is None:
            return True
        bloom = spec.get("_bloom")
        if bloom is None:
            bloom = spec["_bloom"] = Bloom(int(spec["m"]), int(spec["k"]), spec["b"])
        return bloom.has_hashes(*(hashes or Bloom.hashes(value)))

    def row_by_id(self) -> dict[str, Row]:
        """Index rows by str(doc_id) (the index must have been read)."""
        by = self._by_id
        if by is None:
            by = self._by_id = {str(r[0]): r for r in self.rows or ()}
        return by

    def rows_where(self, name: str, value: Any) -> list[Row]:
        """Index rows whose field `name` equals `value` (the index must have been read)."""
        if name not in self.fields or self.rows is None:
            return []
        by = self._by.get(name)
        if by is None:
            col = 3 + self.fields.index(name)
            by = {}
            for row in self.rows:
                by.setdefault(row[col], []).append(row)
            self._by[name] = by
        return by.get(value, [])


class Bloom:
    """A Bloom filter: lets a header say "no document here has this id" in ~10 bits per value,
    so finding one record among a hundred weeks reads a hundred first lines, not every index."""

    def __init__(self, m: int, k: int, b64: str = "") -> None:
        self.m, self.k = m, k
        self.bits = bytearray(base64.b64decode(b64)) if b64 else bytearray((m + 7) // 8)

    @classmethod
    def of(cls, values: Iterable[Any]) -> Bloom:
        items = [v for v in values if v is not None]
        bloom = cls(max(64, len(items) * 10), 7)  # ~1% false positives
        for v in items:
            bloom.add(v)
        return bloom

    @staticmethod
    def hashes(value: Any) -> tuple[int, int]:
        """The two base hashes of a value (computed once, checked against many filters)."""
        digest = hashlib.blake2b(str(value).encode(), digest_size=16).digest()
        return int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little") | 1

    def add(self, value: Any) -> None:
        h1, h2 = self.hashes(value)
        for i in range(self.k):
            p = (h1 + i * h2) % self.m
            self.bits[p >> 3] |= 1 << (p & 7)

    def has_hashes(self, h1: int, h2: int) -> bool:
        bits, m = self.bits, self.m
        for i in range(self.k):
            p = (h1 + i * h2) % m
            if not bits[p >> 3] & (1 << (p & 7)):
                return False
        return True

    def __contains__(self, value: object) -> bool:
        return self.has_hashes(*self.hashes(value))

    def spec(self) -> dict[str, Any]:
        return {"m": self.m, "k": self.k, "b": base64.b64encode(bytes(self.bits)).decode()}


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
            fields=tuple(head.get("fields", ())),
            journal_id=str(head.get("journal_id", "")),
            journal_upto=int(head.get("journal_upto", 0)),
            blooms=dict(head.get("blooms", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise corrupt(path, 1, f"the header is missing or has a bad field ({exc})") from None


def _parse_index(path: Path, header: Header, line: bytes) -> None:
    try:
        index = orjson.loads(line)
        rows = index["rows"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise corrupt(path, 2, f"the index line is not valid ({exc})") from None
    if not isinstance(rows, list) or len(rows) != header.count:
        raise corrupt(path, 2, "the index does not match the header's count")
    header.rows = rows


def read_header(path: Path, *, with_index: bool = False) -> Header | None:
    """The header (one short read), and the index line if asked. None if there is no snapshot."""
    try:
        with path.open("rb") as fh:
            line = fh.readline()
            if not line.endswith(b"\n"):
                raise corrupt(path, 1, "the file ends inside the header (truncated)")
            header = _parse_header(path, line)
            if with_index:
                second = fh.readline()
                if not second.endswith(b"\n"):
                    raise corrupt(path, 2, "the file ends inside the index (truncated)")
                _parse_index(path, header, second)
                header.body_start = len(line) + len(second)
    except FileNotFoundError:
        return None
    return header


def read_lines(path: Path, header: Header, rows: list[Row]) -> dict[str, dict[str, Any]] | None:
    """Only the documents of `rows`, by offset. None if the file does not match its index
    (edited by hand): the caller then reads the whole table instead."""
    out: dict[str, dict[str, Any]] = {}
    fd = os.open(path, os.O_RDONLY)
    try:
        for row in sorted(rows, key=lambda r: r[1]):
            doc_id, offset, length = row[0], row[1], row[2]
            raw = os.pread(fd, length + 1, header.body_start + offset)
            if raw[-1:] != b"\n":  # the line is not where the index says: lines have moved
                return None
            try:
                got_id, doc = orjson.loads(raw[:-1])
            except (orjson.JSONDecodeError, ValueError, TypeError):
                return None
            if got_id != doc_id or not isinstance(doc, dict):
                return None
            out[str(doc_id)] = doc
    finally:
        os.close(fd)
    return out


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
    if len(lines) < 2:
        raise corrupt(path, len(lines) + 1, "the file ends before its index line (truncated)")
    header = _parse_header(path, lines[0])
    _parse_index(path, header, lines[1])
    header.body_start = len(lines[0]) + len(lines[1]) + 2
    docs: dict[str, dict[str, Any]] = {}
    # Parsing allocates many small objects; the cyclic GC would rescan them over and over.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loads = orjson.loads
        for n, line in enumerate(lines[2:], start=FIRST_DOC_LINE):
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
    fields: Iterable[str],
    journal_id: str = "",
    journal_upto: int = 0,
    bloom_fields: Iterable[str] = (),
) -> bytes:
    fields = tuple(fields)
    ids = sorted(int(k) for k in docs)
    next_id = max(next_id, (ids[-1] + 1) if ids else 1)
    dumps = orjson.dumps
    body: list[bytes] = []
    rows: list[Row] = []
    offset = 0
    for i in ids:
        doc = docs[str(i)]
        line = dumps([i, doc])
        rows.append([i, offset, len(line), *(doc.get(f) for f in fields)])
        body.append(line)
        offset += len(line) + 1
    head = {
        "format": FORMAT,
        "version": VERSION,
        "table": table,
        "count": len(ids),
        "next_id": next_id,
        "fields": list(fields),
        "journal_id": journal_id,
        "journal_upto": journal_upto,
        "blooms": {f: Bloom.of(d.get(f) for d in docs.values()).spec() for f in bloom_fields},
    }
    return b"\n".join([dumps(head), dumps({"rows": rows}), *body, b""])


def write_snapshot(
    folder: Path,
    table: str,
    docs: Mapping[str, Mapping[str, Any]],
    next_id: int,
    fields: Iterable[str],
    journal_id: str = "",
    journal_upto: int = 0,
    bloom_fields: Iterable[str] = (),
) -> None:
    """Atomically replace one table's snapshot (the caller fsyncs the folder once for all)."""
    data = encode_snapshot(table, docs, next_id, fields, journal_id, journal_upto, bloom_fields)
    atomic_write(snapshot_path(folder, table), data, sync_parent=False)
