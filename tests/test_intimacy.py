"""Intimacy and self-disclosure: personal beats impersonal, on clear examples, for any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.disclosure import analyse_disclosure
from coach.analysis.intimacy import (
    EMPATH_PATH,
    analyse_intimacy,
    intimacy_features,
    intimacy_inputs,
    intimacy_raw,
)
from coach.analysis.linear import get_model
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


def test_the_app_reads_what_calibration_fitted() -> None:
    """The runtime sum (named features, words at 1/sqrt(n), one model pass) equals the linear
    model applied to the calibration's feature dict, and the shares add up to it."""
    model = get_model("intimacy")
    for text in (
        "Have you ever cheated on someone you loved?",
        "Did Newton really see an apple fall? What is gravity, honestly?",
        "Thanks hun, see you soon",
        "",
    ):
        raw = intimacy_raw(text)
        assert abs(raw - model.raw(intimacy_features(text))) < 1e-9
        result = analyse_intimacy(text)
        assert result.score == round(model.to_score(model.bias + sum(result.signals.values())), 4)


def test_cues_empath_and_rare_words() -> None:
    feats = intimacy_features("Who do you trust when you are honestly at your lowest?")
    assert feats.get("cue:social") and feats.get("cue:depth")
    # Counts per sqrt(number of words), like the words: two sex words in seven count twice.
    feats = intimacy_features("Have you ever had a threesome? Kinky!")
    assert abs(feats["cue:sexual"] - 2 / 7**0.5) < 1e-9
    assert feats.get("empath:sexual")
    # Words outside everyday English mark an impersonal (technical) question.
    assert intimacy_inputs("Does sound have inertia?").named.get("rare_words")
    assert "rare_words" not in intimacy_inputs("Do you miss her?").named


def test_a_long_text_does_not_pile_up_word_weights() -> None:
    """Word shares are divided by sqrt(number of words): the same word counts less in a long
    text, so a pasted essay is not scored as the sum of a hundred small word weights."""
    short = analyse_intimacy("Have you ever cheated?").signals
    long = analyse_intimacy(
        "Have you ever cheated? The meeting is on Monday at the office near the station, "
        "bring the slides and the budget numbers for the third quarter, thanks."
    ).signals
    assert short["w:you"] > 0
    assert long.get("w:you", 0.0) < short["w:you"] / 2


def test_empath_lexicon_ships_with_its_license() -> None:
    assert EMPATH_PATH.is_file()
    assert "Copyright (c) 2016 Ethan Fast" in EMPATH_PATH.with_name("empath_LICENSE.txt").read_text(
        encoding="utf-8"
    )


def test_enthusiasm_is_not_an_emotional_topic() -> None:
    # "Would love to have you on" is an invitation, "loved your talk" praise: neither is about
    # feelings, and they read as personal as nothing else in an outreach message.
    from coach.analysis.intimacy import analyse_intimacy

    invite = analyse_intimacy("Hi Lars, following up about the podcast. Would love to have you on.")
    assert "topic:emotions" not in invite.signals and invite.score < 0.35
    assert "topic:emotions" not in analyse_intimacy("Loved your talk at PyCon!").signals
    assert analyse_intimacy("I love you").score > 0.8  # love itself still is
