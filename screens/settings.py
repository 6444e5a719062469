"""Settings: the LLM endpoint and model (listed from /v1/models), a connection test, temperature,
offline mode, theme and keymap -- saved to the config file the status line reads."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    Switch,
    TextArea,
)
from textual.widgets.option_list import Option

from coach.config import EndpointConfig, Settings
from coach.errors import CoachError
from coach.models import Mute
from coach.paths import config_file
from screens.base import STYLES, CoachScreen
from screens.widgets.footer import CoachFooter
from screens.widgets.header import HeaderBar
from screens.widgets.status_line import StatusLine

ENDPOINT_NAME = "default"  # the endpoint this screen edits, in [endpoints.default]


def parse_keymap(text: str) -> dict[str, str]:
    """'quick_check = f2' lines (blank lines and # comments ignored) -> {binding id: keys}."""
    keymap: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"keymap line {number}: write it as binding_id = keys, e.g. quick_check = f2")
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip().strip('"')
        if not key or not value:
            raise ValueError(f"keymap line {number}: both the binding id and the keys are needed")
        keymap[key] = value
    return keymap


def format_keymap(keymap: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted(keymap.items()))


class SettingsScreen(CoachScreen):
    """Edit and save the settings; nothing changes until Save."""

    CSS_FILES = (STYLES / "settings.tcss",)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "save", "Save", id="settings_save", priority=True),
        Binding("ctrl+t", "test", "Test connection", id="settings_test", priority=True),
        Binding("delete", "unmute", "Unmute", id="settings_unmute", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mutes: list[Mute] = []

    def compose(self) -> ComposeResult:
        s = self.capp.settings
        ep = s.endpoints.get(s.endpoint or ENDPOINT_NAME)
        yield HeaderBar()
        with Horizontal(id="settings"):
            with VerticalScroll(id="settings-llm"):
                yield Static(f"Saved to {config_file()}", classes="muted", markup=False)
                yield Label("LLM endpoint URL (any OpenAI-compatible server)")
                yield Static("Blank: use Ollama, llama.cpp, LM Studio or vLLM if one runs here.",
                             classes="muted")
                yield Input(ep.base_url if ep else "", placeholder="http://localhost:11434/v1",
                            id="endpoint")
                yield Label("API key (or ${ENV_VAR}; local servers need none)")
                yield Input(ep.api_key if ep else "", password=True, id="api-key")
                with Horizontal(classes="row"):
                    with Vertical():
                        yield Label("Model (Test lists them)")
                        options = [(ep.model, ep.model)] if ep and ep.model else []
                        yield Select(options, prompt="first model served",
                                     value=ep.model if ep and ep.model else Select.NULL, id="model")
                    with Vertical():
                        yield Label("Temperature, 0 to 2")
                        yield Input(str(ep.temperature if ep else 0.2), id="temperature")
                yield Button("Test connection  ctrl+t", id="test")
                yield Static("", id="test-result", markup=False)
            with VerticalScroll(id="settings-app"):
                yield Label("Offline only (never call an LLM)")
                yield Switch(s.offline, id="offline")
                yield Label("Theme")
                themes = sorted(self.app.available_themes)
                yield Select([(t, t) for t in themes], value=s.theme if s.theme in themes else
                             "textual-dark", allow_blank=False, id="theme")
                yield Label("Keymap: binding_id = keys")
                yield Static("One per line; F1 lists the ids.", classes="muted")
                yield TextArea(format_keymap(s.keymap), id="keymap", classes="keymap")
                yield Static("", id="settings-error", classes="error-line")
                yield Button("Save  ctrl+r", variant="primary", id="save")
                yield Label("Muted rules (Del unmutes one)")
                yield OptionList(id="mutes")
        yield StatusLine()
        yield CoachFooter()

    def on_mount(self) -> None:
        self.query_one("#keymap", TextArea).styles.height = 6
        self._load_mutes()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self._load_mutes()  # mutes added in compose since

    # -- mutes -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="settings-mutes", exit_on_error=False,
          description="reading the mutes")
    def _load_mutes(self) -> None:
        store = self.capp.store
        lister = getattr(store, "list_all_mutes", None)
        mutes: list[Mute] = lister() if lister is not None else store.list_mutes(None)
        names: dict[str, str] = {}
        for mute in mutes:
            if mute.contact_id and mute.contact_id not in names:
                contact = store.get_contact(mute.contact_id)
                names[mute.contact_id] = contact.name if contact else mute.contact_id
        self.app.call_from_thread(self._show_mutes, mutes, names)

    def _show_mutes(self, mutes: list[Mute], names: dict[str, str]) -> None:
        self.mutes = mutes
        listing = self.query_one("#mutes", OptionList)
        listing.clear_options()
        if not mutes:
            listing.add_option(Option(Text("No rule is muted. Press m on a flag in compose to "
                                           "mute it for that contact.", style="dim"),
                                      disabled=True))
            return
        for mute in mutes:
            who = names.get(mute.contact_id or "", "everyone")
            line = Text.assemble((mute.rule, "bold"), f" · {who}")
            if mute.reason:
                line.append(f" · {mute.reason}", style="italic dim")
            listing.add_option(Option(line))

    def action_unmute(self) -> None:
        listing = self.query_one("#mutes", OptionList)
        if listing.highlighted is None or not self.mutes or not listing.has_focus:
            return
        mute = self.mutes[listing.highlighted]
        self._unmute(mute)

    @work(thread=True, exclusive=True, group="settings-mutes", exit_on_error=False,
          description="removing a mute")
    def _unmute(self, mute: Mute) -> None:
        self.capp.store.remove_mute(mute.rule, mute.contact_id)
        self.app.call_from_thread(self.notify, f"'{mute.rule}' speaks again.", timeout=3)
        self.app.call_from_thread(self._load_mutes)

    # -- reading the form ------------------------------------------------------------------
    def form_settings(self) -> Settings:
        """The settings as the form says; ValueError (in words) when a field is wrong."""
        current = self.capp.settings
        url = self.query_one("#endpoint", Input).value.strip()
        try:
            temperature = float(self.query_one("#temperature", Input).value.strip() or "0.2")
        except ValueError:
            raise ValueError("Temperature must be a number between 0 and 2, e.g. 0.2") from None
        if not 0 <= temperature <= 2:
            raise ValueError("Temperature must be between 0 and 2")
        model = self.query_one("#model", Select).value
        endpoints = dict(current.endpoints)
        name = current.endpoint or ENDPOINT_NAME
        if url:
            old = endpoints.get(name)
            base = old.model_dump() if old else {}
            endpoints[name] = EndpointConfig.model_validate({
                **base,
                "base_url": url,
                "api_key": self.query_one("#api-key", Input).value.strip(),
                "model": "" if model is Select.NULL else str(model),
                "temperature": temperature,
            })
        else:
            endpoints.pop(name, None)
        keymap = parse_keymap(self.query_one("#keymap", TextArea).text)
        return current.model_copy(update={
            "endpoint": name if url else "",
            "endpoints": endpoints,
            "offline": self.query_one("#offline", Switch).value,
            "theme": str(self.query_one("#theme", Select).value),
            "keymap": keymap,
        })

    # -- save ------------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        try:
            settings = self.form_settings()
        except ValueError as exc:
            error.update(str(exc))
            return
        error.update("")
        self._save(settings)

    @work(thread=True, exclusive=True, group="settings-save", exit_on_error=False,
          description="saving the settings")
    def _save(self, settings: Settings) -> None:
        from coach.config import save_settings

        path = save_settings(settings)
        self.app.call_from_thread(self._saved, settings, str(path))

    def _saved(self, settings: Settings, path: str) -> None:
        app = self.capp
        app.settings = settings
        app.theme = settings.theme
        app.set_keymap(settings.keymap)
        app.refresh_bindings()
        self.notify(f"Saved to {path}.", title="Settings", timeout=4)
        app.refresh_engine()

    # -- test connection -------------------------------------------------------------------
    @on(Button.Pressed, "#test")
    def action_test(self) -> None:
        try:
            settings = self.form_settings()
        except ValueError as exc:
            self.query_one("#settings-error", Static).update(str(exc))
            return
        self.query_one("#test-result", Static).update("testing…")
        self._test(settings)

    @work(exclusive=True, group="settings-test", exit_on_error=False,
          description="testing the connection")
    async def _test(self, settings: Settings) -> None:
        from coach.llm import resolve_engine

        result = self.query_one("#test-result", Static)
        try:
            choice = await asyncio.to_thread(resolve_engine, settings.model_copy(
                update={"offline": False}))
        except CoachError as exc:
            result.update(exc.one_line())
            return
        coach: Any = choice.coach
        if coach is None or getattr(coach, "client", None) is None:
            result.update(f"No LLM: {choice.reason}")
            return
        try:
            models: list[str] = await asyncio.wait_for(coach.client.list_models(), timeout=10)
        except (CoachError, TimeoutError) as exc:
            text = exc.one_line() if isinstance(exc, CoachError) else "no answer within 10 s"
            result.update(f"Connection failed: {text}")
            return
        finally:
            await coach.aclose()
        current = self.query_one("#model", Select).value
        select = self.query_one("#model", Select)
        select.set_options([(m, m) for m in models])
        if current in models:
            select.value = current
        where = coach.endpoint.base_url if getattr(coach, "endpoint", None) else "the server"
        result.update(f"OK: {where} answers and serves {len(models)} model"
                      f"{'s' if len(models) != 1 else ''}.")
