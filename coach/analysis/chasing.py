"""Chasing and one-sided history: unanswered messages that asked for something, follow-ups
faster than their usual reply, guilt phrasing."""

from __future__ import annotations

from datetime import datetime

from coach.analysis.evidence import (
    EXPECTANCY,
    RECIPROCITY,
    flag,
)
from coach.analysis.features import TextFeatures
from coach.analysis.stage import (
    RelationshipFacts,
)
from coach.models import Flag, Severity


# -- chasing and one-sided history --------------------------------------------------------------
def check_chasing(
    tf: TextFeatures, facts: RelationshipFacts, now: datetime, flags: list[Flag]
) -> None:
    """Another message while earlier ones wait for an answer (or one-sided history)."""
    u = facts.unanswered
    if u == 0 and not tf.guilt:
        # Nothing unanswered and no guilt phrasing: no chasing flag can fire (each needs one).
        _one_sided(facts, flags)
        return
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
            since += f"; you wrote {human_duration((now - facts.last_out).total_seconds())} ago and they "
            since += f"usually reply in {human_duration(facts.typical_reply.total_seconds())}"
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
    else:
        _one_sided(facts, flags)


def _one_sided(facts: RelationshipFacts, flags: list[Flag]) -> None:
    if facts.n_out >= 5 and facts.n_in * 3 <= facts.n_out:
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


def human_duration(seconds: float) -> str:
    if seconds < 5400:
        return f"{max(1, round(seconds / 60))} minutes"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86400)} days"
