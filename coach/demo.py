"""The demo data in `sample_data/`: load it into a store, or into a fresh temporary home.

Times in the sample files are shifted on load by whole days so that the newest of them lands
yesterday, at the hour it was written: the demo relationships stay current however old the files are. Loading also writes a
coaching history: each message you sent in the demo was checked just before it went out (with
the relationship as it stood then), so the history screen and its pace charts have something
to show.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from coach.models import CheckRecord, Contact, utcnow
from coach.paths import ensure_private_dir, sample_data_dir
from coach.store import Store


def _shift_times(doc: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    for key in ("interactions", "disclosures", "asks"):
        for item in doc.get(key, []):
            if item.get("at"):
                item["at"] = (datetime.fromisoformat(item["at"]) + delta).isoformat()
    return doc


def demo_contacts(now: datetime | None = None) -> list[Contact]:
    """The demo contacts, with times shifted by whole days to end yesterday."""
    raw = orjson.loads((sample_data_dir() / "contacts.json").read_bytes())
    reference = datetime.fromisoformat(raw["reference_time"])
    # Whole days, so each message keeps the hour it was written at (a reply at 3 a.m. would
    # raise quiet-hours flags the demo never meant): the newest lands yesterday.
    delta = timedelta(days=((now or utcnow()).date() - reference.date()).days - 1)
    return [Contact.model_validate(_shift_times(doc, delta)) for doc in raw["contacts"]]


def demo_drafts() -> list[dict[str, Any]]:
    """The demo drafts (batch input lines, plus `expect` and `why` for the tests)."""
    path = sample_data_dir() / "drafts.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def load_demo(store: Store) -> int:
    """Add the demo contacts that are not there yet (by id), with their coaching history.
    Returns how many contacts were added."""
    new = [c for c in demo_contacts() if store.get_contact(c.id) is None]
    if not new:
        return 0
    added = store.add_contacts(new)
    store.add_checks(demo_history(new))
    return added


def _as_of(contact: Contact, at: datetime) -> Contact:
    """The contact as it stood just before `at`: what had passed between you by then."""
    return contact.model_copy(update={
        "interactions": [i for i in contact.interactions if i.at < at],
        "disclosures": [d for d in contact.disclosures if d.at is None or d.at < at],
        "asks": [a for a in contact.asks if a.at is None or a.at < at],
    })


_SPOKEN = frozenset({"call", "meeting", "in_person"})


def demo_history(contacts: list[Contact]) -> list[CheckRecord]:
    """One offline check per message you sent, two minutes before it went out, marked sent."""
    from coach.check import check_offline  # the analysis loads only when there is a demo

    records = []
    for contact in contacts:
        for item in contact.interactions:
            # Meetings and calls are notes about a conversation, not drafts anyone checked.
            if item.direction != "out" or not item.text.strip() or item.channel in _SPOKEN:
                continue
            checked = item.at - timedelta(minutes=2)
            result = check_offline(item.text, _as_of(contact, item.at), item.channel, now=checked)
            records.append(CheckRecord(
                created=checked, draft=item.text, contact_id=contact.id,
                contact_name=contact.name, channel=item.channel, result=result,
                timings={"offline_ms": result.elapsed_ms}, sent=True, sent_at=item.at,
            ))
    return records


def make_demo_home() -> Path:
    """A fresh temporary home holding a copy of the demo data."""
    home = Path(tempfile.mkdtemp(prefix="coach-demo-"))
    ensure_private_dir(home)
    with Store(home / "data") as store:
        load_demo(store)
    return home
