"""A Footer that rebuilds itself only when the keys it shows change.

Textual's Footer recomposes on every bindings signal (each focus change, screen switch, ...),
several times in a burst; each rebuild mounts a widget per key (tens of ms on a slow machine).
Most signals change nothing visible, so this one compares first and coalesces bursts.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CoachFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # Its `compact` watcher adds this class as the key mounts, which restyles the key
                # a second time (a dozen keys per screen); with the class already there it is a
                # no-op. The key's look is the same either way.
                widget.add_class("-compact", update=False)
            yield widget

    def _signature(self) -> tuple[Any, ...]:
        return tuple(
            (b.key, b.description, enabled, tooltip, self.app.get_key_display(b))
            for (_node, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True  # as Footer does: compose() waits for the first signal
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        await self.recompose()
