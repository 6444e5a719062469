"""A suggested rewrite as edits of the draft's words: what the CLI, the compose screen and the LLM
merge all show, so the writer sees how little changed (rewrites should mostly remove)."""

from __future__ import annotations

import difflib
import re
import unicodedata

# Runs of whitespace, words, and single other characters: "babe," diffs as "babe" + ",", so a
# replaced name does not drag its comma into the change.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")

# How each kind of piece is written where there is no colour: [-removed-]{+added+}.
PLAIN_MARKS = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}

Op = tuple[str, str]  # ("=" kept | "-" removed | "+" added, the text)


# Past this many differing tokens on either side, the middle is shown as one removal and one
# addition: difflib's matching is quadratic on long runs of repeated tokens (a 1 MB paste with
# one word changed stalled it for minutes).
MAX_DIFFED_TOKENS = 4_000


def word_diff(draft: str, rewrite: str) -> list[Op]:
    """[(op, text)]: the rewrite as edits of the draft. The "=" and "-" parts joined give the
    draft back; the "=" and "+" parts, the rewrite."""
    # Whitespace at the ends is set aside first: a rewrite that trims a trailing newline must
    # not make the whole tail of a long draft look changed.
    core_a, core_b = draft.strip(), rewrite.strip()
    if not core_a or not core_b:
        return [op for op in (("-", draft), ("+", rewrite)) if op[1]] if draft != rewrite else (
            [("=", draft)] if draft else [])
    lead_a, lead_b = draft[: draft.index(core_a[0])], rewrite[: rewrite.index(core_b[0])]
    end_a, end_b = draft[len(lead_a) + len(core_a) :], rewrite[len(lead_b) + len(core_b) :]
    return [
        *_edges(lead_a, lead_b),
        *_middle(core_a, core_b),
        *_edges(end_a, end_b),
    ]


def _edges(a: str, b: str) -> list[Op]:
    if a == b:
        return [("=", a)] if a else []
    return [op for op in (("-", a), ("+", b)) if op[1]]


def _middle(draft: str, rewrite: str) -> list[Op]:
    a, b = _TOKENS.findall(draft), _TOKENS.findall(rewrite)
    # The shared head and tail are kept as they are; only the middle is matched.
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    limit -= head
    while tail < limit and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    out: list[Op] = []
    if head:
        out.append(("=", "".join(a[:head])))
    if len(mid_a) > MAX_DIFFED_TOKENS or len(mid_b) > MAX_DIFFED_TOKENS:
        out += [op for op in (("-", "".join(mid_a)), ("+", "".join(mid_b))) if op[1]]
    else:
        matcher = difflib.SequenceMatcher(a=mid_a, b=mid_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out.append(("=", "".join(mid_a[i1:i2])))
            if tag in ("delete", "replace"):
                out.append(("-", "".join(mid_a[i1:i2])))
            if tag in ("insert", "replace"):
                out.append(("+", "".join(mid_b[j1:j2])))
    if tail:
        out.append(("=", "".join(a[len(a) - tail :])))
    return out


def render_diff(draft: str, rewrite: str) -> str:
    """The diff as plain text, as `git diff --word-diff=plain` writes it: [-removed-]{+added+}."""
    return "".join(PLAIN_MARKS[op].format(text) for op, text in word_diff(draft, rewrite))


def change_summary(draft: str, rewrite: str) -> str:
    """'removes 7 words, adds 1': words and emoji count, punctuation and spaces do not."""
    removed = added = 0
    for op, text in word_diff(draft, rewrite):
        if op == "-":
            removed += _words(text)
        elif op == "+":
            added += _words(text)
    return f"removes {removed} word{'s' if removed != 1 else ''}, adds {added}"


def _words(text: str) -> int:
    n = len(_WORD.findall(text))
    if not text.isascii():  # emoji and other symbols (category S*) count as words
        n += sum(1 for c in text if unicodedata.category(c)[0] == "S" and not c.isascii())
    return n
