"""A fast matcher for labelled lexicons written as small regex alternations.

Big alternations cost CPython's `re` a try of every branch at every word start. Here each
alternative is expanded, where it can be, into the literal phrases it stands for; one pass over
the words of the (lowercased) text then finds single words by dict lookup and phrases by an
anchored match of their own pattern, tried only where one of their possible first words occurs. Alternatives that cannot be expanded
(`\\d`, `+`, ...) fall back to one ordinary regex. Matches are leftmost, longest, non-overlapping,
and end at a word boundary, like `(?<!\\w)(?:...)\\b`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from itertools import compress

_TOKEN_RE = re.compile(r"[\w$@]+(?:['’\-][\w]+)*")
_MAX_EXPANSIONS = 4096
_DIGIT_RE = re.compile(r"\d")
_POSS = frozenset(("'s", "’s"))
# Characters that end a token whatever comes next ("" is the end of the text).
_ENDS_TOKEN = frozenset(("", " ", ".", ",", "!", "?", ";", ":", "\n", "\t", ")", '"'))


def has_digit(text: str) -> bool:
    """Whether `\\d` would find anything in `text`. ASCII text: a substring test per digit
    (each a memchr scan in C; ten of them cost less than one copy of the text through
    `bytes.translate`, and far less than a regex looking up every character's category);
    otherwise the regex, which also knows the digits of other scripts."""
    if text.isascii():
        return (
            "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
            or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
        )  # fmt: skip
    return _DIGIT_RE.search(text) is not None


# Where the two tokenisers could split an ASCII text differently around an apostrophe: "5'9",
# "it's2", "rock'n'roll" (one token here, two or more for matcher.py). Written to start with
# the apostrophe, so `re` jumps from one apostrophe to the next.
_APOSTROPHE_SPLITS_RE = re.compile(r"'(?:[0-9]|[a-z]+(?:[0-9_]|'[a-z0-9_]))")


# Byte -> itself where it can be in a `_TOKEN_RE` token of an ASCII text without "$" or "@"
# (a word character, or a hyphen or apostrophe that joins two runs of them), else a space.
_TOKEN_BYTES = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_'-") else 32 for c in range(256)
)
# Where a hyphen or an apostrophe joins nothing: next to a space (the edge of a run) or to
# another one.
_LONE_JOINERS = (" -", "- ", " '", "' ", "--", "''", "'-", "-'")


def _ascii_tokens(text: str) -> list[str] | None:
    """`_TOKEN_RE.findall(text)` without the regex (which looks up every character's Unicode
    class: several times dearer), or None where this shortcut does not hold: a non-ASCII
    text, a "$" or "@" (they start a token but do not follow a hyphen), or a hyphen or
    apostrophe at the edge of a run of token characters. Elsewhere each run of word
    characters, hyphens and apostrophes is exactly one token (each hyphen or apostrophe in it
    has a word character on both sides, so it joins them)."""
    if not text.isascii() or "$" in text or "@" in text:
        return None
    runs = text.encode("ascii").translate(_TOKEN_BYTES).decode("ascii")
    if runs.startswith(("-", "'")) or runs.endswith(("-", "'")):
        return None
    for lone in _LONE_JOINERS:
        if lone in runs:
            return None
    return runs.split()


def same_tokens(low: str) -> bool:
    """Whether this module's tokens of the lowercased `low` are exactly matcher.py's words of
    it, so one tokenisation can serve both: ASCII, none of the characters only this module
    keeps inside a token ("_", "$", "@", "-"), and no apostrophe either splits differently."""
    return (
        low.isascii()
        and "-" not in low
        and "_" not in low
        and "$" not in low
        and "@" not in low
        and ("'" not in low or _APOSTROPHE_SPLITS_RE.search(low) is None)
    )


def lower_same_length(text: str) -> str:
    """`text.lower()`, except that characters whose lowercase is longer ("İ") stay as they are,
    so every index into the result is an index into `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (`a|b(?:c|d)` -> [`a`, `b(?:c|d)`])."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            j = pattern.index("]", i + 1)
            cur.append(pattern[i : j + 1])
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def expand(pattern: str) -> list[str] | None:
    """Every literal string `pattern` matches, or None when it is not a small finite set."""
    try:
        out, rest = _seq(pattern, 0)
    except _NotLiteral:
        return None
    if rest != len(pattern) or len(out) > _MAX_EXPANSIONS:
        return None
    return out


class _NotLiteral(Exception):
    pass


def _seq(p: str, i: int) -> tuple[list[str], int]:
    results = [""]
    while i < len(p) and p[i] not in "|)":
        options, i = _atom(p, i)
        if i < len(p) and p[i] == "?":
            options = [*options, ""]
            i += 1
        if i < len(p) and p[i] in "*+{":
            raise _NotLiteral
        results = [r + o for r in results for o in options]
        if len(results) > _MAX_EXPANSIONS:
            raise _NotLiteral
    return results, i


def _atom(p: str, i: int) -> tuple[list[str], int]:
    ch = p[i]
    if ch == "\\":
        nxt = p[i + 1]
        if nxt.isalnum():
            raise _NotLiteral  # \d, \s, \w, \b ...
        return [nxt], i + 2
    if ch == "[":
        j = p.index("]", i + 1)
        body = p[i + 1 : j]
        if not body or body[0] == "^" or "\\" in body or "-" in body[1:-1]:
            raise _NotLiteral
        return list(body), j + 1
    if ch == "(":
        if not p.startswith("(?:", i):
            raise _NotLiteral
        i += 3
        options: list[str] = []
        while True:
            alt, i = _seq(p, i)
            options.extend(alt)
            if i >= len(p):
                raise _NotLiteral
            if p[i] == ")":
                return options, i + 1
            i += 1  # '|'
    if ch in ".^$*+?{}":
        raise _NotLiteral
    return [ch], i + 1


Hit = tuple[int, int, str]  # start, end, label
# A screen of the next word: the words it may start with, and every prefix of them (the next
# word passes when it starts with one of the first or is one of the second).
Screen = tuple[tuple[str, ...], frozenset[str]]
# A word's phrase patterns (category, pattern, the two characters that can follow the word, or
# None), its single-word labels (category, label), and the length of the word as a hit.
_Phrases = list[tuple[str, re.Pattern[str], frozenset[str] | None]]
_Entry = tuple[_Phrases | None, list[tuple[str, str]] | None, int]


class Lexicon:
    """Labelled alternations in named categories -> matches per category on lowercased text.

    One pass over the words serves every category; within a category matches do not overlap,
    across categories they may ("call me" is a channel move and "call" an imperative)."""

    def __init__(self, categories: Mapping[str, Mapping[str, str]]) -> None:
        self.words: dict[str, list[tuple[str, str]]] = {}
        by_first: dict[tuple[str, str], list[tuple[str, str]]] = {}
        fallback: dict[str, list[tuple[str, str]]] = {}
        for cat, entries in categories.items():
            for label, alternation in entries.items():
                for alt in split_top(alternation):
                    literals = expand(alt)
                    if literals is None:
                        fallback.setdefault(cat, []).append((label, alt))
                        continue
                    for lit in literals:
                        first = _TOKEN_RE.match(lit)
                        if first is None:
                            fallback.setdefault(cat, []).append((label, re.escape(lit)))
                        elif first.end() == len(lit):
                            options = self.words.setdefault(lit, [])
                            if all(c != cat for c, _ in options):
                                options.append((cat, label))
                        else:
                            # The bucket gets the alternative itself, not its expansions: a
                            # compact pattern matches much faster than thousands of literals.
                            bucket = by_first.setdefault((first.group(), cat), [])
                            if (label, alt) not in bucket:
                                bucket.append((label, alt))
        self.phrases: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        # The same, each with the two characters that can follow its first word ("could you"
        # -> " y"), or None: most tries of a phrase pattern fail on that slice alone ("i" is a
        # candidate for "i was wondering", but not before " l"), and a set test is far cheaper
        # than a regex match.
        screened: dict[str, list[tuple[str, re.Pattern[str], frozenset[str] | None]]] = {}
        # The alternatives behind each of `phrases`' patterns, in the same order.
        self._alternatives: dict[str, list[list[tuple[str, str]]]] = {}
        for (word, cat), items in by_first.items():
            rx = _compile(items)
            self.phrases.setdefault(word, []).append((cat, rx))
            self._alternatives.setdefault(word, []).append(items)
            screened.setdefault(word, []).append((cat, rx, _continuations(word, items)))
        self.fallback = {cat: _compile(items) for cat, items in fallback.items()}
        # A fallback made only of patterns that start with a digit ("20-page") cannot match a
        # text without digits: one fast C scan saves the regex pass over the whole text.
        self.needs_digit = {
            cat: all(alt.startswith((r"\d", "[0-9]")) for _, alt in items)
            for cat, items in fallback.items()
        }
        # Likewise a fallback whose every pattern ends in plain letters ("page" of "20-page")
        # cannot match a text without one of those endings (a `str` test each, in C).
        self.needs_text: dict[str, tuple[str, ...] | None] = {}
        for cat, items in fallback.items():
            tails = tuple(_literal_tail(alt) for _, alt in items)
            self.needs_text[cat] = tails if all(tails) else None
        self.categories = tuple(categories)
        # `new_hits`: a dict display written out for these categories, compiled once. Every
        # check needs a fresh list per category; the display builds them with no loop and no
        # comprehension frame (a third cheaper). The names are quoted with repr.
        self.new_hits: Callable[[], dict[str, list[Hit]]] = eval(
            "lambda: {" + "".join(f"{cat!r}: [], " for cat in self.categories) + "}"
        )
        # One dict lookup per word of the text (most words are in neither table).
        self._table: dict[str, tuple[_Phrases | None, list[tuple[str, str]] | None]] = {
            w: (screened.get(w), self.words.get(w)) for w in {*self.words, *self.phrases}
        }

    def find(
        self,
        text: str,
        words: list[tuple[int, str]] | None = None,
        tokens: list[str] | None = None,
    ) -> dict[str, list[Hit]]:
        """Matches per category in the lowercased `text`. `words` and `tokens`: the text's
        words as this matcher splits them, with and without their offsets, when the caller
        already has them (see `same_tokens`): then no word has to be looked for in the text."""
        hits = self.new_hits()
        phrased: list[str] = []  # the categories a phrase pattern hit in (see `finish`)
        table = self._table
        if words is None or tokens is None:
            located = self._located(text)
        elif "'s" in text or "’s" in text:
            # Only words in a table, or possessives of one, can hit.
            located = [
                sw for sw in words if sw[1] in table or (sw[1][-1] == "s" and sw[1][-2:] in _POSS)
            ]
        else:  # no possessive anywhere: the selection runs in C
            located = list(compress(words, map(table.__contains__, tokens)))
        for start, word in located:
            entry = table.get(word)
            if entry is None:
                options = self.words.get(word[:-2])  # "daughter's" is about a daughter
                if options is None:
                    continue
                rxs = None
                size = len(word) - 2
            else:
                rxs, options = entry
                size = len(word)
            done: tuple[str, ...] = ()
            if rxs is not None:
                after = text[start + len(word) : start + len(word) + 2]
                for cat, rx, follow in rxs:
                    if follow is not None and after not in follow:
                        continue
                    pm = rx.match(text, start)
                    if pm is not None and pm.lastgroup:
                        hits[cat].append((start, pm.end(), _label(pm.lastgroup)))
                        done = (*done, cat)
                        phrased.append(cat)
            if options is not None:
                for cat, label in options:
                    if cat not in done:
                        hits[cat].append((start, start + size, label))
        return self.finish(text, hits, phrased)

    def entry(self, word: str) -> _Entry | None:
        """What the word `word` of a text can start here: (phrase patterns, single-word
        labels, the word's length as a hit), or None. A possessive ("daughter's") of a listed
        word counts as the word. For callers that walk the words themselves (`MultiMatcher`)."""
        found = self._table.get(word)
        if found is not None:
            return found[0], found[1], len(word)
        if word[-2:] in _POSS:
            options = self.words.get(word[:-2])
            if options is not None:
                return None, options, len(word) - 2
        return None

    def next_word_screens(self, word: str) -> list[tuple[str, re.Pattern[str], Screen | None]]:
        """The phrase patterns that can start at the word `word` (`phrases`), each with a
        screen of the word after it in an ASCII text split into the same words as
        `matcher.starts_and_tokens` splits it (see `same_tokens`), or None (always try it).
        A stricter test than the two characters after the word: "your" starts "your partner"
        and "your house", so " p" and " h" pass, but the next word "post" fails. Computed
        once per word by the caller (`matcher.MultiMatcher`)."""
        return [
            (cat, rx, _next_word_screen(word, items))
            for (cat, rx), items in zip(
                self.phrases.get(word, ()), self._alternatives.get(word, ()), strict=True
            )
        ]

    def finish(
        self, text: str, hits: dict[str, list[Hit]], phrased: list[str] | None = None
    ) -> dict[str, list[Hit]]:
        """The fallback patterns' matches added to the word-level ones, and each category's
        overlaps removed (the leftmost, then longest, stays). `phrased`: the categories a
        phrase pattern hit in, when the word-level hits were found word by word in text
        order (see `find`); then only those can overlap: a single-word hit ends where its
        word ends, before the next word starts. None: every category is looked at."""
        digits: bool | None = None
        for cat, rx in self.fallback.items():
            tails = self.needs_text[cat]
            if tails is not None and not any(map(text.__contains__, tails)):
                continue
            if self.needs_digit[cat]:
                if digits is None:
                    digits = has_digit(text)
                if not digits:
                    continue
            extra = [(f.start(), f.end(), _label(f.lastgroup or "")) for f in rx.finditer(text)]
            if extra:
                hits[cat].extend(extra)
                hits[cat].sort(key=lambda t: (t[0], -t[1]))
                if phrased is not None:
                    phrased = [*phrased, cat]
        if phrased is None:
            phrased = [cat for cat, found in hits.items() if len(found) > 1]
        for cat in phrased:
            if len(hits[cat]) > 1:
                hits[cat] = _no_overlap(hits[cat])
        return hits

    def _located(self, text: str) -> list[tuple[int, str]]:
        """The words of `text` that can hit, with their offsets. findall (strings only) is
        several times cheaper than finditer's match objects; the position is looked up only
        for the few words that can hit."""
        table, words = self._table, self.words
        tokens = _ascii_tokens(text)
        if tokens is None:
            tokens = _TOKEN_RE.findall(text)
        if "'s" in text or "’s" in text:
            # Possessives only of a listed word: another one is not looked for in the text.
            candidates = [
                w
                for w in tokens
                if w in table or (w[-1] == "s" and w[-2:] in _POSS and w[:-2] in words)
            ]
        else:  # no possessive anywhere: the filter runs in C
            candidates = list(filter(table.__contains__, tokens))
        out: list[tuple[int, str]] = []
        cursor = 0
        for word in candidates:
            # The usual case of `_locate` inline (no call per word): the first occurrence,
            # after a space or the start, before a space, punctuation or the end.
            start = text.find(word, cursor)
            cursor = start + len(word)
            if not (
                (start == 0 or text[start - 1] == " ") and text[cursor : cursor + 1] in _ENDS_TOKEN
            ):
                start = _locate(text, word, start)  # nothing earlier: `find` saw none
                cursor = start + len(word)
            out.append((start, word))
        return out

    def find_one(self, text: str, category: str) -> list[Hit]:
        return self.find(text)[category]


def _in_token(text: str, pos: int) -> bool:
    """Whether `pos` is inside a token (so a token cannot start there)."""
    if pos == 0:
        return False
    c = text[pos - 1]
    if c.isalnum() or c in "_$@":
        return True
    return c in "'’-" and pos >= 2 and (text[pos - 2].isalnum() or text[pos - 2] == "_")


def _locate(text: str, word: str, cursor: int) -> int:
    """Where the next token `word` starts at or after `cursor` (it is there: findall saw it)."""
    pos = text.find(word, cursor)
    while pos != -1:
        # The usual case, decided without a regex: after a space or the start, before a space,
        # punctuation or the end (no token can go on past any of those).
        if (pos == 0 or text[pos - 1] == " ") and text[
            pos + len(word) : pos + len(word) + 1
        ] in _ENDS_TOKEN:
            return pos
        if not _in_token(text, pos):
            m = _TOKEN_RE.match(text, pos)
            if m is not None and m.end() - pos == len(word):
                return pos
        pos = text.find(word, pos + 1)
    raise AssertionError(f"token {word!r} not found after {cursor}")  # findall saw it


def _literal_tail(pattern: str) -> str:
    """The lowercase letters every match of `pattern` ends with ("page" of `\\d+[- ]page`): the
    run of plain letters at its very end, none of them escaped, quantified or in a group or
    class ("" when it ends otherwise)."""
    k = len(pattern)
    while k > 0 and "a" <= pattern[k - 1] <= "z" and pattern[k - 2 : k - 1] != "\\":
        k -= 1
    if pattern[k - 2 : k - 1] == "\\" and pattern[k - 1] not in "bBdDsSwWAZ":
        return ""  # an escape that may take the letters after it ("\\ufeff", "\\x41")
    return pattern[k:]


def _no_overlap(found: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in found:
        if out and hit[0] < out[-1][1]:
            continue
        out.append(hit)
    return out


def _continuations(word: str, items: list[tuple[str, str]]) -> frozenset[str] | None:
    """The two characters after `word` in every phrase of `items` that can match where the text
    has the word `word`, or None when some phrase is too short to say (then the pattern is
    always tried). A match is the text itself: a phrase that neither starts with `word` nor is
    a prefix of it ("e" of "e-mail") differs from the text before its end."""
    k = len(word)
    out: set[str] = set()
    for _, alt in items:
        literals = expand(alt)
        if literals is None:
            return None
        for lit in literals:
            if lit.startswith(word):
                if len(lit) < k + 2:
                    return None
                out.add(lit[k : k + 2])
            elif word.startswith(lit):
                return None
    return frozenset(out)


# The characters a word of `matcher.starts_and_tokens` starts with.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _next_word_screen(word: str, items: list[tuple[str, str]]) -> Screen | None:
    """What the next word must look like for one of the phrases of `items` to match where
    an ASCII text has the word `word` (words split as `matcher.starts_and_tokens` splits them,
    which `same_tokens` guarantees for the lexicon's own split): it starts with one of the
    returned second words, or is a prefix of one (the first of the tuple's two parts; the
    second holds every prefix). None: some phrase can match without a next word, or is not a
    small set of literals: always try.

    Why it holds: a phrase matching at the word is the text itself from there. After the word
    comes a gap of characters no word starts with, then the next word; so the phrase, past
    the word and its gap, spells how the next word begins. That word either ends within the
    phrase's next run of word characters (a prefix of it) or goes on past it (starts with it).
    A phrase whose next character would be part of the word itself cannot match there (the
    word would be longer), nor a non-ASCII one ("don’t") in an ASCII text."""
    seconds: set[str] = set()
    for _, alt in items:
        literals = expand(alt)
        if literals is None:
            return None
        for lit in literals:
            if not lit.startswith(word):
                if word.startswith(lit):
                    return None  # ends inside the word ("don" of "don't"): may match
                continue  # differs from the word: cannot match there
            if not lit.isascii():
                continue
            rest = lit[len(word) :]
            k = 0
            while k < len(rest) and rest[k] not in _WORD_CHARS:
                k += 1
            gap, after = rest[:k], rest[k:]
            if not after:
                return None  # the word (and some punctuation) alone: no next word needed
            if not gap:
                continue  # a word character right after the word: it would be a longer word
            if gap == "'" and after[0].isalpha() and "'" not in word:
                continue  # "'re" after "you" would make the word "you're"
            j = 0
            while j < len(after) and after[j] in _WORD_CHARS:
                j += 1
            seconds.add(after[:j])
    prefixes = frozenset(w[:k] for w in seconds for k in range(1, len(w) + 1))
    return tuple(sorted(seconds)), prefixes


def _compile(items: list[tuple[str, str]]) -> re.Pattern[str]:
    # Longest first, so "family problems" wins over "family"; one named group per item keeps
    # its label (group names must be unique, hence the index).
    ordered = sorted(items, key=lambda it: -len(it[1]))
    body = "|".join(f"(?P<g{n}_{_safe(label)}>{alt})" for n, (label, alt) in enumerate(ordered))
    return re.compile(r"(?<![\w$@])(?:" + body + r")(?![\w])")


def _safe(label: str) -> str:
    return label.replace("-", "__")


@cache
def _label(group: str) -> str:
    # Cached: a handful of group names recur on every check.
    return group.split("_", 1)[1].replace("__", "-")
