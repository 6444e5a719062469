"""Fast lexicon matching: try only the phrases that can start with each word of the text.

Python's `re` tries every branch of a big alternation at every character, which costs over
100 us on a tweet. Here each phrase is indexed by its literal prefix; for each word we compile
(once, cached) a small pattern of the phrases that could start there and match it at that word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import not_
from typing import Any

from coach.analysis.lexmatch import Hit as LexHit
from coach.analysis.lexmatch import Lexicon, _label, expand

# Words (with inner apostrophes) in the original text, so spans are exact string offsets.
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_LOWER_WORD_SPLIT_RE = re.compile(r"([a-z0-9]+(?:'[a-z]+)?)")
# Byte -> itself where it can be in a word of `_LOWER_WORD_SPLIT_RE`, else a space.
_WORD_BYTES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32 for c in range(256)
)
# An apostrophe that is not inside one word: not after a letter or digit, not before a letter,
# or followed by letters and then a digit or another apostrophe ("'quoted'", "kids'", "5'9",
# "it's2", "rock'n'roll"): there the pattern splits a run of word characters differently.
_ODD_APOSTROPHE_RE = re.compile(r"'(?:(?<![a-z0-9]')|(?![a-z])|[a-z]+[0-9'])")
_META = set("\\()[]?*+{}|.^$")
_QUANT = set("?*+{")
_CACHE_LIMIT = 20_000
# Stands for `\\s+` in a phrase expanded into literals (see `PhraseMatcher._next_words`).
_GAP = "\x00"
# The second words a phrase can have, and every prefix of them.
_Screen = tuple[tuple[str, ...], frozenset[str]]
_MISSING: Any = object()


@dataclass(slots=True)
class Hit:
    kind: str
    start: int
    end: int
    text: str


def split_top(pattern: str) -> list[str]:
    """Split a pattern on the `|` that are not inside a group or a character class."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def expand_leading_group(alt: str) -> list[str]:
    """`(?:i|we)\\s+x` -> [`i\\s+x`, `we\\s+x`], so every phrase has a literal first word."""
    if not alt.startswith("(?:"):
        return [alt]
    depth, i = 0, 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    inner, rest = alt[3:i], alt[i + 1 :]
    if rest[:1] in _QUANT:  # an optional leading group: no single literal start; keep whole
        return [alt]
    out: list[str] = []
    for part in split_top(inner):
        out.extend(expand_leading_group(part + rest))
    return out


def literal_prefix(alt: str) -> str:
    """The literal lower-case characters every match of `alt` starts with."""
    out: list[str] = []
    for i, c in enumerate(alt):
        if c in _META:
            if c in _QUANT and out:
                out.pop()  # "thanks?": the s is optional
            break
        out.append(c.lower())
        if i + 1 == len(alt):
            break
    return "".join(out)


class PhraseMatcher:
    """Named phrase groups, matched at word starts, leftmost and non-overlapping (like finditer)."""

    def __init__(self, groups: list[tuple[str, str]]) -> None:
        self._order = {kind: n for n, (kind, _) in enumerate(groups)}
        self._by_prefix: dict[str, list[tuple[str, str]]] = {}
        self._maxlen = 1
        for kind, pattern in groups:
            for top in split_top(pattern):
                for alt in expand_leading_group(top):
                    prefix = literal_prefix(alt)
                    if not prefix:
                        raise ValueError(f"phrase without a literal start in {kind}: {alt!r}")
                    self._by_prefix.setdefault(prefix, []).append((kind, alt))
                    self._maxlen = max(self._maxlen, len(prefix))
        # Words seen before: the pattern of the phrases they can start with the screen of the
        # words that can follow (see `_next_words`), or in `_none` when they start none (most
        # words; a set test is the cheapest way to skip them).
        self._cache: dict[str, tuple[re.Pattern[str], _Screen | None]] = {}
        self._none: set[str] = set()
        self._by_longest: dict[str, re.Pattern[str]] = {}
        self._literals: dict[str, frozenset[tuple[str, str, str]] | None] = {}

    def _alternatives(self, longest: str) -> dict[str, list[str]]:
        """Kind -> the phrases a word whose longest indexed prefix is `longest` can start."""
        by_kind: dict[str, list[str]] = {}
        for k in range(1, len(longest) + 1):
            for kind, alt in self._by_prefix.get(longest[:k], ()):
                by_kind.setdefault(kind, []).append(alt)
        return by_kind

    def _next_words(self, word: str, longest: str) -> _Screen | None:
        """The second words of the phrases that can match where the word `word` stands, when
        each is the word itself, blanks (`\\s+`) and at least one more word (and all are plain
        literals); with all their prefixes. In an ASCII text (where the case-insensitive match
        is a plain lowercase comparison) such a phrase can only match if the next word follows
        after nothing but blanks and starts with one of them, or is a prefix of one ("e" of
        "e-mail"); phrases with a shorter start cannot match inside the word. Most tries of a
        phrase pattern fail on the second word ("the" is a candidate for "the best"), and
        this test is far cheaper than the regex. None: no such screen (always try)."""
        literals = self._literals.get(longest, _MISSING)
        if literals is _MISSING:
            literals = self._literals[longest] = self._split_literals(longest)
        if literals is None:
            return None
        seconds: set[str] = set()
        for head, gap, second in literals:
            if head == word:
                if not gap or not second[:1].isalnum():
                    return None  # the word alone may match ("thanks")
                seconds.add(second)
            elif word.startswith(head):
                # A shorter start: blanks cannot come inside the word, nor a word boundary
                # ("thank" in "thanks"), except at an apostrophe ("don't").
                if not gap and "'" in word:
                    return None
            elif head.startswith(word):
                rest = head[len(word) :]
                if rest[:1] == "'" and rest[1:].isalpha():
                    # "you've" at the word "you": an apostrophe and letters right after it
                    # would have been part of the word, so this phrase cannot start here.
                    continue
                return None  # goes on past the word ("e-mail" at "e")
            # Otherwise it differs from the word: it cannot match there.
        prefixes = frozenset(w[:k] for w in seconds for k in range(1, len(w) + 1))
        return tuple(sorted(seconds)), prefixes

    def _split_literals(self, longest: str) -> frozenset[tuple[str, str, str]] | None:
        """Every ASCII phrase the words with this longest prefix can start, expanded, as
        (first word, blanks or "", second word); None when one is not a plain literal.
        Computed once per prefix: many words share it."""
        out: set[tuple[str, str, str]] = set()
        for alts in self._alternatives(longest).values():
            for alt in alts:
                literals = expand(alt.replace(r"\s+", _GAP))
                if literals is None:
                    return None
                for lit in literals:
                    if lit.isascii():  # "don’t" can never match in an ASCII text
                        head, gap, rest = lit.lower().partition(_GAP)
                        out.add((head, gap, rest.split(_GAP, 1)[0]))
        return frozenset(out)

    def _pattern_for(self, word: str) -> tuple[re.Pattern[str], _Screen | None] | None:
        # The phrases that can start with `word` are those whose prefix is a prefix of it,
        # i.e. all prefixes of its longest indexed prefix: one pattern per such prefix.
        longest = ""
        for k in range(min(len(word), self._maxlen), 0, -1):
            if word[:k] in self._by_prefix:
                longest = word[:k]
                break
        pat = self._by_longest.get(longest, _MISSING) if longest else None
        if pat is _MISSING:
            pat = self._by_longest[longest] = self._compile(longest)
        if len(self._cache) + len(self._none) > _CACHE_LIMIT:  # a pasted novel: bounded memory
            self._cache.clear()
            self._none.clear()
        if pat is None:
            self._none.add(word)
            return None
        entry = self._cache[word] = (pat, self._next_words(word, longest))
        return entry

    def _compile(self, longest: str) -> re.Pattern[str]:
        by_kind = self._alternatives(longest)
        kinds = sorted(by_kind, key=self._order.__getitem__)
        # Longest alternatives first so "thank you so much" wins over "thank".
        body = "|".join(
            f"(?P<{kind}>(?:{'|'.join(sorted(by_kind[kind], key=len, reverse=True))})\\b)"
            for kind in kinds
        )
        return re.compile(body, re.IGNORECASE)

    def find(
        self, text: str, words: list[tuple[int, str]], tokens: list[str] | None = None
    ) -> list[Hit]:
        """Hits in `text`, given its words as (start offset, lower-cased word) and, when the
        caller has them, the words alone (`tokens`, same order)."""
        hits: list[Hit] = []
        last_end = 0
        cached = self._cache.get
        none = self._none
        # Most words start no phrase: they are dropped at C speed and the loop below sees only
        # the few candidates, in text order.
        if tokens is None:
            tokens = [w for _, w in words]
        n = len(words)
        ascii = text.isascii()
        for i in compress(range(n), map(not_, map(none.__contains__, tokens))):
            start, word = words[i]
            if start < last_end:
                continue
            entry = cached(word)
            if entry is None:
                entry = self._pattern_for(word)
                if entry is None:
                    continue
            pat, screen = entry
            if screen is not None and ascii:
                if i + 1 == n:
                    continue  # nothing follows: no second word
                nstart, nxt = words[i + 1]
                if not _continues(screen, text, start + len(word), nstart, nxt):
                    continue
            m = pat.match(text, start)
            if m is not None:
                end = m.end()
                hits.append(Hit(m.lastgroup or "", start, end, m.group()))
                last_end = end
        return hits


def starts_and_tokens(text: str) -> tuple[list[int], list[str]]:
    """Where every word starts (offsets into `text` itself), and the lower-cased words."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a character that lower-cases to two ("İ"): offsets would shift
        found = list(WORD_RE.finditer(text))
        return [m.start() for m in found], [m.group().lower().replace("’", "'") for m in found]
    if low.isascii() and ("'" not in low or _ODD_APOSTROPHE_RE.search(low) is None):
        # No regex pass (each of its matches costs more than a whole string method): every
        # character that cannot be in a word becomes a space, and a split on single spaces
        # leaves the words, with an empty part for each further gap character, so part i
        # starts at (the lengths of the parts before it) + i. With every apostrophe inside a
        # word ("don't", "what's") each run of word characters is exactly one word of the
        # pattern. The running offsets are one short loop: cheaper than a chain of C
        # iterators (accumulate, count, zip, compress), which builds an object per step.
        parts = low.encode("ascii").translate(_WORD_BYTES).decode("ascii").split(" ")
        starts: list[int] = []
        at = 0
        for part in parts:
            if part:
                starts.append(at)
            at += len(part) + 1
        return starts, list(filter(None, parts))
    # One split gives the gaps and the words in turn ([gap, word, gap, ..., gap]); each word
    # starts where the parts before it end, so the offsets are running sums of the lengths,
    # all computed in C (a Python loop per word costs more than the regex pass itself).
    parts = _LOWER_WORD_SPLIT_RE.split(low)
    return list(accumulate(map(len, parts)))[0:-1:2], parts[1::2]


def words_and_tokens(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """(start, lower-cased word) for every word, and the words alone.

    The offsets index the original string.
    """
    starts, tokens = starts_and_tokens(text)
    return list(zip(starts, tokens, strict=True)), tokens


def words_of(text: str) -> list[tuple[int, str]]:
    """(start, lower-cased word) for every word; the offsets index the original string."""
    return words_and_tokens(text)[0]


# One phrase matcher a word can start a phrase of: (its index, its pattern, its screen; the
# screen only in the table for ASCII text, where it holds).
_Lane = tuple[int, re.Pattern[str], _Screen | None]
# A lexicon phrase pattern a word can start: (category, pattern, screen of the next word or
# None; see `lexmatch.Lexicon.next_word_screens`).
_LexTry = tuple[str, re.Pattern[str], _Screen | None]
# Everything a walk needs at a candidate word, flat so that one unpacking gives it all:
# its lanes; a screen of the next word for all lanes at once (None: some lane must always be
# tried); a screen of the next word for everything at once, lanes and lexicon (None: no such
# screen); the lexicon's phrase patterns (None: none), its single-word labels (see
# `lexmatch.Lexicon.entry`) and their hit length; the length of the word itself.
_Candidate = tuple[
    tuple[_Lane, ...],
    _Screen | None,
    _Screen | None,
    tuple[_LexTry, ...] | None,
    list[tuple[str, str]] | None,
    int,
    int,
]


def _continues(screen: _Screen, text: str, word_end: int, next_start: int, nxt: str) -> bool:
    """Whether the next word can go on with a phrase whose first word ends at `word_end`: it
    begins like one of the phrases' second words and only spaces come between (ASCII text)."""
    return (nxt.startswith(screen[0]) or nxt in screen[1]) and text[word_end:next_start].isspace()


class MultiMatcher:
    """Several phrase matchers and one lexicon, found in one walk over the words of a text.

    Each matcher on its own walks every word again (its own candidate filter, its own loop);
    here one filter keeps the words that start something for any of them, and each candidate
    is tried for each matcher it can start a phrase of. What each finds is exactly what its own
    `find` would: the same screens, the same patterns, the same non-overlap rule per matcher.

    In ASCII text the second-word screens hold (see `PhraseMatcher._next_words`), and two
    shortcuts follow from them: a lane whose screen no word passes is dropped (words such as
    "export", which only start like the phrase "ex"), and a word whose lanes are all screened
    is tested once against the union of their screens before any lane is tried.
    """

    def __init__(self, phrases: tuple[PhraseMatcher, ...], lexicon: Lexicon) -> None:
        self._phrases = phrases
        self._lexicon = lexicon
        # By (ASCII text, with the lexicon): the words that start something, with their
        # entry, and every word looked at so far (most start nothing). A walk first makes sure
        # it knows all its words (one C-level subset test), so that the walk itself only picks
        # the candidates (one C-level filter) and unpacks their entries.
        self._candidates: dict[tuple[bool, bool], dict[str, _Candidate]] = {}
        self._known: dict[tuple[bool, bool], set[str]] = {}
        for key in ((True, True), (True, False), (False, True), (False, False)):
            self._candidates[key] = {}
            self._known[key] = set()

    def _learn(self, tokens: list[str], ascii: bool, lexicon: bool) -> None:
        """Look up the words of `tokens` not seen before, so `find` can rely on its tables."""
        known, candidates = self._known[ascii, lexicon], self._candidates[ascii, lexicon]
        new = set(tokens).difference(known)
        if len(known) + len(new) > _CACHE_LIMIT:  # a pasted novel: bounded memory
            known.clear()
            candidates.clear()
        for word in new:
            entry = self._entry(word, ascii, lexicon)
            if entry is not None:
                candidates[word] = entry
            known.add(word)

    def _entry(self, word: str, ascii: bool, lexicon: bool) -> _Candidate | None:
        lanes: list[_Lane] = []
        for n, pm in enumerate(self._phrases):
            got = pm._cache.get(word)
            if got is None and word not in pm._none:
                got = pm._pattern_for(word)
            if got is not None:
                pat, screen = got
                if not ascii:
                    screen = None  # the screens hold in ASCII text only
                elif screen is not None and not screen[0] and not screen[1]:
                    continue  # no next word passes: the phrase cannot match in ASCII text
                lanes.append((n, pat, screen))
        gate: _Screen | None = None
        if ascii and lanes and all(screen is not None for _, _, screen in lanes):
            seconds: set[str] = set()
            prefixes: set[str] = set()
            for _, _, screen in lanes:
                assert screen is not None
                seconds.update(screen[0])
                prefixes.update(screen[1])
            gate = tuple(sorted(seconds)), frozenset(prefixes)
        found = self._lexicon.entry(word) if lexicon else None
        tries: list[_LexTry] = []
        options: list[tuple[str, str]] | None = None
        size = 0
        if found is not None:
            options, size = found[1], found[2]
            if found[0] is not None:
                if ascii:
                    for cat, rx, screen in self._lexicon.next_word_screens(word):
                        if screen is None or screen[0] or screen[1]:  # else: cannot match
                            tries.append((cat, rx, screen))
                else:
                    tries = [(cat, rx, None) for cat, rx, _ in found[0]]
        # In ASCII text, one test of the next word can rule out the whole word: when every lane
        # and every lexicon phrase is screened (and the word is no hit on its own), the next
        # word must pass the union of their screens. Most candidates ("the", "your") fail it.
        whole: _Screen | None = None
        if (
            ascii
            and (not lanes or gate is not None)
            and options is None
            and all(screen is not None for _, _, screen in tries)
        ):
            seconds = set(gate[0] if gate is not None else ())
            prefixes = set(gate[1] if gate is not None else ())
            for _, _, screen in tries:
                assert screen is not None
                seconds.update(screen[0])
                prefixes.update(screen[1])
            whole = tuple(sorted(seconds)), frozenset(prefixes)
        if not lanes and not tries and options is None:
            return None
        return tuple(lanes), gate, whole, tuple(tries) or None, options, size, len(word)

    def find(
        self,
        text: str,
        starts: list[int],
        tokens: list[str],
        low: str,
        lexicon: bool,
    ) -> tuple[list[list[Hit]], dict[str, list[LexHit]] | None]:
        """Each phrase matcher's hits in `text`, as its `find(text, words, tokens)` gives them
        (`starts`, `tokens`: see `starts_and_tokens`; `words` pairs them), and, with `lexicon`,
        the lexicon's in `low` as its `find(low, words, tokens)` gives them. `low`: the text
        lowercased (`lexmatch.lower_same_length`). `lexicon` only for a text split the same way
        by both tokenisers (`lexmatch.same_tokens`); else None comes back for the lexicon and
        the caller runs its own `find`."""
        found: list[list[Hit]] = [[] for _ in self._phrases]
        last_end = [0] * len(self._phrases)
        lex_hits = self._lexicon.new_hits() if lexicon else {}
        phrased: list[str] = []  # the categories a lexicon phrase hit in (`Lexicon.finish`)
        # The screens hold where case-insensitive matching is a plain lowercase comparison.
        ascii = text.isascii()
        if not self._known[ascii, lexicon].issuperset(tokens):
            self._learn(tokens, ascii, lexicon)
        candidates = self._candidates[ascii, lexicon]
        # The word after each word ("" after the last: no screen passes it).
        nexts = tokens[1:]
        nexts.append("")
        # Most words start nothing: they are dropped at C speed, no bytecode per word.
        for i in compress(range(len(tokens)), map(candidates.__contains__, tokens)):
            lanes, gate, whole, tries, options, size, wlen = candidates[tokens[i]]
            nxt = nexts[i]
            if whole is not None and not (nxt.startswith(whole[0]) or nxt in whole[1]):
                continue  # one test of the next word rules out the lanes and the lexicon
            start = starts[i]
            if lanes and (gate is None or nxt.startswith(gate[0]) or nxt in gate[1]):
                for lane, pat, screen in lanes:
                    if start < last_end[lane]:
                        continue
                    # The next word must be able to continue the phrase (`_continues`).
                    if screen is not None and not (
                        (nxt.startswith(screen[0]) or nxt in screen[1])
                        and text[start + wlen : starts[i + 1]].isspace()
                    ):
                        continue
                    m = pat.match(text, start)
                    if m is not None:
                        end = m.end()
                        found[lane].append(Hit(m.lastgroup or "", start, end, m.group()))
                        last_end[lane] = end
            if tries is not None:
                done: tuple[str, ...] = ()
                for cat, rx, screen in tries:
                    if screen is not None and not (nxt.startswith(screen[0]) or nxt in screen[1]):
                        continue
                    lm = rx.match(low, start)
                    if lm is not None and lm.lastgroup:
                        lex_hits[cat].append((start, lm.end(), _label(lm.lastgroup)))
                        done = (*done, cat)
                        phrased.append(cat)
                if options is not None:
                    for cat, label in options:
                        if cat not in done:
                            lex_hits[cat].append((start, start + size, label))
            elif options is not None:
                for cat, label in options:
                    lex_hits[cat].append((start, start + size, label))
        return found, self._lexicon.finish(low, lex_hits, phrased) if lexicon else None
