"""Times as a person reads and types them: in the machine's local time zone.

Everything is stored as aware UTC (and JSON output stays UTC, per CONTRACT.md); only what is
shown on screen or in human CLI output, and what is typed into a form, is local time.
"""

from __future__ import annotations

from datetime import UTC, datetime

MINUTE = "%Y-%m-%d %H:%M"


def local(dt: datetime) -> datetime:
    """`dt` in the local zone (a naive time is taken as UTC, as the store writes them)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone()


def shown(dt: datetime, fmt: str = MINUTE) -> str:
    """`dt` as local time, to the minute: '2026-11-20 14:30'."""
    return local(dt).strftime(fmt)


def typed(text: str) -> datetime:
    """An ISO date or date and time as typed; without a zone it is local time. Raises
    ValueError for anything else. Returns an aware time."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.astimezone()
