"""Home's relationship panel: add, edit and remove disclosures, stated preferences and requests,
with validation; the next check weighs what was just entered."""

from __future__ import annotations

from screens_support import frozen_now, seed_store, text_of, wait_for
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from coach.models import Ask, Disclosure, Preference
from coach.store import open_store
from screens.app import CoachApp
from screens.compose import ComposeScreen
from screens.dialogs import ConfirmDialog
from screens.forms import ContactForm
from screens.home import HomeScreen
from screens.relationship_edit import AddEntryMenu
from screens.relationship_forms import DisclosureForm, PreferenceForm, RequestForm
from screens.widgets.draft_area import DraftArea
from screens.widgets.fact_list import FactList


def _home(app: CoachApp) -> HomeScreen:
    home = app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    return home


async def _select(app: CoachApp, pilot: Pilot[int], contact_id: str) -> HomeScreen:
    home = _home(app)
    await wait_for(pilot, lambda: contact_id in home.contacts)
    table = home.query_one("#contacts", DataTable)
    table.move_cursor(row=table.get_row_index(contact_id))
    facts = home.query_one("#relationship-entries", FactList)
    await wait_for(pilot, lambda: facts.contact_id == contact_id)
    return home


def _facts(app: CoachApp) -> list[str]:
    facts = _home(app).query_one("#relationship-entries", FactList)
    return [str(facts.get_option_at_index(i).prompt) for i in range(facts.option_count)]


async def _save(pilot: Pilot[int], app: CoachApp) -> None:
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


def _stored(contact_id: str):  # type: ignore[no-untyped-def]
    with open_store() as store:
        contact = store.get_contact(contact_id)
    assert contact is not None
    return contact


async def _highlight(pilot: Pilot[int], app: CoachApp, text: str) -> FactList:
    facts = _home(app).query_one("#relationship-entries", FactList)
    facts.focus()
    index = next(i for i, line in enumerate(_facts(app)) if text in line)
    facts.highlighted = index
    await pilot.pause()
    return facts


async def test_disclosure_add_validates_then_edit_then_remove() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-priya")
        assert any("nothing personal shared yet" in line for line in _facts(app))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, DisclosureForm))
        form = app.screen
        form.query_one("#summary", Input).value = "training for a marathon"
        form.query_one("#when", Input).value = "yesterday-ish"
        await pilot.press("ctrl+r")  # no topic yet
        await pilot.pause()
        assert "topic" in text_of(form.query_one("#form-error", Static))
        form.query_one("#topic", Select).value = "hobbies"
        await pilot.press("ctrl+r")  # the date is still wrong
        await pilot.pause()
        assert "not a date" in text_of(form.query_one("#form-error", Static))
        form.query_one("#when", Input).value = "2026-11-18"
        form.query_one("#depth", Select).value = 1
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("marathon" in line for line in _facts(app)))
        assert any("They told you: hobbies (light, in private)" in line for line in _facts(app))
        stored = _stored("c-priya").disclosures
        assert len(stored) == 1 and stored[0].topic == "hobbies" and stored[0].at is not None
        assert stored[0].at.day == 18 and stored[0].source == "manual"

        # Edit: Enter on the entry opens it filled in; make it a public, personal one.
        await _highlight(pilot, app, "marathon")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DisclosureForm))
        form = app.screen
        assert form.query_one("#summary", Input).value == "training for a marathon"
        form.query_one("#depth", Select).value = 2
        form.query_one("#private", Select).value = False
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("personal, in public" in line for line in _facts(app)))
        stored = _stored("c-priya").disclosures
        assert [(d.depth, d.private) for d in stored] == [(2, False)]

        # Remove: x asks first; "Keep it" keeps it, "Remove" removes it.
        await _highlight(pilot, app, "marathon")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#no")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(_stored("c-priya").disclosures) == 1
        await _highlight(pilot, app, "marathon")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: not any("marathon" in line for line in _facts(app)))
    assert _stored("c-priya").disclosures == []


async def test_preference_from_the_add_menu_validates_edits_and_removes() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-lars")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AddEntryMenu))
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreferenceForm))
        form = app.screen
        form.query_one("#kind", Select).value = "channel_avoid"
        await pilot.pause()
        assert "channel" in text_of(form.query_one("#kind-hint", Static))
        await pilot.press("ctrl+r")  # blank value
        await pilot.pause()
        assert "value" in text_of(form.query_one("#form-error", Static))
        form.query_one("#value", Input).value = "carrier pigeon"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "not a channel" in text_of(form.query_one("#form-error", Static))
        form.query_one("#value", Input).value = "call"
        form.query_one("#quote", Input).value = "no calls, please"
        await _save(pilot, app)
        await wait_for(pilot, lambda: any('channel avoid: call  "no calls, please"' in line
                                          for line in _facts(app)))
        assert _stored("c-lars").preferences == [
            Preference(kind="channel_avoid", value="call", quote="no calls, please",
                       source="manual")]

        # Quiet hours must be a range the checks can read.
        await _highlight(pilot, app, "no calls")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreferenceForm))
        form = app.screen
        assert form.query_one("#value", Input).value == "call"
        form.query_one("#kind", Select).value = "quiet_hours"
        form.query_one("#value", Input).value = "evenings"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "20:00-08:00" in text_of(form.query_one("#form-error", Static))
        form.query_one("#value", Input).value = "20:00-08:00"
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("quiet hours: 20:00-08:00" in line
                                          for line in _facts(app)))
        assert [p.kind for p in _stored("c-lars").preferences] == ["quiet_hours"]

        await _highlight(pilot, app, "quiet hours")
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: any("none stated" in line for line in _facts(app)))
    assert _stored("c-lars").preferences == []


async def test_request_add_validates_edit_marks_answered_and_remove() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-lars")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RequestForm))
        form = app.screen
        await pilot.press("ctrl+r")  # nothing said about what was asked
        await pilot.pause()
        assert "what" in text_of(form.query_one("#form-error", Static))
        form.query_one("#what", Input).value = "an intro to their CTO"
        form.query_one("#size", Select).value = "medium"
        await _save(pilot, app)
        await wait_for(pilot, lambda: any(
            "You asked: an intro to their CTO (medium, not answered yet)" in line
            for line in _facts(app)))
        asks = _stored("c-lars").asks
        assert [(a.who, a.size, a.status, a.at) for a in asks] == [("me", "medium", "open", None)]

        await _highlight(pilot, app, "CTO")
        await pilot.press("e")  # in the entries, e edits the entry (not the contact)
        await wait_for(pilot, lambda: isinstance(app.screen, RequestForm))
        app.screen.query_one("#status", Select).value = "granted"
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("(medium, granted)" in line for line in _facts(app)))
        assert [a.status for a in _stored("c-lars").asks] == ["granted"]

        await _highlight(pilot, app, "CTO")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: any("none made either way" in line for line in _facts(app)))
    assert _stored("c-lars").asks == []


async def test_removing_an_entry_changed_elsewhere_writes_nothing() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-dana")
        await _highlight(pilot, app, "runs a bakery")
        with open_store() as other:  # another window edits the same disclosure meanwhile
            other.change_contact("c-dana", lambda c: setattr(c.disclosures[0], "depth", 1))
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: any("changed or removed elsewhere" in n.message
                                          for n in app._notifications))
        # The panel is brought up to date with the other window's change.
        await wait_for(pilot, lambda: any("work (light, in public)" in line
                                          for line in _facts(app)))
    assert [d.depth for d in _stored("c-dana").disclosures] == [1]


async def test_a_check_right_after_adding_a_preference_sees_it() -> None:
    """Compose to Dana, check; go home, add 'no nicknames'; back to compose (F4), check again."""
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    draft = "Hi Dan, thanks for the update!"
    async with app.run_test(size=(120, 40)) as pilot:
        home = await _select(app, pilot, "c-dana")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        await wait_for(pilot, lambda: compose.contact is not None)
        compose.query_one("#draft", DraftArea).load_text(draft)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: compose.result is not None)
        assert "preference-name" not in [f.rule for f in compose.result.flags]  # type: ignore[union-attr]

        await pilot.press("f3")
        await wait_for(pilot, lambda: app.screen is home)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreferenceForm))
        form = app.screen
        form.query_one("#kind", Select).value = "name_form"
        form.query_one("#value", Input).value = "Dana"
        form.query_one("#quote", Input).value = "Dana, please. No nicknames."
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("No nicknames" in line for line in _facts(app)))

        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen is compose)
        await wait_for(pilot, lambda: compose.contact is not None
                       and len(compose.contact.preferences) == 2)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: compose.result is not None and compose.record is not None)
        flags = {f.rule: f for f in compose.result.flags}  # type: ignore[union-attr]
        assert "preference-name" in flags
        assert "No nicknames" in flags["preference-name"].evidence
        assert compose.result.verdict == "hold"  # type: ignore[union-attr]


async def test_palette_commands_add_for_the_contact_in_compose() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-mika")
        await app.open_compose(contact_id="c-lars")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen)
                       and app.screen.contact is not None)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add a request")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        assert "Add a request" in str(app.screen.query_one(CommandList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RequestForm))
        form = app.screen
        assert isinstance(form, RequestForm) and form.contact.id == "c-lars"
        form.query_one("#who", Select).value = "them"
        form.query_one("#what", Input).value = "feedback on a deck"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        await wait_for(pilot, lambda: _stored("c-lars").asks != [])
    assert _stored("c-lars").asks == [Ask(who="them", what="feedback on a deck")]
    assert _stored("c-mika").asks == []


async def test_palette_edit_entries_goes_home_with_the_entries_focused() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-dana")
        await app.open_compose(contact_id="c-dana")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        await pilot.press("ctrl+p")
        await pilot.press(*"edit or remove relationship")
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, FactList))
        assert app.screen is _home(app)
        await pilot.press("x")  # the keys of the list work at once
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))


async def test_editing_the_contact_keeps_entries_added_elsewhere_meanwhile() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-lars")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm))
        with open_store() as other:  # `coach` in another terminal, while the form is open
            other.change_contact("c-lars", lambda c: c.preferences.append(
                Preference(kind="channel", value="email")))
        app.screen.query_one("#how-met", Input).value = "met at the Oslo meetup"
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("channel: email" in line for line in _facts(app)))
    lars = _stored("c-lars")
    assert lars.how_met == "met at the Oslo meetup"
    assert [p.value for p in lars.preferences] == ["email"]
    assert len(lars.interactions) == 4


def test_disclosure_model_round_trip_through_the_form_fields() -> None:
    """The depth labels cover every depth the model allows."""
    from screens.relationship_forms import DEPTH_OPTIONS

    assert [v for _, v in DEPTH_OPTIONS] == list(range(4))
    Disclosure(who="me", topic="work", depth=DEPTH_OPTIONS[-1][1])


def test_removing_a_pronouns_preference_clears_the_pronouns_it_set() -> None:
    from coach.models import Contact, Preference
    from screens.relationship_forms import replace_entry

    pref = Preference(kind="pronouns", value="they/them")
    contact = Contact(name="Chidinma Okafor", pronouns="they/them", preferences=[pref])
    replace_entry(pref, None)(contact)
    assert contact.preferences == [] and contact.pronouns == ""
    kept = Contact(name="Dana Reyes", pronouns="she/her", preferences=[pref])
    replace_entry(pref, None)(kept)  # pronouns set some other way stay
    assert kept.pronouns == "she/her"


async def test_a_logged_message_can_be_edited_and_removed() -> None:
    from screens.relationship_forms import InteractionForm

    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select(app, pilot, "c-mika")
        await wait_for(pilot, lambda: any("Pizza Friday?" in line for line in _facts(app)))
        before = _stored("c-mika").interactions[0]

        # Edit: the form opens filled in; the time left as shown keeps the stored time exactly.
        await _highlight(pilot, app, "Pizza Friday?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InteractionForm))
        form = app.screen
        assert form.query_one("#channel", Select).value == "sms"
        form.query_one("#text").text = "Pizza on Friday?"  # type: ignore[attr-defined]
        await _save(pilot, app)
        await wait_for(pilot, lambda: any("Pizza on Friday?" in line for line in _facts(app)))
        (after,) = _stored("c-mika").interactions
        assert (after.text, after.at, after.channel, after.direction) == (
            "Pizza on Friday?", before.at, "sms", "in")

        # Remove, after the confirmation.
        await _highlight(pilot, app, "Pizza on Friday?")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: any("none logged yet" in line for line in _facts(app)))
        assert _stored("c-mika").interactions == []
