"""An import, planned whole in memory before the first write, then applied in a few store calls.

`plan_import` reads and validates everything (any problem raises ImportFailed and nothing is
written); `apply_plan` writes new contacts in one bulk call and the merged ones after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import UsageError
from coach.imports import detect, google, linkedin, vcard, x_archive
from coach.imports.bulk import in_one_transaction, update_contacts
from coach.imports.merge import Change, plan_changes
from coach.imports.people import Parsed
from coach.imports.progress import Progress, no_progress
from coach.imports.source import Bundle
from coach.store import Store

_PARSERS = {"linkedin": linkedin.parse, "x": x_archive.parse, "vcard": vcard.parse,
            "google": google.parse}
SAMPLE_SIZE = 5


@dataclass
class ImportPlan:
    """What an import would do: counts, a sample, and the contacts ready to store."""

    format: str
    path: str
    files: list[str]
    changes: list[Change]
    unchanged: int
    ignored: dict[str, int] = field(default_factory=dict)
    # Stored contacts this export shows to be one person, as (id, name): merge them by hand.
    duplicates: list[list[tuple[str, str]]] = field(default_factory=list)
    applied: bool = False

    @property
    def new(self) -> list[Change]:
        return [c for c in self.changes if c.is_new]

    @property
    def merged(self) -> list[Change]:
        return [c for c in self.changes if not c.is_new]

    @property
    def interactions(self) -> int:
        return sum(c.added_interactions for c in self.changes)

    def sample(self, n: int = SAMPLE_SIZE) -> list[dict[str, Any]]:
        picks = self.new[:n] + self.merged[:n]
        return [
            {
                "action": "add" if c.is_new else "merge",
                "name": c.contact.name,
                "id": c.contact.id,
                "from": c.origin,
                "handles": dict(c.contact.handles),
                "new_interactions": c.added_interactions,
                "filled": [] if c.is_new else list(c.filled),
            }
            for c in picks
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "path": self.path,
            "files": self.files,
            "add": len(self.new),
            "merge": len(self.merged),
            "skip": self.unchanged + sum(self.ignored.values()),
            "unchanged": self.unchanged,
            "ignored": dict(self.ignored),
            "interactions": self.interactions,
            "sample": self.sample(),
            "possible_duplicates": [[{"id": i, "name": n} for i, n in g]
                                    for g in self.duplicates],
            "applied": self.applied,
        }

    def describe(self) -> list[str]:
        """The preview as lines of text, for the CLI and the import screen alike."""
        lines = [
            f"{self.format} export {self.path} ({len(self.files)} file(s))",
            f"  add {len(self.new)} contact(s), merge into {len(self.merged)}, "
            f"skip {self.unchanged + sum(self.ignored.values())}; "
            f"{self.interactions} new interaction(s)",
        ]
        if self.unchanged:
            lines.append(f"  {self.unchanged} already up to date")
        for reason, n in sorted(self.ignored.items()):
            if n:
                lines.append(f"  skipped {n} {reason}")
        for group in self.duplicates:
            names = ", ".join(f"{n} ({i})" for i, n in group)
            lines.append(f"  note: these stored contacts look like one person: {names}; "
                         "the first was updated")
        for s in self.sample():
            extra = f", fills {', '.join(s['filled'])}" if s["filled"] else ""
            lines.append(f"  {s['action']:5} {s['name']} ({s['new_interactions']} "
                         f"interaction(s){extra}) from {s['from']}")
        return lines


def plan_import(
    store: Store, path: str | Path, fmt: str = "auto", progress: Progress = no_progress
) -> ImportPlan:
    """Read and check the whole input; raises ImportFailed (nothing written) on any problem."""
    bundle = Bundle.open(Path(path).expanduser())
    if fmt == "auto":
        fmt = detect.detect(bundle)
    if fmt not in _PARSERS:
        raise UsageError(f"Unknown import format '{fmt}'.",
                         "Use auto, linkedin, x, vcard or google.")
    parsed: Parsed = _PARSERS[fmt](bundle, progress)
    existing = store.list_contacts(limit=0)
    changes, unchanged, duplicates = plan_changes(parsed.persons, existing)
    return ImportPlan(fmt, str(path), parsed.files, changes, unchanged, parsed.ignored,
                      [[(c.id, c.name) for c in group] for group in duplicates])


def apply_plan(store: Store, plan: ImportPlan) -> ImportPlan:
    """Write the plan: all new contacts in one bulk insert, then the merged ones."""
    if plan.applied:
        return plan
    new = [c.contact for c in plan.new]
    merged = [c.contact for c in plan.merged]
    with in_one_transaction(store):
        if new:
            store.add_contacts(new)
        if merged:
            update_contacts(store, merged)
    plan.applied = True
    return plan
