"""Self-disclosure: how much a message shares of the writer's feelings and personal facts.

Two logistic models (emotional, informational) over first-person, emotion, close-people and
topic features plus a small vocabulary, fitted on the CL-Aff OffMyChest sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.linear import get_model, top_signals
from coach.analysis.personal import find_personal

MAX_SCORED_CHARS = 20_000


@dataclass(slots=True)
class DisclosureResult:
    emotional: float  # about P(readers say it shares the writer's feelings)
    informational: float  # about P(it shares personal facts about the writer or their people)
    signals: dict[str, float] = field(default_factory=dict)  # "emotional:feature" -> contribution


def analyse_disclosure(text: str) -> DisclosureResult:
    pf = find_personal(text[:MAX_SCORED_CHARS])
    named = pf.named()
    emo = get_model("disclosure_emotional")
    info = get_model("disclosure_informational")
    emo_z, emo_sig = emo.explain_text(named, pf.stems)
    info_z, info_sig = info.explain_text(named, pf.stems)
    # The strongest few of each: enough to say why, without hundreds of tiny word weights.
    signals = {f"emotional:{k}": v for k, v in top_signals(emo_sig, 8)}
    signals.update({f"informational:{k}": v for k, v in top_signals(info_sig, 8)})
    return DisclosureResult(
        emotional=round(emo.to_score(emo_z), 4),
        informational=round(info.to_score(info_z), 4),
        signals=signals,
    )
