"""The import and export screens: the same preview, counts and errors as `coach contacts import`.

Self-contained dialogs taking a Store. `ImportScreen` dismisses with the applied ImportPlan (or
None if cancelled); `ExportScreen` with the path of the last file written (or None).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from coach.errors import CoachError
from coach.imports import ImportPlan, apply_plan, plan_import
from coach.store import Store

_CSS = """
ImportScreen, ExportScreen { align: center middle; }
.transfer { width: 90; max-width: 100%; height: auto; max-height: 90%; border: round $accent;
            padding: 1 2; background: $surface; }
.transfer .title { text-style: bold; margin-bottom: 1; }
.transfer Input, .transfer Select { margin-bottom: 1; }
.transfer .preview { height: auto; max-height: 16; border: tall $panel; padding: 0 1; }
.transfer .error { color: $error; height: auto; }
.transfer .done { color: $success; height: auto; }
.transfer ProgressBar { margin: 1 0; }
.transfer .buttons { height: auto; margin-top: 1; }
.transfer .buttons Button { margin-right: 2; }
"""

IMPORT_FORMATS = [("Detect from the file", "auto"), ("LinkedIn export", "linkedin"),
                  ("X (Twitter) archive", "x"), ("vCard (.vcf)", "vcard"),
                  ("Google Contacts CSV", "google")]

EXPORTS = [("Contacts as vCard 4.0", "contacts:vcard", "coach-contacts.vcf"),
           ("Contacts as CSV", "contacts:csv", "coach-contacts.csv"),
           ("Contacts as JSON", "contacts:json", "coach-contacts.json"),
           ("History as Markdown", "history:markdown", "coach-history.md"),
           ("History as JSON", "history:json", "coach-history.json"),
           ("History as CSV", "history:csv", "coach-history.csv"),
           ("Everything (backup)", "backup", "coach-backup.json")]


class ImportScreen(ModalScreen[ImportPlan | None]):
    """Pick a file, see what it would add, merge and skip, then import it (or not)."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, path: str = "") -> None:
        super().__init__()
        self.store = store
        self.plan: ImportPlan | None = None
        self._initial_path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="transfer"):
            yield Label("Import contacts", classes="title")
            yield Input(self._initial_path, placeholder="path to a zip, folder or file",
                        id="path")
            yield Select(IMPORT_FORMATS, value="auto", allow_blank=False, id="format")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            with VerticalScroll(classes="preview"):
                yield Static("Pick a LinkedIn export, an X archive, a vCard file or a Google "
                             "Contacts CSV, then Preview.", id="preview")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Preview", variant="primary", id="preview-btn")
                yield Button("Import", variant="success", id="import-btn", disabled=True)
                yield Button("Cancel", id="cancel-btn")

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel-btn")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#path")
    @on(Select.Changed, "#format")
    def _forget_preview(self) -> None:
        # A preview belongs to one file and format; a new choice needs a new preview.
        self.plan = None
        self.query_one("#import-btn", Button).disabled = True

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview-btn")
    def _preview(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self._show_error("Type the path of the export to import.")
            return
        fmt = str(self.query_one("#format", Select).value)
        self._show_error("")
        self._busy(True)
        self._plan(path, fmt)

    @work(thread=True, exclusive=True, group="import", description="Reading the export")
    def _plan(self, path: str, fmt: str) -> None:
        try:
            plan = plan_import(self.store, path, fmt, self._progress_from_thread)
        except CoachError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._planned, plan)

    def _progress_from_thread(self, what: str, done: int, total: int) -> None:
        self.app.call_from_thread(self._progress, done, total)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _planned(self, plan: ImportPlan) -> None:
        self._busy(False)
        self.plan = plan
        lines = plan.describe()
        if not plan.changes:
            lines.append("Nothing to change: everything in this export is already here.")
        self.query_one("#preview", Static).update("\n".join(lines))
        self.query_one("#import-btn", Button).disabled = not plan.changes

    def _failed(self, exc: CoachError) -> None:
        self._busy(False)
        self.plan = None
        self.query_one("#import-btn", Button).disabled = True
        self.query_one("#preview", Static).update("")
        hint = exc.hint
        if "--format" in hint:  # the command line's way; here the list above does it
            hint = "Pick the format in the list above, then Preview again."
        self._show_error(f"{exc.message} {hint}".strip())

    @on(Button.Pressed, "#import-btn")
    def _import(self) -> None:
        if self.plan is None:
            return
        self._busy(True)
        self._apply(self.plan)

    @work(thread=True, exclusive=True, group="import", description="Importing")
    def _apply(self, plan: ImportPlan) -> None:
        try:
            apply_plan(self.store, plan)
        except CoachError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.dismiss, plan)

    def _busy(self, busy: bool) -> None:
        self.query_one("#progress", ProgressBar).display = busy
        self.query_one("#preview-btn", Button).disabled = busy
        if busy:
            self.query_one("#import-btn", Button).disabled = True

    def _show_error(self, text: str) -> None:
        self.query_one("#error", Static).update(text)


class ExportScreen(ModalScreen[str | None]):
    """Write contacts, history or a full backup to a file (readable by you only)."""

    DEFAULT_CSS = _CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, folder: Path | None = None,
                 history_filters: dict[str, Any] | None = None) -> None:
        """`history_filters` (as `Store.list_checks` takes them) narrow a history export, so
        the history screen can export what it shows."""
        super().__init__()
        self.store = store
        self.folder = folder or Path.home()
        self.history_filters = dict(history_filters or {})
        self.written: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="transfer"):
            yield Label("Export", classes="title")
            yield Select([(label, value) for label, value, _ in EXPORTS], value="contacts:vcard",
                         allow_blank=False, id="what")
            yield Input(str(self.folder / EXPORTS[0][2]), id="path")
            yield Static("The file is readable by you only (0600).", id="result",
                         classes="done")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-btn")
                yield Button("Close", id="cancel-btn")

    def action_cancel(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#cancel-btn")
    def _cancel(self) -> None:
        self.dismiss(self.written)

    @on(Select.Changed, "#what")
    def _suggest_name(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value) if path.value else self.folder / "x"
        name = next(n for _, v, n in EXPORTS if v == event.value)
        path.value = str(current.parent / name)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export-btn")
    def _export(self) -> None:
        target = self.query_one("#path", Input).value.strip()
        if not target:
            self._show("", "Type where to write the file.")
            return
        self.query_one("#export-btn", Button).disabled = True
        self._write(str(self.query_one("#what", Select).value), Path(target).expanduser())

    @work(thread=True, exclusive=True, group="export", description="Exporting")
    def _write(self, what: str, path: Path) -> None:
        try:
            message = self._run(what, path)
        except CoachError as exc:
            self.app.call_from_thread(self._show, "", exc.one_line())
            return
        self.written = str(path)
        self.app.call_from_thread(self._show, message, "")

    def _run(self, what: str, path: Path) -> str:
        from coach.backup import export_all
        from coach.export import export_contacts, export_history

        if what == "backup":
            counts = export_all(self.store, path)
            return f"Backed up {', '.join(f'{n} {k}' for k, n in counts.items())} to {path}."
        kind, fmt = what.split(":")
        if kind == "contacts":
            contacts = self.store.list_contacts(limit=0)
            export_contacts(contacts, path, fmt)
            return f"Wrote {len(contacts)} contact(s) to {path}."
        records = self.store.list_checks(limit=0, **self.history_filters)
        export_history(records, path, fmt)
        return f"Wrote {len(records)} check(s) to {path}."

    def _show(self, done: str, error: str) -> None:
        self.query_one("#export-btn", Button).disabled = False
        if done:
            self.query_one("#result", Static).update(done)
        self.query_one("#error", Static).update(error)
