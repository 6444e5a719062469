"""The footer and the header, each one widget drawing what Textual draws with several: the footer
follows the focused widget and the user keymap, its keys are clicked by position like separate
key widgets were and show their tooltips; the header's icon opens the command palette."""

from __future__ import annotations

from screens_support import frozen_now, seed_store, wait_for
from textual.command import CommandPalette
from textual.widgets import DataTable

from coach.config import Settings, save_settings
from screens.app import CoachApp
from screens.history import HistoryScreen
from screens.widgets.fact_list import FactList
from screens.widgets.footer import CoachFooter, FooterItem
from screens.widgets.header import HeaderBar


def _footer(app: CoachApp) -> CoachFooter:
    return app.screen.query_one(CoachFooter)


def _shown(app: CoachApp) -> str:
    footer = _footer(app)
    return str(footer.render().plain)


def _item(app: CoachApp, description: str) -> FooterItem:
    footer = _footer(app)
    footer.render()
    return next(i for i in footer.items if i.description == description)


async def _home_with_rows(app: CoachApp, pilot: object) -> None:
    await wait_for(pilot, lambda: app.screen.query("#contacts")
                   and app.screen.query_one("#contacts", DataTable).row_count == 4)


async def test_footer_follows_the_focused_widget() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_with_rows(app, pilot)
        shown = _shown(app)
        assert "n New" in shown and "l Log" in shown and "f5 History" in shown
        assert "^p palette" in shown and "Remove" not in shown
        await pilot.press("f")  # into the relationship entries: their keys join the footer
        await wait_for(pilot, lambda: isinstance(app.focused, FactList))
        await wait_for(pilot, lambda: "x Remove" in _shown(app))
        await pilot.press("slash")  # the search box takes letters: n, e, l... leave the footer
        await wait_for(pilot, lambda: "n New" not in _shown(app))
        assert "f5 History" in _shown(app)


async def test_clicking_a_footer_key_runs_it_and_hovering_shows_its_tooltip() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_with_rows(app, pilot)
        footer = _footer(app)
        log = _item(app, "Log")
        await pilot.hover(CoachFooter, offset=(log.start + 1, 0))
        assert footer.tooltip == "Log a message or meeting with this contact"
        history = _item(app, "History")
        await pilot.click(CoachFooter, offset=(history.end - 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        palette = _item(app, "palette")
        await pilot.click(CoachFooter, offset=(palette.start, 0))  # the bar in front counts
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_footer_shows_and_clicks_the_user_keymap() -> None:
    save_settings(Settings(keymap={"history": "f9"}))
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_with_rows(app, pilot)
        assert "f9 History" in _shown(app) and "f5 History" not in _shown(app)
        history = _item(app, "History")
        assert history.key == "f9"
        await pilot.click(CoachFooter, offset=(history.start, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_header_icon_opens_the_palette_and_a_click_elsewhere_makes_it_tall() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_with_rows(app, pilot)
        header = app.screen.query_one(HeaderBar)
        assert "coach — courtesy and pacing" in header.render().plain
        await pilot.hover(HeaderBar, offset=(1, 0))
        assert header.tooltip == "Open the command palette"
        await pilot.hover(HeaderBar, offset=(60, 0))
        assert header.tooltip is None
        await pilot.click(HeaderBar, offset=(60, 0))
        await wait_for(pilot, lambda: header.size.height == 3)
        await pilot.click(HeaderBar, offset=(60, 1))
        await wait_for(pilot, lambda: header.size.height == 1)
        await pilot.click(HeaderBar, offset=(1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_keys_that_do_not_fit_are_left_out_not_cut() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_with_rows(app, pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        line = _shown(app)
        # History has more keys than 120 columns hold: the last ones go whole, and nothing
        # of them shows around the palette key at the right.
        assert line.rstrip().endswith("▏^p palette")
        assert "f4 Com" not in line and "f4 Compose" not in line
        footer = _footer(app)
        palette = next(i for i in footer.items if i.palette)
        assert all(i.end < palette.start for i in footer.items if not i.palette)
        assert footer.item_at(palette.end) is None  # the margin after the palette key
