"""Adding, editing and removing a contact's disclosures, stated preferences and requests, from the
home screen's relationship panel or the command palette (for the contact in view)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.errors import NotFoundError
from coach.models import Contact
from screens.base import CoachModal

if TYPE_CHECKING:
    from screens.app import CoachApp

# kind -> (menu line, key in the menu, what it is called in messages)
KINDS: dict[str, tuple[str, str, str]] = {
    "disclosure": ("Something one of you shared (a disclosure)", "s", "disclosure"),
    "preference": ("A preference they stated", "p", "stated preference"),
    "request": ("A request, made either way", "r", "request"),
    "interaction": ("A message or meeting (log an interaction)", "l", "interaction"),
}

Done = Callable[[Contact | None], None]


def contact_in_view(app: App[Any]) -> Contact | None:
    """The contact the current screen is about: home's selected row, compose's recipient."""
    screen = app.screen
    contact = getattr(screen, "contact", None)
    current = getattr(screen, "current_contact", None)
    if contact is None and callable(current):
        contact = current()
    return contact if isinstance(contact, Contact) else None


def refresh_home(app: App[Any], contact_id: str | None) -> None:
    """Re-read the home screen's list and panel (the compose screen re-reads on its own)."""
    from screens.home import HomeScreen

    for mode_screen in app.screen_stack:
        if isinstance(mode_screen, HomeScreen):
            mode_screen.reload(contact_id)


def open_entry_form(app: App[Any], kind: str, contact: Contact | None = None,
                    entry: Any = None, done: Done | None = None) -> None:
    """Add (entry None) or edit one entry of `kind` for `contact` (default: the one in view)."""
    from screens.relationship_forms import FORMS

    contact = contact or contact_in_view(app)
    if contact is None:
        app.notify("Select a contact first (F3 lists them), or press n to add one.")
        return

    def saved(updated: Contact | None) -> None:
        if updated is not None:
            app.notify(f"Saved {KINDS[kind][2]} for {updated.name}.", timeout=3)
            refresh_home(app, updated.id)
        if done is not None:
            done(updated)

    form = FORMS[kind](contact, entry)
    app.push_screen(form, saved)


def remove_entry(app: App[Any], contact: Contact, kind: str, entry: Any,
                 describe: str, done: Done | None = None) -> None:
    """Ask, then remove the entry (compared by value, so a changed one is not removed blindly)."""
    from screens.dialogs import ConfirmDialog
    from screens.relationship_forms import replace_entry

    def write() -> None:
        try:
            updated = cast("CoachApp", app).store.change_contact(
                contact.id, replace_entry(entry, None))
        except NotFoundError:
            app.call_from_thread(refresh_home, app, contact.id)  # show what is there now
            raise  # and the worker's error says what happened
        app.call_from_thread(removed, updated)

    def removed(updated: Contact) -> None:
        app.notify(f"Removed the {KINDS[kind][2]} from {updated.name}.", timeout=3)
        refresh_home(app, updated.id)
        if done is not None:
            done(updated)

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(write, thread=True, exclusive=True, group="remove-entry",
                           exit_on_error=False, description=f"removing the {KINDS[kind][2]}")

    app.push_screen(
        ConfirmDialog(f"Remove this {KINDS[kind][2]}?",
                      f"{contact.name}: {describe}\n\nChecks stop weighing it at once.",
                      yes="Remove", no="Keep it"),
        answered,
    )


class AddEntryMenu(CoachModal[str | None]):
    """What to add to the relationship: a disclosure, a stated preference, a request or an
    interaction (each also has its own key on the home screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "pick(None)", "Cancel"),
        *(Binding(key, f"pick('{kind}')", line, show=False) for kind, (line, key, _) in KINDS.items()),
    ]

    def __init__(self, contact: Contact) -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Add to {self.contact.name}", classes="dialog-title", markup=False)
            yield OptionList(
                *(Option(f"{key}  {line}", id=kind) for kind, (line, key, _) in KINDS.items()),
                id="add-menu",
            )
            yield Static("Enter or the letter picks; Esc cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#add-menu", OptionList).focus()

    def action_pick(self, kind: str | None) -> None:
        self.dismiss(kind)

    @on(OptionList.OptionSelected, "#add-menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
