"""The quick check: F2 from any screen (a dialog) or `coach quick` (an inline app under the prompt).

Type or paste, pick the contact, and the offline verdict follows as you type; ctrl+r records the
check in the history; F4 carries the text to the full compose screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, ScreenStackError
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Label, Static, TextArea

from coach.models import Contact, Mute, utcnow
from coach.store import Store, open_store
from screens.base import STYLES, CoachModal, report_worker
from screens.checking import full_check, offline_check
from screens.widgets.footer import CoachFooter
from screens.widgets.verdict import (
    SEVERITY_STYLE,
    flag_words,
    most_severe_first,
    render_verdict,
)

LIVE_DELAY = 0.25  # seconds after the last key before the live verdict updates
QUICK_CHANNEL = "dm"


class QuickCheckPanel(Vertical):
    """The quick check itself, shared by the dialog and the inline app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "record", "Check & keep", id="quick_record", priority=True),
        Binding("ctrl+o", "pick_contact", "To…", id="quick_pick_contact", priority=True),
    ]

    class Escalate(Message):
        """Open the full compose screen with this draft."""

        def __init__(self, draft: str, contact_id: str | None) -> None:
            super().__init__()
            self.draft, self.contact_id = draft, contact_id

    def __init__(self, *, draft: str = "", contact_id: str | None = None,
                 escalate_label: str = "Open in compose  F4") -> None:
        super().__init__(classes="dialog quick")
        self._initial_draft = draft
        self._initial_contact = contact_id
        self._escalate_label = escalate_label
        self.contact: Contact | None = None
        self.mutes: list[Mute] = []
        self._timer: Timer | None = None
        self.last_verdict: str | None = None

    def compose(self) -> ComposeResult:
        yield Label("Quick check", classes="dialog-title")
        yield Button("To: (no contact)  ctrl+o", id="quick-to", classes="to-button")
        yield TextArea(self._initial_draft, id="quick-draft", soft_wrap=True,
                       tab_behavior="focus", placeholder="Type or paste the draft…")
        yield Static("The verdict appears as you type.", id="quick-verdict", classes="muted")
        # The flags scroll: under the shell prompt the panel has a fixed height.
        with VerticalScroll(id="quick-flags-box"):  # Tab reaches it: arrows scroll
            yield Static("", id="quick-flags")
        with Horizontal(classes="buttons"):
            yield Button("Check & keep  ctrl+r", id="quick-record", variant="primary")
            yield Button(self._escalate_label, id="quick-escalate")

    def on_mount(self) -> None:
        self.query_one("#quick-draft", TextArea).focus()
        if self._initial_contact:
            self._load_contact(self._initial_contact)
        elif self._initial_draft:
            self.run_live()

    @property
    def draft(self) -> str:
        return self.query_one("#quick-draft", TextArea).text

    def _now(self) -> datetime:
        now: Callable[[], datetime] = getattr(self.app, "now", utcnow)
        return now()

    @property
    def store(self) -> Store:
        store: Store = self.app.store  # type: ignore[attr-defined]
        return store

    # -- contact -----------------------------------------------------------------------------
    def action_pick_contact(self) -> None:
        from screens.picker import NO_CONTACT, ContactPicker

        def picked(contact_id: str | None) -> None:
            if contact_id == NO_CONTACT:
                self._contact_loaded(None, [])
            elif contact_id:
                self._load_contact(contact_id)

        self.app.push_screen(ContactPicker(), picked)

    @on(Button.Pressed, "#quick-to")
    def _to_pressed(self) -> None:
        self.action_pick_contact()

    @work(thread=True, exclusive=True, group="quick-contact", exit_on_error=False,
          description="loading the contact")
    def _load_contact(self, name_or_id: str) -> None:
        store = self.store
        contact = store.find_contact(name_or_id)
        mutes = store.list_mutes(contact.id)
        self.app.call_from_thread(self._contact_loaded, contact, mutes)

    def _contact_loaded(self, contact: Contact | None, mutes: list[Mute]) -> None:
        self.contact, self.mutes = contact, mutes
        who = f"{contact.name} ({contact.context})" if contact else "(no contact)"
        button = self.query_one("#quick-to", Button)
        button.label = Text(f"To: {who}  ctrl+o")
        button.refresh(layout=True)  # a Button's label does not re-measure its width itself
        self.run_live()

    def on_worker_state_changed(self, event: Any) -> None:
        report_worker(self.app, event.worker, event.state)

    # -- live verdict ------------------------------------------------------------------------
    @on(TextArea.Changed, "#quick-draft")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(LIVE_DELAY, self.run_live)

    def run_live(self) -> None:
        """The offline verdict (pure and fast, so it runs right here)."""
        draft = self.draft
        if not draft.strip():
            self.query_one("#quick-verdict", Static).update("The verdict appears as you type.")
            self.query_one("#quick-flags", Static).update("")
            self.last_verdict = None
            return
        result = offline_check(draft, self.contact, QUICK_CHANNEL, mutes=self.mutes, now=self._now())
        self.last_verdict = result.verdict
        self.query_one("#quick-verdict", Static).update(render_verdict(result))
        lines = Text()
        for flag in most_severe_first(result.flags)[:6]:
            lines.append("● ", style=SEVERITY_STYLE.get(flag.severity, ""))
            lines.append(flag.rule, style="bold")
            words = flag_words(flag, draft)
            if words:
                lines.append(f' "{words[:40]}"', style="italic")
            if flag.message:
                lines.append(f" — {flag.message}")
            lines.append("\n")
        if len(result.flags) > 6:
            lines.append(f"… and {len(result.flags) - 6} more in compose (F4)", style="dim")
        self.query_one("#quick-flags", Static).update(lines)

    # -- keep / escalate ---------------------------------------------------------------------
    @on(Button.Pressed, "#quick-record")
    def action_record(self) -> None:
        if not self.draft.strip():
            self.app.notify("Type or paste a draft first.", severity="warning")
            return
        self._record(self.draft, self.contact)

    @work(exclusive=True, group="quick-record", exit_on_error=False, description="recording the check")
    async def _record(self, draft: str, contact: Contact | None) -> None:
        record = await full_check(draft, contact, QUICK_CHANNEL, store=self.store, llm=None)
        self.last_verdict = record.result.verdict
        self.query_one("#quick-verdict", Static).update(render_verdict(record.result))
        self.app.notify("Kept in the history.", timeout=3)

    @on(Button.Pressed, "#quick-escalate")
    def action_escalate(self) -> None:
        self.post_message(self.Escalate(self.draft, self.contact.id if self.contact else None))


class QuickCheckModal(CoachModal[None]):
    """F2 from any screen of the full app."""

    CSS_FILES = (STYLES / "dialogs.tcss", STYLES / "quick.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="quick_close"),
    ]

    def __init__(self, draft: str = "", contact_id: str | None = None) -> None:
        super().__init__()
        self._draft, self._contact_id = draft, contact_id

    def compose(self) -> ComposeResult:
        yield QuickCheckPanel(draft=self._draft, contact_id=self._contact_id)

    def action_close(self) -> None:
        self.dismiss(None)

    def escalate(self) -> None:
        self.query_one(QuickCheckPanel).action_escalate()

    @on(QuickCheckPanel.Escalate)
    async def _escalate(self, event: QuickCheckPanel.Escalate) -> None:
        self.dismiss(None)
        await self.capp.open_compose(draft=event.draft, contact_id=event.contact_id)


class QuickScreen(Screen[None]):
    AUTO_FOCUS = "#quick-draft"

    def __init__(self, contact: str | None) -> None:
        super().__init__()
        self._contact = contact

    def compose(self) -> ComposeResult:
        yield QuickCheckPanel(contact_id=self._contact,
                              escalate_label="Open in the full app  F4")
        yield CoachFooter()

    def on_mount(self) -> None:
        # Rows are scarce under the prompt (a tmux popup may have 20): the title goes into the
        # border and the recipient button takes one row, leaving the rest for the flags.
        panel = self.query_one(QuickCheckPanel)
        panel.border_title = "Quick check"
        self.query_one("#quick-to", Button).compact = True


class QuickApp(App[dict[str, Any] | None]):
    """`coach quick`: the same check under the shell prompt (App.run(inline=True))."""

    # Absolute: subclasses live elsewhere. The panel is a dialog: the dialogs' rules too.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name("app.tcss"), STYLES / "dialogs.tcss", STYLES / "quick.tcss"]
    INLINE_PADDING = 0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "quit_quick", "Close", id="quick_close", priority=True),
        Binding("f4", "escalate", "Full app", id="quick_escalate", priority=True),
    ]
    DEFAULT_CSS = """
    QuickApp { height: 22; }
    QuickApp Screen { height: auto; }
    """

    def __init__(self, contact: str | None = None, *, now: Callable[[], datetime] | None = None,
                 store: Store | None = None) -> None:
        super().__init__()
        self._contact = contact
        self._store = store
        self._lock = threading.Lock()
        self.now: Callable[[], datetime] = now or utcnow
        self._typed_ahead: list[str] = []

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = open_store()
            return self._store

    def on_mount(self) -> None:
        self._warm_up()

    async def on_event(self, event: events.Event) -> None:
        # Keys typed while `coach quick` starts (from a tmux popup, straight after the binding)
        # can arrive before the draft has focus, and would be dropped: keep them for the draft.
        if isinstance(event, events.Key | events.Paste) and self._draft_not_ready():
            text = event.text if isinstance(event, events.Paste) else (
                event.character if event.is_printable else "\n" if event.key == "enter" else "")
            if text:
                self._typed_ahead.append(text)
                self.call_later(self._deliver_typed_ahead)
                return
        await super().on_event(event)

    def _draft_not_ready(self) -> bool:
        try:
            return self.focused is None
        except ScreenStackError:  # before the first screen is up
            return True

    def _deliver_typed_ahead(self) -> None:
        if not self._typed_ahead:
            return
        if self._draft_not_ready() or not isinstance(self.focused, TextArea):
            self.set_timer(0.02, self._deliver_typed_ahead)  # the draft is not focused yet
            return
        text, self._typed_ahead[:] = "".join(self._typed_ahead), []
        self.focused.insert(text)

    @work(thread=True, exit_on_error=False, description="loading the offline analysis")
    def _warm_up(self) -> None:
        # Load the analysis while the user types or pastes, so the first verdict is instant.
        offline_check("Hello, thanks for the note!", None, None)

    def on_worker_state_changed(self, event: Any) -> None:
        report_worker(self, event.worker, event.state)

    def get_default_screen(self) -> Screen[Any]:
        return QuickScreen(self._contact)

    def report_error(self, error: BaseException, *, doing: str = "") -> None:
        message = error.one_line() if hasattr(error, "one_line") else f"{error}"
        self.notify(message, title="coach", severity="error", timeout=8)

    def action_quit_quick(self) -> None:
        panel = self.query_one(QuickCheckPanel)
        self.exit({"verdict": panel.last_verdict, "escalate": False})

    def action_escalate(self) -> None:
        self.query_one(QuickCheckPanel).action_escalate()

    @on(QuickCheckPanel.Escalate)
    def _escalate(self, event: QuickCheckPanel.Escalate) -> None:
        self.exit({"escalate": True, "draft": event.draft, "contact_id": event.contact_id})

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()


def run_quick_inline(contact: str | None = None) -> int:
    """Run the inline quick check; F4 continues in the full app with the text carried over."""
    outcome = QuickApp(contact).run(inline=True)
    if outcome and outcome.get("escalate"):
        from screens.app import CoachApp

        app = CoachApp(mode="compose")
        app.compose_request = {"draft": outcome.get("draft", ""),
                               "contact_id": outcome.get("contact_id"), "channel": None}
        app.run()
        return int(app.return_code or 0)
    if outcome and outcome.get("verdict"):
        print(f"coach: {outcome['verdict']}")
    return 0
