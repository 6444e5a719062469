"""Compose's streamed coaching: rendered as Markdown while it arrives, whole at the end; Esc stops
it and keeps everything typed, including what was typed while it streamed."""

from __future__ import annotations

from screens_support import FakeStreamingCoach, frozen_now, seed_store, wait_for
from textual.widgets import Markdown, Static

from screens.app import CoachApp
from screens.compose import ComposeScreen
from screens.widgets.coaching_view import CoachingView, _Lines
from screens.widgets.draft_area import DraftArea

CHUNKS = ["**Tone** ", "is ", "friendly.\n\n", "- Keep ", "the thanks.\n", "- Drop ", "the ",
          "*family* ", "question.\n\n"] + ["More ", "words ", "follow. "] * 40


def _live_segments(view: CoachingView) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) of each piece the live box shows."""
    content = view.query_one("#coaching-live", Static).content
    assert isinstance(content, _Lines)
    return [(s.text, bool(s.style and s.style.bold), bool(s.style and s.style.italic))
            for line in content.lines for s in line]


async def _open(app: CoachApp, pilot: object, draft: str) -> ComposeScreen:
    await app.open_compose(draft=draft, contact_id="c-dana")
    screen = app.screen
    assert isinstance(screen, ComposeScreen)
    await wait_for(pilot, lambda: screen.contact is not None)
    return screen


async def test_coaching_is_shown_as_markdown_before_the_stream_ends() -> None:
    seed_store()
    fake = FakeStreamingCoach(chunks=CHUNKS, delay=0.03, rewrite=None)
    app = CoachApp(llm=fake, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, "Thanks for the kind words, Dana!")
        view = screen.query_one(CoachingView)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "question." in view.streamed and view.renders > 0)
        assert len(fake.sent) < len(CHUNKS)  # still streaming
        pieces = _live_segments(view)
        text = "".join(p[0] for p in pieces)
        assert "**" not in text and "- Keep" not in text  # rendered, not the raw Markdown
        assert "•" in text and "Keep the thanks." in text
        assert any("Tone" in t and bold for t, bold, _ in pieces)
        assert any("family" in t and italic for t, _, italic in pieces)
        assert "streaming" in str(screen.query_one("#stream-status", Static).content)
        await wait_for(pilot, lambda: screen.record is not None, timeout=60)
        assert screen.query_one("#coaching", Markdown).source == "".join(CHUNKS)
        assert not screen.query_one("#coaching-live").display


async def test_esc_mid_stream_keeps_what_was_typed_while_it_streamed() -> None:
    seed_store()
    fake = FakeStreamingCoach(chunks=CHUNKS, delay=0.03)
    app = CoachApp(llm=fake, now=frozen_now)
    draft = "Thanks for the kind words, Dana!"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, draft)
        view = screen.query_one(CoachingView)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: view.renders > 0)
        await pilot.press(*" See you")  # typing while the coaching streams
        await pilot.press("escape")
        await wait_for(pilot, lambda: fake.cancelled)
        await wait_for(pilot, lambda: "stopped" in str(
            screen.query_one("#stream-status", Static).content))
        area = screen.query_one("#draft", DraftArea)
        assert area.text == draft + " See you"
        assert view.streamed == "" and screen.query_one("#coaching", Markdown).source == ""
        assert screen.result is not None  # the offline verdict stays
        renders = view.renders
        await pilot.press(*" soon")
        assert area.text == draft + " See you soon"
        await pilot.pause(0.3)
        assert view.renders == renders  # nothing streams after the cancel

        # Asking again starts a fresh stream, not the rest of the old one.
        fake.chunks = ["**Better.**"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.record is not None)
        assert screen.query_one("#coaching", Markdown).source == "**Better.**"


async def test_verdict_goes_stale_on_typing_and_fresh_on_each_new_check() -> None:
    """Stale is drawn once per result (not per key), and a new check resets it."""
    seed_store()
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, "Thanks for the kind words, Dana!")
        verdict = screen.query_one("#verdict", Static)
        for _ in range(2):
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: screen.record is not None)
            assert "the draft changed" not in str(verdict.content)
            await pilot.press(*" ok")
            await wait_for(pilot, lambda: "the draft changed" in str(verdict.content))
            shown = verdict.content
            await pilot.press(*"!!")
            await pilot.pause()
            assert verdict.content is shown  # not redrawn for every key
