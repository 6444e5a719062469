"""Home: contacts list, search, add / edit / log-interaction forms, first-run demo offer."""

from __future__ import annotations

from screens_support import frozen_now, seed_store, text_of, wait_for
from textual.widgets import DataTable, Input, Select, Static

from coach.config import load_settings
from coach.store import open_store
from screens.app import CoachApp
from screens.home import HomeScreen


def _rows(app: CoachApp) -> list[str]:
    home = app.screen_stack[0]  # the home screen, even under a dialog
    table = home.query_one("#contacts", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_contacts_listed_with_pace_and_search_as_you_type() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(_rows(app)) == 4)
        table = app.screen.query_one("#contacts", DataTable)
        lars = table.get_row("c-lars")
        assert lars[2] == "introduced"
        assert "3 unanswered" in str(lars[3])
        await pilot.press("slash", *"mik")
        await wait_for(pilot, lambda: _rows(app) == ["Mika Virtanen"])
        panel = text_of(app.screen.query_one("#relationship", Static))
        assert "old school friend" in panel
        # Down leaves the search box for the rows (as Enter does); there it moves the cursor.
        await pilot.press("down")
        assert app.focused is table
        assert app.screen.query_one("#search", Input).value == "mik"


async def test_add_contact_validates_then_saves() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(_rows(app)) == 4)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#name"))
        await pilot.press(*"   ")
        await pilot.press("ctrl+r")  # save with a blank name
        await pilot.pause()
        assert "name" in text_of(app.screen.query_one("#form-error", Static))
        app.screen.query_one("#name", Input).value = "Noor Haddad"
        app.screen.query_one("#how-met", Input).value = "commented on the blog"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Noor Haddad" in _rows(app))
    with open_store() as store:
        noor = store.find_contact("Noor Haddad")
    assert noor.how_met == "commented on the blog"


async def test_log_interaction_with_bad_date_then_good() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(_rows(app)) == 4)
        app.screen.query_one("#contacts", DataTable).move_cursor(row=_rows(app).index("Priya Raman"))
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#when"))
        app.screen.query_one("#when", Input).value = "last tuesday"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "not a date" in text_of(app.screen.query_one("#form-error", Static))
        app.screen.query_one("#when", Input).value = "2026-11-19 09:30"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: "1d ago" in str(
            app.screen.query_one("#contacts", DataTable).get_row("c-priya")[3]))
    with open_store() as store:
        priya = store.get_contact("c-priya")
    assert priya is not None and len(priya.interactions) == 1
    assert priya.interactions[0].direction == "in" and priya.interactions[0].at.day == 19


async def test_a_new_message_starts_on_the_channel_last_used() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(_rows(app)) == 4)
        table = app.screen.query_one("#contacts", DataTable)
        table.move_cursor(row=_rows(app).index("Lars Eriksen"))  # the last three by email
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#channel"))
        assert app.screen.query_one("#channel", Select).value == "email"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        table.move_cursor(row=_rows(app).index("Priya Raman"))  # nothing logged yet
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#channel"))
        assert app.screen.query_one("#channel", Select).value == "dm"


async def test_first_run_offers_demo_data_once() -> None:
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#yes")
                       and app.screen.query_one("#yes").region.width > 0)  # laid out
        await pilot.click("#yes")
        await wait_for(pilot, lambda: len(_rows(app)) > 5, timeout=15)
    assert load_settings().demo_offered is True
    # A second start does not ask again, even with an empty store.
    with open_store() as store:
        for c in store.list_contacts(limit=0):
            store.delete_contact(c.id)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "No contacts yet" in text_of(
            app.screen.query_one("#relationship", Static)))
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)


async def test_a_name_with_brackets_is_shown_as_written() -> None:
    seed_store()
    odd = "Bo [b]Lee[/b] [/]"
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(_rows(app)) == 4)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#name"))
        app.screen.query_one("#name", Input).value = odd
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: odd in _rows(app))  # not read as markup, no crash
        table = app.screen.query_one("#contacts", DataTable)
        table.move_cursor(row=_rows(app).index(odd))
        await pilot.press("e")  # saving an edit names the contact in a notification
        await wait_for(pilot, lambda: app.screen.query("#name"))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: any(odd in str(n.message) for n in app._notifications))
        await pilot.pause()
        assert app.is_running
