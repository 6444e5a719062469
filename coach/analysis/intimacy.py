"""Intimacy: how personal a message is on its own. STUB until the offline-coach issue."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class IntimacyResult:
    score: float  # 0..1
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution


def analyse_intimacy(text: str) -> IntimacyResult:
    return IntimacyResult(score=0.0)
