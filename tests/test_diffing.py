"""The rewrite diff: both texts come back from it, it stays small for a small edit, and a huge
draft with one word changed does not stall it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.diffing import MAX_DIFFED_TOKENS, change_summary, render_diff, word_diff

_WORDS = st.sampled_from(["hi", "hun", "Dana", "the", "fix", "is", "live", ",", ".", " ", "\n", "é", "😘"])
_TEXT = st.lists(_WORDS, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_the_diff_gives_back_both_texts(draft: str, rewrite: str) -> None:
    ops = word_diff(draft, rewrite)
    assert "".join(t for op, t in ops if op != "+") == draft
    assert "".join(t for op, t in ops if op != "-") == rewrite
    assert all(t for _, t in ops)  # no empty pieces to draw


def test_a_swapped_name_is_one_word_out_and_one_in() -> None:
    assert render_diff("Hey babe, the fix is live.", "Hey Dana, the fix is live.") == (
        "Hey [-babe-]{+Dana+}, the fix is live."
    )
    assert change_summary("Hey babe, the fix is live.", "Hey Dana, the fix is live.") == (
        "removes 1 word, adds 1"
    )
    assert change_summary("Hi, how old are you? Thanks!", "Hi, thanks!") == "removes 5 words, adds 1"


def test_a_huge_draft_with_one_word_changed_diffs_only_that_word() -> None:
    body = "We shipped the new build and the notes are in the wiki. " * 18_000  # ~1 MB
    ops = word_diff("Hey babe, " + body, "Hey Dana, " + body)
    assert ops[:3] == [("=", "Hey "), ("-", "babe"), ("+", "Dana")]
    assert all(op == "=" for op, _ in ops[3:])
    assert "".join(t for _, t in ops[3:]) == ", " + body


def test_a_huge_change_is_shown_whole_not_matched_word_by_word() -> None:
    draft = "a b " * (MAX_DIFFED_TOKENS)
    rewrite = "b a " * (MAX_DIFFED_TOKENS)
    ops = word_diff(draft, rewrite)
    assert "".join(t for op, t in ops if op != "+") == draft
    assert "".join(t for op, t in ops if op != "-") == rewrite
    assert len(ops) <= 4


def test_trimmed_end_whitespace_does_not_make_the_whole_draft_change() -> None:
    body = "We shipped the new build and the notes are in the wiki. " * 18_000
    ops = word_diff("Hey babe, " + body + "\n", "Hey Dana, " + body.rstrip())
    assert ops[:3] == [("=", "Hey "), ("-", "babe"), ("+", "Dana")]
    assert ops[-1] == ("-", " \n")
    assert "".join(t for op, t in ops if op != "+") == "Hey babe, " + body + "\n"
