"""What every pacing flag is made of: the sources it cites, the words for the facts it quotes,
and the flag itself."""

from __future__ import annotations

from coach.analysis.construct import maker
from coach.analysis.stage import RelationshipFacts
from coach.models import Flag, Severity

SPT = "social penetration theory (Altman & Taylor)"
KNAPP = "Knapp's relational stages"
RECIPROCITY = "disclosure reciprocity research"
URT = "uncertainty reduction theory (Berger & Calabrese)"
POLITENESS = "Brown & Levinson's politeness theory"
EXPECTANCY = "expectancy violations theory (Burgoon)"
PRIVACY = "communication privacy management (Petronio)"
HYPERPERSONAL = "Walther's hyperpersonal model"
STATED = "their stated preference"

TOPIC_NAMES = {
    "family": "family",
    "relationships": "relationships",
    "health": "health",
    "money": "money",
    "age": "age",
    "beliefs": "beliefs",
    "sexuality": "sexuality",
    "emotions": "feelings",
    "body": "body",
    "location": "where they live",
    "work": "work",
}



def whose_topic(topic: str, whose: str) -> str:
    """The topic as something of theirs or yours: "their family", "where you live"."""
    if topic == "location":
        return f"where {'they' if whose == 'their' else 'you'} live"
    return f"{whose} {TOPIC_NAMES.get(topic, topic)}"


CHANNEL_WORDS = {
    "dm": "direct messages",
    "email": "email",
    "sms": "their phone number",
    "call": "a call",
    "in_person": "meeting in person",
    "address": "their address",
}

CHANNEL_ALIASES = {
    "dm": "dm",
    "dms": "dm",
    "direct message": "dm",
    "direct messages": "dm",
    "pm": "dm",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "sms": "sms",
    "text": "sms",
    "texts": "sms",
    "phone": "call",
    "call": "call",
    "calls": "call",
    "whatsapp": "sms",
    "meeting": "meeting",
    "in_person": "in_person",
    "in person": "in_person",
    "public_reply": "public_reply",
    "mention": "mention",
    "comment": "comment",
}


_make_flag = maker(Flag, ("rule", "severity", "start", "end", "message", "evidence", "source"))


def flag(
    rule: str, severity: Severity, start: int, end: int, message: str, evidence: str, source: str
) -> Flag:
    # Built without validation: this is the hot path and every field is made here.
    return _make_flag(
        {
            "rule": rule,
            "severity": severity,
            "start": start,
            "end": end,
            "message": message[:300],
            "evidence": evidence[:500],
            "source": source,
        }
    )


def depth_word(depth: int) -> str:
    return "nothing personal" if depth < 0 else f"depth {depth} of 3"


def shared(facts: RelationshipFacts, topic: str) -> str:
    depth = facts.their_depth.get(topic, -1)
    what = TOPIC_NAMES.get(topic, topic)
    if depth < 0:
        return f"{facts.name} has shared nothing about {what}"
    return f"{facts.name} has shared {what} only at depth {depth} of 3"
