"""The demo data in `sample_data/`: load it into a store, or into a fresh temporary home.

Times in the sample files are shifted on load so that the newest of them lands one day before
now: the demo relationships stay current however old the files are.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from coach.models import Contact, utcnow
from coach.paths import ensure_private_dir, sample_data_dir
from coach.store import Store


def _shift_times(doc: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    for key in ("interactions", "disclosures", "asks"):
        for item in doc.get(key, []):
            if item.get("at"):
                item["at"] = (datetime.fromisoformat(item["at"]) + delta).isoformat()
    return doc


def demo_contacts(now: datetime | None = None) -> list[Contact]:
    """The demo contacts, with times shifted to end one day before `now`."""
    raw = orjson.loads((sample_data_dir() / "contacts.json").read_bytes())
    reference = datetime.fromisoformat(raw["reference_time"])
    delta = (now or utcnow()) - timedelta(days=1) - reference
    return [Contact.model_validate(_shift_times(doc, delta)) for doc in raw["contacts"]]


def demo_drafts() -> list[dict[str, Any]]:
    """The demo drafts (batch input lines, plus `expect` and `why` for the tests)."""
    path = sample_data_dir() / "drafts.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def load_demo(store: Store) -> int:
    """Add the demo contacts that are not there yet (by id). Returns how many were added."""
    new = [c for c in demo_contacts() if store.get_contact(c.id) is None]
    return store.add_contacts(new) if new else 0


def make_demo_home() -> Path:
    """A fresh temporary home holding a copy of the demo data."""
    home = Path(tempfile.mkdtemp(prefix="coach-demo-"))
    ensure_private_dir(home)
    with Store(home / "data") as store:
        load_demo(store)
    return home
