"""The progress callback importers report through: (what, done, total)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def no_progress(what: str, done: int, total: int) -> None:
    """The default: nobody is watching."""


# Report every this many rows: often enough to move a bar, rarely enough to cost nothing.
EVERY = 2000
