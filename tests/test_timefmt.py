"""Times are stored in UTC and shown (and typed) in the machine's local zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from coach.timefmt import shown, typed
from screens.forms import parse_when


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_times_show_in_the_local_zone(berlin: None) -> None:
    assert shown(datetime(2026, 11, 20, 13, 30, tzinfo=UTC)) == "2026-11-20 14:30"  # CET
    assert shown(datetime(2026, 7, 1, 13, 30, tzinfo=UTC)) == "2026-07-01 15:30"  # CEST
    assert shown(datetime(2026, 11, 20, 13, 30)) == "2026-11-20 14:30"  # naive: stored UTC


def test_a_typed_time_is_local_and_round_trips(berlin: None) -> None:
    at = typed("2026-11-20 14:30")
    assert at.astimezone(UTC) == datetime(2026, 11, 20, 13, 30, tzinfo=UTC)
    assert shown(at) == "2026-11-20 14:30"
    # An explicit zone is kept as typed.
    assert typed("2026-11-20T14:30+00:00") == datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    assert parse_when("", now) == now
    assert parse_when("2026-11-20", now).astimezone(UTC) == datetime(2026, 11, 19, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a date"):
        parse_when("next tuesday", now)
