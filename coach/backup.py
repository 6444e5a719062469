"""A complete backup (contacts, history, mutes, drafts, schema version) and its restore; forget.

The backup is one JSON file that round-trips exactly: export, restore into an empty home, export
again gives the same data. A restore is validated whole before the first write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from coach.errors import ImportFailed, UsageError
from coach.export import write_private
from coach.imports.bulk import add_checks, all_drafts, all_mutes, in_one_transaction
from coach.imports.source import decode
from coach.models import SCHEMA_VERSION, CheckRecord, Contact, Mute, utcnow
from coach.store import Store

BACKUP_FORMAT = "coach-backup"
M = TypeVar("M", bound=BaseModel)


def snapshot(store: Store) -> dict[str, Any]:
    """Everything the store holds, as plain JSON-ready data."""
    contacts = store.list_contacts(limit=0)
    history = store.list_checks(limit=0)
    drafts = all_drafts(store)
    return {
        "format": BACKUP_FORMAT,
        # The records are model dumps, so the models' schema is what a restore must understand;
        # the store's own layout version is kept for the record only.
        "schema_version": SCHEMA_VERSION,
        "store_schema_version": store.schema_version,
        "exported": utcnow().isoformat(),
        "contacts": [c.model_dump(mode="json") for c in contacts],
        "history": [r.model_dump(mode="json") for r in reversed(history)],  # oldest first
        "mutes": [m.model_dump(mode="json") for m in all_mutes(store, [c.id for c in contacts])],
        "drafts": drafts if drafts is not None else [],
        "drafts_included": drafts is not None,
    }


def export_all(store: Store, path: Path) -> dict[str, int]:
    data = snapshot(store)
    write_private(path, orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    return {k: len(data[k]) for k in ("contacts", "history", "mutes", "drafts")}


@dataclass
class Backup:
    """A backup file read and validated, ready to restore."""

    schema_version: int
    contacts: list[Contact]
    history: list[CheckRecord]
    mutes: list[Mute]
    drafts: list[dict[str, Any]]

    def counts(self) -> dict[str, int]:
        return {"contacts": len(self.contacts), "history": len(self.history),
                "mutes": len(self.mutes), "drafts": len(self.drafts)}


def read_backup(path: Path) -> Backup:
    """Parse and validate the whole file; ImportFailed (naming the entry) on any problem."""
    name = path.name
    try:
        raw = path.expanduser().read_bytes()
    except OSError as exc:
        raise ImportFailed(f"Cannot read {path}: {exc.strerror or exc}.",
                           "Check the path.") from None
    text = decode(raw, name)
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise _bad(name, f"broken JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise _bad(name, "not a coach backup (made by `coach export --all`)")
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise _bad(name, "no valid schema_version")
    if version > SCHEMA_VERSION:
        raise ImportFailed(
            f"{name} was made by a newer coach (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}). Nothing was restored.", "Upgrade coach, then restore again.")
    out = Backup(version, _models(data, "contacts", Contact, name),
                 _models(data, "history", CheckRecord, name), _models(data, "mutes", Mute, name),
                 [])
    drafts = data.get("drafts", [])
    if not isinstance(drafts, list) or not all(
            isinstance(d, dict) and isinstance(d.get("slot"), str)
            and isinstance(d.get("text"), str) for d in drafts):
        raise _bad(name, "'drafts' must be a list of {slot, text, meta}")
    out.drafts = drafts
    ids = [c.id for c in out.contacts]
    if len(set(ids)) != len(ids):
        raise _bad(name, "two contacts share one id")
    return out


def _models(data: dict[str, Any], key: str, model: type[M], name: str) -> list[M]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise _bad(name, f"'{key}' is not a list")
    out: list[M] = []
    for n, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise _bad(name, f"{key}[{n}].{where}: {err['msg']}") from None
    return out


def _bad(name: str, reason: str) -> ImportFailed:
    return ImportFailed(f"Cannot restore {name}: {reason}. Nothing was restored; your data is "
                        "unchanged.", "Use a backup made by `coach export --all`.")


def is_empty(store: Store) -> bool:
    return store.count_contacts() == 0 and store.count_checks() == 0 and not store.list_mutes()


def clear(store: Store) -> None:
    """Remove every contact, check, mute and (when the store can list them) draft."""
    for c in store.list_contacts(limit=0):
        store.delete_contact(c.id, with_history=True)
    for r in store.list_checks(limit=0):
        store.delete_check(r.id)
    for m in store.list_mutes():
        store.remove_mute(m.rule, m.contact_id)
    for d in all_drafts(store) or []:
        store.delete_draft(d["slot"])


def restore(store: Store, backup: Backup, *, replace: bool = False) -> dict[str, int]:
    """Restore into an empty store, or (replace=True) wipe the store first."""
    if not is_empty(store) and not replace:
        raise UsageError(
            "This home already holds contacts, history or mutes; a restore would mix them.",
            "Add --replace to wipe them first (export --all them before, to be safe), "
            "or restore into another home with --home DIR.")
    with in_one_transaction(store):  # a failed restore leaves the old data, not half of each
        if replace:
            clear(store)
        _write(store, backup)
    return backup.counts()


def _write(store: Store, backup: Backup) -> None:
    if backup.contacts:
        store.add_contacts(backup.contacts)
    add_checks(store, backup.history)
    for m in backup.mutes:
        store.add_mute(m)
    for d in backup.drafts:
        meta: dict[str, Any] = d["meta"] if isinstance(d.get("meta"), dict) else {}
        store.save_draft(d["slot"], d["text"], **meta)


def forget(store: Store, contact: Contact) -> dict[str, int]:
    """Delete a person and everything about them: contact, history, mutes, drafts about them."""
    history = store.count_checks(contact_id=contact.id)
    # Checks against an inline contact (a batch line naming them) carry the name but no id.
    by_name = [r.id for r in store.list_checks(limit=0)
               if r.contact_id is None and (r.contact_name or "").casefold()
               == contact.name.casefold()]
    mutes = [m for m in store.list_mutes(contact.id) if m.contact_id == contact.id]
    drafts = [d for d in all_drafts(store) or [] if _draft_is_about(d, contact.id)]
    with in_one_transaction(store):
        store.delete_contact(contact.id, with_history=True)
        for check_id in by_name:
            store.delete_check(check_id)
        for m in mutes:  # the store removes them too; this covers stores that do not
            store.remove_mute(m.rule, m.contact_id)
        for d in drafts:
            store.delete_draft(d["slot"])
    return {"contacts": 1, "history": history + len(by_name), "mutes": len(mutes), "drafts": len(drafts),
            "interactions": len(contact.interactions)}


def _draft_is_about(draft: dict[str, Any], contact_id: str) -> bool:
    meta = draft.get("meta") or {}
    return (isinstance(meta, dict) and meta.get("contact_id") == contact_id) or (
        contact_id in str(draft.get("slot", "")).split(":"))
