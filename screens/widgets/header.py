"""The header: the app's icon, title and sub-title on one line, drawn as ONE widget.

Textual's Header is four widgets (the bar, the icon, the title, the clock space), each styled,
laid out and rendered on its own at start-up. This one draws the same line: the icon in the
8 cells on the left (a click opens the command palette, hovering shows its tooltip and highlight),
the title and sub-title centred between it and the 10 cells kept for the clock on the right.
A click elsewhere makes it three lines tall and back, as Textual's does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from screens.widgets.blend import nested_style

ICON = "⭘"
ICON_WIDTH = 8  # Textual's HeaderIcon: 8 cells, the icon after one cell of padding
CLOCK_WIDTH = 10  # Textual's HeaderClockSpace


class HeaderBar(Widget):
    """Icon, title — sub-title (dim), and the clock's space, as Textual's Header shows them."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"header-bar--icon-hover"}
    DEFAULT_CSS = """
    HeaderBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: left middle;
        text-wrap: nowrap;
        &.-tall { height: 3; }
        & > .header-bar--icon-hover { background: $foreground 10%; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._icon_hover = False

    def on_mount(self) -> None:
        for node, name in ((self.app, "title"), (self.app, "sub_title"),
                           (self.screen, "title"), (self.screen, "sub_title")):
            self.watch(node, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def title_content(self) -> Content:
        """The title and sub-title, formatted by the app (as Textual's Header does)."""
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        icon = Content(f" {ICON}".ljust(ICON_WIDTH)[:ICON_WIDTH])
        if self._icon_hover:
            icon = icon.stylize(Style.from_rich_style(nested_style(self, "header-bar--icon-hover")))
        room = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        title = self.title_content.rstrip().truncate(room, ellipsis=True)
        left = (room - title.cell_length) // 2
        title = title.pad(left, room - left - title.cell_length)
        return Content.assemble(icon, title, " " * CLOCK_WIDTH).truncate(width)

    # -- the mouse -------------------------------------------------------------------------
    def _set_icon_hover(self, hover: bool) -> None:
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.tooltip = ("Open the command palette"
                            if hover and self.app.ENABLE_COMMAND_PALETTE else None)
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_icon_hover(event.x < ICON_WIDTH)

    def on_leave(self, event: events.Leave) -> None:
        self._set_icon_hover(False)

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
