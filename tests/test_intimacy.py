"""Intimacy and self-disclosure: personal beats impersonal, on clear examples, for any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.disclosure import analyse_disclosure
from coach.analysis.intimacy import analyse_intimacy
from coach.analysis.personal import find_personal


def test_personal_questions_are_more_intimate_than_factual_ones() -> None:
    personal = [
        "How are things with your wife? Are you still depressed?",
        "Have you ever cheated on a partner?",
        "What is your biggest regret in life?",
    ]
    factual = [
        "What is the capital of France?",
        "How does the compiler handle tail calls?",
        "Which version of the library should I use?",
    ]
    low = max(analyse_intimacy(t).score for t in factual)
    high = min(analyse_intimacy(t).score for t in personal)
    assert high > low


def test_scores_stay_in_range_and_explain_themselves() -> None:
    result = analyse_intimacy("Do you miss your ex? I still cry about mine.")
    assert 0.0 <= result.score <= 1.0
    assert any(k.startswith("topic:") for k in result.signals)


def test_topic_spans_are_exact_with_emoji() -> None:
    text = "🎉🏽 How is your mother's health?"
    pf = find_personal(text)
    found = {h.kind: text[h.start : h.end] for h in pf.topics}
    assert found["family"] == "mother"
    assert found["health"] == "health"


def test_endearments_are_found() -> None:
    text = "Thanks hun, see you soon"
    pf = find_personal(text)
    assert [text[h.start : h.end] for h in pf.endearments] == ["hun"]


def test_emotional_disclosure() -> None:
    feeling = analyse_disclosure("I cried all night, I feel so lonely since the divorce.")
    neutral = analyse_disclosure("The meeting moved to 3pm in room B.")
    assert feeling.emotional > 0.5 > neutral.emotional
    assert feeling.emotional > neutral.emotional


def test_informational_disclosure() -> None:
    facts = analyse_disclosure("My husband and I moved to Denver when I was 25.")
    neutral = analyse_disclosure("Is the library open on Sundays?")
    assert facts.informational > neutral.informational
    assert facts.informational > 0.5


def test_empty_huge_and_control_text() -> None:
    for text in ("", "\x00\x1b[0m\x7f", "x" * 1_000_000, "Do you love me? " * 70_000):
        i = analyse_intimacy(text)
        d = analyse_disclosure(text)
        assert 0.0 <= i.score <= 1.0
        assert 0.0 <= d.emotional <= 1.0 and 0.0 <= d.informational <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    assert 0.0 <= analyse_intimacy(text).score <= 1.0
    pf = find_personal(text)
    for h in pf.topics + pf.endearments:
        assert text[h.start : h.end] == h.text
