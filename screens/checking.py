"""The screens' one door to `coach.check`: imported lazily so the app still opens while it is built.

Everything here is thin: the screens render what `coach.check` returns and never judge drafts
themselves. When `coach.check` is missing the fallback says so instead of pretending to judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from coach.models import CheckRecord, CheckResult, Contact, Mute
from coach.store import Store

_UNAVAILABLE = "The offline analysis is not installed in this build; nothing was judged."


def offline_check(
    draft: str,
    contact: Contact | None,
    channel: str | None,
    *,
    mutes: Iterable[Mute] = (),
    now: datetime | None = None,
) -> CheckResult:
    """The instant verdict (pure, fast: safe to call on the UI thread)."""
    try:
        from coach.check import check_offline
    except ImportError:
        return CheckResult(verdict="ok", advice=_UNAVAILABLE)
    return check_offline(draft, contact, channel, mutes=tuple(mutes), now=now)


async def full_check(
    draft: str,
    contact: Contact | None,
    channel: str | None,
    *,
    store: Store | None,
    llm: Any = None,
    on_delta: Callable[[str], None] | None = None,
    record: bool = True,
    mutes: Iterable[Mute] | None = None,
    now: datetime | None = None,
) -> CheckRecord:
    """Offline then (if `llm`) the streamed coaching, recorded in the history unless `record` is False."""
    try:
        from coach.check import run_check
    except ImportError:
        result = offline_check(draft, contact, channel)
        rec = CheckRecord(
            draft=draft,
            contact_id=contact.id if contact else None,
            contact_name=contact.name if contact else None,
            channel=channel,
            result=result,
        )
        if store is not None and record:
            store.add_check(rec)
        return rec
    return await run_check(
        draft, contact, channel, store=store, llm=llm, on_delta=on_delta, record=record,
        mutes=None if mutes is None else tuple(mutes), now=now,
    )
