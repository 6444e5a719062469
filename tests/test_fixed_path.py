"""The per-check work after the text analysis skips calls that could find nothing; these tests
pin down that each skipped call really finds nothing there, so a later change to the callee
that makes it find something fails here instead of silently never running."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from coach.analysis.chasing import check_chasing
from coach.analysis.features import Span, TextFeatures
from coach.analysis.stage import RelationshipFacts
from coach.models import Flag

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@given(
    unanswered=st.integers(0, 6),
    asks=st.integers(0, 6),
    n_in=st.integers(0, 30),
    n_out=st.integers(0, 30),
    guilt=st.booleans(),
)
def test_chasing_finds_nothing_where_assess_pacing_skips_it(
    unanswered: int, asks: int, n_in: int, n_out: int, guilt: bool
) -> None:
    facts = RelationshipFacts(
        name="Dana", n_in=n_in, n_out=n_out, unanswered=unanswered, unanswered_asks=asks
    )
    tf = TextFeatures(text="just bumping this", guilt=[Span(5, 12, "guilt", "bumping")] if guilt else [])
    flags: list[Flag] = []
    check_chasing(tf, facts, NOW, flags)
    # assess_pacing's guard for the call, as written there.
    called = bool(facts.unanswered or tf.guilt or (facts.n_out >= 5 and facts.n_in * 3 <= facts.n_out))
    if not called:
        assert flags == []


def test_elapsed_time_lands_in_the_result() -> None:
    """check_offline writes the time into the dict that became the result's fields."""
    from coach.check import check_offline

    r = check_offline("Hi there, could you send the notes?", None, "dm", now=NOW)
    assert r.elapsed_ms > 0.0
    assert r.model_dump()["elapsed_ms"] == r.elapsed_ms == r.__dict__["elapsed_ms"]
    assert r.to_json_dict()["elapsed_ms"] == r.elapsed_ms
