"""Intimacy: how personal a message is on its own, 0 (impersonal) .. 1 (only said to someone close).

A ridge model fitted on rated questions (Pei & Jurgens 2020; see `calibrate.py`) over:
- named features: sensitive topics (and whose life they are about), personal questions, words
  outside everyday English;
- per-word features: a small vocabulary, broad cues of a personal question (other people,
  depth, sex, the self) and Empath's general topic categories.
Every per-word share is divided by the square root of the number of words, so a long text does
not pile up word weights. Two hand-set priors add what questions cannot teach: endearments and
emotional self-disclosure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from coach.analysis.linear import (
    OTHER_WORDS,
    SIGNAL_FLOOR,
    LinearModel,
    get_model,
    load_priors,
)
from coach.analysis.matcher import Hit
from coach.analysis.personal import PersonalFeatures, find_personal
from coach.analysis.wordpass import EMPATH_PATH, WordSums, cue_words, everyday_words, word_pass
from coach.analysis.wordpass import cue_weights as _cue_weights

__all__ = ["EMPATH_PATH", "cue_words", "everyday_words"]  # kept here for their old callers

MAX_SCORED_CHARS = 20_000


@dataclass(slots=True)
class IntimacyResult:
    score: float  # 0..1
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution (raw units)


@dataclass(slots=True)
class IntimacyInputs:
    pf: PersonalFeatures
    named: dict[str, float]  # the named features the model reads
    scale: float  # each per-word feature's value: 1 / sqrt(number of words)


def intimacy_inputs(
    text: str,
    everyday: frozenset[str] | None = None,
    phrase_hits: tuple[list[Hit], list[Hit]] | None = None,
) -> IntimacyInputs:
    """The named features and the per-word scale (the words themselves are `pf.tokens` and
    `pf.stems`). `everyday`: the everyday words (calibration passes its own; default: the
    shipped ones). `phrase_hits`: see `find_personal`."""
    pf = find_personal(text, phrase_hits)
    named = pf.named()
    tokens = pf.tokens
    scale = 1.0 / math.sqrt(max(1, len(tokens)))
    # Words outside everyday English (jargon, product and science terms: "inertia", "GPU")
    # mark an impersonal question in any domain; per sqrt(number of words), like the words.
    rare = _rare_words(tokens, everyday if everyday is not None else everyday_words())
    if rare:
        named["rare_words"] = rare * scale
    # Tried and left out: capitalised words as names of things ("Napster"). They helped a
    # little on the rated questions, but in messages they are mostly people's names, and the
    # scan cost about 2% of a check.
    return IntimacyInputs(pf, named, scale)


def _rare_words(tokens: list[str], common: frozenset[str]) -> int:
    return len(tokens) - sum(map(common.__contains__, tokens))  # counted in C


def intimacy_features(text: str, everyday: frozenset[str] | None = None) -> dict[str, float]:
    """The model's input as one dict (for calibration): the named features, then the per-word
    ones, each word (or cue/category word) worth the per-word scale."""
    inp = intimacy_inputs(text, everyday)
    feats = dict(inp.named)
    scale = inp.scale
    cues = cue_words()
    for t in inp.pf.tokens:
        for f in cues.get(t, ()):
            feats[f] = feats.get(f, 0.0) + scale
    for stem in set(inp.pf.stems):
        feats["w:" + stem] = scale
    return feats


def _model_sum(inp: IntimacyInputs, explain: bool) -> tuple[float, dict[str, float]]:
    """bias + named contributions + scale * (word and cue contributions), and the readable
    shares. The same arithmetic with or without the explanation, so the score is the same."""
    model = get_model("intimacy")
    bias = model.bias
    tokens = inp.pf.tokens
    scale = inp.scale
    if not explain:
        words = word_pass(tokens)
        return model.text_sum(inp.named, ()) + _word_part(model, words, scale)[0], {}
    zw, word_signals = model.explain_text({}, inp.pf.stems)  # bias + words
    cw = _cue_weights()
    zc = sum(map(cw.__getitem__, filter(cw.__contains__, tokens)))  # same order, in C
    get = model.weights.get
    z = bias
    signals: dict[str, float] = {}
    small = 0.0
    for k, v in inp.named.items():
        w = get(k)
        if w is not None:
            c = w * v
            z += c
            if c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR:
                signals[k] = c
            else:
                small += c
    shares: dict[str, float] = {k: v * scale for k, v in word_signals.items()}
    cues = cue_words()
    for t in tokens:
        for f in cues.get(t, ()):
            w = get(f)
            if w is not None:
                shares[f] = shares.get(f, 0.0) + w * scale
    for k, c in shares.items():
        if k != OTHER_WORDS and (c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR):
            signals[k] = c
        else:
            small += c
    if small:
        signals[OTHER_WORDS] = small
    return z + (zw - bias + zc) * scale, signals


def _word_part(model: LinearModel, words: WordSums, scale: float) -> tuple[float, int]:
    """The per-word part of the sum without the explanation: (bias + the weights of the
    distinct stems in order of first appearance, as `LinearModel.text_sum` adds them, less
    the bias, plus the cue weights of the words in text order) times the scale; and the
    number of words outside everyday English (`_rare_words`), all from the one pass over the
    words (`wordpass.word_pass`, which the courtesy score reads too)."""
    return (words.stems - model.bias + words.cues) * scale, words.rare


def _score_sum(
    pf: PersonalFeatures, model: LinearModel, words: WordSums | None = None
) -> float:
    """`_model_sum(intimacy_inputs(text), explain=False)[0]`, the same float, without the
    named-features dict: a feature that is off (0.0) adds nothing to the sum (see
    `LinearModel.text_sum`), so the features are summed as `find_personal` left them, then
    `rare_words`, last as in `intimacy_inputs`. `model`: the intimacy model. `words`:
    `word_pass(pf.tokens)` when the caller has it already."""
    scale = 1.0 / math.sqrt(max(1, len(pf.tokens)))
    if words is None:
        words = word_pass(pf.tokens)
    part, rare = _word_part(model, words, scale)  # its own sum: added last, as before
    z = model.text_sum(pf.features, ())
    if rare:
        w = model.weights.get("rare_words")
        if w is not None:
            z += w * (rare * scale)
    return z + part


def intimacy_raw(text: str) -> float:
    """The fitted model's prediction on the data's own -1..1 scale (for benchmarks)."""
    return _model_sum(intimacy_inputs(text[:MAX_SCORED_CHARS]), explain=False)[0]


def analyse_intimacy(
    text: str,
    explain: bool = True,
    phrase_hits: tuple[list[Hit], list[Hit]] | None = None,
    words: WordSums | None = None,
) -> IntimacyResult:
    """`explain=False` leaves `signals` empty (same score). `phrase_hits`: see
    `find_personal` (only for a text of at most MAX_SCORED_CHARS). `words`: `word_pass` of
    the text's words, when the caller has it (only read without the explanation)."""
    if not explain:  # the check's path: the score alone
        model = get_model("intimacy")
        pf = find_personal(text[:MAX_SCORED_CHARS], phrase_hits)
        z = _score_sum(pf, model, words) + _priors(pf, {})
        return IntimacyResult(round(model.to_score(z), 4), {})
    inp = intimacy_inputs(text[:MAX_SCORED_CHARS], phrase_hits=phrase_hits)
    z, signals = _model_sum(inp, explain)
    z += _priors(inp.pf, signals)
    return IntimacyResult(
        score=round(get_model("intimacy").to_score(z), 4), signals=signals if explain else {}
    )


# Asking about these in *their* life is personal whatever the Reddit ratings say about the
# topic in general ("what's your salary?" vs "how do salaries work?"); telling about them in
# *your* life ("my therapist", "my divorce") is a disclosure.
_SENSITIVE = ("money", "health", "sexuality", "relationships", "family", "beliefs", "body")
# Sets: "your:..." and "my:..." features are only ever set to 1.0, so being there is being on,
# and one C-level test (isdisjoint) asks about them all.
_YOUR_SENSITIVE = frozenset("your:" + t for t in _SENSITIVE)
_MY_SENSITIVE = frozenset("my:" + t for t in _SENSITIVE)


def _priors(pf: PersonalFeatures, signals: dict[str, float]) -> float:
    """Hand-set additions (weights.json "priors"), each shown as its own signal."""
    priors = load_priors()
    extra = 0.0
    if pf.endearments:
        extra += priors.get("endearment", 0.0)
        signals["prior:endearment"] = priors.get("endearment", 0.0)
    feats = pf.features
    if feats.get("question") and (
        feats.get("topic:location") or not _YOUR_SENSITIVE.isdisjoint(feats)
    ):
        share = priors.get("sensitive_question", 0.0)
        extra += share
        signals["prior:sensitive_question"] = share
    if not _MY_SENSITIVE.isdisjoint(feats):
        share = priors.get("sensitive_disclosure", 0.0)
        extra += share
        signals["prior:sensitive_disclosure"] = share
    # The writer's own feelings: only worth asking the disclosure model when both an "I" and
    # an emotion word are there (it rarely says yes otherwise, and this runs on every check).
    if feats.get("first_person") and feats.get("topic:emotions"):
        emo = get_model("disclosure_emotional")
        p = emo.to_score(emo.text_sum(pf.named(), pf.stems))
        if p > 0.5:
            share = priors.get("emotional_disclosure", 0.0) * (p - 0.5) * 2
            extra += share
            signals["prior:emotional_disclosure"] = share
    return extra
