"""A suggested rewrite shown as a word diff against the draft: removed words struck through,
added words highlighted, so the writer sees how little changed. The diff itself is the core's
(`coach.diffing`), the same one the CLI prints."""

from __future__ import annotations

from rich.text import Text

from coach.diffing import change_summary, word_diff

__all__ = ["change_summary", "styled_diff"]

_STYLES = {"=": "", "-": "strike red", "+": "bold green"}


def styled_diff(draft: str, rewrite: str) -> Text:
    out = Text()
    for op, text in word_diff(draft, rewrite):
        out.append(text, style=_STYLES[op])
    return out
