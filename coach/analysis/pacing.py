"""Pacing: the draft weighed against the relationship. Each signal fires only when the history
supports it and cites the fact behind it and its source. Precision over recall.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coach.analysis.chasing import check_chasing
from coach.analysis.emoji import SENDS_EMOJI, find_affection
from coach.analysis.evidence import (
    CHANNEL_WORDS,
    EXPECTANCY,
    HYPERPERSONAL,
    KNAPP,
    POLITENESS,
    RECIPROCITY,
    SPT,
    STATED,
    TOPIC_NAMES,
    URT,
    depth_word,
    flag,
    shared,
    whose_topic,
)
from coach.analysis.features import RequestSpan, TextFeatures, TopicSpan
from coach.analysis.preferences import avoided_topics, check_names, check_preferences
from coach.analysis.privacy import check_private_reshare, check_researched
from coach.analysis.spans import CHANNEL_MOVE_PRIVACY
from coach.analysis.stage import (
    CHANNEL_PRIVACY,
    STAGE_DEPTH_CAP,
    STAGE_RANK,
    RelationshipFacts,
    raised_by_them,
)
from coach.models import PUBLIC_CHANNELS, Contact, Flag, Severity

_RANK_FRIEND = STAGE_RANK["friend"]
_RANK_ACQUAINTANCE = STAGE_RANK["acquaintance"]

_SEVERITY_RANK = {"info": 0, "warn": 1, "stop": 2}
_ASK_WORDS = {
    "money": "money",
    "intro": "an introduction",
    "pitch": "a purchase or sign-up",
    "meeting": "a meeting",
    "call": "a call",
    "time": "their time",
    "favour": "a favour",
}


def assess_pacing(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact | None,
    channel: str | None,
    now: datetime,
) -> list[Flag]:
    """All pacing flags for this draft and relationship, in draft order (whole-message flags first)."""
    flags: list[Flag] = []
    # Each signal is tried only when the draft holds what it looks at (most drafts hold no
    # topic, request or channel move): the guard is cheaper than the call that would find
    # nothing.
    rank = STAGE_RANK[facts.declared or facts.computed]  # `facts.stage`, without the property call
    # The contact's fields from its `__dict__` (each pydantic attribute read goes through the
    # model's `__getattr__` hook).
    c: dict[str, Any] = contact.__dict__ if contact is not None else {}
    if tf.topics:
        _topics(tf, facts, contact, flags)
        _disclosure(tf, facts, flags)
    if tf.endearments or tf.presumed_closeness:
        _closeness(tf, facts, contact, flags)
    if rank < _RANK_FRIEND and not tf.text.isascii():  # kisses and hearts: no emoji, no call
        _affection(tf, facts, contact, flags)
    if contact is not None and (tf.address or c["pronouns"]):
        check_names(tf, facts, contact, flags)
    if tf.requests:
        _requests(tf, facts, contact, flags)
    # Channel moves matter before friendship; a first private message only at the early stages.
    if rank < _RANK_FRIEND and (tf.channel_moves or (channel and contact is not None and rank <= 1)):
        _channel_moves(tf, facts, contact, channel, flags)
    if contact is not None:
        # `check_chasing` finds nothing without an unanswered message, guilt phrasing or a
        # one-sided history (its `_one_sided` test): most checks skip the call.
        if facts.unanswered or tf.guilt or (facts.n_out >= 5 and facts.n_in * 3 <= facts.n_out):
            check_chasing(tf, facts, now, flags)
        if c["preferences"]:
            check_preferences(tf, facts, contact, channel, now, flags)
        if channel in PUBLIC_CHANNELS and facts.private_topics:
            check_private_reshare(tf, facts, channel, flags)
        if tf.researched:
            check_researched(tf, facts, contact, flags)
        if facts.declared and abs(STAGE_RANK[facts.declared] - STAGE_RANK[facts.computed]) >= 2:
            flags.append(
                flag(
                    "stage-mismatch",
                    "info",
                    0,
                    0,
                    f"You set the stage to {facts.declared}; the history looks like {facts.computed}",
                    f"{facts.exchanged()}; their deepest disclosure: {depth_word(facts.their_max_depth)}",
                    KNAPP,
                )
            )
    if len(flags) > 1:
        flags.sort(key=_span_key)
    return flags


def _span_key(f: Flag) -> tuple[int, int]:
    return (f.start, f.end)


# -- topics: personal questions, depth jumps, topics they asked you to avoid -----------------
def _topics(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact | None, flags: list[Flag]
) -> None:
    avoid: dict[str, str] | None = None  # read on the first topic about them (often none)
    context = contact.context if contact is not None else "personal"
    stage = facts.stage
    rank = STAGE_RANK[stage]
    cap = STAGE_DEPTH_CAP[stage]
    done: set[str] = set()
    for t in tf.topics:
        if not t.about_them or t.topic in done:
            continue
        if avoid is None:
            avoid = avoided_topics(contact) if contact else {}
        if context == "customer" and t.topic == "location" and "address" in t.text.lower():
            continue  # a customer's delivery address is business, not their private life
        what = TOPIC_NAMES.get(t.topic, t.topic)
        if t.topic in avoid:
            done.add(t.topic)
            quote = avoid[t.topic]
            flags.append(
                flag(
                    "preference-topic",
                    "stop",
                    t.start,
                    t.end,
                    f"Brings up {what}, which {facts.name} asked to keep out of it",
                    f'{facts.name} said: "{quote}"'
                    if quote
                    else f"{facts.name} asked you to avoid {what}",
                    STATED,
                )
            )
            continue
        verb = "Asks about" if t.mode == "question" else "Brings up"
        their = facts.their_depth.get(t.topic, -1)
        if their < 0 and not raised_by_them(facts, t.topic):
            # Closer stages may touch outer layers they never raised (friends know more than the
            # log holds); nobody goes to the core unasked.
            if t.depth <= cap - 1 or (rank >= _RANK_FRIEND and t.depth <= cap):
                continue
            severity: Severity = (
                "stop" if rank <= 1 and (t.depth >= 2 or context != "personal") else "warn"
            )
            if context == "professional" and t.topic == "money":
                severity = "warn"  # pay is a fair, if delicate, subject at work
            if t.mode != "question" and t.depth <= 1:
                # "Hope you're over the flu": they may have said so where it was not logged.
                severity = "info"
            done.add(t.topic)
            start, end = _question_span(tf, t)
            flags.append(
                flag(
                    "personal-question",
                    severity,
                    start,
                    end,
                    f"{verb} {whose_topic(t.topic, 'their')} before they raised it",
                    f"{shared(facts, t.topic)}; {facts.exchanged()}",
                    SPT if t.depth >= 2 else URT,
                )
            )
            continue
        allowed = max(their + 1, cap)
        if t.depth > allowed:
            done.add(t.topic)
            severity = "stop" if rank <= 1 and t.depth - max(their, 0) >= 2 else "warn"
            start, end = _question_span(tf, t)
            flags.append(
                flag(
                    "depth-jump",
                    severity,
                    start,
                    end,
                    f"{verb} {what} more deeply than {facts.name} has gone",
                    f"{shared(facts, t.topic)}; stage: {stage}",
                    SPT,
                )
            )


def _question_span(tf: TextFeatures, t: TopicSpan) -> tuple[int, int]:
    """A question is flagged whole ("how are your kids doing?"); a mention by its words."""
    if t.mode != "question":
        return t.start, t.end
    for s, e in tf.sentences:
        if s <= t.start < e:
            text = tf.text
            while s < t.start and text[s].isspace():
                s += 1
            while e > t.end and text[e - 1].isspace():
                e -= 1
            return s, e
    return t.start, t.end


def _disclosure(tf: TextFeatures, facts: RelationshipFacts, flags: list[Flag]) -> None:
    deepest: TopicSpan | None = None
    for t in tf.topics:
        if t.mode == "disclosure" and (deepest is None or t.depth > deepest.depth):
            deepest = t
    if deepest is None or deepest.depth < 2:
        return
    # Several private layers at once weigh like one core disclosure.
    deep_topics = {t.topic for t in tf.topics if t.mode == "disclosure" and t.depth >= 2}
    depth = min(3, deepest.depth + 1) if len(deep_topics) >= 2 else deepest.depth
    stage = facts.stage
    # Reciprocity: match what they shared, do not outbid it.
    allowed = max(facts.their_max_depth, STAGE_DEPTH_CAP[stage])
    if depth <= allowed:
        return
    severity: Severity = "stop" if depth == 3 and STAGE_RANK[stage] < _RANK_FRIEND else "warn"
    flags.append(
        flag(
            "disclosure-asymmetry",
            severity,
            deepest.start,
            deepest.end,
            f"Shares {whose_topic(deepest.topic, 'your')} far beyond what {facts.name} has shared",
            f"this goes to depth {depth} of 3 ({', '.join(sorted(deep_topics))}); "
            f"{facts.name}'s deepest: "
            f"{depth_word(facts.their_max_depth)}; {facts.exchanged()}",
            RECIPROCITY,
        )
    )


# -- closeness: endearments and presumed closeness (nicknames and the names they asked for:
# `check_names`) ---------------------------------------------------------------------------
def _closeness(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact | None, flags: list[Flag]
) -> None:
    stage = facts.stage
    rank = STAGE_RANK[stage]
    if stage != "close":
        for s in tf.endearments:
            word = s.text.lower()
            if word in facts.they_informal or (rank >= _RANK_FRIEND and facts.they_informal):
                continue
            # "mate", "friend", "dude" between private people is casual, not intimate: a note;
            # from a business or at work it is over-familiar.
            casual = s.kind == "vocative" and (contact is None or contact.context == "personal")
            flags.append(
                flag(
                    "endearment",
                    "info" if casual else "warn",
                    s.start,
                    s.end,
                    f"Calls them '{s.text}'; {facts.name} has not used words like that with you",
                    f"no endearment in their messages; stage: {stage}; {facts.exchanged()}",
                    EXPECTANCY,
                )
            )
        if rank < _RANK_FRIEND:
            for s in tf.presumed_closeness:
                flags.append(
                    flag(
                        "presumed-closeness",
                        "warn",
                        s.start,
                        s.end,
                        f"'{s.text}' presumes a closeness the history does not show yet",
                        f"stage: {stage}; {facts.exchanged()}",
                        HYPERPERSONAL,
                    )
                )


def _affection(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact | None, flags: list[Flag]
) -> None:
    """Kisses and hearts (`emoji.AFFECTION`) before friendship, unless they sent such emoji
    first: judged as endearments ("babe" and 😘 presume the same closeness). A warning from a
    business to a customer, or to someone only just met; a note between acquaintances, where
    a heart is warm rather than a line crossed."""
    if facts.they_affection:  # they send kisses or hearts themselves: the same back is fine
        return
    early = STAGE_RANK[facts.stage] < _RANK_ACQUAINTANCE
    severity: Severity = (
        "warn" if early or (contact is not None and contact.context == "customer") else "info"
    )
    for s in find_affection(tf.text):
        flags.append(
            flag(
                "endearment",
                severity,
                s.start,
                s.end,
                f"{SENDS_EMOJI} {s.text} at the {facts.stage} stage; {facts.name} has not sent "
                "kisses or hearts to you",
                f"no such emoji in their messages; {facts.exchanged()}",
                EXPECTANCY,
            )
        )


# -- requests: size against the stage, bald on record (Brown & Levinson) ----------------------
def _requests(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact | None, flags: list[Flag]
) -> None:
    stage = facts.stage
    rank = STAGE_RANK[stage]
    if stage == "close":
        return
    customer = contact is not None and contact.context == "customer"
    best: tuple[int, Severity, RequestSpan] | None = None
    moves = tf.channel_moves
    for r in tf.requests:
        if moves and any(r.start <= m.start < r.end for m in moves):
            continue  # asking to move channel is judged as a channel move, not as a favour
        severity: Severity | None = None
        if rank >= _RANK_FRIEND:
            # Friends can ask a lot, but not order it.
            severity = "warn" if r.size == "large" and r.bald else None
        elif r.size == "large":
            # A big favour demanded of someone who never answered is "too soon" outright.
            severity = "stop" if r.bald and rank == 0 else "warn" if r.bald or rank <= 1 else "info"
        elif r.bald and rank <= 1 and (r.size == "medium" or customer):
            severity = "warn"  # distance is high: bald on record reads as an order
        if severity is None:
            continue
        weight = _SEVERITY_RANK[severity]
        if best is None or weight > best[0]:
            best = (weight, severity, r)
    if best is None:
        return
    _, severity, req = best
    open_asks = (
        sum(1 for a in contact.asks if a.who == "me" and a.status == "open") if contact else 0
    )
    extra = (
        f"; you already have {open_asks} open request{'s' if open_asks != 1 else ''}"
        if open_asks
        else ""
    )
    how = "with no softening" if req.bald else "softened"
    flags.append(
        flag(
            "big-ask",
            severity,
            req.start,
            req.end,
            f"Asks for {_ASK_WORDS.get(req.kind, 'a favour')} ({req.size}, {how}) at the {stage} stage",
            f"{facts.exchanged()}; stage: {stage}{extra}",
            POLITENESS,
        )
    )


# -- channels --------------------------------------------------------------------------------
def _channel_moves(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact | None,
    channel: str | None,
    flags: list[Flag],
) -> None:
    rank = STAGE_RANK[facts.stage]
    if rank >= _RANK_FRIEND:
        return
    customer = contact is not None and contact.context == "customer"
    their = facts.their_max_privacy
    for s in tf.channel_moves:
        level = CHANNEL_MOVE_PRIVACY.get(s.kind, 1)
        if level <= their or (customer and level == 1):
            continue
        if s.kind == "in_person" and facts.time_together:
            continue  # you have met already
        if s.kind == "address" and customer and facts.n_in:
            continue  # asking a customer who wrote to you where to deliver is service
        if s.kind == "address":
            severity: Severity = "stop" if rank <= 2 else "warn"
        elif rank <= 1 or level >= 2:
            severity = "warn"
        else:
            severity = "info"
        went = (
            "they have only written in public"
            if their == 0
            else "they have never written to you"
            if their < 0
            else "they have not gone beyond written private messages"
        )
        flags.append(
            flag(
                "channel-escalation",
                severity,
                s.start,
                s.end,
                f"Moves to {CHANNEL_WORDS.get(s.kind, s.kind)} before {facts.name} did",
                f"{went}; stage: {facts.stage}",
                URT,
            )
        )
    if channel and contact is not None and rank <= 1:
        level = CHANNEL_PRIVACY.get(channel, 1)
        if level > max(their, facts.my_max_privacy, 0) and not (customer and level == 1):
            flags.append(
                flag(
                    "channel-escalation",
                    "info",
                    0,
                    0,
                    f"A first message by {channel}: more private than anything between you so far",
                    f"{'they have only written in public' if their <= 0 else 'a new channel'}; "
                    f"{facts.exchanged()}",
                    URT,
                )
            )
