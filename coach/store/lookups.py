"""Index-driven reads for JournalStorage: find and read documents without loading whole tables.

A mixin: JournalStorage provides the state (tables in memory, snapshot headers with their index
line, journal ops per table). These methods combine a snapshot's index with the journal's later
changes, then read only the lines they need.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from coach.store import snapshot as snap

Op = list[Any]
Docs = dict[str, dict[str, Any]]


class IndexedReads:
    # Provided by JournalStorage.
    folder: Any
    _loaded: OrderedDict[str, Docs]
    _epoch: int
    _versions: dict[str, int]
    _change_cache: dict[str, tuple[tuple[int, int, int], bool, Docs]]
    _values_cache: dict[tuple[str, str], tuple[tuple[int, int, int], dict[str, Any]]]

    def shared(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def docs(self, table: str) -> Docs:
        raise NotImplementedError

    def table_names(self) -> set[str]:
        raise NotImplementedError

    def _header(self, table: str, *, with_index: bool = False) -> snap.Header | None:
        raise NotImplementedError

    def _journal_keys(self) -> dict[str, dict[Any, set[str]]]:
        raise NotImplementedError

    def _pending_ops(self, table: str, header: snap.Header | None) -> list[Op]:
        raise NotImplementedError

    @staticmethod
    def _apply(docs: Docs, op: Op, *, copy: bool = False) -> None:
        raise NotImplementedError

    def locate(self, field: str, value: Any) -> set[str]:
        """Tables that may hold a document with `field == value` (a superset; never misses).

        Snapshots answer from the Bloom filter in their first line when they have one for
        `field`, else from their index line; the journal's own ops answer for the rest."""
        with self.shared():
            found = set(self._journal_keys().get(field, {}).get(value, ()))
            hashes = snap.Bloom.hashes(value)
            for name in self.table_names():
                if name in found:
                    continue
                header = self._header(name)
                if header is None:
                    continue
                if field in header.blooms:
                    if header.might_hold(field, value, hashes):
                        found.add(name)
                    continue
                indexed = self._header(name, with_index=True)
                if indexed is not None and indexed.rows_where(field, value):
                    found.add(name)
            return found

    def _changes(self, table: str, header: snap.Header | None) -> tuple[bool, Docs]:
        """What the journal changed since the snapshot: (snapshot wiped by a truncate?,
        {doc_id: doc, or {} for deleted}). Cached until the table changes again."""
        key = (self._epoch, self._versions.get(table, 0), id(header))
        cached = self._change_cache.get(table)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        pending = self._pending_ops(table, header)
        cut = max((i for i, op in enumerate(pending) if op[0] == "t"), default=-1)
        changed: Docs = {}
        for op in pending[cut + 1 :]:
            self._apply(changed, op)
            if op[0] == "d":
                changed[str(op[2])] = {}  # a tombstone: hides the snapshot's copy
        self._change_cache[table] = (key, cut >= 0, changed)
        return cut >= 0, changed

    def field_values(self, table: str, field: str) -> dict[str, Any]:
        """{doc_id: value of `field`} for every document, from the snapshot's index and the
        journal, without reading documents (`field` should be one of `summary_fields`).
        Cached until the table changes: treat the result as read-only."""
        with self.shared():
            loaded = self._loaded.get(table)
            if loaded is not None:
                return {k: d.get(field) for k, d in loaded.items()}
            header = self._header(table, with_index=True)
            key = (self._epoch, self._versions.get(table, 0), id(header))
            cached = self._values_cache.get((table, field))
            if cached is not None and cached[0] == key:
                return cached[1]
            wiped, changed = self._changes(table, header)
            out: dict[str, Any] = {}
            if header is not None and not wiped and header.rows is not None:
                col = 3 + header.fields.index(field) if field in header.fields else -1
                if col < 0:  # not indexed in this snapshot: read it whole
                    return {k: d.get(field) for k, d in self.docs(table).items()}
                out = {str(row[0]): row[col] for row in header.rows}
            for k, doc in changed.items():
                if doc:
                    out[k] = doc.get(field)
                else:
                    out.pop(k, None)
            self._values_cache[(table, field)] = (key, out)
            return out

    def fetch(self, table: str, doc_ids: Iterable[str]) -> Docs:
        """Some documents of a table by doc id, reading only their lines when not in memory."""
        with self.shared():
            wanted = list(doc_ids)
            loaded = self._loaded.get(table)
            if loaded is not None:
                return {k: loaded[k] for k in wanted if k in loaded}
            header = self._header(table, with_index=True)
            wiped, changed = self._changes(table, header)
            out: Docs = {}
            need = set()
            for k in wanted:
                if k in changed:
                    if changed[k]:
                        out[k] = changed[k]
                elif not wiped:
                    need.add(k)
            if need and header is not None and header.rows is not None:
                by_id = header.row_by_id()
                rows = [by_id[k] for k in need if k in by_id]
                got = snap.read_lines(snap.snapshot_path(self.folder, table), header, rows)
                if got is None:  # the file no longer matches its index: read it whole
                    docs = self.docs(table)
                    return {k: docs[k] for k in wanted if k in docs}
                out.update(got)
            return {k: out[k] for k in wanted if k in out}

    def lookup(self, table: str, field: str, value: Any) -> Docs:
        """Documents of one table with `field == value`, reading only their lines."""
        with self.shared():
            loaded = self._loaded.get(table)
            if loaded is not None:
                return {k: d for k, d in loaded.items() if d.get(field) == value}
            header = self._header(table, with_index=True)
            if header is not None and field not in header.fields:
                return {k: d for k, d in self.docs(table).items() if d.get(field) == value}
            wiped, changed = self._changes(table, header)
            keys: list[str] = []
            if header is not None and not wiped:
                keys = [str(r[0]) for r in header.rows_where(field, value)]
                keys = [k for k in keys if k not in changed]
            keys += [k for k, d in changed.items() if d and d.get(field) == value]
            return self.fetch(table, keys)
