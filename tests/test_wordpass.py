"""The one pass over a draft's words (`wordpass.word_pass`) must give every sum the separate
per-word loops gave: the courtesy valence sums and known words, the intimacy stem, cue and
rare-word sums, each the very same float (same additions in the same order)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.lexicon import token_info
from coach.analysis.linear import get_model
from coach.analysis.personal import find_personal, stem
from coach.analysis.text import analyse_text
from coach.analysis.wordpass import (
    NEGATORS,
    cue_weights,
    everyday_words,
    valence,
    word_pass,
)

_court = sorted(get_model("courtesy")._words)
_intim = sorted(get_model("intimacy")._words)
_WORD = st.one_of(
    st.sampled_from(_court),
    st.sampled_from(_intim[:: max(1, len(_intim) // 80)]),
    # Suffixed forms: distinct words with one stem ("cheat cheats cheated").
    st.builds(lambda w, s: w + s, st.sampled_from(_intim[:: max(1, len(_intim) // 40)]),
              st.sampled_from(["", "s", "es", "ed", "ing", "ly"])),
    st.sampled_from(
        ["good", "great", "bad", "awful", "not", "no", "never", "didn't", "you", "the", "sad",
         "love", "hate", "wrong", "problem", "inertia", "gpu", "3", "mom", "sex", "lonely"]
    ),
)  # fmt: skip


def _plain_sums(tokens: list[str]) -> tuple[bool, float, float, list[float], float, float, int]:
    """The sums as the separate loops made them, each from its own table."""
    val, court = valence(), get_model("courtesy")._words
    model = get_model("intimacy")
    cues, common = cue_weights(), everyday_words()
    rated, up, total = False, 0.0, 0.0
    for i, t in enumerate(tokens):
        v = val.get(t)
        if v is not None and not (i and tokens[i - 1] in NEGATORS):
            rated = True
            total += v
            if v > 0.0:
                up += v
    known = [court[t] for t in dict.fromkeys(tokens) if t in court]
    zw = model.bias
    for s in dict.fromkeys(stem(t) for t in tokens):
        if s in model._words:
            zw += model._words[s]
    zc = 0.0
    for t in tokens:
        if t in cues:
            zc += cues[t]
    rare = sum(1 for t in tokens if t not in common)
    return rated, up, total, known, zw, zc, rare


@settings(max_examples=400, deadline=None)
@given(st.lists(_WORD, max_size=30).map(" ".join))
def test_one_pass_is_the_separate_loops(text: str) -> None:
    tokens = token_info(text)[1]
    assert tuple(word_pass(tokens)) == _plain_sums(tokens)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORD, max_size=30).map(" ".join))
def test_shared_pass_gives_the_standalone_scores(text: str) -> None:
    # analyse_text hands one pass to both scores; each scorer alone makes its own.
    from coach.analysis.courtesy import analyse_courtesy
    from coach.analysis.intimacy import analyse_intimacy

    tf = analyse_text(text, explain=False)
    assert tf.courtesy == analyse_courtesy(text, explain=False).score
    assert tf.courtesy == analyse_courtesy(text).score
    assert tf.intimacy == analyse_intimacy(text, explain=False).score
    assert tf.intimacy == analyse_intimacy(text).score


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORD, max_size=30).map(" ".join))
def test_stems_worked_out_on_first_use(text: str) -> None:
    # `PersonalFeatures.stems` is made when first read: each token's stem, the same list again.
    pf = find_personal(text)
    assert pf.stems == [stem(t) for t in pf.tokens]
    assert pf.stems is pf.stems
