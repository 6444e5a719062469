"""Texting shorthand, read as the words it stands for, for the analysis only.

"can u send me ur address" asks what "can you send me your address" asks, and "thx" thanks as
"thanks" does; the lexicons and the calibrated models know the long forms. `expand(text)` gives
the text with the shorthand spelled out and an `OffsetMap` that takes every span found in that
text back to the draft as written, so flags still point at what the user typed.

Only forms that are rarely anything else in a message are listed. Left out on purpose: "2"/"4"
(numbers), "y" (a letter as often as "why"), "ya" ("you" or "yes"), "k" (thousands), "cuz"
(also "cousin"), "wen" (also a name) and "tx" (also Texas).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_LONG = {
    # pronouns and verbs
    "u": "you", "ur": "your", "r": "are", "im": "i'm", "ive": "i've", "wat": "what",
    "wut": "what", "abt": "about", "bc": "because", "b4": "before", "rn": "right now",
    "idk": "i don't know", "tbh": "to be honest", "hbu": "how about you",
    "wbu": "what about you", "wyd": "what are you doing", "hmu": "hit me up",
    # courtesy
    "pls": "please", "plz": "please", "plss": "please", "thx": "thanks", "thnx": "thanks",
    "thanx": "thanks", "ty": "thank you", "tysm": "thank you so much", "sry": "sorry",
    "srry": "sorry",
    # people and closeness
    "bf": "boyfriend", "gf": "girlfriend", "bff": "best friend", "ppl": "people",
    "bday": "birthday", "msg": "message", "ily": "i love you", "ilysm": "i love you so much",
}
# Forms that are also names, places or other words when capitalised ("Ty", "Wat Pho", "R") are
# read in lower case only; the rest also when a sentence starts with them ("Thx!", "Ur right").
# ALL CAPS is left alone: "BC", "IM", "TBH" are as often something else.
_LOWER_ONLY = frozenset({"u", "r", "ty", "wat", "wut", "b4"})
_FORMS = dict(_LONG)
_FORMS.update({s.capitalize(): long.capitalize() for s, long in _LONG.items() if s not in _LOWER_ONLY})
# A whole word: not inside a word, a handle, a path, an abbreviation ("U.S."), a hyphenated or
# apostrophised word ("U-turn", "ur's"), a URL or a mention.
_SHORTHAND_RE = re.compile(
    r"(?<![\w'’\-./@#&])(?:"
    + "|".join(sorted(map(re.escape, _FORMS), key=len, reverse=True))
    + r")(?![\w'’\-/@&]|\.\w)"
)
# A cheap screen (about 3 us on a tweet, a third of the pattern's search): the pattern only runs
# on drafts holding one of the short forms as a word, give or take the punctuation around it.
_SHORT_WORDS = frozenset(_FORMS)
_PUNCT = ".,!?;:\"'’()[]{}…~*_-"
# A cheaper screen in front of that one, all in C: the text's bytes with every punctuation mark
# (and every ASCII character `str.split` takes for whitespace but `bytes.split` does not) turned
# into a space, split, looked up. A word the screen above keeps is punctuation + short form +
# punctuation (the forms are ASCII letters and digits only), so it leaves the short form here as
# a word of its own: this screen never skips a draft that one keeps (see `_may_hold_shorthand`).
_ASCII_GAPS = "".join(c for c in _PUNCT if c.isascii()) + "\x1c\x1d\x1e\x1f"
_TO_SPACE = bytes.maketrans(_ASCII_GAPS.encode("ascii"), b" " * len(_ASCII_GAPS))
_SHORT_BYTES = frozenset(w.encode("ascii") for w in _SHORT_WORDS)


def _may_hold_shorthand(text: str) -> bool:
    """False only when the word screen (`_SHORT_WORDS`) would find no short form either."""
    if text.isascii():
        raw = text.encode("ascii")
    else:
        # Words as `str.split` cuts them (it knows every Unicode space), joined by plain
        # spaces; the two non-ASCII marks the word screen strips become spaces too. No other
        # character's UTF-8 bytes can equal an ASCII mark or a short form.
        raw = " ".join(text.split()).replace("’", " ").replace("…", " ").encode("utf-8")
    return not _SHORT_BYTES.isdisjoint(raw.translate(_TO_SPACE).split())


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Positions in the expanded text -> positions in the text as written.

    `edits` holds (start in expanded text, end in expanded text, start as written, end as
    written) for each replaced word, in order."""

    edits: tuple[tuple[int, int, int, int], ...]

    def start(self, pos: int) -> int:
        """Where a span starting at `pos` of the expanded text starts in the text as written."""
        return self._map(pos, at_end=False)

    def end(self, pos: int) -> int:
        """Where a span ending at `pos` of the expanded text ends in the text as written."""
        return self._map(pos, at_end=True)

    def _map(self, pos: int, *, at_end: bool) -> int:
        i = bisect_right(self.edits, (pos, float("inf"))) - 1
        if i < 0:
            return pos
        new_start, new_end, old_start, old_end = self.edits[i]
        if pos >= new_end:
            return old_end + (pos - new_end)
        # Inside a spelled-out word: a span may only start or end on the word as written.
        if pos == new_start:
            return old_start
        return old_end if at_end else old_start


def expand(text: str) -> tuple[str, OffsetMap | None]:
    """The text with its shorthand spelled out, and the map back (None when nothing changed,
    in which case the text returned is `text` itself)."""
    if not _may_hold_shorthand(text) or _SHORT_WORDS.isdisjoint(
        w.strip(_PUNCT) for w in text.split()
    ):
        return text, None
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for m in _SHORTHAND_RE.finditer(text):
        long = _FORMS[m.group()]
        before = text[last : m.start()]
        parts.append(before)
        out_len += len(before)
        parts.append(long)
        edits.append((out_len, out_len + len(long), m.start(), m.end()))
        out_len += len(long)
        last = m.end()
    if not edits:
        return text, None
    parts.append(text[last:])
    return "".join(parts), OffsetMap(tuple(edits))


def spelled_out(text: str) -> str:
    """The text as the analysis reads it (what calibration fits and the benchmarks score)."""
    return expand(text)[0]
