"""Courtesy: the strategies people rate move the score, and the flags point at the exact words."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.courtesy import analyse_courtesy
from coach.analysis.linear import get_model
from coach.analysis.politeness_strategies import find_strategies


def rules(text: str) -> dict[str, str]:
    """rule -> the flagged words, read back from the span."""
    return {f.rule: text[f.start : f.end] for f in analyse_courtesy(text).flags}


def test_gratitude_raises_courtesy() -> None:
    bare = analyse_courtesy("Could you send me the slides from the talk?")
    thanked = analyse_courtesy("Thanks so much! Could you send me the slides from the talk?")
    assert thanked.score > bare.score
    assert "gratitude" in thanked.signals and thanked.signals["gratitude"] > 0


def test_counterfactual_request_beats_bald_imperative() -> None:
    assert (
        analyse_courtesy("Could you send me the report when you get a chance?").score
        > analyse_courtesy("Send me the report.").score
    )


def test_so_you_opener_is_flagged_with_its_exact_span() -> None:
    text = "So you never answered my email?"
    found = analyse_courtesy(text).flags
    opener = [f for f in found if f.rule == "rude-opener"]
    assert len(opener) == 1
    assert (opener[0].start, opener[0].end) == (0, 6)
    assert text[opener[0].start : opener[0].end] == "So you"
    assert opener[0].source and opener[0].message and "So you" in opener[0].evidence


def test_so_opener_only_counts_at_the_start_of_the_message() -> None:
    assert "rude-opener" not in rules("I liked it. So did my team, for what it's worth.")


def test_precision_cases_stay_quiet() -> None:
    # Each of these once drew a flag in the Wikipedia requests rated most polite.
    quiet = [
        "So far so good? Drop me an email sometime, ok?",
        "So glad you made it!",
        "I actually posted my comments a couple of minutes ago.",
        "Nice work, that explains it quite clearly!",
        "Any thoughts? Delete it as a duplicate, or copy it to Commons?",
        "Good catch. Do we have a solution for that yet?",
        "See you on Thursday!",
    ]
    for text in quiet:
        assert analyse_courtesy(text).flags == [], text


def test_so_why_opener_is_info_and_so_you_is_warn() -> None:
    why = analyse_courtesy("So why is this still broken?").flags
    assert [(f.rule, f.severity) for f in why] == [("rude-opener", "info")]
    you = analyse_courtesy("So, you forgot again?").flags
    assert [(f.rule, f.severity) for f in you] == [("rude-opener", "warn")]


def test_actually_is_flagged() -> None:
    text = "Actually, the deadline was Friday."
    assert rules(text)["actually"] == "Actually"
    assert rules("The report is, in fact, late.")["actually"] == "in fact"


def test_bald_imperative_flagged_only_without_a_softener() -> None:
    assert rules("Send me the numbers by noon.")["bald-imperative"] == "Send"
    assert "bald-imperative" not in rules("Please send me the numbers by noon.")
    assert "bald-imperative" not in rules("Send me the numbers when you can, thanks!")


def test_rude_phrase_is_a_warning() -> None:
    text = "Who the hell wrote this?"
    flag = next(f for f in analyse_courtesy(text).flags if f.rule == "rude-phrase")
    assert flag.severity == "warn"
    assert text[flag.start : flag.end] == "Who the hell"
    assert rules("Did you even see my messages?")["rude-phrase"] == "Did you even see"


def test_gushing_needs_stacked_superlatives() -> None:
    gushing = "You are amazing!!! Absolutely incredible, the best ever!!!"
    assert "gushing" in rules(gushing)
    hearts = "OMG you are literally the BEST colleague EVER!!! 😍😍😍 I owe you my life"
    flag = next(f for f in analyse_courtesy(hearts).flags if f.rule == "gushing")
    assert flag.severity == "warn" and hearts[flag.start : flag.end].startswith("OMG")
    assert "gushing" not in rules("Your talk was amazing, thanks for sharing the slides.")


def test_negative_words_span_the_harsh_stretch() -> None:
    text = "Hi. This is stupid and the whole thing is useless. Why?"
    flag = next(f for f in analyse_courtesy(text).flags if f.rule == "negative-words")
    assert text[flag.start : flag.end] == "stupid and the whole thing is useless"
    assert "'stupid'" in flag.evidence and "'useless'" in flag.evidence


def test_a_polite_message_raises_no_flags_and_shows_its_markers() -> None:
    text = "Hi Dana, thanks for the talk! Could you maybe share the slides when you have a moment?"
    result = analyse_courtesy(text)
    assert result.flags == []
    kinds = {m.kind for m in result.markers}
    assert {"greeting", "gratitude", "counterfactual", "hedge"} <= kinds
    for m in result.markers:
        assert text[m.start : m.end] == m.text
    assert result.score > 0.8


def test_hostile_message_scores_low() -> None:
    assert analyse_courtesy("Actually that's wrong. Did you even read the docs?").score < 0.3


def test_signals_decompose_the_score() -> None:
    result = analyse_courtesy("Hey, thanks! So, could you fix the build? It's broken again.")
    z = get_model("courtesy").bias + sum(result.signals.values())
    assert math.isclose(1 / (1 + math.exp(-z)), result.score, abs_tol=1e-3)


def test_emoji_and_combining_characters_keep_spans_right() -> None:
    # Astral emoji with a skin-tone modifier and an e + combining acute before the opener.
    text = "👋🏽 So you forgot? e\u0301 🙂 Actually, café\u0301 is fine 🎉. Send it."
    found = rules(text)
    assert found["rude-opener"] == "So you"
    assert found["actually"] == "Actually"
    assert found["bald-imperative"] == "Send"


def test_capital_dotted_i_does_not_shift_spans() -> None:
    # "İ".lower() is two characters; offsets must still index the original text.
    text = "İİİ İstanbul. Actually, it rained."
    assert rules(text)["actually"] == "Actually"


def test_control_characters() -> None:
    text = "\x00\x07So you\x1b[31m never wrote back\x7f"
    result = analyse_courtesy(text)
    assert 0.0 <= result.score <= 1.0
    for f in result.flags:
        assert 0 <= f.start < f.end <= len(text)


def test_empty_and_wordless_text_is_neutral() -> None:
    for text in ("", "   ", "🙂🙂", "\n\n"):
        result = analyse_courtesy(text)
        assert result.score == 0.5
        assert result.flags == []


def test_one_megabyte_draft_does_not_crash() -> None:
    text = ("Could you please send the report? Actually, never mind. " * 20_000)[:1_000_000]
    result = analyse_courtesy(text)
    assert 0.0 <= result.score <= 1.0
    for f in result.flags:
        assert 0 <= f.start < f.end <= len(text)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_score_and_spans_inside_it(text: str) -> None:
    result = analyse_courtesy(text)
    assert 0.0 <= result.score <= 1.0
    for f in result.flags:
        assert 0 <= f.start <= f.end <= len(text)
    for m in result.markers:
        assert text[m.start : m.end] == m.text


def kinds_and_spans(text: str) -> dict[str, str]:
    """strategy kind -> the words it was found in (first hit of each kind)."""
    out: dict[str, str] = {}
    for h in find_strategies(text).hits:
        out.setdefault(h.kind, text[h.start : h.end])
    return out


def test_strategies_beyond_the_2013_set_are_found_with_their_words() -> None:
    found = kinds_and_spans(
        "Sorry to bother you. Any chance you could look? What do you think? May I add it?"
    )
    assert found["apology"] == "Sorry to bother"
    assert found["indirect"] == "Any chance"
    assert found["opinion"] == "What do you think"
    assert found["permission"] == "May I"
    assert kinds_and_spans("I'd like the notes, if you could.")["counterfactual"] == "I'd like"
    assert kinds_and_spans("Why did you revert it?")["challenge"] == "Why did you"
    assert kinds_and_spans("I wonder why you changed it.")["challenge"] == "why you"
    assert kinds_and_spans("Is there anything I can do?")["offer"] == "anything I can do"
    # "really" insists in a question, but only warms up praise.
    assert kinds_and_spans("Do you really think so?")["factuality"] == "really"
    assert "factuality" not in kinds_and_spans("Really glad it works, really appreciate it.")


def test_asking_their_view_reads_politer_than_challenging_them() -> None:
    asking = analyse_courtesy("I moved the section. What do you think?")
    challenging = analyse_courtesy("I moved the section. Why did you revert it?")
    assert asking.score > challenging.score
    assert "opinion" in {m.kind for m in asking.markers}
    assert challenging.signals["challenge"] < 0


def test_rated_valence_counts_unlisted_words_and_respects_negation() -> None:
    harsh = find_strategies("This plan is dreadful and the result is a disaster.").features
    assert harsh["valence_neg"] > 0 and "valence_pos" not in harsh
    warm = find_strategies("What a delightful surprise.").features
    assert warm["valence_pos"] > 0 and "valence_neg" not in warm
    # Aimed at the reader, negative words count apart from bad news about the writer's life.
    aimed = find_strategies("You are wrong. My dad died.").features
    assert aimed["valence_neg_you"] > 0 and aimed["valence_neg"] > 0
    assert "valence_neg_you" not in find_strategies("My dad died last year.").features
    # "No problem" / "not bad" reassure: the negated word carries no tone.
    assert "valence_neg" not in find_strategies("No problem, not bad at all.").features


def test_an_accusing_why_is_flagged_and_a_suggestion_is_not() -> None:
    # A message with no other finding scored 0.08 and went out as "ok": nothing visible to
    # revise. The accusing question is now a flag a person can see and act on.
    from coach.check import check_offline

    r = check_offline("Why haven't you answered yet?")
    assert [(f.rule, f.severity) for f in r.flags] == [("challenge", "warn")]
    assert r.verdict == "revise" and r.flags[0].start == 0
    for friendly in ("Why don't you join us on Friday?", "Why did you pick Rust for this?"):
        assert not [f for f in check_offline(friendly).flags if f.rule == "challenge"], friendly
