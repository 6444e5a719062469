"""Courtesy: politeness strategies and their calibrated score. STUB until the offline-coach issue."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.features import Span
from coach.models import Flag


@dataclass(slots=True)
class CourtesyResult:
    score: float  # calibrated: about P(readers rate the message polite)
    flags: list[Flag] = field(default_factory=list)  # rude opener, bald imperative, gushing...
    markers: list[Span] = field(default_factory=list)  # positive strategies found
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution


def analyse_courtesy(text: str) -> CourtesyResult:
    return CourtesyResult(score=0.5)
