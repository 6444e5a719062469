"""The full-screen app. PLACEHOLDER until the UI issue: shows the contacts."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from coach.store import open_store


class CoachApp(App[int]):
    TITLE = "coach"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, demo: bool = False) -> None:
        super().__init__()
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Header()
        with open_store() as store:
            names = [c.name for c in store.list_contacts(limit=0)]
        yield Static("\n".join(names) or "No contacts yet: run `coach demo load`.")
        yield Footer()
