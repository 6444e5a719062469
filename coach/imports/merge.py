"""Turn the people an importer found into contact changes: merge duplicates, match stored contacts.

Rules: the same identity key (email, profile slug, handle, account id) is one person; an import
only fills fields that are still empty and adds interactions not already logged, so a user's
own edits always win and re-importing the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from coach.errors import ImportFailed
from coach.imports.people import FILLABLE, Person, contact_keys, interaction_key
from coach.models import CONTEXTS, STAGES, Contact, utcnow


@dataclass
class Change:
    """One contact the import adds or changes, as it will be stored."""

    contact: Contact
    is_new: bool
    origin: str
    added_interactions: int = 0
    filled: list[str] = field(default_factory=list)


def identity(p: Person) -> set[str]:
    """A person's keys; without a lasting one, also the name within its source (so re-imports
    still match). A coach id (from our own vCard export) only lasts in the home it came from."""
    if any(not k.startswith("coach:") for k in p.keys):
        return p.keys
    return p.keys | {f"name:{p.source}:{p.name.casefold()}"}


def group_people(persons: list[Person]) -> list[Person]:
    """Merge the people that share any identity key (union-find), keeping first-seen order."""
    parent = list(range(len(persons)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, p in enumerate(persons):
        for key in identity(p):
            j = owner.setdefault(key, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Person]] = {}
    for i, p in enumerate(persons):
        groups.setdefault(root(i), []).append(p)
    return [_combine(members) for members in groups.values()]


def _combine(members: list[Person]) -> Person:
    if len(members) == 1:
        return members[0]
    named = [m for m in members if not m.placeholder_name] or members
    first = named[0]
    out = Person(name=first.name, source=first.source, origin=members[0].origin,
                 placeholder_name=first.placeholder_name)
    for m in members:
        out.keys |= identity(m)
        for kind, value in m.handles.items():
            _add_handle(out.handles, kind, value)
        for name, value in m.fields.items():
            if value and not out.fields.get(name):
                out.fields[name] = value
        out.interactions.extend(m.interactions)
    return out


def _add_handle(handles: dict[str, str], kind: str, value: str) -> bool:
    """Add a handle unless that value is already there; emails and phones may be several."""
    if value.casefold() in (v.casefold() for v in handles.values()):
        return False
    base = kind.split("_")[0] if kind.startswith(("email", "phone")) else kind
    if base not in handles:
        handles[base] = value
        return True
    if base in ("email", "phone"):
        n = 2
        while f"{base}_{n}" in handles:
            n += 1
        handles[f"{base}_{n}"] = value
        return True
    return False


def plan_changes(
    people: list[Person], existing: list[Contact]
) -> tuple[list[Change], int, list[list[Contact]]]:
    """The changes (new contacts first-seen order, then merges), how many matched unchanged,
    and groups of stored contacts this import shows to be one person.

    Stored contacts are never merged with each other automatically (which one's edits would
    win?); the groups are reported so the person can merge them."""
    index: dict[str, Contact] = {}
    for c in sorted(existing, key=lambda c: c.created):
        names = {f"name:{s}:{c.name.casefold()}" for s in c.sources}
        for key in contact_keys(c) | names | {f"coach:{c.id}"}:
            index.setdefault(key, c)
    now = utcnow()  # one time for the whole import (and no clock call per contact)
    working: dict[str, Change] = {}  # stored contact id -> its change (two groups may hit one)
    new: list[Change] = []
    new_by_id: dict[str, Change] = {}
    matched: set[str] = set()
    duplicates: dict[tuple[str, ...], list[Contact]] = {}
    for p in group_people(people):
        keys = sorted(identity(p))
        hits = list({index[k].id: index[k] for k in keys if k in index}.values())
        target = hits[0] if hits else None
        stored = [c for c in hits if c.id not in new_by_id]
        if len(stored) > 1:
            duplicates.setdefault(tuple(sorted(c.id for c in stored)), stored)
        if target is None:
            contact = _new_contact(p, now)
            change = Change(contact, is_new=True, origin=p.origin,
                            added_interactions=len(contact.interactions))
            new.append(change)
            new_by_id[change.contact.id] = change
            for key in keys:  # later groups in this import may match it too
                index[key] = change.contact
            continue
        if target.id in new_by_id:
            _fill(new_by_id[target.id], p)
            continue
        matched.add(target.id)
        # `target` is this plan's own copy (loaded for it), so filling it in place is safe.
        change = working.get(target.id) or Change(target, is_new=False,
                                                  origin=p.origin)
        if _fill(change, p):
            working[target.id] = change
    merged = [ch for ch in working.values() if ch.filled or ch.added_interactions]
    return new + merged, len(matched) - len(merged), list(duplicates.values())


def _new_contact(p: Person, now: datetime) -> Contact:
    fields = {k: v for k, v in p.fields.items() if k in FILLABLE and v}
    if fields.get("stage") not in STAGES:
        fields.pop("stage", None)
    context = p.fields.get("context", "personal")
    seen: set[tuple[str, str, str, str]] = set()
    interactions = []
    for i in sorted(p.interactions, key=lambda i: i.at):
        key = interaction_key(i)
        if key not in seen:
            seen.add(key)
            interactions.append(i)
    try:
        return Contact(
            name=p.name, context=context if context in CONTEXTS else "personal",
            handles=dict(p.handles), interactions=interactions, sources=[p.source],
            created=now, updated=now, **fields,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ImportFailed(
            f"Cannot import {p.origin}: {where}: {err['msg']}. Nothing was imported; your data "
            "is unchanged.", "Fix that entry in the file and import again.",
        ) from None


def _made_up_name(c: Contact) -> bool:
    """Names importers invent when a file has none: "X user 123", "@handle", a profile slug."""
    made_up = {f"X user {c.handles.get('x_id', '')}", c.handles.get("x", "")}
    slug = c.handles.get("linkedin", "").rstrip("/").rsplit("/", 1)[-1]
    return c.name in made_up or (bool(slug) and c.name == slug)


def _fill(change: Change, p: Person) -> bool:
    """Add what the stored contact lacks; never replace what is there. True if anything changed."""
    c = change.contact
    before = (len(change.filled), change.added_interactions)
    if not p.placeholder_name and p.name != c.name and _made_up_name(c):
        c.name = p.name  # an import made that name up; a real one is better (and not an edit)
        change.filled.append("name")
    for name in FILLABLE:
        value = p.fields.get(name, "")
        if not value or getattr(c, name):
            continue
        if name == "stage" and value not in STAGES:
            continue
        setattr(c, name, value)
        change.filled.append(name)
    for kind, value in p.handles.items():
        if _add_handle(c.handles, kind, value):
            change.filled.append(f"handles.{kind}")
    known = {interaction_key(i) for i in c.interactions}
    fresh = []
    for i in sorted(p.interactions, key=lambda i: i.at):
        key = interaction_key(i)
        if key not in known:
            known.add(key)
            fresh.append(i)
    if fresh:
        c.interactions = sorted([*c.interactions, *fresh], key=lambda i: i.at)
        change.added_interactions += len(fresh)
    if p.source not in c.sources and (fresh or len(change.filled) > before[0]):
        c.sources.append(p.source)
    return (len(change.filled), change.added_interactions) != before
