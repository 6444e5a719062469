"""The command palette's own commands (ctrl+p): the app's actions, adding to the relationship of
the contact in view, and "write to <contact>"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

# title, help, action name on the app (run with run_action so the keymap and modes apply).
APP_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("New contact", "Add a person and how you met", "new_contact"),
    ("Check a draft", "Open the compose screen to write and check a message", "go('compose')"),
    ("Quick check", "Check a draft in a small dialog", "quick_check"),
    ("Contacts", "The contacts list and each relationship", "go('home')"),
    ("History", "Every check, newest first; filter, search, reopen", "go('history')"),
    ("Export history", "Save the history shown as Markdown, JSON or CSV", "export"),
    ("Settings", "LLM endpoint and model, theme, keys", "go('settings')"),
    ("Load the demo data", "Add the sample contacts to this store", "load_demo"),
    ("Import contacts", "From LinkedIn, an X archive, vCard or Google Contacts", "import_contacts"),
    ("Export or back up", "Contacts (vCard, CSV, JSON), history, or everything", "export_all"),
    ("Help", "Keys and what the focused part of the screen does", "help"),
)

# title, help, kind: add to the relationship of the contact in view (home's row, compose's "To").
ENTRY_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Add a disclosure", "Something they or you shared: topic, depth, where, when", "disclosure"),
    ("Add a stated preference", "In their words: a name form, a channel, a topic, quiet hours",
     "preference"),
    ("Add a request", "Asked either way (an intro, a call, a favour), and whether answered",
     "request"),
)

# Enough names to find anyone by typing; the list is read once per palette opening.
_MAX_CONTACTS = 2000


class CoachCommands(Provider):
    """App actions plus one 'Write to NAME' command per contact."""

    async def startup(self) -> None:
        app: Any = self.app
        self._contacts: list[tuple[str, str]] = []
        try:
            contacts = await asyncio.to_thread(app.store.list_contacts, _MAX_CONTACTS)
            self._contacts = [(c.id, c.name) for c in contacts]
        except Exception:  # the palette still offers the app's commands if the store is busy
            self._contacts = []

    def _run(self, action: str) -> Callable[[], Any]:
        return partial(self.app.run_action, action)

    def _add_entry(self, kind: str) -> Callable[[], Any]:
        from screens.relationship_edit import open_entry_form

        return partial(open_entry_form, self.app, kind)

    async def _edit_entries(self) -> None:
        """Home's relationship panel, focused: Enter edits an entry, x removes it."""
        from screens.home import HomeScreen

        await self.app.run_action("go('home')")
        screen = self.app.screen
        if isinstance(screen, HomeScreen):
            screen.call_after_refresh(screen.action_focus_facts)

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        commands = [(title, help_text, self._run(action))
                    for title, help_text, action in APP_COMMANDS]
        commands += [(title, help_text, self._add_entry(kind))
                     for title, help_text, kind in ENTRY_COMMANDS]
        commands.append(("Edit or remove relationship entries",
                         "Disclosures, stated preferences and requests of the selected contact",
                         self._edit_entries))
        return commands

    def _write_to(self, contact_id: str) -> Callable[[], Any]:
        app: Any = self.app
        return partial(app.open_compose, contact_id=contact_id)

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)
        for contact_id, name in self._contacts:
            title = f"Write to {name}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(title), self._write_to(contact_id),
                          help="Compose a message to this contact")
