"""The history screen built while the app idles: the first F5 shows it, with checks made since;
too late (history already open) the warm-up leaves it alone."""

from __future__ import annotations

import asyncio

from screens_support import fixed_records, frozen_now, seed_store, wait_for

from coach.store import open_store
from screens.app import CoachApp
from screens.history import HistoryScreen
from screens.home import HomeScreen
from screens.widgets.check_list import CheckList


async def test_prebuilt_history_is_shown_with_checks_made_since() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        app.warm_up()  # what the 1 s timer does
        await asyncio.wait_for(app.warmed_up.wait(), timeout=60)
        prebuilt = app._prebuilt["history"]
        listing = prebuilt.query_one(CheckList)
        await wait_for(pilot, lambda: listing.total == 6)
        assert isinstance(app.screen, HomeScreen)  # built off screen: home is still shown

        # A check made after the screen was built (as compose or the quick check would).
        extra = fixed_records(7)[-1].model_copy(update={"id": "h-new", "created": frozen_now()})
        with open_store() as store:
            store.add_check(extra)

        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert app.screen is prebuilt
        assert "history" not in app._prebuilt
        await wait_for(pilot, lambda: listing.total == 7 and not prebuilt.workers)
        assert listing.current is not None and listing.current.id == "h-new"
        assert listing.has_focus


async def test_no_prebuild_once_history_is_open() -> None:
    seed_store(records=3)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        shown = app.screen
        listing = shown.query_one(CheckList)
        await wait_for(pilot, lambda: listing.total == 3)
        app.warm_up()
        await asyncio.wait_for(app.warmed_up.wait(), timeout=60)
        await pilot.pause()
        assert app._prebuilt == {}
        assert app.screen is shown


async def test_no_prebuild_while_a_draft_is_typed() -> None:
    """Building the screen holds the UI for a moment: not while the compose screen is up."""
    seed_store(records=3)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.open_compose(draft="Hello", contact_id="c-dana")
        await wait_for(pilot, lambda: app.current_mode == "compose")
        await app._prebuild_when_idle()  # what the warm-up does once the analysis is loaded
        assert app._prebuilt == {} and not app.warmed_up.is_set()  # it will try again later

        await app.switch_mode("home")
        await app._prebuild_when_idle()  # the retry, with the home screen up
        assert isinstance(app._prebuilt["history"], HistoryScreen)
        assert app.warmed_up.is_set()
