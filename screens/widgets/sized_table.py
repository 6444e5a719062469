"""A DataTable that redraws its rows when their columns are re-measured.

Textual's DataTable sizes auto-width columns on idle, after rows are added. Its caches of drawn
lines, rows and cells are keyed on an update counter, the cursor, the scroll window and the
style, but not on the column widths; so a row drawn between `add_row` and that idle pass (the
screen's refresh timer can come first: the home table fills from a worker) stays drawn with
columns as narrow as their labels until something else changes, e.g. "Dana  custome" for
"Dana Reyes  customer". This subclass invalidates those caches when the widths change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class SizedDataTable(DataTable[Any]):
    def _column_widths(self) -> list[int]:
        return [column.get_render_width(self) for column in self.ordered_columns]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        before = self._column_widths()
        super()._update_dimensions(new_rows)
        if self._column_widths() != before:
            # Every cache of drawn rows is keyed on this counter (it is what add_row bumps).
            self._update_count += 1
            self.refresh()
