"""The coach App: modes (contacts, compose, history, settings), global keys, the engine status,
the store shared by every screen, and the one place errors become notifications."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual._context import active_app
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.worker import Worker

from coach import paths
from coach.config import Settings, load_settings, save_settings
from coach.errors import CoachError
from coach.models import utcnow
from coach.store import Store, open_store
from screens.base import report_worker
from screens.commands import CoachCommands
from screens.stylesheet import CACHE_NAME as CSS_CACHE_NAME
from screens.stylesheet import ReusingStylesheet


def _screen(module: str, name: str) -> Screen[Any]:
    """Import a mode's screen on first use: startup only pays for the first screen. A screen
    built ahead while the app idled (see CoachApp._prebuild) is taken as it is."""
    app = active_app.get(None)
    ready = app._prebuilt.pop(module, None) if isinstance(app, CoachApp) else None
    if ready is not None:
        return ready
    mod = importlib.import_module(f"screens.{module}")
    screen: Screen[Any] = getattr(mod, name)()
    return screen


# Sentinel: "resolve the LLM from the settings" (None means "no LLM at all").
RESOLVE: Any = object()


class CoachApp(App[int]):
    """The full-screen coaching session."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "coach"
    SUB_TITLE = "courtesy and pacing, before you send"
    COMMANDS = App.COMMANDS | {CoachCommands}
    MODES: ClassVar[dict[str, Any]] = {
        "home": lambda: _screen("home", "HomeScreen"),
        "compose": lambda: _screen("compose", "ComposeScreen"),
        "history": lambda: _screen("history", "HistoryScreen"),
        "settings": lambda: _screen("settings", "SettingsScreen"),
    }
    DEFAULT_MODE = "home"
    # F-keys and ctrl letters that TextArea/Input leave alone, so they work while typing.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", priority=True,
                tooltip="Help for the focused part of the screen"),
        Binding("f2", "quick_check", "Quick check", id="quick_check", priority=True,
                tooltip="Check a draft in a small dialog, from any screen"),
        Binding("f3", "go('home')", "Contacts", id="contacts", priority=True),
        Binding("f4", "go('compose')", "Compose", id="compose", priority=True),
        Binding("f5", "go('history')", "History", id="history", priority=True),
        Binding("f6", "go('settings')", "Settings", id="settings", priority=True),
    ]

    engine_text: reactive[str] = reactive("engine: looking for a local LLM…")
    """One line for the status bar: which engine is active and whether it answers."""

    def __init__(
        self,
        *,
        demo: bool = False,
        now: Callable[[], datetime] | None = None,
        llm: Any = RESOLVE,
        store: Store | None = None,
        mode: str = "home",
    ) -> None:
        # Read by App.__init__: the screen the app opens on ("compose" when `coach quick` escalates).
        self.DEFAULT_MODE = mode  # type: ignore[misc]
        self._store = store
        self._store_lock = threading.Lock()
        self.demo = demo
        self.now: Callable[[], datetime] = now or utcnow
        self._settings_error: CoachError | None = None
        self.settings = self._read_settings()
        self.llm: Any = None if llm is RESOLVE else llm
        self._resolve_llm = llm is RESOLVE
        # What the compose screen should open with next (set by home, quick check, history).
        self.compose_request: dict[str, Any] | None = None
        # Screens built (composed and mounted, off screen) while the app idles, by mode.
        self._prebuilt: dict[str, Screen[Any]] = {}
        self.warmed_up = asyncio.Event()
        """Set once the background warm-up (analysis, screen modules, history screen) is over."""
        self._gc_held = False
        super().__init__()
        # The variables App.__init__ has just computed for its own sheet (theme colours: ~1 ms).
        self.stylesheet = ReusingStylesheet(variables=self.stylesheet._variables,
                                            cache_file=paths.cache_dir() / CSS_CACHE_NAME)
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else (
            "textual-dark"
        )
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    # -- shared resources ------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Messages carry names, paths and server replies: plain text unless asked otherwise
        (a contact called "[b]ob" must not restyle, or break, the notification)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _read_settings(self) -> Settings:
        try:
            return load_settings()
        except CoachError as exc:
            # Shown once mounted; the defaults keep the app usable meanwhile.
            self._settings_error = exc
            return Settings()

    @property
    def store(self) -> Store:
        """The one Store of this app, opened on first use (from a worker thread, not the UI)."""
        with self._store_lock:
            if self._store is None:
                self._store = open_store()
            return self._store

    def save_settings(self, settings: Settings) -> None:
        save_settings(settings)
        self.settings = settings

    # -- lifecycle -------------------------------------------------------------------------
    def on_load(self) -> None:
        # (Textual sends Load as the app starts running, before the first screen is built.)
        # Start-up builds tens of thousands of objects that live as long as the screen (widgets,
        # styles, parsed CSS), and the collector's passes over them meanwhile (~30 of them) free
        # nothing: hold it until the first screen is painted (startup_painted), then one pass.
        if gc.isenabled():
            self._gc_held = True
            gc.disable()

    def release_collector(self) -> None:
        """The collector runs again (once; it is left alone if it was off before the app)."""
        if self._gc_held:
            self._gc_held = False
            gc.enable()

    def startup_painted(self) -> None:
        """The first screen is on screen: the collector runs again, and the engine is looked
        for (probing local ports in a worker, then the status line changes: nothing the
        first paint needs; until then the status line says it is looking)."""
        self.release_collector()
        if not self._engine_asked:
            self._engine_asked = True
            self.refresh_engine()
            self._save_css_cache()

    @work(thread=True, group="css-cache", exit_on_error=False, description="keeping the parsed CSS")
    def _save_css_cache(self) -> None:
        sheet = self.stylesheet
        if isinstance(sheet, ReusingStylesheet):
            sheet.save_cache()

    _engine_asked = False

    def on_mount(self) -> None:
        # The first screen calls startup_painted after its first paint (CoachScreen); this is
        # in case it never does.
        self.set_timer(5.0, self.startup_painted)
        if self._settings_error is not None:
            self.report_error(self._settings_error, doing="reading the settings")
        if self.demo:
            self.notify("Demo data in a temporary folder; your own data is not touched.",
                        title="Demo", timeout=6)
        # The analysis loads its lexicons on first use (~1 s here): do it in the background,
        # once the first screen is up, so the first ctrl+r is instant.
        self.set_timer(1.0, self.warm_up)

    def warm_up(self) -> None:
        """Start the background warm-up (once; later calls do nothing)."""
        if not self._warm_up_started:
            self._warm_up_started = True
            self._warm_up()

    _warm_up_started = False

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False,
          description="loading the offline analysis")
    def _warm_up(self) -> None:
        try:
            from screens.checking import offline_check

            offline_check("Hello, thanks for the note!", None, None)
            # And the other screens' modules, so the first F4 / F5 / F2 switches at once.
            for module in ("compose", "history", "quick", "settings", "picker"):
                importlib.import_module(f"screens.{module}")
        finally:
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                self.call_from_thread(self.call_later, self._prebuild_when_idle)

    async def _prebuild_when_idle(self, tries: int = 10) -> None:
        """Build the history screen ahead (see _prebuild), but not while a draft is being typed:
        building it holds the UI for a moment, so then it waits (every 2 s, 10 times at most)."""
        if not self.is_running:
            return
        from screens.quick import QuickCheckModal

        drafting = self.current_mode == "compose" or isinstance(self.screen, QuickCheckModal)
        if drafting and tries > 0:
            self.set_timer(2.0, partial(self._prebuild_when_idle, tries - 1))
            return
        try:
            if not drafting:
                await self._prebuild("history", "HistoryScreen")
        finally:
            self.warmed_up.set()

    async def _prebuild(self, mode: str, name: str) -> None:
        """Build a mode's screen now, off screen, so its first showing only has to show it.

        The history's compose and mount (~45 widgets, styled one by one) cost more than the rest
        of the first F5; done here, once the first screen is up and idle, nobody waits for them.
        It reads the store again when first shown, so checks made in between are there.
        """
        if mode in self._screen_stacks or mode in self._prebuilt or not self.is_running:
            return
        screen = getattr(importlib.import_module(f"screens.{mode}"), name)()
        reload_on_show = getattr(screen, "reload_on_first_resume", None)
        if reload_on_show is not None:
            reload_on_show()
        self._prebuilt[mode] = screen
        # What App._get_screen does for a screen that is not running yet: start it, and here
        # wait until it is composed and mounted, and has read its first page.
        await AwaitMount(screen, self._register(self, screen))
        for _ in range(1000):  # 10 s at most: a slow disk is no reason to hold this up forever
            if not screen.workers:
                break
            await asyncio.sleep(0.01)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker(self, event.worker, event.state)

    def on_unmount(self) -> None:
        self.release_collector()
        if isinstance(self.stylesheet, ReusingStylesheet):
            self.stylesheet.save_cache()  # the CSS of screens opened since the first paint
        if self._store is not None:
            self._store.close()

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False,
          description="looking for the LLM engine")
    def refresh_engine(self) -> None:
        """Resolve which LLM to use (probing local ports takes a moment) and say so in the status."""
        if not self._resolve_llm:
            text = self._describe(self.llm, "offline coach only")
            self.call_from_thread(setattr, self, "engine_text", text)
            return
        from coach.llm import resolve_engine

        try:
            choice = resolve_engine(self.settings, offline=self.settings.offline)
        except CoachError as exc:
            self.call_from_thread(setattr, self, "engine_text", f"engine: offline ({exc.message})")
            return
        self.llm = choice.coach
        self.call_from_thread(setattr, self, "engine_text", self._describe(choice.coach, choice.reason))
        if choice.coach is not None:
            self.call_from_thread(self._ping, choice.coach)

    @work(exclusive=True, group="engine-ping", exit_on_error=False, description="asking the LLM")
    async def _ping(self, llm: Any) -> None:
        """Does the endpoint answer? (A model list is the cheapest question it takes.)"""
        client = getattr(llm, "client", None)
        if client is None:
            return
        described = self._describe(llm, "")
        try:
            await asyncio.wait_for(client.list_models(), timeout=5)
        except (CoachError, TimeoutError) as exc:
            why = exc.message if isinstance(exc, CoachError) else "no answer within 5 s"
            self.engine_text = f"{described} · NOT answering ({why}); checks run offline"
            if self.llm is llm:
                self.llm = None  # keep checks instant; Settings → Save looks again
            return
        self.engine_text = f"{described} · answering"

    @staticmethod
    def _describe(llm: Any, reason: str) -> str:
        if llm is None:
            return f"engine: offline · {reason}"
        model = getattr(llm, "model", "") or "first model served"
        endpoint = getattr(llm, "endpoint", None)
        where = getattr(endpoint, "base_url", "") or getattr(llm, "name", "llm")
        return f"engine: {model} @ {where}"

    # -- errors ----------------------------------------------------------------------------
    def report_error(self, error: BaseException, *, doing: str = "") -> None:
        """Show what happened and what to do; the app keeps running."""
        if isinstance(error, CoachError):
            self.notify(error.one_line(), title=error.title, severity="error", timeout=10)
            return
        what = f" while {doing}" if doing else ""
        self.notify(
            f"{type(error).__name__}{what}: {error}. Nothing you typed was lost; "
            "try again, and `coach doctor` checks the setup.",
            title="Something went wrong",
            severity="error",
            timeout=10,
        )

    # -- actions ---------------------------------------------------------------------------
    async def action_go(self, mode: str) -> None:
        from screens.quick import QuickCheckModal

        if isinstance(self.screen, QuickCheckModal) and mode == "compose":
            self.screen.escalate()  # F4 in the quick check carries the text over
            return
        if self.current_mode != mode:
            await self.switch_mode(mode)

    async def open_compose(
        self, *, draft: str = "", contact_id: str | None = None, channel: str | None = None
    ) -> None:
        """Open the compose screen with this draft and contact (from home, quick check, history)."""
        self.compose_request = {"draft": draft, "contact_id": contact_id, "channel": channel}
        if self.current_mode == "compose":
            from screens.compose import ComposeScreen

            for screen in self.screen_stack:
                if isinstance(screen, ComposeScreen):
                    screen.consume_request()
            while len(self.screen_stack) > 1:
                self.pop_screen()
        else:
            await self.switch_mode("compose")

    def action_quick_check(self) -> None:
        from screens.quick import QuickCheckModal

        if isinstance(self.screen, QuickCheckModal):
            return
        # Start with the contact in view, if any: that is usually who the draft is for.
        contact = getattr(self.screen, "contact", None)
        current = getattr(self.screen, "current_contact", None)
        if contact is None and callable(current):
            contact = current()
        self.push_screen(QuickCheckModal(contact_id=getattr(contact, "id", None)))

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.focused))

    def action_new_contact(self) -> None:
        from screens.forms import ContactForm

        def added(contact: Any) -> None:
            if contact is not None:
                self.call_later(self._refresh_home, contact.id)

        self.push_screen(ContactForm(None), added)

    def _refresh_home(self, select_id: str | None = None) -> None:
        from screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload(select_id)

    def action_export(self) -> None:
        """Export the history (the history screen's filtered set)."""
        self.call_later(self._export_from_history)

    async def _export_from_history(self) -> None:
        await self.action_go("history")
        from screens.history import HistoryScreen

        if isinstance(self.screen, HistoryScreen):
            self.screen.action_export()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False,
          description="loading the demo data")
    def action_load_demo(self) -> None:
        from coach.demo import load_demo

        added = load_demo(self.store)
        message = (f"Added {added} demo contacts. Select one and press c to write to them."
                   if added else "The demo contacts are already here.")
        self.call_from_thread(self.notify, message, title="Demo data")
        self.call_from_thread(self._refresh_home)

    def _transfer_screen(self, name: str) -> Any:
        """A screen from screens/transfer.py (built alongside the importers), or None."""
        try:
            transfer = importlib.import_module("screens.transfer")
        except ImportError:
            return None
        return getattr(transfer, name, None)

    def action_import_contacts(self) -> None:
        screen_cls = self._transfer_screen("ImportScreen")
        if screen_cls is None:
            self.notify("Use `coach contacts import PATH` from the shell.", severity="warning")
            return
        self.push_screen(screen_cls(self.store), lambda _plan: self._refresh_home())

    def action_export_all(self) -> None:
        screen_cls = self._transfer_screen("ExportScreen")
        if screen_cls is None:
            self.notify("Use `coach export --all FILE` from the shell.", severity="warning")
            return
        self.push_screen(screen_cls(self.store, Path.cwd()))
