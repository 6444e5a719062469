"""The relationship stage computed from the evidence (exchanges, reply ratio, disclosures, who
escalated first), and the facts behind it, which the pacing signals cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter
from statistics import median

from coach.analysis.emoji import find_affection
from coach.analysis.spans import find_endearments
from coach.analysis.topics import topics_in
from coach.models import PUBLIC_CHANNELS, STAGES, Contact, Stage

# How private a channel is: public 0, written private 1, voice/number 2 (3: a home address).
CHANNEL_PRIVACY: dict[str, int] = {
    "public_reply": 0,
    "mention": 0,
    "comment": 0,
    "dm": 1,
    "email": 1,
    "sms": 2,
    "call": 2,
    # A chat at a meetup is no more permission for a phone number than a DM is.
    "meeting": 1,
    "in_person": 1,
}
# The deepest a draft may go at each stage unless they went deeper first (social penetration).
STAGE_DEPTH_CAP: dict[str, int] = {
    "stranger": 0,
    "introduced": 1,
    "acquaintance": 1,
    "friend": 2,
    "close": 3,
}
STAGE_RANK: dict[str, int] = {s: i for i, s in enumerate(STAGES)}
_TOGETHER = frozenset({"call", "meeting", "in_person"})
_AT = attrgetter("at")
# A message that invites an answer: a question, or the usual request forms.
_INVITES_REPLY_RE = re.compile(
    r"\?|\b(?:would love|let me know|could you|would you|can you|please|following up|"
    r"get back to me)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class RelationshipFacts:
    """What the history says, in numbers a message can quote."""

    name: str  # how to refer to them in a message ("Dana")
    n_in: int = 0
    n_out: int = 0
    exchanges: int = 0  # turns that answered the other side
    reply_ratio: float = 0.0  # their messages per message of yours
    public_share: float = 1.0
    their_depth: dict[str, int] = field(default_factory=dict)  # topic -> deepest they shared
    my_depth: dict[str, int] = field(default_factory=dict)
    their_max_depth: int = -1  # -1: nothing shared
    my_max_depth: int = -1
    private_topics: set[str] = field(default_factory=set)  # topics they told you in private
    their_max_privacy: int = -1  # most private channel THEY wrote on
    my_max_privacy: int = -1
    first_private: str | None = None  # "them" | "me": who moved off public first
    they_informal: set[str] = field(default_factory=set)  # endearments they used (lowercase)
    # Kisses and hearts they sent (`emoji.AFFECTION`, without the presentation selector): not
    # evidence for the stage, only leave to send the same back.
    they_affection: set[str] = field(default_factory=set)
    time_together: int = 0  # calls, meetings, in person
    unanswered: int = 0  # your messages since they last wrote
    unanswered_asks: int = 0  # of those, the ones that asked something (invited a reply)
    last_in: datetime | None = None
    last_out: datetime | None = None
    typical_reply: timedelta | None = None  # median time they took to answer you
    incoming_text: str = ""  # their words, lowercased, for "did they raise it" checks
    incoming_topics: set[str] | None = None  # topics of incoming_text, filled on first need
    computed: Stage = "stranger"
    declared: Stage | None = None
    known: bool = True  # False when no contact was given: no history to cite
    # `exchanged()` as compute_facts left it: several flags of a check quote it, and the facts
    # are reused for every check of the contact.
    said_exchanged: str | None = field(default=None, repr=False, compare=False)

    @property
    def stage(self) -> Stage:
        return self.declared or self.computed

    @property
    def total(self) -> int:
        return self.n_in + self.n_out

    def exchanged(self) -> str:
        """'you have exchanged 2 messages' (or 'you have never exchanged a message')."""
        if self.said_exchanged is not None:
            return self.said_exchanged
        if not self.known:
            return "no history given"
        if self.total == 0:
            return "you have never exchanged a message"
        if self.n_in == 0:
            return f"you have sent {self.n_out} and they have never replied"
        word = "message" if self.total == 1 else "messages"
        return f"you have exchanged {self.total} {word}"


# Facts per contact object, reused while the contact is unchanged: a batch or a typing session
# checks many drafts against the same contact, and the facts are most of the per-check cost
# with a long history. What is compared covers what edits through the store change (the fields
# below, list lengths, the newest items); an in-place edit of an old interaction needs
# `forget_facts()`.
#
# Each entry holds the contact and the values its facts were computed from (strong references:
# while the entry lives no other object can take their ids), so "unchanged" is mostly tested by
# identity: the newest items by `is` (one assigned anew, even an equal one, means a needless
# recompute, never stale facts), the fields by one tuple comparison in C, which tries `is`
# before `==` (a field assigned an equal value still matches; a list assigned anew is compared
# item by item).
_FIELDS = itemgetter("id", "name", "preferred_name", "stage", "updated", "interactions",
                     "disclosures")


@dataclass(slots=True)
class _Seen:
    contact: Contact
    fields: tuple[object, ...]  # `_FIELDS` of the contact's `__dict__`
    n_interactions: int
    last_interaction: object  # the newest interaction and its time (None: no interaction)
    last_at: object
    n_disclosures: int
    last_disclosure: object
    facts: RelationshipFacts


_FACTS_CACHE: dict[int, _Seen] = {}
_FACTS_CACHE_MAX = 512


def forget_facts() -> None:
    _FACTS_CACHE.clear()


def relationship_facts(contact: Contact) -> RelationshipFacts:
    """The facts of the relationship (cached per contact object while it is unchanged)."""
    # Read from the model's `__dict__` (where pydantic keeps the field values): one attribute
    # lookup instead of seven, each slowed by the `__getattr__` hook every pydantic model has.
    c = contact.__dict__
    its, ds = c["interactions"], c["disclosures"]
    last_it = its[-1] if its else None
    last_at = last_it.__dict__["at"] if last_it is not None else None
    last_d = ds[-1] if ds else None
    seen = _FACTS_CACHE.get(id(contact))
    if (
        seen is not None
        and seen.contact is contact
        and seen.last_interaction is last_it
        and seen.last_at is last_at
        and seen.last_disclosure is last_d
        and seen.n_interactions == len(its)
        and seen.n_disclosures == len(ds)
        and seen.fields == _FIELDS(c)
    ):
        return seen.facts
    facts = compute_facts(contact)
    if len(_FACTS_CACHE) >= _FACTS_CACHE_MAX:
        _FACTS_CACHE.clear()
    _FACTS_CACHE[id(contact)] = _Seen(
        contact, _FIELDS(c), len(its), last_it, last_at, len(ds), last_d, facts
    )
    return facts


def compute_facts(contact: Contact) -> RelationshipFacts:
    """The facts of the relationship, computed in one pass over the contact's history."""
    facts = RelationshipFacts(name=contact.address_name, declared=contact.stage)
    interactions = sorted(contact.interactions, key=_AT)
    prev_dir: str | None = None
    pending_out: datetime | None = None  # first of your messages still waiting for an answer
    gaps: list[float] = []
    public = 0
    texts: list[str] = []
    for it in interactions:
        # The fields read from the model's `__dict__` once (pydantic attribute reads are slow
        # ones, and a history can be long); `is_public` written out.
        v = it.__dict__
        channel, direction, at, text, is_public = (
            v["channel"], v["direction"], v["at"], v["text"], v["public"]
        )
        if is_public is None:
            is_public = channel in PUBLIC_CHANNELS
        privacy = CHANNEL_PRIVACY.get(channel, 1)
        if is_public:
            public += 1
            privacy = 0
        if channel in _TOGETHER:
            facts.time_together += 1
        if direction == "in":
            facts.n_in += 1
            facts.last_in = at
            facts.unanswered = 0
            facts.unanswered_asks = 0
            facts.their_max_privacy = max(facts.their_max_privacy, privacy)
            if text:
                texts.append(text)
            if pending_out is not None:
                gaps.append((at - pending_out).total_seconds())
                pending_out = None
        else:
            facts.n_out += 1
            facts.last_out = at
            facts.unanswered += 1
            if text and _INVITES_REPLY_RE.search(text):
                facts.unanswered_asks += 1
            facts.my_max_privacy = max(facts.my_max_privacy, privacy)
            if pending_out is None:
                pending_out = at
        if privacy > 0 and facts.first_private is None:
            facts.first_private = "them" if direction == "in" else "me"
        if prev_dir is not None and direction != prev_dir:
            facts.exchanges += 1
        prev_dir = direction
    if interactions:
        facts.public_share = public / len(interactions)
    facts.reply_ratio = facts.n_in / facts.n_out if facts.n_out else float(facts.n_in > 0)
    if gaps:
        facts.typical_reply = timedelta(seconds=median(gaps))
    for d in contact.disclosures:
        depths = facts.their_depth if d.who == "them" else facts.my_depth
        depths[d.topic] = max(depths.get(d.topic, -1), d.depth)
        if d.who == "them" and d.private:
            facts.private_topics.add(d.topic)
    facts.their_max_depth = max(facts.their_depth.values(), default=-1)
    facts.my_max_depth = max(facts.my_depth.values(), default=-1)
    facts.incoming_text = "\n".join(texts).lower()
    if texts:
        facts.they_informal = {s.text.lower() for s in find_endearments(facts.incoming_text)}
        facts.they_affection = {s.text[0] for s in find_affection(facts.incoming_text)}
    facts.computed = compute_stage(facts)
    facts.said_exchanged = facts.exchanged()  # final: nothing changes the facts from here
    return facts


def compute_stage(f: RelationshipFacts) -> Stage:
    """Knapp's coming-together stages, read off the evidence (PRODUCT.md, "Stages")."""
    if f.n_in == 0 or (f.n_out == 0 and f.time_together == 0):
        return "stranger"
    if f.their_max_depth >= 3 or (
        f.their_max_depth >= 2 and f.time_together >= 3 and f.exchanges >= 10
    ):
        return "close"
    # One chat after a talk is not "real time spent together"; repeated meetings are.
    together = f.time_together >= 2 or (f.time_together >= 1 and f.exchanges >= 4)
    # Meetings alone make colleagues, not friends: time together counts once they have shared
    # something of their own (a business meeting and seven emails is still an acquaintance).
    if f.exchanges >= 2 and (
        f.their_max_depth >= 2 or f.they_informal or (together and f.their_max_depth >= 1)
    ):
        return "friend"
    if f.exchanges >= 4 or (f.exchanges >= 2 and f.their_max_privacy >= 1):
        return "acquaintance"
    return "introduced"


def raised_by_them(facts: RelationshipFacts, topic: str) -> bool:
    """Whether their own messages touched the topic (counts like a shallow disclosure)."""
    if topic in facts.their_depth:
        return True
    if not facts.incoming_text:
        return False
    if facts.incoming_topics is None:  # computed once, on first need
        facts.incoming_topics = topics_in(facts.incoming_text)
    return topic in facts.incoming_topics
