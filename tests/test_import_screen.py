"""The import and export screens (Pilot): preview, apply, the same errors as the CLI."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Button, Input, Static

from coach.imports import ImportPlan
from coach.store import Store, open_store
from screens.transfer import ExportScreen, ImportScreen

FIX = Path(__file__).parent / "fixtures" / "imports"


async def _until(pilot: Any, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """The click starts a worker a moment later: wait for its outcome, not for the workers
    that happen to be running when we look."""
    for _ in range(int(timeout / 0.02)):
        if done():
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen did not show the outcome in time")


class _Host(App[None]):
    def __init__(self, screen: ImportScreen | ExportScreen) -> None:
        super().__init__()
        self._screen = screen
        self.result: object = "not dismissed"

    def on_mount(self) -> None:
        def done(value: object) -> None:
            self.result = value

        self.push_screen(self._screen, done)  # type: ignore[arg-type]


def _text(screen: ImportScreen | ExportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_preview_then_import() -> None:
    with open_store() as store:
        screen = ImportScreen(store)
        app = _Host(screen)
        async with app.run_test(size=(100, 40)) as pilot:
            screen.query_one("#path", Input).value = str(FIX / "linkedin")
            await pilot.click("#preview-btn")
            await _until(pilot, lambda: "contact(s)" in _text(screen, "#preview"))
            preview = _text(screen, "#preview")
            assert "add 4 contact(s), merge into 0, skip 1" in preview
            assert "Dana Reyes" in preview
            assert store.count_contacts() == 0  # a preview writes nothing
            assert not screen.query_one("#import-btn", Button).disabled
            await pilot.click("#import-btn")
            await _until(pilot, lambda: app.result != "not dismissed")
        assert isinstance(app.result, ImportPlan) and app.result.applied
        assert store.count_contacts() == 4


async def test_bad_file_shows_the_error_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_bytes((FIX / "linkedin" / "Connections.csv").read_bytes() + b"\xff\n")
    with open_store() as store:
        screen = ImportScreen(store, path=str(bad))
        app = _Host(screen)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.click("#preview-btn")
            await _until(pilot, lambda: _text(screen, "#error") != "")
            error = _text(screen, "#error")
            assert "Connections.csv, line 8: not valid UTF-8" in error
            assert screen.query_one("#import-btn", Button).disabled
            await pilot.press("escape")
        assert app.result is None
        assert store.count_contacts() == 0


async def test_an_unknown_export_points_at_the_format_list(tmp_path: Path) -> None:
    odd = tmp_path / "notes.json"
    odd.write_text('{"not": "an export"')
    with open_store() as store:
        screen = ImportScreen(store, path=str(odd))
        app = _Host(screen)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.click("#preview-btn")
            await _until(pilot, lambda: _text(screen, "#error") != "")
            error = _text(screen, "#error")
            assert "Cannot tell what kind of export notes.json is" in error
            # The screen's own way to pick the format, not the command line's flag.
            assert "list above" in error and "--format" not in error
        assert store.count_contacts() == 0


async def test_export_screen_writes_a_private_file(tmp_path: Path) -> None:
    store: Store
    with open_store() as store:
        screen = ExportScreen(store, folder=tmp_path)
        app = _Host(screen)
        async with app.run_test(size=(100, 40)) as pilot:
            assert screen.query_one("#path", Input).value == str(tmp_path / "coach-contacts.vcf")
            await pilot.click("#export-btn")
            await _until(pilot, lambda: "Wrote" in _text(screen, "#result"))
            assert "Wrote 0 contact(s)" in _text(screen, "#result")
            path = screen.query_one("#path", Input)
            path.value = str(tmp_path / "missing" / "x.vcf")
            path.focus()
            await pilot.press("enter")  # Enter in the path field exports too
            await _until(pilot, lambda: _text(screen, "#error") != "")
            assert "does not exist" in _text(screen, "#error")
            await pilot.press("escape")
        assert app.result == str(tmp_path / "coach-contacts.vcf")
    out = tmp_path / "coach-contacts.vcf"
    assert out.exists() and stat.S_IMODE(out.stat().st_mode) == 0o600
