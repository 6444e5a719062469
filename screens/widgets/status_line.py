"""The status line: which engine is active (offline, or which model where) and whether it answers."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    """Follows the app's `engine_text`; every screen shows one above the footer."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "engine_text", self._show, init=True)

    def _show(self, text: str) -> None:
        self.update(text)
