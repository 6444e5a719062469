"""The footer: the keys of the focused widget and the screen, drawn as ONE widget.

Textual's Footer mounts a FooterKey widget per key (a dozen per screen), each styled, laid out and
rendered on its own, and it builds them only after the first refresh (one more layout pass) and
again on every bindings signal. That was a good part of the app's start-up. This footer draws the
same line (compact style: "key description", one cell apart, the command palette key on the right
behind a thin bar) from `Screen.active_bindings` when it renders, and only repaints when the keys
it shows change. A key is clicked by x offset (as a FooterKey is: a mouse press simulates the key),
the hovered key is highlighted and its tooltip shown, a disabled key is dim and rings the bell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from screens.widgets.blend import nested_style


@dataclass(frozen=True)
class FooterItem:
    """One key as shown: the cells [start, end) of the footer line it takes."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    start: int
    end: int
    palette: bool = False


class CoachFooter(Widget, can_focus=False, can_focus_children=False):
    """The keys that work here, one line at the bottom of the screen."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "coach-footer--item",
        "coach-footer--hover",
        "coach-footer--disabled",
        "coach-footer--palette-bar",
    }
    # The values of Textual's Footer / FooterKey (compact), so the line looks the same.
    DEFAULT_CSS = """
    CoachFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .coach-footer--item { background: $footer-item-background; }
        & > .coach-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .coach-footer--disabled { text-style: dim; }
        & > .coach-footer--palette-bar { color: $foreground 20%; }
    }
    """

    def __init__(self, *, show_command_palette: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        self._shown: tuple[Any, ...] | None = None
        self._items: list[FooterItem] = []
        self._hover: FooterItem | None = None
        self._styles: dict[tuple[str, ...], Style] = {}

    # -- the keys --------------------------------------------------------------------------
    def _entries(self) -> tuple[list[tuple[Any, bool, str]], tuple[Any, bool, str] | None]:
        """(the keys to show left to right, the command palette key or None), from the
        screen's active bindings as Textual's Footer reads them: one key per action (the
        first), those with show=False left out."""
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Any, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = (binding, enabled, binding.tooltip or binding.description)
        return list(by_action.values()), palette

    def _signature(self) -> tuple[Any, ...]:
        keys, palette = self._entries()
        return tuple(
            (b.key, b.description, enabled, tooltip, self.app.get_key_display(b))
            for b, enabled, tooltip in [*keys, *([palette] if palette else [])]
        )

    def _layout(self, width: int) -> list[FooterItem]:
        keys, palette = self._entries()
        items: list[FooterItem] = []
        x = 0
        for binding, enabled, tooltip in keys:
            display = self.app.get_key_display(binding)
            length = len(display) + (1 + len(binding.description) if binding.description else 0)
            items.append(FooterItem(binding.key, display, binding.description, enabled,
                                    tooltip or "", x, x + length))
            x += length + 1  # the gap between keys
        if palette is not None:
            binding, enabled, tooltip = palette
            display = self.app.get_key_display(binding)
            # Docked right, as in Textual's Footer: a one-cell bar, the key and its description,
            # one cell of margin. It is drawn over the keys on the left (as the docked key was).
            length = 1 + len(display) + 1 + len(binding.description)
            start = max(0, width - 1 - length)
            # A key that would run under the palette key is left out rather than cut ("f4 Com");
            # F1 lists every key.
            items = [i for i in items if i.end < start]
            items.insert(0, FooterItem(binding.key, display, binding.description, enabled,
                                    tooltip, start, start + length, palette=True))
        return items

    @property
    def items(self) -> list[FooterItem]:
        """The keys as last drawn."""
        return list(self._items)

    def item_at(self, x: int) -> FooterItem | None:
        """The key drawn at column x of the footer, if any."""
        for item in self._items:
            if item.start <= x < item.end:
                return item
        return None

    # -- drawing ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, *components: str) -> Style:
        """A part of a key drawn as it was inside its FooterKey (see widgets/blend.py)."""
        if components not in self._styles:
            self._styles[components] = nested_style(self, *components)
        return self._styles[components]

    def render(self) -> Text:
        width = self.size.width
        self._items = self._layout(width)
        if self._hover is not None:  # the same key, wherever it is drawn now
            self._hover = next((i for i in self._items if i.key == self._hover.key), None)
        line = Text(no_wrap=True, overflow="crop", end="")
        palette: Text | None = None
        for item in self._items:
            parts = ["coach-footer--hover" if item is self._hover else "coach-footer--item"]
            if not item.enabled:
                parts.append("coach-footer--disabled")
            if item.palette:
                palette = Text(end="")
                palette.append("▏", self._style(*parts, "coach-footer--palette-bar"))
                target = palette
            else:
                line.append(" " * (item.start - len(line)))
                target = line
            target.append(item.display, self._style(*parts, "footer-key--key"))
            if item.description:
                target.append(" " + item.description, self._style(*parts, "footer-key--description"))
        if palette is not None:
            start = self._items[0].start
            line.append(" " * max(0, width - len(line)))
            line = Text.assemble(line[:start], palette, " " * (width - start - len(palette)),
                                 no_wrap=True, overflow="crop", end="")
        return line

    # -- following the bindings --------------------------------------------------------------
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Focus changes and screen switches signal in bursts; most change nothing shown.
        if not screen.app.app_focus or screen is not self.screen:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            self.refresh()

    # -- the mouse -------------------------------------------------------------------------
    def _set_hover(self, item: FooterItem | None) -> None:
        if item != self._hover:
            self._hover = item
            self.tooltip = (item.tooltip or None) if item is not None else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self.item_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        if not item.enabled:
            self.app.bell()
        else:
            self.app.simulate_key(item.key)
