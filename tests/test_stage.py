"""The stage from the evidence, the facts behind it, and the declared/computed mismatch note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coach.analysis.stage import compute_facts, relationship_facts
from coach.check import check_offline
from coach.models import Contact, Disclosure, Interaction

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _contact(pattern: str, channel: str = "public_reply", **kw: object) -> Contact:
    """`pattern` like "oioi": o = you wrote, i = they wrote, one day apart, oldest first."""
    its = [
        Interaction(
            direction="out" if c == "o" else "in",
            at=NOW - timedelta(days=len(pattern) - n),
            channel=channel,
            text="?" if c == "o" else "ok",
        )
        for n, c in enumerate(pattern)
    ]
    return Contact(name="Dana Reyes", preferred_name="Dana", interactions=its, **kw)


def test_no_two_way_exchange_is_a_stranger() -> None:
    assert compute_facts(_contact("ooo")).computed == "stranger"
    assert compute_facts(_contact("")).computed == "stranger"


def test_a_few_public_exchanges_is_introduced() -> None:
    f = compute_facts(_contact("oio"))
    assert f.computed == "introduced"
    assert (f.n_in, f.n_out, f.exchanges) == (1, 2, 2)


def test_repeated_exchanges_make_an_acquaintance() -> None:
    assert compute_facts(_contact("oioioi")).computed == "acquaintance"


def test_their_deep_disclosure_makes_a_friend() -> None:
    c = _contact("oioi", disclosures=[Disclosure(who="them", topic="family", depth=2)])
    f = compute_facts(c)
    assert f.computed == "friend"
    assert f.their_depth == {"family": 2} and f.their_max_depth == 2


def test_meetings_without_anything_personal_stay_an_acquaintance() -> None:
    its = _contact("oioioi", channel="email").interactions
    its.append(Interaction(direction="in", at=NOW, channel="meeting", text="Good meeting."))
    plain = compute_facts(Contact(name="Ana Kovačević", interactions=its))
    assert plain.computed == "acquaintance"
    shared = Contact(
        name="Ana Kovačević",
        interactions=its,
        disclosures=[Disclosure(who="them", topic="work", depth=1)],
    )
    assert compute_facts(shared).computed == "friend"

def test_unanswered_streak_and_reply_time() -> None:
    f = compute_facts(_contact("oioioo"))
    assert f.unanswered == 2 and f.unanswered_asks == 2
    assert f.typical_reply == timedelta(days=1)


def test_declared_stage_wins_and_a_big_gap_is_noted() -> None:
    c = _contact("o", stage="close")
    result = check_offline("Thanks for the note!", c, now=NOW)
    assert result.stage == "close"
    note = [f for f in result.flags if f.rule == "stage-mismatch"]
    assert note and note[0].severity == "info" and "stranger" in note[0].message
    assert result.verdict == "ok"


def test_facts_follow_changes_to_the_contact() -> None:
    c = _contact("oi")
    assert relationship_facts(c).n_in == 1
    c.interactions.append(Interaction(direction="in", at=NOW, channel="dm", text="hi"))
    assert relationship_facts(c).n_in == 2


def test_facts_cache_reuses_an_unchanged_contact_and_notices_each_kind_of_edit() -> None:
    """The per-contact facts are reused only while the contact is unchanged; every edit the
    store makes (a field assigned, an item appended, a list replaced, the newest item's time
    moved) gives facts equal to a fresh computation."""
    c = _contact("oioi")
    first = relationship_facts(c)
    assert relationship_facts(c) is first  # unchanged: the cached facts themselves
    # A field assigned an equal value matches in the comparison: still the cached facts.
    c.name = "Dana Reyes"
    assert relationship_facts(c) is first
    edits = [
        lambda: setattr(c, "preferred_name", "Dee"),
        lambda: setattr(c, "stage", "close"),
        lambda: setattr(c, "name", "Dana R."),
        lambda: setattr(c, "updated", NOW + timedelta(days=1)),
        lambda: c.interactions.append(Interaction(direction="in", at=NOW, text="hun!")),
        lambda: c.disclosures.append(Disclosure(who="them", topic="family", depth=2)),
        lambda: setattr(c, "interactions", c.interactions[:-2]),
        lambda: setattr(c.interactions[-1], "at", NOW + timedelta(hours=1)),
        lambda: c.interactions.pop(),
        lambda: setattr(c, "disclosures", []),
    ]
    for edit in edits:
        before = relationship_facts(c)
        edit()
        after = relationship_facts(c)
        assert after == compute_facts(c)
        assert after is not before
        assert relationship_facts(c) is after  # and cached again
    # Another contact object with the same fields gets its own facts, never the first one's.
    twin = c.model_copy()
    assert relationship_facts(twin) == relationship_facts(c)
    assert relationship_facts(twin) is not relationship_facts(c)
