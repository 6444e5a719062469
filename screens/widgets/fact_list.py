"""The relationship's entries the checks weigh, one per line, to edit (Enter) or remove (x):
what each side disclosed, the contact's stated preferences (in their words), the requests and the
recent messages and meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.models import Ask, Contact, Disclosure, Interaction, Preference
from coach.timefmt import shown

DEPTHS = ("outer", "light", "personal", "core")
Entry = Disclosure | Preference | Ask | Interaction
# Newest messages listed to edit; older ones stay in the store (an import can bring thousands).
INTERACTIONS_LISTED = 20


def disclosure_text(d: Disclosure) -> Text:
    who = "They told you" if d.who == "them" else "You told them"
    where = "in private" if d.private else "in public"
    line = Text(f"{who}: {d.topic} ({DEPTHS[d.depth]}, {where})")
    if d.summary:
        line.append(f" — {d.summary}", style="dim")
    return line


def preference_text(p: Preference) -> Text:
    line = Text(f"{p.kind.replace('_', ' ')}: {p.value}")
    if p.quote:
        line.append(f'  "{p.quote}"', style="italic dim")
    return line


def request_text(a: Ask) -> Text:
    who = "They asked" if a.who == "them" else "You asked"
    answer = {"open": "not answered yet", "granted": "granted", "declined": "declined"}[a.status]
    return Text(f"{who}: {a.what} ({a.size}, {answer})")


def interaction_text(i: Interaction) -> Text:
    who = "They wrote" if i.direction == "in" else "You wrote"
    where = "public" if i.is_public else "private"
    line = Text(f"{who} · {shown(i.at)} · {i.channel.replace('_', ' ')}, {where}")
    if i.text:
        words = " ".join(i.text.split())
        line.append(f" — {words[:60]}{'…' if len(words) > 60 else ''}", style="dim")
    return line


RENDER = {
    "disclosure": disclosure_text,
    "preference": preference_text,
    "request": request_text,
    "interaction": interaction_text,
}


def entry_text(kind: str, entry: Entry) -> Text:
    return RENDER[kind](entry)  # type: ignore[operator]


class FactList(OptionList):
    """Disclosures, stated preferences and requests of the selected contact. Enter (or e) edits
    the highlighted entry, x removes it (after a confirmation); a adds one."""

    DEFAULT_CSS = """
    FactList {
        border: none; padding: 0; margin-top: 1; background: transparent;
        height: auto; max-height: 100%;
    }
    FactList:focus { border: none; }
    FactList > .option-list--option-disabled { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter is OptionList's own (select), named here so F1 lists it and a keymap can change
        # it. e too: in this list the footer's "e Edit" should edit the entry, not the contact.
        Binding("e,enter", "select", "Edit the highlighted entry", id="edit_entry", show=False),
        Binding("x,delete", "remove", "Remove", id="remove_entry",
                tooltip="Remove the highlighted disclosure, preference, request or message"),
    ]

    @dataclass
    class RemoveRequested(Message):
        kind: str
        entry: Entry

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: dict[str, tuple[str, Entry]] = {}
        self.contact_id: str | None = None  # whose entries are listed

    def show(self, contact: Contact | None) -> None:
        """List the contact's entries; the highlight stays on the same line when it can."""
        keep = self.highlighted if contact is not None and contact.id == self.contact_id else None
        self.contact_id = contact.id if contact is not None else None
        self.entries = {}
        options: list[Option] = []
        if contact is None:
            self.clear_options()
            return
        sections: tuple[tuple[str, str, list[Entry], str], ...] = (
            ("disclosure", "Disclosed", list(contact.disclosures), "nothing personal shared yet"),
            ("preference", "Stated preferences", list(contact.preferences), "none stated"),
            ("request", "Requests", list(contact.asks), "none made either way"),
            ("interaction", "Messages and meetings (newest first)",
             list[Entry](sorted(contact.interactions, key=lambda i: i.at,
                                reverse=True)[:INTERACTIONS_LISTED]),
             "none logged yet"),
        )
        for n, (kind, title, items, empty) in enumerate(sections):
            heading = Text(f"\n{title}" if n else title, style="bold")
            options.append(Option(heading, disabled=True))
            if not items:
                options.append(Option(Text(f"  {empty}", style="dim"), disabled=True))
            for i, item in enumerate(items):
                option_id = f"{kind}:{i}"
                self.entries[option_id] = (kind, item)
                options.append(Option(Text("  ").append_text(entry_text(kind, item)),
                                      id=option_id))
        self.set_options(options)
        if self.entries:
            if keep is not None and keep < self.option_count and not self.get_option_at_index(keep).disabled:
                self.highlighted = keep
            else:
                self.highlighted = next(
                    i for i in range(self.option_count) if not self.get_option_at_index(i).disabled)

    def on_focus(self) -> None:
        # The list is the last part of the relationship pane: bring all of it into view (a
        # list taller than the pane scrolls itself to the highlighted entry).
        parent = self.parent
        if isinstance(parent, ScrollableContainer):
            parent.scroll_end(animate=False)

    @property
    def current(self) -> tuple[str, Entry] | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.entries.get(option.id or "")

    def action_remove(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.RemoveRequested(*current))
