"""SVG snapshots of each screen at 120x40, with a frozen clock, fixed data and fixed check results
(so the pictures change only when the screens do, not when the analysis is retuned).

Update after a deliberate change: `uv run pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screens_support import FakeStreamingCoach, frozen_now, seed_store, text_of
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from coach.llm import LLMOutcome
from coach.models import CheckResult, Contact, Flag, Scores
from screens.app import CoachApp
from screens.compose import ComposeScreen
from screens.history import HistoryScreen
from screens.quick import QuickCheckModal

SIZE = (120, 40)
DRAFT = "Hi Dana, thanks for the kind words about the launch! How is your family doing?"
FIXED = CheckResult(
    verdict="revise",
    scores=Scores(courtesy=0.81, intimacy=0.42, pacing=0.63),
    stage="introduced",
    flags=[Flag(rule="personal-question", severity="warn", start=53, end=78,
                message="Asks about their family before they raised it",
                evidence="Dana has shared nothing about family; you have exchanged 2 messages",
                source="social penetration theory (Altman & Taylor)"),
           Flag(rule="preference-topic", severity="stop", start=53, end=78,
                message="Dana asked to keep family out of it",
                evidence='Dana said: "I keep my family offline"', source="stated preference")],
    advice="Let Dana raise family first; the thanks on its own is a good message.",
    rewrite="Hi Dana, thanks for the kind words about the launch!",
    engine="llm:fake-model",
)


class FixedCoach(FakeStreamingCoach):
    """Streams fixed coaching and returns FIXED, whatever the offline analysis said."""

    async def coach(self, draft: str, contact: Contact | None, channel: str | None,
                    offline: CheckResult, *, on_delta: Any = None) -> LLMOutcome:
        outcome = await super().coach(draft, contact, channel, offline, on_delta=on_delta)
        outcome.result = FIXED
        return outcome


def _fixed_offline(*_args: Any, **_kwargs: Any) -> CheckResult:
    return FIXED.model_copy(update={"engine": "offline", "rewrite": None})


async def _warmed(pilot: Pilot[Any]) -> None:
    """Run the app's idle warm-up (it builds the history screen off screen) to its end first, so
    every picture is taken in the same state, not in whichever the 1 s warm-up timer allows."""
    app = pilot.app
    assert isinstance(app, CoachApp)
    app.warm_up()
    await asyncio.wait_for(app.warmed_up.wait(), timeout=60)
    await pilot.pause()


async def _settle(pilot: Pilot[Any], cond: Callable[[], object] | None = None) -> None:
    """Wait for the workers, then stop cursors blinking so the picture is stable."""
    app = pilot.app
    for _ in range(1500):  # up to 30 s: a loaded machine is slow, not wrong
        # The status line's engine is found by a worker after the first paint.
        looking = isinstance(app, CoachApp) and "looking" in app.engine_text
        if (cond is None or cond()) and not looking:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    # A DataTable sizes its columns on idle. `pilot.pause` waits only for the top screen, so a
    # table behind a dialog may not have had that pass yet: wait for it (SizedDataTable then
    # redraws any row drawn before it).
    for _ in range(500):
        tables = [t for sc in pilot.app.screen_stack for t in sc.query(DataTable)]
        if not any(t._require_update_dimensions for t in tables):
            break
        await pilot.pause(0.02)
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("screens.widgets.coaching_view.monotonic", lambda: 100.0)
    monkeypatch.setattr("screens.settings.config_file",
                        lambda: Path("/home/you/.config/coach/config.toml"))
    monkeypatch.setattr("screens.compose.offline_check", _fixed_offline)
    monkeypatch.setattr("screens.quick.offline_check", _fixed_offline)


def test_home(snap_compare: Any) -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await _settle(pilot, lambda: getattr(app.screen, "contacts", None))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_home_first_run_offers_demo(snap_compare: Any) -> None:
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await _settle(pilot, lambda: app.screen.query("#yes"))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_compose_after_check(snap_compare: Any) -> None:
    seed_store()
    app = CoachApp(llm=FixedCoach(delay=0.001), now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await app.open_compose(draft=DRAFT, contact_id="c-dana")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await _settle(pilot, lambda: screen.contact is not None)
        await pilot.press("ctrl+r")
        await _settle(pilot, lambda: screen.record is not None)
        # The draft is saved by a worker thread: under load its status line came after the
        # picture was taken.
        status = screen.query_one("#draft-status", Static)
        await _settle(pilot, lambda: "draft saved" in text_of(status))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_quick_check_over_home(snap_compare: Any) -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await _settle(pilot, lambda: getattr(app.screen, "contacts", None))
        await pilot.press("f2")
        await _settle(pilot, lambda: isinstance(app.screen, QuickCheckModal))
        app.screen.query_one("#quick-draft", TextArea).insert(DRAFT)
        await _settle(pilot, lambda: "REVISE" in str(app.screen.query_one("#quick-verdict").content))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history_with_contact_chart(snap_compare: Any) -> None:
    seed_store(records=12)
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await app.switch_mode("history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        screen.set_contact("c-dana")
        await _settle(pilot, lambda: screen.contact_name is not None and screen.query_one(
            "#history-list").total == 8 and bool(screen.query_one("#chart-pacing").data))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_settings(snap_compare: Any) -> None:
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await app.switch_mode("settings")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_on_home(snap_compare: Any) -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _warmed(pilot)
        await _settle(pilot, lambda: getattr(app.screen, "contacts", None))
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_contact_rows_drawn_before_the_columns_are_sized_are_redrawn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The order that made the home snapshots flaky, forced: the screen draws the contacts table
    after its rows are added but before the table's idle pass sizes the columns."""
    from textual.geometry import Region

    from screens.home import HomeScreen

    shown = HomeScreen._show

    def show_then_draw(self: HomeScreen, *args: Any) -> None:
        shown(self, *args)
        table = self.query_one("#contacts", DataTable)
        table.render_lines(Region(0, 0, table.size.width, table.size.height))

    monkeypatch.setattr(HomeScreen, "_show", show_then_draw)
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot, lambda: getattr(app.screen, "contacts", None))
        table = app.screen.query_one("#contacts", DataTable)
        first_row = table.render_line(1).text
        assert "Dana Reyes" in first_row and "customer" in first_row, first_row
