"""Small dialogs: a yes/no question, the reason for muting a rule, where to export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from screens.base import CoachModal


class ConfirmDialog(CoachModal[bool]):
    """A question with two answers; Esc means no."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer(False)", "Cancel")]

    def __init__(self, title: str, body: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._title, self._body, self._yes, self._no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Static(self._body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self._yes, variant="primary", id="yes")
                yield Button(self._no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class MuteDialog(CoachModal[str | None]):
    """Why this rule should be quiet for this contact (kept with the mute, shown in settings)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, rule: str, who: str) -> None:
        super().__init__()
        self.rule, self.who = rule, who

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Mute '{self.rule}' for {self.who}", classes="dialog-title", markup=False)
            yield Static("This rule will stay quiet in checks for this contact. Why? "
                         "(for example: we talk about this all the time). "
                         "`coach mutes` lists mutes; `coach unmute` lifts one.")
            yield Input(placeholder="reason", id="reason")
            yield Static("", id="mute-error", classes="error-line")
            with Horizontal(classes="buttons"):
                yield Button("Mute", variant="primary", id="mute")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#mute")
    def _mute(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#mute-error", Static).update(
                "Give a short reason: it is kept with the mute, for when you review them.")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(CoachModal[tuple[str, Path] | None]):
    """Choose the format and the file for an export."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str, default_dir: Path) -> None:
        super().__init__()
        self.what, self.default_dir = what, default_dir

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Export {self.what}", classes="dialog-title")
            yield Select([("Markdown", "md"), ("JSON", "json"), ("CSV", "csv")], value="md",
                         allow_blank=False, id="format")
            yield Input(str(self.default_dir / "coach-history.md"), id="path")
            yield Static("", id="export-error", classes="error-line")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value)
        path_input.value = str(path.with_suffix(f".{event.value}"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#export-error", Static).update("Give a file name to write to.")
            return
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(
                f"The folder {path.parent} does not exist; pick another.")
            return
        fmt = str(self.query_one("#format", Select).value)
        self.dismiss((fmt, path))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
