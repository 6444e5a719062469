"""The Store facade. FIRST VERSION: plain TinyDB, correct but neither crash-safe nor fast.

The public methods (names, arguments, return types) are the contract; the storage underneath is
to be replaced by the crash-safe, multi-process, scalable layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from coach.errors import NotFoundError, UsageError
from coach.models import SCHEMA_VERSION, CheckRecord, Contact, Interaction, Mute, utcnow
from coach.paths import data_dir, ensure_private_dir


class Store:
    """Contacts (each with its interactions, disclosures, preferences and asks), the check
    history, mutes and saved drafts, under one data folder."""

    def __init__(self, root: Path) -> None:
        self.root = ensure_private_dir(Path(root))
        self._db = TinyDB(self.root / "coach.json")
        meta = self._db.table("meta")
        if not meta.all():
            meta.insert({"schema_version": SCHEMA_VERSION})

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.table("meta").all()[0]["schema_version"])

    def files(self) -> list[Path]:
        """The files that hold personal data (for doctor, export and forget)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file())

    # -- contacts --------------------------------------------------------------------------
    def add_contact(self, contact: Contact) -> Contact:
        if self.get_contact(contact.id) is not None:
            raise UsageError(f"A contact with id {contact.id} already exists.")
        self._db.table("contacts").insert(contact.model_dump(mode="json"))
        return contact

    def add_contacts(self, contacts: Iterable[Contact]) -> int:
        """Insert many contacts in one write (imports, demo data). Returns how many."""
        docs = [c.model_dump(mode="json") for c in contacts]
        self._db.table("contacts").insert_multiple(docs)
        return len(docs)

    def get_contact(self, contact_id: str) -> Contact | None:
        doc = self._db.table("contacts").get(Query().id == contact_id)
        return Contact.model_validate(doc) if doc else None

    def find_contact(self, name_or_id: str) -> Contact:
        """By id, else exact name, else preferred name, else unique case-insensitive prefix.

        Raises NotFoundError (none) or UsageError (ambiguous, listing the candidates)."""
        key = name_or_id.strip()
        found = self.get_contact(key)
        if found:
            return found
        low = key.casefold()
        contacts = self.list_contacts(limit=0)
        for test in (
            lambda c: c.name.casefold() == low,
            lambda c: c.preferred_name.casefold() == low,
            lambda c: c.name.casefold().startswith(low),
        ):
            hits = [c for c in contacts if test(c)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                names = ", ".join(f"{c.name} ({c.id})" for c in hits[:5])
                raise UsageError(
                    f"'{name_or_id}' matches {len(hits)} contacts: {names}.",
                    "Use the contact's id.",
                )
        raise NotFoundError(
            f"No contact named '{name_or_id}'.", "`coach contacts list` shows who is stored."
        )

    def update_contact(self, contact: Contact) -> Contact:
        contact.updated = utcnow()
        n = self._db.table("contacts").update(
            contact.model_dump(mode="json"), Query().id == contact.id
        )
        if not n:
            raise NotFoundError(f"No contact with id {contact.id}.")
        return contact

    def log_interaction(self, contact_id: str, interaction: Interaction) -> Contact:
        contact = self.get_contact(contact_id)
        if contact is None:
            raise NotFoundError(f"No contact with id {contact_id}.")
        contact.interactions.append(interaction)
        return self.update_contact(contact)

    def delete_contact(self, contact_id: str, *, with_history: bool = True) -> bool:
        """Forget a person: the contact, its mutes and (by default) its check history."""
        removed = self._db.table("contacts").remove(Query().id == contact_id)
        if with_history:
            self._db.table("history").remove(Query().contact_id == contact_id)
        self._db.table("mutes").remove(Query().contact_id == contact_id)
        return bool(removed)

    def list_contacts(self, limit: int = 50, search: str | None = None) -> list[Contact]:
        """Sorted by name; `limit` 0 means all; `search` matches name, preferred name, handles."""
        docs = self._db.table("contacts").all()
        if search:
            low = search.casefold()
            docs = [
                d
                for d in docs
                if low in d["name"].casefold()
                or low in d.get("preferred_name", "").casefold()
                or any(low in str(v).casefold() for v in d.get("handles", {}).values())
            ]
        docs.sort(key=lambda d: d["name"].casefold())
        if limit:
            docs = docs[:limit]
        return [Contact.model_validate(d) for d in docs]

    def count_contacts(self) -> int:
        return len(self._db.table("contacts"))

    # -- history ---------------------------------------------------------------------------
    def add_check(self, record: CheckRecord) -> CheckRecord:
        self._db.table("history").insert(record.model_dump(mode="json"))
        return record

    def get_check(self, check_id: str) -> CheckRecord | None:
        doc = self._db.table("history").get(Query().id == check_id)
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
        docs = self._filtered_checks(contact_id, verdict, since, until, text)
        docs = docs[offset : offset + limit] if limit else docs[offset:]
        return [CheckRecord.model_validate(d) for d in docs]

    def count_checks(
        self,
        *,
        contact_id: str | None = None,
        verdict: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
    ) -> int:
        return len(self._filtered_checks(contact_id, verdict, since, until, text))

    def _filtered_checks(
        self,
        contact_id: str | None,
        verdict: str | None,
        since: datetime | None,
        until: datetime | None,
        text: str | None,
    ) -> list[dict[str, Any]]:
        docs = list(self._db.table("history").all())
        out: list[dict[str, Any]] = []
        low = text.casefold() if text else None
        for d in docs:
            if contact_id and d.get("contact_id") != contact_id:
                continue
            if verdict and d["result"]["verdict"] != verdict:
                continue
            created = datetime.fromisoformat(d["created"])
            if since and created < since:
                continue
            if until and created > until:
                continue
            if low and low not in d["draft"].casefold():
                continue
            out.append(d)
        out.sort(key=lambda d: d["created"], reverse=True)
        return out

    def update_check(self, record: CheckRecord) -> CheckRecord:
        n = self._db.table("history").update(record.model_dump(mode="json"), Query().id == record.id)
        if not n:
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
        if record.contact_id:
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
        return bool(self._db.table("history").remove(Query().id == check_id))

    # -- mutes -----------------------------------------------------------------------------
    def add_mute(self, mute: Mute) -> Mute:
        self.remove_mute(mute.rule, mute.contact_id)
        self._db.table("mutes").insert(mute.model_dump(mode="json"))
        return mute

    def remove_mute(self, rule: str, contact_id: str | None = None) -> bool:
        q = Query()
        return bool(self._db.table("mutes").remove((q.rule == rule) & (q.contact_id == contact_id)))

    def list_mutes(self, contact_id: str | None = None) -> list[Mute]:
        """Global mutes plus, when `contact_id` is given, that contact's."""
        return [
            Mute.model_validate(d)
            for d in self._db.table("mutes").all()
            if d.get("contact_id") in (None, contact_id)
        ]

    # -- drafts (saved as you type) --------------------------------------------------------
    def save_draft(self, slot: str, text: str, **meta: Any) -> None:
        doc = {"slot": slot, "text": text, "meta": meta, "saved": utcnow().isoformat()}
        self._db.table("drafts").upsert(doc, Query().slot == slot)

    def get_draft(self, slot: str) -> dict[str, Any] | None:
        doc = self._db.table("drafts").get(Query().slot == slot)
        return dict(doc) if doc else None

    def delete_draft(self, slot: str) -> None:
        self._db.table("drafts").remove(Query().slot == slot)


def open_store(root: Path | None = None) -> Store:
    """Open the store under `root`, or the data dir (COACH_HOME / --home / platform default)."""
    return Store(root or data_dir())
