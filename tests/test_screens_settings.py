"""Settings saved and reloaded; keymap applied; connection test against a closed port; palette; help."""

from __future__ import annotations

import socket

from screens_support import frozen_now, seed_store, text_of, wait_for
from textual.widgets import Input, Select, Static, Switch, TextArea

from coach.config import load_settings
from screens.app import CoachApp
from screens.help import HelpScreen
from screens.history import HistoryScreen
from screens.settings import SettingsScreen, parse_keymap


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _settings(app: CoachApp, pilot: object) -> SettingsScreen:
    await app.switch_mode("settings")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def test_settings_saved_reloaded_and_keymap_applied() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settings(app, pilot)
        screen.query_one("#endpoint", Input).value = url
        screen.query_one("#temperature", Input).value = "0.7"
        screen.query_one("#offline", Switch).value = True
        screen.query_one("#theme", Select).value = "nord"
        screen.query_one("#keymap", TextArea).load_text("history = f9\n# comment\n")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: load_settings().theme == "nord")
        assert app.theme == "nord"
        await pilot.press("f9")  # the new key for the history
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    saved = load_settings()
    assert saved.offline is True and saved.keymap == {"history": "f9"}
    assert saved.endpoints[saved.endpoint].base_url == url
    assert saved.endpoints[saved.endpoint].temperature == 0.7
    # A new app starts with what was saved.
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "nord"
        screen = await _settings(app, pilot)
        assert screen.query_one("#endpoint", Input).value == url
        assert screen.query_one("#offline", Switch).value is True


async def test_bad_values_are_refused_in_words() -> None:
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settings(app, pilot)
        screen.query_one("#temperature", Input).value = "warm"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Temperature" in text_of(screen.query_one("#settings-error", Static))
        screen.query_one("#temperature", Input).value = "0.2"
        screen.query_one("#keymap", TextArea).load_text("quick_check f2")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "binding_id = keys" in text_of(screen.query_one("#settings-error", Static))
    assert load_settings().keymap == {}


async def test_connection_test_reports_a_dead_endpoint() -> None:
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settings(app, pilot)
        screen.query_one("#endpoint", Input).value = f"http://127.0.0.1:{_closed_port()}/v1"
        screen.query_one("#model", Select).set_options([("m", "m")])
        screen.query_one("#model", Select).value = "m"
        await pilot.press("ctrl+t")
        result = screen.query_one("#test-result", Static)
        await wait_for(pilot, lambda: text_of(result) not in ("", "testing…"), timeout=20)
        assert text_of(result).startswith(("Connection failed", "No LLM"))
        assert app.is_running  # a backend error never ends the app


def test_parse_keymap_lines() -> None:
    assert parse_keymap("a = f2\n\n# x\nb=ctrl+g # why\n") == {"a": "f2", "b": "ctrl+g"}


async def test_palette_offers_app_commands_and_contacts() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"hist")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_f1_explains_the_focused_widget_and_lists_binding_ids() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        body = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "Your contacts" in body and "quick_check" in body and "new_contact" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        # On settings the first focus is a scrolling pane: its help is what the pane is for,
        # not the toolkit's description of a scroll container.
        await _settings(app, pilot)
        await pilot.pause()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        body = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "container" not in body and "settings_save" in body
        assert "LLM" in body or "Settings" in body


async def test_mutes_listed_with_reason_and_unmuted_with_delete() -> None:
    from textual.widgets import OptionList

    from coach.models import Mute
    from coach.store import open_store

    seed_store()
    with open_store() as store:
        store.add_mute(Mute(rule="personal-question", contact_id="c-mika", reason="we talk family"))
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _settings(app, pilot)
        await wait_for(pilot, lambda: len(screen.mutes) == 1)
        listing = screen.query_one("#mutes", OptionList)
        shown = str(listing.get_option_at_index(0).prompt)
        assert "personal-question" in shown and "Mika Virtanen" in shown and "we talk family" in shown
        listing.focus()
        listing.highlighted = 0
        await pilot.press("delete")
        await wait_for(pilot, lambda: not screen.mutes)
    with open_store() as store:
        assert store.list_mutes("c-mika") == []
