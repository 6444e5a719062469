"""What an importer hands back: people found in a file, with identity keys and interactions.

Identity keys are how one person found in two places becomes one contact: a normalised email,
a LinkedIn `/in/<slug>`, an X account id or handle. Phone numbers are kept but never merge
people (an office switchboard is many people).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC

from coach.models import Contact, Interaction

# Fields an import may fill on a contact, and only when they are still empty (user edits win).
FILLABLE = ("preferred_name", "pronouns", "how_met", "notes", "stage")

_LINKEDIN_SLUG = re.compile(r"linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE)
_X_HANDLE = re.compile(
    r"(?:twitter|x)\.com/(?!intent/|i/|home\b|search\b)@?([A-Za-z0-9_]{1,15})\b", re.IGNORECASE
)


@dataclass
class Person:
    """One person as one file describes them; several may merge into one contact."""

    name: str
    source: str  # "import:linkedin", "import:x", "import:vcard", "import:google"
    origin: str  # where in the input (file and line), shown in previews
    keys: set[str] = field(default_factory=set)
    handles: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # FILLABLE fields and "context"
    interactions: list[Interaction] = field(default_factory=list)
    placeholder_name: bool = False  # True when the name is made up ("X user 123")

    def add_email(self, email: str) -> None:
        email = email.strip()
        if "@" not in email:
            return
        self.keys.add("email:" + email.casefold())
        existing = [k for k in self.handles if k == "email" or k.startswith("email_")]
        if email.casefold() in (self.handles[k].casefold() for k in existing):
            return
        self.handles["email" if not existing else f"email_{len(existing) + 1}"] = email

    def add_phone(self, phone: str) -> None:
        digits = re.sub(r"\D", "", phone)
        if len(digits) < 7:
            return
        # Not an identity key: a shared office or household number is not one person.
        existing = [k for k in self.handles if k == "phone" or k.startswith("phone_")]
        if any(re.sub(r"\D", "", self.handles[k])[-10:] == digits[-10:] for k in existing):
            return
        self.handles["phone" if not existing else f"phone_{len(existing) + 1}"] = phone.strip()

    def add_url(self, url: str) -> None:
        """A profile or web URL: LinkedIn and X profiles become identity keys, others a handle."""
        url = url.strip()
        if not url:
            return
        slug = linkedin_slug(url)
        if slug:
            self.keys.add("linkedin:" + slug)
            self.handles.setdefault("linkedin", f"https://www.linkedin.com/in/{slug}")
            return
        handle = x_handle(url)
        if handle:
            self.add_x_handle(handle)
            return
        if "website" not in self.handles:
            self.handles["website"] = url

    def add_x_handle(self, handle: str) -> None:
        handle = handle.strip().lstrip("@")
        if handle:
            self.keys.add("xh:" + handle.casefold())
            self.handles.setdefault("x", "@" + handle)

    def add_x_id(self, account_id: str) -> None:
        self.keys.add("x:" + account_id)
        self.handles.setdefault("x_id", account_id)


def linkedin_slug(url: str) -> str | None:
    m = _LINKEDIN_SLUG.search(url)
    return m.group(1).casefold().rstrip("/") if m else None


def x_handle(url: str) -> str | None:
    m = _X_HANDLE.search(url)
    return m.group(1) if m else None


def contact_keys(contact: Contact) -> set[str]:
    """The identity keys of a stored contact, from its handles (whoever set them)."""
    p = Person(name=contact.name, source="", origin="")
    for kind, value in contact.handles.items():
        kind = kind.casefold()
        if kind.startswith("email"):
            p.add_email(value)
        elif kind.startswith("phone"):
            p.add_phone(value)
        elif kind == "x_id":
            p.add_x_id(value)
        elif kind in ("x", "twitter"):
            p.add_x_handle(x_handle(value) or value)
        elif kind == "linkedin":
            slug = linkedin_slug(value)
            p.keys.add("linkedin:" + (slug or value.strip().strip("/").casefold()))
    return p.keys


def interaction_key(i: Interaction) -> tuple[str, str, str, str]:
    """Stable across re-imports: the same message from the same file gives the same key."""
    return (i.direction, i.at.astimezone(UTC).isoformat(), i.channel, i.text)


@dataclass
class Parsed:
    """Everything one importer read: the people, which files, and what it passed over and why."""

    format: str
    persons: list[Person] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # reason -> rows

    def ignore(self, reason: str, n: int = 1) -> None:
        self.ignored[reason] = self.ignored.get(reason, 0) + n
