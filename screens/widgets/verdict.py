"""The verdict, the scores and the flags of a check, shown quietly: one line each, details on demand."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.models import CheckResult, Flag

VERDICT_WORDS = {
    "ok": ("OK", "send it", "bold green"),
    "revise": ("REVISE", "worth changing first", "bold yellow"),
    "hold": ("HOLD", "not now", "bold red"),
}
SEVERITY_STYLE = {"info": "cyan", "warn": "yellow", "stop": "red"}
_SEVERITY_RANK = {"stop": 0, "warn": 1, "info": 2}


def most_severe_first(flags: list[Flag]) -> list[Flag]:
    """Stops, then warnings, then notes; in draft order within each (the result keeps draft order)."""
    return sorted(flags, key=lambda f: _SEVERITY_RANK.get(f.severity, 3))


def render_verdict(result: CheckResult, *, stale: bool = False) -> Text:
    word, meaning, style = VERDICT_WORDS.get(result.verdict, (result.verdict, "", "bold"))
    text = Text.assemble((f" {word} ", f"reverse {style}"), f"  {meaning}")
    if stale:
        text.append("   (the draft changed: ctrl+r checks again)", style="dim italic")
    s = result.scores
    text.append(
        f"\ncourtesy {s.courtesy:.2f} · intimacy {s.intimacy:.2f} · pacing {s.pacing:.2f}"
        f" · stage {result.stage} · {result.engine}",
        style="dim",
    )
    if result.advice:
        text.append(f"\n{result.advice}")
    if result.llm_error:
        text.append(f"\nLLM coaching unavailable: {result.llm_error}", style="italic dim")
    return text


QUOTE_MAX = 80  # characters of flagged text quoted on one line


def flag_words(flag: Flag, draft: str) -> str:
    """The flagged words, on one line; a long span (the unchecked tail of a huge draft) is cut,
    or drawing it would take seconds and say nothing."""
    if not 0 <= flag.start < flag.end <= len(draft):
        return ""
    words = draft[flag.start:min(flag.end, flag.start + QUOTE_MAX + 1)].replace("\n", " ")
    if flag.end - flag.start > QUOTE_MAX:
        words = f"{words[:QUOTE_MAX - 1].rstrip()}… ({flag.end - flag.start:,} characters)"
    return words


def explain_flag(flag: Flag, draft: str) -> Text:
    """Every flag shows the words, the rule, the fact behind it and the source."""
    text = Text.assemble((flag.rule, f"bold {SEVERITY_STYLE.get(flag.severity, '')}"),
                         f" ({flag.severity})")
    words = flag_words(flag, draft)
    if words:
        text.append(f'\n"{words}"', style="italic")
    if flag.message:
        text.append(f"\n{flag.message}")
    if flag.evidence:
        text.append("\nBecause: ", style="bold")
        text.append(flag.evidence)
    if flag.source:
        text.append("\nSource: ", style="bold")
        text.append(flag.source)
    return text


class FlagList(OptionList):
    """One line per flag; highlighting one explains it; m mutes its rule for this contact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mute", "Mute rule", id="mute_rule",
                tooltip="Stop this rule for this contact (asks for a reason)"),
    ]

    class MuteRequested(Message):
        def __init__(self, flag: Flag) -> None:
            super().__init__()
            self.flag = flag

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.flags: list[Flag] = []

    def show(self, flags: list[Flag], draft: str) -> None:
        self.flags = most_severe_first(flags)
        self.clear_options()
        for flag in self.flags:
            line = Text.assemble(("● ", SEVERITY_STYLE.get(flag.severity, "")), (flag.rule, "bold"))
            words = flag_words(flag, draft)
            if words:
                line.append(f'  "{words[:40]}"', style="italic")
            self.add_option(Option(line))
        if self.flags:
            self.highlighted = 0

    @property
    def current(self) -> Flag | None:
        if self.highlighted is None or not self.flags:
            return None
        return self.flags[self.highlighted]

    def action_mute(self) -> None:
        if self.current is not None:
            self.post_message(self.MuteRequested(self.current))
