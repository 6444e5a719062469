"""Bulk writes through the Store's public API, using its bulk methods when it has them.

The store is being rebuilt with (perhaps) bulk and transactional methods; these helpers use them
when present and fall back to one call per item otherwise, so imports and restores work on both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from coach.models import CheckRecord, Contact, Mute
from coach.store import Store


def in_one_transaction(store: Store) -> contextlib.AbstractContextManager[Any]:
    """The store's public transaction when it has one (all writes or none), else nothing."""
    transaction = getattr(store, "transaction", None)
    return transaction() if callable(transaction) else contextlib.nullcontext()


def update_contacts(store: Store, contacts: Sequence[Contact]) -> None:
    bulk = getattr(store, "update_contacts", None)
    if callable(bulk):
        bulk(contacts)
        return
    for c in contacts:
        store.update_contact(c)


def add_checks(store: Store, records: Sequence[CheckRecord]) -> None:
    bulk = getattr(store, "add_checks", None)
    if callable(bulk):
        bulk(records)
        return
    for r in records:
        store.add_check(r)


def all_mutes(store: Store, contact_ids: Sequence[str]) -> list[Mute]:
    """Global mutes and every contact's (the store lists one contact's at a time)."""
    lister = getattr(store, "list_all_mutes", None)
    if callable(lister):
        return list(lister())
    mutes = store.list_mutes(None)
    seen = {(m.rule, m.contact_id) for m in mutes}
    for cid in contact_ids:
        for m in store.list_mutes(cid):
            if (m.rule, m.contact_id) not in seen:
                seen.add((m.rule, m.contact_id))
                mutes.append(m)
    return mutes


def all_drafts(store: Store) -> list[dict[str, Any]] | None:
    """Every saved draft, or None when this store cannot list them."""
    lister = getattr(store, "list_drafts", None)
    return [dict(d) for d in lister()] if callable(lister) else None
