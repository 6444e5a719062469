"""Shared text machinery made faster must find exactly what the plain way finds: the lexicon
matchers' screens (the two characters after a phrase's first word, the second word), the
possessive-free fast path, one tokenisation serving two matchers and its regex-free split, one
sentence split serving the rewrite."""

from __future__ import annotations

import re
from functools import reduce
from itertools import pairwise, repeat
from operator import add, mul

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.courtesy import (
    _FLAG_KINDS,
    _SOFTENING,
    MARKER_KINDS,
    _first_word,
    analyse_courtesy,
)
from coach.analysis.intimacy import _model_sum, intimacy_inputs
from coach.analysis.lexmatch import (
    _TOKEN_RE,
    Lexicon,
    _ascii_tokens,
    _literal_tail,
    lower_same_length,
    same_tokens,
)
from coach.analysis.linear import LinearModel, get_model
from coach.analysis.matcher import MultiMatcher, PhraseMatcher, words_and_tokens
from coach.analysis.personal import QUESTIONS, TOPICS
from coach.analysis.politeness_strategies import (
    _EMOTICON,
    _END,
    _NEGATORS,
    _OPENER,
    _OPENER_FIRST,
    _SOFTENER,
    PHRASES,
    _has_emoticon,
    _opener_for,
    _softened,
    _valence,
    find_strategies,
    sentence_ends,
)
from coach.analysis.text import text_lexicon, text_matcher
from coach.analysis.topics import _GREETING_CLAUSE_RE, _SENTENCE_RE, sentence_bounds


def _plain(lex_entries: dict[str, str], text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping, word-bounded: the behaviour the Lexicon promises."""
    alts = sorted(((alt, label) for label, alt in lex_entries.items()), key=lambda a: -len(a[0]))
    body = "|".join(f"(?P<{label}>{alt})" for alt, label in alts)
    rx = re.compile(rf"(?<![\w$@])(?:{body})(?![\w])")
    return [(m.start(), m.end(), m.lastgroup or "") for m in rx.finditer(text)]


def test_phrase_tried_only_where_its_next_characters_fit() -> None:
    entries = {"ask": "could you(?: please)?|would you mind", "wonder": "i was wondering"}
    lex = Lexicon({"c": entries})
    for text in (
        "could you please send it",
        "could we talk? would you mind, i was wondering",
        "could you",  # the phrase ends the text
        "could",  # the first word alone is not a phrase
        "could  you",  # two spaces: not the phrase
        "i wonder; i was wondering",
    ):
        assert lex.find(text)["c"] == _plain(entries, text), text


def test_phrase_that_is_a_prefix_of_the_word_is_still_tried() -> None:
    # "e" is a whole match inside the token "e-mail" (a hyphen ends a \w run): the screen
    # must not skip the pattern because the text's word is longer than the phrase.
    entries = {"x": "e(?:-mail me)?"}
    lex = Lexicon({"c": entries})
    assert lex.find("e-mail you")["c"] == [(0, 1, "x")]
    assert lex.find("e-mail me")["c"] == [(0, 9, "x")]


def test_possessives_with_and_without_the_fast_path() -> None:
    lex = Lexicon({"c": {"kid": "kids?|daughter", "ask": "could you"}})
    assert lex.find("my daughter's school")["c"] == [(3, 11, "kid")]
    assert lex.find("my daughter’s school")["c"] == [(3, 11, "kid")]
    assert lex.find("could you ask the kids")["c"] == [(0, 9, "ask"), (18, 22, "kid")]


_ASCII_PIECES = st.sampled_from(
    [
        "don't",
        "it's",
        "5'9",
        "it's2",
        "rock'n'roll",
        "'quoted'",
        "90's",
        "a",
        "b2",
        "x_y",
        "e-mail",
        "$5",
        "@dana",
        " ",
        "  ",
        ", ",
        ". ",
        "!",
        "?",
        "'",
        "''",
        "\n",
        "Hi",
        "YOU'RE",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ASCII_PIECES, max_size=12).map("".join))
def test_shared_tokens_only_when_both_tokenisers_agree(text: str) -> None:
    low = text.lower()
    if same_tokens(low):
        assert _TOKEN_RE.findall(low) == words_and_tokens(text)[1]
        # With the words and their offsets given, the draft lexicons find exactly the same.
        assert text_lexicon().find(low, *words_and_tokens(text)) == text_lexicon().find(low)


def test_shared_tokens_give_the_same_hits() -> None:
    lex = Lexicon({"c": {"ask": "could you", "kid": "kids?"}})
    for text in ("could you ask the kids? don't", "it's the kids' day"):
        assert same_tokens(text)
        assert lex.find(text, *words_and_tokens(text)) == lex.find(text)
    for text in ("5'9 kids", "e-mail the kids", "rock'n'roll", "josé's kids"):
        assert not same_tokens(text)


_SENTENCE_PIECES = st.sampled_from(
    [
        "Hi Dana",
        "HEY",
        "hello",
        "Good Morning",
        "Yo!",
        "dear Sam,",
        "so",
        "You",
        ". ",
        "? ",
        "!! ",
        "\n",
        ", ",
        " ",
        "— ",
        "-",
        "could you help",
        "THANKS",
        "x" * 45,
        ":",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=10).map("".join))
def test_ascii_draft_splits_into_the_same_sentences_lowercased(text: str) -> None:
    # check.py hands the text analysis' sentences (of the lowercased draft) to the rewrite,
    # which would otherwise split the draft as written: for ASCII the two must agree.
    if text.isascii():
        assert sentence_bounds(lower_same_length(text)) == sentence_bounds(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Hi", " ", ".", "...", "!", "?!", "\n", "\n\n", "x", "é", "👋"]),
        max_size=12,
    ).map("".join)
)
def test_sentence_ends_without_regex_are_the_pattern_ends(text: str) -> None:
    # The ASCII fast path finds the same run ends as the regex it stands for.
    assert sentence_ends(text) == [m.end() for m in _END.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [":", ";", "=", "-", "--", ")", "D", "(", "P", "p", "<", "3", "x", " ", "é"]
        ),
        max_size=8,
    ).map("".join)
)
def test_emoticon_test_without_regex_agrees_with_the_pattern(text: str) -> None:
    assert _has_emoticon(text) == (_EMOTICON.search(text) is not None)


_SOFT_PIECES = st.sampled_from(
    [
        "please", "Please", "pls", "could", "i", "I", "a", "an", "and", "if", "ifs", "it",
        "thank", "thanks", "thanked", "you", "little", "bit", "think", "kind", "of", "no",
        "rush", "maybe", "_", "a_bit", "i'm", "don't", "x1", "é", " ", "  ", "\n", ", ", ".",
        "-",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_SOFT_PIECES, max_size=10).map("".join), st.integers(0, 6), st.integers(0, 80))
def test_softener_screen_never_hides_a_softener(text: str, start: int, stop: int) -> None:
    # The word-run screen only skips stretches where the regex finds nothing.
    assert _softened(text, start, stop) == (_SOFTENER.search(text, start, stop) is not None)


def test_softener_screen_skips_a_bare_command() -> None:
    text = "Introduce me to your VP of Operations and get me 30 minutes on their calendar."
    assert not _softened(text, 0, len(text))
    assert _softened("Send it when you get a chance.", 0, 30)


_OPENER_CASES = st.sampled_from(sorted(_OPENER_FIRST))
_OPENER_AFTER = st.sampled_from(
    ["", " ", "  ", "you", "me", "know", "morning", "there", "why", ",", "!", "'m", "’m", "s", "x"]
)


@settings(max_examples=500, deadline=None)
@given(
    _OPENER_CASES, st.sampled_from([str, str.upper, str.title]), st.lists(_OPENER_AFTER, max_size=4)
)
def test_opener_cut_to_the_word_finds_what_the_full_pattern_finds(
    word: str, case: object, after: list[str]
) -> None:
    # The per-word pattern keeps every alternative that could match there, in order.
    text = "Ok. " + case(word) + "".join(after)  # type: ignore[operator]
    full = _OPENER.match(text, 4)
    pat = _opener_for(word)
    cut = pat.match(text, 4) if pat is not None else None
    assert (cut and (cut.lastgroup, cut.end())) == (full and (full.lastgroup, full.end()))


class _Unscreened(PhraseMatcher):
    """The same matcher trying every candidate's pattern: what the screen must agree with."""

    def _next_words(self, word: str, longest: str) -> None:
        return None


_PHRASE_GROUPS = [
    ("gratitude", r"thanks?(?:\s+(?:you|a\s+lot))?|thank\s+you|much\s+appreciated"),
    ("factuality", r"the\s+(?:point|truth)\s+is|in\s+fact|actually"),
    ("gush", r"the\s+best|best\s+\w+\s+ever|mind[-\s]?blowing|a\s+bit"),
    ("negation", r"don['’]t\s+you|don|e-mail\s+me|i\s+think"),
    ("experience", r"you['’]ve\s+ever|you\s+ever|i['’]d\s+love"),
]
_PHRASE_PIECES = st.sampled_from(
    [
        "the", "THE", "best", "bestest", "point", "is", "thanks", "thank", "you", "a", "lot",
        "bit", "about", "don't", "don’t", "don", "e", "e-mail", "mail", "me", "i", "think",
        "in", "fact", "mind", "blowing", "ever", "much", "appreciated", "x", "you've",
        "you’ve", "ve", "i'd", "d", "love",
        " ", "  ", "\n", "\t", ", ", ". ", "-", "'", "_", "!", "é", "\x1c",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PHRASE_PIECES, max_size=10).map("".join))
def test_phrase_screen_never_skips_a_match(text: str) -> None:
    # The second-word screen only skips tries whose pattern could not match (ASCII text).
    screened, plain = PhraseMatcher(_PHRASE_GROUPS), _Unscreened(_PHRASE_GROUPS)
    words, tokens = words_and_tokens(text)
    assert screened.find(text, words, tokens) == plain.find(text, words, tokens)
    assert screened.find(text, words) == plain.find(text, words)


def test_phrase_screen_reads_the_second_word() -> None:
    m = PhraseMatcher(_PHRASE_GROUPS)
    assert [
        h.text
        for h in m.find("The best, the point is", words_and_tokens("The best, the point is")[0])
    ] == ["The best", "the point is"]
    m.find("the end", words_and_tokens("the end")[0])
    screen = m._cache["the"][1]
    assert screen is not None and "point" in screen[0] and "b" in screen[1]
    m.find("thanks", words_and_tokens("thanks")[0])
    assert m._cache["thanks"][1] is None  # the word alone is a phrase: always tried


def _regex_words(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The words as the pattern itself splits the lowercased text (what the C path must give)."""
    low = text.lower().replace("’", "'")
    words = [(m.start(), m.group()) for m in re.finditer(r"[a-z0-9]+(?:'[a-z]+)?", low)]
    return words, [w for _, w in words]


_WORD_PIECES = st.sampled_from(
    ["it's", "don't", "5'9", "it's2", "rock'n'roll", "'q'", "kids'", "''", "'", "’", "a", "Ab",
     "9", "x_y", "é", " ", "  ", ", ", "-", "\n", "!", "s", "'s"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_WORD_PIECES, max_size=12).map("".join))
def test_words_without_regex_are_the_pattern_words(text: str) -> None:
    if len(text.lower()) == len(text):
        assert words_and_tokens(text) == _regex_words(text)


_LEX_ENTRIES = {
    "ask": "could you(?: please)?|would you mind|your (?:network|boss)",
    "wonder": "i was wondering|i wonder",
    "short": "ok|e(?:-mail me)?",
}
_LEX_PIECES = st.sampled_from(
    ["could", "you", "please", "would", "mind", "your", "network", "boss", "bosses", "i",
     "was", "wondering", "wonder", "ok", "okay", "e", "e-mail", "mail", "me", "x",
     " ", "  ", ", ", ". ", "-", "'", "_", "$", "é"]
)  # fmt: skip


def _unscreened(categories: dict[str, dict[str, str]]) -> Lexicon:
    """The lexicon with every screen off: each phrase pattern tried at each of its words."""
    plain = Lexicon(categories)
    plain._table = {
        w: (None if rxs is None else [(c, rx, None) for c, rx, _ in rxs], options)
        for w, (rxs, options) in plain._table.items()
    }
    return plain


@settings(max_examples=400, deadline=None)
@given(st.lists(_LEX_PIECES, max_size=10).map("".join))
def test_phrase_screen_of_the_lexicon_never_skips_a_match(text: str) -> None:
    # A phrase pattern is skipped only where the characters after its first word cannot
    # continue any of its phrases: the same hits as trying every candidate's patterns.
    lex, plain = Lexicon({"c": _LEX_ENTRIES}), _unscreened({"c": _LEX_ENTRIES})
    assert any(s is not None for rxs, _ in lex._table.values() for _, _, s in rxs or ())
    if same_tokens(text):
        words, tokens = words_and_tokens(text)
        assert lex.find(text, words, tokens) == plain.find(text, words, tokens)
    assert lex.find(text) == plain.find(text)
    if re.fullmatch(r"[a-z ,.]*", text):  # the tokeniser joins "could-ok", "ok'could"
        assert lex.find(text)["c"] == _plain(_LEX_ENTRIES, text)


# Phrases whose next word is tricky to screen: after an apostrophe, a comma or a hyphen, a
# prefix of the word ("don" of "don't"), a phrase that is the word and punctuation alone.
_NEXT_WORD_ENTRIES = {
    "you": {"you": "your (?:partner|ex|ex-wife)|you're (?:late|so early)|you (?:know|k)"},
    "odd": {"odd": "i'd've|don(?:'t (?:go|stop))?|kids' (?:toys|room)|so,? much|hello\\?\\?"},
    "num": {"num": "it's2 late|e(?:-mail me)?|on the 2nd|2 (?:days|weeks)|ok then"},
}
_NEXT_WORD_PIECES = st.sampled_from(
    ["your", "partner", "part", "party", "ex", "exes", "wife", "you", "'re", "you're", "late",
     "so", "early", "know", "known", "k", "i", "i'd", "'ve", "don", "don't", "'t", "go",
     "goes", "stop", "kids", "'", "toys", "room", "much", "hello", "?", "it's", "2", "2nd",
     "e", "mail", "me", "ok", "okay", "then", "on", "the", "days", "weeks", "x",
     " ", " ", "  ", ", ", ",", ". ", "-", "\n"]
)  # fmt: skip


# Texts with a phrase of each kind, checked on every run (the random ones may miss some).
_NEXT_WORD_EXAMPLES = (
    "your partner, you know", "you're late, so early", "don't go!", "hello?? ok then",
    "kids' toys", "so, much", "on the 2nd", "2 days", "i'd've, it's2 late", "you k", "don't x",
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_NEXT_WORD_PIECES, max_size=12).map(" ".join))
def test_next_word_screen_of_the_lexicon_never_skips_a_match(text: str) -> None:
    # The one walk screens the lexicon's phrases by the whole next word
    # (`Lexicon.next_word_screens`): it must find what trying every phrase finds.
    lex, plain = Lexicon(_NEXT_WORD_ENTRIES), _unscreened(_NEXT_WORD_ENTRIES)
    low = lower_same_length(text)
    if not (text.isascii() and same_tokens(low)):
        return
    words, tokens = words_and_tokens(text)
    walked = MultiMatcher((), lex).find(text, [s for s, _ in words], tokens, low, True)[1]
    assert walked == plain.find(low) == plain.find(low, words, tokens)


def test_next_word_screen_of_the_lexicon_finds_each_kind_of_phrase() -> None:
    lex, plain = Lexicon(_NEXT_WORD_ENTRIES), _unscreened(_NEXT_WORD_ENTRIES)
    walk = MultiMatcher((), lex)
    for text in (*_NEXT_WORD_EXAMPLES, *(t.replace("'", "’") for t in _NEXT_WORD_EXAMPLES)):
        low = lower_same_length(text)
        expected = plain.find(low)
        assert any(expected.values()) or "’" in text, text
        assert lex.find(low) == expected, text  # the lexicon's own split of the words
        if same_tokens(low):  # the one walk's split (matcher.py)
            words, tokens = words_and_tokens(text)
            assert walk.find(text, [s for s, _ in words], tokens, low, True)[1] == expected
        for joined in (f"follow-up {text}", f"{text} e-mail me"):  # the own split only
            assert lex.find(joined) == plain.find(joined), joined


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(_NEXT_WORD_PIECES, st.sampled_from(["-", "-ex", "’", "’re", "é", "_", "$", "@"])),
        max_size=12,
    ).map(" ".join)
)
def test_two_character_screen_on_the_own_split_never_skips_a_match(text: str) -> None:
    # Without the caller's words the lexicon splits the text itself (hyphens and apostrophes
    # join words there, any script) and screens its phrases by the two characters after the
    # word; the phrases that are hard to screen by the next word must pass that one too.
    low = lower_same_length(text)
    assert Lexicon(_NEXT_WORD_ENTRIES).find(low) == _unscreened(_NEXT_WORD_ENTRIES).find(low)


def test_next_word_screen_reads_the_whole_word() -> None:
    lex = Lexicon(_NEXT_WORD_ENTRIES)
    screens = {cat: screen for cat, _, screen in lex.next_word_screens("your")}
    seconds, prefixes = screens["you"] or ((), frozenset())
    assert set(seconds) == {"partner", "ex"} and "part" in prefixes
    walk = MultiMatcher((), lex)
    for text, hit in (("your post", False), ("your part", False), ("your partner", True)):
        words, tokens = words_and_tokens(text)
        found = walk.find(text, [s for s, _ in words], tokens, text, True)[1]
        assert found is not None and bool(found["you"]) is hit
    # Phrases the next word cannot rule out: "don" (of "don't go") matches inside "don't";
    # "hello??" needs no next word at all.
    assert [screen for _, _, screen in lex.next_word_screens("don't")] == [None]
    assert [screen for _, _, screen in lex.next_word_screens("hello")] == [None]
    for text, cat, span in (("don't x", "odd", (0, 3)), ("hello?? x", "odd", (0, 7))):
        words, tokens = words_and_tokens(text)
        found = walk.find(text, [s for s, _ in words], tokens, text, True)[1]
        assert found is not None and [h[:2] for h in found[cat]] == [span]


_TOKEN_PIECES = st.sampled_from(
    ["a", "Ab", "9", "x_y", "_", "-", "--", "'", "kids'", "it's", "5'9", "e-mail", "follow-up",
     "$5", "@x", " ", "  ", "\n", "\t", ", ", ".", "\x1c", "é", "’"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKEN_PIECES, max_size=12).map("".join))
def test_tokens_without_regex_are_the_pattern_tokens(text: str) -> None:
    # The lexicon's own split of an ASCII text skips the regex where it safely can.
    tokens = _ascii_tokens(text)
    assert tokens is None or tokens == _TOKEN_RE.findall(text)
    if re.fullmatch(r"[a-z0-9 ,.]*", text):  # no joiner, no "$" or "@": always the shortcut
        assert tokens is not None


@pytest.mark.parametrize(
    ("pattern", "tail"),
    [(r"\d+[- ]page", "page"), (r"pages?", ""), (r"x\d", ""), (r"\bword", "word"),
     (r"\ufeff", ""), (r"\x41bc", "bc"), (r"a\\b", ""), (r"(?:a|b)", ""), (r"[a-z]", "")],
)  # fmt: skip
def test_fallback_skipped_only_without_the_letters_every_match_ends_with(
    pattern: str, tail: str
) -> None:
    assert _literal_tail(pattern) == tail
    if tail:
        assert all(m.group().endswith(tail) for m in re.finditer(pattern, f"1 {tail} x2{tail}"))
    lex = text_lexicon()
    assert lex.needs_text["size"] == ("page",)
    assert lex.find("a 20-page deck")["size"] == [(2, 9, "large")]
    assert lex.find("a 20 pages deck")["size"] == []


def test_possessive_of_an_unlisted_word_is_not_looked_for() -> None:
    # "$5’s" is a possessive token, but "$5" is no listed word: it must simply not hit (it
    # used to be looked for in the text, where the word before it hides its start).
    assert text_lexicon().find("kid'$5’s")["topic"] == [(0, 3, "family_1")]


_DRAFT_PIECES = st.sampled_from(
    ["could", "Could", "you", "YOU", "please", "the", "best", "ever", "my", "mom", "kids",
     "kid's", "what's", "your", "number", "dm", "me", "hun", "thanks", "thank", "so", "much",
     "i", "I'm", "don't", "think", "how", "are", "do", "feel", "have", "ever", "been", "a",
     "call", "coffee", "grab", "let's", "still", "waiting", "send", "intro", "to", "boss",
     "20-page", "20", "page", "family", "problems", "divorce", "in", "fact", "honestly",
     "really", "glad", "would", "mind", "if", "sorry", "bother", "hey", "dear", "there",
     " ", "  ", "\n", ", ", ". ", "? ", "!", "'", "-", "$", "@", "’", "é", "José", "K", "ſo", "İ", "👋🏽"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_DRAFT_PIECES, max_size=16).map(" ".join))
def test_one_walk_finds_what_each_matcher_finds(text: str) -> None:
    # text.py finds the courtesy phrases, intimacy topics and questions and the span lexicons
    # in one walk over the words: each must be exactly what its own matcher finds.
    # Any text for the phrase matchers; the lexicon only where both tokenisers agree.
    low = lower_same_length(text)
    shared = text.isascii() and same_tokens(low)
    words, tokens = words_and_tokens(text)
    starts = [s for s, _ in words]
    (phrases, topic_words, questions), lex = text_matcher().find(text, starts, tokens, low, shared)
    assert phrases == PHRASES.find(text, words, tokens)
    assert topic_words == TOPICS.find(text, words, tokens)
    assert questions == QUESTIONS.find(text, words, tokens)
    if shared:
        assert lex == text_lexicon().find(low, words, tokens) == text_lexicon().find(low)
    else:
        assert lex is None


def test_one_walk_finds_in_a_real_draft() -> None:
    text = "Hey hun, could you DM me your number? My mom's kids, I think, are still waiting!"
    low = lower_same_length(text)
    words, tokens = words_and_tokens(text)
    starts = [s for s, _ in words]
    (phrases, topic_words, _questions), lex = text_matcher().find(text, starts, tokens, low, True)
    assert lex is not None
    assert {h.kind for h in phrases} >= {"counterfactual", "hedge"}
    assert {h.kind for h in topic_words} >= {"endearment", "family"}
    assert lex["channel"] and lex["guilt"] and lex["strong"]
    assert phrases == PHRASES.find(text, words, tokens)
    assert lex == text_lexicon().find(low)


def _model_words(name: str, n: int) -> list[str]:
    """A few of the words a model weighs, for random texts that move its sum."""
    return sorted(get_model(name)._words)[:: max(1, len(get_model(name)._words) // n)][:n]


_SCORED_WORDS = st.sampled_from(
    [*_model_words("courtesy", 60), *_model_words("intimacy", 60), "please", "could", "you",
     "my", "mom", "i", "feel", "sad", "?", "!", ".", "thanks", "so", "the"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_SCORED_WORDS, max_size=25).map(" ".join))
def test_sums_without_the_explanation_are_the_same_floats(text: str) -> None:
    # explain=False sums the weights in C; the explained sum adds them one by one. Both must
    # give the very same float (the scores are rounded, so compare the raw sums).
    court = get_model("courtesy")
    st_ = find_strategies(text)
    for pairs in (True, False):
        quick = court.explain_text(st_.features, st_.tokens, pairs=pairs, signals=False)[0]
        assert quick == court.explain_text(st_.features, st_.tokens, pairs=pairs)[0]
    inp = intimacy_inputs(text)
    assert _model_sum(inp, explain=False)[0] == _model_sum(inp, explain=True)[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=4))
def test_first_word_shortcut_is_the_pattern(text: str) -> None:
    # `_first_word` answers 0 without the regex when the text opens with a letter or digit.
    m = re.search(r"[^\W_]", text)
    assert _first_word(text) == (m.start() if m else len(text))


_TOY_WORDS = ["a", "b", "c", "d", "e"]
_TOY = LinearModel(
    name="toy",
    bias=-0.3,
    weights={
        "f1": 0.7, "f2": -1.1e-3,
        "w:a": 0.1, "w:b": -0.37, "w:c": 1e-17,
        "b:a_b": 0.2, "b:c_a": -0.011,
    },
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["f1", "f2", "f3"]), st.floats(-3, 3), max_size=3),
    st.lists(st.sampled_from(_TOY_WORDS), max_size=20),
)
def test_text_sum_is_the_chain_it_replaced(named: dict[str, float], tokens: list[str]) -> None:
    # `text_sum` loops where the hot path used filter/map/reduce chains (a feature without a
    # weight added 0.0 * value there): the very same float, repeated words and pairs counted
    # once, in order of first appearance.
    get, words, pairs = _TOY.weights.get, _TOY._words, _TOY._pairs
    z = reduce(add, map(mul, map(get, named, repeat(0.0)), named.values()), _TOY.bias)
    z = reduce(add, map(words.__getitem__, dict.fromkeys(filter(words.__contains__, tokens))), z)
    with_pairs = reduce(
        add, map(pairs.__getitem__, dict.fromkeys(filter(pairs.__contains__, pairwise(tokens)))), z
    )
    assert _TOY.text_sum(named, tokens) == z
    assert _TOY.text_sum(named, tokens, pairs=True) == with_pairs
    assert _TOY.text_sum(named, tokens, pairs=True) == _TOY.explain_text(named, tokens, True)[0]


_VALENCE_WORDS = st.sampled_from(
    ["good", "great", "bad", "awful", "not", "no", "never", "you", "your", "thanks", "hate",
     "wrong", "love", "problem", "the", "it", "is", ".", "!", "didn't", "sad", "kind"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALENCE_WORDS, max_size=25).map(" ".join))
def test_valence_loop_is_the_sums_it_replaced(text: str) -> None:
    # The rated words are summed in a plain loop where `sum` over filtered lists did it: the
    # very same features, negated words ("not bad") left out as before.
    feats = find_strategies(text).features
    tokens = find_strategies(text).tokens
    valence = _valence()
    rated = [
        valence[t]
        for i, t in enumerate(tokens)
        if t in valence and not (i and tokens[i - 1] in _NEGATORS)
    ]
    up = sum(v for v in rated if v > 0.0)
    down = up - sum(rated)
    assert (feats.get("valence_pos") == min(up, 6.0) / 3.0) if rated and up else (
        "valence_pos" not in feats
    )
    if not rated or not down:
        assert "valence_neg_you" not in feats and "valence_neg" not in feats
    else:  # some negative tone: at the reader, or not, or both
        assert "valence_neg_you" in feats or "valence_neg" in feats


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_SCORED_WORDS, _VALENCE_WORDS), max_size=25).map(" ".join))
def test_known_words_are_the_model_word_part(text: str) -> None:
    # The strategies' pass collects the courtesy model's word weights: adding them after the
    # named features gives the sum the model's own word loop gives.
    court = get_model("courtesy")
    strategies = find_strategies(text)
    z = court.text_sum(strategies.features, ())
    for w in strategies.known_words:
        z += w
    assert z == court.text_sum(strategies.features, strategies.tokens, pairs=True)
    assert z == court.explain_text(strategies.features, strategies.tokens, pairs=True)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_SCORED_WORDS, _VALENCE_WORDS), max_size=25).map(" ".join))
def test_courtesy_without_explanation_keeps_score_and_flags(text: str) -> None:
    # The check's path leaves out the decomposition and the markers, nothing else.
    quick, full = analyse_courtesy(text, explain=False), analyse_courtesy(text)
    assert (quick.score, quick.flags) == (full.score, full.flags)
    assert quick.signals == {} and quick.markers == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_SCORED_WORDS, _VALENCE_WORDS, st.sampled_from(
    ["so", "you", "never", "send", "why", "haven't", "actually", "best", "amazing", "sorry",
     "hi", "please", "!!", ":)", "<3", "honestly", "really"])), max_size=25).map(" ".join))
def test_strategy_features_stand_for_the_kinds(text: str) -> None:
    # `analyse_courtesy` asks the features, not a set of the hits' kinds, which kinds were
    # found: every kind is a feature, and no other feature is a kind it asks about.
    strategies = find_strategies(text)
    kinds = {h.kind for h in strategies.hits}
    assert kinds <= set(strategies.features)
    asked = MARKER_KINDS | _SOFTENING | _FLAG_KINDS
    assert not (set(strategies.features) - kinds) & asked


def _regex_sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The plain way: every non-empty `_SENTENCE_RE` match, the greeting regex tried on each."""
    bounds: list[tuple[int, int]] = []
    for m in _SENTENCE_RE.finditer(text):
        start, end = m.span()
        if end <= start:
            continue
        g = _GREETING_CLAUSE_RE.match(text, start, end)
        if g and g.end() < end and text[start:end].strip():
            bounds.append((start, g.end()))
            start = g.end()
        bounds.append((start, end))
    return bounds


_BOUND_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        ".",
        "!",
        "?",
        "?!",
        "...",
        "\n",
        "\r",
        "\x0b",
        "\x85",
        "\u2028",
        ",",
        ":",
        "\u2014",
        "-",
        "Hi",
        "hey",
        "HELLO",
        "dear",
        "Good morning",
        "yo",
        "howdy",
        "Morning",
        "Dana",
        "thanks",
        "é",
        "İ",
        "could you",
        "x" * 45,
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_BOUND_PIECES, max_size=12).map("".join))
def test_sentence_bounds_without_regex_are_the_pattern_bounds(text: str) -> None:
    # The bytes split (ASCII) and the greeting-initial screen must give the regex's sentences.
    assert sentence_bounds(text) == _regex_sentence_bounds(text)
    low = lower_same_length(text)
    assert sentence_bounds(low) == _regex_sentence_bounds(low)
