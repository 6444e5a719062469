"""A suggested rewrite as edits of the draft's words: what the CLI, the compose screen and the LLM
merge all show, so the writer sees how little changed (rewrites should mostly remove)."""

from __future__ import annotations

import difflib
import re

# Runs of whitespace, words, and single other characters: "babe," diffs as "babe" + ",", so a
# replaced name does not drag its comma into the change.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

Op = tuple[str, str]  # ("=" kept | "-" removed | "+" added, the text)


def word_diff(draft: str, rewrite: str) -> list[Op]:
    """[(op, text)]: the rewrite as edits of the draft. The "=" and "-" parts joined give the
    draft back; the "=" and "+" parts, the rewrite."""
    a, b = _TOKENS.findall(draft), _TOKENS.findall(rewrite)
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
        if tag in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return out


def render_diff(draft: str, rewrite: str) -> str:
    """The diff as plain text, as `git diff --word-diff=plain` writes it: [-removed-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in word_diff(draft, rewrite))


def change_summary(draft: str, rewrite: str) -> str:
    """'removes 7 words, adds 1' (words only, punctuation and spaces not counted)."""
    a = [t for t in _TOKENS.findall(draft) if t[0].isalnum() or t[0] == "_"]
    b = [t for t in _TOKENS.findall(rewrite) if t[0].isalnum() or t[0] == "_"]
    removed = added = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            removed += i2 - i1
        if tag in ("insert", "replace"):
            added += j2 - j1
    return f"removes {removed} word{'s' if removed != 1 else ''}, adds {added}"
