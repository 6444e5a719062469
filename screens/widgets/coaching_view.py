"""The LLM's coaching as it streams: a status line (chunks, elapsed), the text rendered as Markdown
while it arrives (its newest lines, in a box of fixed height), then one full Markdown render.

Why not `Markdown.append` (or `Markdown.get_stream`) into the Markdown widget: every append mounts
or resizes blocks, so Textual lays out and repaints the whole screen, several times per append
(~50-80 ms each on a shared 2-core machine), and keys typed in the draft wait behind it. Measured
with benchmarks/tui.py's keystroke test (median key while 200 tokens/s stream in, over idle):
appends every 0.25 s 2.3-10x, every 0.5 s 0.7-2.1x, every 1 s ~1.1x, but then the text arrives a
paragraph at a time and a key typed during one of those layouts still waits for it. Here the coalesced text is
rendered as Markdown by Rich into the lines of a fixed-size Static, 8 times a second; the Static
is only repainted, never laid out (~1.1x). At the end the Markdown widget renders the whole
text once (a streamed piece may have split a block).
"""

from __future__ import annotations

from time import monotonic

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Label, Markdown, Static

from coach.models import CheckRecord

STREAM_TICK = 1 / 8  # how often streamed text is pushed to the screen (chunks coalesced)
LIVE_LINES = 9  # the streamed text is shown as its last lines in a fixed-size box
# Only the end of a long stream is rendered each tick (the box shows its last lines anyway);
# the cut is moved to a paragraph break so the Markdown around it still parses the same.
LIVE_TAIL = 3000


class _Lines:
    """Pre-rendered lines (segments), shown as they are."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for n, line in enumerate(self.lines):
            if n:
                yield Segment.line()
            yield from line


def markdown_tail(text: str, width: int, console: Console, lines: int = LIVE_LINES) -> _Lines:
    """The last `lines` lines of `text` rendered as Markdown at `width` columns."""
    if len(text) > LIVE_TAIL:
        start = len(text) - LIVE_TAIL
        brk = text.find("\n\n", start)
        text = text[brk + 2:] if 0 <= brk < len(text) - 2 else text[start:]
    options = console.options.update(width=width, max_width=width, height=None)
    rendered = console.render_lines(RichMarkdown(text), options, pad=False, new_lines=False)
    while rendered and not "".join(s.text for s in rendered[-1]).strip():
        rendered.pop()  # Rich ends blocks with a blank line; the box shows text, not padding
    return _Lines(rendered[-lines:])


class CoachingView(Vertical):
    """Hidden until a model is asked; `start`, `on_delta` (any thread-free callback), `finish`,
    `cancelled`."""

    DEFAULT_CSS = f"""
    CoachingView {{ height: auto; }}
    CoachingView #stream-status {{ height: 1; }}
    CoachingView #coaching-live {{ height: {LIVE_LINES}; }}
    CoachingView #coaching {{ height: auto; margin: 0; padding: 0; }}
    """

    def __init__(self) -> None:
        super().__init__(id="coaching-view")
        self._streamed = ""
        self._pending: list[str] = []
        self.chunks = 0
        self.renders = 0  # live Markdown renders while streaming (tests read it)
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

    @property
    def streamed(self) -> str:
        """The text shown so far while streaming."""
        return self._streamed

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
        self.renders = 0
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
        self.renders += 1
        live.update(markdown_tail(self._streamed, width, self.app.console), layout=False)

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
        """Esc: the partial coaching goes (it was cut mid-thought); the draft is not touched."""
        self._stop_tick()
        self._streamed = ""
        self._pending.clear()
        self.query_one("#coaching-live", Static).update("")
        self.query_one("#coaching-live").display = False
        await self.markdown.update("")
        self._status("Coaching stopped. Your draft is as you left it; ctrl+r asks again.")
