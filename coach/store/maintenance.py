"""Bulk writes and compaction for JournalStorage (a mixin; the state lives in JournalStorage).

Compaction folds the journal into new snapshots of the tables it touched (temp file, fsync,
rename), then replaces the journal by a fresh one atomically. A crash in between is harmless: each
snapshot records which journal bytes it already includes, so nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zlib
from collections import OrderedDict
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import orjson

from coach.errors import StoreError
from coach.store import snapshot as snap
from coach.store.fileio import atomic_write, fsync_dir

Op = list[Any]
Docs = dict[str, dict[str, Any]]
JOURNAL_FORMAT = "coach-journal"


def valid_table_name(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "-_" for c in name)


def journal_header() -> bytes:
    """The first line of every new journal: its format and a fresh id."""
    header = orjson.dumps({"format": JOURNAL_FORMAT, "version": 1, "id": secrets.token_hex(8)})
    return b"%08x " % zlib.crc32(header) + header + b"\n"


class Maintenance:
    # Provided by JournalStorage.
    folder: Path
    journal_path: Path
    summary_fields: tuple[str, ...]
    bloom_fields: tuple[str, ...]
    compact_min_bytes: int
    compact_max_bytes: int
    compact_ratio: float
    _loaded: OrderedDict[str, Docs]
    _headers: dict[str, Any]
    _ops: dict[str, list[tuple[int, Op]]]
    _jfd: int | None
    _jid: str
    _offset: int
    _recheck_at: int
    _staged: list[Op]
    _tx_depth: int
    _tx_next: dict[str, int]

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def stage(self, kind: str, table: str, doc_id: int, doc: dict[str, Any] | None) -> None:
        raise NotImplementedError

    def next_id(self, table: str) -> int:
        raise NotImplementedError

    def _ensure_journal(self) -> None:
        raise NotImplementedError

    def _load(self, table: str, *, live: bool = True) -> Docs:
        raise NotImplementedError

    def _snap_path(self, table: str) -> str:
        raise NotImplementedError

    def _reset(self) -> None:
        raise NotImplementedError

    def _refresh(self) -> None:
        raise NotImplementedError

    # -- bulk and compaction -----------------------------------------------------------------
    def replace_table(self, table: str, docs: Docs) -> None:
        """Write a whole table as a new snapshot (bulk loads, imports, upgrades), in a transaction.

        The snapshot says it includes the journal so far; an "s" op tells other processes."""
        if not self._tx_depth:
            with self.transaction():
                self.replace_table(table, docs)
            return
        if not valid_table_name(table):
            raise StoreError(f"Bad table name {table!r}.", "Use letters, digits, - and _.")
        self._ensure_journal()
        next_id = max(self.next_id(table), self._tx_next.get(table, 0))
        snap.write_snapshot(
            self.folder,
            table,
            docs,
            next_id,
            self.summary_fields,
            self._jid,
            self._offset,
            self.bloom_fields,
        )
        fsync_dir(self.folder)
        self._headers.pop(table, None)
        self._loaded.pop(table, None)
        self.stage("s", table, 0, None)

    def bulk_insert(self, table: str, docs: list[dict[str, Any]]) -> list[int]:
        """Insert many documents with one snapshot write instead of one journal line each."""
        with self.transaction():
            current = dict(self._load(table, live=False))
            first = self.next_id(table)
            ids = list(range(first, first + len(docs)))
            for doc_id, doc in zip(ids, docs, strict=True):
                current[str(doc_id)] = doc
            self._tx_next[table] = first + len(docs)
            self.replace_table(table, current)
            return ids

    def _tables_to_rewrite(self) -> list[str]:
        """Tables with journal ops their snapshot lacks ("s" alone means the snapshot is whole)."""
        return sorted(t for t, ops in self._ops.items() if any(op[0] != "s" for _e, op in ops))

    def _maybe_compact(self) -> None:
        # Cheap test first: this runs after every commit.
        if self._offset <= self.compact_min_bytes or self._offset < self._recheck_at:
            return
        rewrite = 0
        for table in self._tables_to_rewrite():
            with contextlib.suppress(FileNotFoundError):
                rewrite += os.stat(self._snap_path(table)).st_size
        # Worth it once the journal is a fair share of what compaction rewrites, and always past
        # the cap: every cold start parses the whole journal, so it must stay small.
        if self._offset > self.compact_ratio * rewrite or self._offset > self.compact_max_bytes:
            self.compact()
        else:  # not worth it yet; look again after the journal grew by another slice
            self._recheck_at = self._offset + max(64 << 10, self._offset // 8)

    def compact(self) -> None:
        """Fold the journal into new snapshots of the tables it touched, then start a new one."""
        with self.transaction():
            if self._staged:
                raise RuntimeError("compact inside a transaction with changes")
            if self._jfd is None:
                return
            for table in self._tables_to_rewrite():
                docs = self._loaded.get(table)
                if docs is None:
                    docs = self._load(table, live=False)
                snap.write_snapshot(
                    self.folder,
                    table,
                    docs,
                    self.next_id(table),
                    self.summary_fields,
                    self._jid,
                    self._offset,
                    self.bloom_fields,
                )
            fsync_dir(self.folder)
            keep = dict(self._loaded)
            atomic_write(self.journal_path, journal_header())
            self._reset()
            self._refresh()
            # What was in memory equals the new snapshots: keep it instead of re-reading.
            self._loaded.update(keep)
