"""A bar chart of scores in 0..1 on a fixed scale, one bar per check, oldest to newest.

Textual's Sparkline scales to the data's own minimum and maximum, so three calm checks would
fill the chart as much as three alarming ones; here a full bar always means 1.0 and the two
charts of a relationship (intimacy, pacing) read the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

_EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_rows(values: Sequence[float], width: int, height: int) -> list[list[tuple[str, int]]]:
    """The chart as rows of (character, index into `values`) cells, top row first. Each value
    gets up to three columns; when there are more values than columns, the newest are shown."""
    height = max(1, height)
    width = max(1, width)
    first = max(0, len(values) - width)
    shown = range(first, len(values))
    rows: list[list[tuple[str, int]]] = [[] for _ in range(height)]
    if not shown:
        return rows
    per = max(1, min(3, width // len(shown)))
    for i in shown:
        v = min(1.0, max(0.0, float(values[i])))
        # At least one eighth for any value above zero: a small score is still a check.
        level = max(1 if v > 0 else 0, round(v * height * 8))
        for r in range(height):  # r = 0 is the bottom row
            part = min(8, max(0, level - 8 * r))
            char = _EIGHTHS[part] if part or r else "▁"  # a zero still shows a floor
            rows[height - 1 - r].extend([(char, i)] * per)
    return rows


class PaceChart(Widget):
    """Bars on a fixed 0..1 scale; a bar above its limit (`warn_at`, or the per-bar `limits`
    set with the data) is coloured as too much."""

    DEFAULT_CSS = """
    PaceChart { height: 2; width: 1fr; }
    """

    def __init__(self, *, warn_at: float | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._data: list[float] = []
        self._limits: list[float] | None = None
        self.warn_at = warn_at

    @property
    def data(self) -> list[float]:
        return self._data

    @data.setter
    def data(self, values: Sequence[float]) -> None:
        self.show(values)

    def show(self, values: Sequence[float], limits: Sequence[float] | None = None) -> None:
        """Chart `values`; `limits`, one per value, replaces `warn_at` bar by bar."""
        self._data = [float(v) for v in values]
        self._limits = [float(x) for x in limits] if limits is not None else None
        self.refresh()

    def render(self) -> RenderableType:
        width = max(1, self.size.width)
        rows = bar_rows(self._data, width, self.size.height)
        text = Text(no_wrap=True, overflow="crop")
        for i, row in enumerate(rows):
            if i:
                text.append("\n")
            for char, index in row:
                text.append(char, style=self._style(index))
        return text

    def _style(self, index: int) -> str:
        v = self._data[index]
        limit = self._limits[index] if self._limits is not None else self.warn_at
        if v == 0:
            return "dim"
        if limit is None:
            return "bold cyan"
        if v > limit:
            return "bold red"
        return "yellow" if v > limit * 0.8 else "green"
