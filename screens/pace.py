"""Short, human descriptions of a relationship's pace for the screens (last contact, unanswered).

Plain functions of a Contact and a clock, so a frozen clock gives stable text in snapshots.
"""

from __future__ import annotations

from datetime import datetime

from coach.models import Contact, Stage


def ago(then: datetime | None, now: datetime) -> str:
    """'today', '3d ago', '5w ago', '2y ago' -- coarse on purpose: pace, not timestamps."""
    if then is None:
        return "never"
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "soon"
    days = int(seconds // 86400)
    if days == 0:
        hours = int(seconds // 3600)
        return "just now" if hours == 0 else f"{hours}h ago"
    if days < 14:
        return f"{days}d ago"
    if days < 120:
        return f"{days // 7}w ago"
    if days < 730:
        return f"{days // 30}mo ago"
    return f"{days // 365}y ago"


def last_contact(contact: Contact) -> datetime | None:
    return max((i.at for i in contact.interactions), default=None)


def unanswered(contact: Contact) -> int:
    """Outgoing messages since they last wrote (the chasing count)."""
    count = 0
    for item in sorted(contact.interactions, key=lambda i: i.at, reverse=True):
        if item.direction == "in":
            break
        count += 1
    return count


def computed_stage(contact: Contact) -> Stage | None:
    """The stage read off the evidence by the analysis (None if the analysis is unavailable)."""
    try:
        from coach.analysis.stage import relationship_facts
    except ImportError:
        return None
    try:
        return relationship_facts(contact).computed
    except Exception:  # advisory here: a failure must not break a list row
        return None


def stage_label(contact: Contact) -> str:
    """The declared stage, or the computed one marked with '~'."""
    if contact.stage:
        return contact.stage
    computed = computed_stage(contact)
    return f"~{computed}" if computed else "-"


def pace_hint(contact: Contact, now: datetime) -> str:
    """'3d ago', or '3d ago, 2 unanswered' when you are the one writing."""
    hint = ago(last_contact(contact), now)
    waiting = unanswered(contact)
    if waiting >= 2:
        hint += f", {waiting} unanswered"
    return hint
