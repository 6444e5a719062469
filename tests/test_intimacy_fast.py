"""The check's fast paths in the intimacy side and the spans must give what the plain ways
give: the score without the explanation, the shorthand screen (see test_shorthand.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.intimacy import (
    _cue_weights,
    _model_sum,
    _priors,
    _score_sum,
    analyse_intimacy,
    everyday_words,
    intimacy_inputs,
)
from coach.analysis.linear import get_model
from coach.analysis.personal import find_personal, stem
from coach.analysis.politeness_strategies import _valence
from coach.analysis.wordpass import _FACTS as LEARNT
from coach.analysis.wordpass import learn_word

_intimacy_words = sorted(get_model("intimacy")._words)
_WORDS = st.sampled_from(
    [*_intimacy_words[:: max(1, len(_intimacy_words) // 60)][:60],
     "i", "my", "your", "you", "we", "our", "mom", "therapist", "divorce", "salary", "sad",
     "feel", "lonely", "honey", "hun", "live", "where", "do", "what's", "have", "ever", "the",
     "inertia", "gpu", "3", "2024", "?", "!", ".", ",", "kids", "money", "sex", "god"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_score_without_explanation_is_the_explained_score(text: str) -> None:
    # The check's one-function score must be the plain path's score: inputs, model sum and
    # priors, the very same floats (compared before and after rounding).
    inp = intimacy_inputs(text)
    z, signals = _model_sum(inp, explain=True)
    z += _priors(inp.pf, signals)
    model = get_model("intimacy")
    assert analyse_intimacy(text, explain=False).score == round(model.to_score(z), 4)
    assert analyse_intimacy(text, explain=False).score == analyse_intimacy(text).score
    assert analyse_intimacy(text, explain=False).signals == {}



@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_score_sum_is_the_model_sum(text: str) -> None:
    # The check's path sums the features as found (the ones that are off add nothing) where
    # the plain path builds the named dict first: the very same float, before rounding.
    inp = intimacy_inputs(text)
    model = get_model("intimacy")
    assert _score_sum(find_personal(text), model) == _model_sum(inp, explain=False)[0]


_SUFFIXED = st.builds(
    lambda w, suf: w + suf,
    st.sampled_from(_intimacy_words),
    st.sampled_from(["", "s", "es", "ed", "ing", "ly", "ings", "er", "e"]),
)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        _SUFFIXED,
        st.sampled_from(sorted(everyday_words())),
        st.text(alphabet="abcdegilnsy'", max_size=8),
    )
)
def test_word_facts_are_what_the_plain_lookups_find(word: str) -> None:
    # One lookup per word must find what the valence, courtesy weight, stem and cue lookups
    # find, and keep it.
    stem_w = get_model("intimacy")._words.get(stem(word))
    cue_w = _cue_weights().get(word)
    common = word in everyday_words()
    court_w = get_model("courtesy")._words.get(word)
    got = learn_word(word)
    v = _valence().get(word)
    rest = (v, cue_w, common) if v is not None or cue_w is not None or not common else None
    assert got == (rest, court_w, stem(word), stem_w)
    assert LEARNT[word] == got
