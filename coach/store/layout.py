"""Where things live inside the data folder, and how history is sharded by ISO week.

data/
  meta.json            schema version (written atomically)
  people/              contacts, mutes, drafts      (one JournalDB)
  history/             one table per ISO week, "w2026-48"  (one JournalDB)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from coach.store.tables import JournalDB

META = "meta.json"
LEGACY = "coach.json"  # the single-file TinyDB the first version wrote
PEOPLE = "people"
HISTORY = "history"
SHARD_PREFIX = "w"
# Fields each history snapshot header lists: enough to find a record by id or by contact
# without reading the week files that cannot hold it.
HISTORY_SUMMARY = ("id", "contact_id", "created")


# Fields each contacts snapshot index lists: find by id or name without reading the contacts.
PEOPLE_SUMMARY = ("id", "name", "preferred_name")


def open_people(root: Path) -> JournalDB:
    return JournalDB(root / PEOPLE, summary_fields=PEOPLE_SUMMARY)


def open_history(root: Path) -> JournalDB:
    # Week tables are ~1 MB each at heavy use: a byte budget keeps about a dozen in memory
    # (journal.py's default, 16 MB of JSON).
    # The journal is parsed whole on every cold start: cap it at 1 MB (~600 checks) so that
    # `coach history list` stays fast; a compaction then rewrites the current week (~1 MB at
    # heavy use), which costs tens of milliseconds once per ~600 checks.
    return JournalDB(
        root / HISTORY,
        summary_fields=HISTORY_SUMMARY,
        bloom_fields=("id", "contact_id"),
        compact_min_bytes=512 << 10,
        compact_max_bytes=1 << 20,
    )


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def shard_name(created: datetime) -> str:
    """The history table for a moment: its ISO week in UTC (weeks sort by name)."""
    year, week, _ = as_utc(created).isocalendar()
    return f"{SHARD_PREFIX}{year:04d}-{week:02d}"


def is_shard(name: str) -> bool:
    return name.startswith(SHARD_PREFIX) and len(name) == 8 and name[5] == "-"


def shard_bounds(name: str) -> tuple[datetime, datetime]:
    """[start, end) of the week a shard covers, in UTC."""
    start = date.fromisocalendar(int(name[1:5]), int(name[6:8]), 1)
    begin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return begin, begin + timedelta(days=7)
