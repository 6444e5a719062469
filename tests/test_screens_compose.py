"""Compose: offline verdict, streamed coaching from a fake LLM, cancel, rewrite, mute, send, drafts."""

from __future__ import annotations

from screens_support import FakeStreamingCoach, frozen_now, seed_store, text_of, wait_for
from textual.widgets import Markdown, Static

from coach.store import open_store
from screens.app import CoachApp
from screens.compose import ComposeScreen, draft_slot
from screens.widgets.draft_area import DraftArea
from screens.widgets.verdict import FlagList

FAMILY = "Hi Dana, how is your family doing? Are your kids well?"


async def _open_compose(app: CoachApp, pilot: object, draft: str, contact_id: str | None) -> ComposeScreen:
    await app.open_compose(draft=draft, contact_id=contact_id)
    await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
    screen = app.screen
    assert isinstance(screen, ComposeScreen)
    if contact_id:
        await wait_for(pilot, lambda: screen.contact is not None)
    return screen


async def test_offline_check_shows_verdict_flags_and_highlights() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, FAMILY, "c-dana")
        await pilot.press("ctrl+r")
        await pilot.pause()
        # The offline verdict is there at once, before any worker ran.
        assert screen.result is not None and screen.result.verdict in ("revise", "hold")
        flags = screen.query_one("#flags", FlagList)
        assert flags.flags and flags.display
        assert screen.query_one("#draft", DraftArea).flags_are_current
        detail = text_of(screen.query_one("#flag-detail", Static))
        assert "Because:" in detail and "Source:" in detail
        await wait_for(pilot, lambda: screen.record is not None)
    with open_store() as store:
        records = store.list_checks()
    assert len(records) == 1 and records[0].contact_id == "c-dana"
    assert records[0].engine == "offline"


async def test_streamed_coaching_arrives_and_is_recorded() -> None:
    seed_store()
    fake = FakeStreamingCoach(delay=0.02)
    app = CoachApp(llm=fake, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "Thanks for the kind words, Dana!", "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        assert fake.sent == fake.chunks
        markdown = screen.query_one("#coaching", Markdown)
        assert "Keep it short." in markdown.source
        assert "6 chunks" in text_of(screen.query_one("#stream-status", Static))
        assert screen.result is not None and screen.result.engine == "llm:fake-model"
    with open_store() as store:
        rec = store.list_checks()[0]
    assert rec.engine == "llm:fake-model" and rec.prompt == "PROMPT TEXT"
    assert rec.coaching == "".join(fake.chunks)


async def test_escape_cancels_mid_stream_and_keeps_the_draft() -> None:
    seed_store()
    fake = FakeStreamingCoach(chunks=["word "] * 400, delay=0.02)
    app = CoachApp(llm=fake, now=frozen_now)
    draft = "Thanks for the kind words, Dana! See you at the launch."
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, draft, "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(fake.sent) >= 5)
        await pilot.press("escape")
        await wait_for(pilot, lambda: fake.cancelled)
        await wait_for(pilot, lambda: "stopped" in text_of(screen.query_one("#stream-status", Static)))
        assert len(fake.sent) < 400
        assert screen.query_one("#draft", DraftArea).text == draft
        assert screen.query_one("#coaching", Markdown).source == ""
        assert screen.result is not None  # the offline verdict stays
        await pilot.press(*" :)")  # still typing into the same draft
        assert screen.query_one("#draft", DraftArea).text == draft + " :)"


async def test_apply_rewrite_replaces_the_draft_and_can_be_undone() -> None:
    seed_store()
    fake = FakeStreamingCoach(rewrite="Hi Dana, thanks for the note.")
    app = CoachApp(llm=fake, now=frozen_now)
    original = "Hi Dana, thanks for the note. Also how is your family??"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, original, "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        assert screen.query_one("#rewrite-box").display
        diff = text_of(screen.query_one("#rewrite-diff", Static))
        assert "removes" in diff
        await pilot.press("ctrl+t")
        await pilot.pause()
        area = screen.query_one("#draft", DraftArea)
        assert area.text == "Hi Dana, thanks for the note."
        area.focus()
        await pilot.press("ctrl+z")
        assert area.text == original


async def test_mute_a_flag_for_this_contact_with_a_reason() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, FAMILY, "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        flags = screen.query_one("#flags", FlagList)
        rule = flags.flags[0].rule
        # ctrl+g goes from the draft to the flags, as a keyboard user would.
        await pilot.press("ctrl+g")
        assert app.focused is flags
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen.query("#reason"))
        await pilot.press("enter")  # no reason yet: refused
        assert "reason" in text_of(app.screen.query_one("#mute-error", Static))
        await pilot.press(*"she asked me to", "enter")
        await wait_for(pilot, lambda: any(m.rule == rule for m in screen.mutes))
        assert screen.result is not None
        assert all(f.rule != rule for f in screen.result.flags)
    with open_store() as store:
        mutes = store.list_mutes("c-dana")
    assert [(m.rule, m.contact_id, m.reason) for m in mutes] == [(rule, "c-dana", "she asked me to")]


async def test_mark_as_sent_logs_the_interaction() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "Thanks again for the feedback!", "c-dana")
        await pilot.press("ctrl+l")  # sent without checking first: a check is recorded anyway
        await wait_for(pilot, lambda: screen.query_one("#draft", DraftArea).text == "")
    with open_store() as store:
        dana = store.get_contact("c-dana")
        records = store.list_checks()
    assert dana is not None and dana.interactions[-1].text == "Thanks again for the feedback!"
    assert records[0].sent is True


async def test_draft_saved_while_typing_is_restored_by_the_next_app() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "", "c-lars")
        area = screen.query_one("#draft", DraftArea)
        area.focus()
        area.insert("Hello Lars, one more")  # a paste
        await pilot.press(*" thing")
        with open_store() as store:
            await wait_for(pilot, lambda: (store.get_draft(draft_slot("c-lars")) or {}).get("text")
                           == "Hello Lars, one more thing")
    # A new app (the terminal was closed): the draft and its contact come back.
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("compose")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await wait_for(pilot, lambda: screen.current_draft() == "Hello Lars, one more thing")
        await wait_for(pilot, lambda: screen.contact is not None and screen.contact.id == "c-lars")


async def test_each_contact_keeps_its_own_draft() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "", "c-lars")
        screen.query_one("#draft", DraftArea).insert("Hello Lars, about Tuesday")
        # Straight to another contact (home's "c"), before the pause that saves the draft.
        await app.open_compose(contact_id="c-dana")
        await wait_for(pilot, lambda: screen.contact is not None and screen.contact.id == "c-dana")
        assert screen.current_draft() == ""
        screen.query_one("#draft", DraftArea).insert("Thanks, Dana")
        with open_store() as store:
            await wait_for(pilot, lambda: (store.get_draft(draft_slot("c-dana")) or {}).get("text")
                           == "Thanks, Dana")
            assert store.get_draft(draft_slot("c-lars"))["text"] == "Hello Lars, about Tuesday"
        await app.open_compose(contact_id="c-lars")
        await wait_for(pilot, lambda: screen.current_draft() == "Hello Lars, about Tuesday")
        with open_store() as store:
            assert store.get_draft(draft_slot("c-dana"))["text"] == "Thanks, Dana"


async def test_reopening_a_check_keeps_that_contacts_unsent_draft_one_undo_away() -> None:
    seed_store()
    with open_store() as store:
        store.save_draft(draft_slot("c-lars"), "Unsent words to Lars", contact_id="c-lars")
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "", "c-dana")
        await app.open_compose(draft="An old check, reopened", contact_id="c-lars")
        area = screen.query_one("#draft", DraftArea)
        await wait_for(pilot, lambda: screen.contact is not None and screen.contact.id == "c-lars")
        await wait_for(pilot, lambda: area.history.undo_stack != [])
        assert area.text == "An old check, reopened"
        area.undo()
        assert area.text == "Unsent words to Lars"


class FailingCoach(FakeStreamingCoach):
    async def coach(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        from coach.errors import LLMError

        raise LLMError("The server at http://127.0.0.1:9/v1 refused the connection.",
                       "Start it, or switch to offline in Settings.")


async def test_llm_failure_keeps_the_offline_verdict_and_says_so() -> None:
    seed_store()
    app = CoachApp(llm=FailingCoach(), now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, FAMILY, "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        assert screen.result is not None and screen.result.engine == "offline"
        assert "refused" in (screen.result.llm_error or "")
        messages = [n.message for n in app._notifications]
        assert any("offline verdict stands" in m for m in messages)
        assert app.is_running


async def test_store_failure_becomes_a_notification_not_a_crash(monkeypatch: object) -> None:
    from coach.errors import StoreError
    from coach.store import Store

    seed_store()

    def broken(*_a: object, **_k: object) -> object:
        raise StoreError("The history file is locked by another program.", "Close it and retry.")

    monkeypatch.setattr(Store, "mark_sent", broken)  # type: ignore[attr-defined]
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "Thanks again!", "c-dana")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: any("locked" in n.message for n in app._notifications))
        assert app.is_running
        assert screen.current_draft() == "Thanks again!"  # nothing typed is lost


async def test_quick_check_escalation_over_a_draft_keeps_it_one_undo_away() -> None:
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "My first draft", "c-dana")
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.query("#quick-draft"))
        from textual.widgets import TextArea

        app.screen.query_one("#quick-draft", TextArea).insert("A second thought")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen is screen and screen.current_draft()
                       == "A second thought")
        area = screen.query_one("#draft", DraftArea)
        area.focus()
        await pilot.press("ctrl+z")
        assert area.text == "My first draft"


async def test_copy_rewrite_uses_osc52_and_a_private_fallback_file(monkeypatch: object) -> None:
    import screens.clipboard as clipboard
    from coach.paths import data_dir

    monkeypatch.setattr(clipboard, "system_copy", lambda _text: False)  # type: ignore[attr-defined]
    seed_store()
    app = CoachApp(llm=FakeStreamingCoach(rewrite="Hi Dana, thanks."), now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_compose(app, pilot, "Hi Dana, thanks. How are the kids?", "c-dana")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.clipboard == "Hi Dana, thanks."  # what OSC 52 sent to the terminal
    saved = data_dir() / "copied.txt"
    assert saved.read_text(encoding="utf-8") == "Hi Dana, thanks."
    assert saved.stat().st_mode & 0o077 == 0


def test_a_huge_flagged_span_is_quoted_short() -> None:
    # The unchecked tail of a 1 MB draft is one 'truncated' flag: quoting all of it made the
    # flag panel take seconds to draw.
    from coach.models import Flag
    from screens.widgets.verdict import QUOTE_MAX, explain_flag, flag_words

    draft = "Thanks for the note. " * 50_000
    flag = Flag(rule="truncated", severity="info", start=100, end=len(draft), message="m",
                evidence="e", source="s")
    words = flag_words(flag, draft)
    assert len(words) < QUOTE_MAX + 30 and words.endswith(f"({len(draft) - 100:,} characters)")
    assert len(explain_flag(flag, draft).plain) < 300
    short = Flag(rule="endearment", severity="warn", start=0, end=6, message="m",
                 evidence="e", source="s")
    assert flag_words(short, "Thanks\nfor") == "Thanks"
