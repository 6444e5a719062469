"""A suggested rewrite shown as a word diff against the draft: removed words struck through,
added words highlighted, so the writer sees how little changed."""

from __future__ import annotations

import difflib
import re

from rich.text import Text

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(before: str, after: str) -> Text:
    a = _TOKENS.findall(before)
    b = _TOKENS.findall(after)
    out = Text()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append("".join(a[i1:i2]), style="strike red")
        if op in ("insert", "replace"):
            out.append("".join(b[j1:j2]), style="bold green")
    return out


def change_summary(before: str, after: str) -> str:
    """'removes 7 words, adds 1' -- rewrites should mostly remove."""
    a = [t for t in _TOKENS.findall(before) if t[0].isalnum() or t[0] == "_"]  # words only
    b = [t for t in _TOKENS.findall(after) if t[0].isalnum() or t[0] == "_"]
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op in ("insert", "replace"):
            added += j2 - j1
    return f"removes {removed} word{'s' if removed != 1 else ''}, adds {added}"
