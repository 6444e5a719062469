"""Personal-language features shared by the intimacy and self-disclosure scorers.

Topic words (family, health, money, beliefs, sexuality, emotions, body, location, work), who the
text is about (I / you / we) and how it asks. One combined pattern, one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.analysis import lexicon as lx

_TOPICS = re.compile(
    "|".join(f"(?P<{name}>\\b(?:{pat})\\b)" for name, pat in lx.TOPIC_WORDS.items()),
    re.IGNORECASE,
)
_ENDEARMENT = re.compile(rf"\b(?:{lx.ENDEARMENT})\b", re.IGNORECASE)
_URL = re.compile(r"<url>|https?://\S+", re.IGNORECASE)
# Questions aimed at the reader's own life ("have you ever", "how do you feel", "what's your").
_PERSONAL_Q = re.compile(
    r"\b(?:have\s+you\s+(?:ever|been)|do\s+you\s+(?:ever|have|feel|think|believe|like|love|want|miss|regret)"
    r"|are\s+you\s+(?:ok|okay|single|married|happy|seeing|in\s+a)|how\s+do\s+you\s+(?:feel|cope|deal|handle)"
    r"|how\s+did\s+you|what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+your|why\s+did\s+you|would\s+you\s+ever"
    r"|how\s+old\s+are\s+you|where\s+do\s+you\s+live|did\s+you\s+ever|what\s+do\s+you)\b",
    re.IGNORECASE,
)
# Impersonal, factual questions ("what is the", "how does", "is it possible").
_FACT_Q = re.compile(
    r"\b(?:what\s+is\s+(?:the|a|an)|what\s+are\s+(?:the|some)|how\s+(?:does|do|can|is)\s+(?:the|a|an|it)"
    r"|is\s+it\s+(?:possible|true|normal)|why\s+(?:is|are|does|do)\s+(?:the|a|an|some|people)"
    r"|which|any\s+(?:tips|advice|recommendations)|how\s+to)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class TopicHit:
    topic: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class PersonalFeatures:
    topics: list[TopicHit] = field(default_factory=list)
    endearments: list[TopicHit] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


def find_personal(text: str) -> PersonalFeatures:
    out = PersonalFeatures()
    feats = out.features
    for m in _TOPICS.finditer(text):
        topic = m.lastgroup or ""
        out.topics.append(TopicHit(topic, m.start(), m.end(), m.group()))
        feats["topic:" + topic] = 1.0
    for m in _ENDEARMENT.finditer(text):
        out.endearments.append(TopicHit("endearment", m.start(), m.end(), m.group()))
    if out.endearments:
        feats["endearment"] = 1.0
    if out.topics:
        feats["topics_n"] = float(min(len({t.topic for t in out.topics}), 3))
    tokens = lx.TOKEN_RE.findall(_URL.sub(" ", text.lower()))
    out.tokens = tokens
    first = sum(1 for t in tokens if t in lx.FIRST_PERSON)
    second = sum(1 for t in tokens if t in lx.SECOND_PERSON)
    if first:
        feats["first_person"] = float(min(first, 3))
    if second:
        feats["second_person"] = float(min(second, 3))
    if any(t in lx.FIRST_PLURAL for t in tokens):
        feats["first_plural"] = 1.0
    if any(t in lx.CLOSE_PEOPLE for t in tokens) and ("my" in tokens or "our" in tokens):
        feats["my_people"] = 1.0
    if "?" in text:
        feats["question"] = 1.0
    if _PERSONAL_Q.search(text):
        feats["personal_question"] = 1.0
    if _FACT_Q.search(text):
        feats["factual_question"] = 1.0
    if lx.NUMBER_RE.search(text):
        feats["number"] = 1.0
    n = len(tokens)
    feats["len_short"] = 1.0 if n <= 6 else 0.0
    feats["len_long"] = 1.0 if n >= 25 else 0.0
    return out


def personal_features(pf: PersonalFeatures) -> dict[str, float]:
    """The model's input: personal features plus one presence feature per known word."""
    feats = {k: v for k, v in pf.features.items() if v}
    for tok in set(pf.tokens):
        feats["w:" + tok] = 1.0
    return feats
