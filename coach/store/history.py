"""The check history: one TinyDB table per ISO week ("w2026-48"), read newest week first.

Each week's snapshot has, in its first line, Bloom filters of its record ids and contact ids, and
in its second an index (id, contact, time and place of every line). So listing the newest 50 reads
the newest week's index and then only the 50 lines it needs; finding a record or one contact's
history reads the first lines of all weeks, then only the lines of the weeks that match; the
journal's own ops answer for what is not compacted yet. An unfiltered count adds up header
counts. Filters on verdict or text stream week by week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from coach.models import CheckRecord
from coach.store import layout
from coach.store.tables import JournalDB

Doc = dict[str, Any]


def _when(value: str) -> datetime:
    return layout.as_utc(datetime.fromisoformat(value))


def _sort_key(value: str) -> str:
    """A string that sorts like the instant: "YYYY-MM-DDTHH:MM:SS.ffffff" in UTC.

    Stored times are UTC with a "Z" (see _to_doc), so this is string slicing, not parsing,
    except for records written some other way."""
    if len(value) == 20 and value[19] == "Z":
        return value[:19] + ".000000"
    if len(value) == 27 and value[26] == "Z" and value[19] == ".":
        return value[:26]
    return _when(value).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _to_doc(record: CheckRecord) -> Doc:
    # Stored in UTC so that a record's week, and the order of records, never depend on the zone.
    record.created = layout.as_utc(record.created)
    return record.model_dump(mode="json")


class History:
    def __init__(self, db: JournalDB) -> None:
        self.db = db
        self.journal = db.journal
        self._orders: dict[str, tuple[tuple[int, int], list[str]]] = {}
        self._seen: dict[str, str] = {}  # record id -> week it was last found in

    def close(self) -> None:
        self.db.close()

    # -- writes ------------------------------------------------------------------------------
    def add(self, record: CheckRecord) -> None:
        doc = _to_doc(record)
        self.db.table(layout.shard_name(record.created)).insert(doc)

    def add_many(self, records: Iterable[CheckRecord]) -> int:
        return self.add_docs(_to_doc(r) for r in records)

    @staticmethod
    def _weeks_for(docs: Iterable[Doc]) -> dict[str, list[Doc]]:
        weeks: dict[str, list[Doc]] = defaultdict(list)
        for doc in docs:
            weeks[layout.shard_name(_when(doc["created"]))].append(doc)
        return weeks

    def add_docs(self, docs: Iterable[Doc], *, bulk_from: int = 2000) -> int:
        """Many records at once (imports, benchmarks).

        Up to `bulk_from` records: one journal line, all or nothing. More: one snapshot write
        per week, each week whole; a crash midway keeps the weeks already written."""
        weeks = self._weeks_for(docs)
        n = sum(len(v) for v in weeks.values())
        with self.db.transaction():
            for name, batch in sorted(weeks.items()):
                if n >= bulk_from:
                    self.journal.bulk_insert(name, batch)
                else:
                    self.db.table(name).insert_multiple(batch)
        return n

    def replace_all(self, docs: Iterable[Doc]) -> int:
        """Make the history exactly `docs` (upgrades): whole tables replaced, so re-running
        after a crash gives the same result."""
        weeks = self._weeks_for(docs)
        with self.db.transaction():
            for name in sorted(self.journal.table_names() - set(weeks)):
                self.journal.replace_table(name, {})
            for name, batch in sorted(weeks.items()):
                self.journal.replace_table(name, {str(i): d for i, d in enumerate(batch, 1)})
        return sum(len(v) for v in weeks.values())

    def _find(self, check_id: str) -> tuple[str, int, Doc] | None:
        # get_check then update_check (mark_sent, the UI) look up the same id twice: try the
        # week it was last found in before asking every week's filter.
        hint = self._seen.get(check_id)
        if hint is not None:
            for key, doc in self.journal.lookup(hint, "id", check_id).items():
                return hint, int(key), doc
        for week in sorted(self.journal.locate("id", check_id), reverse=True):
            for key, doc in self.journal.lookup(week, "id", check_id).items():
                if len(self._seen) > 256:
                    self._seen.clear()
                self._seen[check_id] = week
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
        """Forget one person's history."""
        removed = 0
        with self.db.transaction():
            for week in self.journal.locate("contact_id", contact_id):
                for key in self.journal.lookup(week, "contact_id", contact_id):
                    self.db.table(week).remove_document(int(key))
                    removed += 1
        return removed

    # -- reads -------------------------------------------------------------------------------
    def _weeks(
        self, contact_id: str | None, since: datetime | None, until: datetime | None
    ) -> list[str]:
        """Week tables that can hold matches, newest first."""
        if contact_id is not None:
            names = {n for n in self.journal.locate("contact_id", contact_id) if layout.is_shard(n)}
        else:
            names = {n for n in self.journal.table_names() if layout.is_shard(n)}
        if since or until:
            lo = layout.as_utc(since) if since else None
            hi = layout.as_utc(until) if until else None
            kept = set()
            for n in names:
                start, end = layout.shard_bounds(n)
                if (lo is None or end > lo) and (hi is None or start <= hi):
                    kept.add(n)
            names = kept
        return sorted(names, reverse=True)

    @staticmethod
    def _matcher(
        verdict: str | None, since: datetime | None, until: datetime | None, text: str | None
    ) -> Callable[[Doc], bool] | None:
        if not (verdict or since or until or text):
            return None
        lo = layout.as_utc(since) if since else None
        hi = layout.as_utc(until) if until else None
        low = text.casefold() if text else None

        def match(d: Doc) -> bool:
            if verdict and d["result"]["verdict"] != verdict:
                return False
            if lo or hi:
                created = _when(d["created"])
                if (lo and created < lo) or (hi and created > hi):
                    return False
            return not (low and low not in d["draft"].casefold())

        return match

    @staticmethod
    def _sorted(docs: dict[str, Doc]) -> list[str]:
        return sorted(docs, key=lambda k: (_sort_key(docs[k]["created"]), int(k)), reverse=True)

    def _order(self, week: str) -> list[str]:
        """Doc ids of a week, newest first, from its index; kept until the week changes."""
        version = self.journal.version(week)
        cached = self._orders.get(week)
        if cached is not None and cached[0] == version:
            return cached[1]
        times = self.journal.field_values(week, "created")
        order = sorted(times, key=lambda k: (_sort_key(times[k]), int(k)), reverse=True)
        self._orders[week] = (version, order)
        return order

    def _week_newest(self, week: str, contact_id: str | None, full: bool) -> Iterator[Doc]:
        """One week's records, newest first (same instant: later insert first)."""
        with self.journal.shared():
            if contact_id is not None:
                docs = self.journal.lookup(week, "contact_id", contact_id)
                order = self._sorted(docs)
            elif full:
                docs = self.journal.docs(week)
                order = self._sorted(docs)
            else:  # order by the index, then read only the lines that get used
                order = self._order(week)
                docs = {}
        for start in range(0, len(order), 50):
            chunk = order[start : start + 50]
            if not full and contact_id is None:
                docs = self.journal.fetch(week, chunk)
            for k in chunk:
                if k in docs:
                    yield docs[k]

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
        match = self._matcher(verdict, since, until, text)
        # Verdict and text need every document anyway; read those weeks whole.
        full = bool(verdict or text)
        for week in self._weeks(contact_id, since, until):
            for doc in self._week_newest(week, contact_id, full):
                if match is None or match(doc):
                    yield doc

    def newest(self, limit: int = 50, offset: int = 0, **filters: Any) -> list[Doc]:
        """One page, newest first. Skipped records are counted, never kept: a deep page of a
        long history (the end of a scrolled list) costs its own records, not all before it."""
        if not any(filters.values()):
            return self._page(limit, offset)
        out: list[Doc] = []
        skip = offset
        for doc in self.iter_newest(**filters):
            if skip:
                skip -= 1
                continue
            out.append(doc)
            if limit and len(out) >= limit:
                break  # weeks are disjoint in time: older weeks cannot hold newer records
        return out

    def _page(self, limit: int, offset: int) -> list[Doc]:
        """An unfiltered page: whole weeks are skipped by their index alone."""
        out: list[Doc] = []
        skip = offset
        for week in self._weeks(None, None, None):
            with self.journal.shared():
                order = self._order(week)
            if skip >= len(order):
                skip -= len(order)
                continue
            order = order[skip:]
            skip = 0
            for start in range(0, len(order), 50):
                chunk = order[start : start + 50]
                docs = self.journal.fetch(week, chunk)
                for k in chunk:
                    if k in docs:
                        out.append(docs[k])
                        if limit and len(out) >= limit:
                            return out
        return out

    def count(self, **filters: Any) -> int:
        if not any(filters.values()):
            return sum(self.journal.count(w) for w in self._weeks(None, None, None))
        return sum(1 for _ in self.iter_newest(**filters))
