"""History: newest first, filters and search, preview, reopen, delete, export, paging, chart."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from rich.cells import cell_len
from screens_support import FROZEN, fixed_records, frozen_now, seed_store, text_of, wait_for
from textual.widgets import Input, Select, Static

from coach.store import open_store
from screens.app import CoachApp
from screens.compose import ComposeScreen
from screens.history import HistoryScreen
from screens.widgets.check_list import PAGE, CheckList
from screens.widgets.pace_chart import PaceChart, bar_rows


async def _history(app: CoachApp, pilot: object) -> tuple[HistoryScreen, CheckList]:
    await app.switch_mode("history")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    listing = screen.query_one(CheckList)
    await wait_for(pilot, lambda: listing.total > 0)
    return screen, listing


async def test_newest_first_with_preview_and_filters() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, listing = await _history(app, pilot)
        assert listing.total == 6
        assert listing.current is not None and listing.current.id == "h-005"
        assert "No prompt was sent" in text_of(screen.query_one("#history-preview", Static))
        await pilot.press("down")
        assert listing.current is not None and listing.current.id == "h-004"

        screen.query_one("#history-verdict", Select).value = "hold"
        await wait_for(pilot, lambda: listing.total == 2)
        assert {r.result.verdict for r in (listing.record_at(0), listing.record_at(1)) if r} == {"hold"}

        await pilot.press("ctrl+n")  # clear filters
        await wait_for(pilot, lambda: listing.total == 6)
        screen.query_one("#history-text", Input).value = "FAMILY"
        await wait_for(pilot, lambda: listing.total == 2)

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: listing.total == 6)
        since = (FROZEN - timedelta(days=6, hours=12)).strftime("%Y-%m-%d %H:%M")
        screen.query_one("#history-since", Input).value = since
        screen.reload()
        await wait_for(pilot, lambda: listing.total == 2)
        screen.query_one("#history-since", Input).value = "yesterday-ish"
        screen.reload()
        await pilot.pause()
        assert "not a date" in text_of(screen.query_one("#history-count", Static))


async def test_contact_filter_draws_the_pace_chart() -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, listing = await _history(app, pilot)
        screen.set_contact("c-dana")
        await wait_for(pilot, lambda: listing.total == 4)
        chart = screen.query_one("#chart-pacing", PaceChart)
        await wait_for(pilot, lambda: len(chart.data) == 4)
        # Oldest to newest, the scores as stored, on a fixed 0..1 scale (no anchor points).
        records = app.store.list_checks(limit=0, contact_id="c-dana")
        assert chart.data == [r.result.scores.pacing for r in reversed(records)]
        intimacy = screen.query_one("#chart-intimacy", PaceChart)
        assert intimacy.data == [r.result.scores.intimacy for r in reversed(records)]
        assert screen.query_one("#history-chart").display
        assert "Dana Reyes" in str(screen.query_one("#chart-title").render())


async def test_enter_reopens_in_compose() -> None:
    seed_store(records=3)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        _screen, listing = await _history(app, pilot)
        record = listing.current
        assert record is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        assert compose.current_draft() == record.draft
        await wait_for(pilot, lambda: compose.contact is not None
                       and compose.contact.id == record.contact_id)


async def test_delete_asks_then_removes() -> None:
    seed_store(records=3)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        _screen, listing = await _history(app, pilot)
        doomed = listing.current
        assert doomed is not None
        await pilot.press("delete")
        await wait_for(pilot, lambda: app.screen.query("#yes")
                       and app.screen.query_one("#yes").region.width > 0)  # laid out
        await pilot.click("#yes")
        await wait_for(pilot, lambda: listing.total == 2)
    with open_store() as store:
        assert store.get_check(doomed.id) is None


async def test_export_writes_the_filtered_set(tmp_path: Path) -> None:
    seed_store(records=6)
    app = CoachApp(llm=None, now=frozen_now)
    target = tmp_path / "held.json"
    async with app.run_test(size=(120, 40)) as pilot:
        screen, listing = await _history(app, pilot)
        screen.query_one("#history-verdict", Select).value = "hold"
        await wait_for(pilot, lambda: listing.total == 2)
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.query("#path"))
        app.screen.query_one("#format", Select).value = "json"
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(target)
        await wait_for(pilot, lambda: app.screen.query_one("#export").region.width > 0)
        await pilot.click("#export")
        await wait_for(pilot, lambda: target.exists())
    data = json.loads(target.read_text(encoding="utf-8"))
    rows = data if isinstance(data, list) else data.get("checks", data.get("records", []))
    assert sorted(r["id"] for r in rows) == ["h-002", "h-005"]
    assert target.stat().st_mode & 0o077 == 0


async def test_pages_are_read_only_as_they_come_into_view() -> None:
    seed_store(records=0)
    records = fixed_records(PAGE * 5)
    with open_store() as store:
        bulk = getattr(store, "add_checks", None)
        if bulk is not None:
            bulk(records)
        else:
            for r in records:
                store.add_check(r)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        _screen, listing = await _history(app, pilot)
        assert listing.total == PAGE * 5
        assert set(listing._pages) == {0}, sorted(listing._pages)
        await pilot.press("end")
        await wait_for(pilot, lambda: 4 in listing._pages and listing.current is not None)
        assert listing.current is not None and listing.current.id == "h-000"  # the oldest
        # The pages in between were never read.
        assert {1, 2} - set(listing._pages) == {1, 2}, sorted(listing._pages)


def test_bars_keep_a_fixed_scale() -> None:
    # Two rows of eighths: 0.5 fills the bottom row, 1.0 both; a zero still shows a floor.
    rows = bar_rows([0.0, 0.5, 1.0], width=3, height=2)
    assert "".join(c for c, _ in rows[0]) == "  █"
    assert "".join(c for c, _ in rows[1]) == "▁██"
    # Calm checks stay low however few there are (a min-max scale would fill the chart).
    low = bar_rows([0.1, 0.12], width=2, height=2)
    assert all(c == " " for c, _ in low[0]) and "█" not in "".join(c for c, _ in low[1])
    # More checks than columns: the newest are shown.
    assert [i for _, i in bar_rows([0.2, 0.4, 0.6], width=2, height=1)[0]] == [1, 2]


async def test_rows_with_wide_characters_keep_to_the_list_width() -> None:
    # Korean names and drafts with emoji take two cells a character: each row still ends at
    # the list's edge instead of running into the preview beside it.
    seed_store(records=3)
    with open_store() as store:
        wide = fixed_records(1)[0].model_copy(update={
            "id": "h-wide", "contact_name": "김서연 (Seoyeon Kim)",
            "draft": "감사합니다! 내보내기 문제가 해결되었어요 🎉🎉 정말 고마워요", "created": FROZEN})
        store.add_check(wide)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        _screen, listing = await _history(app, pilot)
        await wait_for(pilot, lambda: listing.total == 4 and listing.record_at(0) is not None)
        width = listing.scrollable_content_region.width
        assert listing.record_at(0).id == "h-wide"
        for y in range(4):
            cells = sum(cell_len(s.text) for s in listing.render_line(y))
            assert cells == width, (y, cells, width)


def test_the_preview_of_a_huge_draft_is_cut_and_says_so() -> None:
    from rich.console import Console

    from screens.history import PREVIEW_MAX, render_preview

    record = fixed_records(1)[0].model_copy(update={"draft": "Thanks for the note. " * 50_000})
    console = Console(width=60, record=True)
    console.print(render_preview(record))
    text = console.export_text()
    assert f"{len(record.draft) - PREVIEW_MAX:,} more characters" in text
    assert len(text) < PREVIEW_MAX * 2


def test_the_preview_shows_a_rewrite_as_its_edit() -> None:
    from rich.console import Console

    from screens.history import render_preview

    record = fixed_records(1)[0]
    result = record.result.model_copy(update={"rewrite": "Hey Dana, the fix is live."})
    record = record.model_copy(update={"draft": "Hey babe, the fix is live.", "result": result})
    console = Console(width=100, record=True)
    console.print(render_preview(record))
    text = console.export_text()
    assert "Changes: Hey babeDana, the fix is live. (removes 1 word, adds 1)" in text
    assert "Rewrite: Hey Dana, the fix is live." in text
