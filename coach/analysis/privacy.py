"""Privacy signals: re-sharing in public what they told you in private (Petronio), and showing
facts about them they never told you."""

from __future__ import annotations

import re

from coach.analysis.evidence import (
    EXPECTANCY,
    PRIVACY,
    TOPIC_NAMES,
    flag,
)
from coach.analysis.features import TextFeatures
from coach.analysis.stage import (
    STAGE_RANK,
    RelationshipFacts,
    raised_by_them,
)
from coach.models import PUBLIC_CHANNELS, Contact, Flag, Severity

_TOLD_ME_RE = re.compile(
    r"\byou (?:told me|mentioned|said|shared|confided|dm'?d me|messaged me)\b", re.IGNORECASE
)

_PERSONAL_SOURCES = (
    "instagram",
    "insta",
    "facebook",
    "fb",
    "photo",
    "picture",
    "stor",
    "tiktok",
    "looked you up",
    "googled",
    "digging",
    "stalked",
    "found your",
)


def check_private_reshare(
    tf: TextFeatures, facts: RelationshipFacts, channel: str | None, flags: list[Flag]
) -> None:
    """A public message touching a topic they told you in private."""
    if not channel or channel not in PUBLIC_CHANNELS or not facts.private_topics:
        return
    for t in tf.topics:
        if t.topic in facts.private_topics:
            flags.append(
                flag(
                    "private-reshare",
                    "stop",
                    t.start,
                    t.end,
                    f"Mentions {TOPIC_NAMES.get(t.topic, t.topic)} in public; "
                    f"{facts.name} told you about it in private",
                    f"{facts.name} shared {t.topic} privately; this goes out as a {channel}",
                    PRIVACY,
                )
            )
            return
    m = _TOLD_ME_RE.search(tf.text)
    if m:
        flags.append(
            flag(
                "private-reshare",
                "stop",
                m.start(),
                m.end(),
                f"Refers in public to what {facts.name} told you in private",
                f"{facts.name} shared {', '.join(sorted(facts.private_topics))} privately; "
                f"this goes out as a {channel}",
                PRIVACY,
            )
        )


def check_researched(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact, flags: list[Flag]
) -> None:
    """Facts about them they never told you: life events, profile research, tracking."""
    if not tf.researched:
        return
    shared = ", ".join(sorted(facts.their_depth)) or "nothing personal"
    early = STAGE_RANK[facts.stage] <= 1
    context = contact.context
    for s in tf.researched:
        severity: Severity | None = None
        low = s.text.lower()
        if s.kind.startswith("event:"):
            topic = s.kind.split(":", 1)[1]
            if topic == "work" or topic in facts.their_depth:
                continue
            word = low.rsplit(" ", 1)[-1]
            if word in facts.incoming_text or raised_by_them(facts, topic):
                continue
            severity = "stop" if early else "warn"  # their private life, from elsewhere
        elif s.kind == "source":
            if "linkedin" in low and context == "professional":
                continue
            personal = any(w in low for w in _PERSONAL_SOURCES)
            if context == "professional" and not personal:
                continue
            severity = "stop" if early and personal else "warn"
        elif context == "customer":
            # A business showing what it tracked about a customer (PRODUCT.md's complaint).
            severity = "stop" if early else "warn"
        else:
            severity = "warn" if context == "professional" else "info"
        flags.append(
            flag(
                "researched-fact",
                severity,
                s.start,
                s.end,
                "Reveals something they never told you",
                f"{facts.name} has shared: {shared}; {facts.exchanged()}",
                EXPECTANCY,
            )
        )
