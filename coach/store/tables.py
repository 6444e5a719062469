"""TinyDB's own API over JournalStorage: a Table that journals only what changed, and a TinyDB.

TinyDB's stock Table rewrites the whole database on every change and caches the next document
id; here each insert/update/remove becomes ops in one journal line, ids come from the storage
under the write lock (so two processes never collide), and query caches are dropped whenever
another process wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from coach.store.journal import Docs, JournalStorage


class _Staging(MutableMapping[int, Any]):
    """The int-keyed view TinyDB's updaters expect, over the live str-keyed table.

    Sets and deletes are staged as journal ops as they happen."""

    def __init__(self, storage: JournalStorage, name: str, docs: Docs) -> None:
        self._storage = storage
        self._name = name
        self._docs = docs

    def __getitem__(self, doc_id: int) -> Any:
        return self._docs[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        kind = "u" if str(doc_id) in self._docs else "i"
        self._storage.stage(kind, self._name, int(doc_id), dict(doc))

    def __delitem__(self, doc_id: int) -> None:
        if str(doc_id) not in self._docs:
            raise KeyError(doc_id)
        self._storage.stage("d", self._name, int(doc_id), None)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._docs

    def __iter__(self) -> Iterator[int]:
        return iter([int(k) for k in self._docs])

    def __len__(self) -> int:
        return len(self._docs)

    def clear(self) -> None:
        self._storage.stage("t", self._name, 0, None)


class JournalTable(Table):
    """A TinyDB Table whose writes are durable journal ops (see module docstring)."""

    _storage: JournalStorage

    def __init__(self, storage: JournalStorage, name: str, cache_size: int = 10) -> None:
        super().__init__(storage, name, cache_size=cache_size)
        self._seen: tuple[int, int] = (-1, -1)

    # -- reads -------------------------------------------------------------------------------
    def _fresh(self) -> None:
        """Drop the query cache when this table changed (here or in another process)."""
        version = self._storage.version(self.name)
        if version != self._seen:
            self._query_cache.clear()
            self._seen = version

    def _read_table(self) -> dict[str, Mapping[Any, Any]]:
        return cast(dict[str, Mapping[Any, Any]], self._storage.docs(self.name))

    def search(self, cond: Any) -> list[Document]:
        self._fresh()
        return super().search(cond)

    def __len__(self) -> int:
        return self._storage.count(self.name)

    # -- writes ------------------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[None]:
        return self._storage.transaction()

    def _get_next_id(self) -> int:
        return self._storage.allocate_id(self.name)

    def insert(self, document: Mapping[Any, Any]) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping[Any, Any]]) -> list[int]:
        """Insert without reading the table: a new id never exists, so nothing to check."""
        ids: list[int] = []
        with self._storage.transaction():
            for document in documents:
                if not isinstance(document, Mapping):
                    raise ValueError("Document is not a Mapping")
                if isinstance(document, Document):
                    doc_id = int(document.doc_id)
                    if str(doc_id) in self._storage.docs(self.name):
                        raise ValueError(f"Document with ID {doc_id} already exists")
                else:
                    doc_id = self._get_next_id()
                self._storage.stage("i", self.name, doc_id, dict(document))
                ids.append(doc_id)
        self._query_cache.clear()
        return ids

    def replace_document(self, doc_id: int, document: Mapping[Any, Any]) -> None:
        """Replace one whole document without reading the table. The caller must know it exists
        (it looked it up inside the same transaction)."""
        with self._storage.transaction():
            self._storage.stage("u", self.name, int(doc_id), dict(document))
        self._query_cache.clear()

    def remove_document(self, doc_id: int) -> None:
        """Remove one document without reading the table (same precondition as above)."""
        with self._storage.transaction():
            self._storage.stage("d", self.name, int(doc_id), None)
        self._query_cache.clear()

    def update(
        self,
        fields: Mapping[Any, Any] | Callable[[MutableMapping[Any, Any]], None],
        cond: Any = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        # TinyDB mutates matching documents in place; journal each one it reports as updated.
        with self._storage.transaction():
            updated = super().update(fields, cond, doc_ids)
            docs = self._storage.docs(self.name)
            for doc_id in updated:
                self._storage.stage("u", self.name, int(doc_id), docs[str(doc_id)])
        return updated

    def update_multiple(self, updates: Iterable[tuple[Any, Any]]) -> list[int]:
        with self._storage.transaction():
            updated = super().update_multiple(updates)
            docs = self._storage.docs(self.name)
            for doc_id in updated:
                self._storage.stage("u", self.name, int(doc_id), docs[str(doc_id)])
        return updated

    def upsert(self, document: Mapping[Any, Any], cond: Any = None) -> list[int]:
        with self._storage.transaction():
            return super().upsert(document, cond)

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        with self._storage.transaction():
            return super().remove(cond, doc_ids)

    def truncate(self) -> None:
        with self._storage.transaction():
            super().truncate()

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        with self._storage.transaction():
            docs = self._storage.docs(self.name)
            updater(cast(dict[int, Mapping[Any, Any]], _Staging(self._storage, self.name, docs)))
        self._query_cache.clear()


class JournalDB(TinyDB):
    """`JournalDB(folder, summary_fields=(...))`: TinyDB over a crash-safe journaled folder."""

    table_class = JournalTable  # type: ignore[assignment]
    default_storage_class = JournalStorage  # type: ignore[assignment]

    def table(self, name: str, **kwargs: Any) -> JournalTable:
        return cast(JournalTable, super().table(name, **kwargs))

    @property
    def journal(self) -> JournalStorage:
        return cast(JournalStorage, self.storage)

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes to several tables of this folder into one all-or-nothing journal line."""
        return self.journal.transaction()
