"""Start-up: the garbage collector is held while the first screen is built and runs again once
it is painted (or the app ends), never left off; an app made but not run leaves it alone. The
engine is looked for once the first screen is up, and the status line then says which it is."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from screens_support import frozen_now, seed_store, text_of, wait_for
from textual.widgets import DataTable

from screens.app import CoachApp
from screens.home import HomeScreen
from screens.widgets.status_line import StatusLine


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    yield
    gc.enable()  # whatever happened, the other tests run with it on


async def test_collector_held_while_home_is_built_then_back_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    compose = HomeScreen.compose

    def spy(self: HomeScreen) -> Any:
        seen.append(gc.isenabled())
        return compose(self)

    monkeypatch.setattr(HomeScreen, "compose", spy)
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    assert gc.isenabled()  # made, not running yet: nothing changed
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#contacts")
                       and app.screen.query_one("#contacts", DataTable).row_count == 4)
        assert seen == [False]
        assert gc.isenabled()
        status = app.screen.query_one(StatusLine)
        await wait_for(pilot, lambda: "offline coach only" in text_of(status))


async def test_collector_back_on_once_even_without_a_paint() -> None:
    app = CoachApp(llm=None, now=frozen_now)
    app.on_load()  # what Textual calls first as the app starts
    assert not gc.isenabled()
    app.release_collector()  # what on_unmount does, should the first paint never come
    assert gc.isenabled()
    gc.disable()  # someone else's choice after that is left alone
    app.release_collector()
    assert not gc.isenabled()
