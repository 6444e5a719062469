"""Home: the contacts (search as you type, pace at a glance) and the selected relationship."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from coach.models import Contact
from screens.base import CoachScreen
from screens.pace import pace_hint, stage_label
from screens.widgets.fact_list import FactList
from screens.widgets.footer import CoachFooter
from screens.widgets.header import HeaderBar
from screens.widgets.relationship import render_relationship
from screens.widgets.sized_table import SizedDataTable
from screens.widgets.status_line import StatusLine

# Rows shown at once; past this the user narrows with the search box (10,000 rows help nobody).
ROW_LIMIT = 100

EMPTY_TEXT = (
    "No contacts yet.\n\n"
    "coach checks a draft against what has passed between you and the person you write to.\n\n"
    "Press n to add someone, or d to load the demo data (sample people and their history) "
    "and try a check with F4. F2 checks a draft quickly from anywhere; F1 is help."
)


class HomeScreen(CoachScreen):
    """Contacts on the left, the selected relationship on the right."""

    # Focus the table as the screen is composed, not the search box first and the table in
    # on_mount: one focus change, so the footer builds its keys once instead of twice.
    AUTO_FOCUS = "#contacts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new_contact", "New", id="new_contact"),
        Binding("e", "edit_contact", "Edit", id="edit_contact"),
        Binding("l", "log_interaction", "Log", id="log_interaction",
                tooltip="Log a message or meeting with this contact"),
        Binding("a", "add_entry", "Add…", id="add_entry",
                tooltip="Add a disclosure, a stated preference or a request for this contact"),
        Binding("c", "compose_to", "Write", id="write_to", tooltip="Compose a message to this contact"),
        # The search box is on screen with its own prompt: its key is in F1, not the footer
        # (the footer has no room left at 120 columns).
        Binding("slash", "focus_search", "Search", id="search", show=False),
        # Only reached from the search box (the table and the lists move their own cursor).
        Binding("down", "leave_search", "To the contacts", id="search_to_list", show=False),
        Binding("s", "add('disclosure')", "Add a disclosure (something shared)",
                id="add_disclosure", show=False),
        Binding("p", "add('preference')", "Add a stated preference", id="add_preference",
                show=False),
        Binding("r", "add('request')", "Add a request (either way)", id="add_request",
                show=False),
        Binding("f", "focus_facts", "Relationship entries (edit, remove)", id="focus_entries",
                show=False),
        Binding("d", "app.load_demo", "Demo data", id="load_demo", show=False),
        Binding("i", "app.import_contacts", "Import", id="import_contacts", show=False,
                tooltip="Import contacts from LinkedIn, an X archive, vCard or Google"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contacts: dict[str, Contact] = {}
        self._select_after_load: str | None = None

    def compose(self) -> ComposeResult:
        # The screen is a grid (app.tcss) rather than a row of two panes in a container: one
        # container fewer to style, lay out and paint at start-up, for the same cells on screen.
        # (The panes stay in this order: it is the Tab order.)
        yield HeaderBar()
        with Vertical(id="contacts-pane"):
            yield Input(placeholder="Search contacts (name, handle)…", id="search")
            table: DataTable[str | Text] = SizedDataTable(id="contacts", cursor_type="row",
                                                          zebra_stripes=True)
            table.add_columns("Name", "Context", "Stage", "Last contact")
            yield table
            yield Static("", id="contacts-count", classes="muted")
        with VerticalScroll(id="relationship-pane"):
            # Empty until the contacts are read: the first-run text (EMPTY_TEXT) only when there
            # are none, not for a moment on every start of someone who has contacts.
            yield Static("", id="relationship")
            # The entries list (FactList) joins when the first contact is shown (_facts).
        yield StatusLine(id="home-status")
        yield CoachFooter()

    def on_mount(self) -> None:
        self.query_one("#contacts", DataTable).focus()
        # Read the store after the first paint: the screen takes keys while the rows load.
        self.call_after_refresh(self.reload)

    # -- loading ---------------------------------------------------------------------------
    def reload(self, select_id: str | None = None) -> None:
        """Re-read the contacts (after an edit, an import or the demo data)."""
        self._select_after_load = select_id
        self._load(self.query_one("#search", Input).value)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._load(event.value)

    @work(thread=True, exclusive=True, group="contacts", exit_on_error=False,
          description="loading the contacts")
    def _load(self, search: str) -> None:
        store = self.capp.store
        found = store.list_contacts(limit=ROW_LIMIT, search=search.strip() or None)
        total = store.count_contacts()
        offer_demo = total == 0 and not self.capp.settings.demo_offered and not self.capp.demo
        # The row text too (the computed stage reads the whole history): off the UI thread.
        now = self.capp.now()
        # Text, not str: DataTable would read "[brackets]" in a name as markup.
        rows = [(Text(c.name), c.context, stage_label(c), pace_hint(c, now)) for c in found]
        self.app.call_from_thread(self._show, found, rows, total, search)
        if offer_demo:
            self.app.call_from_thread(self._offer_demo)

    def _show(self, found: list[Contact], rows: list[tuple[Text, str, str, str]], total: int,
              search: str) -> None:
        table = self.query_one("#contacts", DataTable)
        previous = self._select_after_load or self._current_id()
        table.clear()
        self.contacts = {c.id: c for c in found}
        for c, row in zip(found, rows, strict=True):
            table.add_row(*row, key=c.id)
        if search and not found:
            count = f"No contact matches '{search}'. Press n to add one."
        elif len(found) < total and not search:
            count = f"Showing {len(found)} of {total}: type to search the rest."
        else:
            count = f"{len(found)} of {total} contacts"
        self.query_one("#contacts-count", Static).update(count)
        if previous in self.contacts:
            table.move_cursor(row=table.get_row_index(previous))
        self._select_after_load = None
        if not found:
            self.query_one("#relationship", Static).update(EMPTY_TEXT if total == 0 else "")
            self._show_facts(None)
        else:
            self._show_relationship(self._current_id())

    def _current_id(self) -> str | None:
        table = self.query_one("#contacts", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def current_contact(self) -> Contact | None:
        cid = self._current_id()
        return self.contacts.get(cid) if cid else None

    @on(DataTable.RowHighlighted, "#contacts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_relationship(str(event.row_key.value))

    @on(DataTable.RowSelected, "#contacts")
    async def _selected(self, event: DataTable.RowSelected) -> None:
        await self.capp.open_compose(contact_id=str(event.row_key.value))

    def _show_relationship(self, contact_id: str | None) -> None:
        contact = self.contacts.get(contact_id) if contact_id else None
        if contact is not None:
            self.query_one("#relationship", Static).update(
                render_relationship(contact, self.capp.now())
            )
            self._show_facts(contact)

    def _facts(self, *, create: bool = False) -> FactList | None:
        """The list of the relationship's entries, below its summary. It is mounted when the
        first contact is shown: it is empty (and takes no room) until then, and one widget
        fewer to build before the first paint (an OptionList, styles for each of its parts)."""
        found = self.query("#relationship-entries")
        if found:
            return found.first(FactList)
        if not create:
            return None
        facts = FactList(id="relationship-entries")
        self.query_one("#relationship-pane").mount(facts)
        return facts

    def _show_facts(self, contact: Contact | None) -> None:
        facts = self._facts(create=contact is not None)
        if facts is not None:
            facts.show(contact)
            facts.display = contact is not None

    def _offer_demo(self) -> None:
        from screens.dialogs import ConfirmDialog

        if self.app.screen is not self:
            return  # the user went elsewhere already; the empty list still explains itself

        def answered(load: bool | None) -> None:
            settings = self.capp.settings.model_copy(update={"demo_offered": True})
            try:
                self.capp.save_settings(settings)
            except (OSError, ValueError) as exc:
                self.capp.report_error(exc, doing="saving the settings")
            if load:
                self.capp.action_load_demo()

        self.app.push_screen(
            ConfirmDialog(
                "Welcome to coach",
                "Your contact list is empty. Load the demo data (sample people with their history)"
                " to try it out? You can delete them later; your own data stays on this machine.",
                yes="Load demo data",
                no="Start empty",
            ),
            answered,
        )

    # -- actions ---------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_edit_contact(self) -> None:
        from screens.forms import ContactForm

        contact = self.current_contact()
        if contact is None:
            self.notify("Select a contact first (or press n to add one).")
            return
        self.app.push_screen(ContactForm(contact), self._after_form)

    def action_log_interaction(self) -> None:
        from screens.relationship_forms import InteractionForm

        contact = self.current_contact()
        if contact is None:
            self.notify("Select a contact first (or press n to add one).")
            return
        self.app.push_screen(InteractionForm(contact), self._after_form)

    def action_add_entry(self) -> None:
        from screens.relationship_edit import AddEntryMenu

        contact = self.current_contact()
        if contact is None:
            self.notify("Select a contact first (or press n to add one).")
            return

        def picked(kind: str | None) -> None:
            if kind is not None:
                self.action_add(kind)

        self.app.push_screen(AddEntryMenu(contact), picked)

    def action_add(self, kind: str) -> None:
        from screens.relationship_edit import open_entry_form

        contact = self.current_contact()
        if contact is None:
            self.notify("Select a contact first (or press n to add one).")
            return
        open_entry_form(self.app, kind, contact)

    def action_focus_facts(self) -> None:
        facts = self._facts()
        if facts is not None and facts.display:
            facts.focus()

    @on(FactList.OptionSelected, "#relationship-entries")
    def _edit_entry(self, event: FactList.OptionSelected) -> None:
        from screens.relationship_edit import open_entry_form

        contact = self.current_contact()
        current = self.query_one("#relationship-entries", FactList).current
        if contact is not None and current is not None:
            open_entry_form(self.app, current[0], contact, current[1])

    @on(FactList.RemoveRequested)
    def _remove_entry(self, event: FactList.RemoveRequested) -> None:
        from screens.relationship_edit import remove_entry
        from screens.widgets.fact_list import entry_text

        contact = self.current_contact()
        if contact is not None:
            remove_entry(self.app, contact, event.kind, event.entry,
                         entry_text(event.kind, event.entry).plain)

    def _after_form(self, contact: Contact | None) -> None:
        if contact is not None:
            self.notify(f"Saved {contact.name}.", timeout=3)
            self.reload(contact.id)

    async def action_compose_to(self) -> None:
        contact = self.current_contact()
        await self.capp.open_compose(contact_id=contact.id if contact else None)

    @on(Input.Submitted, "#search")
    def action_leave_search(self) -> None:
        self.query_one("#contacts", DataTable).focus()
