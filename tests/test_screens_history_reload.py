"""History on return: re-read every time, but the list is only reset when what it shows changed."""

from __future__ import annotations

from screens_support import fixed_records, frozen_now, seed_store, wait_for

from coach.store import open_store
from screens.app import CoachApp
from screens.history import HistoryScreen
from screens.widgets.check_list import CheckList


async def _show_history(app: CoachApp, pilot: object) -> tuple[HistoryScreen, CheckList]:
    await app.switch_mode("history")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    listing = screen.query_one(CheckList)
    await wait_for(pilot, lambda: listing.total > 0 and not screen.workers)
    return screen, listing


async def test_return_with_nothing_new_keeps_the_list_and_new_checks_appear() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, listing = await _show_history(app, pilot)
        shown = listing._generation
        await app.switch_mode("home")
        await pilot.pause()
        await _show_history(app, pilot)
        await pilot.pause()
        assert listing.total == 6 and listing._generation == shown  # re-read, not reset

        extra = fixed_records(7)[-1].model_copy(update={"id": "h-new", "created": frozen_now()})
        with open_store() as store:
            store.add_check(extra)
        await app.switch_mode("home")
        await pilot.pause()
        await app.switch_mode("history")
        await wait_for(pilot, lambda: listing.total == 7 and not screen.workers)
        assert listing._generation > shown
        assert listing.current is not None and listing.current.id == "h-new"


async def test_return_after_moving_the_cursor_starts_at_the_top_again() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, listing = await _show_history(app, pilot)
        await pilot.press("down", "down")
        assert listing.cursor == 2
        await app.switch_mode("home")
        await pilot.pause()
        await app.switch_mode("history")
        await wait_for(pilot, lambda: listing.cursor == 0 and not screen.workers)
        assert listing.current is not None and listing.current.id == "h-005"
