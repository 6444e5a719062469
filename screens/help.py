"""F1: what the focused part of the screen is for, and every key that works here (with the
binding ids a keymap in the config can change)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static

from screens.base import STYLES, CoachModal

# What each part of the screen is for, by widget id.
HELP_TEXTS: dict[str, str] = {
    "contacts": "Your contacts. Type / to search; Enter or c writes to the selected person; "
                "n adds someone, e edits, l logs a message or meeting, a adds a disclosure, a "
                "stated preference or a request; f (or Tab) moves to those entries to edit them.",
    "search": "Search as you type: name, the name they use, or a handle.",
    "relationship-entries": "What the checks weigh: what each of you shared (disclosures), the "
             "preferences they stated, requests made either way, and the newest 20 messages and "
             "meetings. Enter (or e) edits the highlighted entry, x removes it (after a question); "
             "a adds one, or s / p / r / l directly. A check right after a change weighs it.",
    "add-menu": "Pick what to add: a disclosure (s), a stated preference (p), a request (r) or a "
                "message or meeting (l).",
    "draft": "Write the message here. ctrl+r checks it: the verdict appears at once and flagged "
             "words are underlined; ctrl+g moves to the flags (m there mutes one). The draft is "
             "saved as you type, so closing the terminal loses nothing.",
    "flags": "Each flag names the rule, the words, the fact behind it and its source. "
             "Enter jumps to the words; m mutes the rule for this contact (with a reason).",
    "to": "Who the message is for (ctrl+o). The check weighs the draft against your history "
          "with them.",
    "channel": "Where you will send it: moving to a more private channel early is a pacing signal.",
    "history-list": "Every check, newest first. Enter reopens it in compose, Del deletes, "
                    "x exports what the filters show.",
    "history-text": "Search the drafts of the history.",
    "quick-draft": "Type or paste a draft: the verdict follows as you type. ctrl+r keeps the check "
                   "in the history; F4 continues in the compose screen.",
    "endpoint": "Any OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM). Relationship "
                "notes are private: a non-local server needs allow_remote in the config file.",
    "keymap": "Change any key: one 'binding_id = keys' per line. The ids are listed in F1.",
    "api-key": "Only for servers that ask for one; local servers need none. ${ENV_VAR} reads it "
               "from the environment instead of storing it in the config file.",
    "model": "The model to ask; Test connection (ctrl+t) lists what the server serves. Blank: the "
             "first model it serves.",
    "temperature": "0 to 2: lower keeps the coaching steady from one check to the next.",
    "offline": "On: never call an LLM, only the offline coach (no network at all).",
    "theme": "The colours of the app; saved with ctrl+r.",
    "mutes": "Rules you muted, for everyone or one contact, with your reason. Del brings the "
             "highlighted one back.",
    "settings-llm": "The LLM the coaching can use: any OpenAI-compatible server on this machine. "
                    "ctrl+t tests it, ctrl+r saves to the config file.",
    "settings-app": "How the app behaves: offline only, theme, keys, muted rules. ctrl+r saves.",
    "history-contact": "Show only the checks of one contact (ctrl+o); with one picked, a chart of "
                       "their checks' intimacy and pacing appears beside the list.",
    "history-verdict": "Show only ok, revise or hold.",
    "history-since": "From this date (2026-11-20 or 2026-11-20 14:30, local time).",
    "history-until": "Up to this date (2026-11-20 or 2026-11-20 14:30, local time).",
}

# What a screen is for, when the focused part has no text of its own.
SCREEN_TEXTS: dict[str, str] = {
    "HomeScreen": HELP_TEXTS["contacts"],
    "ComposeScreen": HELP_TEXTS["draft"],
    "HistoryScreen": HELP_TEXTS["history-list"],
    "SettingsScreen": "Settings: the LLM endpoint and model, the theme, keys and muted rules. "
                      "ctrl+r saves them to the config file.",
}


def describe(widget: Widget | None) -> tuple[str, str]:
    """(a name for the focused part, what it is for): its own text, else the nearest enclosing
    part's, else the screen's. Never a toolkit class's docstring ("A container with vertical
    layout...") that says nothing about coach."""
    if widget is None:
        return "coach", "Nothing is focused; Tab moves between the parts of the screen."
    name = (widget.id or type(widget).__name__).replace("-", " ")
    node: Any = widget
    while node is not None:
        text = HELP_TEXTS.get(getattr(node, "id", None) or "")
        if text is not None:
            return name, text
        node = node.parent
    if type(widget).__module__.startswith("screens."):
        doc = " ".join((type(widget).__doc__ or "").strip().split("\n\n")[0].split())
        if doc:
            return name, doc
    screen = SCREEN_TEXTS.get(type(widget.screen).__name__)
    return name, screen or "The keys below work here; Tab moves between the parts of the screen."


class HelpScreen(CoachModal[None]):
    """Help for the focused widget, then the keys."""

    CSS_FILES = (STYLES / "dialogs.tcss", STYLES / "help.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help_close"),
    ]

    def __init__(self, focused: Widget | None) -> None:
        super().__init__()
        self.focused_widget = focused

    def compose(self) -> ComposeResult:
        title, text = describe(self.focused_widget)
        with Vertical(classes="dialog"):
            yield Label(f"Help: {title}", classes="dialog-title")
            yield Static(Text(text))
            with VerticalScroll(id="help-keys"):
                yield Static(self._keys_table())
            yield Static(Text("Esc closes. Keys can be changed in Settings (F6) or the config "
                              "file's [keymap] table.", style="dim"))

    def _keys_table(self) -> Table:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        table.add_column("id (for the keymap)", style="dim")
        seen: set[tuple[str, str]] = set()
        # The bindings active under this dialog: the focused widget's, its screen's, the app's.
        # The app's own (with ids, changeable) first; cursor keys and the like are not news.
        screen = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        bindings = [a.binding for a in screen.active_bindings.values()]
        bindings = [b for b in bindings if b.description and (b.id or b.show)]
        bindings.sort(key=lambda b: b.id is None)
        for binding in bindings:
            if (binding.key, binding.action) in seen:
                continue
            seen.add((binding.key, binding.action))
            table.add_row(self.app.get_key_display(binding), binding.description, binding.id or "")
        table.add_row("ctrl+p", "Command palette: every command by name", "")
        table.add_row("ctrl+q", "Quit (everything is saved as you go)", "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
