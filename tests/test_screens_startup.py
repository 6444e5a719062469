"""Start-up: the garbage collector is held while the first screen is built and runs again once
it is painted (or the app ends), never left off."""

from __future__ import annotations

import gc

from screens_support import frozen_now, seed_store, wait_for
from textual.widgets import DataTable

from screens.app import CoachApp


async def test_collector_held_until_the_first_paint_then_back_on() -> None:
    assert gc.isenabled()
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    assert not gc.isenabled()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: app.screen.query("#contacts")
                           and app.screen.query_one("#contacts", DataTable).row_count == 4)
            assert gc.isenabled()
    finally:
        gc.enable()  # whatever happened, the other tests run with it on


async def test_collector_back_on_when_the_app_ends_before_painting() -> None:
    app = CoachApp(llm=None, now=frozen_now)
    try:
        assert not gc.isenabled()
        app.startup_painted()  # what on_unmount does, should the first paint never come
        assert gc.isenabled()
        app.startup_painted()  # once only: a second call changes nothing
        gc.disable()
        app.startup_painted()
        assert not gc.isenabled()
    finally:
        gc.enable()
