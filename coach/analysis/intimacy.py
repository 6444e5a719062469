"""Intimacy: how personal a message is on its own, 0 (impersonal) .. 1 (only said to someone close).

A ridge model over sensitive-topic words (and whose life they are about), personal questions,
broad cues of a personal question (other people, depth, hypotheticals, the self; proper names
for impersonal subjects), words outside everyday English, Empath's general topic categories
and a small vocabulary, fitted on rated questions (Pei & Jurgens 2020;
see `calibrate.py`). The vocabulary's share is divided by the square root of the number of
words, so a long text does not pile up word weights. Two hand-set priors add what
questions cannot teach: endearments and emotional self-disclosure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from coach.analysis import lexicon as lx
from coach.analysis import topic_words as tw
from coach.analysis.linear import OTHER_WORDS, SIGNAL_FLOOR, _load_doc, get_model, load_priors
from coach.analysis.personal import PersonalFeatures, find_personal

MAX_SCORED_CHARS = 20_000
# Empath's 194 topic categories (Fast et al., CHI 2016; MIT, see empath_LICENSE.txt): broad,
# general-English word lists ("sexual", "family", "science", "computer") whose fitted weights
# carry over to text with words the rated questions never used.
EMPATH_PATH = Path(__file__).with_name("empath_categories.tsv")

# A capitalised word inside a sentence is mostly a name of a thing, place or brand ("Napster",
# "Newton"): impersonal subject matter. Not at a sentence start, and not a name said to someone
# ("Oh, Mr. Stephens, ...": a vocative, next to a comma or end mark), which dialogue is full of.
_PROPER_RE = re.compile(r"(?<![.!?]\s)(?<!^)(?<!,\s)\b[A-Z][a-z]+\b(?!\s*[,!?])")


@dataclass(slots=True)
class IntimacyResult:
    score: float  # 0..1
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution (raw units)


@cache
def cue_words() -> dict[str, tuple[str, ...]]:
    """Word -> the cue ("cue:depth") and Empath ("empath:sexual") features it turns on: one
    lookup per word for both. Built once, on first use (Empath's file is read then)."""
    found: dict[str, list[str]] = {}
    for kind, words in tw.INTIMACY_CUE_WORDS.items():
        feature = "cue:" + kind
        for w in words:
            found.setdefault(w, []).append(feature)
    for line in EMPATH_PATH.read_text(encoding="utf-8").splitlines():
        name, *terms = line.split("\t")
        feature = "empath:" + name
        for term in sorted(set(terms)):  # sorted: the same sums in every run
            found.setdefault(term, []).append(feature)
    return {w: tuple(features) for w, features in found.items()}


@cache
def everyday_words() -> frozenset[str]:
    """Words of everyday English, as calibration found them (weights.json, "intimacy")."""
    spec = _load_doc()["models"]["intimacy"]
    return frozenset(str(spec.get("everyday_words", "")).split())


def intimacy_inputs(
    text: str, everyday: frozenset[str] | None = None
) -> tuple[PersonalFeatures, dict[str, float], float]:
    """(personal features, the named features the intimacy model reads, the words' scale).

    `everyday`: the everyday words (calibration passes its own; default: the shipped ones).
    """
    pf = find_personal(text)
    named = pf.named()
    words, tokens, _ = lx.token_info(text)
    # Words outside everyday English (jargon, product and science terms: "inertia", "GPU")
    # mark an impersonal question in any domain; per sqrt(number of words), like the words.
    common = everyday if everyday is not None else everyday_words()
    rare = len([t for t in tokens if t not in common])
    if rare:
        named["rare_words"] = rare / math.sqrt(len(tokens))
    cues = cue_words()
    for kinds in [cues[t] for t in tokens if t in cues]:  # most words are no cue
        for kind in kinds:
            named[kind] = 1.0
    # Only the few capitalised words are tried against the pattern (its lookbehinds see the
    # text before them). A Title Case Text Says Nothing About Names: skipped.
    caps = [s for s, _ in words if text[s].isupper()]
    if caps and len(caps) * 2 <= len(words):
        match = _PROPER_RE.match
        n = sum(1 for s in caps if match(text, s))
        if n:
            named["proper_names"] = float(min(n, 3))
    return pf, named, 1.0 / math.sqrt(max(1, len(pf.stems)))


def intimacy_features(text: str, everyday: frozenset[str] | None = None) -> dict[str, float]:
    """The model's input as one dict (for calibration): named features plus "w:" word features,
    each word worth the words' scale."""
    pf, named, scale = intimacy_inputs(text, everyday)
    feats = dict(named)
    for stem in set(pf.stems):
        feats["w:" + stem] = scale
    return feats


def _model_sum(
    named: dict[str, float], stems: list[str], scale: float, explain: bool
) -> tuple[float, dict[str, float]]:
    """bias + named contributions + scale * word contributions, and the readable shares.

    One pass of the model: the named values go in divided by `scale`, so the whole sum past the
    bias comes out divided by it, and every share is then multiplied back.
    """
    model = get_model("intimacy")
    bias = model.bias
    z, raw = model.explain_text({k: v / scale for k, v in named.items()}, stems, signals=explain)
    z = bias + (z - bias) * scale
    if not explain:
        return z, {}
    signals: dict[str, float] = {}
    small = 0.0
    for k, v in raw.items():
        c = v * scale
        if k != OTHER_WORDS and (c >= SIGNAL_FLOOR or c <= -SIGNAL_FLOOR):
            signals[k] = c
        else:
            small += c
    if small:
        signals[OTHER_WORDS] = small
    return z, signals


def intimacy_raw(text: str) -> float:
    """The fitted model's prediction on the data's own -1..1 scale (for benchmarks)."""
    pf, named, scale = intimacy_inputs(text[:MAX_SCORED_CHARS])
    return _model_sum(named, pf.stems, scale, explain=False)[0]


def analyse_intimacy(text: str, explain: bool = True) -> IntimacyResult:
    """`explain=False` leaves `signals` empty (same score)."""
    pf, named, scale = intimacy_inputs(text[:MAX_SCORED_CHARS])
    z, signals = _model_sum(named, pf.stems, scale, explain)
    z += _priors(pf, signals)
    return IntimacyResult(
        score=round(get_model("intimacy").to_score(z), 4), signals=signals if explain else {}
    )


# Asking about these in *their* life is personal whatever the Reddit ratings say about the
# topic in general ("what's your salary?" vs "how do salaries work?"); telling about them in
# *your* life ("my therapist", "my divorce") is a disclosure.
_SENSITIVE = ("money", "health", "sexuality", "relationships", "family", "beliefs", "body")
_YOUR_SENSITIVE = tuple("your:" + t for t in _SENSITIVE)
_MY_SENSITIVE = tuple("my:" + t for t in _SENSITIVE)


def _priors(pf: PersonalFeatures, signals: dict[str, float]) -> float:
    """Hand-set additions (weights.json "priors"), each shown as its own signal."""
    priors = load_priors()
    extra = 0.0
    if pf.endearments:
        extra += priors.get("endearment", 0.0)
        signals["prior:endearment"] = priors.get("endearment", 0.0)
    feats = pf.features
    if feats.get("question") and (
        feats.get("topic:location") or any(feats.get(k) for k in _YOUR_SENSITIVE)
    ):
        share = priors.get("sensitive_question", 0.0)
        extra += share
        signals["prior:sensitive_question"] = share
    if any(feats.get(k) for k in _MY_SENSITIVE):
        share = priors.get("sensitive_disclosure", 0.0)
        extra += share
        signals["prior:sensitive_disclosure"] = share
    # The writer's own feelings: only worth asking the disclosure model when both an "I" and
    # an emotion word are there (it rarely says yes otherwise, and this runs on every check).
    if feats.get("first_person") and feats.get("topic:emotions"):
        emo = get_model("disclosure_emotional")
        p = emo.to_score(emo.explain_text(pf.named(), pf.stems, signals=False)[0])
        if p > 0.5:
            share = priors.get("emotional_disclosure", 0.0) * (p - 0.5) * 2
            extra += share
            signals["prior:emotional_disclosure"] = share
    return extra
