"""The LLM's coaching as it streams: a status line (chunks, elapsed), the newest lines in a
fixed-size box while it arrives, then one Markdown render of the whole text.

Streaming into a Markdown widget re-laid out the screen for every chunk (~90 ms each here) and
keystrokes queued behind it; a fixed-size box is only repainted, so typing stays quick.
"""

from __future__ import annotations

from time import monotonic

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Label, Markdown, Static

from coach.models import CheckRecord

STREAM_TICK = 1 / 8  # how often streamed text is pushed to the screen (chunks coalesced)
LIVE_LINES = 9  # the streamed text is shown as its last lines in a fixed-size box


class CoachingView(Vertical):
    """Hidden until a model is asked; `start`, `on_delta` (any thread-free callback), `finish`,
    `cancelled`."""

    DEFAULT_CSS = """
    CoachingView { height: auto; }
    CoachingView #stream-status { height: 1; }
    CoachingView #coaching-live { height: 9; color: $text-muted; }
    CoachingView #coaching { height: auto; margin: 0; padding: 0; }
    """

    def __init__(self) -> None:
        super().__init__(id="coaching-view")
        self._streamed = ""
        self._pending: list[str] = []
        self.chunks = 0
        self._started = 0.0
        self._tick: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("Coaching", classes="section-title")
        yield Static("", id="stream-status", classes="muted")
        yield Static("", id="coaching-live")
        yield Markdown("", id="coaching")

    def on_mount(self) -> None:
        self.display = False

    @property
    def markdown(self) -> Markdown:
        return self.query_one("#coaching", Markdown)

    def _status(self, text: str, *, layout: bool = True) -> None:
        self.query_one("#stream-status", Static).update(text, layout=layout)

    def clear(self) -> None:
        self._stop_tick()
        self._streamed = ""
        self._pending.clear()
        self._status("")
        self.query_one("#coaching-live", Static).update("")
        self.markdown.update("")
        self.display = False

    def start(self) -> None:
        self._streamed = ""
        self._pending = []
        self.chunks = 0
        self._started = monotonic()
        self.display = True
        self._status("asking the model… (Esc stops)")
        self.markdown.update("")
        self.markdown.display = False
        live = self.query_one("#coaching-live", Static)
        live.update("")
        live.display = True
        self._tick = self.set_interval(STREAM_TICK, self._flush)

    def on_delta(self, text: str) -> None:
        """Called by the LLM client for every piece of text; shown on the next tick."""
        self._pending.append(text)
        self.chunks += 1

    def _flush(self) -> None:
        if self._tick is None:
            return  # a tick queued before the stream ended: the final status stands
        elapsed = monotonic() - self._started
        self._status(f"streaming · {self.chunks} chunks · {elapsed:.1f} s · Esc stops",
                     layout=False)
        if not self._pending:
            return
        self._streamed += "".join(self._pending)
        self._pending.clear()
        live = self.query_one("#coaching-live", Static)
        width = max(10, live.content_region.width)
        lines = Text(self._streamed[-4000:]).wrap(self.app.console, width)
        live.update(Text("\n").join(lines[-LIVE_LINES:]), layout=False)  # repaint, no layout

    def _stop_tick(self) -> None:
        if self._tick is not None:
            self._tick.stop()
            self._tick = None

    def stop(self) -> None:
        """The request ended (done, failed or cancelled): no more ticks."""
        self._stop_tick()

    async def finish(self, record: CheckRecord) -> None:
        """One full Markdown render at the end (streamed pieces may split Markdown blocks)."""
        self._stop_tick()
        self.query_one("#coaching-live").display = False
        self.markdown.display = True
        await self.markdown.update(record.coaching or "_The model gave no coaching text._")
        elapsed = monotonic() - self._started
        tokens = record.tokens.get("completion")
        count = f"{tokens} tokens" if tokens else f"{self.chunks} chunks"
        self._status(f"{count} · {elapsed:.1f} s · {record.engine}")

    async def cancelled(self) -> None:
        self._stop_tick()
        self._streamed = ""
        self.query_one("#coaching-live", Static).update("")
        self.query_one("#coaching-live").display = False
        await self.markdown.update("")
        self._status("Coaching stopped. Your draft is as you left it; ctrl+r asks again.")
