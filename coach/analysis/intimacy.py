"""Intimacy: how personal a message is on its own, 0 (impersonal) .. 1 (only said to someone close).

A ridge model over sensitive-topic words (and whose life they are about), personal questions and
a small vocabulary, fitted on rated questions (Pei & Jurgens 2020; see `calibrate.py`). Two hand-set
priors add what questions cannot teach: endearments and emotional self-disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.linear import get_model, load_priors
from coach.analysis.personal import PersonalFeatures, find_personal

MAX_SCORED_CHARS = 20_000


@dataclass(slots=True)
class IntimacyResult:
    score: float  # 0..1
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution (raw units)


def intimacy_raw(text: str) -> float:
    """The fitted model's prediction on the data's own -1..1 scale (for benchmarks)."""
    pf = find_personal(text[:MAX_SCORED_CHARS])
    return get_model("intimacy").explain_text(pf.named(), pf.stems, signals=False)[0]


def analyse_intimacy(text: str, explain: bool = True) -> IntimacyResult:
    """`explain=False` leaves `signals` empty (same score)."""
    pf = find_personal(text[:MAX_SCORED_CHARS])
    model = get_model("intimacy")
    named = pf.named()
    z, signals = model.explain_text(named, pf.stems, signals=explain)
    z += _priors(pf, named, signals)
    return IntimacyResult(score=round(model.to_score(z), 4), signals=signals if explain else {})


# Asking about these in *their* life is personal whatever the Reddit ratings say about the
# topic in general ("what's your salary?" vs "how do salaries work?"); telling about them in
# *your* life ("my therapist", "my divorce") is a disclosure.
_SENSITIVE = ("money", "health", "sexuality", "relationships", "family", "beliefs", "body")
_YOUR_SENSITIVE = tuple("your:" + t for t in _SENSITIVE)
_MY_SENSITIVE = tuple("my:" + t for t in _SENSITIVE)


def _priors(pf: PersonalFeatures, named: dict[str, float], signals: dict[str, float]) -> float:
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
        p = emo.to_score(emo.explain_text(named, pf.stems, signals=False)[0])
        if p > 0.5:
            share = priors.get("emotional_disclosure", 0.0) * (p - 0.5) * 2
            extra += share
            signals["prior:emotional_disclosure"] = share
    return extra
