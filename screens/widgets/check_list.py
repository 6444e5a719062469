"""A virtualised list of checks: only the rows on screen are rendered, and records are fetched a
page at a time (`Store.list_checks(limit, offset)`) as the view scrolls, so 100,000 cost no more
than 100."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coach.models import CheckRecord
from coach.timefmt import shown

PAGE = 100
MAX_PAGES = 30  # pages kept in memory (3,000 records), least recently used dropped
VERDICT_LABELS = {"ok": "ok    ", "revise": "revise", "hold": "HOLD  "}

# fetch(offset, limit) -> records, run in a worker thread.
Fetch = Callable[[int, int], list[CheckRecord]]


class CheckList(ScrollView, can_focus=True):
    """Rows of checks, newest first. Up/down/page keys move; Enter selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", "Reopen", id="history_reopen"),
    ]
    DEFAULT_CSS = """
    CheckList { background: $surface; }
    CheckList > .check-list--cursor { background: $accent 40%; text-style: bold; }
    CheckList > .check-list--placeholder { color: $text-muted; }
    CheckList > .check-list--hold { color: $error; }
    CheckList > .check-list--revise { color: $warning; }
    CheckList > .check-list--ok { color: $success; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "check-list--cursor", "check-list--placeholder",
        "check-list--hold", "check-list--revise", "check-list--ok",
    }

    cursor: reactive[int] = reactive(0)

    class Highlighted(Message):
        def __init__(self, record: CheckRecord | None) -> None:
            super().__init__()
            self.record = record

    class Selected(Message):
        def __init__(self, record: CheckRecord) -> None:
            super().__init__()
            self.record = record

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.total = 0
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, list[CheckRecord]] = OrderedDict()
        self._loading: set[int] = set()
        self._generation = 0

    # -- data ------------------------------------------------------------------------------
    def reset(self, total: int, fetch: Fetch, first_page: list[CheckRecord] | None = None) -> None:
        """New filters: a new count and a new way to fetch; the old pages are dropped."""
        self._generation += 1
        self.total = total
        self._fetch = fetch
        self._pages.clear()
        self._loading.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self.virtual_size = Size(self.size.width, total)
        self.scroll_to(y=0, animate=False)
        self.cursor = 0
        self.refresh()
        self._announce()

    def shows(self, total: int, first_page: list[CheckRecord]) -> bool:
        """Would `reset(total, ..., first_page)` redraw exactly what is on screen now? (Same
        records, cursor and scroll at the top.)"""
        return (total == self.total and self.cursor == 0 and self.scroll_offset.y == 0
                and self._pages.get(0) == first_page)

    def holds(self, total: int, first_page: list[CheckRecord]) -> bool:
        """Is this the content already loaded (wherever the cursor is)?"""
        return total == self.total and self._pages.get(0) == first_page

    def record_at(self, index: int) -> CheckRecord | None:
        page = self._pages.get(index // PAGE)
        if page is None:
            return None
        self._pages.move_to_end(index // PAGE)
        row = index % PAGE
        return page[row] if row < len(page) else None

    @property
    def current(self) -> CheckRecord | None:
        return self.record_at(self.cursor) if self.total else None

    def _need(self, page: int) -> None:
        if page in self._pages or page in self._loading or self._fetch is None:
            return
        self._loading.add(page)
        self._load_page(page, self._generation, self._fetch)

    @work(thread=True, group="history-pages", exit_on_error=False, description="reading the history")
    def _load_page(self, page: int, generation: int, fetch: Fetch) -> None:
        records = fetch(page * PAGE, PAGE)
        self.app.call_from_thread(self._page_loaded, page, generation, records)

    def _page_loaded(self, page: int, generation: int, records: list[CheckRecord]) -> None:
        if generation != self._generation:
            return  # the filters changed while this page was read
        self._loading.discard(page)
        self._pages[page] = records
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        if page == self.cursor // PAGE:
            self._announce()

    # -- rendering ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        record = self.record_at(index)
        if record is None:
            self._need(index // PAGE)
            style = self.get_component_rich_style("check-list--placeholder")
            return Strip([Segment("  …".ljust(width), style)], width)
        verdict = record.result.verdict
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("check-list--cursor")
        verdict_style = self.get_component_rich_style(f"check-list--{verdict}", partial=True)
        when = f" {shown(record.created)}  "
        # Cells, not characters: a name or draft in Korean, Chinese or with emoji takes two
        # cells a character, and padding by len() pushed the row past the list's edge.
        who = set_cell_size(record.contact_name or "-", 16) + " "
        draft = " ".join(record.draft.split())
        sent = "sent " if record.sent else "     "
        head = [
            Segment(when, base),
            Segment(VERDICT_LABELS.get(verdict, verdict).ljust(7), base + verdict_style),
            Segment(sent, base + Style(dim=True)),
            Segment(who, base),
        ]
        used = sum(cell_len(s.text) for s in head)
        rest = max(0, width - used)
        head.append(Segment(set_cell_size(draft, rest), base))
        # Rows are cut to the width already: no horizontal scrolling, so no crop (Strips cost).
        return Strip(head, max(width, used))

    # -- movement ----------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self._announce()

    def refresh_line(self, index: int) -> None:
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self.current))

    def action_move(self, step: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        if self.total:
            self.cursor = self.total - 1 if where < 0 else 0

    def action_select(self) -> None:
        record = self.current
        if record is not None:
            self.post_message(self.Selected(record))

    async def _on_click(self, event: Any) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.total:
            if index == self.cursor and getattr(event, "chain", 1) >= 2:
                self.action_select()
            self.cursor = index
