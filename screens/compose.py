"""Compose and check: pick the contact and channel, write, check with one key; the offline verdict
at once, the LLM's coaching streamed below; flags explained and mutable; the rewrite as a diff."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.text_area import Selection
from textual.worker import Worker

from coach.models import CHANNELS, CheckRecord, CheckResult, Contact, Mute
from screens.base import STYLES, CoachScreen
from screens.checking import full_check, offline_check
from screens.widgets.coaching_view import CoachingView
from screens.widgets.draft_area import DraftArea
from screens.widgets.footer import CoachFooter
from screens.widgets.header import HeaderBar
from screens.widgets.rewrite_diff import change_summary, styled_diff
from screens.widgets.status_line import StatusLine
from screens.widgets.verdict import FlagList, explain_flag, render_verdict

DRAFT_SLOT = "compose"  # the draft to nobody in particular; a contact's own is "compose:<id>"


def draft_slot(contact_id: str | None) -> str:
    """One saved draft per contact: opening compose for Ana never overwrites the one to Lars."""
    return f"{DRAFT_SLOT}:{contact_id}" if contact_id else DRAFT_SLOT

SAVE_DELAY = 0.6  # seconds of quiet before the draft is saved: saves on pauses, not per key


class ComposeScreen(CoachScreen):
    """Write a message to one contact and check it."""

    CSS_FILES = (STYLES / "compose.tcss",)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "check", "Check", id="check", priority=True,
                tooltip="Check the draft: verdict at once, coaching streams in"),
        Binding("escape", "cancel_coaching", "Stop coaching", id="cancel_coaching", show=False),
        Binding("ctrl+o", "pick_contact", "To…", id="pick_contact", priority=True),
        Binding("ctrl+t", "apply_rewrite", "Apply rewrite", id="apply_rewrite", priority=True),
        Binding("ctrl+b", "copy_rewrite", "Copy rewrite", id="copy_rewrite", priority=True),
        Binding("ctrl+l", "mark_sent", "Mark sent", id="mark_sent", priority=True,
                tooltip="Log this message as sent to the contact"),
        Binding("ctrl+n", "new_draft", "New", id="new_draft", priority=True),
        # From the draft straight to the flags (to read one, or m to mute it); Enter on a flag
        # goes back to its words in the draft.
        Binding("ctrl+g", "focus_flags", "Flags", id="focus_flags", priority=True, show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contact: Contact | None = None
        self.mutes: list[Mute] = []
        self.result: CheckResult | None = None
        self.record: CheckRecord | None = None
        self.checked_text = ""
        self._save_timer: Timer | None = None
        self._coach_worker: Worker[Any] | None = None
        self._restoring = False
        self._contact_id: str | None = None  # set at once; `contact` follows from a worker
        # What the draft's slot holds as far as we know: text put there by code (a restore)
        # is not saved again, and an empty editor only deletes a slot that held something.
        self._stored_text = ""
        self._save_lock = threading.Lock()
        self._stale_shown: CheckResult | None = None  # the result last shown as stale

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Horizontal(id="compose"):
            with Vertical(id="draft-pane"):
                with Horizontal(id="draft-head"):
                    yield Button("To: (no contact)", id="to", classes="to-button")
                    yield Select([(c.replace("_", " "), c) for c in CHANNELS], value="dm",
                                 allow_blank=False, id="channel")
                yield DraftArea(id="draft", placeholder="Write your message here, then ctrl+r to check it.")
                yield Static("", id="draft-status", classes="muted")
                with Horizontal(classes="buttons"):
                    yield Button("Check  ctrl+r", variant="primary", id="check")
                    yield Button("Mark as sent  ctrl+l", id="mark-sent")
            with VerticalScroll(id="result-pane"):
                yield Static("Nothing checked yet.", id="verdict")
                yield Label("Flags", classes="section-title", id="flags-title")
                yield FlagList(id="flags")
                yield Static("", id="flag-detail")
                with Vertical(id="rewrite-box"):
                    yield Label("Suggested rewrite", classes="section-title")
                    yield Static("", id="rewrite-diff")
                    with Horizontal(classes="buttons"):
                        yield Button("Apply  ctrl+t", id="apply-rewrite", variant="success")
                        yield Button("Copy  ctrl+b", id="copy-rewrite")
                        yield Button("Keep mine", id="keep-mine")
                yield CoachingView()
        yield StatusLine()
        yield CoachFooter()

    def on_mount(self) -> None:
        self.query_one("#rewrite-box").display = False
        self.query_one("#flags-title").display = False
        self.query_one("#flags").display = False
        self.query_one("#draft", DraftArea).focus()
        if not self.consume_request():
            self._restore_draft(None)

    def on_screen_resume(self) -> None:
        if not self.consume_request() and self.contact is not None:
            # Back from home or a form: the relationship may have changed (a new preference,
            # a logged message); the next check must weigh it.
            self._load_contact(self.contact.id)

    # -- opening with a draft (home, quick check, history) ---------------------------------
    def consume_request(self) -> bool:
        request = self.capp.compose_request
        if request is None:
            return False
        self.capp.compose_request = None
        area = self.query_one("#draft", DraftArea)
        new_text = request.get("draft") or ""
        contact_id = request.get("contact_id")
        switching = contact_id != self._contact_id
        if not new_text and switching:
            # Another contact's draft is open: it stays in its own slot, theirs comes up.
            self._flush_save()
        self._restoring = True
        if new_text and area.text.strip() and new_text != area.text and not switching:
            # Never lose a draft: replace() is one undo step, so ctrl+z brings the old one back.
            area.replace(new_text, area.document.start, area.document.end)
            self.notify("Your previous draft is one ctrl+z away.", timeout=5)
        elif new_text or switching or not area.text:
            area.load_text(new_text)
        area.move_cursor(area.document.end)  # carry on typing where the text ends
        if request.get("channel"):
            self.query_one("#channel", Select).value = request["channel"]
        self._clear_result()
        self._set_contact_id(contact_id)
        area.focus()
        self._restoring = False
        if new_text:
            self._stored_text = "\0"  # unknown: whatever the slot held, this text gets saved
            if switching:
                self._keep_displaced(contact_id, new_text)  # saves once it has looked
            else:
                self._schedule_save()
        elif switching:
            self._stored_text = ""
            self._restore_draft(contact_id or "")
        return True

    @work(thread=True, exclusive=True, group="draft-restore", exit_on_error=False,
          description="restoring the saved draft")
    def _restore_draft(self, contact_id: str | None) -> None:
        """`contact_id` None: the newest draft of any contact (a fresh start); "": no contact's."""
        store = self.capp.store
        if contact_id is None:
            mine = [d for d in store.list_drafts() if str(d.get("slot", "")).startswith(DRAFT_SLOT)]
            saved = max(mine, key=lambda d: str(d.get("saved", "")), default=None)
        else:
            saved = store.get_draft(draft_slot(contact_id or None))
        if saved and saved.get("text"):
            self.app.call_from_thread(self._restored, saved)

    @work(thread=True, exclusive=True, group="draft-restore", exit_on_error=False,
          description="keeping the draft this one replaces")
    def _keep_displaced(self, contact_id: str | None, new_text: str) -> None:
        saved = self.capp.store.get_draft(draft_slot(contact_id))
        old = str(saved.get("text", "")) if saved else ""
        self.app.call_from_thread(self._displaced, old, new_text)

    def _displaced(self, old: str, new_text: str) -> None:
        """The contact had an unsent draft: it stays one ctrl+z away under the reopened text."""
        area = self.query_one("#draft", DraftArea)
        if old.strip() and old != new_text and area.text == new_text:
            self._restoring = True
            area.load_text(old)
            area.replace(new_text, area.document.start, area.document.end)
            area.move_cursor(area.document.end)
            self._restoring = False
            self.notify("Your unsent draft to this contact is one ctrl+z away.", timeout=5)
        self._schedule_save()

    def _restored(self, saved: dict[str, Any]) -> None:
        area = self.query_one("#draft", DraftArea)
        if area.text:  # the user started typing meanwhile: theirs wins
            return
        self._restoring = True
        area.load_text(saved["text"])
        area.move_cursor(area.document.end)
        meta = saved.get("meta") or {}
        if meta.get("channel") in CHANNELS:
            self.query_one("#channel", Select).value = meta["channel"]
        self._restoring = False
        self._stored_text = saved["text"]
        slot = str(saved.get("slot", DRAFT_SLOT))
        contact_id = slot.partition(":")[2] or meta.get("contact_id") or None
        if contact_id != self._contact_id:
            self._set_contact_id(contact_id)
        self.query_one("#draft-status", Static).update("Restored your unsent draft.")

    # -- contact -----------------------------------------------------------------------------
    def action_pick_contact(self) -> None:
        from screens.picker import NO_CONTACT, ContactPicker

        def picked(contact_id: str | None) -> None:
            if contact_id is None:
                return
            old = self._contact_id
            self._set_contact_id(None if contact_id == NO_CONTACT else contact_id)
            if old != self._contact_id and self.current_draft().strip():
                # The draft is re-addressed: it moves to the new contact's slot.
                self._stored_text = "\0"
                self._save_draft(self.current_draft(), self._contact_id,
                                 str(self.query_one("#channel", Select).value), draft_slot(old))

        self.app.push_screen(ContactPicker(), picked)

    @on(Button.Pressed, "#to")
    def _to_pressed(self) -> None:
        self.action_pick_contact()

    def _set_contact_id(self, contact_id: str | None) -> None:
        self._contact_id = contact_id
        if contact_id is None:
            self._contact_loaded(None, [])
        else:
            self._load_contact(contact_id)

    @work(thread=True, exclusive=True, group="contact", exit_on_error=False,
          description="loading the contact")
    def _load_contact(self, contact_id: str) -> None:
        store = self.capp.store
        contact = store.get_contact(contact_id)
        mutes = store.list_mutes(contact_id) if contact else store.list_mutes(None)
        self.app.call_from_thread(self._contact_loaded, contact, mutes)

    def _contact_loaded(self, contact: Contact | None, mutes: list[Mute]) -> None:
        changed = contact != self.contact or mutes != self.mutes
        self.contact = contact
        self.mutes = mutes
        label = f"To: {contact.name} ({contact.context})" if contact else "To: (no contact)"
        self.query_one("#to", Button).label = Text(label)
        if self.result is not None and changed:
            self._mark_stale()

    # -- typing and saving ------------------------------------------------------------------
    @on(DraftArea.Changed, "#draft")
    def _draft_changed(self) -> None:
        area = self.query_one("#draft", DraftArea)
        if self.result is not None and area.text != self.checked_text:
            area.clear_flags()
            self._mark_stale()
        if not self._restoring and area.text != self._stored_text:
            self._schedule_save()

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    def _save_now(self) -> None:
        self._save_timer = None
        area = self.query_one("#draft", DraftArea)
        if area.text == self._stored_text:
            return
        self._stored_text = area.text
        self._save_draft(area.text, self._contact_id,
                         str(self.query_one("#channel", Select).value))

    def _flush_save(self) -> None:
        """Save a pending draft now (before the editor shows another contact's)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_now()  # also text whose Changed event has not arrived yet (a paste)

    @work(thread=True, exclusive=False, group="draft-save", exit_on_error=False,
          description="saving the draft")
    def _save_draft(self, text: str, contact_id: str | None, channel: str,
                    drop_slot: str | None = None) -> None:
        store = self.capp.store
        slot = draft_slot(contact_id)
        with self._save_lock:  # saves land in the order they were made
            self._write_draft(store, slot, text, contact_id, channel, drop_slot)
        self.app.call_from_thread(self._saved, len(text))

    @staticmethod
    def _write_draft(store: Any, slot: str, text: str, contact_id: str | None, channel: str,
                     drop_slot: str | None) -> None:
        if text.strip():
            store.save_draft(slot, text, contact_id=contact_id, channel=channel)
        else:
            store.delete_draft(slot)
        if drop_slot is not None and drop_slot != slot:
            store.delete_draft(drop_slot)

    def _saved(self, chars: int) -> None:
        self.query_one("#draft-status", Static).update(
            f"{chars} characters · draft saved" if chars else "")

    # -- checking ----------------------------------------------------------------------------
    @on(Button.Pressed, "#check")
    def _check_pressed(self) -> None:
        self.action_check()

    def action_focus_flags(self) -> None:
        flags = self.query_one("#flags", FlagList)
        if flags.display and flags.option_count:
            flags.focus()
        else:
            self.notify("No flags to go to: check the draft first (ctrl+r).", timeout=3)

    def action_check(self) -> None:
        draft = self.query_one("#draft", DraftArea).text
        if not draft.strip():
            self.notify("Write a draft first; ctrl+r then checks it.", severity="warning")
            return
        channel = str(self.query_one("#channel", Select).value)
        result = offline_check(draft, self.contact, channel, mutes=self.mutes, now=self.capp.now())
        self.checked_text = draft
        self.record = None
        self.show_result(result)
        self._run_coaching(draft, channel)

    def show_result(self, result: CheckResult) -> None:
        self.result = result
        self._stale_shown = None
        self.refresh_bindings()
        draft = self.checked_text
        self.query_one("#verdict", Static).update(render_verdict(result))
        flags = self.query_one("#flags", FlagList)
        flags.show(result.flags, draft)
        has_flags = bool(result.flags)
        flags.display = has_flags
        self.query_one("#flags-title").display = has_flags
        self.query_one("#flag-detail", Static).update(
            explain_flag(flags.flags[0], draft) if has_flags else "")
        self.query_one("#draft", DraftArea).show_flags(result.flags)
        box = self.query_one("#rewrite-box")
        if result.rewrite and result.rewrite != draft:
            diff = styled_diff(draft, result.rewrite)
            diff.append(f"\n({change_summary(draft, result.rewrite)}; reads:)", style="dim")
            # The plain result too: the struck-through words vanish on terminals without styles.
            diff.append(f"\n{result.rewrite}", style="italic")
            self.query_one("#rewrite-diff", Static).update(diff)
            box.display = True
        else:
            box.display = False

    def _clear_result(self) -> None:
        self.result = None
        self.record = None
        self.query_one("#verdict", Static).update("Nothing checked yet.")
        self.query_one("#flags", FlagList).show([], "")
        self.query_one("#flags").display = False
        self.query_one("#flags-title").display = False
        self.query_one("#flag-detail", Static).update("")
        self.query_one("#rewrite-box").display = False
        self.query_one(CoachingView).clear()
        self.query_one("#draft", DraftArea).clear_flags()

    def _mark_stale(self) -> None:
        # Once per result, not per keystroke: the update lays the screen out again, and typing
        # after a check (while the coaching streams, too) would pay for it on every key.
        if self.result is not None and self._stale_shown is not self.result:
            self._stale_shown = self.result
            self.query_one("#verdict", Static).update(render_verdict(self.result, stale=True))

    @on(OptionList.OptionHighlighted, "#flags")
    def _flag_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        flags = self.query_one("#flags", FlagList)
        flag = flags.current
        if flag is not None:
            self.query_one("#flag-detail", Static).update(explain_flag(flag, self.checked_text))

    @on(OptionList.OptionSelected, "#flags")
    def _flag_selected(self) -> None:
        """Enter on a flag puts the cursor on its words in the draft."""
        flag = self.query_one("#flags", FlagList).current
        area = self.query_one("#draft", DraftArea)
        if flag is not None and area.flags_are_current:
            area.focus()
            area.selection = Selection(
                area.offset_to_location(flag.start), area.offset_to_location(flag.end))

    # -- streamed coaching -------------------------------------------------------------------
    def _run_coaching(self, draft: str, channel: str) -> None:
        llm = self.capp.llm
        view = self.query_one(CoachingView)
        if llm is not None:
            view.start()
        self._coach_worker = self._coach(draft, self.contact, channel, llm)

    @work(exclusive=True, group="coach", exit_on_error=False, description="coaching the draft")
    async def _coach(self, draft: str, contact: Contact | None, channel: str, llm: Any) -> None:
        view = self.query_one(CoachingView)
        try:
            record = await full_check(draft, contact, channel, store=self.capp.store, llm=llm,
                                      on_delta=view.on_delta if llm is not None else None,
                                      mutes=self.mutes, now=self.capp.now())
        finally:
            view.stop()
        if draft == self.query_one("#draft", DraftArea).text:
            self.show_result(record.result)
        if llm is not None:
            await view.finish(record)
        if record.result.llm_error:
            self.notify(f"{record.result.llm_error} The offline verdict stands.",
                        title="LLM coaching failed", severity="warning", timeout=8)
        self.record = record  # last: "checked and shown" (mark-as-sent uses it)

    def action_cancel_coaching(self) -> None:
        worker = self._coach_worker
        if worker is None or worker.is_finished:
            return
        worker.cancel()
        self.call_later(self._cancelled)

    async def _cancelled(self) -> None:
        await self.query_one(CoachingView).cancelled()
        self.query_one("#draft", DraftArea).focus()

    # -- mutes --------------------------------------------------------------------------------
    @on(FlagList.MuteRequested)
    def _mute_requested(self, event: FlagList.MuteRequested) -> None:
        from screens.dialogs import MuteDialog

        contact = self.contact
        if contact is None:
            self.notify("Pick a contact first: mutes are kept per contact.", severity="warning")
            return
        rule = event.flag.rule

        def muted(reason: str | None) -> None:
            if reason:
                self._add_mute(Mute(rule=rule, contact_id=contact.id, reason=reason))

        self.app.push_screen(MuteDialog(rule, contact.name), muted)

    @work(thread=True, exclusive=True, group="mute", exit_on_error=False, description="muting a rule")
    def _add_mute(self, mute: Mute) -> None:
        store = self.capp.store
        store.add_mute(mute)
        mutes = store.list_mutes(mute.contact_id)
        self.app.call_from_thread(self._muted, mute, mutes)

    def _muted(self, mute: Mute, mutes: list[Mute]) -> None:
        self.mutes = mutes
        self.notify(f"'{mute.rule}' is muted for {self.contact.name if self.contact else 'them'}.",
                    timeout=4)
        if self.checked_text:
            channel = str(self.query_one("#channel", Select).value)
            self.show_result(offline_check(self.checked_text, self.contact, channel,
                                           mutes=self.mutes, now=self.capp.now()))

    # -- rewrite ------------------------------------------------------------------------------
    @on(Button.Pressed, "#apply-rewrite")
    def action_apply_rewrite(self) -> None:
        if not self._has_rewrite():
            return
        assert self.result is not None and self.result.rewrite is not None
        area = self.query_one("#draft", DraftArea)
        # replace() keeps it one undo step: ctrl+z brings the original back.
        area.replace(self.result.rewrite, area.document.start, area.document.end)
        self.query_one("#rewrite-box").display = False
        self.notify("Rewrite applied (ctrl+z undoes it). ctrl+r checks again.", timeout=4)

    @on(Button.Pressed, "#copy-rewrite")
    def action_copy_rewrite(self) -> None:
        if not self._has_rewrite():
            return
        assert self.result is not None and self.result.rewrite is not None
        from screens.clipboard import copy_text

        copy_text(self.app, self.result.rewrite)

    @on(Button.Pressed, "#keep-mine")
    def _keep_mine(self) -> None:
        self.query_one("#rewrite-box").display = False
        self.query_one("#draft", DraftArea).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Rewrite keys only appear in the footer when there is a rewrite to act on.
        if action in ("apply_rewrite", "copy_rewrite"):
            return bool(self.result is not None and self.result.rewrite)
        return True

    def _has_rewrite(self) -> bool:
        if self.result is None or not self.result.rewrite:
            self.notify("There is no suggested rewrite for this draft.", timeout=3)
            return False
        return True

    # -- sending ------------------------------------------------------------------------------
    @on(Button.Pressed, "#mark-sent")
    def action_mark_sent(self) -> None:
        draft = self.query_one("#draft", DraftArea).text
        if not draft.strip():
            self.notify("There is no draft to mark as sent.", severity="warning")
            return
        channel = str(self.query_one("#channel", Select).value)
        self._mark_sent(draft, self.contact, channel, self.record)

    @work(exclusive=True, group="send", exit_on_error=False, description="marking the draft as sent")
    async def _mark_sent(self, draft: str, contact: Contact | None, channel: str,
                         record: CheckRecord | None) -> None:
        store = self.capp.store
        if record is None or record.draft != draft:
            # Sent without (re)checking: record an offline check so the history stays complete.
            record = await full_check(draft, contact, channel, store=store, llm=None)
        store.mark_sent(record.id, at=self.capp.now())
        store.delete_draft(draft_slot(contact.id if contact else None))
        who = contact.name if contact else "no contact"
        self.notify(f"Logged as sent ({who}). The check is in the history.", timeout=4)
        self.action_new_draft()
        if contact is not None:
            self._set_contact_id(contact.id)  # its interactions changed

    def action_new_draft(self) -> None:
        self._restoring = True
        self.query_one("#draft", DraftArea).load_text("")
        self._restoring = False
        self.checked_text = ""
        self._clear_result()
        self.query_one("#draft-status", Static).update("")
        self.query_one("#draft", DraftArea).focus()

    def current_draft(self) -> str:
        return self.query_one("#draft", DraftArea).text
