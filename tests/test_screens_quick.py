"""Quick check: F2 from different screens, live verdict, keep, escalate; `coach quick` inline app."""

from __future__ import annotations

import pytest
from screens_support import frozen_now, seed_store, text_of, wait_for
from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea

from coach.store import open_store
from screens.app import CoachApp
from screens.compose import ComposeScreen
from screens.history import HistoryScreen
from screens.home import HomeScreen
from screens.quick import QuickApp, QuickCheckModal, QuickCheckPanel
from screens.widgets.footer import CoachFooter

RUDE = "So you never answered my question?"


async def _quick(app: CoachApp, pilot: object) -> QuickCheckPanel:
    await pilot.press("f2")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, QuickCheckModal))
    panel = app.screen.query_one(QuickCheckPanel)
    return panel


async def test_quick_check_from_home_uses_the_selected_contact_and_escalates() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.contacts)
        panel = await _quick(app, pilot)
        await wait_for(pilot, lambda: panel.contact is not None)
        assert panel.contact is not None and panel.contact.name == "Dana Reyes"
        panel.query_one("#quick-draft", TextArea).insert(RUDE)  # pasted
        await wait_for(pilot, lambda: panel.last_verdict is not None)
        assert "rude-opener" in text_of(panel.query_one("#quick-flags", Static))
        await pilot.press("f4")  # to the full compose screen, text carried over
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert screen.current_draft() == RUDE
        await wait_for(pilot, lambda: screen.contact is not None and screen.contact.id == "c-dana")


async def test_quick_check_from_history_keeps_the_check() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        panel = await _quick(app, pilot)
        assert panel.contact is None
        panel.query_one("#quick-draft", TextArea).insert(RUDE)  # pasted
        await wait_for(pilot, lambda: panel.last_verdict is not None)
        await pilot.press("ctrl+r")
        with open_store() as store:
            await wait_for(pilot, lambda: store.count_checks() == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        # The history shows the new check when it is back in view.
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        screen.reload()
        await wait_for(pilot, lambda: "1 check" in text_of(screen.query_one("#history-count", Static)))


async def test_inline_quick_app_checks_and_exits_with_the_verdict() -> None:
    seed_store()
    app = QuickApp("Lars", now=frozen_now)
    async with app.run_test(size=(100, 24)) as pilot:
        panel = app.query_one(QuickCheckPanel)
        await wait_for(pilot, lambda: panel.contact is not None)
        app.query_one("#quick-draft", TextArea).insert("Just bumping this again, did you even see it?")
        await wait_for(pilot, lambda: panel.last_verdict is not None)
        verdict = panel.last_verdict
        await pilot.press("escape")
    assert app.return_value == {"verdict": verdict, "escalate": False}


async def test_inline_quick_app_unknown_contact_is_reported_not_raised() -> None:
    seed_store()
    app = QuickApp("Nobody Atall", now=frozen_now)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications))
        assert "No contact named" in next(iter(app._notifications)).message
        await pilot.press("f4")
    assert app.return_value is not None and app.return_value["escalate"] is True


async def test_keys_typed_before_the_draft_has_focus_are_kept() -> None:
    # From a tmux popup people type straight after the key binding, while the app starts: keys
    # that arrive before the draft is focused go into the draft once it is, in order.
    seed_store()
    app = QuickApp(now=frozen_now)
    async with app.run_test(size=(100, 24)) as pilot:
        draft = app.query_one("#quick-draft", TextArea)
        await wait_for(pilot, lambda: app.focused is draft)
        app.screen.set_focus(None)
        await pilot.pause()
        await pilot.press("H", "i", "space", "D")
        assert draft.text == ""  # nowhere to go yet, and not lost
        draft.focus()
        await wait_for(pilot, lambda: draft.text == "Hi D")
        await pilot.press("a")
        assert draft.text == "Hi Da"


@pytest.mark.parametrize("size", [(100, 22), (88, 16)])
async def test_inline_quick_app_keeps_every_flag_within_reach(size: tuple[int, int]) -> None:
    # `coach quick` has 22 rows under the shell prompt, 16 in the README's 20-row tmux popup.
    # The draft, the verdict and the flags fit in them: the flags scroll in the rows that are
    # left, inside the panel's border, never cut off below it (the buttons give way: the footer
    # shows the same keys).
    seed_store()
    app = QuickApp(now=frozen_now)
    async with app.run_test(size=size) as pilot:
        panel = app.query_one(QuickCheckPanel)
        app.query_one("#quick-draft", TextArea).insert(
            "hey hun, how's the divorce going? Can you send me your address asap?"
        )
        await wait_for(pilot, lambda: panel.last_verdict is not None)
        await pilot.pause()
        box = app.query_one("#quick-flags-box", VerticalScroll)
        flags = app.query_one("#quick-flags", Static)
        assert text_of(flags).count("●") == 4
        inside = panel.content_region
        assert box.region.height >= 2
        assert inside.y <= box.region.y and box.region.bottom <= inside.bottom
        assert panel.region.bottom <= app.query_one(CoachFooter).region.y
        # Scrolled to the end, the last line of the last flag is in view.
        box.scroll_end(animate=False)
        await pilot.pause()
        assert box.scroll_y + box.scrollable_content_region.height >= flags.virtual_size.height
        assert not panel.query_one(".buttons").display  # the footer has ctrl+r
