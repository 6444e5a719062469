"""The contact picker finds people by any part of their name, typed with or without accents."""

from __future__ import annotations

from screens_support import frozen_now, wait_for
from textual.widgets import OptionList

from coach.models import Contact
from coach.store import open_store
from screens.app import CoachApp
from screens.picker import ContactPicker


async def test_a_name_typed_without_its_accents_is_found() -> None:
    with open_store() as store:
        sofia = store.add_contact(Contact(name="Sofía Marín"))
        store.add_contact(Contact(name="Lars Eriksen"))
    app = CoachApp(llm=None, now=frozen_now)
    chosen: list[str | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(ContactPicker(), chosen.append)
        await wait_for(pilot, lambda: isinstance(app.screen, ContactPicker))
        listing = app.screen.query_one("#picker-list", OptionList)
        await wait_for(pilot, lambda: listing.option_count >= 3)  # both, and "no contact"
        await pilot.press(*"sofia")
        await wait_for(pilot, lambda: listing.option_count == 2)
        assert listing.get_option_at_index(0).id == sofia.id
        await pilot.press("enter")
        await wait_for(pilot, lambda: chosen == [sofia.id])
