"""Pacing: the draft weighed against the relationship. Each signal fires only when the history
supports it and cites the fact behind it and its source. Precision over recall.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from functools import lru_cache

from coach.analysis.features import RequestSpan, TextFeatures, TopicSpan
from coach.analysis.spans import CHANNEL_MOVE_PRIVACY
from coach.analysis.stage import (
    CHANNEL_PRIVACY,
    STAGE_DEPTH_CAP,
    STAGE_RANK,
    RelationshipFacts,
    raised_by_them,
)
from coach.analysis.topics import topics_in
from coach.models import PUBLIC_CHANNELS, Contact, Flag, Severity

SPT = "social penetration theory (Altman & Taylor)"
KNAPP = "Knapp's relational stages"
RECIPROCITY = "disclosure reciprocity research"
URT = "uncertainty reduction theory (Berger & Calabrese)"
POLITENESS = "Brown & Levinson's politeness theory"
EXPECTANCY = "expectancy violations theory (Burgoon)"
PRIVACY = "communication privacy management (Petronio)"
HYPERPERSONAL = "Walther's hyperpersonal model"
STATED = "their stated preference"

_RANK_FRIEND = STAGE_RANK["friend"]
_TOPIC_NAMES = {
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
_ASK_WORDS = {
    "money": "money",
    "intro": "an introduction",
    "pitch": "a purchase or sign-up",
    "meeting": "a meeting",
    "call": "a call",
    "time": "their time",
    "favour": "a favour",
}
_CHANNEL_WORDS = {
    "dm": "direct messages",
    "email": "email",
    "sms": "their phone number",
    "call": "a call",
    "in_person": "meeting in person",
    "address": "their address",
}
_CHANNEL_ALIASES = {
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
_PRONOUN_SETS = {
    "he": re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE),
    "she": re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE),
}
_TOLD_ME_RE = re.compile(
    r"\byou (?:told me|mentioned|said|shared|confided|dm'?d me|messaged me)\b", re.IGNORECASE
)
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "sir", "madam"})
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


def flag(
    rule: str, severity: Severity, start: int, end: int, message: str, evidence: str, source: str
) -> Flag:
    # Built without validation: this is the hot path and every field is made here.
    return Flag.model_construct(
        rule=rule,
        severity=severity,
        start=start,
        end=end,
        message=message[:300],
        evidence=evidence[:500],
        source=source,
    )


def assess_pacing(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact | None,
    channel: str | None,
    now: datetime,
) -> list[Flag]:
    """All pacing flags for this draft and relationship, in draft order (whole-message flags first)."""
    flags: list[Flag] = []
    _topics(tf, facts, contact, flags)
    _disclosure(tf, facts, flags)
    _closeness(tf, facts, contact, flags)
    _requests(tf, facts, contact, flags)
    _channel_moves(tf, facts, contact, channel, flags)
    if contact is not None:
        _chasing(tf, facts, now, flags)
        _preferences(tf, facts, contact, channel, now, flags)
        _private_reshare(tf, facts, channel, flags)
        _researched(tf, facts, contact, flags)
        if facts.declared and abs(STAGE_RANK[facts.declared] - STAGE_RANK[facts.computed]) >= 2:
            flags.append(
                flag(
                    "stage-mismatch",
                    "info",
                    0,
                    0,
                    f"You set the stage to {facts.declared}; the history looks like {facts.computed}",
                    f"{facts.exchanged()}; their deepest disclosure: {_depth_word(facts.their_max_depth)}",
                    KNAPP,
                )
            )
    flags.sort(key=lambda f: (f.start, f.end))
    return flags


def _depth_word(depth: int) -> str:
    return "nothing personal" if depth < 0 else f"depth {depth} of 3"


def _shared(facts: RelationshipFacts, topic: str) -> str:
    depth = facts.their_depth.get(topic, -1)
    what = _TOPIC_NAMES.get(topic, topic)
    if depth < 0:
        return f"{facts.name} has shared nothing about {what}"
    return f"{facts.name} has shared {what} only at depth {depth} of 3"


# -- topics: personal questions, depth jumps, topics they asked you to avoid -----------------
def _topics(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact | None, flags: list[Flag]
) -> None:
    avoid = _avoided_topics(contact) if contact else {}
    context = contact.context if contact is not None else "personal"
    stage = facts.stage
    rank = STAGE_RANK[stage]
    cap = STAGE_DEPTH_CAP[stage]
    done: set[str] = set()
    for t in tf.topics:
        if not t.about_them or t.topic in done:
            continue
        what = _TOPIC_NAMES.get(t.topic, t.topic)
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
            # Closer stages may touch outer layers they never raised; nobody goes to the core unasked.
            if t.depth <= cap - 1:
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
                    f"{verb} their {what} before they raised it",
                    f"{_shared(facts, t.topic)}; {facts.exchanged()}",
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
                    f"{_shared(facts, t.topic)}; stage: {stage}",
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


def _avoided_topics(contact: Contact) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in contact.preferences:
        if p.kind != "topic_avoid":
            continue
        value = p.value.strip().lower()
        topics = {value} if value in _TOPIC_NAMES else set()
        topics |= topics_in(value) or topics_in(p.quote.lower())
        for t in topics:
            out[t] = p.quote
    return out


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
    what = _TOPIC_NAMES.get(deepest.topic, deepest.topic)
    flags.append(
        flag(
            "disclosure-asymmetry",
            severity,
            deepest.start,
            deepest.end,
            f"Shares your {what} far beyond what {facts.name} has shared",
            f"this goes to depth {depth} of 3 ({', '.join(sorted(deep_topics))}); "
            f"{facts.name}'s deepest: "
            f"{_depth_word(facts.their_max_depth)}; {facts.exchanged()}",
            RECIPROCITY,
        )
    )


# -- closeness: endearments, nicknames, names they asked for, presumed closeness --------------
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
    if contact is not None:
        _names(tf, facts, contact, flags)


@lru_cache(maxsize=4096)
def _norm_tokens(name: str) -> tuple[str, ...]:
    # Cached: the same few names come back on every check.
    return tuple(t for t in re.split(r"[\s.,]+", name.lower().replace("’", "'")) if t)


@lru_cache(maxsize=1024)
def _names_re(names: frozenset[str]) -> re.Pattern[str] | None:
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 2)
    return re.compile(rf"\b(?:{alts})\b", re.IGNORECASE) if alts else None


def _names(tf: TextFeatures, facts: RelationshipFacts, contact: Contact, flags: list[Flag]) -> None:
    wanted = [p for p in contact.preferences if p.kind == "name_form" and p.value.strip()]
    name_tokens = set(_norm_tokens(contact.name))
    preferred = _norm_tokens(contact.preferred_name)
    known = name_tokens | set(preferred)
    stems = {t[:3] for t in (preferred[:1] + _norm_tokens(contact.name)[:1]) if len(t) >= 3}
    for s in tf.address:
        tokens = _norm_tokens(s.text)
        bare = [t for t in tokens if t not in _TITLES]
        if not bare:
            continue
        nickname = not set(bare) <= known and any(t[:3] in stems for t in bare)
        is_them = bool(set(bare) & known) or nickname
        if not is_them:
            continue
        if wanted:
            if any(set(_norm_tokens(p.value)) <= set(tokens) for p in wanted):
                continue
            p = wanted[0]
            flags.append(
                flag(
                    "preference-name",
                    "stop",
                    s.start,
                    s.end,
                    f"Addresses them as '{s.text}'; they asked to be called '{p.value}'",
                    f'{facts.name} said: "{p.quote}"'
                    if p.quote
                    else f"stated name form: {p.value}",
                    STATED,
                )
            )
        elif preferred and not set(preferred) <= set(bare) and not nickname:
            flags.append(
                flag(
                    "preference-name",
                    "warn",
                    s.start,
                    s.end,
                    f"Addresses them as '{s.text}'; they go by '{contact.preferred_name}'",
                    f"{contact.name} uses the name '{contact.preferred_name}'",
                    STATED,
                )
            )
        elif nickname and facts.stage != "close" and s.text.lower() not in facts.incoming_text:
            flags.append(
                flag(
                    "endearment",
                    "warn",
                    s.start,
                    s.end,
                    f"Calls them '{s.text}', a form of their name they have not used",
                    f"they go by '{contact.address_name}'; stage: {facts.stage}",
                    EXPECTANCY,
                )
            )
    if contact.pronouns:
        _pronouns(tf, facts, contact, known, flags)


def _pronouns(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact, known: set[str], flags: list[Flag]
) -> None:
    stated = contact.pronouns.lower()
    text = tf.text
    names_re = _names_re(frozenset(known))
    if names_re is None:
        return
    for m in names_re.finditer(text):
        window_end = min(len(text), m.end() + 150)
        for key, rx in _PRONOUN_SETS.items():
            if key in re.split(r"\W+", stated):
                continue
            hit = rx.search(text, m.end(), window_end)
            if hit:
                flags.append(
                    flag(
                        "preference-pronouns",
                        "stop",
                        hit.start(),
                        hit.end(),
                        f"Uses '{hit.group()}' for {facts.name}, whose pronouns are {contact.pronouns}",
                        f"{facts.name} stated pronouns: {contact.pronouns}",
                        STATED,
                    )
                )
                return


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
    for r in tf.requests:
        if any(r.start <= m.start < r.end for m in tf.channel_moves):
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
        weight = {"info": 0, "warn": 1, "stop": 2}[severity]
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


# -- chasing and one-sided history --------------------------------------------------------------
def _chasing(tf: TextFeatures, facts: RelationshipFacts, now: datetime, flags: list[Flag]) -> None:
    u = facts.unanswered
    since = (
        f"you have sent {u} message{'s' if u != 1 else ''} since {facts.name} last wrote"
        if facts.n_in
        else f"you have sent {u} message{'s' if u != 1 else ''} and {facts.name} has never replied"
    )
    guilt = tf.guilt[0] if tf.guilt else None
    start, end = (guilt.start, guilt.end) if guilt else (0, 0)
    severity: Severity | None = None
    message = "Another message before they have replied"
    # Unanswered messages only chase when they asked for something (newsletters do not).
    asks = facts.unanswered_asks
    early = False
    if facts.typical_reply and facts.last_out and u >= 1:
        early = now - facts.last_out < facts.typical_reply / 2
        if early:
            since += f"; you wrote {_human((now - facts.last_out).total_seconds())} ago and they "
            since += f"usually reply in {_human(facts.typical_reply.total_seconds())}"
    if (u >= 3 and asks >= 2) or (guilt and u >= 2) or (guilt and early):
        severity = "stop"
    elif guilt and u >= 1:
        severity = "warn"
        message = f"'{guilt.text}' reads as chasing while they have not replied"
    elif u == 2 and asks >= 1:
        severity = "warn"
    elif u >= 1 and early and asks >= 1:
        severity = "info"
    if guilt and severity == "stop":
        message = f"'{guilt.text}' chases a reply that has not come"
    if severity:
        flags.append(flag("chasing", severity, start, end, message, since, EXPECTANCY))
    elif facts.n_out >= 5 and facts.n_in * 3 <= facts.n_out:
        flags.append(
            flag(
                "one-sided",
                "info",
                0,
                0,
                "Most of this conversation has come from you",
                f"you have written {facts.n_out} times, {facts.name} {facts.n_in}",
                RECIPROCITY,
            )
        )


def _human(seconds: float) -> str:
    if seconds < 5400:
        return f"{max(1, round(seconds / 60))} minutes"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86400)} days"


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
                f"Moves to {_CHANNEL_WORDS.get(s.kind, s.kind)} before {facts.name} did",
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


def _preferences(
    tf: TextFeatures,
    facts: RelationshipFacts,
    contact: Contact,
    channel: str | None,
    now: datetime,
    flags: list[Flag],
) -> None:
    for p in contact.preferences:
        said = f'{facts.name} said: "{p.quote}"' if p.quote else f"{facts.name} stated: {p.value}"
        if p.kind in ("channel_avoid", "channel"):
            target = _CHANNEL_ALIASES.get(p.value.strip().lower())
            if target is None:
                continue
            moves = [s for s in tf.channel_moves if _CHANNEL_ALIASES.get(s.kind, s.kind) != target]
            if p.kind == "channel_avoid":
                if channel and _CHANNEL_ALIASES.get(channel, channel) == target:
                    flags.append(
                        flag(
                            "preference-channel",
                            "stop",
                            0,
                            0,
                            f"Sent by {channel}, a channel {facts.name} asked you not to use",
                            said,
                            STATED,
                        )
                    )
                for s in tf.channel_moves:
                    if _CHANNEL_ALIASES.get(s.kind, s.kind) == target:
                        flags.append(
                            flag(
                                "preference-channel",
                                "stop",
                                s.start,
                                s.end,
                                f"Moves to {p.value}, which {facts.name} asked you not to use",
                                said,
                                STATED,
                            )
                        )
            else:
                if (
                    channel
                    and channel not in PUBLIC_CHANNELS
                    and channel != target
                    and channel not in ("meeting", "in_person")
                ):
                    flags.append(
                        flag(
                            "preference-channel",
                            "stop",
                            0,
                            0,
                            f"Sent by {channel}; {facts.name} prefers {p.value}",
                            said,
                            STATED,
                        )
                    )
                for s in moves:
                    if s.kind != "in_person":
                        flags.append(
                            flag(
                                "preference-channel",
                                "stop",
                                s.start,
                                s.end,
                                f"Moves to {_CHANNEL_WORDS.get(s.kind, s.kind)}; "
                                f"{facts.name} prefers {p.value}",
                                said,
                                STATED,
                            )
                        )
        elif p.kind == "quiet_hours":
            window = parse_quiet_hours(p.value)
            if window and in_window(now.timetz().replace(tzinfo=None), *window):
                flags.append(
                    flag(
                        "quiet-hours",
                        "stop",
                        0,
                        0,
                        f"It is {now:%H:%M}: inside {facts.name}'s quiet hours ({p.value})",
                        said,
                        STATED,
                    )
                )
            if window:
                # A call or meeting proposed for inside their quiet hours breaks it just the same.
                for m in _CLOCK_RE.finditer(tf.text):
                    at = _clock(m)
                    if at is not None and in_window(at, *window):
                        flags.append(
                            flag(
                                "quiet-hours",
                                "stop",
                                m.start(),
                                m.end(),
                                f"Proposes {at:%H:%M}, inside {facts.name}'s quiet hours "
                                f"({p.value})",
                                said,
                                STATED,
                            )
                        )
                        break


_CLOCK_RE = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)(?!\w)|\b(?P<h24>\d{1,2}):(?P<m24>\d{2})\b",
    re.IGNORECASE,
)


def _clock(m: re.Match[str]) -> time | None:
    if m.group("h24"):
        h, mi = int(m.group("h24")), int(m.group("m24"))
    else:
        h, mi = int(m.group("h")), int(m.group("m") or 0)
        if h < 1 or h > 12:
            return None
        h = h % 12 + (12 if m.group("ampm").lower().startswith("p") else 0)
    return time(h, mi) if h < 24 and mi < 60 else None


_HOURS_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to)\s*(\d{1,2})(?::(\d{2}))?")


@lru_cache(maxsize=1024)
def parse_quiet_hours(value: str) -> tuple[time, time] | None:
    m = _HOURS_RE.search(value)
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) if g else 0 for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    return time(h1, m1), time(h2 % 24, m2)


def in_window(t: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= t < end
    return t >= start or t < end  # wraps midnight: 20:00-08:00


def _private_reshare(
    tf: TextFeatures, facts: RelationshipFacts, channel: str | None, flags: list[Flag]
) -> None:
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
                    f"Mentions {_TOPIC_NAMES.get(t.topic, t.topic)} in public; "
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


def _researched(
    tf: TextFeatures, facts: RelationshipFacts, contact: Contact, flags: list[Flag]
) -> None:
    shared = ", ".join(sorted(facts.their_depth)) or "nothing personal"
    early = STAGE_RANK[facts.stage] <= 1
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
            if "linkedin" in low and contact.context == "professional":
                continue
            if contact.context == "professional" and not any(w in low for w in _PERSONAL_SOURCES):
                continue
            personal = any(w in low for w in _PERSONAL_SOURCES)
            severity = "stop" if early and personal else "warn"
        elif contact.context == "customer":
            # A business showing what it tracked about a customer (PRODUCT.md's complaint).
            severity = "stop" if early else "warn"
        else:
            severity = "warn" if contact.context == "professional" else "info"
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
