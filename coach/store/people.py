"""Contacts, split over 16 TinyDB tables by a hash of the id, so one stays small at 50,000.

Each table's snapshot index lists id, name and preferred name per line: finding a contact by id
reads one index and one line; by name, the name columns of the indexes and then only the hits;
listing the first 50 by name reads the names and 50 lines. Only a free-text search over handles
reads every contact (table by table).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from coach.store.tables import JournalDB

Doc = dict[str, Any]
BUCKETS = 16
PREFIX = "contacts-"


def table_of(contact_id: str) -> str:
    return f"{PREFIX}{zlib.crc32(contact_id.encode()) % BUCKETS:02d}"


class People:
    def __init__(self, db: JournalDB) -> None:
        self.db = db
        self.journal = db.journal
        self._names: tuple[tuple[Any, ...], list[tuple[str, str, str, str, str, str]]] | None = None

    def tables(self) -> list[str]:
        return [f"{PREFIX}{n:02d}" for n in range(BUCKETS)]

    def find(self, contact_id: str) -> tuple[str, int, Doc] | None:
        table = table_of(contact_id)
        for key, doc in self.journal.lookup(table, "id", contact_id).items():
            return table, int(key), doc
        return None

    def get(self, contact_id: str) -> Doc | None:
        found = self.find(contact_id)
        return found[2] if found else None

    def insert(self, doc: Doc) -> None:
        self.db.table(table_of(doc["id"])).insert(doc)

    def insert_many(self, docs: Iterable[Doc], *, bulk_from: int = 2000) -> int:
        """Up to `bulk_from` contacts: one journal line, all or nothing. More (big imports):
        one snapshot write per table, each whole; a crash midway keeps some tables' share."""
        by_table: dict[str, list[Doc]] = defaultdict(list)
        for doc in docs:
            by_table[table_of(doc["id"])].append(doc)
        n = sum(len(b) for b in by_table.values())
        with self.db.transaction():
            for table, batch in sorted(by_table.items()):
                if n >= bulk_from:
                    self.journal.bulk_insert(table, batch)
                else:
                    self.db.table(table).insert_multiple(batch)
        return n

    def replace_all(self, docs: Iterable[Doc]) -> None:
        """Make the contacts exactly `docs` (upgrades; re-runnable after a crash)."""
        by_table: dict[str, list[Doc]] = {t: [] for t in self.tables()}
        for doc in docs:
            by_table[table_of(doc["id"])].append(doc)
        with self.db.transaction():
            for table, batch in by_table.items():
                self.journal.replace_table(table, {str(i): d for i, d in enumerate(batch, 1)})

    def replace(self, table: str, doc_id: int, doc: Doc) -> None:
        self.db.table(table).replace_document(doc_id, doc)

    def remove(self, table: str, doc_id: int) -> None:
        self.db.table(table).remove_document(doc_id)

    def count(self) -> int:
        return sum(self.journal.count(t) for t in self.tables())

    def names(self) -> list[tuple[str, str, str, str, str, str]]:
        """Everyone as (name folded, preferred folded, name, preferred, table, doc id), sorted
        by folded name (`fold_name`), from the indexes only; kept until a contact table
        changes."""
        with self.journal.shared():
            key = tuple(self.journal.version(t) for t in self.tables())
            if self._names is not None and self._names[0] == key:
                return self._names[1]
            entries: list[tuple[str, str, str, str, str, str]] = []
            for table in self.tables():
                names = self.journal.field_values(table, "name")
                preferred = self.journal.field_values(table, "preferred_name")
                entries.extend(
                    (
                        fold_name(name or ""),
                        fold_name(preferred.get(k) or ""),
                        name or "",
                        preferred.get(k) or "",
                        table,
                        k,
                    )
                    for k, name in names.items()
                )
            entries.sort()
            self._names = (key, entries)
            return entries

    def fetch(self, picks: list[tuple[str, str]]) -> list[Doc]:
        """Documents for (table, doc id) pairs, in the order given."""
        by_table: dict[str, list[str]] = defaultdict(list)
        for table, key in picks:
            by_table[table].append(key)
        got: dict[tuple[str, str], Doc] = {}
        with self.journal.shared():
            for table, keys in by_table.items():
                for key, doc in self.journal.fetch(table, keys).items():
                    got[(table, key)] = doc
        return [got[p] for p in picks if p in got]

    def scan(self) -> Iterator[Doc]:
        """Every contact, one table in memory at a time."""
        for table in self.tables():
            with self.journal.shared():
                docs = list(self.journal.docs(table).values())
            yield from docs


def fold_name(text: str) -> str:
    """A name as it is looked up: casefolded, without accents ("Sofía" and "sofia" and "SOFIA"
    are one key; "Trần" is "tran"). Letters that are not accents stay as they are: Hangul
    syllables are decomposed and put back together, so "김서연" stays itself."""
    if text.isascii():
        return text.casefold()
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold()
