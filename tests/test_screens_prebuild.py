"""The history screen built while the app idles: the first F5 shows it, with checks made since."""

from __future__ import annotations

import re

import pytest
from screens_support import fixed_records, frozen_now, seed_store, wait_for

from coach.store import open_store
from screens.app import CoachApp
from screens.history import HistoryScreen
from screens.widgets.check_list import CheckList


async def test_prebuilt_history_is_shown_with_checks_made_since() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        app.call_later(app._prebuild_history)  # as the idle warm-up does
        await wait_for(pilot, lambda: "history" in app._prebuilt)
        prebuilt = app._prebuilt["history"]
        listing = prebuilt.query_one(CheckList)
        await wait_for(pilot, lambda: listing.total == 6)
        assert app.screen is not prebuilt  # built off screen: home is still what is shown

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


async def test_history_opens_as_before_when_not_prebuilt() -> None:
    seed_store(records=3)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        listing = app.screen.query_one(CheckList)
        await wait_for(pilot, lambda: listing.total == 3)
        # Too late to build it ahead now: the warm-up leaves the shown screen alone.
        app.call_later(app._prebuild_history)
        await pilot.pause()
        assert app._prebuilt == {}


async def _history_picture(prebuild: bool, theme: str | None = None) -> str:
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        if prebuild:
            app.call_later(app._prebuild_history)
            await wait_for(pilot, lambda: "history" in app._prebuilt)
            await pilot.pause()
        if theme:  # changed after the screen was built: it must be restyled when shown
            app.theme = theme
            await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        listing = app.screen.query_one(CheckList)
        await wait_for(pilot, lambda: listing.total == 4 and not app.screen.workers)
        await pilot.press("down")
        await pilot.pause()
        for widget in app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()
        return re.sub(r"terminal-\d+-", "", app.export_screenshot())


@pytest.mark.parametrize("theme", [None, "nord"])
async def test_prebuilt_history_looks_the_same(theme: str | None) -> None:
    seed_store(records=4)
    assert await _history_picture(True, theme) == await _history_picture(False, theme)
