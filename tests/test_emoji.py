"""Affectionate emoji are found with exact code-point spans, and only those."""

from __future__ import annotations

from coach.analysis.emoji import find_affection


def test_kisses_and_hearts_are_found_with_their_spans() -> None:
    text = "Your order shipped 😘 thanks 🥰💕"
    spans = find_affection(text)
    assert [(s.start, s.end, s.text) for s in spans] == [(19, 20, "😘"), (28, 29, "🥰"), (29, 30, "💕")]
    assert all(text[s.start : s.end] == s.text and s.kind == "emoji" for s in spans)


def test_the_presentation_selector_stays_with_its_emoji() -> None:
    text = "see you 💋\ufe0f soon"
    (span,) = find_affection(text)
    assert text[span.start : span.end] == "💋\ufe0f"


def test_everyday_emoji_and_plain_text_are_not_affection() -> None:
    assert find_affection("Love the new logo 😍 👍 ❤️ 🙏 😂") == []
    assert find_affection("Thanks, see you Monday!") == []
    assert find_affection("Merci, à lundi ! 😊") == []
