"""Forms that validate before they write: add or edit a contact, log an interaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from coach.models import CONTEXTS, STAGES, Contact
from coach.timefmt import typed
from screens.base import CoachModal


def validation_message(exc: ValidationError) -> str:
    """The first problem, in words: 'name: must not be blank'."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "value"
    msg = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}"


def parse_when(text: str, now: datetime) -> datetime:
    """Blank means now; otherwise an ISO date or date and time in local time ('2026-11-20 14:30')."""
    text = text.strip()
    if not text or text.casefold() == "now":
        return now
    try:
        return typed(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date: use 2026-11-20 or 2026-11-20 14:30, or leave it blank for now"
        ) from None


class FormModal(CoachModal[Any]):
    """A dialog with a title, fields, an error line and Save / Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form_cancel"),
        Binding("ctrl+r", "save", "Save", id="form_save"),
    ]
    TITLE_TEXT = ""

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.TITLE_TEXT, classes="dialog-title", markup=False)
            yield from self.compose_fields()
            yield Static("", id="form-error", classes="error-line", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save  ctrl+r", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def show_invalid(self, exc: ValueError) -> None:
        """A field the model refused (or a date we could not read), said in the form's words."""
        self.show_error(validation_message(exc) if isinstance(exc, ValidationError) else str(exc))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def select_options(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v.replace("_", " "), v) for v in values]


class ContactForm(FormModal):
    """Add a contact (contact None) or edit one; the stage may be left to the evidence."""

    def __init__(self, contact: Contact | None) -> None:
        super().__init__()
        self.contact = contact
        self.TITLE_TEXT = f"Edit {contact.name}" if contact else "New contact"

    def compose_fields(self) -> ComposeResult:
        c = self.contact
        yield Label("Name")
        yield Input(c.name if c else "", placeholder="e.g. Dana Reyes", id="name")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Name they use")
                yield Input(c.preferred_name if c else "", placeholder="e.g. Dana, or Dr. Reyes", id="preferred")
            with Vertical():
                yield Label("Pronouns (only if stated)")
                yield Input(c.pronouns if c else "", placeholder="", id="pronouns")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Context")
                yield Select(select_options(CONTEXTS), value=c.context if c else "personal",
                             allow_blank=False, id="context")
            with Vertical():
                yield Label("Stage")
                yield Select(select_options(STAGES), value=(c.stage if c and c.stage else Select.NULL),
                             prompt="from the evidence", id="stage")
        yield Label("How you met")
        yield Input(c.how_met if c else "", placeholder="e.g. replied to our launch post", id="how-met")
        yield Label("Notes")
        yield Input(c.notes if c else "", id="notes")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def action_save(self) -> None:
        stage = self.query_one("#stage", Select).value
        fields: dict[str, Any] = {
            "name": self.query_one("#name", Input).value,
            "preferred_name": self.query_one("#preferred", Input).value.strip(),
            "pronouns": self.query_one("#pronouns", Input).value.strip(),
            "context": self.query_one("#context", Select).value,
            "stage": None if stage is Select.NULL else stage,
            "how_met": self.query_one("#how-met", Input).value.strip(),
            "notes": self.query_one("#notes", Input).value.strip(),
        }
        try:
            if self.contact is None:
                contact = Contact.model_validate(fields)
            else:
                contact = Contact.model_validate({**self.contact.model_dump(), **fields})
        except ValidationError as exc:
            self.show_error(validation_message(exc))
            return
        self._write(contact, self.contact is None, tuple(fields))

    @work(thread=True, exclusive=True, group="form", exit_on_error=False,
          description="saving the contact")
    def _write(self, contact: Contact, new: bool, fields: tuple[str, ...]) -> None:
        store = self.capp.store
        if new:
            store.add_contact(contact)
        else:
            # Only the form's fields: what was logged or added meanwhile (another window,
            # `coach check`) is kept, not overwritten by the copy this form was opened with.
            def apply(stored: Contact) -> None:
                for name in fields:
                    setattr(stored, name, getattr(contact, name))

            contact = store.change_contact(contact.id, apply)
        self.app.call_from_thread(self.dismiss, contact)
