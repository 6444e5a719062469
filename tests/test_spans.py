"""The draft's own spans: topics with mode and depth, endearments, chasing, channel moves,
researched facts, requests, address; offsets exact with emoji and combining characters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.lexmatch import Lexicon, expand
from coach.analysis.text import analyse_text, lower_same_length


def test_topic_question_about_them_vs_own_disclosure() -> None:
    tf = analyse_text("How are your kids? My mother has cancer.")
    by_word = {t.text: t for t in tf.topics}
    assert by_word["kids"].mode == "question" and by_word["kids"].about_them
    assert by_word["kids"].topic == "family" and by_word["kids"].depth == 1
    assert by_word["cancer"].mode == "disclosure" and not by_word["cancer"].about_them
    assert by_word["cancer"].depth == 3


def test_question_with_no_person_named_is_asked_of_the_reader() -> None:
    tf = analyse_text("Any plans with the family over the holidays?")
    assert [(t.topic, t.mode, t.about_them) for t in tf.topics] == [("family", "question", True)]


def test_ordinary_words_are_not_topics() -> None:
    tf = analyse_text("I'm afraid the build broke again; can you check every single file?")
    assert tf.topics == []


def test_endearments_strong_anywhere_weak_only_as_address() -> None:
    tf = analyse_text("Thanks, buddy! I love the new release, hun")
    assert [e.text for e in tf.endearments] == ["buddy", "hun"]
    assert analyse_text("My friend and I love the feature").endearments == []
    assert analyse_text("What a beautiful design").endearments == []


def test_guilt_closeness_channel_researched_spans() -> None:
    draft = (
        "As a friend, just bumping this. What's your number? "
        "I saw on your Instagram you moved. Congrats on the new baby!"
    )
    tf = analyse_text(draft)
    assert [s.text for s in tf.presumed_closeness] == ["As a friend"]
    assert [s.text for s in tf.guilt] == ["just bumping this"]
    assert [(s.kind, s.text) for s in tf.channel_moves] == [("sms", "What's your number")]
    assert [s.kind for s in tf.researched] == ["source", "event:family"]
    for group in (tf.presumed_closeness, tf.guilt, tf.channel_moves, tf.researched):
        for s in group:
            assert draft[s.start : s.end] == s.text


def test_requests_size_and_bald_on_record() -> None:
    tf = analyse_text("Introduce me to your CEO. Could you send the link?")
    big, small = tf.requests
    assert (big.size, big.bald, big.kind) == ("large", True, "intro")
    assert not small.bald
    assert analyse_text("Please send the logs when you have a moment.").requests[0].bald is False


@pytest.mark.parametrize(
    "draft",
    [
        "Can you intro me to your partners?",
        "Intro me to your investors.",
        "Any chance of an intro?",
        "Hi Ana. Can you intro me to your partners asap",
        "Great talk! Also can you intro me to your partners asap",
    ],
)
def test_the_short_form_intro_is_an_introduction(draft: str) -> None:
    (req,) = analyse_text(draft).requests
    assert (req.size, req.kind) == ("large", "intro")


def test_a_deadline_raises_the_size_of_an_ask() -> None:
    plain = analyse_text("Could you look at this?").requests[0]
    rushed = analyse_text("Could you look at this asap?").requests[0]
    assert (plain.size, rushed.size) == ("medium", "large")
    assert analyse_text("Can you send the link by tomorrow?").requests[0].size == "medium"


def test_address_is_found_with_its_exact_span() -> None:
    draft = "Hey Dani hun! Thanks so much."
    tf = analyse_text(draft)
    assert [(a.text, draft[a.start : a.end]) for a in tf.address] == [("Dani", "Dani")]
    assert tf.greeting is not None and tf.greeting.text == "Hey"


@pytest.mark.parametrize(
    "prefix", ["🎉🎉 ", "Jose\u0301 👋🏽 ", "👨‍👩‍👧 famille ", "İstanbul! ", "Ｈｉ ", "\u200b"]
)
def test_offsets_stay_exact_with_emoji_and_combining_characters(prefix: str) -> None:
    draft = prefix + "Are you married? Thanks, hun"
    tf = analyse_text(draft)
    topic = next(t for t in tf.topics if t.topic == "relationships")
    assert draft[topic.start : topic.end] == "married"
    assert [draft[e.start : e.end] for e in tf.endearments] == ["hun"]


def test_lowercasing_keeps_every_index() -> None:
    text = "İSTANBUL ẞ ǅ Ω"
    assert len(lower_same_length(text)) == len(text)


def test_lexicon_expands_small_patterns_and_matches_longest() -> None:
    assert sorted(expand("kids?") or []) == ["kid", "kids"]
    assert expand(r"\d+ pages") is None
    lex = Lexicon({"c": {"short": "family", "long": "family problems"}})
    assert lex.find("my family problems")["c"] == [(3, 18, "long")]
    assert lex.find("familyish")["c"] == []


def _reference_find(lex: Lexicon, text: str) -> dict[str, list[tuple[int, int, str]]]:
    """The obvious (slower) way: every token by finditer, positions from the match."""
    from coach.analysis.lexmatch import _TOKEN_RE, _label, _no_overlap

    hits: dict[str, list[tuple[int, int, str]]] = {c: [] for c in lex.categories}
    for m in _TOKEN_RE.finditer(text):
        word, start, done = m.group(), m.start(), set()
        for cat, rx in lex.phrases.get(word, []):
            pm = rx.match(text, start)
            if pm is not None and pm.lastgroup:
                hits[cat].append((start, pm.end(), _label(pm.lastgroup)))
                done.add(cat)
        options, end = lex.words.get(word), m.end()
        if options is None and word[-2:] in ("'s", "’s"):
            options, end = lex.words.get(word[:-2]), end - 2
        for cat, label in options or []:
            if cat not in done:
                hits[cat].append((start, end, label))
    for cat, rx in lex.fallback.items():
        hits[cat].extend((f.start(), f.end(), _label(f.lastgroup or "")) for f in rx.finditer(text))
        hits[cat].sort(key=lambda t: (t[0], -t[1]))
    return {c: _no_overlap(v) if len(v) > 1 else v for c, v in hits.items()}


_PIECES = st.sampled_from(
    [
        "kid",
        "kids",
        "kidding",
        "kid's",
        "ex-wife",
        "wife",
        "my",
        "your",
        "partner",
        "hun",
        "as a friend",
        "call me",
        "call",
        "still waiting",
        "'",
        "-",
        "’s",
        " ",
        " ",
        ", ",
        ". ",
        "?",
        "😀",
        "e\u0301",
        "İ",
        "x",
        "$5",
        "20-page",
        "family",
        "problems",
        "dm me",
        "please",
        "send",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=25))
def test_fast_lexicon_finds_what_the_obvious_scan_finds(pieces: list[str]) -> None:
    from coach.analysis.text import text_lexicon

    text = lower_same_length("".join(pieces))
    lex = text_lexicon()
    assert lex.find(text) == _reference_find(lex, text)
