"""What a draft says on its own, before any relationship is considered.

`TextFeatures` is the hand-off between the text analysis (courtesy, intimacy, the spans of
personal questions, disclosures, requests...) and the pacing analysis, which weighs those spans
against the relationship. Every span is a half-open [start, end) range of Python string indices
into the draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.models import Flag


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # what was found, e.g. "gratitude", "endearment", "guilt"
    text: str = ""  # the words, for messages ("'hun'")


@dataclass(slots=True)
class TopicSpan:
    """A sensitive or personal topic in the draft."""

    start: int
    end: int
    topic: str  # one of coach.models.TOPICS, or "body"
    depth: int  # 0 outer .. 3 core
    mode: str  # "question" (asks about them), "disclosure" (about the writer), "mention"
    text: str = ""
    about_them: bool = False  # the reader's own life ("your kids"), asked or not


@dataclass(slots=True)
class RequestSpan:
    """Something the draft asks the reader to do or give."""

    start: int
    end: int
    size: str  # "small" | "medium" | "large"
    bald: bool  # on record with no softening (imperative, no hedge, no please/could)
    kind: str = "favour"  # "favour", "meeting", "call", "money", "intro", "pitch", "time"
    text: str = ""


@dataclass(slots=True)
class TextFeatures:
    text: str
    courtesy: float = 0.5  # calibrated: about P(readers rate it polite)
    intimacy: float = 0.0  # 0..1, how personal on its own
    courtesy_flags: list[Flag] = field(default_factory=list)  # rude openers, gushing, ...
    # Gratitude, hedges, ...: what the draft does well (left empty by `explain=False`).
    politeness_markers: list[Span] = field(default_factory=list)
    topics: list[TopicSpan] = field(default_factory=list)
    requests: list[RequestSpan] = field(default_factory=list)
    endearments: list[Span] = field(default_factory=list)  # "hun", "buddy", "sweetie"
    presumed_closeness: list[Span] = field(default_factory=list)  # "as a friend", "we go way back"
    guilt: list[Span] = field(default_factory=list)  # "still waiting", "did you even see"
    channel_moves: list[Span] = field(default_factory=list)  # "DM me", "what's your number", "call"
    researched: list[Span] = field(default_factory=list)  # "I saw on your profile that..."
    address: list[Span] = field(default_factory=list)  # how the draft addresses them ("Hi Dan")
    greeting: Span | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of each sentence
    signals: dict[str, float] = field(default_factory=dict)  # feature -> value, for explanations

    @property
    def personal_questions(self) -> list[TopicSpan]:
        return [t for t in self.topics if t.mode == "question"]

    @property
    def self_disclosures(self) -> list[TopicSpan]:
        return [t for t in self.topics if t.mode == "disclosure"]
