"""Intimacy: how personal a message is on its own (Pei & Jurgens 2020's scale, mapped to 0..1).

A ridge model over sensitive-topic words, who the message is about, personal questions,
endearments and a small vocabulary, fitted on rated questions (see `calibrate.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.linear import get_model
from coach.analysis.personal import find_personal, personal_features

MAX_SCORED_CHARS = 20_000


@dataclass(slots=True)
class IntimacyResult:
    score: float  # 0..1
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution


def intimacy_raw(text: str) -> float:
    """The model's prediction on the data's own -1..1 scale (for benchmarks)."""
    return get_model("intimacy").raw(personal_features(find_personal(text[:MAX_SCORED_CHARS])))


def analyse_intimacy(text: str) -> IntimacyResult:
    pf = find_personal(text[:MAX_SCORED_CHARS])
    model = get_model("intimacy")
    score, signals = model.explain_text(pf.named(), pf.tokens)
    return IntimacyResult(score=round(score, 4), signals=signals)
