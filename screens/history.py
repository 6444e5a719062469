"""History: every check, newest first (virtualised), filtered by contact, verdict, dates and text,
with a read-only preview, reopen into compose, delete, export, and the pace of one relationship."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Select, Static

from coach.models import CheckRecord
from coach.store import Store
from coach.timefmt import shown
from screens.base import STYLES, CoachScreen
from screens.forms import parse_when
from screens.widgets.check_list import PAGE, CheckList
from screens.widgets.footer import CoachFooter
from screens.widgets.header import HeaderBar
from screens.widgets.pace_chart import PaceChart
from screens.widgets.rewrite_diff import change_summary, styled_diff
from screens.widgets.status_line import StatusLine
from screens.widgets.verdict import explain_flag, render_verdict

SEARCH_DELAY = 0.3
CHART_POINTS = 60  # the last N checks of one contact, oldest to newest


def _filters(contact_id: str | None, verdict: str | None, since: datetime | None,
             until: datetime | None, text: str | None) -> dict[str, Any]:
    return {"contact_id": contact_id, "verdict": verdict, "since": since, "until": until,
            "text": text}


PREVIEW_MAX = 4000  # characters of a draft shown in the preview


def render_preview(record: CheckRecord) -> RenderableType:
    """The draft, the verdict and flags, the coaching and the prompt that was sent (read-only)."""
    parts: list[RenderableType] = []
    head = Text(f"{shown(record.created)} · {record.contact_name or 'no contact'}",
                style="bold")
    if record.channel:
        head.append(f" · {record.channel.replace('_', ' ')}")
    if record.sent:
        head.append(" · sent", style="green")
    parts.append(head)
    draft = record.draft
    if len(draft) > PREVIEW_MAX:  # drawing a 1 MB draft on every highlight would stall the list
        rest = len(draft) - PREVIEW_MAX
        parts.append(Text("\n" + draft[:PREVIEW_MAX]))
        parts.append(Text(f"… and {rest:,} more characters (Enter opens the whole draft)\n",
                          style="dim italic"))
    else:
        parts.append(Text("\n" + draft + "\n"))
    parts.append(render_verdict(record.result))
    for flag in record.result.flags:
        parts.append(Text("\n") + explain_flag(flag, record.draft))
    rewrite = record.result.rewrite
    if rewrite:
        if len(draft) <= PREVIEW_MAX and rewrite != draft:
            parts.append(Text.assemble(("\nChanges: ", "bold"), styled_diff(draft, rewrite),
                                       (f" ({change_summary(draft, rewrite)})", "dim")))
        parts.append(Text.assemble(("\nRewrite: ", "bold"), rewrite))
    if record.coaching:
        parts.append(Text.assemble(("\nCoaching\n", "bold"), record.coaching))
    if record.prompt:
        parts.append(Text.assemble(("\nPrompt sent", "bold"),
                                   (f" ({record.prompt_template or 'template'})\n", "dim"),
                                   (record.prompt, "dim")))
    else:
        parts.append(Text("\nNo prompt was sent (offline check).", style="dim"))
    return Group(*parts)


class HistoryScreen(CoachScreen):
    """Every check kept, newest first."""

    CSS_FILES = (STYLES / "history.tcss",)

    # The list has focus from the start (not the search box first): the footer builds its keys
    # once instead of twice on the first showing.
    AUTO_FOCUS = "#history-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="history_search"),
        Binding("delete", "delete", "Delete", id="history_delete"),
        Binding("x", "export", "Export", id="history_export"),
        Binding("ctrl+o", "pick_contact", "Contact…", id="history_contact", priority=True),
        Binding("ctrl+n", "clear_filters", "Clear filters", id="history_clear", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contact_id: str | None = None
        self.contact_name: str | None = None
        self._search_timer: Timer | None = None
        self._resumed_once = False
        self._applied: dict[str, Any] | None = None
        self._shown: dict[str, Any] | None = None  # the filters of the rows in the list
        self._cursor_when_asked = 0  # where the cursor was when the last reload was asked for

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Vertical(id="history"):
            with Horizontal(id="history-filters"):
                yield Input(placeholder="Search drafts…  /", id="history-text")
                yield Button("Contact: any", id="history-contact")
                yield Select([("ok", "ok"), ("revise", "revise"), ("hold", "hold")],
                             prompt="any verdict", id="history-verdict")
                yield Input(placeholder="since", id="history-since", classes="date")
                yield Input(placeholder="until", id="history-until", classes="date")
            with Horizontal():
                with Vertical(id="history-list-pane"):
                    yield CheckList(id="history-list")
                    yield Static("", id="history-count", classes="muted", markup=False)
                with VerticalScroll(id="history-preview-pane"):
                    with Vertical(id="history-chart"):
                        yield Label("", id="chart-title", classes="section-title")
                        yield Label("intimacy (red: too personal for the stage)", classes="muted",
                                    id="chart-intimacy-label")
                        yield PaceChart(id="chart-intimacy")
                        yield Label("pacing (red: too fast)", classes="muted",
                                    id="chart-pacing-label")
                        yield PaceChart(warn_at=0.5, id="chart-pacing")
                    yield Static("", id="history-preview")
        yield StatusLine()
        yield CoachFooter()

    def on_mount(self) -> None:
        self.query_one("#history-chart").display = False
        self.query_one("#history-list", CheckList).focus()
        self.reload()

    def reload_on_first_resume(self) -> None:
        """Built ahead of time (see CoachApp._prebuild): the first showing reads the store again."""
        self._resumed_once = True

    def on_screen_resume(self) -> None:
        # Checks made elsewhere (compose, quick check, `coach check`) appear on return; the
        # first resume follows on_mount, which has just loaded.
        if self._resumed_once:
            self.reload()
        self._resumed_once = True

    # -- filters -----------------------------------------------------------------------------
    def current_filters(self) -> dict[str, Any] | None:
        """The filters as the store takes them; None (and a message) if a date does not parse."""
        now = self.capp.now()
        try:
            since_text = self.query_one("#history-since", Input).value
            until_text = self.query_one("#history-until", Input).value
            since = parse_when(since_text, now) if since_text.strip() else None
            until = parse_when(until_text, now) if until_text.strip() else None
        except ValueError as exc:
            self.query_one("#history-count", Static).update(str(exc))
            return None
        if until is not None and len(until_text.strip()) == 10:
            until += timedelta(days=1)  # a bare date means "through the end of that day"
        verdict = self.query_one("#history-verdict", Select).value
        text = self.query_one("#history-text", Input).value.strip() or None
        return _filters(self.contact_id, None if verdict is Select.NULL else str(verdict),
                        since, until, text)

    def reload(self, *, force: bool = True) -> None:
        """Count and show the checks for the current filters (again, unless `force` is False
        and they are the ones shown: a Select announces its first value on mount)."""
        filters = self.current_filters()
        if filters is None or (not force and filters == self._applied):
            return
        self._applied = filters
        self._cursor_when_asked = self.query_one("#history-list", CheckList).cursor
        self._count(filters)

    @work(thread=True, exclusive=True, group="history-count", exit_on_error=False,
          description="counting the history")
    def _count(self, filters: dict[str, Any]) -> None:
        store = self.capp.store
        first = store.list_checks(limit=PAGE, offset=0, **filters)
        total = len(first) if len(first) < PAGE else store.count_checks(**filters)
        self.app.call_from_thread(self._counted, filters, total, first)

    def _counted(self, filters: dict[str, Any], total: int, first: list[CheckRecord]) -> None:
        store = self.capp.store
        listing = self.query_one("#history-list", CheckList)
        if filters != self._applied:
            return  # a slower read for filters that have since changed: the newer one wins
        moved_since = listing.cursor != self._cursor_when_asked
        if filters == self._shown and (
            listing.shows(total, first) or (moved_since and listing.holds(total, first))
        ):
            # Reloaded on return (Textual resumes a new screen twice, so also on the first
            # showing) and nothing changed: a reset would redraw the same rows at the cost of a
            # full re-layout. Nor is one made when the reader moved while it was read: it
            # would throw them back to the top for a list that did not change.
            if self.contact_id:
                self._chart(self.contact_id)
            return
        self._shown = filters
        fetch = partial(self._fetch, store, filters)
        listing.reset(total, fetch, first)
        active = [k for k, v in filters.items() if v]
        if total == 0 and not active:
            msg = "No checks yet. Write a draft (F4) or press F2 for a quick check."
        elif total == 0:
            msg = "No check matches these filters; ctrl+n clears them."
        else:
            msg = f"{total:,} check{'s' if total != 1 else ''}" + (" (filtered)" if active else "")
            msg += " · Enter reopens · Del deletes · x exports"
        self.query_one("#history-count", Static).update(msg)
        if self.contact_id:
            self._chart(self.contact_id)

    @staticmethod
    def _fetch(store: Store, filters: dict[str, Any], offset: int, limit: int) -> list[CheckRecord]:
        return store.list_checks(limit=limit, offset=offset, **filters)

    @on(Input.Changed, "#history-text")
    def _text_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self.reload(force=False))

    @on(Input.Submitted, "#history-since")
    @on(Input.Submitted, "#history-until")
    @on(Input.Submitted, "#history-text")
    @on(Select.Changed, "#history-verdict")
    def _filter_changed(self) -> None:
        self.reload(force=False)

    def action_focus_search(self) -> None:
        self.query_one("#history-text", Input).focus()

    def action_pick_contact(self) -> None:
        from screens.picker import NO_CONTACT, ContactPicker

        def picked(contact_id: str | None) -> None:
            if contact_id is None:
                return
            self.set_contact(None if contact_id == NO_CONTACT else contact_id)

        self.app.push_screen(ContactPicker(), picked)

    @on(Button.Pressed, "#history-contact")
    def _contact_pressed(self) -> None:
        self.action_pick_contact()

    def set_contact(self, contact_id: str | None, name: str | None = None) -> None:
        self.contact_id = contact_id
        self.contact_name = name
        self.query_one("#history-chart").display = contact_id is not None
        if contact_id is None:
            button = self.query_one("#history-contact", Button)
            button.label = "Contact: any"
            button.refresh(layout=True)
        else:
            self._name_contact(contact_id)
        self.reload()

    @work(thread=True, exclusive=True, group="history-contact-name", exit_on_error=False,
          description="reading the contact")
    def _name_contact(self, contact_id: str) -> None:
        contact = self.capp.store.get_contact(contact_id)
        name = contact.name if contact else contact_id
        self.app.call_from_thread(self._named, name)

    def _named(self, name: str) -> None:
        self.contact_name = name
        button = self.query_one("#history-contact", Button)
        button.label = Text(f"Contact: {name}")
        button.refresh(layout=True)  # a Button's label does not re-measure its width itself

    def action_clear_filters(self) -> None:
        self.query_one("#history-text", Input).value = ""
        self.query_one("#history-since", Input).value = ""
        self.query_one("#history-until", Input).value = ""
        self.query_one("#history-verdict", Select).clear()
        self.set_contact(None)

    # -- one relationship's pace ----------------------------------------------------------
    @work(thread=True, exclusive=True, group="history-chart", exit_on_error=False,
          description="charting the relationship")
    def _chart(self, contact_id: str) -> None:
        store = self.capp.store
        records = store.list_checks(limit=CHART_POINTS, contact_id=contact_id)
        contact = store.get_contact(contact_id)
        self.app.call_from_thread(self._charted, list(reversed(records)), contact)

    def _charted(self, records: list[CheckRecord], contact: Any) -> None:
        from coach.analysis.verdict import intimacy_allowed  # the analysis loads when charted
        from screens.pace import stage_label

        stage = stage_label(contact) if contact is not None else "-"
        name = contact.name if contact is not None else "this contact"
        self.query_one("#chart-title", Label).update(
            f"{name} · stage {stage}\nlast {len(records)} checks, oldest → newest")
        # Each check's intimacy against what the stage of that day allowed (red: more personal
        # than the relationship was ready for).
        self.query_one("#chart-intimacy", PaceChart).show(
            [r.result.scores.intimacy for r in records],
            [intimacy_allowed(r.result.stage) for r in records],
        )
        self.query_one("#chart-pacing", PaceChart).data = [r.result.scores.pacing for r in records]

    # -- preview, reopen, delete ----------------------------------------------------------
    @on(CheckList.Highlighted)
    def _highlighted(self, event: CheckList.Highlighted) -> None:
        preview = self.query_one("#history-preview", Static)
        preview.update(render_preview(event.record) if event.record else "")

    @on(CheckList.Selected)
    async def _selected(self, event: CheckList.Selected) -> None:
        r = event.record
        await self.capp.open_compose(draft=r.draft, contact_id=r.contact_id, channel=r.channel)

    def action_delete(self) -> None:
        from screens.dialogs import ConfirmDialog

        record = self.query_one("#history-list", CheckList).current
        if record is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(record.id)

        self.app.push_screen(
            ConfirmDialog("Delete this check?",
                          f"{shown(record.created)} · {record.contact_name or 'no contact'}"
                          f"\n\n{record.draft[:200]}\n\nThis cannot be undone.",
                          yes="Delete", no="Keep"),
            answered,
        )

    @work(thread=True, exclusive=True, group="history-delete", exit_on_error=False,
          description="deleting the check")
    def _delete(self, check_id: str) -> None:
        self.capp.store.delete_check(check_id)
        self.app.call_from_thread(self.notify, "Deleted.", timeout=3)
        self.app.call_from_thread(self.reload)

    # -- export ---------------------------------------------------------------------------
    def action_export(self) -> None:
        from screens.dialogs import ExportDialog

        filters = self.current_filters()
        if filters is None:
            return

        def chosen(answer: tuple[str, Path] | None) -> None:
            if answer is not None:
                self._export(filters, *answer)

        self.app.push_screen(ExportDialog("the checks shown", Path.cwd()), chosen)

    @work(thread=True, exclusive=True, group="history-export", exit_on_error=False,
          description="exporting the history")
    def _export(self, filters: dict[str, Any], fmt: str, path: Path) -> None:
        from coach.export import export_history

        records = self.capp.store.list_checks(limit=0, **filters)
        export_history(records, path, {"md": "markdown"}.get(fmt, fmt))
        self.app.call_from_thread(
            self.notify, f"Exported {len(records):,} checks to {path}.", title="Export", timeout=6)
