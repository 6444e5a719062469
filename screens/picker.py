"""Pick a contact by typing any part of the name (fuzzy); Enter chooses, Esc leaves it as it was."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coach.store.people import fold_name
from screens.base import CoachModal

NO_CONTACT = "-"  # option id for "judge the draft on its own"
_SHOWN = 40
_MAX_LOADED = 20000


class ContactPicker(CoachModal[str | None]):
    """Returns a contact id, NO_CONTACT, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._names: list[tuple[str, str, str]] = []  # id, name, context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label("Write to…", classes="dialog-title")
            yield Input(placeholder="type a name", id="picker-query")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self.query_one("#picker-query", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="loading the contacts")
    def _load(self) -> None:
        contacts = self.capp.store.list_contacts(limit=_MAX_LOADED)
        names = [(c.id, c.name, c.context) for c in contacts]
        self.app.call_from_thread(self._loaded, names)

    def _loaded(self, names: list[tuple[str, str, str]]) -> None:
        self._names = names
        self._filter(self.query_one("#picker-query", Input).value)

    @on(Input.Changed, "#picker-query")
    def _changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        options: list[Option] = []
        if query.strip():
            matcher = Matcher(query.strip())
            # Typed without accents ("sofia") still finds "Sofía Marín".
            folded = Matcher(fold_name(query.strip()))
            scored = [
                (max(matcher.match(name), folded.match(fold_name(name))), cid, name, ctx)
                for cid, name, ctx in self._names
            ]
            scored = [s for s in scored if s[0] > 0]
            scored.sort(key=lambda s: -s[0])
            for _, cid, name, ctx in scored[:_SHOWN]:
                label = matcher.highlight(name).append_text(f"  {ctx}", "dim")
                options.append(Option(label, id=cid))
        else:
            for cid, name, ctx in self._names[:_SHOWN]:
                options.append(Option(Text.assemble(name, (f"  {ctx}", "dim")), id=cid))
        options.append(Option(Text("(no contact: judge the draft on its own)", style="italic"),
                              id=NO_CONTACT))
        listing = self.query_one("#picker-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = 0

    def action_move(self, step: int) -> None:
        listing = self.query_one("#picker-list", OptionList)
        if listing.option_count:
            current = listing.highlighted or 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-query")
    def _submit(self) -> None:
        listing = self.query_one("#picker-list", OptionList)
        if listing.highlighted is not None and listing.option_count:
            self.dismiss(listing.get_option_at_index(listing.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
