"""Forms for what the checks weigh besides the messages: disclosures (what each side shared),
the contact's stated preferences (in their own words) and requests made either way.

Each form adds an entry (`entry` None) or replaces the one given, through
`Store.change_contact`, so an entry edited or removed in another window is noticed rather than
overwritten. Each dismisses with the updated Contact (None when cancelled).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from coach.errors import NotFoundError
from coach.models import CHANNELS, TOPICS, Ask, Contact, Disclosure, Interaction, Preference
from coach.timefmt import shown
from screens.forms import FormModal, parse_when, select_options
from screens.relationship_edit import refresh_home

E = TypeVar("E", Disclosure, Preference, Ask, Interaction)

DEPTH_OPTIONS = [  # short: they must fit a half-width Select
    ("outer: facts", 0),
    ("light: tastes, plans", 1),
    ("personal: feelings", 2),
    ("core: fears, secrets", 3),
]

PREFERENCE_KINDS: list[tuple[str, str]] = [
    ("name they want used", "name_form"),
    ("channel to avoid", "channel_avoid"),
    ("channel they prefer", "channel"),
    ("topic to keep out", "topic_avoid"),
    ("quiet hours", "quiet_hours"),
    ("pronouns", "pronouns"),
    ("how often to write", "frequency"),
    ("something else", "other"),
]

# What to type for each kind, and what the offline check does with it (said in the form, so
# nobody records a preference expecting a check that never happens).
PREFERENCE_HINTS: dict[str, tuple[str, str]] = {
    "name_form": ("e.g. Michael", "Checks flag any other form of their name."),
    "channel_avoid": ("e.g. call, sms, email, dm", "Checks flag this channel and moves to it."),
    "channel": ("e.g. email", "Checks flag other private channels and moves to them."),
    "topic_avoid": ("e.g. family, health, money", "Checks flag drafts that bring the topic up."),
    "quiet_hours": ("e.g. 20:00-08:00", "Checks flag writing, or proposing a time, inside them."),
    "pronouns": ("e.g. she/her", "Also sets the contact's pronouns, which checks use."),
    "frequency": ("e.g. once a month at most", "Shown to the LLM coach; not checked offline."),
    "other": ("in a few words", "Shown to the LLM coach; not checked offline."),
}


def parse_optional_when(text: str, now: datetime) -> datetime | None:
    """Blank: not recorded; 'now' or a date as the interaction form takes it."""
    return parse_when(text, now) if text.strip() else None


def when_text(at: datetime | None) -> str:
    return shown(at) if at else ""


def entries_of(contact: Contact, entry: BaseModel) -> list[Any]:
    """The contact's list that holds entries of this kind."""
    if isinstance(entry, Disclosure):
        return contact.disclosures
    if isinstance(entry, Preference):
        return contact.preferences
    if isinstance(entry, Interaction):
        return contact.interactions
    return contact.asks


def replace_entry(old: BaseModel | None, new: BaseModel | None) -> Callable[[Contact], None]:
    """A change for `Store.change_contact`: add `new`, replace `old` with it, or remove `old`."""

    def change(contact: Contact) -> None:
        items = entries_of(contact, old if old is not None else new)  # type: ignore[arg-type]
        if old is None:
            items.append(new)
            return
        if old not in items:
            raise NotFoundError(
                "This entry was changed or removed elsewhere (another window or `coach`); "
                "nothing was written.",
                "The panel now shows the current entries; make the change again there.",
            )
        at = items.index(old)
        if new is None:
            del items[at]
            # The pronouns preference also set the contact's pronouns (the checks read those).
            if isinstance(old, Preference) and old.kind == "pronouns" and contact.pronouns == old.value:
                contact.pronouns = ""
        else:
            items[at] = new

    return change


class EntryForm(FormModal, Generic[E]):
    """What the three forms share: the contact, the entry being edited, the write."""

    WHAT = "entry"

    def __init__(self, contact: Contact, entry: E | None = None) -> None:
        super().__init__()
        self.contact = contact
        self.entry: E | None = entry
        verb = "Edit" if entry is not None else "Add"
        self.TITLE_TEXT = f"{verb} a {self.WHAT}: {contact.name}"

    def build(self) -> E:
        """The entry from the fields; raises ValueError (ValidationError too) with the reason."""
        raise NotImplementedError

    def extra_change(self, contact: Contact, entry: E) -> None:
        """Anything else the entry implies for the contact (a hook for the preference form)."""

    def action_save(self) -> None:
        try:
            entry = self.build()
        except ValueError as exc:  # ValidationError is a ValueError too
            self.show_invalid(exc)
            return
        self._write(entry)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False,
          description="saving the relationship entry")
    def _write(self, entry: E) -> None:
        add = replace_entry(self.entry, entry)

        def change(contact: Contact) -> None:
            add(contact)
            self.extra_change(contact, entry)

        try:
            updated = self.capp.store.change_contact(self.contact.id, change)
        except NotFoundError:
            # Shown as a notification (the worker's error); the form stays open with what was
            # typed, and the panel behind it is brought up to date.
            self.app.call_from_thread(refresh_home, self.app, self.contact.id)
            raise
        self.app.call_from_thread(self.dismiss, updated)


class DisclosureForm(EntryForm[Disclosure]):
    """Something one side shared: who, the topic, how deep, where (in private or in public),
    when, and a few words of what."""

    WHAT = "disclosure"

    def compose_fields(self) -> ComposeResult:
        d = self.entry
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Who shared it")
                yield Select([("they told me", "them"), ("I told them", "me")],
                             value=d.who if d else "them", allow_blank=False, id="who")
            with Vertical():
                yield Label("Topic")
                yield Select([(t, t) for t in TOPICS], value=d.topic if d else Select.NULL,
                             prompt="pick a topic", id="topic")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("How deep")
                yield Select(DEPTH_OPTIONS, value=d.depth if d else 0, allow_blank=False,
                             id="depth")
            with Vertical():
                yield Label("Where")
                yield Select([("in private", True), ("in public", False)],
                             value=d.private if d else True, allow_blank=False, id="private")
        yield Label("What, in a few words")
        yield Input(d.summary if d else "", placeholder="e.g. runs a bakery", id="summary")
        yield Label("When (blank: not recorded)")
        yield Input(when_text(d.at if d else None), placeholder="2026-11-20 or now", id="when")

    def on_mount(self) -> None:
        self.query_one("#who", Select).focus()

    def build(self) -> Disclosure:
        topic = self.query_one("#topic", Select).value
        if topic is Select.NULL:
            raise ValueError("topic: pick the topic that was shared")
        return Disclosure.model_validate({
            "who": self.query_one("#who", Select).value,
            "topic": topic,
            "depth": self.query_one("#depth", Select).value,
            "private": self.query_one("#private", Select).value,
            "summary": self.query_one("#summary", Input).value.strip(),
            "at": parse_optional_when(self.query_one("#when", Input).value, self.capp.now()),
            "source": self.entry.source if self.entry else "manual",
        })


class PreferenceForm(EntryForm[Preference]):
    """A preference the contact stated, in their own words where you have them."""

    WHAT = "stated preference"

    def compose_fields(self) -> ComposeResult:
        p = self.entry
        kind = p.kind if p else "name_form"
        yield Label("Kind")
        yield Select(PREFERENCE_KINDS, value=kind, allow_blank=False, id="kind")
        yield Label("What they want")
        yield Input(p.value if p else "", placeholder=PREFERENCE_HINTS[kind][0], id="value")
        yield Static(PREFERENCE_HINTS[kind][1], id="kind-hint", classes="muted")
        yield Label("Their own words (optional; shown with the flag)")
        yield Input(p.quote if p else "", placeholder="e.g. please, no calls", id="quote")

    def on_mount(self) -> None:
        self.query_one("#kind", Select).focus()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        placeholder, hint = PREFERENCE_HINTS.get(str(event.value), ("", ""))
        self.query_one("#value", Input).placeholder = placeholder
        self.query_one("#kind-hint", Static).update(hint)

    def build(self) -> Preference:
        kind = str(self.query_one("#kind", Select).value)
        value = self.query_one("#value", Input).value.strip()
        quote = self.query_one("#quote", Input).value.strip()
        check_preference_value(kind, value, quote)
        return Preference.model_validate({
            "kind": kind, "value": value, "quote": quote,
            "source": self.entry.source if self.entry else "manual",
        })

    def extra_change(self, contact: Contact, entry: Preference) -> None:
        if entry.kind == "pronouns":
            contact.pronouns = entry.value  # the checks read the contact's pronouns


def check_preference_value(kind: str, value: str, quote: str) -> None:
    """Refuse a preference the checks could not act on, saying what would work."""
    from coach.analysis.evidence import CHANNEL_ALIASES
    from coach.analysis.preferences import avoided_topics, parse_quiet_hours

    if not value:
        raise ValueError("value: say what they want (for example: "
                         f"{PREFERENCE_HINTS.get(kind, ('', ''))[0].removeprefix('e.g. ')})")
    if kind in ("channel", "channel_avoid") and value.casefold() not in CHANNEL_ALIASES:
        raise ValueError(f"'{value}' is not a channel coach knows: use email, dm, sms, call, "
                         "meeting or in person")
    if kind == "quiet_hours" and parse_quiet_hours(value) is None:
        raise ValueError(f"'{value}' is not a time range: write it like 20:00-08:00")
    if kind == "topic_avoid":
        probe = Contact(name="probe", preferences=[
            Preference(kind="topic_avoid", value=value, quote=quote)])
        if not avoided_topics(probe):
            raise ValueError(f"coach cannot tell which topic '{value}' is: use one of "
                             f"{', '.join(TOPICS)}")


class RequestForm(EntryForm[Ask]):
    """A request made either way (an intro, a call, a favour, money, time) and whether it was
    answered."""

    WHAT = "request"

    def compose_fields(self) -> ComposeResult:
        a = self.entry
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Who asked")
                yield Select([("they asked me", "them"), ("I asked them", "me")],
                             value=a.who if a else "me", allow_blank=False, id="who")
            with Vertical():
                yield Label("How big")
                yield Select([("small", "small"), ("medium", "medium"), ("large", "large")],
                             value=a.size if a else "small", allow_blank=False, id="size")
        yield Label("What was asked")
        yield Input(a.what if a else "", placeholder="e.g. an intro to their CTO", id="what")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Answered?")
                yield Select([("not yet", "open"), ("yes, granted", "granted"),
                              ("declined", "declined")],
                             value=a.status if a else "open", allow_blank=False, id="status")
            with Vertical():
                yield Label("When (blank: not recorded)")
                yield Input(when_text(a.at if a else None), placeholder="2026-11-20 or now",
                            id="when")

    def on_mount(self) -> None:
        self.query_one("#who", Select).focus()

    def build(self) -> Ask:
        what = self.query_one("#what", Input).value.strip()
        if not what:
            raise ValueError("what: say what was asked, e.g. an intro, a call, a loan")
        return Ask.model_validate({
            "who": self.query_one("#who", Select).value,
            "what": what,
            "size": self.query_one("#size", Select).value,
            "status": self.query_one("#status", Select).value,
            "at": parse_optional_when(self.query_one("#when", Input).value, self.capp.now()),
        })


class InteractionForm(EntryForm[Interaction]):
    """A message or meeting: who wrote, on which channel, when, and what was said."""

    WHAT = "message or meeting"

    def __init__(self, contact: Contact, entry: Interaction | None = None) -> None:
        super().__init__(contact, entry)
        # The time as shown (local, to the minute); left as is, the stored time is kept exactly.
        self._shown_when = shown(entry.at) if entry else ""

    def compose_fields(self) -> ComposeResult:
        e = self.entry
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Who wrote")
                yield Select([("they did", "in"), ("I did", "out")],
                             value=e.direction if e else "in", allow_blank=False, id="direction")
            with Vertical():
                yield Label("Channel")
                # A new entry starts on the channel you last used with them (email with a
                # fund partner, sms with a friend), not on dm for everyone.
                last = max(self.contact.interactions, key=lambda i: i.at, default=None)
                channel = e.channel if e else (last.channel if last else "dm")
                yield Select(select_options(CHANNELS),
                             value=channel, allow_blank=False, id="channel")
        yield Label("When (blank: now)")
        yield Input(self._shown_when, placeholder="2026-11-20 14:30", id="when")
        yield Label("What was said (kept on this machine)")
        yield TextArea(e.text if e else "", id="text", classes="short-text")

    def on_mount(self) -> None:
        self.query_one("#direction", Select).focus()

    def build(self) -> Interaction:
        when = self.query_one("#when", Input).value
        if self.entry is not None and when.strip() == self._shown_when:
            at = self.entry.at
        else:
            at = parse_when(when, self.capp.now())
        return Interaction.model_validate({
            "direction": self.query_one("#direction", Select).value,
            "channel": self.query_one("#channel", Select).value,
            "at": at,
            "text": self.query_one("#text", TextArea).text.strip(),
            "public": self.entry.public if self.entry else None,
            "source": self.entry.source if self.entry else "manual",
        })


FORMS: dict[str, type[EntryForm[Any]]] = {
    "disclosure": DisclosureForm,
    "preference": PreferenceForm,
    "request": RequestForm,
    "interaction": InteractionForm,
}
