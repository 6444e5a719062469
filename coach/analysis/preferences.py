"""Stated preferences: the name form, pronouns, topics, channels and quiet hours a contact asked
for. Breaking one is a `stop`: the message goes against their own words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, time
from functools import lru_cache
from typing import NamedTuple

from coach.analysis.evidence import (
    CHANNEL_ALIASES,
    CHANNEL_WORDS,
    EXPECTANCY,
    STATED,
    TOPIC_NAMES,
    flag,
)
from coach.analysis.features import TextFeatures
from coach.analysis.lexmatch import has_digit
from coach.analysis.stage import (
    RelationshipFacts,
)
from coach.analysis.topics import topics_in
from coach.models import PUBLIC_CHANNELS, Contact, Flag, Preference

_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "sir", "madam"})

_PRONOUN_WORDS = {
    "he": ("he", "him", "his", "himself"),
    "she": ("she", "her", "hers", "herself"),
}
_PRONOUN_SETS = {
    key: re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)
    for key, words in _PRONOUN_WORDS.items()
}


@lru_cache(maxsize=4096)
def _norm_tokens(name: str) -> tuple[str, ...]:
    # Cached: the same few names come back on every check.
    return tuple(t for t in re.split(r"[\s.,]+", name.lower().replace("’", "'")) if t)


@lru_cache(maxsize=1024)
def _ascii_names(names: frozenset[str]) -> tuple[str, ...] | None:
    """The names of two letters or more, when every name is ASCII (else None)."""
    if not all(n.isascii() for n in names):
        return None
    return tuple(n for n in names if len(n) >= 2)


@lru_cache(maxsize=1024)
def _names_re(names: frozenset[str]) -> re.Pattern[str] | None:
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 2)
    return re.compile(rf"\b(?:{alts})\b", re.IGNORECASE) if alts else None


def check_names(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact, flags: list[Flag]
) -> None:
    """How the draft addresses them: the name form they asked for, the name they go by, and
    nicknames of their name they never used."""
    # The fields read from the model's `__dict__` once: every pydantic attribute read goes
    # through its `__getattr__` hook, and this runs on every check with a contact.
    c = contact.__dict__
    if tf.address:
        known, preferred, stems = _name_forms(c["name"], c["preferred_name"])
        _address(tf, facts, contact, known, preferred, stems, flags)
    pronouns = c["pronouns"]
    if pronouns:
        look = _pronoun_look(c["name"], c["preferred_name"], pronouns)
        hit = _pronoun_hit(look, tf.text) if look is not None else None
        if hit is not None:
            start, end = hit
            flags.append(
                flag(
                    "preference-pronouns",
                    "stop",
                    start,
                    end,
                    f"Uses '{tf.text[start:end]}' for {facts.name}, whose pronouns are {pronouns}",
                    f"{facts.name} stated pronouns: {pronouns}",
                    STATED,
                )
            )


@lru_cache(maxsize=1024)
def _name_forms(
    name: str, preferred_name: str
) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """(every token of their names, the preferred name's tokens, the 3-letter stems a nickname
    shares): the same few names come back on every check, so this is worked out once."""
    preferred = _norm_tokens(preferred_name)
    known = frozenset(_norm_tokens(name)) | frozenset(preferred)
    stems = frozenset(t[:3] for t in (preferred[:1] + _norm_tokens(name)[:1]) if len(t) >= 3)
    return known, preferred, stems


def _address(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact,
    known: frozenset[str],
    preferred: tuple[str, ...],
    stems: frozenset[str],
    flags: list[Flag],
) -> None:
    wanted: list[Preference] | None = None  # read on the first span that names them
    for s in tf.address:
        tokens, bare, nickname, is_them = _address_words(s.text, known, stems)
        if not is_them:
            continue
        if wanted is None:
            wanted = [p for p in contact.preferences if p.kind == "name_form" and p.value.strip()]
        if wanted:
            if any(set(_norm_tokens(p.value)) <= set(tokens) for p in wanted):
                continue
            p = wanted[0]
            flags.append(
                flag(
                    "preference-name",
                    "stop",
                    s.start,
                    s.end,
                    f"Addresses them as '{s.text}'; they asked to be called '{p.value}'",
                    f'{facts.name} said: "{p.quote}"'
                    if p.quote
                    else f"stated name form: {p.value}",
                    STATED,
                )
            )
        elif preferred and not set(preferred) <= set(bare) and not nickname:
            flags.append(
                flag(
                    "preference-name",
                    "warn",
                    s.start,
                    s.end,
                    f"Addresses them as '{s.text}'; they go by '{contact.preferred_name}'",
                    f"{contact.name} uses the name '{contact.preferred_name}'",
                    STATED,
                )
            )
        elif nickname and facts.stage != "close" and s.text.lower() not in facts.incoming_text:
            flags.append(
                flag(
                    "endearment",
                    "warn",
                    s.start,
                    s.end,
                    f"Calls them '{s.text}', a form of their name they have not used",
                    f"they go by '{contact.address_name}'; stage: {facts.stage}",
                    EXPECTANCY,
                )
            )


@lru_cache(maxsize=4096)
def _address_words(
    text: str, known: frozenset[str], stems: frozenset[str]
) -> tuple[tuple[str, ...], tuple[str, ...], bool, bool]:
    """How an address ("Dr. Reyes", "Danny") reads against their names: (its tokens, the
    tokens that are not titles, whether it is a nickname of their name, whether it names
    them). Cached like `_norm_tokens`: the same few addresses and names come back on every
    check."""
    tokens = _norm_tokens(text)
    bare = tuple(t for t in tokens if t not in _TITLES)
    if not bare:
        return tokens, bare, False, False
    nickname = not set(bare) <= known and any(t[:3] in stems for t in bare)
    return tokens, bare, nickname, bool(set(bare) & known) or nickname


class _PronounLook(NamedTuple):
    """What the pronoun check looks for, worked out once per contact's names and pronouns."""

    names: re.Pattern[str]  # their names (two letters or more), any case
    wrong: tuple[re.Pattern[str], ...]  # the pronoun sets they did not state, any case
    ascii_names: tuple[str, ...] | None  # the names, when every one is ASCII
    # The same two searches for lowercased ASCII text (None when a name does not start with
    # a word character): see `_lowercase_search`.
    names_low: re.Pattern[str] | None
    wrong_low: tuple[re.Pattern[str], ...]


def _lowercase_search(words: Sequence[str]) -> re.Pattern[str] | None:
    """`\\b(?:w1|w2|...)\\b` (case-insensitive), for lowercased ASCII text, written so that
    `re` can skip ahead to the first letters instead of trying the leading `\\b` at every
    position (several times faster on a tweet). Before a word character `\\b` means "no word
    character just before": `d(?<!\\wd)ana\\b` is `\\bdana\\b`, alternatives in the same
    order. On ASCII text, a case-insensitive match of ASCII words is a plain match on the
    lowercased text (ASCII lowercasing keeps every offset and what counts as a word character).
    None when a word is not lowercase ASCII starting with a word character.

    Words that share a first letter share it and its lookbehind (`h(?<!\\wh)(?:e\\b|im\\b)`,
    the same alternatives in the same order, so the same match): where one letter starts every
    word, `re` looks for that literal alone, far faster than a set of first letters. Words with
    different first letters never match at the same place, so their order does not matter."""
    rests: dict[str, list[str]] = {}  # first letter -> the rest of each word, in order
    for w in words:
        if not (w.isascii() and w == w.lower() and _WORD_START_RE.match(w)):
            return None
        rests.setdefault(w[0], []).append(rf"{re.escape(w[1:])}\b")
    alts = [
        rf"{re.escape(first)}(?<!\w{re.escape(first)})(?:{'|'.join(ends)})"
        for first, ends in rests.items()
    ]
    return re.compile("|".join(alts)) if alts else None


def _matches_where(rx: re.Pattern[str], text: str, words: Sequence[str]) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)` for a pattern each of whose matches starts with one of `words`:
    tried only where one of them occurs (`str.find`, in C) instead of at every character.
    Left to right, each try after the last match's end, as `finditer` goes."""
    starts: set[int] = set()
    for w in words:
        i = text.find(w)
        while i != -1:
            starts.add(i)
            i = text.find(w, i + 1)
    end = 0
    for i in sorted(starts):
        if i >= end:
            m = rx.match(text, i)  # the lookbehinds still see the text before i
            if m is not None:
                end = m.end()
                yield m


@lru_cache(maxsize=1024)
def _pronoun_look(name: str, preferred_name: str, pronouns: str) -> _PronounLook | None:
    """Worked out once per contact's names and stated pronouns (the same few strings come
    back on every check); None when there is nothing to look for: no name of two letters,
    or no pronoun set they did not state."""
    stated_words = _NON_WORDS_RE.split(pronouns.lower())
    wrong = tuple(k for k in _PRONOUN_SETS if k not in stated_words)
    known = _name_forms(name, preferred_name)[0]
    names_re = _names_re(known)
    if not wrong or names_re is None:
        return None
    ascii_names = _ascii_names(known)
    names_low = None
    if ascii_names is not None:
        # Longest first, as in `_names_re`: where two names start at the same place, the
        # longer one is the match.
        names_low = _lowercase_search(sorted(ascii_names, key=len, reverse=True))
    wrong_low = [_lowercase_search(_PRONOUN_WORDS[k]) for k in wrong]
    return _PronounLook(
        names_re,
        tuple(_PRONOUN_SETS[k] for k in wrong),
        ascii_names,
        names_low if None not in wrong_low else None,
        tuple(rx for rx in wrong_low if rx is not None),
    )


def _pronoun_hit(look: _PronounLook, text: str, fast: bool = True) -> tuple[int, int] | None:
    """The span of the first pronoun of a set they did not state within 150 characters after
    a mention of their name. `fast=False` forces the plain case-insensitive search (tests)."""
    names, wrong, where = look.names, look.wrong, text
    if fast and look.ascii_names is not None:
        ascii_text = text.isascii()
        # A name must occur as a substring of the folded text before any regex scan is worth
        # it (most drafts do not name the person, and the case-insensitive scan is slow).
        low = text.lower()
        # `_ASCII_CASE_TWINS_CHARS`, tested one by one (a generator costs more than the tests).
        if not ascii_text and (
            "\u212a" in text or "\u0130" in text or "\u0131" in text or "\u017f" in text
        ):
            low = text.translate(_ASCII_CASE_TWINS).lower()  # rare: translate is slow here
        for n in look.ascii_names:
            if n in low:
                break
        else:
            return None
        if ascii_text and look.names_low is not None:
            # Each match of `names_low` starts with one of the ASCII names.
            names_found = _matches_where(look.names_low, low, look.ascii_names)
            return _wrong_after(names_found, look.wrong_low, low)
    return _wrong_after(names.finditer(where), wrong, where)


def _wrong_after(
    names_found: Iterable[re.Match[str]], wrong: Sequence[re.Pattern[str]], where: str
) -> tuple[int, int] | None:
    """The first pronoun of `wrong` within 150 characters after a mention of their name."""
    for m in names_found:
        window_end = min(len(where), m.end() + 150)
        for rx in wrong:
            hit = rx.search(where, m.end(), window_end)
            if hit:
                return hit.start(), hit.end()
    return None


def avoided_topics(contact: Contact) -> dict[str, str]:
    """Topic -> their own words, for each topic they asked to keep out of it."""
    out: dict[str, str] = {}
    for p in contact.preferences:
        if p.kind != "topic_avoid":
            continue
        for t in _avoided(p.value, p.quote):
            out[t] = p.quote
    return out


@lru_cache(maxsize=1024)
def _avoided(value: str, quote: str) -> tuple[str, ...]:
    # Cached: the same preference is read on every check of that contact, and each read
    # runs the topic lexicon over its words.
    value = value.strip().lower()
    topics = {value} if value in TOPIC_NAMES else set()
    topics |= topics_in(value) or topics_in(quote.lower())
    return tuple(topics)


def check_preferences(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact,
    channel: str | None,
    now: datetime,
    flags: list[Flag],
) -> None:
    """Channels they asked for or against, and quiet hours (now, or a time the draft proposes)."""
    for p in contact.preferences:
        kind = p.kind
        if kind in ("channel_avoid", "channel"):
            target = CHANNEL_ALIASES.get(p.value.strip().lower())
            if target is None:
                continue
            moves = [s for s in tf.channel_moves if CHANNEL_ALIASES.get(s.kind, s.kind) != target]
            if kind == "channel_avoid":
                if channel and CHANNEL_ALIASES.get(channel, channel) == target:
                    flags.append(
                        flag(
                            "preference-channel",
                            "stop",
                            0,
                            0,
                            f"Sent by {channel}, a channel {facts.name} asked you not to use",
                            _said(facts, p),
                            STATED,
                        )
                    )
                for s in tf.channel_moves:
                    if CHANNEL_ALIASES.get(s.kind, s.kind) == target:
                        flags.append(
                            flag(
                                "preference-channel",
                                "stop",
                                s.start,
                                s.end,
                                f"Moves to {p.value}, which {facts.name} asked you not to use",
                                _said(facts, p),
                                STATED,
                            )
                        )
            else:
                if (
                    channel
                    and channel not in PUBLIC_CHANNELS
                    and channel != target
                    and channel not in ("meeting", "in_person")
                ):
                    flags.append(
                        flag(
                            "preference-channel",
                            "stop",
                            0,
                            0,
                            f"Sent by {channel}; {facts.name} prefers {p.value}",
                            _said(facts, p),
                            STATED,
                        )
                    )
                for s in moves:
                    if s.kind != "in_person":
                        flags.append(
                            flag(
                                "preference-channel",
                                "stop",
                                s.start,
                                s.end,
                                f"Moves to {CHANNEL_WORDS.get(s.kind, s.kind)}; "
                                f"{facts.name} prefers {p.value}",
                                _said(facts, p),
                                STATED,
                            )
                        )
        elif kind == "quiet_hours":
            window = parse_quiet_hours(p.value)
            if window is None:
                continue
            # The wall-clock time as given (naive: compared with the stated hours); the test of
            # `in_window`, written out (this runs on every check of a contact with quiet hours).
            t, (start, end) = now.time(), window
            if (start <= t < end) if start <= end else (t >= start or t < end):
                flags.append(
                    flag(
                        "quiet-hours",
                        "stop",
                        0,
                        0,
                        f"It is {now:%H:%M}: inside {facts.name}'s quiet hours ({p.value})",
                        _said(facts, p),
                        STATED,
                    )
                )
            if _may_hold_clock(tf.text):
                # A call or meeting proposed for inside their quiet hours breaks it just the same.
                for m in _CLOCK_RE.finditer(tf.text):
                    at = _clock(m)
                    if at is not None and in_window(at, *window):
                        flags.append(
                            flag(
                                "quiet-hours",
                                "stop",
                                m.start(),
                                m.end(),
                                f"Proposes {at:%H:%M}, inside {facts.name}'s quiet hours "
                                f"({p.value})",
                                _said(facts, p),
                                STATED,
                            )
                        )
                        break


def _may_hold_clock(text: str) -> bool:
    """Whether `_CLOCK_RE` could match: each of its forms has a colon after a digit, or a digit
    then am/pm. Both screens skip straight to what they look for, where the pattern tries its
    leading `\\b` at every position ("30 minutes" alone has a digit but no clock time)."""
    if text.isascii():
        # Most drafts have no digit at all. On ASCII text (the usual draft) ten substring
        # tests settle that: each is one `memchr` over the text, cheaper together than the one
        # pass of `has_digit` (which first copies the text to bytes).
        if not (
            "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
            or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
        ):
            return False
        return ":" in text or _AMPM_RE.search(text) is not None
    # `\\d` knows the digits of every script, and `re` looks up each character's category to
    # find one (on a tweet, as long as the rest of this check): on other text that search
    # comes last, after the cheaper tests.
    return (":" in text or _digit_then_ampm(text)) and has_digit(text)


def _digit_then_ampm(text: str) -> bool:
    """`_AMPM_RE.search(text) is not None`, found from the other end: `re` skips straight to
    each a/p + optional dot + m (a few per message: "same", "team"), then the characters
    before it are read back over the blanks to a digit, where `_AMPM_RE` tries its `\\d` (a
    category lookup on text that is not ASCII) at every position. `\\s` and `\\d` are
    `str.isspace` and `str.isdecimal` for one character, and no character but these four folds
    to a, p or m, so both find the same (checked over every code point)."""
    for m in _AMPM_TAIL_RE.finditer(text):
        i = m.start() - 1
        while i >= 0 and text[i].isspace():
            i -= 1
        if i >= 0 and text[i].isdecimal():
            return True
    return False


def _said(facts: RelationshipFacts, p: Preference) -> str:
    # Built only for a flag that quotes it (most checks break no preference).
    return f'{facts.name} said: "{p.quote}"' if p.quote else f"{facts.name} stated: {p.value}"


_NON_WORDS_RE = re.compile(r"\W+")
# The non-ASCII characters `re`'s case-insensitive matching takes for an ASCII letter besides
# its two cases: KELVIN SIGN, DOTTED CAPITAL I (their simple lowercase is ASCII), DOTLESS I and
# LONG S (`re`'s own equivalences). Folded to that letter (then lowercased), a text holds an
# ASCII name as a substring wherever the case-insensitive pattern could match it.
_ASCII_CASE_TWINS_CHARS = ("\u212a", "\u0130", "\u0131", "\u017f")
_ASCII_CASE_TWINS = str.maketrans(dict(zip(_ASCII_CASE_TWINS_CHARS, "kiis", strict=True)))
_WORD_START_RE = re.compile(r"\w")
_CLOCK_RE = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)(?!\w)|\b(?P<h24>\d{1,2}):(?P<m24>\d{2})\b",
    re.IGNORECASE,
)


def _clock(m: re.Match[str]) -> time | None:
    if m.group("h24"):
        h, mi = int(m.group("h24")), int(m.group("m24"))
    else:
        h, mi = int(m.group("h")), int(m.group("m") or 0)
        if h < 1 or h > 12:
            return None
        h = h % 12 + (12 if m.group("ampm").lower().startswith("p") else 0)
    return time(h, mi) if h < 24 and mi < 60 else None


_AMPM_RE = re.compile(r"\d\s*[ap]\.?m", re.IGNORECASE)  # see `_digit_then_ampm`
_AMPM_TAIL_RE = re.compile(r"[aApP]\.?[mM]")
_HOURS_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to)\s*(\d{1,2})(?::(\d{2}))?")


@lru_cache(maxsize=1024)
def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    m = _HOURS_RE.search(value)
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) if g else 0 for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    return time(h1, m1), time(h2 % 24, m2)


def in_window(t: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= t < end
    return t >= start or t < end  # wraps midnight: 20:00-08:00
