"""Texting shorthand is read as the words it stands for, and spans map back to the draft."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.shorthand import expand


def test_common_shorthand_is_spelled_out() -> None:
    text, back = expand("hey can u send me ur address lol")
    assert text == "hey can you send me your address lol"
    assert back is not None
    # "your address" in the expanded text is "ur address" in the draft.
    start = text.index("your address")
    assert (back.start(start), back.end(start + len("your address"))) == (18, 28)
    assert expand("Thx! r u free?")[0] == "Thanks! are you free?"
    assert expand("Ur so sweet, ily")[0] == "Your so sweet, i love you"


def test_words_that_only_look_like_shorthand_are_left_alone() -> None:
    for text in ("I live in Austin, TX", "U.S. and u-turn and r/AskReddit and @u and ur's",
                 "R is a language", "Ty, thanks for coming", "Hi Wen, the BC office",
                 "urgent: your user id", "menu", "e-mail u2"):
        assert expand(text) == (text, None), text


_piece = st.sampled_from(["u", "ur", "r", "pls", "Thx", "ily", "you", "hello", "U", "ur's",
                          "😊", "e\u0301", "東京", "u.", "-u", "bf"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_piece, st.sampled_from([" ", ", ", "! ", "\n", "?"])), max_size=12))
def test_every_word_of_the_expansion_maps_back_to_the_draft(parts: list[tuple[str, str]]) -> None:
    draft = "".join(w + sep for w, sep in parts)
    text, back = expand(draft)
    if back is None:
        assert text == draft
        return
    for m in re.finditer(r"\S+", text):
        start, end = back.start(m.start()), back.end(m.end())
        assert 0 <= start <= end <= len(draft)
        # Text outside the spelled-out words is the draft's own, at the mapped place.
        if all(m.end() <= a or m.start() >= b for a, b, _, _ in back.edits):
            assert draft[start:end] == m.group()
    # Every spelled-out word maps to exactly the short form that was typed.
    for new_start, new_end, old_start, old_end in back.edits:
        assert (back.start(new_start), back.end(new_end)) == (old_start, old_end)
        assert draft[old_start:old_end].lower() in {"u", "ur", "r", "pls", "thx", "ily", "bf"}


def test_a_check_reads_shorthand_and_points_at_what_was_typed() -> None:
    from datetime import UTC, datetime

    from coach.check import check_offline
    from coach.demo import demo_contacts

    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    ana = next(c for c in demo_contacts(now=now) if c.id == "c-ana-kovacevic")
    typed = "hey can u send me ur address lol"
    short = check_offline(typed, ana, "dm", now=now)
    long = check_offline("hey can you send me your address lol", ana, "dm", now=now)
    assert short.verdict == long.verdict == "hold"
    assert short.scores == long.scores
    assert [f.rule for f in short.flags] == [f.rule for f in long.flags]
    quoted = {f.rule: typed[f.start : f.end] for f in short.flags}
    assert quoted == {"channel-escalation": "send me ur address", "personal-question": "ur address"}
    # The rewrite, if any, keeps the writer's own words.
    assert short.rewrite is None or "ur" in short.rewrite.split()



_screen_piece = st.sampled_from(["u", "ur", "r", "pls", "Thx", "IM", "b4", "x", "you", "-", "'",
                                 '"', ".", ",", "(", ")", "*", "_", "~", "/", "@", " ", "\n",
                                 "\t", "\x1c", "\x1f", "\x0b", "ty", "Ty", "’", "…", "\xa0",
                                 "\u2028", "\u3000", "\x85", "é", "東京", "😊", "—", "«"])


@settings(max_examples=800, deadline=None)
@given(st.lists(_screen_piece, max_size=16))
def test_byte_screen_never_skips_what_the_word_screen_keeps(pieces: list[str]) -> None:
    # The byte screen is only a shortcut: whenever it lets a draft through unread, the word
    # screen behind it (and so `expand`) would have left the draft as it is too.
    from coach.analysis import shorthand as sh

    text = "".join(pieces)
    kept_by_words = not sh._SHORT_WORDS.isdisjoint(w.strip(sh._PUNCT) for w in text.split())
    assert sh._may_hold_shorthand(text) or not kept_by_words
