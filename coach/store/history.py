"""The check history, one TinyDB table per ISO week, read newest week first.

Listing the newest 50 reads only the newest week(s); one contact's history or one record by id
reads only the weeks whose snapshot header (or the journal) names that contact or id; an
unfiltered count adds up header counts without reading any records. Text search streams week by
week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from tinydb import Query

from coach.models import CheckRecord
from coach.store import layout
from coach.store.tables import JournalDB

Doc = dict[str, Any]


def _created(doc: Doc) -> datetime:
    return layout.as_utc(datetime.fromisoformat(doc["created"]))


def _to_doc(record: CheckRecord) -> Doc:
    # Stored in UTC so that a record's week, and the order of records, never depend on the zone.
    record.created = layout.as_utc(record.created)
    return record.model_dump(mode="json")


class History:
    def __init__(self, db: JournalDB) -> None:
        self.db = db
        self.journal = db.journal

    def close(self) -> None:
        self.db.close()

    # -- writes ------------------------------------------------------------------------------
    def add(self, record: CheckRecord) -> None:
        doc = _to_doc(record)
        self.db.table(layout.shard_name(record.created)).insert(doc)

    def add_many(self, records: Iterable[CheckRecord]) -> int:
        by_week: dict[str, list[Doc]] = defaultdict(list)
        for record in records:
            by_week[layout.shard_name(record.created)].append(_to_doc(record))
        with self.db.transaction():
            for week, docs in sorted(by_week.items()):
                self.journal.bulk_insert(week, docs)
        return sum(len(d) for d in by_week.values())

    def _find(self, check_id: str) -> tuple[str, int, Doc] | None:
        for week in sorted(self.journal.locate("id", check_id), reverse=True):
            for key, doc in self.journal.lookup(week, "id", check_id).items():
                return week, int(key), doc
        return None

    def get(self, check_id: str) -> Doc | None:
        with self.journal.shared():
            found = self._find(check_id)
            return found[2] if found else None

    def update(self, record: CheckRecord) -> bool:
        doc = _to_doc(record)
        week = layout.shard_name(record.created)
        with self.db.transaction():
            found = self._find(record.id)
            if found is None:
                return False
            old_week, doc_id, _old = found
            if old_week == week:
                self.db.table(week).replace_document(doc_id, doc)
            else:  # its time changed: move it, in the same journal line
                self.db.table(old_week).remove_document(doc_id)
                self.db.table(week).insert(doc)
        return True

    def delete(self, check_id: str) -> bool:
        with self.db.transaction():
            found = self._find(check_id)
            if found is None:
                return False
            self.db.table(found[0]).remove_document(found[1])
        return True

    def delete_for_contact(self, contact_id: str) -> int:
        removed = 0
        with self.db.transaction():
            for week in self.journal.locate("contact_id", contact_id):
                removed += len(self.db.table(week).remove(Query().contact_id == contact_id))
        return removed

    # -- reads -------------------------------------------------------------------------------
    def _weeks(
        self, contact_id: str | None, since: datetime | None, until: datetime | None
    ) -> list[str]:
        """Week tables that can hold matches, newest first."""
        names = [n for n in self.journal.table_names() if layout.is_shard(n)]
        if contact_id is not None:
            holding = self.journal.locate("contact_id", contact_id)
            names = [n for n in names if n in holding]
        if since or until:
            lo = layout.as_utc(since) if since else None
            hi = layout.as_utc(until) if until else None
            kept = []
            for n in names:
                start, end = layout.shard_bounds(n)
                if (lo is None or end > lo) and (hi is None or start <= hi):
                    kept.append(n)
            names = kept
        return sorted(names, reverse=True)

    @staticmethod
    def _matcher(
        contact_id: str | None,
        verdict: str | None,
        since: datetime | None,
        until: datetime | None,
        text: str | None,
    ) -> Callable[[Doc], bool] | None:
        if not (contact_id or verdict or since or until or text):
            return None
        lo = layout.as_utc(since) if since else None
        hi = layout.as_utc(until) if until else None
        low = text.casefold() if text else None

        def match(d: Doc) -> bool:
            if contact_id and d.get("contact_id") != contact_id:
                return False
            if verdict and d["result"]["verdict"] != verdict:
                return False
            if lo or hi:
                created = _created(d)
                if lo and created < lo:
                    return False
                if hi and created > hi:
                    return False
            return not (low and low not in d["draft"].casefold())

        return match

    def iter_newest(
        self,
        *,
        contact_id: str | None = None,
        verdict: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
    ) -> Iterator[Doc]:
        """Matching documents, newest first, reading one week at a time."""
        match = self._matcher(contact_id, verdict, since, until, text)
        for week in self._weeks(contact_id, since, until):
            with self.journal.shared():
                if contact_id is not None:  # only that contact's lines, via the week's index
                    docs = list(self.journal.lookup(week, "contact_id", contact_id).items())
                else:
                    docs = list(self.journal.docs(week).items())
            if match is not None:
                docs = [kv for kv in docs if match(kv[1])]
            # Newest first; records created in the same instant keep insertion order reversed.
            docs.sort(key=lambda kv: (_created(kv[1]), int(kv[0])), reverse=True)
            for _key, doc in docs:
                yield doc

    def newest(self, limit: int = 50, offset: int = 0, **filters: Any) -> list[Doc]:
        out: list[Doc] = []
        want = offset + limit if limit else None
        for doc in self.iter_newest(**filters):
            out.append(doc)
            if want is not None and len(out) >= want:
                break  # weeks are disjoint in time: older weeks cannot hold newer records
        return out[offset:]

    def count(self, **filters: Any) -> int:
        if not any(filters.values()):
            return sum(self.journal.count(w) for w in self._weeks(None, None, None))
        return sum(1 for _ in self.iter_newest(**filters))
