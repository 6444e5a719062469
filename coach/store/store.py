"""The Store facade: contacts, check history, mutes and drafts over two journaled TinyDB folders.

Every write is one fsync'd journal line (all or nothing) under a file lock, so the UI and
`coach check` in another terminal can write at the same time; every read first catches up with
what other processes wrote. History is split by ISO week (layout.py) and read newest week first.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query

from coach.errors import NotFoundError, UsageError
from coach.models import CheckRecord, Contact, Interaction, Mute, utcnow
from coach.paths import data_dir, ensure_private_dir
from coach.store import layout, upgrades
from coach.store.history import History
from coach.store.people import People, fold_name


class Store:
    """Contacts (each with its interactions, disclosures, preferences and asks), the check
    history, mutes and saved drafts, under one data folder."""

    def __init__(self, root: Path) -> None:
        self.root = ensure_private_dir(Path(root))
        self._version = upgrades.upgrade(self.root)
        self._people = layout.open_people(self.root)
        self.people = People(self._people)
        self.history = History(layout.open_history(self.root))

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Cheap: closes two lock files and two journals; every write is already on disk."""
        self._people.close()
        self.history.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._version

    def files(self) -> list[Path]:
        """The files that hold personal data (for doctor, export and forget)."""
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.is_file() and p.name not in (".lock", ".upgrade.lock") and ".tmp" not in p.name
        )

    # -- contacts --------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: contacts, mutes and drafts written inside are kept all or none (one
        journal line). History writes inside are all or none too, in their own folder and
        journal, committed just before the contacts: a crash between the two keeps the history
        part only."""
        with self._people.transaction(), self.history.db.transaction():
            yield

    def add_contact(self, contact: Contact) -> Contact:
        with self._people.transaction():
            if self.people.find(contact.id) is not None:
                raise UsageError(f"A contact with id {contact.id} already exists.")
            self.people.insert(contact.model_dump(mode="json"))
        return contact

    def add_contacts(self, contacts: Iterable[Contact]) -> int:
        """Insert many contacts in one write (imports, demo data). Returns how many."""
        return self.people.insert_many(c.model_dump(mode="json") for c in contacts)

    def get_contact(self, contact_id: str) -> Contact | None:
        doc = self.people.get(contact_id)
        return Contact.model_validate(doc) if doc else None

    def find_contact(self, name_or_id: str) -> Contact:
        """By id, else exact name, else preferred name, else unique case-insensitive prefix of
        the name, else of any later word of the name or preferred name ("eriksen", "reye").

        Raises NotFoundError (none; naming the closest names, if any) or UsageError (ambiguous,
        listing the candidates)."""
        key = name_or_id.strip()
        found = self.get_contact(key)
        if found:
            return found
        low = fold_name(key)
        # Match on the names in the indexes; only the hits are read and become models.
        entries = self.people.names()  # sorted by casefolded name: bisect, don't scan
        start = bisect.bisect_left(entries, (low,))

        def by_name(exact: bool) -> list[tuple[str, str, str, str, str, str]]:
            hits = []
            for e in entries[start:]:
                if not e[0].startswith(low) or (exact and e[0] != low):
                    break
                hits.append(e)
            return hits

        def by_word() -> list[tuple[str, str, str, str, str, str]]:
            # A surname or a middle word: "eriksen" for "Lars Eriksen". Whole keys only ("lars
            # e" is a prefix of the name, handled above), and each contact once.
            if not low or any(ch.isspace() for ch in low):
                return []
            return [e for e in entries if any(w.startswith(low) for w in _later_words(e))]

        for pick in (
            lambda: by_name(True),
            lambda: [e for e in entries if e[1] == low],
            lambda: by_name(False),
            by_word,
        ):
            hits = pick()
            if len(hits) == 1:
                return Contact.model_validate(self.people.fetch([(hits[0][4], hits[0][5])])[0])
            if len(hits) > 1:
                docs = self.people.fetch([(e[4], e[5]) for e in hits[:5]])
                names = ", ".join(f"{d['name']} ({d['id']})" for d in docs)
                raise UsageError(
                    f"'{name_or_id}' matches {len(hits)} contacts: {names}.",
                    "Use the contact's id.",
                )
        # Close to a whole name or to one of its words ("sofa" is close to "sofia", not to
        # "sofia marin").
        keys: dict[str, str] = {}
        for e in entries:
            for k in (e[0], *e[0].split(), e[1], *e[1].split()):
                if k:
                    keys.setdefault(k, e[2])
        close = list(dict.fromkeys(
            keys[c] for c in difflib.get_close_matches(low, keys, n=6, cutoff=0.6)))[:3]
        if close:
            hint = "Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        else:
            hint = "`coach contacts list` shows who is stored."
        raise NotFoundError(f"No contact named '{name_or_id}'.", hint)

    def update_contact(self, contact: Contact) -> Contact:
        contact.updated = utcnow()
        with self._people.transaction():
            found = self.people.find(contact.id)
            if found is None:
                raise NotFoundError(f"No contact with id {contact.id}.")
            self.people.replace(found[0], found[1], contact.model_dump(mode="json"))
        return contact

    def update_contacts(self, contacts: Iterable[Contact]) -> int:
        """Update many contacts in one transaction (imports): all of them or none."""
        n = 0
        with self._people.transaction():
            for contact in contacts:
                self.update_contact(contact)
                n += 1
        return n

    def log_interaction(self, contact_id: str, interaction: Interaction) -> Contact:
        with self._people.transaction():  # read-modify-write under one lock
            contact = self.get_contact(contact_id)
            if contact is None:
                raise NotFoundError(f"No contact with id {contact_id}.")
            if interaction.source.startswith("check:") and any(
                i.source == interaction.source for i in contact.interactions
            ):
                return contact  # already logged (a retry after a crash between two writes)
            contact.interactions.append(interaction)
            return self.update_contact(contact)

    def change_contact(self, contact_id: str, change: Callable[[Contact], object]) -> Contact:
        """Read a contact, let `change` edit it in place, write it back: all under the lock, so
        what another process wrote meanwhile is read first, never overwritten. If `change`
        raises, nothing is written. (The app's disclosure, preference and request forms.)"""
        with self._people.transaction():
            contact = self.get_contact(contact_id)
            if contact is None:
                raise NotFoundError(
                    f"No contact with id {contact_id}.",
                    "It may have been deleted elsewhere; reload the contacts list.",
                )
            change(contact)
            return self.update_contact(contact)

    def delete_contact(self, contact_id: str, *, with_history: bool = True) -> bool:
        """Forget a person: the contact, its mutes and (by default) its check history.

        History goes first, so a crash in between leaves the contact to delete again, never
        history pointing at nobody."""
        if with_history:
            self.history.delete_for_contact(contact_id)
        q = Query()
        with self._people.transaction():
            found = self.people.find(contact_id)
            if found is not None:
                self.people.remove(found[0], found[1])
            self._people.table("mutes").remove(q.contact_id == contact_id)
        return found is not None

    def list_contacts(self, limit: int = 50, search: str | None = None) -> list[Contact]:
        """Sorted by name; `limit` 0 means all; `search` matches name, preferred name, handles."""
        if search:  # handles are not indexed: read everyone, one table at a time
            low = fold_name(search)
            docs = [
                d
                for d in self.people.scan()
                if low in fold_name(d["name"])
                or low in fold_name(d.get("preferred_name") or "")
                or any(low in fold_name(str(v)) for v in d.get("handles", {}).values())
            ]
            docs.sort(key=lambda d: fold_name(d["name"]))
            if limit:
                docs = docs[:limit]
        else:
            entries = self.people.names()
            if limit:
                entries = entries[:limit]
            docs = self.people.fetch([(e[4], e[5]) for e in entries])
        return [Contact.model_validate(d) for d in docs]

    def count_contacts(self) -> int:
        return self.people.count()

    # -- history ---------------------------------------------------------------------------
    def add_check(self, record: CheckRecord) -> CheckRecord:
        self.history.add(record)
        return record

    def add_checks(self, records: Iterable[CheckRecord]) -> int:
        """Many records at once (imports, benchmarks): one snapshot write per touched table."""
        return self.history.add_many(records)

    def get_check(self, check_id: str) -> CheckRecord | None:
        doc = self.history.get(check_id)
        return CheckRecord.model_validate(doc) if doc else None

    def list_checks(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        contact_id: str | None = None,
        verdict: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
    ) -> list[CheckRecord]:
        """Newest first. `limit` 0 means all. `text` searches the draft, case-insensitively."""
        docs = self.history.newest(
            limit,
            offset,
            contact_id=contact_id,
            verdict=verdict,
            since=since,
            until=until,
            text=text,
        )
        return [CheckRecord.model_validate(d) for d in docs]

    def iter_checks(self, **filters: Any) -> Iterator[CheckRecord]:
        """Every matching record, newest first, one week in memory at a time (exports)."""
        for doc in self.history.iter_newest(**filters):
            yield CheckRecord.model_validate(doc)

    def count_checks(
        self,
        *,
        contact_id: str | None = None,
        verdict: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
    ) -> int:
        return self.history.count(
            contact_id=contact_id, verdict=verdict, since=since, until=until, text=text
        )

    def update_check(self, record: CheckRecord) -> CheckRecord:
        if not self.history.update(record):
            raise NotFoundError(f"No history record with id {record.id}.")
        return record

    def mark_sent(self, check_id: str, at: datetime | None = None) -> CheckRecord:
        """Mark a checked draft as sent: it then counts as evidence (an outgoing interaction)."""
        record = self.get_check(check_id)
        if record is None:
            raise NotFoundError(f"No history record with id {check_id}.")
        if record.sent:
            return record
        record.sent = True
        record.sent_at = at or utcnow()
        if record.contact_id and self.get_contact(record.contact_id) is not None:
            # Logged first and deduplicated by source, so a crash before the record is marked
            # sent cannot log the message twice when mark_sent is retried.
            self.log_interaction(
                record.contact_id,
                Interaction(
                    direction="out",
                    at=record.sent_at,
                    channel=record.channel or "dm",
                    text=record.draft,
                    source=f"check:{record.id}",
                ),
            )
        return self.update_check(record)

    def delete_check(self, check_id: str) -> bool:
        return self.history.delete(check_id)

    # -- mutes -----------------------------------------------------------------------------
    def add_mute(self, mute: Mute) -> Mute:
        with self._people.transaction():
            self.remove_mute(mute.rule, mute.contact_id)
            self._people.table("mutes").insert(mute.model_dump(mode="json"))
        return mute

    def remove_mute(self, rule: str, contact_id: str | None = None) -> bool:
        q = Query()
        return bool(
            self._people.table("mutes").remove((q.rule == rule) & (q.contact_id == contact_id))
        )

    def list_all_mutes(self) -> list[Mute]:
        """Every mute, global and per contact (backups, exports)."""
        return [Mute.model_validate(d) for d in self._people.table("mutes").all()]

    def list_mutes(self, contact_id: str | None = None) -> list[Mute]:
        """Global mutes plus, when `contact_id` is given, that contact's."""
        return [
            Mute.model_validate(d)
            for d in self._people.table("mutes").all()
            if d.get("contact_id") in (None, contact_id)
        ]

    # -- drafts (saved as you type) --------------------------------------------------------
    def save_draft(self, slot: str, text: str, **meta: Any) -> None:
        doc = {"slot": slot, "text": text, "meta": meta, "saved": utcnow().isoformat()}
        self._people.table("drafts").upsert(doc, Query().slot == slot)

    def get_draft(self, slot: str) -> dict[str, Any] | None:
        doc = self._people.table("drafts").get(Query().slot == slot)
        return dict(doc) if isinstance(doc, dict) else None

    def delete_draft(self, slot: str) -> None:
        self._people.table("drafts").remove(Query().slot == slot)

    def list_drafts(self) -> list[dict[str, Any]]:
        """Every saved draft (for the backup, and for forgetting a person's drafts)."""
        return [dict(d) for d in self._people.table("drafts").all()]


def _later_words(entry: tuple[str, str, str, str, str, str]) -> list[str]:
    """The words after the first of a names entry's name and preferred name (casefolded): the
    first word is already covered by the prefix match."""
    return entry[0].split()[1:] + entry[1].split()[1:]


def open_store(root: Path | None = None) -> Store:
    """Open the store under `root`, or the data dir (COACH_HOME / --home / platform default)."""
    return Store(root or data_dir())
