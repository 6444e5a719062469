"""The draft editor: a TextArea that highlights the flagged spans in the text itself."""

from __future__ import annotations

from bisect import bisect_right

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea

from coach.models import Flag

# Underline plus a tint: readable on any theme, and still visible without colour.
SPAN_STYLES = {
    "info": Style(underline=True, color="cyan"),
    "warn": Style(underline=True, color="yellow", bold=True),
    "stop": Style(underline=True, color="red", bold=True),
}


class DraftArea(TextArea):
    """Write here. After a check, flagged spans are underlined until the text changes."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self._spans: list[tuple[int, int, Style]] = []
        self._flagged_text = ""
        self._line_starts: list[int] = [0]

    def show_flags(self, flags: list[Flag]) -> None:
        """Underline each flag's span in the current text (offsets are Python string indices)."""
        text = self.text
        self._flagged_text = text
        self._line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self._line_starts.append(i + 1)
        self._spans = [
            (f.start, f.end, SPAN_STYLES.get(f.severity, SPAN_STYLES["warn"]))
            for f in flags
            if 0 <= f.start < f.end <= len(text)
        ]
        self._refresh_spans()

    def clear_flags(self) -> None:
        if self._spans:
            self._spans = []
            self._refresh_spans()

    @property
    def flags_are_current(self) -> bool:
        return bool(self._spans) and self.text == self._flagged_text

    def _refresh_spans(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self._spans or self.text != self._flagged_text:
            return line
        start = self._line_starts[line_index] if line_index < len(self._line_starts) else None
        if start is None:
            return line
        end = start + len(line.plain)
        for s, e, style in self._spans:
            if s < end and e > start:
                line.stylize(style, max(s, start) - start, min(e, end) - start)
        return line

    def offset_to_location(self, offset: int) -> tuple[int, int]:
        """(row, column) of a string offset in the flagged text, for moving the cursor to a flag."""
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]
