"""Each screen's CSS (screens/styles/) arrives with the screen: not parsed at start-up, and in
force for the screen's widgets when it is first shown, dialogs included."""

from __future__ import annotations

from screens_support import frozen_now, seed_store, wait_for
from textual.containers import Vertical
from textual.widgets import DataTable

from screens.app import CoachApp
from screens.base import STYLES
from screens.forms import ContactForm
from screens.history import HistoryScreen


async def test_screen_rules_load_with_their_screen() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#contacts")
                       and app.screen.query_one("#contacts", DataTable).row_count == 4)
        loaded = {path for path, _var in app.stylesheet.source}
        assert str(STYLES / "history.tcss") not in loaded
        assert str(STYLES / "dialogs.tcss") not in loaded
        await pilot.press("n")  # a dialog: .dialog is 72 cells wide, with a round border
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm))
        dialog = app.screen.query_one(".dialog", Vertical)
        await wait_for(pilot, lambda: dialog.size.width > 0)
        assert dialog.outer_size.width == 72 and dialog.styles.border_top[0] == "round"
        await pilot.press("escape")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        pane = app.screen.query_one("#history-list-pane")
        await wait_for(pilot, lambda: pane.size.width > 0)
        assert pane.outer_size.width == 72  # 60% of 120
